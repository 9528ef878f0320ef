import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { migrations } from '../../db/migrations/index.js';
import { forEachDialect, type TestDb, testDb } from '../../../test/helpers/db.js';
import { systemClock } from '../../kernel/clock.js';
import { directoryIds, searchDirectory } from './directory-search.js';
import { organisationsOfUser } from './repo.js';
import { createOrganisation, draftOf, sortNameOf, taxonomies, taxonomyCodes, updateOrganisation } from './service.js';
import type { DirectoryFilter } from './types.js';
import { validateOrganisation } from './validate.js';

const actor = { id: null, email: null };
/** The names in the order a French reader expects (accents and case do not count, spaces do). */
const FRENCH_ORDER = ['Aide et Action Aquitaine', 'école de la Paix', 'Écoles du monde', 'Œuvres solidaires', 'Zébu'];

function filter(overrides: Partial<DirectoryFilter> = {}): DirectoryFilter {
  return { kinds: [], departments: [], themes: [], countries: [], zones: [], sdgs: [], visibility: ['public'], sort: 'name', limit: 50, offset: 0, ...overrides };
}

test('the sort key folds case, accents and ligatures, and turns punctuation into single spaces', () => {
  assert.equal(sortNameOf('  Écoles du Monde '), 'ecoles du monde');
  assert.equal(sortNameOf("L'Œuvre — « Solidarité »  2026"), 'l oeuvre solidarite 2026');
  assert.equal(sortNameOf('Les Amis de Bolama'), 'les amis de bolama', 'leading articles are kept');
  assert.equal(sortNameOf('ÇA-VA'), 'ca va');
});

forEachDialect('names in French order', (dialect) => {
  let db: TestDb;
  const ids = new Map<string, string>();

  before(async () => {
    db = await testDb(dialect);
    const codes = taxonomyCodes(await taxonomies(db.db));
    // Created out of order, so that neither insertion nor ids give the expected order.
    for (const name of ['Zébu', 'Écoles du monde', 'Œuvres solidaires', 'école de la Paix', 'Aide et Action Aquitaine']) {
      const result = validateOrganisation({ name, kind_code: 'association' }, codes, { currentYear: 2026 });
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      ids.set(name, (await createOrganisation({ db: db.db, clock: systemClock }, actor, result.draft)).id);
    }
  });
  after(() => db.close());

  test('sorting by name puts "Écoles…" with the e’s, not after "Zébu", on this dialect too', async () => {
    const page = await searchDirectory(db.db, db.dialect, filter(), []);
    assert.deepEqual(page.rows.map((r) => r.name), FRENCH_ORDER);
    const exported = await directoryIds(db.db, db.dialect, filter(), []);
    assert.deepEqual(exported, FRENCH_ORDER.map((n) => ids.get(n)));
  });

  test('a rename keeps the sort key up to date', async () => {
    const id = ids.get('Zébu')!;
    const [found] = (await searchDirectory(db.db, db.dialect, filter(), [])).rows.filter((r) => r.id === id);
    await updateOrganisation({ db: db.db, clock: systemClock }, actor, id, { ...draftOf(found!), name: 'Ânes du Sahel' });
    const page = await searchDirectory(db.db, db.dialect, filter(), []);
    assert.deepEqual(page.rows.map((r) => r.name), ['Aide et Action Aquitaine', 'Ânes du Sahel', 'école de la Paix', 'Écoles du monde', 'Œuvres solidaires']);
    const row = await db.db.selectFrom('organisations').select('sort_name').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.sort_name, 'anes du sahel');
    await updateOrganisation({ db: db.db, clock: systemClock }, actor, id, { ...draftOf(found!), name: 'Zébu' });
  });

  test('an account’s organisations come in the same order', async () => {
    const now = new Date().toISOString();
    await db.db
      .insertInto('users')
      .values({ id: '0190f0f0-0000-7000-8000-000000000001', email: 'ordre@example.org', email_lower: 'ordre@example.org', display_name: 'Ordre', role: 'member', status: 'active', password_hash: null, locale: 'fr', source: 'manual', created_at: now, updated_at: now, last_login_at: null })
      .execute();
    for (const id of ids.values()) {
      await db.db.insertInto('user_organisations').values({ user_id: '0190f0f0-0000-7000-8000-000000000001', organisation_id: id, created_at: now }).execute();
    }
    const mine = await organisationsOfUser(db.db, '0190f0f0-0000-7000-8000-000000000001');
    assert.deepEqual(mine.map((o) => o.name), FRENCH_ORDER);
  });

  test('the migration backfills the sort key of existing rows, and rolls back cleanly', async () => {
    // Its own down and up, around rows written without the column (later migrations stay as they are).
    const migration = migrations['2026-11-29T1140_organisation_sort_name']!;
    await migration.down!(db.db);
    const columns = (await db.db.introspection.getTables()).find((t) => t.name === 'organisations')!.columns.map((c) => c.name);
    assert.ok(!columns.includes('sort_name'), 'down removes the column');
    const now = new Date().toISOString();
    // Rows written before the column existed (raw SQL: the typed schema has the column).
    const raw = db.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    await raw
      .insertInto('organisations')
      .values({ id: '0190f0f0-0000-7000-8000-0000000000a1', slug: 'ecole-ancienne', name: "L'École ancienne — Œuvre", kind_code: 'association', created_at: now, updated_at: now })
      .execute();
    await migration.up(db.db);
    // Every row is backfilled (the column was dropped), with the migration's frozen copy of the folding.
    const rows = await db.db.selectFrom('organisations').select(['name', 'sort_name']).orderBy('sort_name').orderBy('id').execute();
    assert.equal(rows.length, 6);
    for (const row of rows) assert.equal(row.sort_name, sortNameOf(row.name), `backfilled like the application for ${row.name}`);
    assert.ok(rows.some((r) => r.sort_name === 'l ecole ancienne oeuvre'));
    // Byte order on both dialects (PostgreSQL: the column's "C" collation, whatever the database's).
    const names = rows.map((r) => r.sort_name);
    assert.deepEqual(names, [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    if (dialect === 'postgres') {
      const collation = await sql<{ collation_name: string }>`select collation_name from information_schema.columns where table_name = 'organisations' and column_name = 'sort_name'`.execute(db.db);
      assert.equal(collation.rows[0]?.collation_name, 'C');
    }
  });
});
