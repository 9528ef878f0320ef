import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { draftFormValues, validateEvent } from './validate.js';

const TAX = { types: ['network_meeting', 'webinar'], themes: ['water_sanitation'] };
const NO_ORGANISERS = { ids: [] };

function check(raw: Record<string, unknown>) {
  return validateEvent({ title: 'Rencontre du réseau', type_code: 'network_meeting', venue: 'Salle Saint-Michel', ...raw }, TAX, NO_ORGANISERS);
}

describe('event validation', () => {
  test('times are Paris wall-clock time, stored as UTC (summer and winter)', () => {
    const summer = check({ start_date: '2026-06-12', start_time: '14:30', end_time: '17:00' });
    assert.ok(summer.ok);
    assert.equal(summer.draft.starts_at.toISOString(), '2026-06-12T12:30:00.000Z');
    assert.equal(summer.draft.ends_at.toISOString(), '2026-06-12T15:00:00.000Z');
    const winter = check({ start_date: '2026-12-03', start_time: '09:00', end_time: '12:00' });
    assert.ok(winter.ok);
    assert.equal(winter.draft.starts_at.toISOString(), '2026-12-03T08:00:00.000Z');
  });

  test('an end before the start is refused with a French message on the end date', () => {
    const r = check({ start_date: '2026-06-12', start_time: '14:30', end_date: '2026-06-11', end_time: '17:00' });
    assert.ok(!r.ok);
    assert.equal(r.errors['end_date']?.key, 'events.error.endBeforeStart');
    const same = check({ start_date: '2026-06-12', start_time: '14:30', end_time: '14:30' });
    assert.ok(!same.ok);
    assert.equal(same.errors['end_date']?.key, 'events.error.endBeforeStart');
    // Without times, an end day before the start day is said with the missing times, in one round.
    const untimed = check({ start_date: '2026-06-12', end_date: '2026-06-10' });
    assert.ok(!untimed.ok);
    assert.deepEqual(
      ['start_time', 'end_time', 'end_date'].map((f) => untimed.errors[f]?.key),
      ['events.error.startTime', 'events.error.endTime', 'events.error.endBeforeStart'],
    );
  });

  test('an all-day event runs from local midnight to the midnight after its last day; multi-day too', () => {
    const one = check({ all_day: '1', start_date: '2026-03-14' });
    assert.ok(one.ok);
    assert.equal(one.draft.starts_at.toISOString(), '2026-03-13T23:00:00.000Z');
    assert.equal(one.draft.ends_at.toISOString(), '2026-03-14T23:00:00.000Z');
    // Across the spring change of time (29 March 2026): three days, 71 hours.
    const three = check({ all_day: '1', start_date: '2026-03-28', end_date: '2026-03-30' });
    assert.ok(three.ok);
    assert.equal(three.draft.ends_at.toISOString(), '2026-03-30T22:00:00.000Z');
    assert.deepEqual(
      {
        start_date: draftFormValues(three.draft)['start_date'],
        end_date: draftFormValues(three.draft)['end_date'],
        start_time: draftFormValues(three.draft)['start_time'],
      },
      { start_date: '2026-03-28', end_date: '2026-03-30', start_time: '' },
    );
  });

  test('times written the French way are read: « 14h30 », « 14 h 30 », « 17h »', () => {
    for (const [start, end] of [['14h30', '17h'], ['14 h 30', '17 h'], ['14H30', '17:00'], ['14:30', '17 h 00']]) {
      const r = check({ start_date: '2026-06-12', start_time: start, end_time: end });
      assert.ok(r.ok, `${start} – ${end}`);
      assert.equal(r.draft.starts_at.toISOString(), '2026-06-12T12:30:00.000Z');
      assert.equal(r.draft.ends_at.toISOString(), '2026-06-12T15:00:00.000Z');
    }
    // Not a time: the time field is named; a time on a day that does not exist: the day is.
    const notATime = check({ start_date: '2026-06-12', start_time: '14h75', end_time: '17h' });
    assert.ok(!notATime.ok);
    assert.equal(notATime.errors['start_time']?.key, 'events.error.date');
    const noSuchDay = check({ start_date: '2026-02-30', start_time: '14 h', end_time: '17 h' });
    assert.ok(!noSuchDay.ok);
    assert.equal(noSuchDay.errors['start_date']?.key, 'events.error.date');
  });

  test('times are required unless all day; impossible dates are refused', () => {
    const r = check({ start_date: '2026-02-30', start_time: '10:00', end_time: '' });
    assert.ok(!r.ok);
    assert.equal(r.errors['start_date']?.key, 'events.error.date');
    assert.equal(r.errors['end_time']?.key, 'events.error.endTime');
  });

  test('with a start rule (members), a start day before today is refused, except the day the event already has; without one (staff), a past day is fine', () => {
    const when = { start_date: '2026-06-11', start_time: '14:30', end_time: '17:00' };
    const rule = { today: '2026-06-12' };
    const past = validateEvent({ title: 'Rencontre du réseau', type_code: 'network_meeting', venue: 'Salle Saint-Michel', ...when }, TAX, NO_ORGANISERS, rule);
    assert.ok(!past.ok);
    assert.deepEqual(past.errors, { start_date: { key: 'events.error.pastStart' } });
    const today = validateEvent({ title: 'Rencontre du réseau', type_code: 'network_meeting', venue: 'Salle Saint-Michel', ...when, start_date: '2026-06-12' }, TAX, NO_ORGANISERS, rule);
    assert.ok(today.ok);
    const kept = validateEvent({ title: 'Rencontre du réseau', type_code: 'network_meeting', venue: 'Salle Saint-Michel', ...when }, TAX, NO_ORGANISERS, { ...rule, keep: '2026-06-11' });
    assert.ok(kept.ok);
    assert.ok(check(when).ok);
    const impossible = validateEvent({ title: 'Rencontre du réseau', type_code: 'network_meeting', venue: 'Salle Saint-Michel', ...when, start_date: '2020-02-30' }, TAX, NO_ORGANISERS, rule);
    assert.ok(!impossible.ok);
    assert.equal(impossible.errors['start_date']?.key, 'events.error.date', 'a day that does not exist is said as such');
  });

  test('a place or an online link is required; the commune gives the département', () => {
    const none = check({ venue: '', start_date: '2026-06-12', start_time: '14:30', end_time: '17:00' });
    assert.ok(!none.ok);
    assert.equal(none.errors['venue']?.key, 'events.error.place');
    const online = check({ venue: '', online_url: 'visio.example.org/reseau', online_url_private: '1', start_date: '2026-06-12', start_time: '14:30', end_time: '17:00' });
    assert.ok(online.ok);
    assert.equal(online.draft.online_url, 'https://visio.example.org/reseau');
    assert.equal(online.draft.online_url_private, true);
    const place = check({ venue: '', commune: 'Pessac', postcode: '33600', start_date: '2026-06-12', start_time: '14:30', end_time: '17:00' });
    assert.ok(place.ok);
    assert.equal(place.draft.commune_code, '33318');
    assert.equal(place.draft.department_code, '33');
    const bad = check({ online_url: 'javascript:alert(1)', start_date: '2026-06-12', start_time: '14:30', end_time: '17:00' });
    assert.ok(!bad.ok);
    assert.equal(bad.errors['online_url']?.key, 'events.error.onlineUrl');
  });

  test('taxonomies, countries and SDGs are checked; description is sanitised', () => {
    const r = check({ start_date: '2026-06-12', start_time: '14:30', end_time: '17:00', themes: ['nope'], countries: 'SN, Atlantide', sdgs: ['18'] });
    assert.ok(!r.ok);
    assert.deepEqual(Object.keys(r.errors).sort(), ['countries', 'sdgs', 'themes']);
    const ok = check({ start_date: '2026-06-12', start_time: '14:30', end_time: '17:00', countries: 'SN (Sénégal), Mali', sdgs: ['6'], description: '<p>Bonjour<script>alert(1)</script></p>' });
    assert.ok(ok.ok);
    assert.deepEqual(ok.draft.links.countries, ['ML', 'SN']);
    assert.equal(ok.draft.description_html, '<p>Bonjour</p>');
  });

  test('countries as every form writes them (« Mali (ML), Sénégal (SN) »), a name holding a comma included, and shown back so', () => {
    const r = check({ start_date: '2026-06-12', start_time: '14:30', end_time: '17:00', countries: 'Mali (ML), Bonaire, Saint-Eustache et Saba (BQ), Sénégal (SN)' });
    assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
    assert.deepEqual(r.draft.links.countries, ['BQ', 'ML', 'SN']);
  });
});
