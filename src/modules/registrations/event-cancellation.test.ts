import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import ICAL from 'ical.js';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { refuseWrites } from '../../../test/helpers/refuse-writes.js';
import type { CapturedMail } from '../../../test/helpers/smtp.js';
import { cancelRegistration } from './cancel.js';
import { participantActor } from './deps.js';
import { registerParticipant } from './register.js';
import { insertTestEvent, testParticipant } from './test-fixtures-repo.js';

const person = (n: number) => testParticipant(n);

/** The VEVENT of the .ics attached to a mail, with the calendar's METHOD. */
function calendarOf(mail: CapturedMail) {
  assert.equal(mail.parsed.attachments.length, 1, 'one .ics attached');
  const attachment = mail.parsed.attachments[0]!;
  const text = attachment.content.toString('utf8');
  const calendar = new ICAL.Component(ICAL.parse(text));
  const event = calendar.getFirstSubcomponent('vevent')!;
  return {
    text,
    method: calendar.getFirstPropertyValue('method'),
    uid: event.getFirstPropertyValue('uid'),
    sequence: Number(event.getFirstPropertyValue('sequence')),
    status: event.getFirstPropertyValue('status'),
    attendees: event.getAllProperties('attendee').map((p) => String(p.getFirstValue())),
    organizer: String(event.getFirstPropertyValue('organizer') ?? ''),
  };
}

forEachDialect('an event cancelled by staff: a confirmation step, then every person registered or waiting is told, in their language, with a METHOD:CANCEL .ics', (dialect) => {
  let t: TestApp;
  let staff: Client;
  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff');
  });
  after(async () => t.close());

  const mailTo = (address: string, subject: RegExp) => t.smtp.messages.find((m) => m.envelopeTo.includes(address) && subject.test(m.parsed.subject ?? ''));
  const statusOf = async (id: string) => (await t.kernel.db.selectFrom('events').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
  const cancellationJobs = async () => (await t.kernel.db.selectFrom('jobs').select('payload').where('name', '=', 'registrations.mail').execute()).filter((j) => j.payload.includes('eventCancelled')).length;

  test('staff confirm, may write a message; the emails are queued with the cancellation, all or nothing', async (ctx) => {
    const event = await insertTestEvent(t.kernel.db, { capacity: 1, title: 'Forum de l’eau en Gironde' });
    const registered = await registerParticipant(t.kernel, event.id, person(1), { locale: 'fr' });
    const waiting = await registerParticipant(t.kernel, event.id, person(2), { locale: 'en' });
    const gone = await registerParticipant(t.kernel, event.id, person(3), { locale: 'fr' });
    assert.ok(registered.kind === 'created' && waiting.kind === 'created' && gone.kind === 'created');
    assert.equal(registered.status, 'registered');
    assert.equal(waiting.status, 'waitlisted');
    await cancelRegistration(t.kernel, gone.id, participantActor({ email: 'personne3@example.org' }));
    await t.kernel.jobs.runDue();
    await t.smtp.waitFor(4);
    const confirmation = calendarOf(mailTo('personne1@example.org', /Inscription confirmée/)!);
    assert.equal(confirmation.method, 'PUBLISH');
    const sent = t.smtp.messages.length;

    // The event's page only links to the confirmation step.
    const page = await staff.get(`/admin/agenda/${event.id}`);
    assert.match(page.body, new RegExp(`<a class="button button-danger" href="/admin/agenda/${event.id}\\?annuler=1">Annuler l’événement…</a>`));
    assert.doesNotMatch(page.body, /name="action" value="cancel"/);
    // A form from before the confirmation step is asked to confirm: nothing changes.
    const unconfirmed = await staff.post(`/admin/agenda/${event.id}/statut`, { action: 'cancel' });
    assert.equal(unconfirmed.statusCode, 303);
    assert.equal(unconfirmed.headers.location, `/admin/agenda/${event.id}?annuler=1`);
    assert.equal(await statusOf(event.id), 'published');

    const confirm = await staff.get(`/admin/agenda/${event.id}?annuler=1`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /<h1>Annuler l’événement\u00a0: Forum de l’eau en Gironde<\/h1>/);
    assert.match(confirm.body, /2 personnes inscrites ou en liste d’attente recevront un email qui leur annonce l’annulation/);
    const form = /<form method="post" action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(confirm.body.slice(confirm.body.indexOf('<main')))!;
    assert.equal(form[1], `/admin/agenda/${event.id}/statut`);
    assert.match(form[2]!, /<input type="hidden" name="action" value="cancel"\/?>/);
    assert.match(form[2]!, /<input type="hidden" name="confirmer" value="1"\/?>/);
    assert.match(form[2]!, /<label for="f-message"><span>Message aux personnes inscrites \(facultatif\)<\/span><\/label>/);
    assert.match(form[2]!, /<button type="submit" class="button button-danger">Oui, annuler l’événement<\/button>/);
    assert.match(form[2]!, new RegExp(`<a class="button button-secondary" href="/admin/agenda/${event.id}">Non, garder l’événement</a>`));

    const tooLong = await staff.post(`/admin/agenda/${event.id}/statut`, { action: 'cancel', confirmer: '1', message: 'x'.repeat(2001) });
    assert.equal(tooLong.statusCode, 400);
    assert.match(tooLong.body, /Le message ne doit pas dépasser 2\u202f000 caractères\./);
    assert.equal(await statusOf(event.id), 'published');

    // The emails cannot be queued: the event is not cancelled either.
    const allow = await refuseWrites(ctx, t.kernel.db, dialect, 'jobs', "NEW.name = 'registrations.mail'");
    const refused = await staff.post(`/admin/agenda/${event.id}/statut`, { action: 'cancel', confirmer: '1', message: 'Salle fermée.' });
    assert.equal(refused.statusCode, 503);
    assert.match(refused.body, /Salle fermée\./, 'the message typed is kept');
    assert.equal(await statusOf(event.id), 'published');
    assert.equal(await cancellationJobs(), 0);
    await allow();

    const message = 'La salle est fermée pour travaux.\nNous vous proposerons une autre date.\n\nÀ bientôt !';
    const done = await staff.post(`/admin/agenda/${event.id}/statut`, { action: 'cancel', confirmer: '1', message });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, `/admin/agenda/${event.id}`);
    assert.equal(await statusOf(event.id), 'cancelled');
    assert.equal(await cancellationJobs(), 2, 'one email per person registered or waiting, none for who had cancelled');
    const after = await staff.get(`/admin/agenda/${event.id}`);
    assert.match(after.body, /2 personnes seront prévenues par email\./);
    // Sent again (a double click): the event is cancelled already, nobody is told twice.
    assert.equal((await staff.post(`/admin/agenda/${event.id}/statut`, { action: 'cancel', confirmer: '1' })).statusCode, 303);
    assert.equal(await cancellationJobs(), 2);

    await t.kernel.jobs.runDue();
    await t.smtp.waitFor(sent + 2);
    const french = mailTo('personne1@example.org', /Événement annulé/)!;
    assert.equal(french.parsed.subject, 'Événement annulé\u00a0: Forum de l’eau en Gironde');
    const text = french.parsed.text ?? '';
    assert.match(text, /Nous sommes au regret de vous annoncer l’annulation de «\u00a0Forum de l’eau en Gironde\u00a0»\./);
    assert.match(text, /> La salle est fermée pour travaux\.\n> Nous vous proposerons une autre date\.\n\n> À bientôt !/);
    assert.match(french.parsed.html || '', /<blockquote[^>]*><p><span>La salle est fermée pour travaux\.<\/span><br\/?><span>Nous vous proposerons une autre date\.<\/span><\/p><p><span>À bientôt !<\/span><\/p><\/blockquote>/);
    const removal = calendarOf(french);
    assert.equal(removal.method, 'CANCEL');
    assert.match(french.raw, /Content-Type: text\/calendar; charset=utf-8; method=CANCEL/i);
    assert.equal(removal.status, 'CANCELLED');
    assert.equal(removal.uid, confirmation.uid, 'the same event for the calendar');
    assert.ok(removal.sequence > confirmation.sequence, `SEQUENCE ${removal.sequence} > ${confirmation.sequence}`);
    assert.deepEqual(removal.attendees, ['mailto:personne1@example.org']);
    assert.match(removal.organizer, /^mailto:/);

    const english = mailTo('personne2@example.org', /Event cancelled/)!;
    assert.ok(english, 'the waiting person is told too, in the language they registered in');
    assert.match(english.parsed.text ?? '', /We are sorry to tell you that “Forum de l’eau en Gironde” is cancelled\./);
    assert.match(english.parsed.text ?? '', /A word from .+:\n\n> La salle est fermée pour travaux\./);
    assert.equal(calendarOf(english).method, 'CANCEL');
    assert.equal(mailTo('personne3@example.org', /annulé/i)?.parsed.subject, 'Inscription annulée\u00a0: Forum de l’eau en Gironde', 'who had cancelled got only their own email');
  });

  test('published again before the emails left: nobody is told of a cancellation that no longer holds', async () => {
    const event = await insertTestEvent(t.kernel.db, { title: 'Atelier compost' });
    const r = await registerParticipant(t.kernel, event.id, person(4), { locale: 'fr' });
    assert.equal(r.kind, 'created');
    await t.kernel.jobs.runDue();
    await t.smtp.waitFor(t.smtp.messages.length);
    assert.equal((await staff.post(`/admin/agenda/${event.id}/statut`, { action: 'cancel', confirmer: '1' })).statusCode, 303);
    assert.equal((await staff.post(`/admin/agenda/${event.id}/statut`, { action: 'publish' })).statusCode, 303);
    const sent = t.smtp.messages.length;
    await t.kernel.jobs.runDue();
    assert.equal(t.smtp.messages.length, sent);
    assert.equal(mailTo('personne4@example.org', /Événement annulé/), undefined);
  });

  test('« Annuler cette date et les suivantes » tells the people registered to each date cancelled', async () => {
    const title = 'Permanence jumelages';
    const created = await staff.post('/admin/agenda/nouveau', {
      title,
      type_code: 'network_meeting',
      start_date: '2030-09-02',
      start_time: '10 h',
      end_time: '12 h',
      venue: 'Maison des associations',
      commune: 'Bordeaux',
      postcode: '33000',
      repeat_freq: 'weekly',
      repeat_interval: '1',
      repeat_count: '3',
      intent: 'publish',
    });
    assert.equal(created.statusCode, 303, created.body.slice(0, 2000));
    const dates = await t.kernel.db.selectFrom('events').select('id').where('title', '=', title).orderBy('starts_at').execute();
    assert.equal(dates.length, 3);
    for (const [i, date] of dates.entries()) assert.equal((await registerParticipant(t.kernel, date.id, person(10 + i), { byStaff: true })).kind, 'created');
    const before = await cancellationJobs();
    assert.equal((await staff.post(`/admin/agenda/${dates[1]!.id}/serie/annuler`)).statusCode, 303);
    assert.equal(await cancellationJobs(), before + 2, 'the people of the second and third dates, not of the first');
    await t.kernel.jobs.runDue();
    await t.smtp.waitFor(t.smtp.messages.length);
    for (const n of [11, 12]) {
      let mail;
      for (let i = 0; i < 50 && !mail; i++) {
        await t.kernel.jobs.runDue();
        mail = mailTo(`personne${n}@example.org`, /Événement annulé/);
        if (!mail) await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(mail, `personne${n} is told`);
    }
    assert.equal(mailTo('personne10@example.org', /Événement annulé/), undefined);
  });

  test('a participant who cancels their registration gets a METHOD:CANCEL .ics that outranks their confirmation', async () => {
    const event = await insertTestEvent(t.kernel.db, { title: 'Rencontre des jumelages' });
    const r = await registerParticipant(t.kernel, event.id, person(5), { locale: 'fr' });
    assert.ok(r.kind === 'created');
    await t.kernel.jobs.runDue();
    await t.smtp.waitFor(t.smtp.messages.length);
    const confirmation = calendarOf(mailTo('personne5@example.org', /Inscription confirmée/)!);
    const sent = t.smtp.messages.length;
    await cancelRegistration(t.kernel, r.id, participantActor({ email: 'personne5@example.org' }));
    await t.kernel.jobs.runDue();
    await t.smtp.waitFor(sent + 1);
    const mail = mailTo('personne5@example.org', /Inscription annulée/)!;
    assert.match(mail.parsed.text ?? '', /Si vous aviez ajouté l’événement à votre agenda, la pièce jointe l’en retire\./);
    const removal = calendarOf(mail);
    assert.equal(removal.method, 'CANCEL');
    assert.equal(removal.status, 'CANCELLED');
    assert.equal(removal.uid, confirmation.uid);
    assert.ok(removal.sequence > confirmation.sequence, `SEQUENCE ${removal.sequence} > ${confirmation.sequence}`);
    assert.deepEqual(removal.attendees, ['mailto:personne5@example.org']);
  });
});
