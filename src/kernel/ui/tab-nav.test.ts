import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TabNav } from './tab-nav.js';

const TABS = [
  { href: '/admin/lettres', label: 'Envois', current: false },
  { href: '/recherche?rubrique=agenda', label: 'Agenda', count: 1240, current: true, attrs: { 'data-inbox-status': 'new' } },
  { href: '/x', label: '<b>Réglages</b>', count: 0, current: false },
];

test('tabs: a labelled nav of links, only the current one marked, counts written as the locale writes numbers', async () => {
  const html = await TabNav({ ctx: { locale: 'fr' }, label: 'Rubriques', tabs: TABS });
  assert.match(html, /^<nav class="tab-nav" aria-label="Rubriques"><ul>/);
  assert.equal(html.match(/<li>/g)?.length, 3);
  assert.equal(html.match(/aria-current=/g)?.length, 1);
  assert.match(html, /<a href="\/recherche\?rubrique=agenda" data-inbox-status="new" aria-current="page">Agenda \(1\u202f240\)<\/a>/);
  assert.match(html, /<a href="\/admin\/lettres">Envois<\/a>/);
  // A label is text, never markup.
  assert.match(html, />&lt;b>Réglages&lt;\/b> \(0\)<\/a>/);
  assert.match(await TabNav({ ctx: { locale: 'en' }, label: 'Sections', tabs: TABS }), />Agenda \(1,240\)<\/a>/);
});
