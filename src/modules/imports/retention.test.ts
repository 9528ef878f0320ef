import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { seedBatch } from '../../../test/helpers/import-batches.js';
import { uploadsDir } from '../../kernel/files/uploads.js';
import { findBatch, importDeps } from './index.js';
import { releaseImportFiles } from './retention.js';

forEachDialect('imports: personal data in uploaded files is not kept', (dialect) => {
  test('an upload left unimported for 30 days is deleted and its batch ends, said in French; a recent one stays', async (t) => {
    const app = await testApp(dialect);
    t.after(() => app.close());
    /** A draft as the wizard leaves it: its file under DATA_DIR/uploads, last touched `daysAgo`. */
    const uploadedDraft = async (name: string, daysAgo: number) => {
      const batch = await seedBatch(app.kernel, name, 'draft');
      const relative = path.join('2026', name);
      fs.mkdirSync(path.join(uploadsDir(app.config.dataDir), '2026'), { recursive: true });
      fs.renameSync(batch.file_path, path.join(uploadsDir(app.config.dataDir), relative));
      const touched = new Date(app.kernel.clock.now().getTime() - daysAgo * 24 * 3600 * 1000).toISOString();
      await app.kernel.db.updateTable('import_batches').set({ file_path: relative, updated_at: touched }).where('id', '=', batch.id).execute();
      return { id: batch.id, file: path.join(uploadsDir(app.config.dataDir), relative) };
    };
    const old = await uploadedDraft('ancien.csv', 31);
    const recent = await uploadedDraft('recent.csv', 2);

    await releaseImportFiles(importDeps(app.kernel));

    assert.ok(!fs.existsSync(old.file), 'the abandoned upload is deleted');
    const ended = (await findBatch(app.kernel.db, old.id))!;
    assert.deepEqual([ended.status, ended.file_path], ['failed', '']);
    assert.match(ended.error ?? '', /^Fichier supprimé : resté 30 jours sans être importé/);
    assert.ok(fs.existsSync(recent.file), 'a recent draft keeps its file');
    assert.equal((await findBatch(app.kernel.db, recent.id))!.status, 'draft');
  });
});
