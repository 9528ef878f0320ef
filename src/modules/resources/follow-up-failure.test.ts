import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type AppWithoutMail, appWithoutMail, flashesOf, followUpsLogged } from '../../../test/helpers/after-commit.js';
import type { Client } from '../../../test/helpers/app.js';
import { auditLinesOf, proposalStatus } from '../../../test/helpers/approval-failure.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { assertNoInternals } from '../../../test/helpers/refuse-writes.js';
import * as repo from './repo.js';
import { addResource, guideWithNewFileProposed, makePdf, storedFile } from './test-fixtures.js';

/** The warning, as the French catalogue shows it (no-break space before the colon), with the request's id. */
const fileLeft = (reference: string) =>
  `Le fichier dont la ressource ne se sert plus n’a pas pu être effacé du disque du serveur\u00a0: plus personne ne peut le télécharger, mais il y reste et aucune tâche automatique ne l’effacera. Donnez la référence ${reference} à la personne qui administre le serveur pour qu’elle l’efface.`;
const REFERENCE = /Donnez la référence (\S+) à la personne/;
/** The proposer's email leaves through the job queue (moderation, decision 0031): staff read it is on its way. */
const APPROVED = 'Proposition acceptée et appliquée\u00a0: l’email qui prévient la personne part.';

const FORM = { kind: 'guide', summary: 'Un guide pratique pour les collectivités.', authors: 'Réseau régional', year: '2025', language: 'fr' };

forEachDialect('resources: the write stands when the old file cannot leave the disk (or the email cannot go)', (dialect) => {
  let t: AppWithoutMail;
  let staff: Client;

  before(async () => {
    t = await appWithoutMail(dialect);
    staff = await t.loginAs('staff', 'bibliotheque@example.org');
  });
  after(() => t.close());

  const diskPath = async (fileId: string) => path.join(t.config.dataDir, 'uploads', (await repo.findFile(t.kernel.db, fileId))!.storage_path);
  /** A file that cannot be removed as a file: a folder with something in it takes its place on disk. */
  const undeletable = (onDisk: string) => {
    fs.rmSync(onDisk);
    fs.mkdirSync(onDisk);
    fs.writeFileSync(path.join(onDisk, 'garde.txt'), 'encore là');
  };

  /**
   * The page after the redirect: the success first, then the warning with the request's id, which
   * is the one the log gives with the cause; no internals. Returns the warnings after the file's.
   */
  async function assertSavedWithWarning(location: string, success: string, logFrom: number): Promise<string[]> {
    const page = await staff.get(location);
    assert.equal(page.statusCode, 200);
    const flashes = flashesOf(page.body);
    assert.deepEqual(flashes[0], { kind: 'success', text: success }, 'the action’s success comes first');
    const reference = REFERENCE.exec(flashes[1]?.text ?? '')?.[1];
    assert.ok(reference, `the warning names a reference: ${JSON.stringify(flashes)}`);
    assert.deepEqual(flashes[1], { kind: 'error', text: fileLeft(reference) }, 'then what did not follow, read at once by screen readers');
    assertNoInternals(page.body);
    assert.doesNotMatch(page.body, /EISDIR|ENOTEMPTY|garde\.txt|\/uploads\//, 'neither the error nor the path reach the page');
    const logged = followUpsLogged(t.logLines, logFrom);
    assert.equal(logged[0]?.reference, reference, 'the log has the cause under the reference staff read');
    assert.match(logged[0]?.cause ?? '', /director/i);
    assert.ok(!flashesOf((await staff.get(location)).body).some((f) => f.kind === 'error'), 'the warning is shown once');
    return flashes.slice(2).map((f) => f.text);
  }

  test('staff replace a resource’s file while the old one cannot leave the disk: saved as usual, and told the file stays', async () => {
    const oldFile = await storedFile(t.kernel, await makePdf(['Annuaire 2024']), 'annuaire-2024.pdf');
    const resource = await addResource(t.kernel, { title: 'Annuaire des partenaires', kind: 'other', file_id: oldFile });
    const oldPath = await diskPath(oldFile);
    undeletable(oldPath);
    const logFrom = t.logLines.length;

    const saved = await staff.postMultipart(`/admin/ressources/${resource.id}`, { ...FORM, kind: 'other', title: 'Annuaire des partenaires 2025', file: oldFile }, [
      { field: 'file_upload', filename: 'annuaire-2025.pdf', content: await makePdf(['Annuaire 2025']), type: 'application/pdf' },
    ]);
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 3000));
    assert.equal(saved.headers.location, `/admin/ressources/${resource.id}`, 'the usual redirect');
    assert.deepEqual(await assertSavedWithWarning(String(saved.headers.location), 'Modifications enregistrées.', logFrom), []);

    const changed = (await repo.findResourceById(t.kernel.db, resource.id))!;
    assert.equal(changed.title, 'Annuaire des partenaires 2025', 'the edit is saved');
    assert.notEqual(changed.file_id, oldFile, 'with the new file');
    assert.equal(await repo.findFile(t.kernel.db, oldFile), undefined, 'the old file is no longer offered');
    assert.ok(fs.existsSync(oldPath), 'though it stays on disk, as staff were told');
    assert.equal(await auditLinesOf(t.kernel.db, resource.id), 2, 'the edit logged once');
  });

  test('staff delete a resource whose file cannot leave the disk: deleted as usual, and told the file stays', async () => {
    const fileId = await storedFile(t.kernel, await makePdf(['Rapport d’activité']), 'rapport.pdf');
    const resource = await addResource(t.kernel, { title: 'Rapport d’activité 2025', kind: 'report', file_id: fileId });
    undeletable(await diskPath(fileId));
    const logFrom = t.logLines.length;

    const deleted = await staff.post(`/admin/ressources/${resource.id}/supprimer`, { confirm: '1' });
    assert.equal(deleted.statusCode, 303, deleted.body.slice(0, 3000));
    assert.equal(deleted.headers.location, '/admin/ressources');
    assert.deepEqual(await assertSavedWithWarning('/admin/ressources', 'Ressource «\u00a0Rapport d’activité 2025\u00a0» supprimée.', logFrom), []);
    assert.equal(await repo.findResourceById(t.kernel.db, resource.id), undefined, 'the resource is deleted');
    assert.equal(await repo.findFile(t.kernel.db, fileId), undefined, 'and its file no longer offered');
  });

  test('staff accept a new file proposed while the old one cannot leave the disk and no email can go: accepted, told the file stays, the email queued', async () => {
    const { resource, oldFile, newFile, proposalId } = await guideWithNewFileProposed(t.kernel);
    undeletable(await diskPath(oldFile));
    const logFrom = t.logLines.length;

    const accepted = await staff.post(`/admin/moderation/${proposalId}/approuver`);
    assert.equal(accepted.statusCode, 303, accepted.body.slice(0, 3000));
    assert.equal(accepted.headers.location, '/admin/moderation', 'the usual redirect');
    const rest = await assertSavedWithWarning('/admin/moderation', APPROVED, logFrom);
    assert.deepEqual(rest, [], 'the email is a job: nothing about it failed yet');
    assert.equal(followUpsLogged(t.logLines, logFrom).length, 1, 'the file’s cause logged');

    assert.equal(await proposalStatus(t.kernel.db, proposalId), 'approved');
    const changed = (await repo.findResourceById(t.kernel.db, resource.id))!;
    assert.equal(changed.title, 'Guide de l’eau potable (2e édition)');
    assert.equal(changed.file_id, newFile);
  });
});
