import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../../../test/helpers/db.js';
import { type TestDb, testDb } from '../../../test/helpers/db.js';
import { tableColumns } from './journal-repo.js';
import { keyOf, looksLikeReference, NOT_REPOINTED, REFERENCES, registeredColumns } from './references.js';

forEachDialect('merge: every reference to an organisation or a contact is registered', (dialect) => {
  let db: TestDb;
  let columns: Map<string, string[]>;

  before(async () => {
    db = await testDb(dialect);
    columns = await tableColumns(db.db);
  });
  after(() => db.close());

  test('a column of the database naming an organisation or a contact is repointed, or excluded with a reason', () => {
    const registered = registeredColumns();
    const missing: string[] = [];
    for (const [table, names] of columns) {
      for (const column of names) {
        const name = `${table}.${column}`;
        if (looksLikeReference(column) && !registered.has(name) && !(name in NOT_REPOINTED)) missing.push(name);
      }
    }
    assert.deepEqual(missing, [], 'register these columns in src/modules/merge/references.ts (REFERENCES or NOT_REPOINTED)');
    // The check itself sees the tables that exist: it would catch a new one.
    assert.ok(registered.has('organisation_themes.organisation_id'));
    assert.ok(columns.get('contact_roles')?.includes('organisation_id'));
  });

  test('every registered reference names a column that exists, with its key', () => {
    const stale: string[] = [];
    for (const ref of REFERENCES) {
      const names = columns.get(ref.table);
      const refColumns = ref.kind === 'pair' ? ref.columns : [ref.column];
      for (const c of [...refColumns, ...keyOf(ref.table), ...(ref.kind === 'column' ? [...(ref.unique ?? []), ...(ref.scope ? [ref.scope.column] : []), ...(ref.exclusiveFlag ? [ref.exclusiveFlag] : [])] : [])]) {
        if (!names?.includes(c)) stale.push(`${ref.table}.${c}`);
      }
    }
    assert.deepEqual(stale, []);
  });

  test('the reference detector recognises the shapes of reference columns', () => {
    for (const c of ['organisation_id', 'organisation_a_id', 'organisation_b_id', 'contact_id', 'parent_organisation_id', 'entity_id']) assert.ok(looksLikeReference(c), c);
    for (const c of ['id', 'organisation_name', 'contact_email', 'user_id']) assert.ok(!looksLikeReference(c), c);
  });
});
