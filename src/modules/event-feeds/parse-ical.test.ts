import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FEED_LIMITS, FeedParseError, parseIcalFeed } from './parse-ical.js';

const NOW = new Date('2026-11-29T08:00:00Z');

function ics(...events: string[]): Buffer {
  return Buffer.from(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Test//FR', ...events, 'END:VCALENDAR', ''].join('\r\n'));
}

function vevent(lines: string[]): string {
  return ['BEGIN:VEVENT', 'DTSTAMP:20261101T000000Z', ...lines, 'END:VEVENT'].join('\r\n');
}

function parseError(body: Buffer): FeedParseError {
  try {
    parseIcalFeed(body, NOW);
  } catch (error) {
    assert.ok(error instanceof FeedParseError);
    return error;
  }
  assert.fail('expected a FeedParseError');
}

describe('parseIcalFeed', () => {
  test('reads upcoming events in Europe/Paris, UTC and all-day; skips past ones', () => {
    const items = parseIcalFeed(
      ics(
        vevent(['UID:paris@x', 'DTSTART;TZID=Europe/Paris:20261210T140000', 'DTEND;TZID=Europe/Paris:20261210T170000', 'SUMMARY:Atelier eau\\, Gironde', 'LOCATION:Bordeaux', 'URL:https://exemple.org/atelier', 'DESCRIPTION:Ligne 1\\nLigne 2']),
        vevent(['UID:utc@x', 'DTSTART:20261211T090000Z', 'DURATION:PT2H', 'SUMMARY:Webinaire']),
        vevent(['UID:allday@x', 'DTSTART;VALUE=DATE:20261212', 'DTEND;VALUE=DATE:20261214', 'SUMMARY:Journée multi-acteurs']),
        vevent(['UID:past@x', 'DTSTART:20261001T090000Z', 'DTEND:20261001T100000Z', 'SUMMARY:Passé']),
        vevent(['UID:script@x', 'DTSTART:20261215T090000Z', 'SUMMARY:<script>alert(1)</script>', 'URL:javascript:alert(1)']),
      ),
      NOW,
    );
    assert.deepEqual(items.map((i) => i.uid), ['paris@x', 'utc@x', 'allday@x', 'script@x']);
    const [paris, utc, allDay, script] = items;
    assert.equal(paris!.title, 'Atelier eau, Gironde');
    assert.equal(paris!.start.toISOString(), '2026-12-10T13:00:00.000Z');
    assert.equal(paris!.end.toISOString(), '2026-12-10T16:00:00.000Z');
    assert.equal(paris!.location, 'Bordeaux');
    assert.equal(paris!.url, 'https://exemple.org/atelier');
    assert.equal(paris!.description, 'Ligne 1\nLigne 2');
    assert.equal(utc!.end.toISOString(), '2026-12-11T11:00:00.000Z');
    assert.equal(allDay!.allDay, true);
    assert.equal(allDay!.start.toISOString(), '2026-12-11T23:00:00.000Z');
    assert.equal(allDay!.end.toISOString(), '2026-12-13T23:00:00.000Z');
    // Text stays text (views escape it); a javascript: link is dropped.
    assert.equal(script!.title, '<script>alert(1)</script>');
    assert.equal(script!.url, null);
  });

  test('expands a recurring event only within the window, with EXDATE and a moved occurrence', () => {
    const items = parseIcalFeed(
      ics(
        vevent(['UID:monthly@x', 'DTSTART;TZID=Europe/Paris:20260105T180000', 'DTEND;TZID=Europe/Paris:20260105T200000', 'RRULE:FREQ=WEEKLY;BYDAY=MO', 'EXDATE;TZID=Europe/Paris:20261207T180000', 'SUMMARY:Groupe pays Sénégal']),
        vevent(['UID:monthly@x', 'RECURRENCE-ID;TZID=Europe/Paris:20261214T180000', 'DTSTART;TZID=Europe/Paris:20261215T180000', 'DTEND;TZID=Europe/Paris:20261215T200000', 'SUMMARY:Groupe pays (déplacé)']),
      ),
      NOW,
    );
    assert.ok(items.length > 0 && items.length <= FEED_LIMITS.maxOccurrencesPerSeries);
    const limit = NOW.getTime() + FEED_LIMITS.windowDays * 86_400_000;
    assert.ok(items.every((i) => i.end > NOW && i.start.getTime() < limit));
    assert.equal(items[0]!.uid, 'monthly@x#2026-11-30T17:00:00.000Z');
    assert.ok(!items.some((i) => i.uid === 'monthly@x#2026-12-07T17:00:00.000Z'), 'EXDATE removes an occurrence');
    const moved = items.find((i) => i.uid === 'monthly@x#2026-12-14T17:00:00.000Z');
    assert.equal(moved?.title, 'Groupe pays (déplacé)');
    assert.equal(moved?.start.toISOString(), '2026-12-15T17:00:00.000Z');
    assert.equal(new Set(items.map((i) => i.uid)).size, items.length, 'UIDs are unique');
  });

  test('a rule that never ends, every minute, is cut at the per-series limit', () => {
    const items = parseIcalFeed(ics(vevent(['UID:spam@x', 'DTSTART:20261129T090000Z', 'DURATION:PT1M', 'RRULE:FREQ=MINUTELY', 'SUMMARY:Spam'])), NOW);
    assert.equal(items.length, FEED_LIMITS.maxOccurrencesPerSeries);
  });

  test('hashes change when an event changes and only then', () => {
    const one = parseIcalFeed(ics(vevent(['UID:a@x', 'DTSTART:20261210T090000Z', 'SUMMARY:A'])), NOW)[0]!;
    const same = parseIcalFeed(ics(vevent(['UID:a@x', 'DTSTAMP:20261120T000000Z', 'DTSTART:20261210T090000Z', 'SUMMARY:A'])), NOW)[0]!;
    const moved = parseIcalFeed(ics(vevent(['UID:a@x', 'DTSTART:20261211T090000Z', 'SUMMARY:A'])), NOW)[0]!;
    assert.equal(one.hash, same.hash);
    assert.notEqual(one.hash, moved.hash);
  });

  test('marks cancelled events', () => {
    const [item] = parseIcalFeed(ics(vevent(['UID:c@x', 'DTSTART:20261210T090000Z', 'STATUS:CANCELLED', 'SUMMARY:Annulé'])), NOW);
    assert.equal(item?.cancelled, true);
  });

  test('refuses HTML, invalid UTF-8, broken syntax and too many events', () => {
    assert.equal(parseError(Buffer.from('<!doctype html><html><body>Agenda</body></html>')).problem, 'not_ical');
    assert.equal(parseError(Buffer.concat([Buffer.from('BEGIN:VCALENDAR\r\nSUMMARY:'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('\r\nEND:VCALENDAR')])).problem, 'invalid_utf8');
    assert.equal(parseError(Buffer.from('BEGIN:VCALENDAR\r\nthis is not a content line\r\nEND:VCALENDAR\r\n')).problem, 'invalid');
    const many = Array.from({ length: FEED_LIMITS.maxComponents + 1 }, (_, i) => vevent([`UID:${i}@x`, 'DTSTART:20261210T090000Z', 'SUMMARY:x']));
    const error = parseError(ics(...many));
    assert.equal(error.problem, 'too_many_events');
    assert.match(error.message, /^2001 /);
  });
});
