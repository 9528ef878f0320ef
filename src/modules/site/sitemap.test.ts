import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderSitemapIndex, renderUrlSet } from './sitemap.js';

test('past 50,000 URLs the sitemap becomes an index of its parts', () => {
  const index = renderSitemapIndex(2, 'https://reseau.example');
  assert.match(index, /<sitemapindex xmlns="http:\/\/www\.sitemaps\.org\/schemas\/sitemap\/0\.9">/);
  assert.deepEqual([...index.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]), [
    'https://reseau.example/sitemap.xml?partie=1',
    'https://reseau.example/sitemap.xml?partie=2',
  ]);
});

test('sitemap URLs are escaped XML with a day as last change', () => {
  const xml = renderUrlSet([{ path: '/acteurs/a&b', lastmod: '2026-11-29T23:30:00.000Z' }], 'https://reseau.example');
  assert.match(xml, /<url><loc>https:\/\/reseau\.example\/acteurs\/a&amp;b<\/loc><lastmod>2026-11-29<\/lastmod><\/url>/);
});
