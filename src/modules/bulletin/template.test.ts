import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readBlock } from './block-shapes.js';
import { blockPatch } from './forms.js';
import { comingMonth, monthChoices, monthName, oneMonthBefore } from './template.js';

test('the coming month and the months offered follow the Paris calendar across the year’s end', () => {
  // 31 December, 23:30 in Paris is still December there (22:30 UTC).
  assert.equal(comingMonth(new Date('2026-12-31T22:30:00Z')), '2027-01');
  // 31 December, 23:30 UTC is already 1 January in Paris.
  assert.equal(comingMonth(new Date('2026-12-31T23:30:00Z')), '2027-02');
  assert.deepEqual(monthChoices(new Date('2026-11-15T12:00:00Z')), ['2026-11', '2026-12', '2027-01']);
  assert.equal(monthName('2027-03'), 'mars 2027');
});

test('« one month earlier » keeps the day when it exists, else the month’s last day', () => {
  assert.equal(oneMonthBefore('2027-03-15'), '2027-02-15');
  assert.equal(oneMonthBefore('2027-03-31'), '2027-02-28');
  assert.equal(oneMonthBefore('2028-03-30'), '2028-02-29');
  assert.equal(oneMonthBefore('2027-01-10'), '2026-12-10');
});

test('a stored block is read defensively: out-of-range numbers clamped, junk dropped, unknown types refused', () => {
  const events = readBlock({ type: 'events', key: 'zz', title: 'Agenda', weeks: 500, limit: 'beaucoup', items: [{ title: 'Ok', href: '/agenda/ok' }, { title: 3 }, 'x'] });
  assert.ok(events && events.type === 'events');
  assert.equal(events.weeks, 26);
  assert.equal(events.limit, 10);
  assert.match(events.key, /^[0-9a-f]{8}$/, 'a malformed key is replaced');
  assert.deepEqual(events.items, [{ id: '', title: 'Ok', href: '/agenda/ok', meta: [], summary: null, tag: null }]);
  assert.equal(readBlock({ type: 'text', html: '<p>x</p>' }), null);
  const watch = readBlock({ type: 'watch', mode: 'autre', ids: ['a', 3, 'a'] });
  assert.ok(watch && watch.type === 'watch');
  assert.equal(watch.mode, 'latest');
  assert.deepEqual(watch.ids, ['a']);
});

test('a block’s form is checked against its type', () => {
  assert.deepEqual(blockPatch('events', { title: 'Agenda', weeks: '4', limit: '3' }), { ok: true, patch: { title: 'Agenda', weeks: 4, limit: 3 } });
  assert.deepEqual(blockPatch('events', { title: '', weeks: '0', limit: '21' }), { ok: false, errors: { title: 'bulletin.error.titleRequired', weeks: 'bulletin.error.weeks', limit: 'bulletin.error.limit' } });
  assert.deepEqual(blockPatch('resources', { title: 'Ressources', since: '2027-02-30', limit: '5' }), { ok: false, errors: { since: 'bulletin.error.since' } });
  assert.deepEqual(blockPatch('news', { title: 'À la une', ids: ['<script>', 'a1-b2'] }), { ok: true, patch: { title: 'À la une', ids: ['a1-b2'] } });
  assert.deepEqual(blockPatch('watch', { title: 'Veille', mode: 'selected', limit: '5' }), { ok: false, errors: { ids: 'bulletin.error.chooseItems' } });
  assert.deepEqual(blockPatch('calls', { title: 'Appels', mode: 'closing', days: '14', limit: '5' }), { ok: true, patch: { title: 'Appels', mode: 'closing', days: 14, limit: 5 } });
  const editorial = blockPatch('editorial', { title: '', html: 'Bonjour\n\nà vous & à nous' });
  assert.deepEqual(editorial, { ok: true, patch: { title: '', html: '<p>Bonjour</p><p>à vous &amp; à nous</p>' } });
});
