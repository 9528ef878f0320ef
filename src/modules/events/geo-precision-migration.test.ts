import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Kysely } from 'kysely';
import { migrations } from '../../db/migrations/index.js';
import { forEachDialect, type TestDb, testDb } from '../../../test/helpers/db.js';

forEachDialect('how an event’s position was found (migration 1720)', (dialect) => {
  let db: TestDb;
  before(async () => {
    db = await testDb(dialect);
  });
  after(() => db.close());

  test('positions from before the column were typed by a person: « manual »; none stays unknown; down removes the column', async () => {
    const migration = migrations['2026-12-03T1720_event_geo_precision']!;
    const columns = async () => (await db.db.introspection.getTables()).find((t) => t.name === 'events')!.columns.map((c) => c.name);
    await migration.down!(db.db);
    assert.ok(!(await columns()).includes('geo_precision'), 'down removes the column');
    // Events written before the column existed (raw: the typed schema has it).
    const raw = db.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    const now = new Date().toISOString();
    const event = (id: string, slug: string, position: [number, number] | null) => ({
      id,
      slug,
      title: slug,
      type_code: 'network_meeting',
      status: 'published',
      starts_at: '2030-06-12T12:30:00.000Z',
      ends_at: '2030-06-12T15:00:00.000Z',
      all_day: 0,
      time_zone: 'Europe/Paris',
      address: '12 rue Sainte-Catherine',
      commune_code: '33063',
      latitude: position?.[0] ?? null,
      longitude: position?.[1] ?? null,
      online_url_private: 0,
      registration_open: 0,
      waitlist_enabled: 1,
      account_required: 0,
      questions: '[]',
      source: 'staff',
      search_text: slug,
      created_at: now,
      updated_at: now,
    });
    await raw
      .insertInto('events')
      .values([event('0190f0f0-0000-7000-8000-00000000e720', 'placee', [44.8411, -0.5735]), event('0190f0f0-0000-7000-8000-00000000e721', 'sans-position', null)])
      .execute();
    await migration.up(db.db);
    const rows = await db.db.selectFrom('events').select(['slug', 'geo_precision']).orderBy('slug').execute();
    assert.deepEqual(
      rows.map((r) => [r.slug, r.geo_precision]),
      [
        ['placee', 'manual'],
        ['sans-position', null],
      ],
    );
  });
});
