// A validation taken for dead writes no chunk of its report once its batch changed, not even the
// chunk it was about to write at the moment of the change (see repo.insertIssuesUnchanged); two
// validations of the same batch side by side leave one report, each issue listed once.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { forEachDialect, type TestDb, testDb } from '../../../test/helpers/db.js';
import { meeting, PROBLEMS_CSV, reportOf, validationJob } from '../../../test/helpers/import-batches.js';
import { createBatch, findBatch, type ImportDeps, inspectFile, type MappingDocument, setBatchMapping, validateBatch, type ValidationSummary } from './index.js';
import { startValidation } from './batches.js';
import { provideDuplicateFinder } from './jobs.js';
import { insertIssuesUnchanged, transaction } from './repo.js';
import { issuePage } from './wizard-repo.js';

const actor = { id: null, email: null };

/** The report as staff download it, without its header: one CSV line per issue. */
async function reportLines(deps: ImportDeps, batchId: string): Promise<string[]> {
  return (await reportOf(deps, batchId)).replace(/^\uFEFF/, '').trim().split('\r\n').slice(1);
}



forEachDialect('imports: a stale validation’s report', (dialect) => {
  let db: TestDb;
  let web: ImportDeps;
  let now = Date.parse('2026-03-02T09:00:00.000Z');
  let problems: string;

  before(async () => {
    db = await testDb(dialect);
    const jobs = { enqueue: async () => undefined } as unknown as ImportDeps['jobs'];
    web = { db: db.db, dialect, sqlite: db.sqlite, clock: { now: () => new Date(now) }, dataDir: db.dataDir, jobs };
    problems = path.join(db.dataDir, 'problemes.csv');
    fs.writeFileSync(problems, Buffer.from(PROBLEMS_CSV, 'latin1'));
  });
  after(() => db.close());

  /** A batch whose validation was started from the wizard, and the mapping staff will save instead. */
  async function validatingBatch(sourceName: string) {
    const inspection = await inspectFile(web, problems, fs.statSync(problems).size);
    const batch = await createBatch(web, actor, { filePath: problems, fileName: 'problemes.csv', sourceName, inspection });
    await startValidation(web, batch.id);
    const staff: MappingDocument = { ...inspection.guessed, visibility: 'staff' };
    return { batch, staff };
  }

  test('the check’s job run twice at once (a worker taken for dead and the one that took the job over): one report, each issue once, the right counts', async () => {
    const { batch } = await validatingBatch('essai-double-tache');
    const job = validationJob(web);
    // Both runs read the whole file before either writes its report.
    const meet = meeting(2);
    provideDuplicateFinder(() => async () => {
      await meet.hold();
      return [];
    });
    try {
      const runs = await Promise.allSettled([job(batch.id).finally(meet.leave), job(batch.id).finally(meet.leave)]);
      assert.deepEqual(runs.map((r) => r.status), ['fulfilled', 'fulfilled'], 'neither job fails (nor is retried)');
    } finally {
      provideDuplicateFinder(null);
    }
    const done = (await findBatch(db.db, batch.id))!;
    assert.deepEqual([done.status, done.total_rows, done.valid_rows, done.error_rows, done.warning_rows], ['validated', 4, 3, 1, 2]);
    const lines = await reportLines(web, batch.id);
    assert.equal(new Set(lines).size, lines.length, `no issue listed twice:\n${lines.join('\n')}`);
    assert.equal(lines.length, 10, 'one report, not two');
    // The count the wizard's report step pages by.
    assert.equal((await issuePage(db.db, batch.id, 50, 0)).total, 10);
  });

  test('two validations of the same batch side by side, from the same reading of it (whoever runs them): one report, each issue once, the right counts', async () => {
    const { batch } = await validatingBatch('essai-double-appel');
    const meet = meeting(2);
    const finder = async () => {
      await meet.hold();
      return [];
    };
    const run = () => validateBatch(web, batch.id, { findDuplicates: finder }).finally(meet.leave);
    const runs = await Promise.allSettled([run(), run()]);
    const lines = await reportLines(web, batch.id);
    assert.equal(new Set(lines).size, lines.length, `no issue listed twice:\n${lines.join('\n')}`);
    assert.equal(lines.length, 10, 'one report, not two');
    assert.equal((await issuePage(db.db, batch.id, 50, 0)).total, 10);
    // Whichever way they met: the one that claimed the batch last made the report; the other was
    // refused in French, or dropped quietly (an empty summary).
    const made = runs.filter((r): r is PromiseFulfilledResult<ValidationSummary> => r.status === 'fulfilled' && r.value.totalRows > 0);
    assert.equal(made.length, 1, 'one report made');
    assert.deepEqual([made[0]!.value.totalRows, made[0]!.value.errorRows], [4, 1]);
    for (const other of runs.filter((r) => r !== made[0])) {
      if (other.status === 'rejected') assert.match(String(other.reason), /ImportError: (Cet import a changé entre-temps|Une autre vérification de cet import)/);
      else assert.equal(other.value.totalRows, 0);
    }
    const done = (await findBatch(db.db, batch.id))!;
    assert.deepEqual([done.status, done.total_rows, done.error_rows], ['validated', 4, 1]);
  });

  test('the check started again just as a stale validation writes a chunk of its report: that chunk is not written, the new report stands alone', async () => {
    const { batch, staff } = await validatingBatch('essai-course');
    let fresh: ValidationSummary | undefined;
    // The job read its rows; at the moment it writes their report lines, it has been taken for dead:
    // staff saved another mapping and started the check again, whose job ran to its end.
    const stale = await validateBatch(web, batch.id, {
      beforeLinesWrite: async () => {
        now += 11 * 60_000;
        await setBatchMapping(web, batch.id, staff);
        await startValidation(web, batch.id);
        fresh = await validateBatch(web, batch.id);
      },
    });
    assert.equal(stale.totalRows, 0, 'dropped quietly');
    assert.equal(fresh?.totalRows, 4);
    const done = (await findBatch(db.db, batch.id))!;
    assert.deepEqual([done.status, done.total_rows, done.error_rows, JSON.parse(done.mapping!).visibility], ['validated', 4, 1, 'staff']);
    const lines = await reportLines(web, batch.id);
    assert.equal(lines.length, 10, `one report, not two:\n${lines.join('\n')}`);
    assert.equal(new Set(lines).size, lines.length, 'no issue listed twice');
  });

  // SQLite has one writer: the statement that checks and inserts runs alone, so this race is PostgreSQL's.
  if (dialect === 'postgres') test(
    'on PostgreSQL, a chunk of a stale report being written while the check starts again on another connection goes in before, and the new check clears it',
    async () => {
      const { batch, staff } = await validatingBatch('essai-verrou');
      const stale = (await findBatch(db.db, batch.id))!;
      const staleLine = { batch_id: batch.id, source_ref: 'P1', level: 'warning', field: 'row', code: 'imports.issue.possibleDuplicate', params: null, raw_value: 'ancienne lecture' };
      let change: Promise<ValidationSummary> | undefined;
      // The stale validation's statement, held open (as a slow insert of 2,000 lines would be) while
      // staff save another mapping and start the check again, whose job then runs.
      await transaction(db.db, async (trx) => {
        assert.equal(await insertIssuesUnchanged(trx, dialect, stale, [2, 3, 4].map((row) => ({ ...staleLine, row_number: row }))), true, 'unchanged when it started');
        now += 11 * 60_000;
        change = (async () => {
          await setBatchMapping(web, batch.id, staff);
          await startValidation(web, batch.id);
          return validateBatch(web, batch.id);
        })();
        // Until the change waits for this statement (the batch's row is held), or is over.
        let over = false;
        void change.finally(() => (over = true)).catch(() => undefined);
        for (;;) {
          const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db.db);
          if (over || rows[0]!.n > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      });
      assert.equal((await change!).totalRows, 4);
      const done = (await findBatch(db.db, batch.id))!;
      assert.deepEqual([done.status, JSON.parse(done.mapping!).visibility], ['validated', 'staff']);
      const lines = await reportLines(web, batch.id);
      assert.equal(lines.length, 10, `only the new check’s report:\n${lines.join('\n')}`);
      assert.ok(!lines.some((l) => l.includes('ancienne lecture')), 'no line of the stale one');
    },
  );
});
