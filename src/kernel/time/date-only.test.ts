import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDay, formatMonth, isCalendarDay } from './date-only.js';

describe('a day written out', () => {
  it('reads « 10 mars 2027 » in French and "10 March 2027" in English, long by default', () => {
    assert.equal(formatDay('2027-03-10', 'fr'), '10 mars 2027');
    assert.equal(formatDay('2027-03-10', 'en'), '10 March 2027');
  });

  it('has a style for each use: medium, full with its weekday, the weekday alone', () => {
    assert.equal(formatDay('2027-03-10', 'fr', 'medium'), '10 mars 2027');
    assert.equal(formatDay('2027-03-10', 'en', 'medium'), '10 Mar 2027');
    assert.equal(formatDay('2027-03-10', 'fr', 'full'), 'mercredi 10 mars 2027');
    assert.equal(formatDay('2027-03-10', 'en', 'full'), 'Wednesday, 10 March 2027');
    assert.equal(formatDay('2027-03-10', 'fr', 'weekday'), 'mercredi');
    assert.equal(formatDay('2027-03-10', 'en', 'weekdayShort'), 'Wed');
  });

  it('stays the same day in every time zone, a year’s first day included (« 1er » in French)', () => {
    const before = process.env['TZ'];
    try {
      for (const zone of ['UTC', 'Pacific/Honolulu', 'America/New_York', 'Europe/Paris', 'Pacific/Kiritimati']) {
        process.env['TZ'] = zone;
        assert.equal(formatDay('2027-01-01', 'fr'), '1er janvier 2027', zone);
        assert.equal(formatDay('2027-01-01', 'en'), '1 January 2027', zone);
        assert.equal(formatDay('2027-01-01', 'fr', 'full'), 'vendredi 1er janvier 2027', zone);
        assert.equal(formatDay('2026-12-31', 'en', 'full'), 'Thursday, 31 December 2026', zone);
      }
    } finally {
      if (before === undefined) delete process.env['TZ'];
      else process.env['TZ'] = before;
    }
  });

  it('gives back as it is what is not a day of the calendar', () => {
    assert.equal(formatDay('2027-02-31', 'fr'), '2027-02-31');
    assert.equal(formatDay('2027-13-01', 'en'), '2027-13-01');
    assert.equal(formatDay('10/03/2027', 'fr'), '10/03/2027');
    assert.equal(formatDay('', 'en', 'full'), '');
  });
});

describe('a month written out', () => {
  it('reads « mars 2027 » in French and "March 2027" in English', () => {
    assert.equal(formatMonth('2027-03', 'fr'), 'mars 2027');
    assert.equal(formatMonth('2027-03', 'en'), 'March 2027');
    assert.equal(formatMonth('2026-12', 'fr'), 'décembre 2026');
  });

  it('stays the same month in every time zone, a year’s first month included', () => {
    const before = process.env['TZ'];
    try {
      for (const zone of ['UTC', 'Pacific/Honolulu', 'America/New_York', 'Europe/Paris', 'Pacific/Kiritimati']) {
        process.env['TZ'] = zone;
        assert.equal(formatMonth('2027-01', 'fr'), 'janvier 2027', zone);
        assert.equal(formatMonth('2027-01', 'en'), 'January 2027', zone);
        assert.equal(formatMonth('2026-12', 'en'), 'December 2026', zone);
      }
    } finally {
      if (before === undefined) delete process.env['TZ'];
      else process.env['TZ'] = before;
    }
  });

  it('gives back as it is what is not a month of the calendar', () => {
    assert.equal(formatMonth('2027-13', 'fr'), '2027-13');
    assert.equal(formatMonth('2027-00', 'en'), '2027-00');
    assert.equal(formatMonth('2027-3', 'fr'), '2027-3');
    assert.equal(formatMonth('2027-03-10', 'fr'), '2027-03-10');
    assert.equal(formatMonth('', 'en'), '');
  });
});

describe('a day of the calendar', () => {
  it('is written YYYY-MM-DD and exists', () => {
    assert.equal(isCalendarDay('2027-03-10'), true);
    assert.equal(isCalendarDay('2028-02-29'), true);
    assert.equal(isCalendarDay('2027-02-29'), false);
    assert.equal(isCalendarDay('2027-02-31'), false);
    assert.equal(isCalendarDay('2027-13-01'), false);
    assert.equal(isCalendarDay('2027-3-10'), false);
    assert.equal(isCalendarDay('10/03/2027'), false);
    assert.equal(isCalendarDay(' 2027-03-10'), false);
    assert.equal(isCalendarDay(''), false);
  });
});
