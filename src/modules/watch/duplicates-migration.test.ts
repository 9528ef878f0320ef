import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { migrations } from '../../db/migrations/index.js';
import { forEachDialect, type TestDb, testDb } from '../../../test/helpers/db.js';

const INDEXES = ['watch_sources_feed_url_idx', 'watch_sources_self_url_idx', 'watch_sources_feed_key_idx', 'watch_items_any_guid_idx', 'watch_items_any_link_idx', 'calls_watch_item_idx', 'news_articles_watch_item_idx'];

forEachDialect('watch duplicates (migration 1610)', (dialect) => {
  let db: TestDb;
  before(async () => {
    db = await testDb(dialect);
  });
  after(() => db.close());

  test('down removes the feed columns and the look-up indexes; up brings them back', async () => {
    const migration = migrations['2026-12-02T1610_watch_duplicates']!;
    const columns = async () => (await db.db.introspection.getTables()).find((t) => t.name === 'watch_sources')!.columns.map((c) => c.name);
    const indexes = async () => {
      const rows =
        dialect === 'sqlite'
          ? (await sql<{ name: string }>`select name from sqlite_master where type = 'index'`.execute(db.db)).rows
          : (await sql<{ name: string }>`select indexname as name from pg_indexes`.execute(db.db)).rows;
      return new Set(rows.map((r) => r.name));
    };
    for (const column of ['feed_url', 'self_url', 'feed_key']) assert.ok((await columns()).includes(column), column);
    for (const index of INDEXES) assert.ok((await indexes()).has(index), index);
    await migration.down!(db.db);
    for (const column of ['feed_url', 'self_url', 'feed_key']) assert.ok(!(await columns()).includes(column), column);
    for (const index of INDEXES) assert.ok(!(await indexes()).has(index), index);
    await migration.up(db.db);
    for (const column of ['feed_url', 'self_url', 'feed_key']) assert.ok((await columns()).includes(column), column);
    for (const index of INDEXES) assert.ok((await indexes()).has(index), index);
  });
});
