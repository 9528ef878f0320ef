import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { forEachDialect, type TestDb, testDb } from '../../../test/helpers/db.js';
import { createBatch, type ImportDeps, inspectFile, queueCommit, runCommit, validateBatch } from './index.js';

const actor = { id: null, email: null };
const LEGAL = { basis: 'legitimate_interest' as const, detail: 'Membre d’un réseau prédécesseur', date: '2016-09-01' };
const CSV = [
  'Réf;Nom structure;CP;Ville;Thématiques;Contact',
  'R1;Association Lune;33000;Bordeaux;Santé;Awa Diop',
  'R2;Collectif Soleil;47000;Agen;Éducation;Jean Martin',
  'R3;Réseau Étoile;33600;Pessac;Santé;Léa Petit',
  '',
].join('\n');

// What an import writes in bulk (one statement per table and chunk; on SQLite the full-text index
// filled per chunk, with the per-row triggers set aside) must read back exactly as rows written
// one by one: found by the search, kept right when renamed, seen by the directory's change counter.
forEachDialect('imports: records written in bulk are searchable and kept up to date like any other', (dialect) => {
  let db: TestDb;
  let deps: ImportDeps;

  before(async () => {
    db = await testDb(dialect);
    deps = { db: db.db, dialect, sqlite: db.sqlite, clock: { now: () => new Date() }, dataDir: db.dataDir };
  });
  after(() => db.close());

  /** Ids of the organisations the search finds for a word prefix, as the directory searches. */
  async function search(word: string): Promise<string[]> {
    const rows =
      dialect === 'sqlite'
        ? await sql<{ id: string }>`select organisation_id as id from organisations_fts where organisations_fts match ${`"${word}"*`}`.execute(db.db)
        : await sql<{ id: string }>`select id from organisations where search_vector @@ to_tsquery('simple', ${`${word}:*`})`.execute(db.db);
    return rows.rows.map((r) => r.id).sort();
  }
  const version = async () => Number((await db.db.selectFrom('change_counters').select('version').where('name', '=', 'directory').executeTakeFirstOrThrow()).version);

  test('each imported organisation is found once by its name; a rename is found under the new name only; the directory sees the change', async () => {
    const file = path.join(db.dataDir, 'trois.csv');
    fs.writeFileSync(file, CSV);
    const inspection = await inspectFile(deps, file, fs.statSync(file).size);
    const batch = await createBatch(deps, actor, { filePath: file, fileName: 'trois.csv', sourceName: 'bulk', inspection });
    await validateBatch(deps, batch.id);
    await queueCommit(deps, batch.id, { mode: 'valid-only', legalBasis: LEGAL, inline: true });
    const versionBefore = await version();
    // Two chunks: the second one's index rows follow the first one's.
    await runCommit(deps, actor, batch.id, { chunkRows: 2 });
    assert.ok((await version()) > versionBefore, 'the directory’s change counter moved');

    const imported = await db.db.selectFrom('organisations').select(['id', 'name']).where('import_batch_id', '=', batch.id).orderBy('source_row').execute();
    assert.equal(imported.length, 3);
    for (const [organisation, word] of imported.map((o, i) => [o, ['lune', 'soleil', 'etoile'][i]!] as const)) {
      assert.deepEqual(await search(word), [organisation.id], `« ${organisation.name} » is found once`);
    }
    if (dialect === 'sqlite') {
      const quiet = await sql<{ n: number }>`select count(*) as n from import_bulk_writes`.execute(db.db);
      assert.equal(Number(quiet.rows[0]!.n), 0, 'no transaction but the import’s own ever sees the bulk-write mark');
    }

    // A rename goes through the update trigger, which finds the row through the index's map.
    const soleil = imported[1]!;
    await db.db.updateTable('organisations').set({ name: 'Collectif Aurore', search_text: 'collectif aurore agen' }).where('id', '=', soleil.id).execute();
    assert.deepEqual(await search('aurore'), [soleil.id]);
    assert.deepEqual(await search('soleil'), [], 'the old name is gone from the index');

    // An organisation written outside an import still enters the index through the row trigger.
    const before = await version();
    await db.db
      .insertInto('organisations')
      .values({ id: 'manual-1', slug: 'maison-nebuleuse', name: 'Maison Nébuleuse', kind_code: 'other', visibility: 'public', is_member: 0, source: 'manual', search_text: 'maison nebuleuse', sort_name: 'maison nebuleuse', created_at: new Date().toISOString(), updated_at: new Date().toISOString() })
      .execute();
    assert.deepEqual(await search('nebuleuse'), ['manual-1']);
    assert.ok((await version()) > before);

    // Undoing removes them from the search.
    await db.db.deleteFrom('organisations').where('import_batch_id', '=', batch.id).execute();
    assert.deepEqual(await search('lune'), []);
  });
});
