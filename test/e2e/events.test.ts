import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { addOrganisation } from '../../src/modules/directory/test-fixtures.js';
import { findEventBySlug } from '../../src/modules/events/index.js';
import { linkUserToOrganisation } from '../../src/modules/organisations/index.js';
import { describeWithBrowser, expectNoAxeViolations, expectNoHorizontalScroll, expectNoScrollingTables } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';

const STAFF = { email: 'camille.equipe@example.org', password: 'Ardoise du réseau 2026!', displayName: 'Camille Équipe' };
const MEMBER = { email: 'awa.diallo@example.org', password: 'Brume sur la Garonne 2026', displayName: 'Awa Diallo' };

describeWithBrowser('events in a real browser', () => {
  const e2e = useLiveBrowser({
    async seed(live) {
      await createActiveUser(live.kernel, { ...STAFF, role: 'staff' });
      const member = await createActiveUser(live.kernel, { ...MEMBER, role: 'member' });
      const org = await addOrganisation(live.kernel, { name: 'Eau Vive Gironde', kind_code: 'association', commune: 'Bordeaux', postcode: '33000' });
      await linkUserToOrganisation(live.kernel.db, member.id, org.id, new Date().toISOString());
    },
  });
  const { freshPage, visit, signIn } = e2e;

  test('a member proposes an event, staff publish it from moderation, it is in the back office agenda', async () => {
    const p = await freshPage();
    await signIn(p, MEMBER.email, MEMBER.password);
    await visit(p, '/mon-espace/evenements');
    await expectNoAxeViolations(p);
    await Promise.all([p.waitForURL(/\/nouveau$/), p.click('main a[href="/mon-espace/evenements/nouveau"]')]);
    await expectNoAxeViolations(p);

    // A mistake first: the end before the start; the message sits next to the field, what was typed stays.
    await p.fill('#f-title', 'Projection-débat : l’eau au Sahel');
    await p.fill('#f-start_date', '2030-06-12');
    await p.fill('#f-start_time', '18:30');
    await p.fill('#f-end_date', '2030-06-11');
    await p.fill('#f-end_time', '21:00');
    await p.fill('#f-venue', 'Cinéma Utopia');
    await p.fill('#f-commune', 'Bordeaux');
    // A repetition whose end comes before the first date: the staff form's limits, its words.
    await p.selectOption('#f-repeat_freq', 'monthly_weekday');
    await p.fill('#f-repeat_until', '2030-06-01');
    await p.click('main form button[type=submit]');
    await p.waitForSelector('#f-end_date-error');
    assert.match(await p.locator('#f-end_date-error').innerText(), /La fin doit venir après le début/);
    assert.match(await p.locator('#f-repeat_until-error').innerText(), /La date de fin de la répétition doit suivre la première date/);
    assert.equal(await p.inputValue('#f-title'), 'Projection-débat : l’eau au Sahel');
    assert.equal(await p.inputValue('#f-repeat_freq'), 'monthly_weekday');
    assert.equal(await p.inputValue('#f-repeat_until'), '2030-06-01');
    // No type was chosen in advance: the member picks one.
    assert.match(await p.locator('#f-type_code-error').innerText(), /Choisissez un type d’événement dans la liste/);
    await expectNoAxeViolations(p);
    await p.selectOption('#f-type_code', 'conference');

    // A day already past: refused for a member, next to the start date.
    await p.fill('#f-start_date', '2020-01-01');
    await p.fill('#f-end_date', '');
    await p.selectOption('#f-repeat_freq', '');
    await p.click('main form button[type=submit]');
    await p.waitForSelector('#f-start_date-error');
    assert.match(await p.locator('#f-start_date-error').innerText(), /Cette date est passée\u00a0: indiquez une date à venir/);
    assert.match(await p.locator('.error-summary').innerText(), /Le formulaire contient 1 erreur/);
    await expectNoAxeViolations(p);

    await p.fill('#f-start_date', '2030-06-12');
    await Promise.all([p.waitForURL(e2e.url('/mon-espace/evenements')), p.click('main form button[type=submit]')]);
    assert.match(await p.locator('main').innerText(), /transmis à l’équipe du réseau/);
    assert.match(await p.locator('main').innerText(), /Proposition en attente/);
    await expectNoAxeViolations(p);
    assert.equal(await findEventBySlug(e2e.live.kernel.db, 'projection-debat-l-eau-au-sahel-2030-06-12'), undefined, 'not published before review');

    const staffPage = await freshPage();
    await signIn(staffPage, STAFF.email, STAFF.password);
    await visit(staffPage, '/admin/agenda');
    assert.match(await staffPage.locator('main').innerText(), /Propositions d’événements à modérer : 1/);
    await expectNoAxeViolations(staffPage);
    await Promise.all([staffPage.waitForURL(/\/admin\/moderation\?type=event$/), staffPage.click('main a[href="/admin/moderation?type=event"]')]);
    await Promise.all([staffPage.waitForURL(/\/admin\/moderation\/[0-9a-f-]+$/), staffPage.click('main a:text("Projection-débat : l’eau au Sahel")')]);
    const diff = await staffPage.locator('main').innerText();
    assert.match(diff, /Cinéma Utopia/);
    assert.match(diff, /Eau Vive Gironde/);
    await expectNoAxeViolations(staffPage);
    await Promise.all([staffPage.waitForURL(e2e.url('/admin/moderation')), staffPage.click('main button:text("Accepter la proposition")')]);

    const published = await findEventBySlug(e2e.live.kernel.db, 'projection-debat-l-eau-au-sahel-2030-06-12');
    assert.equal(published?.event.status, 'published');
    assert.equal(published?.event.starts_at.slice(0, 16), '2030-06-12T16:30');

    await visit(staffPage, '/admin/agenda');
    await Promise.all([staffPage.waitForURL(/\/admin\/agenda\/[0-9a-f-]+$/), staffPage.click('main a:text("Projection-débat : l’eau au Sahel")')]);
    assert.match(await staffPage.locator('main').innerText(), /État : Publié/);
    await expectNoAxeViolations(staffPage);
    await visit(staffPage, '/admin/agenda/nouveau');
    await expectNoAxeViolations(staffPage);

    // On a phone, the event's change history is a list of cards: nothing scrolls sideways, nothing for the keyboard to miss.
    const phone = await freshPage(375);
    await signIn(phone, STAFF.email, STAFF.password);
    await visit(phone, `/admin/agenda/${published!.event.id}`);
    assert.ok(await phone.locator('main table.table-stack td[data-action]').count(), 'the history shows');
    await expectNoHorizontalScroll(phone, 375);
    await expectNoScrollingTables(phone);
    await expectNoAxeViolations(phone);
    // The agenda's list too: each event is a card whose cells name their column.
    await visit(phone, '/admin/agenda');
    assert.match(await phone.locator('main table.table-stack').innerText(), /Projection-débat : l’eau au Sahel/);
    await expectNoHorizontalScroll(phone, 375);
    await expectNoScrollingTables(phone);
    await expectNoAxeViolations(phone);

    await e2e.live.kernel.jobs.runDue(); // the decision's email is a job (decision 0031)
    const mail = e2e.live.smtp.lastTo(MEMBER.email);
    assert.ok(mail, 'the member was told');
    assert.match(mail.parsed.subject ?? '', /acceptée/);
  });
});
