// `maillage import` of a file whose batch exists already (not committed, not resumable): the command
// reads that batch, reads the file, then writes its reading and mapping to the batch, only if
// nobody wrote to it meanwhile. Runs the command's own function, as src/cli.ts does.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Kysely } from 'kysely';
import { testConfig } from '../../../test/helpers/app.js';
import { forEachDialect, testDb } from '../../../test/helpers/db.js';
import type { Database } from '../../db/schema.js';
import { createDb } from '../../kernel/db/create-db.js';
import { createKernel } from '../../kernel/create-kernel.js';
import { type BatchRow, createBatch, findBatch, type ImportDeps, ImportError, inspectFile, runImportCommand } from './index.js';
import { startValidation } from './batches.js';

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

forEachDialect('maillage import: an existing batch changed meanwhile', (dialect) => {
  test('the batch changed from the web while the command read the file: refused in French, nothing written', async (t) => {
    const db = await testDb(dialect);
    const kernel = createKernel(testConfig(db, 'smtp://127.0.0.1:9'), { dbHandle: db });
    // The web process, on a connection of its own.
    const other = createDb(db.url);
    t.after(async () => {
      await other.close();
      await kernel.mail.close();
      await db.close();
    });
    const jobs = { enqueue: async () => undefined } as unknown as ImportDeps['jobs'];
    const web: ImportDeps = { db: other.db, dialect, sqlite: other.sqlite, clock: kernel.clock, dataDir: db.dataDir, jobs };
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
    const count = async (table: 'import_issues' | 'organisations' | 'contacts') =>
      Number((await kernel.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    assert.deepEqual([await count('import_issues'), await count('organisations'), await count('contacts')], [0, 0, 0]);
  });
});
