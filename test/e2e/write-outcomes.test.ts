import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { addOrganisation } from '../../src/modules/directory/test-fixtures.js';
import { findOrganisationById, organisationFormValues } from '../../src/modules/organisations/index.js';
import { propose } from '../../src/modules/moderation/index.js';
import { findResourceById, findFile } from '../../src/modules/resources/repo.js';
import { addResource, makePdf, storedFile } from '../../src/modules/resources/test-fixtures.js';
import { describeWithBrowser, expectNoAxeViolations } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';
import { refuseWrites } from '../helpers/refuse-writes.js';

const STAFF = { email: 'write-outcomes.equipe@example.org', password: 'Registre du réseau 2026 !', displayName: 'Camille Équipe' };

/** The messages, as the French catalogue shows them (no-break space before the colon). */
const NOT_SAVED = 'L’enregistrement n’a pas abouti\u00a0: rien n’a été enregistré. Vous pouvez réessayer.';
const NOT_CHANGED = 'L’acceptation n’a pas abouti\u00a0: rien n’a été modifié. Vous pouvez réessayer.';

/** Clicks a form's button and waits for the page it answers with; returns that answer's status. */
async function submit(p: Page, button: string, action: string): Promise<number> {
  const [response] = await Promise.all([
    p.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === action),
    p.click(button),
  ]);
  await p.waitForLoadState();
  return response.status();
}

/** The messages at the top of the page, in order. */
async function flashes(p: Page): Promise<{ role: string | null; text: string }[]> {
  return p.locator('main > .flash').evaluateAll((nodes) => nodes.map((n) => ({ role: n.getAttribute('role'), text: n.textContent ?? '' })));
}

describeWithBrowser('writes refused by the database, and writes whose follow-up failed, in a real browser', () => {
  let orgId = '';
  const e2e = useLiveBrowser({
    async seed(live) {
      await createActiveUser(live.kernel, { ...STAFF, role: 'staff' });
      orgId = (await addOrganisation(live.kernel, { name: 'Eau Vive Gironde', kind_code: 'association', commune: 'Bordeaux', postcode: '33000', description: 'Des puits au Sénégal.' })).id;
    },
  });
  const { freshPage, visit, signIn } = e2e;
  const db = () => e2e.live.kernel.db;

  test('staff write an article the database refuses: the French message, the form as typed, no accessibility fault; sent again, it is saved', async (ctx) => {
    const p = await freshPage();
    await signIn(p, STAFF.email, STAFF.password);
    const allow = await refuseWrites(ctx, db(), 'sqlite', 'audit_log', "NEW.action = 'news.created'");
    await visit(p, '/admin/actualites/nouveau');
    await p.fill('#f-title', 'Rencontre des radios associatives');
    await p.fill('#f-summary', 'Deux jours d’échanges à Dakar.');
    await p.fill('#f-body', 'Le programme complet suivra.\n\nInscriptions ouvertes.');

    assert.equal(await submit(p, 'button[name="intent"][value="publish"]', '/admin/actualites/nouveau'), 503);
    assert.deepEqual(await flashes(p), [{ role: 'alert', text: NOT_SAVED }]);
    assert.equal(await p.inputValue('#f-title'), 'Rencontre des radios associatives');
    assert.equal(await p.inputValue('#f-summary'), 'Deux jours d’échanges à Dakar.');
    assert.equal(await p.inputValue('#f-body'), 'Le programme complet suivra.\n\nInscriptions ouvertes.');
    assert.doesNotMatch(await p.locator('body').innerText(), /refused by the test trigger|SqliteError/);
    await expectNoAxeViolations(p);
    assert.equal(await db().selectFrom('news_articles').select('id').where('title', '=', 'Rencontre des radios associatives').executeTakeFirst(), undefined, 'nothing saved');

    await allow();
    await Promise.all([p.waitForURL(/\/admin\/actualites\/[0-9a-f-]{36}$/), p.click('button[name="intent"][value="publish"]')]);
    assert.match(await p.locator('main').innerText(), /Article «\u00a0Rencontre des radios associatives\u00a0» publié/);
  });

  test('staff edit then accept a proposal the database refuses: the French message, their edits and message kept, no accessibility fault; the plain « Accepter » too', async (ctx) => {
    const org = (await findOrganisationById(db(), orgId))!;
    const proposed = await propose(e2e.live.kernel, {
      type: 'organisation',
      entityId: orgId,
      payload: { ...organisationFormValues(org), name: 'Eau Vive Nouvelle-Aquitaine' },
      proposer: { userId: null, name: 'Awa Diallo', email: 'awa.diallo@example.org' },
    });
    assert.ok(proposed.ok);
    const allow = await refuseWrites(ctx, db(), 'sqlite', 'organisations', "NEW.name LIKE 'Eau Vive N%'", 'UPDATE');
    const p = await freshPage();
    await signIn(p, STAFF.email, STAFF.password);

    await visit(p, `/admin/moderation/${proposed.id}/modifier`);
    await p.fill('#f-acronym', 'EVNA');
    await p.fill('#f-decision_message', 'Sigle ajouté par l’équipe.');
    assert.equal(await submit(p, 'main form button[type=submit]', `/admin/moderation/${proposed.id}/modifier`), 503);
    assert.deepEqual(await flashes(p), [{ role: 'alert', text: NOT_CHANGED }]);
    assert.equal(await p.inputValue('#f-name'), 'Eau Vive Nouvelle-Aquitaine');
    assert.equal(await p.inputValue('#f-acronym'), 'EVNA');
    assert.equal(await p.inputValue('#f-decision_message'), 'Sigle ajouté par l’équipe.');
    await expectNoAxeViolations(p);

    await visit(p, `/admin/moderation/${proposed.id}`);
    assert.equal(await submit(p, 'main button:text("Accepter la proposition")', `/admin/moderation/${proposed.id}/approuver`), 303);
    assert.equal(new URL(p.url()).pathname, `/admin/moderation/${proposed.id}`, 'back on the proposal, to try again');
    assert.deepEqual(await flashes(p), [{ role: 'alert', text: NOT_CHANGED }]);
    await expectNoAxeViolations(p);
    assert.equal((await findOrganisationById(db(), orgId))!.name, 'Eau Vive Gironde', 'nothing changed');

    await allow();
    await Promise.all([p.waitForURL(e2e.url('/admin/moderation')), p.click('main button:text("Accepter la proposition")')]);
    assert.equal((await findOrganisationById(db(), orgId))!.name, 'Eau Vive Nouvelle-Aquitaine');
  });

  test('staff delete a resource whose file cannot leave the disk: deleted as usual, then told the file stays, with a reference; no accessibility fault', async () => {
    const fileId = await storedFile(e2e.live.kernel, await makePdf(['Rapport d’activité 2025']), 'rapport-2025.pdf');
    const resource = await addResource(e2e.live.kernel, { title: 'Rapport d’activité 2025', kind: 'report', file_id: fileId });
    // A folder with something in it where the file was: removing it as a file fails.
    const onDisk = path.join(e2e.live.config.dataDir, 'uploads', (await findFile(db(), fileId))!.storage_path);
    fs.rmSync(onDisk);
    fs.mkdirSync(onDisk);
    fs.writeFileSync(path.join(onDisk, 'garde.txt'), 'encore là');
    const p = await freshPage();
    await signIn(p, STAFF.email, STAFF.password);

    await visit(p, `/admin/ressources/${resource.id}`);
    await p.check('#f-confirm');
    await Promise.all([p.waitForURL(e2e.url('/admin/ressources')), p.click('main button:text("Supprimer la ressource")')]);
    const shown = await flashes(p);
    assert.deepEqual(shown[0], { role: 'status', text: 'Ressource «\u00a0Rapport d’activité 2025\u00a0» supprimée.' }, 'the usual success first');
    assert.equal(shown.length, 2);
    assert.equal(shown[1]?.role, 'alert', 'then the warning, read at once by screen readers');
    assert.match(shown[1]?.text ?? '', /^Le fichier dont la ressource ne se sert plus n’a pas pu être effacé du disque du serveur\u00a0: .* Donnez la référence \S+ à la personne qui administre le serveur pour qu’elle l’efface\.$/);
    assert.doesNotMatch(await p.locator('body').innerText(), /EISDIR|garde\.txt|uploads\//);
    await expectNoAxeViolations(p);
    assert.equal(await findResourceById(db(), resource.id), undefined, 'the resource is deleted');
  });
});
