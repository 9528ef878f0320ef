import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ICAL from 'ical.js';
import { escapeText, foldLine, icsCalendar } from './ics.js';

const updated = new Date('2026-11-20T10:00:00Z');

function parse(text: string) {
  const comp = new ICAL.Component(ICAL.parse(text));
  return comp.getAllSubcomponents('vevent');
}

describe('iCalendar writer', () => {
  it('writes a valid calendar that a parser reads back (UTC times, UID, DTSTAMP, status)', () => {
    const text = icsCalendar({
      name: 'Agenda du réseau',
      events: [
        {
          uid: '0190-abc@maillage.test',
          start: new Date('2027-01-15T08:30:00Z'),
          end: new Date('2027-01-15T10:00:00Z'),
          summary: 'Rencontre, eau; assainissement',
          description: 'Ligne 1\nLigne 2 \\ fin',
          location: 'Salle 3, Bordeaux',
          url: 'https://maillage.test/agenda/rencontre',
          status: 'cancelled',
          sequence: 2,
          updated,
          geo: { latitude: 44.84, longitude: -0.58 },
        },
      ],
    });
    assert.ok(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:'));
    assert.ok(text.endsWith('END:VCALENDAR\r\n'));
    assert.ok(!/[^\r]\n/.test(text), 'every line ends with CRLF');
    const [ev] = parse(text);
    assert.ok(ev);
    assert.equal(ev.getFirstPropertyValue('uid'), '0190-abc@maillage.test');
    assert.equal(ev.getFirstPropertyValue('summary'), 'Rencontre, eau; assainissement');
    assert.equal(ev.getFirstPropertyValue('description'), 'Ligne 1\nLigne 2 \\ fin');
    assert.equal(ev.getFirstPropertyValue('location'), 'Salle 3, Bordeaux');
    assert.equal(ev.getFirstPropertyValue('status'), 'CANCELLED');
    assert.equal(ev.getFirstPropertyValue('sequence'), 2);
    assert.match(text, /\r\nDTSTAMP:20261120T100000Z\r\n/);
    const start = ev.getFirstPropertyValue('dtstart') as ICAL.Time;
    assert.equal(start.toJSDate().toISOString(), '2027-01-15T08:30:00.000Z');
    assert.match(text, /\r\nDTSTART:20270115T083000Z\r\nDTEND:20270115T100000Z\r\n/);
  });

  it('writes all-day events as local dates with an exclusive end', () => {
    const text = icsCalendar({
      events: [
        {
          uid: 'x@h',
          // 15–16 July 2027 in Paris: local midnight = 22:00 UTC the day before.
          start: new Date('2027-07-14T22:00:00Z'),
          end: new Date('2027-07-16T22:00:00Z'),
          allDay: true,
          summary: 'Journée multi-acteurs',
        },
      ],
      now: updated,
    });
    assert.match(text, /\r\nDTSTART;VALUE=DATE:20270715\r\nDTEND;VALUE=DATE:20270717\r\n/);
    assert.match(text, /\r\nSTATUS:CONFIRMED\r\n/);
    assert.match(text, /\r\nDTSTAMP:20261120T100000Z\r\n/);
    const [ev] = parse(text);
    assert.equal((ev!.getFirstPropertyValue('dtstart') as ICAL.Time).isDate, true);
  });

  it('writes a cancellation (METHOD:CANCEL) with its organiser and the attendee it removes the event for', () => {
    const text = icsCalendar({
      method: 'CANCEL',
      events: [
        {
          uid: 'e1@h',
          start: updated,
          end: updated,
          summary: 'Forum',
          status: 'cancelled',
          sequence: 7,
          organizer: { email: 'reseau@example.org', name: 'Réseau "Sud", Gironde; Landes' },
          attendees: [{ email: 'awa@example.org', name: 'Awa Diallo' }],
        },
      ],
      now: updated,
    });
    assert.match(text, /\r\nMETHOD:CANCEL\r\n/);
    assert.match(text, /\r\nORGANIZER;CN="Réseau Sud, Gironde; Landes":mailto:reseau@example.org\r\n/);
    assert.match(text, /\r\nATTENDEE;CN="Awa Diallo":mailto:awa@example.org\r\n/);
    const calendar = new ICAL.Component(ICAL.parse(text));
    assert.equal(calendar.getFirstPropertyValue('method'), 'CANCEL');
    const ev = calendar.getFirstSubcomponent('vevent')!;
    assert.equal(ev.getFirstPropertyValue('status'), 'CANCELLED');
    assert.equal(ev.getFirstPropertyValue('sequence'), 7);
    assert.equal(ev.getFirstProperty('organizer')?.getParameter('cn'), 'Réseau Sud, Gironde; Landes');
    assert.equal(ev.getFirstPropertyValue('attendee'), 'mailto:awa@example.org');
    // The default stays a publication, without anyone named.
    const published = icsCalendar({ events: [{ uid: 'e1@h', start: updated, end: updated, summary: 'Forum' }], now: updated });
    assert.match(published, /\r\nMETHOD:PUBLISH\r\n/);
    assert.doesNotMatch(published, /ORGANIZER|ATTENDEE/);
  });

  it('escapes text and keeps URIs and UIDs on one line', () => {
    assert.equal(escapeText('a,b;c\\d\r\ne'), 'a\\,b\\;c\\\\d\\ne');
    const text = icsCalendar({
      events: [{ uid: 'evil\r\nX-INJECT:1@h', start: updated, end: updated, summary: 'x\r\nSTATUS:CANCELLED', url: 'https://h/a\nb' }],
      now: updated,
    });
    assert.doesNotMatch(text, /\r\nX-INJECT/);
    assert.equal(text.match(/\r\nSTATUS:/g)?.length, 1);
  });

  it('folds long lines at 75 octets without splitting a character', () => {
    const long = 'DESCRIPTION:' + 'é'.repeat(100) + 'x'.repeat(80);
    const folded = foldLine(long);
    const lines = folded.split('\r\n');
    assert.ok(lines.length > 1);
    for (const line of lines) assert.ok(Buffer.byteLength(line, 'utf8') <= 75, line);
    for (const line of lines.slice(1)) assert.ok(line.startsWith(' '));
    assert.equal(lines.map((l, i) => (i ? l.slice(1) : l)).join(''), long);
    assert.ok(!folded.includes('\uFFFD'));

    const text = icsCalendar({ events: [{ uid: 'u@h', start: updated, end: updated, summary: 'Ç'.repeat(200) }], now: updated });
    for (const line of text.split('\r\n')) assert.ok(Buffer.byteLength(line, 'utf8') <= 75);
    assert.equal(parse(text)[0]!.getFirstPropertyValue('summary'), 'Ç'.repeat(200));
  });
});
