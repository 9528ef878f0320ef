import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Kysely } from 'kysely';
import { migrations } from '../../db/migrations/index.js';
import { forEachDialect, type TestDb, testDb } from '../../../test/helpers/db.js';
import { insertTestEvent } from './test-fixtures-repo.js';

forEachDialect('registration language (migration 1590)', (dialect) => {
  let db: TestDb;
  before(async () => {
    db = await testDb(dialect);
  });
  after(() => db.close());

  test('registrations from before the column read French; down removes it, up brings it back', async () => {
    const migration = migrations['2026-11-30T1590_registration_locale']!;
    const columns = async () => (await db.db.introspection.getTables()).find((t) => t.name === 'registrations')!.columns.map((c) => c.name);
    const event = await insertTestEvent(db.db);
    await migration.down!(db.db);
    assert.ok(!(await columns()).includes('locale'), 'down removes the column');
    // A registration written before the column existed (raw: the typed schema has it).
    const now = new Date().toISOString();
    const raw = db.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    await raw
      .insertInto('registrations')
      .values({ id: '0190f0f0-0000-7000-8000-00000000f590', event_id: event.id, status: 'registered', sequence: 1, email: 'ancienne@example.org', email_lower: 'ancienne@example.org', last_name: 'Ancienne', answers: '{}', token_hash: 'x', source: 'web', created_at: now, updated_at: now })
      .execute();
    await migration.up(db.db);
    const row = await db.db.selectFrom('registrations').select('locale').where('email_lower', '=', 'ancienne@example.org').executeTakeFirstOrThrow();
    assert.equal(row.locale, 'fr');
    // Not null, French unless said: a row inserted without it is French too.
    await raw
      .insertInto('registrations')
      .values({ id: '0190f0f0-0000-7000-8000-00000000f591', event_id: event.id, status: 'registered', sequence: 2, email: 'nouvelle@example.org', email_lower: 'nouvelle@example.org', last_name: 'Nouvelle', answers: '{}', token_hash: 'y', source: 'staff', created_at: now, updated_at: now })
      .execute();
    assert.deepEqual((await db.db.selectFrom('registrations').select('locale').orderBy('sequence').execute()).map((r) => r.locale), ['fr', 'fr']);
    await assert.rejects(raw.updateTable('registrations').set({ locale: null }).execute(), 'never empty');
  });
});
