import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { PROBLEMS_CSV, seedBatch } from '../../../test/helpers/import-batches.js';
import { uploadsDir } from '../../kernel/files/uploads.js';
import { findBatch, importDeps } from './index.js';
import { releaseImportFiles } from './retention.js';

forEachDialect('imports: personal data in uploaded files is not kept', (dialect) => {
  test('an upload left unimported for 30 days goes, its file and its row, and the journal says so; a recent one stays', async (t) => {
    const app = await testApp(dialect);
    t.after(() => app.close());
    /** A batch as the wizard leaves it (uploaded, or checked): its file under DATA_DIR/uploads, last touched `daysAgo`. */
    const leftBatch = async (name: string, step: 'draft' | 'validated', daysAgo: number) => {
      const batch = await seedBatch(app.kernel, name, step, PROBLEMS_CSV);
      const relative = path.join('2026', name);
      fs.mkdirSync(path.join(uploadsDir(app.config.dataDir), '2026'), { recursive: true });
      fs.renameSync(batch.file_path, path.join(uploadsDir(app.config.dataDir), relative));
      const touched = new Date(app.kernel.clock.now().getTime() - daysAgo * 24 * 3600 * 1000).toISOString();
      await app.kernel.db.updateTable('import_batches').set({ file_path: relative, updated_at: touched }).where('id', '=', batch.id).execute();
      return { id: batch.id, file: path.join(uploadsDir(app.config.dataDir), relative) };
    };
    const old = await leftBatch('ancien.csv', 'draft', 31);
    const oldChecked = await leftBatch('ancien-verifie.csv', 'validated', 31);
    const recent = await leftBatch('recent.csv', 'draft', 2);
    const recentChecked = await leftBatch('recent-verifie.csv', 'validated', 29);
    const issuesOf = async (id: string) => (await app.kernel.db.selectFrom('import_issues').select('batch_id').where('batch_id', '=', id).execute()).length;
    assert.ok((await issuesOf(oldChecked.id)) > 0, 'a checked batch has its report');

    await releaseImportFiles(importDeps(app.kernel));

    for (const gone of [old, oldChecked]) {
      assert.ok(!fs.existsSync(gone.file), 'the abandoned upload is deleted');
      assert.equal(await findBatch(app.kernel.db, gone.id), undefined, 'its batch no longer shows among the imports');
      assert.equal(await issuesOf(gone.id), 0, 'nor its report, which quoted the file');
      const journal = await app.kernel.db.selectFrom('audit_log').select(['action', 'actor_email', 'before', 'after']).where('entity_type', '=', 'import_batch').where('entity_id', '=', gone.id).execute();
      assert.deepEqual(
        journal.map((e) => ({ action: e.action, actor: e.actor_email, after: JSON.parse(e.after ?? 'null') as unknown })),
        [{ action: 'import.deleted', actor: null, after: { reason: 'retention', days: 30 } }],
        'the journal says the system deleted it, and why',
      );
      assert.match(journal[0]!.before ?? '', /ancien/, 'which file it was');
    }
    for (const kept of [recent, recentChecked]) {
      assert.ok(fs.existsSync(kept.file), 'a recent batch keeps its file');
      assert.ok(await findBatch(app.kernel.db, kept.id));
    }
  });

  test('the list of imports says when an upload not imported yet will go; a finished import says nothing of it', async (t) => {
    const app = await testApp(dialect);
    t.after(() => app.close());
    const draft = await seedBatch(app.kernel, 'brouillon.csv', 'draft');
    const checked = await seedBatch(app.kernel, 'verifie.csv', 'validated');
    const done = await seedBatch(app.kernel, 'termine.csv', 'committed');
    const touched = '2026-03-10T22:30:00.000Z';
    await app.kernel.db.updateTable('import_batches').set({ updated_at: touched }).where('id', 'in', [draft.id, checked.id, done.id]).execute();
    const staff = await app.loginAs('staff', 'retention-liste@example.org');
    const page = await staff.get('/admin/imports');
    assert.equal(page.statusCode, 200);
    const rowOf = (name: string) => {
      const at = page.body.indexOf(`>${name}<`);
      assert.ok(at > 0, name);
      return page.body.slice(at, page.body.indexOf('</tr>', at));
    };
    // 30 days after the last step: 23:30 on 10 March in Paris, 30 days later is 00:30 on 10 April (summer time).
    for (const name of ['brouillon.csv', 'verifie.csv']) {
      assert.match(rowOf(name), /Pas encore importé\s:\ssupprimé automatiquement à partir du 10\savril\s2026/, name);
    }
    assert.doesNotMatch(rowOf('termine.csv'), /supprimé automatiquement/);
  });
});
