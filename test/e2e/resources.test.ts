import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { addOrganisation } from '../../src/modules/directory/test-fixtures.js';
import { linkUserToOrganisation } from '../../src/modules/organisations/index.js';
import { makePdf } from '../../src/modules/resources/test-fixtures.js';
import { describeWithBrowser, expectNoAxeViolations } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';

const STAFF = { email: 'camille.equipe@example.org', password: 'Ardoise du réseau 2026!', displayName: 'Camille Équipe' };
const MEMBER = { email: 'awa.diallo@example.org', password: 'Brume sur la Garonne 2026', displayName: 'Awa Diallo' };
const TITLE = 'Capitaliser nos projets d’eau potable';
/** A word found only inside the PDF (not in the title, summary or authors). */
const HIDDEN_WORD = 'Kédougou';

describeWithBrowser('resources in a real browser', () => {
  const e2e = useLiveBrowser({
    async seed(live) {
      await createActiveUser(live.kernel, { ...STAFF, role: 'staff' });
      const member = await createActiveUser(live.kernel, { ...MEMBER, role: 'member' });
      const org = await addOrganisation(live.kernel, { name: 'Eau Vive Gironde', kind_code: 'association', commune: 'Bordeaux', postcode: '33000' });
      await linkUserToOrganisation(live.kernel.db, member.id, org.id, new Date().toISOString());
    },
  });
  const { freshPage, visit, signIn } = e2e;

  test('a member proposes a PDF, staff approve it in moderation, a visitor finds it by a word inside the PDF', async () => {
    const pdf = await makePdf(['Capitalisation', `Retour d’expérience des forages solaires de ${HIDDEN_WORD}, réalisés avec les comités de gestion.`]);

    // The member proposes the resource through the real form.
    const p = await freshPage();
    await signIn(p, MEMBER.email, MEMBER.password);
    await visit(p, '/mon-espace/ressources');
    await expectNoAxeViolations(p);
    await Promise.all([p.waitForURL(/\/nouvelle$/), p.click('main a[href="/mon-espace/ressources/nouvelle"]')]);
    await expectNoAxeViolations(p);
    await p.fill('#f-title', TITLE);
    await p.selectOption('#f-kind', 'capitalisation');
    await p.fill('#f-summary', 'Ce que nous avons appris en dix ans de projets d’accès à l’eau.');
    await p.fill('#f-year', '2025');
    await p.fill('#f-countries', 'Sénégal');
    // No file nor link yet: the message sits next to the file field, what was typed stays.
    await p.click('main form button[type=submit]');
    await p.waitForSelector('#f-file_upload-error');
    assert.match(await p.locator('#f-file_upload-error').innerText(), /Joignez un fichier ou indiquez un lien/);
    assert.equal(await p.inputValue('#f-title'), TITLE);
    await expectNoAxeViolations(p);
    await p.setInputFiles('#f-file_upload', { name: 'capitalisation-eau.pdf', mimeType: 'application/pdf', buffer: pdf });
    await Promise.all([p.waitForURL(e2e.url('/mon-espace/ressources')), p.click('main form button[type=submit]')]);
    const mine = await p.locator('main').innerText();
    assert.match(mine, /transmise à l’équipe du réseau/);
    assert.match(mine, /Proposition en attente/);
    await expectNoAxeViolations(p);

    // Not public before review.
    const early = await freshPage();
    await visit(early, `/ressources?q=${encodeURIComponent(HIDDEN_WORD)}`);
    assert.match(await early.locator('main').innerText(), /0 ressource/);

    // Staff review the proposal and accept it.
    const staff = await freshPage();
    await signIn(staff, STAFF.email, STAFF.password);
    await visit(staff, '/admin/ressources');
    assert.match(await staff.locator('main').innerText(), /Propositions de ressources à modérer : 1/);
    await expectNoAxeViolations(staff);
    await Promise.all([staff.waitForURL(/\/admin\/moderation\?type=resource$/), staff.click('main a[href="/admin/moderation?type=resource"]')]);
    await Promise.all([staff.waitForURL(/\/admin\/moderation\/[0-9a-f-]+$/), staff.click(`main a:text("${TITLE}")`)]);
    const diff = await staff.locator('main').innerText();
    assert.match(diff, /capitalisation-eau\.pdf \(PDF, \d+(,\d)? ko\)/);
    assert.match(diff, /Eau Vive Gironde/);
    await expectNoAxeViolations(staff);
    await Promise.all([staff.waitForURL(e2e.url('/admin/moderation')), staff.click('main button:text("Accepter la proposition")')]);

    // The worker reads the PDF's text (in production: the job runner of the web process or `maillage worker`).
    await e2e.live.kernel.jobs.runDue();
    await visit(staff, '/admin/ressources');
    await Promise.all([staff.waitForURL(/\/admin\/ressources\/[0-9a-f-]+$/), staff.click(`main a:text("${TITLE}")`)]);
    const admin = await staff.locator('main').innerText();
    assert.match(admin, /État : Publiée/);
    assert.match(admin, /Texte du PDF lu : 2 pages,/);
    await expectNoAxeViolations(staff);

    // A visitor finds it by a word that is only inside the PDF.
    const visitor = await freshPage();
    await visit(visitor, '/ressources');
    await expectNoAxeViolations(visitor);
    await visitor.fill('#f-q', HIDDEN_WORD);
    await Promise.all([visitor.waitForURL(/\/ressources\?q=/), visitor.click('main form[role=search] button[type=submit]')]);
    const results = await visitor.locator('main').innerText();
    assert.match(results, /1 ressource/);
    assert.match(results, new RegExp(TITLE));
    await expectNoAxeViolations(visitor);
    await Promise.all([visitor.waitForURL(/\/ressources\/capitaliser-nos-projets-d-eau-potable$/), visitor.click(`main a:text("${TITLE}")`)]);
    const page = await visitor.locator('main').innerText();
    assert.match(page, /Télécharger \(PDF, \d+(,\d)? ko\)/);
    assert.match(page, /Note de capitalisation/);
    assert.doesNotMatch(page, /Téléchargé 0 fois/, 'no count before the first download');
    await expectNoAxeViolations(visitor);
    const [download] = await Promise.all([visitor.waitForEvent('download'), visitor.click('main a[download]')]);
    assert.equal(download.suggestedFilename(), 'capitalisation-eau.pdf');
  });
});
