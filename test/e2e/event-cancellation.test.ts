import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { registerParticipant } from '../../src/modules/registrations/index.js';
import { insertTestEvent, testParticipant } from '../../src/modules/registrations/test-fixtures-repo.js';
import { describeWithBrowser, expectNoAxeViolations } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';

const STAFF = { email: 'lea.agenda@example.org', password: 'Agenda du réseau, printemps 2027', displayName: 'Léa Agenda' };

const person = (n: number) => testParticipant(n, 'annulation');

describeWithBrowser('an event cancelled from the back office, and the pages around it, in a real browser', () => {
  let event = { id: '', slug: '' };
  const e2e = useLiveBrowser({
    async seed(live) {
      await createActiveUser(live.kernel, { ...STAFF, role: 'staff' });
      event = await insertTestEvent(live.kernel.db, { title: 'Forum régional de l’eau', capacity: 1, description_html: '<p>Matin.</p><p>Après-midi.</p>' });
      await registerParticipant(live.kernel, event.id, person(1), { locale: 'fr' });
      await registerParticipant(live.kernel, event.id, person(2), { locale: 'en' });
    },
  });
  const { freshPage, visit, signIn } = e2e;

  test('staff open the confirmation, write to the people registered, confirm; both get their email with the .ics that removes the event', async () => {
    const p = await freshPage();
    await signIn(p, STAFF.email, STAFF.password);
    await visit(p, `/admin/agenda/${event.id}`);
    await expectNoAxeViolations(p);
    // Each field of the form named once: the image's fieldset, then its file.
    assert.equal(await p.getByLabel('Fichier de l’image').count(), 1);
    await Promise.all([p.waitForURL(e2e.url(`/admin/agenda/${event.id}?annuler=1`)), p.getByRole('link', { name: 'Annuler l’événement…' }).click()]);
    assert.equal(await p.locator('h1').innerText(), 'Annuler l’événement\u00a0: Forum régional de l’eau');
    assert.match(await p.locator('main').innerText(), /2 personnes inscrites ou en liste d’attente recevront un email/);
    await expectNoAxeViolations(p);
    // « Non » goes back, nothing changed.
    await Promise.all([p.waitForURL(e2e.url(`/admin/agenda/${event.id}`)), p.getByRole('link', { name: 'Non, garder l’événement' }).click()]);
    assert.match(await p.locator('main').innerText(), /État\s:\sPublié/);

    await visit(p, `/admin/agenda/${event.id}?annuler=1`);
    await p.getByLabel('Message aux personnes inscrites (facultatif)').fill('La salle est fermée pour travaux.\nUne autre date suivra.');
    await Promise.all([p.waitForURL(e2e.url(`/admin/agenda/${event.id}`)), p.getByRole('button', { name: 'Oui, annuler l’événement' }).click()]);
    const main = await p.locator('main').innerText();
    assert.match(main, /Événement annulé/);
    assert.match(main, /2 personnes seront prévenues par email\./);
    assert.match(main, /État\s:\sAnnulé/);
    await expectNoAxeViolations(p);

    for (const [address, subject] of [
      ['annulation1@example.org', /^Événement annulé/],
      ['annulation2@example.org', /^Event cancelled/],
    ] as const) {
      let mail;
      for (let i = 0; i < 50 && !mail; i++) {
        await e2e.live.kernel.jobs.runDue();
        mail = e2e.live.smtp.messages.find((m) => m.envelopeTo.includes(address) && subject.test(m.parsed.subject ?? ''));
        if (!mail) await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(mail, `the cancellation reached ${address}`);
      assert.match(mail.parsed.text ?? '', /> La salle est fermée pour travaux\.\n> Une autre date suivra\./);
      assert.match(mail.parsed.attachments[0]!.content.toString('utf8'), /\r\nMETHOD:CANCEL\r\n/);
    }
  });

  test('the participants page names each count table once, and passes axe', async () => {
    const p = await freshPage();
    await signIn(p, STAFF.email, STAFF.password);
    await visit(p, `/admin/agenda/${event.id}/inscriptions`);
    for (const name of ['Par type d’acteur', 'Par département']) {
      assert.equal(await p.getByRole('table', { name }).count(), 1, name);
      assert.equal(await p.getByText(name, { exact: true }).count(), 1, `« ${name} » written once`);
    }
    await expectNoAxeViolations(p);
  });

  test('the agenda offers webcal:// beside the address, and speaks of filters only when some are set', async () => {
    const p = await freshPage();
    await visit(p, '/agenda');
    const box = p.locator('#agenda-feeds');
    assert.equal(await box.getByRole('link', { name: 'S’abonner en un clic (Apple Calendrier, Outlook…)' }).getAttribute('href'), `${e2e.url('/agenda.ics').replace(/^https?:/, 'webcal:')}`);
    assert.equal(await box.getByRole('link', { name: e2e.url('/agenda.ics') }).count(), 1);
    assert.doesNotMatch(await box.innerText(), /filtres/);
    await expectNoAxeViolations(p);
    await visit(p, '/agenda?departement=33');
    assert.match(await p.locator('#agenda-feeds').innerText(), /Avec ces filtres\s:\sl’abonnement ne contient que les événements qui y répondent\./);
    await expectNoAxeViolations(p);
  });
});
