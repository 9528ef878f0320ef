import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normaliseTimeOfDay, parseLocalDateTime, parseTimeOfDay, TIME_OF_DAY_PATTERN, toLocalInputs, zoneOffsetMinutes, zonedToUtc } from './zoned.js';

describe('wall-clock time in Europe/Paris', () => {
  it('turns a form date and time into the UTC instant, winter and summer', () => {
    assert.equal(parseLocalDateTime('2027-01-15', '09:30')?.toISOString(), '2027-01-15T08:30:00.000Z');
    assert.equal(parseLocalDateTime('2027-07-15', '09:30')?.toISOString(), '2027-07-15T07:30:00.000Z');
  });

  it('reads a time the French way too: « 14h30 », « 14 h 30 », « 14h », « 9 h », as well as « 14:30 »', () => {
    for (const typed of ['14:30', '14h30', '14 h 30', '14H30', '14\u00a0h\u00a030', ' 14 : 30 ']) {
      assert.equal(parseLocalDateTime('2027-01-15', typed)?.toISOString(), '2027-01-15T13:30:00.000Z', typed);
      assert.equal(normaliseTimeOfDay(typed), '14:30', typed);
    }
    assert.deepEqual(parseTimeOfDay('14h'), { hour: 14, minute: 0 });
    assert.deepEqual(parseTimeOfDay('9 h'), { hour: 9, minute: 0 });
    assert.deepEqual(parseTimeOfDay('9:05'), { hour: 9, minute: 5 });
    for (const wrong of ['14', '1430', '14h3', '14:3', '24h', '14h60', '25:00', 'midi', '14:30:00', 'h30', '']) assert.equal(parseTimeOfDay(wrong), null, wrong);
    // Forms' schemas use the same pattern (then the parser checks the hour and minute).
    assert.ok(new RegExp(TIME_OF_DAY_PATTERN).test('14 h 30'));
    assert.ok(!new RegExp(TIME_OF_DAY_PATTERN).test('14.30'));
  });

  it('refuses malformed or impossible dates', () => {
    assert.equal(parseLocalDateTime('2027-02-30', '09:30'), null);
    assert.equal(parseLocalDateTime('15/01/2027', '09:30'), null);
    assert.equal(parseLocalDateTime('2027-01-15', '25:00'), null);
  });

  it('handles the autumn repeated hour (first reading) and the spring gap (moved forward)', () => {
    assert.equal(zonedToUtc({ year: 2027, month: 10, day: 31, hour: 2, minute: 30 }).toISOString(), '2027-10-31T00:30:00.000Z');
    const spring = zonedToUtc({ year: 2027, month: 3, day: 28, hour: 2, minute: 30 });
    assert.equal(zoneOffsetMinutes(spring), 120);
    assert.equal(spring.toISOString(), '2027-03-28T01:30:00.000Z');
  });

  it('gives back the form inputs of an instant', () => {
    assert.deepEqual(toLocalInputs(new Date('2027-07-15T07:30:00Z')), { date: '2027-07-15', time: '09:30' });
  });
});
