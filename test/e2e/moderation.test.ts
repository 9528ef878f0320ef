import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { addOrganisation } from '../../src/modules/directory/test-fixtures.js';
import { findOrganisationById, linkUserToOrganisation } from '../../src/modules/organisations/index.js';
import { propose } from '../../src/modules/moderation/index.js';
import { describeWithBrowser, expectNoAxeViolations, expectNoHorizontalScroll } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';

const STAFF = { email: 'camille.equipe@example.org', password: 'Ardoise du réseau 2026!', displayName: 'Camille Équipe' };
const MEMBER = { email: 'awa.diallo@example.org', password: 'Brume sur la Garonne 2026', displayName: 'Awa Diallo' };

describeWithBrowser('moderation in a real browser', () => {
  let orgId = '';
  const e2e = useLiveBrowser({
    async seed(live) {
      await createActiveUser(live.kernel, { ...STAFF, role: 'staff' });
      const member = await createActiveUser(live.kernel, { ...MEMBER, role: 'member' });
      const org = await addOrganisation(live.kernel, {
        name: 'Eau Vive Gironde',
        kind_code: 'association',
        commune: 'Bordeaux',
        postcode: '33000',
        themes: ['health'],
        countries: ['SN'],
        description: 'Des puits au Sénégal.',
      });
      orgId = org.id;
      await linkUserToOrganisation(live.kernel.db, member.id, org.id, new Date().toISOString());
    },
  });
  const { freshPage, visit, signIn } = e2e;

  test('a member proposes an edit, staff approve it, a visitor sees it', async () => {
    const p = await freshPage();
    await signIn(p, MEMBER.email, MEMBER.password);
    await visit(p, '/mon-espace/structures');
    await expectNoAxeViolations(p);
    await Promise.all([p.waitForURL(/\/modifier$/), p.click(`main a[href="/mon-espace/structures/${orgId}/modifier"]`)]);
    await expectNoAxeViolations(p);

    // A mistake first: the message sits next to the field, and what was typed stays.
    await p.fill('#f-name', 'Eau Vive Nouvelle-Aquitaine');
    await p.fill('#f-siret', '12345678901234');
    await p.click('main form button[type=submit]');
    await p.waitForSelector('#f-siret-error');
    assert.match(await p.locator('#f-siret-error').innerText(), /clé de contrôle/);
    assert.equal(await p.inputValue('#f-name'), 'Eau Vive Nouvelle-Aquitaine');
    assert.equal(await p.getAttribute('#f-siret', 'aria-describedby'), 'f-siret-hint f-siret-error');
    await expectNoAxeViolations(p);

    await p.fill('#f-siret', '');
    await p.fill('#f-description', 'Des puits et des jardins au Sénégal et au Mali.');
    // Zones with a ticked country are open; Mali sits with Senegal in West Africa.
    const group = p.locator('details.org-country-group:has(#f-countries-ML)');
    if ((await group.getAttribute('open')) === null) await group.locator('summary').click();
    await p.check('#f-countries-ML');
    await Promise.all([p.waitForURL(e2e.url('/mon-espace/structures')), p.click('main form button[type=submit]')]);
    assert.match(await p.locator('main').innerText(), /en attente de validation/);
    await expectNoAxeViolations(p);
    assert.equal((await findOrganisationById(e2e.live.kernel.db, orgId))!.name, 'Eau Vive Gironde', 'not published before review');

    const staffPage = await freshPage();
    await signIn(staffPage, STAFF.email, STAFF.password);
    await visit(staffPage, '/admin/moderation');
    await expectNoAxeViolations(staffPage);
    await Promise.all([staffPage.waitForURL(/\/admin\/moderation\/[0-9a-f-]+$/), staffPage.click('main a:text("Eau Vive Nouvelle-Aquitaine")')]);
    const diff = await staffPage.locator('table.mod-diff').innerText();
    assert.match(diff, /Eau Vive Gironde/);
    assert.match(diff, /Eau Vive Nouvelle-Aquitaine/);
    assert.match(diff, /Mali/);
    await expectNoAxeViolations(staffPage);
    await Promise.all([staffPage.waitForURL(e2e.url('/admin/moderation')), staffPage.click('main button:text("Accepter la proposition")')]);
    assert.match(await staffPage.locator('main').innerText(), /Proposition acceptée/);
    await expectNoAxeViolations(staffPage);

    await e2e.live.kernel.jobs.runDue(); // the decision's email is a job (decision 0031)
    const mail = e2e.live.smtp.lastTo(MEMBER.email);
    assert.ok(mail, 'the member was told');
    assert.match(mail.parsed.subject ?? '', /acceptée/);

    const visitor = await freshPage();
    const org = (await findOrganisationById(e2e.live.kernel.db, orgId))!;
    assert.equal(org.name, 'Eau Vive Nouvelle-Aquitaine');
    await visit(visitor, `/acteurs/${org.slug}`);
    const text = await visitor.locator('main').innerText();
    assert.match(text, /Eau Vive Nouvelle-Aquitaine/);
    assert.match(text, /jardins au Sénégal et au Mali/);
  });

  test('the public proposal and account request forms are accessible, also at 320 px', async () => {
    for (const path of ['/proposer-une-structure', '/demande-de-compte?q=eau', '/demande-de-compte?nouvelle=1']) {
      const p = await freshPage(320);
      await visit(p, path);
      await expectNoAxeViolations(p);
      await expectNoHorizontalScroll(p, 320);
    }
    const p = await freshPage();
    await visit(p, '/proposer-une-structure');
    const box = await p.locator('input[name="site_web_bis"]').boundingBox();
    assert.ok(!box || box.x + box.width <= 0, 'the honeypot is out of sight');
    await p.click('main form button[type=submit]');
    await p.waitForSelector('.error-summary');
    await expectNoAxeViolations(p);
  });

  test('« not in the directory » keeps the person’s name and proposes the structure searched for, and back', async () => {
    const p = await freshPage();
    await visit(p, '/demande-de-compte');
    await p.fill('#f-person_name', 'Hugo Lambert');
    await p.fill('#f-find-q', 'Tisserands de Lormont');
    await Promise.all([p.waitForSelector('#f-name'), p.click('main form.mod-form button[name=basculer]')]);
    assert.equal(await p.inputValue('#f-person_name'), 'Hugo Lambert');
    assert.equal(await p.inputValue('#f-name'), 'Tisserands de Lormont');
    await expectNoAxeViolations(p);
    await Promise.all([p.waitForSelector('#f-find-q'), p.click('main form.mod-form button[name=basculer]')]);
    assert.equal(await p.inputValue('#f-person_name'), 'Hugo Lambert');
    assert.equal(await p.inputValue('#f-find-q'), 'Tisserands de Lormont');
  });

  test('staff see account requests', async () => {
    const p = await freshPage();
    await visit(p, '/demande-de-compte');
    // The name and email typed before searching come back with the structures found.
    await p.fill('#f-person_name', 'Inès Moreau');
    await p.fill('#f-person_email', 'ines.moreau@example.org');
    await p.fill('#f-find-q', 'eau vive');
    await p.click('main form.mod-form button[name=rechercher]');
    await p.waitForSelector(`#f-organisation_id-${orgId}`);
    assert.equal(await p.inputValue('#f-person_name'), 'Inès Moreau');
    assert.equal(await p.inputValue('#f-person_email'), 'ines.moreau@example.org');
    await p.check(`#f-organisation_id-${orgId}`);
    await Promise.all([p.waitForURL(e2e.url('/demande-de-compte/merci')), p.click('main form.mod-form button[type=submit]:not([name])')]);
    await expectNoAxeViolations(p);
    const staffPage = await freshPage();
    await signIn(staffPage, STAFF.email, STAFF.password);
    await visit(staffPage, '/admin/demandes-de-compte');
    assert.match(await staffPage.locator('main').innerText(), /Inès Moreau/);
    await expectNoAxeViolations(staffPage);
  });

  test('staff correct a public proposal before accepting it', async () => {
    const proposed = await propose(e2e.live.kernel, {
      type: 'organisation',
      entityId: null,
      payload: { name: 'Jardins du Monde Landes', kind_code: 'association', commune: 'Mont-de-Marsan', themes: ['agriculture_food'] },
      proposer: { userId: null, name: 'Léa Martin', email: 'lea.martin@example.org' },
    });
    assert.ok(proposed.ok);
    const p = await freshPage();
    await signIn(p, STAFF.email, STAFF.password);
    await visit(p, `/admin/moderation/${proposed.id}`);
    await expectNoAxeViolations(p);
    await Promise.all([p.waitForURL(/\/modifier$/), p.click('main a:text("Corriger puis accepter")')]);
    await expectNoAxeViolations(p);
    assert.equal(await p.inputValue('#f-name'), 'Jardins du Monde Landes');
    await p.fill('#f-acronym', 'JML');
    await p.fill('#f-decision_message', 'Bienvenue dans l’annuaire !');
    await Promise.all([p.waitForURL(e2e.url('/admin/moderation')), p.click('main form.mod-form button[type=submit]')]);
    await e2e.live.kernel.jobs.runDue();
    const mail = e2e.live.smtp.lastTo('lea.martin@example.org');
    assert.ok(mail);
    assert.match(mail.parsed.text ?? '', /Bienvenue dans l’annuaire/);
  });
});
