import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { assertNoInternals, refuseWrites } from '../../../test/helpers/refuse-writes.js';
import * as repo from './repo.js';
import { EXTRACT_JOB } from './service.js';
import { addResource, makePdf, storedFile } from './test-fixtures.js';

/** The messages, as the French catalogue shows them (no-break space before the colon). */
const NOT_SAVED = 'L’enregistrement n’a pas abouti\u00a0: rien n’a été enregistré. Vous pouvez réessayer.';
const NOT_SAVED_EN = 'Saving did not go through: nothing was saved. You can try again.';
const NOT_CHANGED = 'Le changement n’a pas abouti\u00a0: rien n’a été modifié. Vous pouvez réessayer.';
const NOT_DELETED = 'La suppression n’a pas abouti\u00a0: la ressource n’a pas été supprimée. Vous pouvez réessayer.';

/** The message at the top of the page, read by screen readers at once. */
const alertOf = (message: string) => new RegExp(`<div class="flash flash-error" role="alert">${message}</div>`);
/** The file a page carries in its hidden field, to keep it when the form is sent again. */
const keptFile = (body: string) => /<input type="hidden" name="file" value="([0-9a-f-]{36})"/.exec(body)?.[1];

const FORM = { kind: 'guide', summary: 'Un guide pratique pour les collectivités.', authors: 'Réseau régional', year: '2025', language: 'fr' };

forEachDialect('resources: a back-office write the database refuses leaves nothing and brings the form back', (dialect) => {
  let t: TestApp;
  let staff: Client;

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff', 'bibliotheque@example.org');
  });
  after(() => t.close());

  const n = async (query: { executeTakeFirstOrThrow(): Promise<{ n: string | number | bigint }> }) => Number((await query.executeTakeFirstOrThrow()).n);
  const db = () => t.kernel.db;
  const resourcesTitled = (title: string) => n(db().selectFrom('resources').where('title', '=', title).select((eb) => eb.fn.countAll().as('n')));
  const auditLines = (entityId?: string) =>
    n(entityId ? db().selectFrom('audit_log').where('entity_id', '=', entityId).select((eb) => eb.fn.countAll().as('n')) : db().selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')));
  /** Readings of a PDF queued (of one file, or in all). */
  const readings = (fileId?: string) => {
    const query = db().selectFrom('jobs').where('name', '=', EXTRACT_JOB);
    return n((fileId ? query.where('idempotency_key', 'like', `%:${fileId}`) : query).select((eb) => eb.fn.countAll().as('n')));
  };
  const diskPath = async (fileId: string) => path.join(t.config.dataDir, 'uploads', (await repo.findFile(t.kernel.db, fileId))!.storage_path);

  test('staff publish a PDF: its log line refused, the form comes back as typed with the file (French, English), no resource, line nor reading stays; then it is published once', async (ctx) => {
    const title = 'Guide de l’assainissement rural';
    const form = { ...FORM, title, intent: 'publish' };
    const pdf = await makePdf(['Latrines, puisards et filtres à sable.']);
    const [audit0, readings0] = [await auditLines(), await readings()];
    const allow = await refuseWrites(ctx, t.kernel.db, dialect, 'audit_log', "NEW.action = 'resource.created'");

    const refused = await staff.postMultipart('/admin/ressources/nouvelle', form, [{ field: 'file_upload', filename: 'assainissement.pdf', content: pdf, type: 'application/pdf' }]);
    assert.equal(refused.statusCode, 503, refused.body.slice(0, 3000));
    assert.match(refused.body, alertOf(NOT_SAVED));
    assertNoInternals(refused.body);
    assert.match(refused.body, /action="\/admin\/ressources\/nouvelle"/, 'the creation form, to try again');
    assert.match(refused.body, /value="Guide de l’assainissement rural"/);
    assert.match(refused.body, />Un guide pratique pour les collectivités\.</);
    assert.match(refused.body, /assainissement\.pdf/, 'the file sent is named');
    const fileId = keptFile(refused.body);
    assert.ok(fileId, 'and kept, not to be sent again');
    assert.equal(await resourcesTitled(title), 0, 'no resource stays');
    assert.equal(await auditLines(), audit0, 'no line in the log');
    assert.equal(await readings(), readings0, 'no reading queued');
    assert.ok(!(await staff.get('/admin/ressources')).body.includes(NOT_SAVED), 'the message is shown once');

    const payload = new URLSearchParams({ ...form, file: fileId, _csrf: await staff.csrf() }).toString();
    const english = await staff.request('POST', '/admin/ressources/nouvelle', { payload, headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' } });
    assert.equal(english.statusCode, 503);
    assert.match(english.body, alertOf(NOT_SAVED_EN));
    assert.match(english.body, /value="Guide de l’assainissement rural"/);
    assert.equal(await resourcesTitled(title), 0);

    await allow();
    const created = await staff.postMultipart('/admin/ressources/nouvelle', { ...form, file: fileId }, []);
    assert.equal(created.statusCode, 303, created.body.slice(0, 3000));
    await staff.get(String(created.headers.location)); // its success message, read
    assert.equal(await resourcesTitled(title), 1, 'published once');
    const resource = (await repo.findResourceBySlug(t.kernel.db, 'guide-de-l-assainissement-rural'))!.resource;
    assert.equal(resource.status, 'published');
    assert.equal(resource.file_id, fileId, 'with the file sent the first time');
    assert.equal(resource.extraction_status, 'pending');
    assert.equal(await readings(fileId), 1, 'its reading queued once');
    assert.equal(await auditLines(resource.id), 1);
  });

  test('staff replace a resource’s file: the new file’s reading refused, the form comes back with their edits and the new file, the resource keeps its title and old file (row and disk); then saved once, the old file removed', async (ctx) => {
    const oldFile = await storedFile(t.kernel, await makePdf(['Annuaire 2024']), 'annuaire-2024.pdf');
    const resource = await addResource(t.kernel, { title: 'Annuaire des partenaires', kind: 'other', file_id: oldFile });
    const oldPath = await diskPath(oldFile);
    const edit = { ...FORM, kind: 'other', title: 'Annuaire des partenaires 2025', file: oldFile };
    // The resource's writes and its log line pass; the new file's reading (a queued job) fails: all must go.
    const allow = await refuseWrites(ctx, t.kernel.db, dialect, 'jobs', `NEW.name = '${EXTRACT_JOB}'`);

    const refused = await staff.postMultipart(`/admin/ressources/${resource.id}`, edit, [{ field: 'file_upload', filename: 'annuaire-2025.pdf', content: await makePdf(['Annuaire 2025']), type: 'application/pdf' }]);
    assert.equal(refused.statusCode, 503, refused.body.slice(0, 3000));
    assert.match(refused.body, alertOf(NOT_SAVED));
    assertNoInternals(refused.body);
    assert.match(refused.body, new RegExp(`action="/admin/ressources/${resource.id}"`));
    assert.match(refused.body, /value="Annuaire des partenaires 2025"/);
    const newFile = keptFile(refused.body);
    assert.ok(newFile && newFile !== oldFile, 'the new file is kept in the form');
    const unchanged = (await repo.findResourceById(t.kernel.db, resource.id))!;
    assert.equal(unchanged.title, 'Annuaire des partenaires', 'the resource is as it was');
    assert.equal(unchanged.slug, 'annuaire-des-partenaires');
    assert.equal(unchanged.file_id, oldFile, 'with its file');
    assert.ok(await repo.findFile(t.kernel.db, oldFile), 'the old file’s row stays');
    assert.ok(fs.existsSync(oldPath), 'and so does the file on disk');
    assert.equal(await auditLines(resource.id), 1, 'only its creation in the log');
    assert.equal(await readings(newFile), 0);

    await allow();
    const saved = await staff.postMultipart(`/admin/ressources/${resource.id}`, { ...edit, file: newFile }, []);
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 3000));
    const changed = (await repo.findResourceById(t.kernel.db, resource.id))!;
    assert.equal(changed.title, 'Annuaire des partenaires 2025');
    assert.equal(changed.file_id, newFile);
    assert.equal(await readings(newFile), 1, 'the new file is read once');
    assert.equal(await repo.findFile(t.kernel.db, oldFile), undefined, 'the old file’s row is gone');
    assert.ok(!fs.existsSync(oldPath), 'and so is the file on disk');
    assert.equal(await auditLines(resource.id), 2, 'one line for the edit');
  });

  test('staff publish a draft: its log line refused, the resource’s page comes back with the message, still a draft; then published once', async (ctx) => {
    const draft = await addResource(t.kernel, { title: 'Étude sur les migrations climatiques' }, 'draft');
    const allow = await refuseWrites(ctx, t.kernel.db, dialect, 'audit_log', "NEW.action = 'resource.published'");

    const refused = await staff.post(`/admin/ressources/${draft.id}/statut`, { action: 'publish' });
    assert.equal(refused.statusCode, 503, refused.body.slice(0, 3000));
    assert.match(refused.body, alertOf(NOT_CHANGED));
    assertNoInternals(refused.body);
    assert.match(refused.body, /value="Étude sur les migrations climatiques"/, 'the resource’s page');
    const still = (await repo.findResourceById(t.kernel.db, draft.id))!;
    assert.equal(still.status, 'draft', 'still a draft');
    assert.equal(still.published_at, null);
    assert.equal(await auditLines(draft.id), 1);
    assert.equal((await t.client().get(`/ressources/${draft.slug}`)).statusCode, 404, 'visitors do not see it');

    await allow();
    assert.equal((await staff.post(`/admin/ressources/${draft.id}/statut`, { action: 'publish' })).statusCode, 303);
    assert.equal((await repo.findResourceById(t.kernel.db, draft.id))!.status, 'published');
    assert.equal(await auditLines(draft.id), 2);
  });

  test('staff delete a resource with its file: the log line refused, the resource’s page comes back with the message, the resource and its file (row and disk) stay; then deleted once, the file removed', async (ctx) => {
    const fileId = await storedFile(t.kernel, await makePdf(['Rapport d’activité']), 'rapport.pdf');
    const resource = await addResource(t.kernel, { title: 'Rapport d’activité 2025', kind: 'report', file_id: fileId });
    const onDisk = await diskPath(fileId);
    const allow = await refuseWrites(ctx, t.kernel.db, dialect, 'audit_log', "NEW.action = 'resource.deleted'");

    const refused = await staff.post(`/admin/ressources/${resource.id}/supprimer`, { confirm: '1' });
    assert.equal(refused.statusCode, 503, refused.body.slice(0, 3000));
    assert.match(refused.body, alertOf(NOT_DELETED));
    assertNoInternals(refused.body);
    assert.match(refused.body, /value="Rapport d’activité 2025"/, 'the resource’s page');
    assert.ok(await repo.findResourceById(t.kernel.db, resource.id), 'the resource stays');
    assert.ok(await repo.findFile(t.kernel.db, fileId), 'its file’s row too');
    assert.ok(fs.existsSync(onDisk), 'and the file on disk');
    assert.equal((await t.client().get(`/ressources/${resource.slug}/fichier`)).statusCode, 200, 'visitors still download it');
    assert.equal(await auditLines(resource.id), 1);

    await allow();
    assert.equal((await staff.post(`/admin/ressources/${resource.id}/supprimer`, { confirm: '1' })).statusCode, 303);
    assert.equal(await repo.findResourceById(t.kernel.db, resource.id), undefined);
    assert.equal(await repo.findFile(t.kernel.db, fileId), undefined);
    assert.ok(!fs.existsSync(onDisk), 'the file leaves the disk once deleted');
    assert.equal(await auditLines(resource.id), 2, 'the deletion logged once');
  });
});
