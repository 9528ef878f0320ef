import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { assertAcceptRefused, auditLinesOf, NOT_CHANGED, proposalStatus } from '../../../test/helpers/approval-failure.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { refuseWrites } from '../../../test/helpers/refuse-writes.js';
import * as repo from './repo.js';
import { EXTRACT_JOB } from './service.js';
import { guideWithNewFileProposed } from './test-fixtures.js';

forEachDialect('resources: accepting a change the database refuses', (dialect) => {
  let t: TestApp;
  let staff: Client;

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff', 'equipe@example.org');
  });
  after(() => t.close());

  const onDisk = async (fileId: string) => fs.existsSync(path.join(t.config.dataDir, 'uploads', (await repo.findFile(t.kernel.db, fileId))?.storage_path ?? 'none'));
  const extractionJobs = async (resourceId: string, fileId: string) =>
    Number(
      (await t.kernel.db.selectFrom('jobs').where('idempotency_key', '=', `${EXTRACT_JOB}:${resourceId}:${fileId}`).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n,
    );

  test('a new file and title proposed: refused by the resource’s row, then by the acceptance’s log line, the resource keeps its file (row and disk) and no reading is queued; then accepted once, the old file removed', async (ctx) => {
    const { resource, oldFile, newFile, proposalId } = await guideWithNewFileProposed(t.kernel);
    const oldPath = path.join(t.config.dataDir, 'uploads', (await repo.findFile(t.kernel.db, oldFile))!.storage_path);
    const [resourceLines, proposalLines] = [await auditLinesOf(t.kernel.db, resource.id), await auditLinesOf(t.kernel.db, proposalId)];
    const unchanged = async () => {
      const now = (await repo.findResourceById(t.kernel.db, resource.id))!;
      assert.equal(now.title, 'Guide de l’eau potable', 'the resource as it was');
      assert.equal(now.file_id, oldFile, 'with its file');
      assert.ok(await repo.findFile(t.kernel.db, oldFile), 'the file’s row stays');
      assert.ok(fs.existsSync(oldPath), 'and so does the file on disk');
      assert.equal(await extractionJobs(resource.id, newFile), 0, 'no reading of the new file queued');
      assert.equal(await auditLinesOf(t.kernel.db, resource.id), resourceLines, 'no line in the log for the resource');
      assert.equal(await auditLinesOf(t.kernel.db, proposalId), proposalLines, 'nor for the proposal');
      assert.equal(await proposalStatus(t.kernel.db, proposalId), 'pending');
    };

    const allowRow = await refuseWrites(ctx, t.kernel.db, dialect, 'resources', "NEW.title LIKE '%(2e édition)'", 'UPDATE');
    await assertAcceptRefused(t.kernel.db, staff, proposalId, NOT_CHANGED);
    await unchanged();
    await allowRow();

    // The resource's writes (the old file removed) all pass; the last write of the acceptance is refused.
    const allowLog = await refuseWrites(ctx, t.kernel.db, dialect, 'audit_log', "NEW.action LIKE 'proposal.approved%'");
    await assertAcceptRefused(t.kernel.db, staff, proposalId, NOT_CHANGED);
    await unchanged();
    await allowLog();

    assert.equal((await staff.post(`/admin/moderation/${proposalId}/approuver`)).statusCode, 303);
    assert.equal(await proposalStatus(t.kernel.db, proposalId), 'approved');
    const changed = (await repo.findResourceById(t.kernel.db, resource.id))!;
    assert.equal(changed.title, 'Guide de l’eau potable (2e édition)');
    assert.equal(changed.file_id, newFile);
    assert.equal(await extractionJobs(resource.id, newFile), 1, 'the new file is read once');
    assert.equal(await repo.findFile(t.kernel.db, oldFile), undefined, 'the old file’s row is gone');
    assert.ok(!fs.existsSync(oldPath), 'and so is the file on disk');
    assert.ok(await onDisk(newFile));
    assert.equal(await auditLinesOf(t.kernel.db, resource.id), resourceLines + 1, 'the change logged once');
  });
});
