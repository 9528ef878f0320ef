// `maillage import` of a file whose batch exists already (not committed, not resumable): the command
// reads that batch, reads the file, then writes its reading and mapping to the batch, only if
// nobody wrote to it meanwhile; a validation from the web or another command on that batch at the
// same time leaves one report. And what `--save-mapping` keeps when the batch is refused. Runs the
// command's own function, as src/cli.ts does.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { type Kysely, type RootOperationNode, TableNode } from 'kysely';
import { testConfig } from '../../../test/helpers/app.js';
import { forEachDialect, type TestDb, testDb } from '../../../test/helpers/db.js';
import { meeting, PROBLEMS_CSV, reportOf, validationJob } from '../../../test/helpers/import-batches.js';
import type { Database } from '../../db/schema.js';
import { createDb, type DbHandle } from '../../kernel/db/create-db.js';
import { createKernel } from '../../kernel/create-kernel.js';
import { type BatchRow, createBatch, findBatch, findSavedMapping, type ImportDeps, ImportError, inspectFile, provideDuplicateFinder, runImportCommand } from './index.js';
import { mappingEditable, startValidation } from './batches.js';
import { EXIT } from './cli.js';
import { issuePage } from './wizard-repo.js';

const FILE = ['Réf;Nom structure;Ville', 'C1;Eau Vive Gironde;Bordeaux', 'C2;Solidarité Pessac;Pessac'].join('\r\n');

/** The kernel's database, on which `then` runs (and is waited for) right after the first read that returns the row `id`. */
function afterFirstRead(db: Kysely<Database>, id: string, then: () => Promise<void>): Kysely<Database> {
  let done = false;
  return db.withPlugin({
    transformQuery: ({ node }) => node,
    transformResult: async ({ result }) => {
      if (!done && result.rows.some((row) => row['id'] === id)) {
        done = true;
        await then();
      }
      return result;
    },
  });
}

/** The table an update or an insert writes to. */
function writesTo(node: RootOperationNode): string | undefined {
  const table = node.kind === 'UpdateQueryNode' ? node.table : node.kind === 'InsertQueryNode' ? node.into : undefined;
  return table && TableNode.is(table) ? table.table.identifier.name : undefined;
}

/** The kernel's database, on which `then` runs (and is waited for) right after the first update of, or insert into, `table`. */
function afterFirstWrite(db: Kysely<Database>, table: string, then: () => Promise<void>): Kysely<Database> {
  const writes = new WeakSet<object>();
  let done = false;
  return db.withPlugin({
    transformQuery: ({ node, queryId }) => {
      if (writesTo(node) === table) writes.add(queryId);
      return node;
    },
    transformResult: async ({ result, queryId }) => {
      if (!done && writes.has(queryId)) {
        done = true;
        await then();
      }
      return result;
    },
  });
}

/** The command's kernel on a fresh database, and the web process on a connection of its own. */
async function setUp(t: { after: (fn: () => Promise<void>) => void }, dialect: 'sqlite' | 'postgres') {
  const db: TestDb = await testDb(dialect);
  const kernel = createKernel(testConfig(db, 'smtp://127.0.0.1:9'), { dbHandle: db });
  const other: DbHandle = createDb(db.url);
  t.after(async () => {
    await other.close();
    await kernel.mail.close();
    await db.close();
  });
  const jobs = { enqueue: async () => undefined } as unknown as ImportDeps['jobs'];
  const web: ImportDeps = { db: other.db, dialect, sqlite: other.sqlite, clock: kernel.clock, dataDir: db.dataDir, jobs };
  const count = async (table: 'import_issues' | 'organisations' | 'contacts') =>
    Number((await kernel.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { db, kernel, other, web, count };
}

/** The report of a batch as staff download it, without its header: one CSV line per issue. */
async function reportLines(deps: ImportDeps, batchId: string): Promise<string[]> {
  return (await reportOf(deps, batchId)).replace(/^\uFEFF/, '').trim().split('\r\n').slice(1);
}

forEachDialect('maillage import: an existing batch changed meanwhile', (dialect) => {
  test('the batch changed from the web while the command read the file: refused in French, nothing written', async (t) => {
    const { db, kernel, web, count } = await setUp(t, dialect);
    const file = path.join(db.dataDir, 'adherents.csv');
    fs.writeFileSync(file, FILE);

    // The same file from the same source, uploaded in the wizard and left there.
    const inspection = await inspectFile(web, file, fs.statSync(file).size);
    const batch = await createBatch(web, { id: null, email: null }, { filePath: file, fileName: 'adherents.csv', sourceName: 'adherents', inspection });
    // Once the command has read that batch, staff start its check from the web.
    let changed: BatchRow | undefined;
    const command = { ...kernel, db: afterFirstRead(kernel.db, batch.id, async () => void (changed = await startValidation(web, batch.id))) };

    const lines: string[] = [];
    await assert.rejects(
      runImportCommand(command, { file, source: 'adherents', mode: 'valid-only', visibility: 'staff', encoding: 'windows-1252' }, { log: (line) => lines.push(line) }),
      (e: unknown) =>
        // What `maillage` prints for it, exit code 1 (src/cli.ts).
        e instanceof ImportError &&
        e.name === 'ImportError' &&
        e.message ===
          'Cet import a changé entre-temps (une vérification lancée, une lecture ou une correspondance enregistrée depuis une autre page)\u00a0: rien n’a été modifié. Relisez sa page, puis recommencez.',
    );
    assert.ok(lines.some((l) => l.includes('adherents.csv')), `the command read the file:\n${lines.join('\n')}`);
    assert.ok(!lines.some((l) => l.startsWith('Validation')), 'and validated nothing');

    // The check started from the web stands: neither this run's reading (windows-1252) nor its mapping (staff).
    assert.equal(changed?.status, 'validating');
    assert.deepEqual(await findBatch(kernel.db, batch.id), changed);
    assert.equal(JSON.parse(changed.detection).text.encoding, inspection.detection.text!.encoding);
    assert.notEqual(JSON.parse(changed.mapping!).visibility, 'staff');
    assert.ok(!fs.existsSync(path.join(db.dataDir, 'imports', `rapport-${batch.id}.csv`)), 'no report file');
    assert.deepEqual([await count('import_issues'), await count('organisations'), await count('contacts')], [0, 0, 0]);
  });

  test('the check started from the web and `maillage import` of the same file validate the same batch at once: one report, each issue once, imported once', async (t) => {
    const { db, kernel, other, web, count } = await setUp(t, dialect);
    const file = path.join(db.dataDir, 'problemes.csv');
    fs.writeFileSync(file, Buffer.from(PROBLEMS_CSV, 'latin1'));
    // Uploaded in the wizard, its check started: the job is due.
    const inspection = await inspectFile(web, file, fs.statSync(file).size);
    const batch = await createBatch(web, { id: null, email: null }, { filePath: file, fileName: 'problemes.csv', sourceName: 'problemes', inspection });
    await startValidation(web, batch.id);

    // The job finds the batch being checked, then the command takes that batch (its reading and
    // mapping written to it) before the job reads it again; both read the whole file before either
    // writes its report (the duplicate finder holds them there).
    let taken!: () => void;
    const commandTookIt = new Promise<void>((resolve) => (taken = resolve));
    const job = validationJob({ ...web, db: afterFirstRead(other.db, batch.id, () => commandTookIt) });
    const command = { ...kernel, db: afterFirstWrite(kernel.db, 'import_batches', async () => taken()) };
    const meet = meeting(2);
    provideDuplicateFinder(() => async () => {
      await meet.hold();
      return [];
    });
    const lines: string[] = [];
    let runs: PromiseSettledResult<unknown>[];
    try {
      runs = await Promise.allSettled([
        job(batch.id).finally(meet.leave),
        runImportCommand(command, { file, source: 'problemes', mode: 'valid-only' }, { log: (line) => lines.push(line) }).finally(() => {
          taken();
          meet.leave();
        }),
      ]);
    } finally {
      provideDuplicateFinder(null);
    }
    assert.deepEqual(
      runs.map((r) => (r.status === 'fulfilled' ? r.value : String(r.reason))),
      [undefined, EXIT.partial],
      `the job ends quietly, the command imports the valid rows:\n${lines.join('\n')}`,
    );
    const report = await reportLines(web, batch.id);
    assert.equal(new Set(report).size, report.length, `no issue listed twice:\n${report.join('\n')}`);
    assert.equal(report.length, 10, 'one report, not two');
    assert.equal((await issuePage(kernel.db, batch.id, 50, 0)).total, 10, 'the count the wizard pages by');
    const done = (await findBatch(kernel.db, batch.id))!;
    assert.deepEqual([done.status, done.total_rows, done.error_rows, done.created_organisations], ['committed', 4, 1, 3]);
    assert.equal(await count('organisations'), 3);
  });

  test('staff start the check from the web while `maillage import` validates the batch: refused, the wizard shows that validation going on; the command imports', async (t) => {
    const { db, kernel, web, count } = await setUp(t, dialect);
    const file = path.join(db.dataDir, 'problemes.csv');
    fs.writeFileSync(file, Buffer.from(PROBLEMS_CSV, 'latin1'));
    const inspection = await inspectFile(web, file, fs.statSync(file).size);
    const batch = await createBatch(web, { id: null, email: null }, { filePath: file, fileName: 'problemes.csv', sourceName: 'problemes', inspection });

    // Once the command wrote its first report lines, staff open the wizard and start the check.
    let seen: BatchRow | undefined;
    let refusal: unknown;
    const command = {
      ...kernel,
      db: afterFirstWrite(kernel.db, 'import_issues', async () => {
        seen = await findBatch(web.db, batch.id);
        refusal = await startValidation(web, batch.id).then(
          () => undefined,
          (e: unknown) => e,
        );
      }),
    };
    const lines: string[] = [];
    const exit = await runImportCommand(command, { file, source: 'problemes', mode: 'valid-only' }, { log: (line) => lines.push(line) });
    // The mapping step sends staff to the report step, which follows this validation's progress.
    assert.equal(seen?.status, 'validating');
    assert.equal(mappingEditable(seen!, kernel.clock.now()), false);
    assert.ok(refusal instanceof ImportError && refusal.key === 'imports.error.cannotCommit', `no second check started: ${String(refusal)}`);
    assert.equal(exit, EXIT.partial, lines.join('\n'));
    const done = (await findBatch(kernel.db, batch.id))!;
    assert.deepEqual([done.status, done.created_organisations], ['committed', 3]);
    assert.equal(await count('organisations'), 3);
    const report = await reportLines(web, batch.id);
    assert.deepEqual([report.length, new Set(report).size], [10, 10]);
  });

  test('another `maillage import` of the same file takes the batch while this one validates it: this one stops, says why in French, imports nothing', async (t) => {
    const { db, kernel, other, web, count } = await setUp(t, dialect);
    const file = path.join(db.dataDir, 'problemes.csv');
    fs.writeFileSync(file, Buffer.from(PROBLEMS_CSV, 'latin1'));
    const inspection = await inspectFile(web, file, fs.statSync(file).size);
    const batch = await createBatch(web, { id: null, email: null }, { filePath: file, fileName: 'problemes.csv', sourceName: 'problemes', inspection });

    // Once this command wrote its first report lines, the same command run from another terminal
    // (its own connection) takes the batch, validates and imports it.
    const second: string[] = [];
    let secondExit: number | undefined;
    const elsewhere = { ...kernel, db: other.db, dbHandle: other };
    const command = {
      ...kernel,
      db: afterFirstWrite(kernel.db, 'import_issues', async () => {
        secondExit = await runImportCommand(elsewhere, { file, source: 'problemes', mode: 'valid-only' }, { log: (line) => second.push(line) });
      }),
    };
    const lines: string[] = [];
    await assert.rejects(
      runImportCommand(command, { file, source: 'problemes', mode: 'valid-only' }, { log: (line) => lines.push(line) }),
      (e: unknown) =>
        e instanceof ImportError &&
        e.key === 'imports.error.validationReplaced' &&
        e.message ===
          'Une autre vérification de cet import a commencé entre-temps (depuis la page web ou une autre commande)\u00a0: celle-ci s’arrête sans rien importer, c’est le rapport de l’autre qui compte. Suivez-la sur la page de l’import (/admin/imports), puis relancez la commande si besoin.',
    );
    assert.equal(secondExit, EXIT.partial, second.join('\n'));
    assert.ok(!lines.some((l) => l.startsWith('Validation')), `no summary of a validation that did not count:\n${lines.join('\n')}`);
    const done = (await findBatch(kernel.db, batch.id))!;
    assert.deepEqual([done.status, done.created_organisations], ['committed', 3], 'imported once, by the other command');
    assert.equal(await count('organisations'), 3);
    const report = await reportLines(web, batch.id);
    assert.deepEqual([report.length, new Set(report).size], [10, 10]);
  });
});

forEachDialect('maillage import --save-mapping', (dialect) => {
  test('rows in error in mode all-or-nothing: nothing imported, the mapping saved all the same, and the command says both; a mapping that does not fit the file saves nothing', async (t) => {
    const { db, kernel, count } = await setUp(t, dialect);
    const deps = { db: kernel.db };
    const file = path.join(db.dataDir, 'problemes.csv');
    fs.writeFileSync(file, Buffer.from(PROBLEMS_CSV, 'latin1'));

    const lines: string[] = [];
    const exit = await runImportCommand(kernel, { file, source: 'problemes', saveMapping: ' Modèle problèmes ' }, { log: (line) => lines.push(line) });
    assert.equal(exit, EXIT.allOrNothing);
    const end = lines.slice(-2);
    assert.deepEqual(
      end,
      [
        '1 ligne en erreur\u00a0: en mode «\u00a0tout ou rien\u00a0», rien n’est importé. Corrigez le fichier ou choisissez d’importer les lignes valides seulement.',
        'Rien n’a été importé, mais la correspondance est enregistrée sous «\u00a0Modèle problèmes\u00a0»\u00a0: elle lit bien les colonnes du fichier, ce sont des lignes qui ont des erreurs. Corrigez-les (voir le rapport), puis relancez avec --mapping "Modèle problèmes".',
      ],
      lines.join('\n'),
    );
    assert.ok(!lines.some((l) => l.startsWith('Correspondance enregistrée')), 'not said as if the import went on');
    const saved = await findSavedMapping(deps, 'Modèle problèmes');
    assert.equal(saved?.columns['Nom structure']?.field, 'name', 'the mapping the command used');
    assert.deepEqual([await count('organisations'), await count('contacts')], [0, 0]);

    // A mapping naming a column the file does not have: refused before anything, not saved.
    const wrong = path.join(db.dataDir, 'correspondance.json');
    fs.writeFileSync(wrong, JSON.stringify({ version: 1, columns: { Nom: { field: 'name' } } }));
    const other: string[] = [];
    await assert.rejects(
      runImportCommand(kernel, { file, source: 'problemes-2', mapping: wrong, saveMapping: 'Modèle faux' }, { log: (line) => other.push(line) }),
      (e: unknown) => e instanceof ImportError && e.key === 'imports.error.mappingUnknownColumn',
    );
    assert.equal(await findSavedMapping(deps, 'Modèle faux'), undefined);
    assert.ok(!other.some((l) => l.includes('Modèle faux')), other.join('\n'));
  });
});
