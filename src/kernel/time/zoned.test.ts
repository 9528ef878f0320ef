import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLocalDateTime, toLocalInputs, zoneOffsetMinutes, zonedToUtc } from './zoned.js';

describe('wall-clock time in Europe/Paris', () => {
  it('turns a form date and time into the UTC instant, winter and summer', () => {
    assert.equal(parseLocalDateTime('2027-01-15', '09:30')?.toISOString(), '2027-01-15T08:30:00.000Z');
    assert.equal(parseLocalDateTime('2027-07-15', '09:30')?.toISOString(), '2027-07-15T07:30:00.000Z');
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
