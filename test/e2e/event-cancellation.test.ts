import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { createSeries, parseRule, validateEvent } from '../../src/modules/events/index.js';
import { registerParticipant } from '../../src/modules/registrations/index.js';
import { insertTestEvent, testParticipant } from '../../src/modules/registrations/test-fixtures-repo.js';
import { describeWithBrowser, expectNoAxeViolations, expectNoHorizontalScroll, expectNoScrollingTables } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';

const STAFF = { email: 'lea.agenda@example.org', password: 'Agenda du réseau, printemps 2027', displayName: 'Léa Agenda' };

const person = (n: number) => testParticipant(n, 'annulation');

describeWithBrowser('an event cancelled from the back office, and the pages around it, in a real browser', () => {
  let event = { id: '', slug: '' };
  let series: string[] = [];
  const e2e = useLiveBrowser({
    async seed(live) {
      await createActiveUser(live.kernel, { ...STAFF, role: 'staff' });
      event = await insertTestEvent(live.kernel.db, { title: 'Forum régional de l’eau', capacity: 1, description_html: '<p>Matin.</p><p>Après-midi.</p>' });
      await registerParticipant(live.kernel, event.id, person(1), { locale: 'fr' });
      await registerParticipant(live.kernel, event.id, person(2), { locale: 'en' });
      // A monthly meeting, its second Tuesday: the same person registered to its second and third dates.
      const checked = validateEvent(
        { title: 'Groupe pays Mali', type_code: 'network_meeting', start_date: '2030-01-08', start_time: '18:00', end_time: '20:00', venue: 'Maison des associations' },
        { types: ['network_meeting'], themes: [] },
        { ids: [] },
      );
      assert.ok(checked.ok);
      series = (await createSeries(live.kernel, { id: null, email: 'seed@example.org' }, checked.draft, parseRule('FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU;COUNT=3')!, 'published')).eventIds;
      for (const [date, n] of [
        [series[1]!, 3],
        [series[2]!, 3],
        [series[2]!, 4],
      ] as const) {
        assert.equal((await registerParticipant(live.kernel, date, person(n), { byStaff: true, locale: 'fr' })).kind, 'created');
      }
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

  test('« cette date et les suivantes »: a confirmation page lists the dates and who is registered to each, passes axe, then tells each person once', async () => {
    const second = series[1]!;
    const p = await freshPage();
    await signIn(p, STAFF.email, STAFF.password);
    await visit(p, `/admin/agenda/${second}`);
    await Promise.all([p.waitForURL(e2e.url(`/admin/agenda/${second}?annuler=suivantes`)), p.getByRole('link', { name: 'Annuler cette date et les suivantes…' }).click()]);
    assert.equal(await p.locator('h1').innerText(), 'Annuler cette date et les suivantes\u00a0: Groupe pays Mali');
    const table = p.getByRole('table', { name: 'Dates à annuler, avec les personnes inscrites et en liste d’attente à chacune' });
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => (td.textContent ?? '').trim())));
    assert.deepEqual(
      rows.map(([when, registered, waiting]) => [/ (\d+ \S+) 2030/.exec(when ?? '')?.[1], registered, waiting]),
      [
        ['12 février', '1', '0'],
        ['12 mars', '2', '0'],
      ],
    );
    const main = await p.locator('main').innerText();
    assert.match(main, /2 dates seront annulées/);
    assert.match(main, /2 personnes inscrites ou en liste d’attente recevront un email/);
    await expectNoAxeViolations(p);
    // « Non » goes back, nothing changed.
    await Promise.all([p.waitForURL(e2e.url(`/admin/agenda/${second}`)), p.getByRole('link', { name: 'Non, garder ces dates' }).click()]);
    assert.match(await p.locator('main').innerText(), /État\s:\sPublié/);

    // On a phone, the dates read as cards, nothing scrolls sideways.
    const phone = await freshPage(375);
    await signIn(phone, STAFF.email, STAFF.password);
    await visit(phone, `/admin/agenda/${second}?annuler=suivantes`);
    await expectNoHorizontalScroll(phone, 375);
    await expectNoScrollingTables(phone);
    await expectNoAxeViolations(phone);
    await phone.getByLabel('Message aux personnes inscrites (facultatif)').fill('Le groupe fait une pause.\nReprise à la rentrée.');
    await Promise.all([phone.waitForURL(e2e.url(`/admin/agenda/${second}`)), phone.getByRole('button', { name: 'Oui, annuler ces 2 dates' }).click()]);
    const after = await phone.locator('main').innerText();
    assert.match(after, /2 dates de la série annulées\./);
    assert.match(after, /2 personnes seront prévenues par email\./);
    await expectNoAxeViolations(phone);
    const statuses = await e2e.live.kernel.db.selectFrom('events').select(['id', 'status']).where('id', 'in', series).execute();
    assert.deepEqual(series.map((id) => statuses.find((e) => e.id === id)?.status), ['published', 'cancelled', 'cancelled']);

    let grouped;
    for (let i = 0; i < 50 && !(grouped && e2e.live.smtp.messages.some((m) => m.envelopeTo.includes('annulation4@example.org'))); i++) {
      await e2e.live.kernel.jobs.runDue();
      grouped = e2e.live.smtp.messages.find((m) => m.envelopeTo.includes('annulation3@example.org') && /dates annulées/.test(m.parsed.subject ?? ''));
      if (!grouped) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(grouped, 'the person registered to both dates got one email for both');
    assert.equal(grouped.parsed.attachments.length, 2);
    assert.match(grouped.parsed.text ?? '', /> Le groupe fait une pause\.\n> Reprise à la rentrée\./);
    assert.equal(e2e.live.smtp.messages.filter((m) => m.envelopeTo.includes('annulation3@example.org') && /annulé/i.test(m.parsed.subject ?? '')).length, 1);
    assert.ok(
      e2e.live.smtp.messages.some((m) => m.envelopeTo.includes('annulation4@example.org') && /^Événement annulé/.test(m.parsed.subject ?? '')),
      'the person registered to one date got that date’s email',
    );
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
