import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { newId } from '../../kernel/ids.js';
import { indexText, searchTokens } from '../../kernel/search/normalise.js';
import * as repo from './repo.js';

// The archive search at scale (migration 1320): newest first whatever the insert order, kept items
// only (the index follows keep / ignore / edits / removals), and a count that stops at 1,000.

forEachDialect('watch: archive search index and capped count', (dialect) => {
  let t: TestApp;
  const sourceId = newId();
  const at = '2026-11-29T10:00:00.000Z';

  function item(n: number, title: string, publishedAt: string, status = 'kept'): repo.NewItem {
    return {
      id: newId(),
      source_id: sourceId,
      guid: `g${n}`,
      link_key: null,
      title_key: `t${n}`,
      link: `https://archive.example/${n}`,
      title,
      summary_html: null,
      excerpt: '',
      author: null,
      published_at: publishedAt,
      date_missing: 0,
      content_hash: `h${n}`,
      status,
      category: null,
      note: null,
      decided_by: null,
      decided_at: null,
      search_text: indexText(title),
      first_seen_at: at,
      updated_at: at,
    };
  }
  const search = (q: string, offset = 0) => repo.searchArchive(t.kernel.db, dialect, { tokens: searchTokens(q) }, offset, 20);

  before(async () => {
    t = await testApp(dialect);
    await t.kernel.db
      .insertInto('watch_sources')
      .values({ id: sourceId, url: 'https://archive.example/feed.xml', name: 'Archive', category: null, site_url: null, etag: null, last_modified: null, last_fetched_at: null, last_success_at: null, last_error: null, next_fetch_at: null, created_by: null, created_at: at, updated_at: at })
      .execute();
  });
  after(async () => {
    await t.close();
  });

  test('newest first whatever the insert order; accents, case and prefixes; kept items only', async () => {
    const items = [
      item(1, 'Coopération décentralisée au Mali', '2024-03-01T08:00:00.000Z'),
      item(2, 'Appel à projets coopération', '2026-01-15T08:00:00.000Z'),
      item(3, 'Rapport COOPERATION jeunesse', '2025-06-30T08:00:00.000Z'),
      item(4, 'Coopération : brouillon non gardé', '2026-11-01T08:00:00.000Z', 'new'),
    ];
    await repo.insertItems(t.kernel.db, items, [], []);
    const found = await search('coopé');
    assert.deepEqual(
      found.items.map((i) => i.title),
      ['Appel à projets coopération', 'Rapport COOPERATION jeunesse', 'Coopération décentralisée au Mali'],
    );
    assert.equal(found.total, 3);
    assert.equal(found.capped, false);
    assert.equal(found.items[0]!.source_name, 'Archive');
    assert.deepEqual((await search('cooperation decentralisee')).items.map((i) => i.title), ['Coopération décentralisée au Mali']);
    assert.equal((await search('cooperation', 1)).items[0]!.title, 'Rapport COOPERATION jeunesse');
    // Longer than the indexed prefixes (10 letters): still a word prefix, nothing looser.
    assert.deepEqual((await search('décentralis')).items.map((i) => i.title), ['Coopération décentralisée au Mali']);
    assert.deepEqual((await search('decentralisation')).items, []);
    assert.deepEqual((await search('entralisee')).items, [], 'a prefix of a word, not a part of it');

    // Keep, ignore, edit, remove: the index follows.
    await repo.setItemStatus(t.kernel.db, items[3]!.id, 'kept', null, at);
    assert.equal((await search('brouillon')).total, 1);
    await repo.setItemStatus(t.kernel.db, items[0]!.id, 'ignored', null, at);
    assert.deepEqual((await search('mali')).items, []);
    const edited = { ...items[1]!, title: 'Appel à projets solidarité', search_text: indexText('Appel à projets solidarité'), published_at: '2023-01-01T08:00:00.000Z' };
    await repo.updateItemContent(t.kernel.db, items[1]!.id, edited);
    assert.deepEqual((await search('appel')).items.map((i) => i.title), ['Appel à projets solidarité']);
    assert.deepEqual((await search('cooperation')).items.map((i) => i.title), ['Coopération : brouillon non gardé', 'Rapport COOPERATION jeunesse']);
    assert.deepEqual((await search('solidarite projet')).items.map((i) => i.published_at.slice(0, 10)), ['2023-01-01']);
    await t.kernel.db.deleteFrom('watch_items').where('id', '=', items[2]!.id).execute();
    assert.deepEqual((await search('jeunesse')).items, []);
  });

  test('beyond 1,000 matches the count stops and the page says so; paging still goes on', async () => {
    const many = Array.from({ length: 1030 }, (_, n) => item(1000 + n, `Financement ${n}`, new Date(Date.UTC(2020, 0, 1) + ((n * 7919) % 1030) * 3_600_000).toISOString()));
    await repo.insertItems(t.kernel.db, many, [], []);
    const first = await search('financement');
    assert.equal(first.capped, true);
    assert.ok(first.total > repo.ARCHIVE_COUNT_CAP && first.total <= 1030, 'a lower bound above the cap');
    assert.equal(first.more, true);
    const dates = first.items.map((i) => i.published_at);
    assert.deepEqual(dates, [...dates].sort().reverse());
    assert.equal(dates[0], [...many.map((i) => i.published_at)].sort().at(-1));
    const last = await search('financement', 1020);
    assert.equal(last.items.length, 10);
    assert.equal(last.items.at(-1)!.published_at, [...many.map((i) => i.published_at)].sort()[0]);
    assert.equal((await search('financement 1029')).total, 1);

    const visitor = t.client();
    let res = await visitor.get('/veille?q=financement');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Plus de 1\u202f000 informations/);
    assert.match(res.body, /rel="next"/);
    res = await visitor.get('/veille?q=financement&page=51');
    assert.match(res.body, /rel="next"/);
    res = await visitor.get('/veille?q=financement&page=52');
    assert.match(res.body, /Financement/);
    assert.doesNotMatch(res.body, /rel="next"/);
    // A page past the last is counted to the end, and sent to the true last page (not the cap's).
    assert.equal((await search('financement', 1200)).total, 1030);
    res = await visitor.get('/veille?q=financement&page=60');
    assert.equal(res.statusCode, 302);
    assert.equal(res.headers.location, '/veille?q=financement&page=52');
    res = await visitor.get('/recherche?q=financement&rubrique=veille&page=60');
    assert.equal(res.headers.location, '/recherche?q=financement&rubrique=veille&page=52');
    res = await visitor.get('/veille?q=financement+1029');
    assert.match(res.body, /1 information/);
  });
});
