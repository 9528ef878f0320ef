import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMoment, formatMomentRange, frenchClock, withClockWords } from './clock-words.js';

describe('hours in words', () => {
  it('French writes « 14 h 30 », « 12 h », « 9 h 05 », with no-break spaces', () => {
    assert.equal(frenchClock(14, 30), '14\u00a0h\u00a030');
    assert.equal(frenchClock(12, 0), '12\u00a0h');
    assert.equal(frenchClock(9, 5), '9\u00a0h\u00a005');
  });

  it('a deadline reads « 27 mars 2027 à 12 h » in French, "27 March 2027 at 12:00" in English', () => {
    const noon = new Date('2027-03-27T11:00:00Z');
    assert.equal(formatMoment(noon, 'fr'), '27 mars 2027 à 12\u00a0h');
    assert.equal(formatMoment(noon, 'en'), '27 March 2027 at 12:00');
    assert.equal(formatMoment('2027-07-01T07:30:00Z', 'fr'), '1er juillet 2027 à 9\u00a0h\u00a030');
  });

  it('a span writes its day once and each hour in words', () => {
    assert.equal(formatMomentRange('2027-01-14T13:00:00Z', '2027-01-14T14:30:00Z', 'fr'), '14 janv. 2027, 14\u00a0h\u2009–\u200915\u00a0h\u00a030');
  });

  it('only the times of a date text change: years, days and English text stay as they are', () => {
    assert.equal(withClockWords('samedi 27 mars 2027, 09:30 – 12:00', 'fr'), 'samedi 27 mars 2027, 9\u00a0h\u00a030 – 12\u00a0h');
    assert.equal(withClockWords('Saturday 27 March 2027, 09:30 – 12:00', 'en'), 'Saturday 27 March 2027, 09:30 – 12:00');
    assert.equal(withClockWords('2027 à 23:59', 'fr'), '2027 à 23\u00a0h\u00a059');
  });
});
