import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { migrations } from '../../db/migrations/index.js';
import { forEachDialect, type TestDb, testDb } from '../../../test/helpers/db.js';
import { newId } from '../../kernel/ids.js';
import { insertTestEvent } from './test-fixtures-repo.js';

forEachDialect('the seats’ version moved by registrations (migration 1730)', (dialect) => {
  let db: TestDb;
  before(async () => {
    db = await testDb(dialect);
  });
  after(() => db.close());

  const version = async () => Number((await db.db.selectFrom('change_counters').select('version').where('name', '=', 'registrations').executeTakeFirst())?.version ?? -1);

  test('a registration added, its status changed, or deleted moves it; a reminder noted does not; down and up again', async () => {
    const event = await insertTestEvent(db.db);
    const id = newId();
    const at = new Date().toISOString();
    const v0 = await version();
    await db.db
      .insertInto('registrations')
      .values({ id, event_id: event.id, status: 'registered', sequence: 1, email: 'a@example.org', email_lower: 'a@example.org', first_name: 'Awa', last_name: 'Diallo', phone: null, organisation_id: null, organisation_name: null, organisation_kind: null, organisation_department: null, contact_id: null, user_id: null, answers: '{}', token_hash: `h${id}`, consent_at: at, confirmed_at: at, promoted_at: null, cancelled_at: null, reminder_sent_at: null, source: 'public', created_by: null, created_at: at, updated_at: at })
      .execute();
    const v1 = await version();
    assert.ok(v1 > v0, 'an insert moves it');
    await db.db.updateTable('registrations').set({ reminder_sent_at: at }).where('id', '=', id).execute();
    assert.equal(await version(), v1, 'a reminder frees no seat');
    await db.db.updateTable('registrations').set({ status: 'cancelled' }).where('id', '=', id).execute();
    const v2 = await version();
    assert.ok(v2 > v1, 'a status change moves it');
    await db.db.deleteFrom('registrations').where('id', '=', id).execute();
    assert.ok((await version()) > v2, 'a deletion moves it');

    const migration = migrations['2026-12-03T1800_registrations_version']!;
    await migration.down!(db.db);
    assert.equal(await version(), -1, 'down removes the counter');
    await migration.up(db.db);
    assert.equal(await version(), 0);
  });
});
