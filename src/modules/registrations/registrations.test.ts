import assert from 'node:assert/strict';
import { fieldError, recapOf } from './test-pages.js';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { ShiftedClock } from '../../../test/helpers/clock.js';
import { formatDateTime } from '../../kernel/i18n/index.js';
import { toLocalInputs } from '../../kernel/time/zoned.js';
import { type EventRow, eventWhen } from '../events/index.js';
import { REMINDER_JOB } from './jobs.js';
import { registrationToken } from './deps.js';
import { registrationsOfEmail } from './staff.js';
import { insertTestEvent } from './test-fixtures-repo.js';

const form = (i: number | string, extra: Record<string, string> = {}) => ({
  first_name: 'Awa',
  last_name: `Diallo ${i}`,
  email: `awa${i}@example.org`,
  organisation_name: 'Eau Vive Gironde',
  organisation_kind: 'association',
  organisation_department: '33',
  consent: '1',
  ...extra,
});

/** Sends the form and follows the answer: a 303 to the confirmation page, which this same browser then sees. */
async function registerAt(client: Client, slug: string, fields: Record<string, string>) {
  const posted = await client.post(`/agenda/${slug}/inscription`, fields);
  assert.equal(posted.statusCode, 303, posted.body.slice(0, 300));
  assert.equal(posted.headers.location, `/agenda/${slug}/inscription/confirmation`);
  const page = await client.get(String(posted.headers.location));
  assert.equal(page.statusCode, 200);
  return page;
}

const h1 = (html: string) => /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1];
const titleOf = (html: string) => /<title>([\s\S]*?)<\/title>/.exec(html)?.[1];

forEachDialect('Inscriptions : formulaire, lien personnel, liste d’attente, back-office', (dialect) => {
  let t: TestApp;
  let staff: Client;
  const clock = new ShiftedClock();
  before(async () => {
    t = await testApp(dialect, { clock });
    staff = await t.loginAs('staff');
  });
  after(async () => t.close());

  async function deliver(): Promise<void> {
    await t.kernel.jobs.runDue();
  }

  test('s’inscrire, recevoir la confirmation avec le .ics et le lien, annuler : la personne en attente monte et est prévenue', async () => {
    const event = await insertTestEvent(t.kernel.db, { capacity: 1, title: 'Formation « eau » ; Gironde' });
    const visitor = t.client();
    const page = await visitor.get(`/agenda/${event.slug}/inscription`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Places restantes : 1/);

    const first = await registerAt(visitor, event.slug, form(1, { email: 'Awa1@Example.org' }));
    assert.match(first.body, /Votre place est réservée/);
    const second = await registerAt(t.client(), event.slug, form(2));
    assert.match(second.body, /liste d’attente \(position 1\)/);
    // The same address again, in another case: no second registration, the link is sent again.
    // The page is the one a new registration would get now (full: the waiting list), never « déjà inscrite ».
    const again = await registerAt(t.client(), event.slug, form(1, { email: 'AWA1@example.org' }));
    assert.match(again.body, /liste d’attente \(position 2\)/);
    assert.doesNotMatch(again.body, /déjà inscrite/);

    const sent = t.smtp.messages.length;
    await deliver();
    await t.smtp.waitFor(sent + 3);
    const confirmation = t.smtp.messages.find((m) => m.envelopeTo.some((a) => a.toLowerCase() === 'awa1@example.org') && /confirmée/.test(m.parsed.subject ?? ''))!;
    assert.ok(confirmation, 'confirmation sent to the address');
    assert.match(confirmation.envelopeTo[0]!, /^Awa1@/, 'as typed');
    assert.equal(confirmation.parsed.attachments.length, 1);
    const ics = confirmation.parsed.attachments[0]!.content.toString('utf8');
    assert.match(ics, /BEGIN:VEVENT/);
    assert.match(ics, new RegExp(`UID:${event.id}@localhost`));
    assert.match(ics, /SUMMARY:Formation « eau » \\; Gironde/);
    // The title's own quotes become the inner ones: never « « … » » in the sentence.
    assert.match(confirmation.parsed.text ?? '', /Votre inscription à «\u00a0Formation “eau” ; Gironde\u00a0» est confirmée\./);
    assert.doesNotMatch(confirmation.parsed.text ?? '', /«\s*«|»\s*»/);
    const waitlisted = t.smtp.lastTo('awa2@example.org')!;
    assert.match(waitlisted.parsed.subject ?? '', /Liste d’attente/);
    assert.equal(waitlisted.parsed.attachments.length, 0, 'no .ics without a seat');

    const link = t.smtp.linkIn(confirmation, /http:\/\/localhost:3000\/inscriptions\/[A-Za-z0-9_-]+/).replace('http://localhost:3000', '');
    const personal = await t.client().get(link);
    assert.equal(personal.statusCode, 200);
    assert.match(personal.body, /<strong>Statut de votre inscription\u00a0:<\/strong> <span class="badge badge-registered">Inscrit·e<\/span>/);
    const calendar = await t.client().get(`${link}/evenement.ics`);
    assert.equal(calendar.statusCode, 200);
    assert.match(calendar.headers['content-type'] as string, /text\/calendar/);
    // Saved under a French name, after the event, like the copy attached to the email.
    assert.equal(confirmation.parsed.attachments[0]!.filename, `evenement-${event.slug}.ics`);
    assert.equal(calendar.headers['content-disposition'], `attachment; filename="evenement-${event.slug}.ics"; filename*=UTF-8''evenement-${event.slug}.ics`);

    const owner = t.client();
    const personalPage = await owner.get(link);
    // Cancelling takes two steps: the page only links to a confirmation, where the form is.
    assert.match(personalPage.body, new RegExp(`<a class="button button-danger" href="${link}/annuler">Annuler mon inscription</a>`));
    assert.doesNotMatch(personalPage.body, /<form[^>]*action="[^"]*\/annuler"/);
    // Nobody may be waiting: the page does not promise the seat to someone.
    assert.match(personalPage.body, /Si des personnes attendent une place, la vôtre ira à la première de la liste d’attente\./);
    const confirm = await owner.get(`${link}/annuler`);
    assert.equal(confirm.statusCode, 200);
    assert.equal(h1(confirm.body), 'Confirmer l’annulation : Formation « eau » ; Gironde');
    assert.match(titleOf(confirm.body) ?? '', /^Confirmer l’annulation : Formation « eau » ; Gironde · /);
    assert.equal(confirm.headers['referrer-policy'], 'no-referrer');
    const confirmForm = /<form method="post" action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(confirm.body.slice(confirm.body.indexOf('<main')));
    assert.ok(confirmForm, 'a real form confirms');
    assert.equal(confirmForm[1], `${link}/annuler`);
    assert.match(confirmForm[2]!, /name="_csrf" value="[^"]+"/);
    assert.match(confirmForm[2]!, /<input type="hidden" name="confirmer" value="1"\/?>/);
    assert.match(confirmForm[2]!, /<button type="submit" class="button button-danger">Oui, annuler mon inscription<\/button>/);
    assert.match(confirmForm[2]!, new RegExp(`<a class="button button-secondary" href="${link}">Non, garder mon inscription</a>`));
    const stillThere = async () => (await t.kernel.db.selectFrom('registrations').select('status').where('email_lower', '=', 'awa1@example.org').where('event_id', '=', event.id).executeTakeFirstOrThrow()).status;
    assert.equal(await stillThere(), 'registered', 'opening the confirmation changes nothing');
    // A form without the confirmation (a page from before this step) is asked to confirm; nothing changes.
    const unconfirmed = await owner.post(`${link}/annuler`);
    assert.equal(unconfirmed.statusCode, 303);
    assert.equal(unconfirmed.headers.location, `${link}/annuler`);
    assert.equal(await stillThere(), 'registered');
    assert.equal((await owner.post(`${link}/annuler`, { confirmer: '1' }, { csrf: false })).statusCode, 403, 'no CSRF token, no cancellation');
    assert.equal(await stillThere(), 'registered');
    const before = t.smtp.messages.length;
    const posted = await owner.post(`${link}/annuler`, { confirmer: '1' });
    // Answered at the personal page's own address, which still answers when reloaded.
    assert.equal(posted.statusCode, 303);
    const landing = String(posted.headers.location);
    assert.equal(landing.replace(/\?.*/, ''), new URL(link, 'http://x').pathname);
    const cancelled = await owner.get(landing);
    assert.equal(cancelled.statusCode, 200);
    assert.match(cancelled.body, /Votre inscription est annulée/);
    assert.match(cancelled.body, /Annulée/);
    assert.match(cancelled.body, new RegExp(`<a href="/agenda/${event.slug}/inscription">Vous inscrire à nouveau</a>`));
    assert.doesNotMatch((await owner.get(link)).body, /Votre inscription est annulée/, 'said once, after cancelling, not on every visit');
    // Cancelled, the confirmation step leads back to the page, which says so.
    const twice = await owner.get(`${link}/annuler`);
    assert.equal(twice.statusCode, 303);
    assert.match(String(twice.headers.location), /\?annulation=deja$/);
    // The journal names the participant who cancelled through their link, not « Système ».
    const entry = await t.kernel.db.selectFrom('audit_log').select(['actor_id', 'actor_email']).where('action', '=', 'registration.cancelled').where('entity_type', '=', 'registration').orderBy('at', 'desc').executeTakeFirstOrThrow();
    assert.deepEqual(entry, { actor_id: null, actor_email: 'awa1@example.org' });
    const admin = await t.loginAs('admin');
    const journal = (await admin.get('/admin/journal?action=registration.cancelled')).body;
    const row = /<tr>[\s\S]*?Inscription annulée[\s\S]*?<\/tr>/.exec(journal)?.[0] ?? '';
    assert.match(row, /<td data-label="Auteur \(email\)">awa1@example\.org<\/td>/);
    assert.doesNotMatch(row, /Système/);
    await deliver();
    await t.smtp.waitFor(before + 2);
    const promoted = t.smtp.lastTo('awa2@example.org')!;
    assert.match(promoted.parsed.subject ?? '', /Une place s’est libérée/);
    assert.equal(promoted.parsed.attachments.length, 1, 'the promoted person gets the .ics');
    const rows = await t.kernel.db.selectFrom('registrations').select(['email', 'status']).where('event_id', '=', event.id).orderBy('sequence').execute();
    assert.deepEqual(
      rows.map((r) => r.status),
      ['cancelled', 'registered'],
    );

    // The person who cancelled registers again: the same registration and link come back, at the
    // end of the queue (the seat went to the next person), and are confirmed again by email.
    const beforeReturn = t.smtp.messages.length;
    const back = await registerAt(t.client(), event.slug, form(1, { email: 'awa1@example.org' }));
    assert.match(back.body, /liste d’attente \(position 1\)/);
    assert.doesNotMatch(back.body, /déjà inscrite/);
    await deliver();
    await t.smtp.waitFor(beforeReturn + 1);
    assert.match(t.smtp.lastTo('awa1@example.org')!.parsed.subject ?? '', /Liste d’attente/);
    const after = await t.kernel.db.selectFrom('registrations').select(['email_lower', 'status']).where('event_id', '=', event.id).orderBy('sequence').execute();
    assert.deepEqual(after.map((r) => [r.email_lower, r.status]), [['awa2@example.org', 'registered'], ['awa1@example.org', 'waitlisted']]);
    assert.match((await t.client().get(link)).body, /En liste d’attente|liste d’attente/i, 'the old personal link shows the registration as it is now');
  });

  test('la confirmation a sa propre adresse (POST-redirect-GET) : la recharger ne renvoie rien et ne la change pas', async () => {
    const event = await insertTestEvent(t.kernel.db, { capacity: 1, title: 'Atelier « plaidoyer » & climat' });
    const visitor = t.client();
    await visitor.get(`/agenda/${event.slug}/inscription`);
    const queued = async () => (await t.kernel.db.selectFrom('jobs').select('id').execute()).length;
    const jobsBefore = await queued();
    const done = await registerAt(visitor, event.slug, form(60));
    // The heading names the event; the tab's title says the same.
    assert.equal(h1(done.body), 'Inscription enregistrée : Atelier « plaidoyer » &amp; climat');
    assert.match(titleOf(done.body) ?? '', /^Inscription enregistrée : Atelier « plaidoyer » &amp; climat · /);
    assert.match(done.body, /<div class="flash flash-success" role="status">\s*<p>Votre place est réservée/);
    assert.match(String(done.headers['cache-control']), /no-store/);
    const jobsAfter = await queued();
    // Reloaded (twice): the same page, nothing sent again, nothing kept again.
    for (let i = 0; i < 2; i++) {
      const reloaded = await visitor.get(`/agenda/${event.slug}/inscription/confirmation`);
      assert.equal(reloaded.statusCode, 200);
      assert.equal(h1(reloaded.body), h1(done.body));
      assert.equal(/<main[\s\S]*<\/main>/.exec(reloaded.body)?.[0], /<main[\s\S]*<\/main>/.exec(done.body)?.[0]);
    }
    assert.equal(await queued(), jobsAfter, 'no second email queued by reloading');
    assert.ok(jobsAfter > jobsBefore, 'the confirmation email was queued once');
    const rows = await t.kernel.db.selectFrom('registrations').select('id').where('event_id', '=', event.id).execute();
    assert.equal(rows.length, 1);
    await deliver();
    assert.equal(t.smtp.messages.filter((m) => m.envelopeTo.includes('awa60@example.org')).length, 1, 'one email to the person');

    // Another browser at the same address learns nothing: it is shown the form.
    const stranger = await t.client().get(`/agenda/${event.slug}/inscription/confirmation`);
    assert.equal(stranger.statusCode, 303);
    assert.equal(stranger.headers.location, `/agenda/${event.slug}/inscription`);

    // The event is full: the waiting list says so in its heading.
    const waiting = await registerAt(t.client(), event.slug, form(61));
    assert.equal(h1(waiting.body), 'En liste d’attente : Atelier « plaidoyer » &amp; climat');
    assert.match(waiting.body, /liste d’attente \(position 1\)/);

    // An address already registered (any capitalisation) is not revealed: the page is the one a new
    // registration would get now; the address's owner receives their link by email.
    const duplicate = await registerAt(t.client(), event.slug, form(60, { email: 'AWA60@Example.org' }));
    assert.equal(h1(duplicate.body), h1(waiting.body));
    assert.match(titleOf(duplicate.body) ?? '', /^En liste d’attente\u00a0: /);
    assert.match(duplicate.body, /<div class="flash flash-success" role="status">\s*<p>L’événement est complet\u00a0: vous êtes en liste d’attente \(position 2\)/);
    assert.doesNotMatch(duplicate.body, /déjà inscrite|Adresse déjà/);

    // The same browser then registers someone else to another event: each confirmation stays its own.
    const other = await insertTestEvent(t.kernel.db, { title: 'Autre rencontre' });
    assert.match(h1((await registerAt(visitor, other.slug, form(62))).body) ?? '', /^Inscription enregistrée : Autre rencontre$/);
    assert.equal(h1((await visitor.get(`/agenda/${event.slug}/inscription/confirmation`)).body), h1(done.body));

    // Short-lived: hours later the address leads back to the form.
    clock.offset = 3 * 3_600_000;
    try {
      const later = await visitor.get(`/agenda/${event.slug}/inscription/confirmation`);
      assert.equal(later.statusCode, 303);
      assert.equal(later.headers.location, `/agenda/${event.slug}/inscription`);
    } finally {
      clock.offset = 0;
    }
  });

  test('inscriptions fermées : le titre de l’onglet et le titre de la page disent la même chose', async () => {
    const past = await insertTestEvent(t.kernel.db, {
      title: 'Rencontre passée',
      starts_at: new Date(Date.now() - 3 * 86_400_000).toISOString(),
      ends_at: new Date(Date.now() - 3 * 86_400_000 + 3_600_000).toISOString(),
    });
    const page = await t.client().get(`/agenda/${past.slug}/inscription`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Cet événement est terminé\./);
    assert.equal(h1(page.body), 'Inscriptions fermées : Rencontre passée');
    assert.match(titleOf(page.body) ?? '', /^Inscriptions fermées : Rencontre passée · /);
    // Members only: the registrations are open, and both titles say « Inscription : … ».
    const members = await insertTestEvent(t.kernel.db, { title: 'Réservée aux membres', account_required: 1 });
    const account = await t.client().get(`/agenda/${members.slug}/inscription`);
    assert.equal(h1(account.body), 'Inscription : Réservée aux membres');
    assert.match(titleOf(account.body) ?? '', /^Inscription : Réservée aux membres · /);
    const unknown = await t.client().get('/agenda/inconnu/inscription');
    assert.equal(h1(unknown.body), 'Événement introuvable');
    assert.match(titleOf(unknown.body) ?? '', /^Événement introuvable · /);
  });

  test('un membre connecté trouve son prénom, son nom et son adresse déjà saisis', async () => {
    const event = await insertTestEvent(t.kernel.db, {});
    const member = await t.loginAs('member', 'prefill.member@example.org');
    const page = await member.get(`/agenda/${event.slug}/inscription`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /id="f-first_name"[^>]*value="member"/);
    assert.match(page.body, /id="f-last_name"[^>]*value="\d+"/);
    assert.match(page.body, /id="f-email"[^>]*value="prefill\.member@example\.org"/);
  });

  test('déjà inscrit·e : un membre connecté avec sa propre adresse le lit ; en liste d’attente, l’email renvoyé le dit', async () => {
    const event = await insertTestEvent(t.kernel.db, { capacity: 1, title: 'Forum doublons' });
    const member = await t.loginAs('member', 'doublon.member@example.org');
    await registerAt(member, event.slug, form(80, { email: 'doublon.member@example.org' }));
    const own = await registerAt(member, event.slug, form(80, { email: 'Doublon.Member@example.org' }));
    assert.match(own.body, /Cette adresse est déjà inscrite à cet événement/, 'their own data: told directly');
    // Someone on the waiting list asking again: the link email speaks of the waiting list.
    await registerAt(t.client(), event.slug, form(81));
    const sent = t.smtp.messages.length;
    await registerAt(t.client(), event.slug, form(81, { email: 'AWA81@example.org' }));
    await deliver();
    await t.smtp.waitFor(sent + 2);
    const link = t.smtp.messages.slice(sent).find((m) => m.envelopeTo.some((a) => a.toLowerCase() === 'awa81@example.org') && /déjà/.test(m.parsed.text ?? ''));
    assert.ok(link, 'the personal link sent again');
    assert.match(link.parsed.text ?? '', /où vous êtes déjà sur la liste d’attente \(position 1\)/);
    assert.doesNotMatch(link.parsed.text ?? '', /déjà inscrit·e/);
  });

  test('mauvaises saisies : messages en français, rien d’enregistré', async () => {
    const questions = JSON.stringify([
      { id: 'diet', label: 'Régime alimentaire', kind: 'choice', options: ['Aucun', 'Végétarien'], required: true },
      { id: 'photo', label: 'J’accepte d’être photographié·e', kind: 'checkbox', required: true },
    ]);
    const event = await insertTestEvent(t.kernel.db, { questions });
    const visitor = t.client();
    const page = await visitor.get(`/agenda/${event.slug}/inscription`);
    assert.match(page.body, /Régime alimentaire/);
    // The organisation (or « à titre individuel ») is required; its name and kind only without a
    // directory pick: said before sending, not only after (individual.test.ts says more).
    assert.match(page.body, /<fieldset id="f-organisation_id" class="form-section" tabindex="-1" aria-describedby="f-organisation_id-hint">\s*<legend><span>Votre structure<\/span><span class="required" aria-hidden="true"> \*<\/span><\/legend>\s*<p class="hint" id="f-organisation_id-hint">Obligatoire\u00a0: choisissez votre structure dans l’annuaire ou, si elle n’y est pas, indiquez son nom et son type\./);
    // The directory search stands in that group, where the hint says to search, yet is a form of its
    // own: a GET of the same page, never the registration's POST.
    assert.match(page.body, new RegExp(`<form method="get" action="/agenda/${event.slug}/inscription" id="registration-search" data-keeps="registration-form"></form>`));
    const group = /<fieldset id="f-organisation_id"[\s\S]*?<\/fieldset>/.exec(page.body)?.[0] ?? '';
    assert.match(group, /<input id="f-find-q" name="q" type="text"[^>]* form="registration-search"\/?>/);
    assert.match(group, /<button type="submit" class="button button-secondary" form="registration-search">Rechercher<\/button>/);
    // The consent is marked required like the other required fields, before sending.
    assert.match(page.body, /<input type="checkbox" id="f-consent" name="consent" value="1" required[^>]*>\s*<label for="f-consent"><span>J’accepte[^<]*<\/span><span class="required" aria-hidden="true"> \*<\/span><\/label>/);
    const missing = await visitor.post(`/agenda/${event.slug}/inscription`, form(10, { email: 'pas-une-adresse', consent: '' }));
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /Saisissez une adresse email valide/);
    // Each missing answer names its question, in the summary as beside the field.
    assert.match(missing.body, /<a href="#f-answer_diet">Régime alimentaire — Une réponse est obligatoire\.<\/a>/);
    assert.match(missing.body, /J’accepte d’être photographié·e — Une réponse est obligatoire\./);
    assert.match(missing.body, /Cochez cette case pour vous inscrire/);
    assert.match(missing.body, /aria-describedby="f-answer_diet-error"/);
    // Every error at once: the organisation too, not in a second round.
    const empty = await visitor.post(`/agenda/${event.slug}/inscription`, { consent: '' });
    assert.equal(empty.statusCode, 400);
    // Each empty field says what it wants: a summary of three « Ce champ est obligatoire. » would not.
    assert.doesNotMatch(empty.body, /Ce champ est obligatoire/);
    for (const message of [/Saisissez votre prénom/, /Saisissez votre nom/, /Saisissez une adresse email valide/, /Cochez cette case pour vous inscrire/, /Choisissez votre structure dans l’annuaire ou saisissez son nom/, /Choisissez le type de votre structure/]) {
      assert.match(empty.body, message);
    }
    // An empty name is asked for; a too long one says so: each mistake its own message.
    assert.equal(fieldError(empty.body, 'first_name'), 'Saisissez votre prénom.');
    assert.equal(fieldError(empty.body, 'last_name'), 'Saisissez votre nom.');
    const long = await visitor.post(`/agenda/${event.slug}/inscription`, form(10, { first_name: 'A'.repeat(101), last_name: 'B'.repeat(101), answer_diet: 'Aucun', answer_photo: '1' }));
    assert.equal(long.statusCode, 400);
    assert.equal(fieldError(long.body, 'first_name'), 'Votre prénom ne doit pas dépasser 100 caractères.');
    assert.equal(fieldError(long.body, 'last_name'), 'Votre nom ne doit pas dépasser 100 caractères.');
    assert.doesNotMatch(long.body, /Saisissez votre (pré)?nom/);
    const hostile = await visitor.post(`/agenda/${event.slug}/inscription`, form(10, { answer_diet: 'Cannibale', answer_photo: '1' }));
    assert.equal(hostile.statusCode, 400);
    assert.match(hostile.body, /Choisissez une réponse de la liste/);
    const n = await t.kernel.db.selectFrom('registrations').select('id').where('event_id', '=', event.id).execute();
    assert.equal(n.length, 0);
    await registerAt(visitor, event.slug, form(10, { answer_diet: 'Végétarien', answer_photo: '1' }));

    const late = await insertTestEvent(t.kernel.db, { registration_deadline: new Date(Date.now() - 60_000).toISOString() });
    const closedPage = await t.client().get(`/agenda/${late.slug}/inscription`);
    assert.match(closedPage.body, /La date limite d’inscription est passée/);
    const latePost = await visitor.post(`/agenda/${late.slug}/inscription`, form(11));
    assert.equal(latePost.statusCode, 409);
    assert.match(latePost.body, /La date limite d’inscription est passée/);
    const cancelled = await insertTestEvent(t.kernel.db, { status: 'cancelled' });
    const cancelledPost = await visitor.post(`/agenda/${cancelled.slug}/inscription`, form(12));
    assert.equal(cancelledPost.statusCode, 409);
    assert.match(cancelledPost.body, /Cet événement est annulé/);
    const none = await t.kernel.db.selectFrom('registrations').select('id').where('event_id', 'in', [late.id, cancelled.id]).execute();
    assert.equal(none.length, 0);
    assert.equal((await t.client().get('/agenda/inconnu/inscription')).statusCode, 404);
    assert.equal((await t.client().get('/inscriptions/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).statusCode, 404);
  });

  test('la confirmation (page et email) récapitule le nom, l’adresse, chaque question et sa réponse, échappées, et la liste d’attente', async () => {
    const questions = JSON.stringify([
      { id: 'allergies', label: 'Allergies ou remarques', kind: 'text', required: true },
      { id: 'meal', label: 'Repas du midi', kind: 'choice', options: ['Végétarien', 'Avec viande'], required: false },
      { id: 'photo', label: 'J’accepte d’être photographié·e', kind: 'checkbox', required: false },
      { id: 'carpool', label: 'Je propose un covoiturage', kind: 'checkbox', required: false },
      { id: 'access', label: 'Besoin d’accessibilité ?', kind: 'text', required: false },
    ]);
    const event = await insertTestEvent(t.kernel.db, { capacity: 1, questions, title: 'Formation recap' });
    const hostile = 'Arachides <script>alert("x")</script> & co\nEt le gluten';
    const answers = { answer_allergies: hostile, answer_meal: 'Végétarien', answer_photo: '1', answer_access: '' };
    const visitor = t.client();
    const sent = t.smtp.messages.length;
    const done = await registerAt(visitor, event.slug, form(70, answers));
    // The page recaps what was sent, every question in the form's order, in words.
    assert.deepEqual(recapOf(done.body), [
      ['Nom', 'Awa Diallo 70'],
      ['Adresse email', 'awa70@example.org'],
      ['Structure', 'Eau Vive Gironde'],
      ['Allergies ou remarques', 'Arachides <script>alert("x")</script> & co\nEt le gluten'],
      ['Repas du midi', 'Végétarien'],
      ['J’accepte d’être photographié·e', 'Oui'],
      ['Je propose un covoiturage', 'Non'],
      ['Besoin d’accessibilité ?', '(sans réponse)'],
      ['Statut', 'Inscrit·e'],
    ]);
    assert.doesNotMatch(done.body, /<script>alert/, 'the answer is escaped on the page');
    assert.match(done.body, /<dd>Arachides &lt;script(>|&gt;)alert\(&(#34|quot);x&(#34|quot);\)&lt;\/script(>|&gt;) &amp; co\nEt le gluten<\/dd>/);
    // Reloaded, the same recap.
    assert.deepEqual(recapOf((await visitor.get(`/agenda/${event.slug}/inscription/confirmation`)).body), recapOf(done.body));

    // The event is now full: the second person's page and email say the waiting list and its position.
    const second = await registerAt(t.client(), event.slug, form(71, { answer_allergies: 'Aucune', answer_meal: 'Avec viande', answer_carpool: '1' }));
    assert.deepEqual(recapOf(second.body)?.slice(3), [
      ['Allergies ou remarques', 'Aucune'],
      ['Repas du midi', 'Avec viande'],
      ['J’accepte d’être photographié·e', 'Non'],
      ['Je propose un covoiturage', 'Oui'],
      ['Besoin d’accessibilité ?', '(sans réponse)'],
      ['Statut', 'En liste d’attente (position 1)'],
    ]);

    // Someone typing an address already registered, from another browser, learns nothing of its answers.
    const existing = await registerAt(t.client(), event.slug, form(70, { answer_allergies: 'Rien' }));
    assert.doesNotMatch(existing.body, /déjà inscrite/);
    assert.equal(recapOf(existing.body), null);
    assert.doesNotMatch(existing.body, /Arachides|Végétarien|Diallo 70/);

    await deliver();
    await t.smtp.waitFor(sent + 3);
    const confirmation = t.smtp.messages.slice(sent).find((m) => m.envelopeTo.includes('awa70@example.org') && /confirmée/.test(m.parsed.subject ?? ''))!;
    assert.ok(confirmation, 'the confirmation was sent');
    const text = confirmation.parsed.text ?? '';
    assert.match(text, /Récapitulatif de votre inscription/);
    for (const line of [
      '- Nom\u00a0: Awa Diallo 70',
      '- Adresse email\u00a0: awa70@example.org',
      '- Structure\u00a0: Eau Vive Gironde',
      '- Allergies ou remarques\u00a0: Arachides <script>alert("x")</script> & co\n  Et le gluten',
      '- Repas du midi\u00a0: Végétarien',
      '- J’accepte d’être photographié·e\u00a0: Oui',
      '- Je propose un covoiturage\u00a0: Non',
      '- Besoin d’accessibilité ? (sans réponse)',
      '- Statut\u00a0: Inscrit·e',
    ]) {
      assert.ok(text.includes(line), `the text part has « ${line} »:\n${text}`);
    }
    assert.match(text, /\nVoir, modifier ou annuler mon inscription\u00a0: http:\/\/localhost:3000\/inscriptions\/[A-Za-z0-9_-]+\n/);
    // The HTML part recaps the same, every answer escaped.
    const html = String(confirmation.parsed.html);
    assert.match(html, /Récapitulatif de votre inscription/);
    assert.match(html, /<strong>Allergies ou remarques\u00a0:<\/strong> <span>Arachides &lt;script(>|&gt;)alert\(&(#34|quot);x&(#34|quot);\)&lt;\/script(>|&gt;) &amp; co<\/span><br\/?><span>Et le gluten<\/span>/);
    assert.doesNotMatch(html, /<script/i);
    assert.match(html, /<strong>J’accepte d’être photographié·e\u00a0:<\/strong> <span>Oui<\/span>/);
    assert.match(html, /<strong>Besoin d’accessibilité \?<\/strong> <span>\(sans réponse\)<\/span>/);

    const waiting = t.smtp.lastTo('awa71@example.org')!;
    assert.match(waiting.parsed.subject ?? '', /Liste d’attente/);
    assert.ok((waiting.parsed.text ?? '').includes('- Je propose un covoiturage\u00a0: Oui'));
    assert.ok((waiting.parsed.text ?? '').includes('- Statut\u00a0: En liste d’attente (position 1)'));
    // Each email carries its own person's answers only; the link sent again to the first address recaps nothing.
    assert.doesNotMatch(waiting.parsed.text ?? '', /Arachides/);
    const link = t.smtp.messages.slice(sent).find((m) => m.envelopeTo.includes('awa70@example.org') && /Votre lien/.test(m.parsed.subject ?? ''))!;
    assert.ok(link, 'the link was sent again');
    assert.doesNotMatch(link.parsed.text ?? '', /Récapitulatif|Arachides|Rien/);
  });

  test('la page de confirmation ne montre que ce que ce navigateur a envoyé : corrigées par le lien personnel, les informations n’y apparaissent pas', async () => {
    const questions = JSON.stringify([{ id: 'diet', label: 'Régime alimentaire', kind: 'text', required: false }]);
    const event = await insertTestEvent(t.kernel.db, { questions, title: 'Formation confidentialité' });
    // Browser A registers address X (someone else's perhaps) with details of its own.
    const browserA = t.client();
    const typedByA = form(90, { phone: '05 56 00 00 90', answer_diet: 'Saisi par A' });
    const done = await registerAt(browserA, event.slug, typedByA);
    assert.deepEqual(recapOf(done.body)?.slice(0, 5), [
      ['Nom', 'Awa Diallo 90'],
      ['Adresse email', 'awa90@example.org'],
      ['Téléphone', '05 56 00 00 90'],
      ['Structure', 'Eau Vive Gironde'],
      ['Régime alimentaire', 'Saisi par A'],
    ]);
    const sent = t.smtp.messages.length;
    await deliver();
    await t.smtp.waitFor(sent + 1);

    // The owner of X corrects everything through the personal link, from their own browser.
    const link = t.smtp.linkIn(t.smtp.lastTo('awa90@example.org')!, /http:\/\/localhost:3000\/inscriptions\/[A-Za-z0-9_-]+/).replace('http://localhost:3000', '');
    const owner = t.client();
    await owner.get(link);
    const corrected = { first_name: 'Mariama', last_name: 'Vraie Personne', phone: '06 12 34 56 78', organisation_name: 'Structure de la propriétaire', organisation_kind: 'association', organisation_department: '33', answer_diet: 'Réponse de la propriétaire' };
    const saved = await owner.post(link, corrected);
    assert.equal(saved.statusCode, 200);
    assert.match(saved.body, /Réponse de la propriétaire/, 'the change is saved');

    // Browser A reloads its confirmation: still the outcome, but no recap, and none of the owner's details.
    const reloaded = await browserA.get(`/agenda/${event.slug}/inscription/confirmation`);
    assert.equal(reloaded.statusCode, 200);
    assert.equal(h1(reloaded.body), h1(done.body));
    assert.equal(recapOf(reloaded.body), null);
    assert.doesNotMatch(reloaded.body, /Mariama|Vraie Personne|06 12 34 56 78|Structure de la propriétaire|Réponse de la propriétaire/);

    // The recap itself is short-lived (the outcome stays longer): a quarter of an hour, for a shared computer.
    const browserB = t.client();
    const other = await registerAt(browserB, event.slug, form(91, { phone: '05 56 00 00 91' }));
    assert.ok(recapOf(other.body)?.some(([, value]) => value === '05 56 00 00 91'));
    try {
      clock.offset = 10 * 60_000;
      assert.ok(recapOf((await browserB.get(`/agenda/${event.slug}/inscription/confirmation`)).body), 'still there ten minutes later');
      clock.offset = 16 * 60_000;
      const later = await browserB.get(`/agenda/${event.slug}/inscription/confirmation`);
      assert.equal(later.statusCode, 200);
      assert.equal(h1(later.body), h1(other.body), 'the outcome is still said');
      assert.equal(recapOf(later.body), null);
      assert.doesNotMatch(later.body, /05 56 00 00 91|Diallo 91/);
    } finally {
      clock.offset = 0;
    }
  });

  test('la personne en attente qui reçoit une place retrouve dans l’email son récapitulatif et « Inscrit·e », le sien seulement', async () => {
    const questions = JSON.stringify([
      { id: 'diet', label: 'Régime alimentaire', kind: 'text', required: true },
      { id: 'photo', label: 'J’accepte d’être photographié·e', kind: 'checkbox', required: false },
    ]);
    const event = await insertTestEvent(t.kernel.db, { capacity: 1, questions, title: 'Formation promotion' });
    const sent = t.smtp.messages.length;
    await registerAt(t.client(), event.slug, form(80, { answer_diet: 'Sans porc, réponse de la première' }));
    await registerAt(t.client(), event.slug, form(81, { answer_diet: 'Noix <b>et</b> lait', answer_photo: '1' }));
    await registerAt(t.client(), event.slug, form(82, { answer_diet: 'Végan, réponse de la troisième' }));
    await deliver();
    await t.smtp.waitFor(sent + 3);

    // The first person cancels through their link: the seat goes to the first on the waiting list.
    const link = t.smtp.linkIn(t.smtp.lastTo('awa80@example.org')!, /http:\/\/localhost:3000\/inscriptions\/[A-Za-z0-9_-]+/).replace('http://localhost:3000', '');
    const owner = t.client();
    await owner.get(`${link}/annuler`);
    assert.equal((await owner.post(`${link}/annuler`, { confirmer: '1' })).statusCode, 303);
    const before = t.smtp.messages.length;
    await deliver();
    await t.smtp.waitFor(before + 2);
    const promoted = t.smtp.lastTo('awa81@example.org')!;
    assert.match(promoted.parsed.subject ?? '', /Une place s’est libérée/);
    const text = promoted.parsed.text ?? '';
    assert.match(text, /Récapitulatif de votre inscription/);
    for (const line of ['- Nom\u00a0: Awa Diallo 81', '- Adresse email\u00a0: awa81@example.org', '- Régime alimentaire\u00a0: Noix <b>et</b> lait', '- J’accepte d’être photographié·e\u00a0: Oui', '- Statut\u00a0: Inscrit·e']) {
      assert.ok(text.includes(line), `the text part has « ${line} »:\n${text}`);
    }
    assert.doesNotMatch(text, /liste d’attente \(position/i, 'the status is the seat, not the old position');
    const html = String(promoted.parsed.html);
    assert.match(html, /<strong>Régime alimentaire\u00a0:<\/strong> <span>Noix &lt;b(>|&gt;)et&lt;\/b(>|&gt;) lait<\/span>/);
    assert.doesNotMatch(html, /<b>/, 'the answer is escaped');
    assert.match(html, /<strong>Statut\u00a0:<\/strong> <span>Inscrit·e<\/span>/);
    // Nobody else's answers: neither the person who left nor the one still waiting.
    for (const part of [text, html]) assert.doesNotMatch(part, /réponse de la première|réponse de la troisième|Diallo 80|Diallo 82/);
  });

  test('registered from the English site, every email is in English (dates, recap, .ics); from the French site, in French', async () => {
    const questions = JSON.stringify([{ id: 'photo', label: 'Photo', kind: 'checkbox', required: false }]);
    const event = await insertTestEvent(t.kernel.db, { capacity: 2, questions, title: 'Atelier eau potable', online_url: 'https://visio.example.org/eau' });
    const when = (locale: 'fr' | 'en') => eventWhen(event as unknown as EventRow, locale);
    const inEnglish = async () => {
      const client = t.client();
      assert.equal((await client.post('/langue', { lang: 'en', suite: `/agenda/${event.slug}/inscription` })).statusCode, 303);
      return client;
    };
    const sent = t.smtp.messages.length;
    await registerAt(t.client(), event.slug, form(100));
    const english = await registerAt(await inEnglish(), event.slug, form(101, { answer_photo: '1' }));
    assert.match(english.body, /Your seat is booked/);
    await registerAt(await inEnglish(), event.slug, form(102));
    await deliver();
    await t.smtp.waitFor(sent + 3);
    const firstTo = (address: string) => t.smtp.messages.slice(sent).find((m) => m.envelopeTo.includes(address))!;
    const unfolded = (ics: Buffer) => ics.toString('utf8').replace(/\r?\n[ \t]/g, '');

    // From the French site: French, as before.
    const french = firstTo('awa100@example.org');
    assert.equal(french.parsed.subject, 'Inscription confirmée\u00a0: Atelier eau potable');
    const frenchText = french.parsed.text ?? '';
    for (const line of ['Bonjour Awa Diallo 100,', `Date\u00a0: ${when('fr')}`, 'Récapitulatif de votre inscription', '- Nom\u00a0: Awa Diallo 100', '- Statut\u00a0: Inscrit·e']) {
      assert.ok(frenchText.includes(line), `the French email has « ${line} »:\n${frenchText}`);
    }
    assert.match(unfolded(french.parsed.attachments[0]!.content), /En ligne\u00a0: https:\/\/visio\.example\.org\/eau/);

    // From the English site: subject, greeting, date, recap labels and values, link, .ics.
    const confirmation = firstTo('awa101@example.org');
    assert.equal(confirmation.parsed.subject, 'Registration confirmed: Atelier eau potable');
    const text = confirmation.parsed.text ?? '';
    assert.match(when('en'), /^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \d+ (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}, /);
    for (const line of [
      'Hello Awa Diallo 101,',
      'Your registration for “Atelier eau potable” is confirmed.',
      `Date: ${when('en')}`,
      'Place: Maison des associations',
      'Summary of your registration',
      '- Name: Awa Diallo 101',
      '- Email address: awa101@example.org',
      '- Organisation: Eau Vive Gironde',
      '- Photo: Yes',
      '- Status: Registered',
    ]) {
      assert.ok(text.includes(line), `the English email has « ${line} »:\n${text}`);
    }
    assert.match(text, /\nView, change or cancel my registration: http:\/\/localhost:3000\/inscriptions\/[A-Za-z0-9_-]+\n/);
    assert.doesNotMatch(text, /Bonjour|Récapitulatif|Inscrit·e|Statut|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche/);
    const html = String(confirmation.parsed.html);
    assert.match(html, /<html lang="en"/);
    assert.match(html, /<strong>Status:<\/strong> <span>Registered<\/span>/);
    const ics = unfolded(confirmation.parsed.attachments[0]!.content);
    assert.match(ics, /Online: https:\/\/visio\.example\.org\/eau/);
    assert.doesNotMatch(ics, /En ligne/);
    // The .ics is named in the registration's language: in the email, and from the personal link
    // even when a French browser opens it (the address itself stays French).
    assert.equal(confirmation.parsed.attachments[0]!.filename, `event-${event.slug}.ics`);
    assert.equal(french.parsed.attachments[0]!.filename, `evenement-${event.slug}.ics`);
    const englishLink = t.smtp.linkIn(confirmation, /http:\/\/localhost:3000\/inscriptions\/[A-Za-z0-9_-]+/).replace('http://localhost:3000', '');
    const download = await t.client().get(`${englishLink}/evenement.ics`);
    assert.equal(download.statusCode, 200);
    assert.equal(download.headers['content-disposition'], `attachment; filename="event-${event.slug}.ics"; filename*=UTF-8''event-${event.slug}.ics`);
    assert.match(unfolded(download.rawPayload), /Online: https:\/\/visio\.example\.org\/eau/, 'its contents are in English too');
    assert.doesNotMatch(unfolded(download.rawPayload), /En ligne/);
    const waiting = firstTo('awa102@example.org');
    assert.equal(waiting.parsed.subject, 'Waiting list: Atelier eau potable');
    assert.ok((waiting.parsed.text ?? '').includes('- Status: On the waiting list (position 1)'));

    // The English address typed again on the French site: the link comes back in French, and what
    // is kept stays English (the cancellation by staff is written in English).
    const before = t.smtp.messages.length;
    await registerAt(t.client(), event.slug, form(101));
    await deliver();
    await t.smtp.waitFor(before + 1);
    assert.equal(t.smtp.lastTo('awa101@example.org')!.parsed.subject, 'Votre lien d’inscription\u00a0: Atelier eau potable');
    const englishRow = await t.kernel.db.selectFrom('registrations').select('id').where('email_lower', '=', 'awa101@example.org').executeTakeFirstOrThrow();
    assert.equal((await staff.post(`/admin/agenda/${event.id}/inscriptions/${englishRow.id}/statut`, { status: 'cancelled' })).statusCode, 303);
    await deliver();
    await t.smtp.waitFor(before + 3);
    assert.equal(t.smtp.lastTo('awa101@example.org')!.parsed.subject, 'Registration cancelled: Atelier eau potable');

    // The freed seat goes to the English person waiting: told in English, the date and recap too.
    const promoted = t.smtp.lastTo('awa102@example.org')!;
    assert.equal(promoted.parsed.subject, 'A seat freed up: Atelier eau potable');
    const promotedText = promoted.parsed.text ?? '';
    for (const line of ['Good news: a seat freed up at “Atelier eau potable” and it is yours.', `Date: ${when('en')}`, 'Summary of your registration', '- Status: Registered']) {
      assert.ok(promotedText.includes(line), `the promotion has « ${line} »:\n${promotedText}`);
    }
    assert.equal(promoted.parsed.attachments.length, 1, 'with the .ics');
    assert.equal(promoted.parsed.attachments[0]!.filename, `event-${event.slug}.ics`);

    // Staff see the language each person registered in (their emails' language), named in the
    // back office's own language, in the list and in its exports.
    const languages = (html: string) =>
      [...html.matchAll(/<tr id="r-[^"]+">([\s\S]*?)<\/tr>/g)].map((m) => {
        const cell = (label: string) => new RegExp(`<td[^>]*data-label="${label}"[^>]*>([\\s\\S]*?)</td>`).exec(m[1]!)?.[1]?.replace(/<[^>]+>/g, '').trim();
        return [cell('Email') ?? cell('Email address'), cell('Langue') ?? cell('Language')];
      });
    const list = (await staff.get(`/admin/agenda/${event.id}/inscriptions`)).body;
    assert.match(list, /<th scope="col">Email<\/th><th scope="col">Langue<\/th>/);
    assert.deepEqual(languages(list), [
      ['awa100@example.org', 'Français'],
      ['awa101@example.org', 'Anglais'],
      ['awa102@example.org', 'Anglais'],
    ]);
    const csv = (await staff.get(`/admin/agenda/${event.id}/inscriptions.csv`)).body.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
    const column = csv[0]!.split(';').indexOf('Langue');
    assert.ok(column > 0, csv[0]);
    assert.deepEqual(
      csv.slice(1).map((line) => [line.split(';')[4], line.split(';')[column]]),
      [
        ['awa100@example.org', 'Français'],
        ['awa101@example.org', 'Anglais'],
        ['awa102@example.org', 'Anglais'],
      ],
    );
    const englishStaff = await t.loginAs('staff');
    assert.equal((await englishStaff.post('/langue', { lang: 'en', suite: `/admin/agenda/${event.id}/inscriptions` })).statusCode, 303);
    const englishList = (await englishStaff.get(`/admin/agenda/${event.id}/inscriptions`)).body;
    assert.match(englishList, /<th scope="col">Language<\/th>/);
    assert.deepEqual(
      languages(englishList).map(([, language]) => language),
      ['French', 'English', 'English'],
    );
  });

  test('journée multi-ateliers : au plus un atelier par créneau, chaque atelier a ses places', async () => {
    const event = await insertTestEvent(t.kernel.db, { capacity: 10 });
    const before = (await staff.get(`/admin/agenda/${event.id}/inscriptions`)).body;
    assert.match(before, /Rien à compter pour l’instant : aucune inscription confirmée\./, 'no empty count tables before the first registration');
    assert.doesNotMatch(before, /Par type d’acteur/);
    const day = new Date(event.starts_at as string);
    const date = day.toISOString().slice(0, 10);
    const add = async (title: string, start: string, end: string, capacity: string) => staff.post(`/admin/agenda/${event.id}/ateliers`, { title, date, start, end, capacity });
    assert.equal((await add('Eau potable', '09:00', '10:30', '1')).statusCode, 303);
    assert.equal((await add('Microfinance', '09:00', '10:30', '5')).statusCode, 303);
    assert.equal((await add('Plaidoyer', '11:00', '12:00', '5')).statusCode, 303);
    // A same-day slot writes its day once (the table then fits its page).
    assert.match((await staff.get(`/admin/agenda/${event.id}/ateliers`)).body, /<td>[^<–]*\d{4}, 11\u00a0h\s–\s12\u00a0h<\/td>/);
    const untitled = await add('', '11:00', '12:00', '5');
    assert.equal(untitled.statusCode, 400);
    assert.match(untitled.body, /<li><a href="#f-title">Saisissez le titre de l’atelier \(200 caractères au plus\)\.<\/a><\/li>/);
    // Each empty field says what it wants, not « Ce champ est obligatoire. » three times.
    const unscheduled = await staff.post(`/admin/agenda/${event.id}/ateliers`, { title: 'Atelier sans horaire', date: '', start: '', end: '', capacity: '5' });
    assert.equal(unscheduled.statusCode, 400);
    const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(unscheduled.body)?.[0] ?? '';
    assert.deepEqual(
      [...summary.matchAll(/<li><a href="#f-([\w-]+)">([^<]*)<\/a><\/li>/g)].map((m) => `${m[1]}: ${m[2]}`),
      ['date: Saisissez la date de l’atelier.', 'start: Saisissez l’heure de début de l’atelier.', 'end: Saisissez l’heure de fin de l’atelier.'],
    );
    assert.doesNotMatch(untitled.body + unscheduled.body, /Ce champ est obligatoire/);
    const backwards = await add('Atelier à l’envers', '12:00', '11:00', '0');
    assert.equal(backwards.statusCode, 400);
    assert.match(backwards.body, /la fin après le début/);
    assert.match(backwards.body, /Saisissez un nombre entier de places/);
    const elsewhen = await staff.post(`/admin/agenda/${event.id}/ateliers`, { title: 'Atelier perdu', date: '2030-01-01', start: '09:00', end: '10:00', capacity: '5' });
    assert.equal(elsewhen.statusCode, 400, 'a workshop on another day than the event’s is a typo');
    assert.match(elsewhen.body, /Choisissez (le jour de l’événement : le|un jour de l’événement, du) \d{1,2}(?:er)? \p{L}+ \d{4}/u);
    assert.match(elsewhen.body, /value="Atelier perdu"/);
    // An all-day event ends at the next midnight: that next day is not one of its days.
    const allDay = await insertTestEvent(t.kernel.db, { all_day: 1, starts_at: '2027-03-14T23:00:00.000Z', ends_at: '2027-03-15T23:00:00.000Z' });
    const workshop = (date: string) => staff.post(`/admin/agenda/${allDay.id}/ateliers`, { title: 'Atelier du jour', date, start: '09:00', end: '10:00', capacity: '5' });
    const nextDay = await workshop('2027-03-16');
    assert.equal(nextDay.statusCode, 400);
    assert.match(nextDay.body, /Choisissez le jour de l’événement : le 15 mars 2027\./);
    assert.equal((await workshop('2027-03-15')).statusCode, 303);
    const sessions = await t.kernel.db.selectFrom('event_sessions').select(['id', 'title']).where('event_id', '=', event.id).execute();
    const id = (title: string) => sessions.find((s) => s.title === title)!.id;

    const visitor = t.client();
    const page = await visitor.get(`/agenda/${event.slug}/inscription`);
    assert.match(page.body, /Eau potable \(1 place restante\)/);
    const twoInOneSlot = await visitor.post(`/agenda/${event.slug}/inscription`, { ...form(20), workshop_0: id('Eau potable'), workshop_x: id('Microfinance') });
    assert.equal(twoInOneSlot.statusCode, 400);
    assert.match(twoInOneSlot.body, /au plus un atelier par créneau/);
    await registerAt(visitor, event.slug, { ...form(20), workshop_0: id('Eau potable'), workshop_1: id('Plaidoyer') });
    const waiting = await registerAt(t.client(), event.slug, { ...form(21), workshop_0: id('Eau potable') });
    // The confirmation recaps the workshop asked for, and where it stands.
    assert.deepEqual(recapOf(waiting.body)?.find(([label]) => label === 'Ateliers'), ['Ateliers', 'Eau potable (liste d’attente)']);
    const choices = await t.kernel.db
      .selectFrom('registration_sessions as rs')
      .innerJoin('registrations as r', 'r.id', 'rs.registration_id')
      .select(['r.email', 'rs.session_id', 'rs.status'])
      .where('r.event_id', '=', event.id)
      .orderBy('rs.sequence')
      .execute();
    assert.deepEqual(
      choices.filter((c) => c.session_id === id('Eau potable')).map((c) => [c.email, c.status]),
      [
        ['awa20@example.org', 'registered'],
        ['awa21@example.org', 'waitlisted'],
      ],
    );
    const list = await staff.get(`/admin/agenda/${event.id}/ateliers`);
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Eau potable/);
    // With workshops, the participant list says who attends which.
    const participants = (await staff.get(`/admin/agenda/${event.id}/inscriptions`)).body;
    assert.match(participants, /<th scope="col">Ateliers<\/th>/);
    assert.match(participants, /<td data-label="Ateliers">Eau potable \(place réservée\), Plaidoyer \(place réservée\)<\/td>/);
  });

  test('the participant list of an event without a seat limit says so plainly', async () => {
    const event = await insertTestEvent(t.kernel.db, { capacity: null });
    const page = await staff.get(`/admin/agenda/${event.id}/inscriptions`);
    assert.match(page.body, /0 inscrit·e, sans limite de places, 0 en liste d’attente, 0 annulation/);
    assert.doesNotMatch(page.body, /sur illimitées place/);
  });

  test('staff : réglages, liste, statuts, exports CSV et Excel, émargement, comptes, effacement RGPD', async () => {
    const event = await insertTestEvent(t.kernel.db, { capacity: 2 });
    const settings = await staff.post(`/admin/agenda/${event.id}/inscriptions/reglages`, {
      registration_open: '1',
      capacity: '2',
      waitlist_enabled: '1',
      deadline_date: '',
      q0_kind: 'text',
      q0_label: 'Vos attentes',
      q1_kind: 'choice',
      q1_label: 'Repas',
      q1_required: '1',
      q1_options: 'Oui\nNon',
    });
    assert.equal(settings.statusCode, 303);
    const badSettings = await staff.post(`/admin/agenda/${event.id}/inscriptions/reglages`, { capacity: '0', q0_kind: 'sondage', q0_label: 'Question' });
    assert.equal(badSettings.statusCode, 400);
    assert.match(badSettings.body, /Saisissez un nombre entier de places/);
    assert.match(badSettings.body, /Question 1 : choisissez le type de réponse\./);

    for (const [i, extra] of [
      [30, { first_name: '=HYPERLINK("http://evil")', answer_q: '' }],
      [31, {}],
      [32, {}],
    ] as const) {
      const page = await t.client().get(`/agenda/${event.slug}/inscription`);
      const repas = /name="(answer_q[0-9a-f]+)"[^>]*>\s*<option value="">/.exec(page.body) ?? /id="f-(answer_[^"]+)"[^>]*required/.exec(page.body);
      assert.ok(repas, 'the required choice question is on the form');
      await registerAt(t.client(), event.slug, { ...form(i), ...extra, [repas[1]!]: 'Oui' });
    }
    const list = await staff.get(`/admin/agenda/${event.id}/inscriptions`);
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /2 inscrit·es sur 2 places, 1 en liste d’attente/);
    // An address may wrap after its « @ », not mid-word; without workshops, no empty workshops column.
    assert.match(list.body, /<td class="email" data-label="Email">awa31@<wbr\/>example\.org<\/td>/);
    assert.doesNotMatch(list.body, /<th scope="col">Ateliers<\/th>|data-label="Ateliers"/);
    assert.match(list.body, /Par type d’acteur/);
    assert.match(list.body, /Gironde \(33\)/);
    assert.match(list.body, /<th scope="col">Département<\/th><th scope="col">Participants<\/th>/, 'each count table heads its columns with what they hold, not its title again');

    const csv = await staff.get(`/admin/agenda/${event.id}/inscriptions.csv`);
    assert.equal(csv.statusCode, 200);
    assert.ok(csv.body.startsWith('\uFEFF'), 'UTF-8 BOM');
    assert.match(csv.body.split('\r\n')[0]!, /^\uFEFFN°;Statut;Nom;Prénom;Email/);
    assert.match(csv.body, /;"'=HYPERLINK\(""http:\/\/evil""\)";/, 'a formula is neutralised');
    assert.match(csv.body, /Réponse : Repas/);
    const xlsx = await staff.get(`/admin/agenda/${event.id}/inscriptions.xlsx`);
    assert.equal(xlsx.statusCode, 200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    assert.equal(sheet.rowCount, 4);
    assert.equal(sheet.getRow(2).getCell(3).value, 'Diallo 30');

    const sheetPage = await staff.get(`/admin/agenda/${event.id}/emargement`);
    assert.equal(sheetPage.statusCode, 200);
    assert.match(sheetPage.body, /DIALLO 31/);
    assert.doesNotMatch(sheetPage.body, /DIALLO 32/, 'the waitlisted person is not on the sheet');

    const rows = await t.kernel.db.selectFrom('registrations').select(['id', 'email', 'status']).where('event_id', '=', event.id).orderBy('sequence').execute();
    const attended = await staff.post(`/admin/agenda/${event.id}/inscriptions/${rows[0]!.id}/statut`, { status: 'attended' });
    assert.equal(attended.statusCode, 303);
    // Back on the changed row, which the page marks with that id.
    assert.equal(attended.headers.location, `/admin/agenda/${event.id}/inscriptions#r-${rows[0]!.id}`);
    assert.match((await staff.get(`/admin/agenda/${event.id}/inscriptions`)).body, new RegExp(`<tr id="r-${rows[0]!.id}">`));
    const full = await staff.post(`/admin/agenda/${event.id}/inscriptions/${rows[2]!.id}/statut`, { status: 'registered' });
    assert.equal(full.statusCode, 303);
    assert.match((await staff.get(`/admin/agenda/${event.id}/inscriptions`)).body, /Plus aucune place/);
    const cancel = await staff.post(`/admin/agenda/${event.id}/inscriptions/${rows[1]!.id}/statut`, { status: 'cancelled' });
    assert.equal(cancel.statusCode, 303);
    const after1 = await t.kernel.db.selectFrom('registrations').select(['status']).where('event_id', '=', event.id).orderBy('sequence').execute();
    assert.deepEqual(
      after1.map((r) => r.status),
      ['attended', 'cancelled', 'registered'],
    );
    // Staff add someone by hand; the form's messages then speak of that person, not to the reader.
    const incomplete = await staff.post(`/admin/agenda/${event.id}/inscriptions`, { email: 'awa33@example.org', first_name: 'Awa', last_name: 'Diallo' });
    assert.equal(incomplete.statusCode, 400);
    const said = [...incomplete.body.matchAll(/class="field-error"[^>]*>([^<]*)</g)].map((m) => m[1]).join(' | ');
    assert.match(said, /Choisissez sa structure dans l’annuaire ou saisissez son nom/);
    assert.match(said, /Choisissez le type de sa structure/);
    assert.doesNotMatch(incomplete.body, /Saisissez votre prénom|[Vv]otre structure|<legend>Vous</);
    assert.match(incomplete.body, /<legend>La personne<\/legend>[\s\S]*<legend><span>Sa structure<\/span>/);
    const empty = await staff.post(`/admin/agenda/${event.id}/inscriptions`, {});
    assert.equal(empty.statusCode, 400);
    const staffError = (html: string, name: string) => new RegExp(`<p class="field-error" id="f-${name}-error">([^<]*)</p>`).exec(html)?.[1];
    assert.equal(staffError(empty.body, 'first_name'), 'Saisissez le prénom de la personne.');
    assert.equal(staffError(empty.body, 'last_name'), 'Saisissez le nom de la personne.');
    assert.doesNotMatch(empty.body, /Ce champ est obligatoire/);
    const tooLong = await staff.post(`/admin/agenda/${event.id}/inscriptions`, form(34, { first_name: 'A'.repeat(101), last_name: 'B'.repeat(101) }));
    assert.equal(tooLong.statusCode, 400);
    assert.equal(staffError(tooLong.body, 'first_name'), 'Le prénom de la personne ne doit pas dépasser 100 caractères.');
    assert.equal(staffError(tooLong.body, 'last_name'), 'Le nom de la personne ne doit pas dépasser 100 caractères.');
    const added = await staff.post(`/admin/agenda/${event.id}/inscriptions`, form(33));
    assert.equal(added.statusCode, 303);
    // Said as a sentence, with the place in the line, not a status label in brackets (« (En liste d’attente) »).
    assert.match((await staff.get(`/admin/agenda/${event.id}/inscriptions`)).body, /Plus aucune place\u00a0: Awa Diallo 33 est ajouté·e en liste d’attente \(position 1\)\./);

    // RGPD: a mistyped address is refused next to its field, on the event's page, as typed; nothing erased.
    const mistyped = await staff.post('/admin/inscriptions/effacer', { email: 'awa32-example.org', event: event.id });
    assert.equal(mistyped.statusCode, 400);
    assert.match(mistyped.body, /id="f-erase-email"[^>]*value="awa32-example.org"|value="awa32-example.org"[^>]*id="f-erase-email"/);
    assert.match(mistyped.body, /<p class="field-error" id="f-erase-email-error">Saisissez une adresse email valide/);
    assert.match(mistyped.body, /href="#f-erase-email"/, 'the summary links to the field');
    // Erased by email everywhere, the seat freed goes to the waitlist; the journal tells how many, naming no one.
    const erasedEntries = () => t.kernel.db.selectFrom('audit_log').select('after').where('action', '=', 'registration.erased').execute();
    const entriesBefore = (await erasedEntries()).length;
    const asked = await staff.post('/admin/inscriptions/effacer', { email: 'AWA32@example.org', event: event.id });
    assert.equal(asked.statusCode, 200, 'first the confirmation page');
    assert.deepEqual((await erasedEntries()).slice(entriesBefore), [], 'nothing erased before it is confirmed');
    const erase = await staff.post('/admin/inscriptions/effacer', { email: 'AWA32@example.org', event: event.id, confirmer: '1' });
    assert.equal(erase.statusCode, 303);
    assert.deepEqual((await erasedEntries()).slice(entriesBefore).map((e) => e.after), ['{"count":1}']);
    // An address with no registration left erases nothing, and the journal is not filled with « 0 » entries.
    assert.equal((await staff.post('/admin/inscriptions/effacer', { email: 'AWA32@example.org', event: event.id })).statusCode, 303);
    assert.equal((await erasedEntries()).length, entriesBefore + 1);
    const left = await t.kernel.db.selectFrom('registrations').select(['email', 'status']).where('event_id', '=', event.id).orderBy('sequence').execute();
    assert.deepEqual(
      left.map((r) => [r.email, r.status]),
      [
        ['awa30@example.org', 'attended'],
        ['awa31@example.org', 'cancelled'],
        ['awa33@example.org', 'registered'],
      ],
    );
  });

  test('après une réinscription, la liste du personnel numérote 1, 2, 3 dans l’ordre de la file et date la réinscription', async () => {
    const event = await insertTestEvent(t.kernel.db, { capacity: 2 });
    const register = async (i: number) => void (await registerAt(t.client(), event.slug, form(i)));
    // A, B, C: A and B get the seats, C waits.
    for (const i of [50, 51, 52]) await register(i);
    await deliver();
    const confirmation = t.smtp.lastTo('awa51@example.org')!;
    const link = t.smtp.linkIn(confirmation, /http:\/\/localhost:3000\/inscriptions\/[A-Za-z0-9_-]+/).replace('http://localhost:3000', '');
    const firstAt = (await t.kernel.db.selectFrom('registrations').select('created_at').where('email_lower', '=', 'awa51@example.org').executeTakeFirstOrThrow()).created_at;
    // B cancels through their link (C gets the seat), then registers again two days later, well
    // inside one minute of the test clock so the time shown is known.
    const owner = t.client();
    await owner.get(link);
    assert.equal((await owner.post(`${link}/annuler`, { confirmer: '1' })).statusCode, 303);
    const again = new Date((Math.floor(Date.now() / 60_000) + 2 * 24 * 60) * 60_000 + 1_000);
    clock.offset = again.getTime() - Date.now();
    try {
      const back = await registerAt(t.client(), event.slug, form(51));
      assert.match(back.body, /liste d’attente \(position 1\)/);
    } finally {
      clock.offset = 0;
    }

    type Line = { n: string; name: string; status: string; at: string };
    const lines = (html: string): Line[] =>
      [...html.matchAll(/<tr id="r-[^"]+">([\s\S]*?)<\/tr>/g)].map((m) => {
        const cell = (label: string) => new RegExp(`<td[^>]*data-label="${label}"[^>]*>([\\s\\S]*?)</td>`).exec(m[1]!)?.[1]?.replace(/<[^>]+>/g, '').trim() ?? '';
        return { n: cell('N°'), name: cell('Nom'), status: cell('Statut'), at: cell('Inscrit·e le') };
      });
    const list = lines((await staff.get(`/admin/agenda/${event.id}/inscriptions`)).body);
    assert.deepEqual(
      list.map((l) => [l.n, l.name, l.status]),
      [
        ['1', 'Awa Diallo 50', 'Inscrit·e'],
        ['2', 'Awa Diallo 52', 'Inscrit·e'],
        ['3', 'Awa Diallo 51', 'En liste d’attente'],
      ],
    );
    // « Inscrit·e le »: the registration that put B at the end of the queue, not the first one.
    assert.equal(list[2]!.at, formatDateTime(again, 'fr'));
    assert.notEqual(list[2]!.at, formatDateTime(firstAt, 'fr'));
    // Filtered, the numbers follow what the page shows: on the waitlist, the waiting position
    // B's personal page gives too.
    const waiting = lines((await staff.get(`/admin/agenda/${event.id}/inscriptions?status=waitlisted`)).body);
    assert.deepEqual(
      waiting.map((l) => [l.n, l.name]),
      [['1', 'Awa Diallo 51']],
    );
    assert.match((await owner.get(link)).body, /Position en liste d’attente : 1</);

    // The export numbers the same way, and dates so that a spreadsheet sorts them: « 2026-12-02 08:30 », Paris time.
    const sortable = (instant: string | Date) => {
      const local = toLocalInputs(new Date(instant));
      return `${local.date} ${local.time}`;
    };
    const registeredAt = async (email: string) => {
      const r = await t.kernel.db.selectFrom('registrations').select(['consent_at', 'created_at']).where('email_lower', '=', email).where('event_id', '=', event.id).executeTakeFirstOrThrow();
      return r.consent_at ?? r.created_at;
    };
    const csv = (await staff.get(`/admin/agenda/${event.id}/inscriptions.csv`)).body.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
    const at = csv[0]!.split(';').indexOf('Inscrit·e le');
    assert.ok(at > 0);
    assert.deepEqual(
      csv.slice(1).map((line) => line.split(';')).map((c) => [c[0], c[2], c[at]]),
      [
        ['1', 'Diallo 50', sortable(await registeredAt('awa50@example.org'))],
        ['2', 'Diallo 52', sortable(await registeredAt('awa52@example.org'))],
        ['3', 'Diallo 51', sortable(again)],
      ],
    );
    assert.match(csv[3]!.split(';')[at]!, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    // In Excel, a real date-time cell showing Paris time.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await staff.get(`/admin/agenda/${event.id}/inscriptions.xlsx`)).rawPayload as unknown as ArrayBuffer);
    const cell = workbook.worksheets[0]!.getRow(4).getCell(at + 1);
    assert.ok(cell.value instanceof Date, 'a date cell, not text');
    assert.equal(cell.numFmt, 'yyyy-mm-dd hh:mm');
    assert.equal(cell.value.toISOString().slice(0, 16).replace('T', ' '), sortable(again));
    // And so does the export of the person's data (RGPD).
    const mine = await registrationsOfEmail(t.kernel, 'awa51@example.org');
    assert.equal(mine.length, 1);
    const exportedAt = new Date(mine[0]!.registered_at).getTime() - again.getTime();
    assert.ok(exportedAt >= 0 && exportedAt < 60_000, `registered_at ${mine[0]!.registered_at} is the re-registration's`);
  });

  test('rappel deux jours avant, une seule fois', async () => {
    const start = new Date(Date.now() + 5 * 86_400_000);
    const questions = JSON.stringify([{ id: 'diet', label: 'Régime alimentaire', kind: 'text', required: false }]);
    const event = await insertTestEvent(t.kernel.db, { starts_at: start.toISOString(), ends_at: new Date(start.getTime() + 3_600_000).toISOString(), questions });
    await registerAt(t.client(), event.slug, form(40, { answer_diet: 'Sans gluten' }));
    await deliver();
    await t.kernel.jobs.enqueue(REMINDER_JOB, {});
    await deliver();
    assert.equal(t.smtp.messages.filter((m) => m.envelopeTo.includes('awa40@example.org') && /Rappel/.test(m.parsed.subject ?? '')).length, 0, 'not five days before');
    clock.offset = 3.5 * 86_400_000;
    const sent = t.smtp.messages.length;
    await t.kernel.jobs.enqueue(REMINDER_JOB, {});
    await deliver();
    await t.kernel.jobs.enqueue(REMINDER_JOB, {}, { idempotencyKey: 'again' });
    await deliver();
    await t.smtp.waitFor(sent + 1);
    const reminders = t.smtp.messages.filter((m) => m.envelopeTo.includes('awa40@example.org') && /Rappel/.test(m.parsed.subject ?? ''));
    assert.equal(reminders.length, 1);
    assert.match(reminders[0]!.parsed.text ?? '', /\/inscriptions\//);
    // Two days before, the reminder recaps what the person gave, as it stands.
    for (const line of ['- Régime alimentaire\u00a0: Sans gluten', '- Statut\u00a0: Inscrit·e']) assert.ok((reminders[0]!.parsed.text ?? '').includes(line), line);
    assert.match(String(reminders[0]!.parsed.html), /<strong>Régime alimentaire\u00a0:<\/strong> <span>Sans gluten<\/span>/);
    clock.offset = 0;
  });
});

forEachDialect('Inscriptions et RGPD d’un contact', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await testApp(dialect);
  });
  after(async () => t.close());

  test('l’export des données d’un contact contient ses inscriptions ; son effacement les supprime et libère sa place', async () => {
    const staff = await t.loginAs('staff');
    const now = new Date().toISOString();
    const contactId = '01970000-0000-7000-8000-0000000c0a7a';
    await t.kernel.db.insertInto('contacts').values({ id: contactId, last_name: 'Sow', first_name: 'Mariama', source: 'staff', public_profile: 0, created_at: now, updated_at: now }).execute();
    await t.kernel.db.insertInto('contact_emails').values({ contact_id: contactId, email: 'Mariama.Sow@Example.org', email_lower: 'mariama.sow@example.org', is_primary: 1 }).execute();
    const event = await insertTestEvent(t.kernel.db, { capacity: 1 });
    await registerAt(t.client(), event.slug, form('x', { email: 'mariama.sow@example.org', first_name: 'Mariama', last_name: 'Sow' }));
    await registerAt(t.client(), event.slug, form('y'));
    // At another event she changes her details then cancels through her personal link: the
    // journal names her by her address, until she is erased.
    const other = await insertTestEvent(t.kernel.db, { title: 'Autre rencontre', starts_at: new Date(Date.now() + 20 * 86_400_000).toISOString(), ends_at: new Date(Date.now() + 20 * 86_400_000 + 3_600_000).toISOString() });
    await registerAt(t.client(), other.slug, form('z', { email: 'mariama.sow@example.org', first_name: 'Mariama', last_name: 'Sow' }));
    const mine = await t.kernel.db.selectFrom('registrations').select('id').where('event_id', '=', other.id).executeTakeFirstOrThrow();
    const link = `/inscriptions/${registrationToken(t.kernel, mine.id).token}`;
    const owner = t.client();
    await owner.get(link);
    assert.equal((await owner.post(link, form('z', { first_name: 'Mariama', last_name: 'Sow-Diop' }))).statusCode, 200);
    assert.equal((await owner.post(`${link}/annuler`, { confirmer: '1' })).statusCode, 303);
    const named = await t.kernel.db.selectFrom('audit_log').select(['action', 'actor_email']).where('entity_id', '=', mine.id).orderBy('at').execute();
    assert.deepEqual(
      named.map((e) => [e.action, e.actor_email]),
      [
        ['registration.updated', 'mariama.sow@example.org'],
        ['registration.cancelled', 'mariama.sow@example.org'],
      ],
    );

    const exported = await staff.post(`/admin/contacts/${contactId}/export`);
    assert.equal(exported.statusCode, 200);
    const doc = JSON.parse(exported.body) as { event_registrations: { event: string; status: string; email: string; locale: string }[] };
    assert.deepEqual(
      doc.event_registrations.map((r) => [r.event, r.status, r.email, r.locale]),
      [
        [event.title, 'registered', 'mariama.sow@example.org', 'fr'],
        [other.title, 'cancelled', 'mariama.sow@example.org', 'fr'],
      ],
    );

    assert.equal((await staff.post(`/admin/contacts/${contactId}/effacer`)).statusCode, 303);
    const rows = await t.kernel.db.selectFrom('registrations').select(['email', 'status']).where('event_id', '=', event.id).execute();
    assert.deepEqual(
      rows.map((r) => [r.email, r.status]),
      [['away@example.org', 'registered']],
    );
    const audit = JSON.stringify(await t.kernel.db.selectFrom('audit_log').selectAll().execute()).toLowerCase();
    assert.ok(!audit.includes('mariama'), 'the audit log does not name the erased person');
    assert.deepEqual(
      (await t.kernel.db.selectFrom('audit_log').select(['action', 'actor_email', 'ip']).where('entity_id', '=', mine.id).orderBy('at').execute()).map((e) => [e.action, e.actor_email, e.ip]),
      [
        ['registration.updated', null, null],
        ['registration.cancelled', null, null],
      ],
      'her own entries stay, without her address',
    );
  });
});
