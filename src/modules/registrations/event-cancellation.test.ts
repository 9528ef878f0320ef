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

  test('« Annuler cette date et les suivantes » has its own confirmation: the dates, who is registered or waiting on each, the message; refused unconfirmed, stale or failed, nothing changes', async (ctx) => {
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
      repeat_count: '4',
      intent: 'publish',
    });
    assert.equal(created.statusCode, 303, created.body.slice(0, 2000));
    await staff.get(String(created.headers.location)); // its success message, read
    const dates = await t.kernel.db.selectFrom('events').select('id').where('title', '=', title).orderBy('starts_at').execute();
    assert.equal(dates.length, 4);
    const [first, second, third, fourth] = dates.map((d) => d.id) as [string, string, string, string];
    // The second date holds one seat: its second person waits.
    await t.kernel.db.updateTable('events').set({ capacity: 1 }).where('id', '=', second).execute();
    const register = async (eventId: string, n: number, options: { email?: string; locale?: 'fr' | 'en' } = {}) => {
      const r = await registerParticipant(t.kernel, eventId, { ...person(n), ...(options.email ? { email: options.email } : {}) }, { byStaff: true, locale: options.locale ?? 'fr' });
      assert.equal(r.kind, 'created');
      return r as Extract<typeof r, { kind: 'created' }>;
    };
    await register(first, 20);
    await register(second, 21);
    assert.equal((await register(second, 22, { locale: 'en' })).status, 'waitlisted');
    await register(third, 21, { email: 'Personne21@Example.org' }); // the same person, typed otherwise
    await register(third, 23);
    const gone = await register(fourth, 24);
    await cancelRegistration(t.kernel, gone.id, participantActor({ email: 'personne24@example.org' }));
    await t.kernel.jobs.runDue();
    const statuses = async () => (await t.kernel.db.selectFrom('events').select('status').where('title', '=', title).orderBy('starts_at').execute()).map((e) => e.status);
    const published = ['published', 'published', 'published', 'published'];
    // The emails of a cancellation, one date's or several dates' (those of the tests above left aside).
    const noticesOf = async () => (await t.kernel.db.selectFrom('jobs').select('payload').where('name', '=', 'registrations.mail').execute()).filter((j) => /"trigger":"(eventCancelled|seriesCancelled)"/.test(j.payload));
    const earlier = (await noticesOf()).length;
    const noticeJobs = async () => (await noticesOf()).length - earlier;

    // The event's page only links to the confirmation step.
    const page = await staff.get(`/admin/agenda/${second}`);
    assert.match(page.body, new RegExp(`<a class="button button-danger" href="/admin/agenda/${second}\\?annuler=suivantes">Annuler cette date et les suivantes…</a>`));
    assert.doesNotMatch(page.body, /action="[^"]*\/serie\/annuler"/);

    const confirm = await staff.get(`/admin/agenda/${second}?annuler=suivantes`);
    assert.equal(confirm.statusCode, 200);
    const main = confirm.body.slice(confirm.body.indexOf('<main'));
    assert.match(main, /<h1>Annuler cette date et les suivantes\u00a0: Permanence jumelages<\/h1>/);
    assert.match(main, /3 dates seront annulées\u00a0:/);
    const rows = [...main.matchAll(/<tr>\s*<td>([\s\S]*?)<\/td>\s*<td data-label="Personnes inscrites">(\d+)<\/td>\s*<td data-label="En liste d’attente">(\d+)<\/td>/g)].map((m) => [m[1]!.replace(/<[^>]+>/g, '').trim(), m[2], m[3]]);
    assert.deepEqual(
      rows.map(([when, registered, waiting]) => [/^\S+ (\d+) septembre 2030/.exec(when!)?.[1], registered, waiting]),
      [
        ['9', '1', '1'],
        ['16', '2', '0'],
        ['23', '0', '0'],
      ],
      'this date and the later ones, not the first; who is registered or waiting on each, not who cancelled',
    );
    assert.match(rows[0]![0]!, /\(cette date\)$/);
    assert.match(main, /3 personnes inscrites ou en liste d’attente recevront un email qui leur annonce l’annulation, avec de quoi retirer chaque date de leur agenda\. Une personne inscrite à plusieurs de ces dates reçoit un seul email, qui les liste toutes\./);
    assert.match(main, /Ces dates resteront affichées dans l’agenda, marquées comme annulées, et leurs inscriptions seront fermées\. Les dates précédentes de la série ne changent pas\./);
    const form = /<form method="post" action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(main)!;
    assert.equal(form[1], `/admin/agenda/${second}/serie/annuler`);
    assert.match(form[2]!, /<input type="hidden" name="confirmer" value="1"\/?>/);
    assert.deepEqual([...form[2]!.matchAll(/<input type="hidden" name="dates" value="([^"]+)"\/?>/g)].map((m) => m[1]), [second, third, fourth]);
    assert.match(form[2]!, /<label for="f-message"><span>Message aux personnes inscrites \(facultatif\)<\/span><\/label>/);
    assert.match(form[2]!, /<button type="submit" class="button button-danger">Oui, annuler ces 3 dates<\/button>/);
    assert.match(form[2]!, new RegExp(`<a class="button button-secondary" href="/admin/agenda/${second}">Non, garder ces dates</a>`));
    const confirmed = { confirmer: '1', dates: [second, third, fourth].join(',') };

    // A bare POST (a form from before the confirmation step, a script): refused, said in French on the confirmation page.
    const bare = await staff.post(`/admin/agenda/${second}/serie/annuler`);
    assert.equal(bare.statusCode, 303);
    assert.equal(bare.headers.location, `/admin/agenda/${second}?annuler=suivantes`);
    assert.match((await staff.get(String(bare.headers.location))).body, /<div class="flash flash-error" role="alert">Rien n’a été annulé\u00a0: vérifiez ci-dessous les dates concernées, écrivez si vous le souhaitez un message aux personnes inscrites, puis confirmez\.<\/div>/);
    // Without the form's token, or signed in as a member: refused.
    assert.equal((await staff.post(`/admin/agenda/${second}/serie/annuler`, confirmed, { csrf: false })).statusCode, 403);
    const member = await t.loginAs('member', 'membre.serie@example.org');
    assert.equal((await member.post(`/admin/agenda/${second}/serie/annuler`, confirmed)).statusCode, 403);
    assert.equal((await member.get(`/admin/agenda/${second}?annuler=suivantes`)).statusCode, 403);
    const tooLong = await staff.post(`/admin/agenda/${second}/serie/annuler`, { ...confirmed, message: 'x'.repeat(2001) });
    assert.equal(tooLong.statusCode, 400);
    assert.match(tooLong.body, /Le message ne doit pas dépasser 2\u202f000 caractères\./);
    assert.deepEqual(await statuses(), published);
    assert.equal(await noticeJobs(), 0);

    // Dates other than those confirmed (one more came, or one was cancelled in between): nothing changes, the page shows them as they are.
    const stale = await staff.post(`/admin/agenda/${second}/serie/annuler`, { confirmer: '1', dates: [second, third].join(','), message: 'Fin des permanences.' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Les dates de la série ont changé depuis l’affichage de cette page\u00a0: rien n’a été annulé\./);
    assert.match(stale.body, /Fin des permanences\./, 'the message typed is kept');
    assert.equal([...stale.body.matchAll(/name="dates" value="([^"]+)"/g)].length, 3);
    assert.deepEqual(await statuses(), published);
    assert.equal(await noticeJobs(), 0);

    // The emails cannot be queued: no date is cancelled either.
    const allow = await refuseWrites(ctx, t.kernel.db, dialect, 'jobs', "NEW.name = 'registrations.mail'");
    const refused = await staff.post(`/admin/agenda/${second}/serie/annuler`, { ...confirmed, message: 'Fin des permanences.' });
    assert.equal(refused.statusCode, 503);
    assert.match(refused.body, /L’enregistrement n’a pas abouti\u00a0: rien n’a été enregistré\./);
    assert.match(refused.body, /Fin des permanences\./, 'the message typed is kept');
    assert.deepEqual(await statuses(), published);
    assert.equal(await noticeJobs(), 0);
    await allow();

    const done = await staff.post(`/admin/agenda/${second}/serie/annuler`, { ...confirmed, message: 'Fin des permanences.\nMerci de votre fidélité.' });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, `/admin/agenda/${second}`);
    assert.deepEqual(await statuses(), ['published', 'cancelled', 'cancelled', 'cancelled']);
    const after = (await staff.get(`/admin/agenda/${second}`)).body;
    assert.match(after, /3 dates de la série annulées\./);
    assert.match(after, /3 personnes seront prévenues par email\./);
    assert.equal(await noticeJobs(), 3, 'one email per person: one for the two dates of the same address');
    // Sent again (a double click): nothing left to cancel, nobody told twice.
    const again = await staff.post(`/admin/agenda/${second}/serie/annuler`, confirmed);
    assert.equal(again.statusCode, 303);
    assert.match((await staff.get(String(again.headers.location))).body, /Cette date et les suivantes sont déjà annulées\u00a0: rien n’a changé\./);
    assert.equal(await noticeJobs(), 3);

    const sent = async (address: string, subject: RegExp) => {
      for (let i = 0; i < 50; i++) {
        await t.kernel.jobs.runDue();
        const mail = mailTo(address, subject);
        if (mail) return mail;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.fail(`no email « ${subject} » to ${address}`);
    };
    // Registered to two of the dates: one email that lists both, with the .ics of each.
    const grouped = await sent('personne21@example.org', /dates annulées/);
    assert.equal(grouped.parsed.subject, '2 dates annulées\u00a0: Permanence jumelages');
    const text = grouped.parsed.text ?? '';
    assert.match(text, /l’annulation de plusieurs dates de «\u00a0Permanence jumelages\u00a0» auxquelles vous étiez inscrit·e ou en liste d’attente/);
    assert.match(text, /> Fin des permanences\.\n> Merci de votre fidélité\./);
    assert.match(text, /Les dates annulées\u00a0:\n\n- \S+ 9 septembre 2030[^\n]*Maison des associations[^\n]*\n {2}Voir mon inscription\u00a0: http[^\n]+\/inscriptions\/[^\n]+\n- \S+ 16 septembre 2030/);
    assert.equal(grouped.parsed.attachments.length, 2, 'one .ics per date');
    const removals = grouped.parsed.attachments.map((a) => {
      const calendar = new ICAL.Component(ICAL.parse(a.content.toString('utf8')));
      const vevent = calendar.getFirstSubcomponent('vevent')!;
      return { method: calendar.getFirstPropertyValue('method'), status: vevent.getFirstPropertyValue('status'), start: String(vevent.getFirstPropertyValue('dtstart')), attendees: vevent.getAllProperties('attendee').map((p) => String(p.getFirstValue())) };
    });
    assert.deepEqual(removals.map((r) => [r.method, r.status, r.start.slice(0, 10)]), [
      ['CANCEL', 'CANCELLED', '2030-09-09'],
      ['CANCEL', 'CANCELLED', '2030-09-16'],
    ]);
    assert.deepEqual(removals[1]!.attendees, ['mailto:Personne21@Example.org'], 'each date’s registration, as typed');
    assert.equal(t.smtp.messages.filter((m) => m.envelopeTo.some((a) => a.toLowerCase() === 'personne21@example.org') && /annulé/i.test(m.parsed.subject ?? '')).length, 1, 'one email, not one per date');
    // Registered to one of the dates: the ordinary email of that date, in their language.
    assert.match((await sent('personne22@example.org', /^Event cancelled/)).parsed.text ?? '', /A word from .+:\n\n> Fin des permanences\./);
    assert.equal(calendarOf(await sent('personne23@example.org', /^Événement annulé/)).method, 'CANCEL');
    assert.equal(mailTo('personne20@example.org', /annulé/i), undefined, 'the earlier date is not cancelled');
    assert.equal(mailTo('personne24@example.org', /Événement annulé|dates annulées/), undefined, 'who had cancelled got only their own email');
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
