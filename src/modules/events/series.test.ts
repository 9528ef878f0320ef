import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toLocalInputs } from '../../kernel/time/zoned.js';
import { translator } from '../../kernel/i18n/index.js';
import { describeRule, expandRule, formatRule, parseRule, repetitionFromForm, ruleFormValues } from './series.js';

const local = (d: Date) => {
  const x = toLocalInputs(d);
  return `${x.date} ${x.time}`;
};

describe('recurring series (RRULE subset)', () => {
  test('every second Tuesday of the month, at 18:00 Paris time across the change of time', () => {
    const rule = parseRule('FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU;COUNT=4')!;
    const dates = expandRule(rule, new Date('2026-02-10T17:00:00Z'));
    assert.deepEqual(dates.map(local), ['2026-02-10 18:00', '2026-03-10 18:00', '2026-04-14 18:00', '2026-05-12 18:00']);
    assert.equal(dates[2]!.toISOString(), '2026-04-14T16:00:00.000Z');
    assert.equal(formatRule(rule), 'FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU;COUNT=4');
  });

  test('the last Friday, every other week, the 31st (months without it skipped), until a date', () => {
    assert.deepEqual(expandRule(parseRule('FREQ=MONTHLY;BYDAY=-1FR;COUNT=3')!, new Date('2026-01-30T09:00:00Z')).map(local), [
      '2026-01-30 10:00',
      '2026-02-27 10:00',
      '2026-03-27 10:00',
    ]);
    assert.deepEqual(expandRule(parseRule('FREQ=WEEKLY;INTERVAL=2;UNTIL=20260315')!, new Date('2026-02-02T08:00:00Z')).map(local), [
      '2026-02-02 09:00',
      '2026-02-16 09:00',
      '2026-03-02 09:00',
    ]);
    assert.deepEqual(expandRule(parseRule('FREQ=MONTHLY;COUNT=3')!, new Date('2026-01-31T08:00:00Z')).map(local), [
      '2026-01-31 09:00',
      '2026-03-31 09:00',
      '2026-05-31 09:00',
    ]);
  });

  test('rules outside the subset are refused', () => {
    assert.equal(parseRule('FREQ=DAILY;COUNT=3'), undefined);
    assert.equal(parseRule('FREQ=WEEKLY;BYDAY=2TU'), undefined);
    assert.equal(parseRule('FREQ=MONTHLY;INTERVAL=0'), undefined);
  });

  test('the form: an end is required, at most 104 dates within three years', () => {
    const start = new Date('2026-02-10T17:00:00Z');
    const none = repetitionFromForm({ repeat_freq: 'weekly' }, start);
    assert.ok(!none.ok);
    assert.equal(none.errors['repeat_count']?.key, 'events.error.repeatEnd');
    const tooMany = repetitionFromForm({ repeat_freq: 'weekly', repeat_until: '2028-12-31' }, start);
    assert.ok(!tooMany.ok);
    assert.equal(tooMany.errors['repeat_until']?.key, 'events.error.repeatTooMany');
    const before = repetitionFromForm({ repeat_freq: 'monthly', repeat_until: '2026-01-01' }, start);
    assert.ok(!before.ok);
    const ok = repetitionFromForm({ repeat_freq: 'monthly_weekday', repeat_count: '6' }, start);
    assert.ok(ok.ok && ok.rule);
    assert.equal(formatRule(ok.rule), 'FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU;COUNT=6');
    assert.deepEqual(repetitionFromForm({}, start), { ok: true, rule: null });
    // An event refused for another field (no start yet): the typed first day still checks the repetition.
    const early = repetitionFromForm({ start_date: '2026-02-10', repeat_freq: 'weekly', repeat_until: '2026-02-01' }, null);
    assert.ok(!early.ok);
    assert.equal(early.errors['repeat_until']?.key, 'events.error.repeatUntil');
    const many = repetitionFromForm({ start_date: '2026-02-10', repeat_freq: 'weekly', repeat_until: '2028-12-31' }, null);
    assert.ok(!many.ok);
    assert.equal(many.errors['repeat_until']?.key, 'events.error.repeatTooMany');
    assert.deepEqual(repetitionFromForm({ start_date: '2026-02-10', repeat_freq: 'weekly', repeat_count: '4' }, null), { ok: true, rule: null });
  });

  test('the rule in words, in French and in English, and back to the form fields that give it', () => {
    const fr = (text: string) => describeRule(parseRule(text)!, translator('fr'), 'fr');
    const en = (text: string) => describeRule(parseRule(text)!, translator('en'), 'en');
    assert.equal(fr('FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU;UNTIL=20270630'), 'tous les mois, le 2e mardi, jusqu’au 30 juin 2027');
    assert.equal(en('FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU;UNTIL=20270630'), 'every month, on the 2nd Tuesday, until 30 June 2027');
    assert.equal(fr('FREQ=MONTHLY;BYDAY=1WE;UNTIL=20270101'), 'tous les mois, le 1er mercredi, jusqu’au 1er janvier 2027');
    assert.equal(fr('FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR;COUNT=5'), 'tous les 2 mois, le dernier vendredi, 5 fois');
    // Other positions from the end come from iCal feeds only: said in words too.
    assert.equal(fr('FREQ=MONTHLY;BYDAY=-2TU;COUNT=3'), 'tous les mois, l’avant-dernier mardi, 3 fois');
    assert.equal(en('FREQ=MONTHLY;BYDAY=-2TU;COUNT=3'), 'every month, on the second-to-last Tuesday, 3 times');
    assert.equal(fr('FREQ=MONTHLY;BYDAY=-3WE;COUNT=3'), 'tous les mois, le 3e mercredi en partant de la fin du mois, 3 fois');
    assert.equal(en('FREQ=MONTHLY;BYDAY=-3WE;COUNT=3'), 'every month, on the 3rd-to-last Wednesday, 3 times');
    assert.equal(fr('FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;COUNT=6'), 'toutes les 2 semaines, le jeudi, 6 fois');
    assert.equal(fr('FREQ=MONTHLY;COUNT=3'), 'tous les mois, 3 fois');
    const start = new Date('2026-02-10T17:00:00Z');
    for (const typed of [
      { repeat_freq: 'monthly_weekday', repeat_interval: '1', repeat_count: '', repeat_until: '2026-12-31' },
      { repeat_freq: 'weekly', repeat_interval: '2', repeat_count: '8', repeat_until: '' },
      { repeat_freq: 'monthly', repeat_interval: '3', repeat_count: '4', repeat_until: '' },
    ]) {
      const read = repetitionFromForm(typed, start);
      assert.ok(read.ok && read.rule);
      assert.deepEqual(ruleFormValues(read.rule), typed);
    }
  });
});
