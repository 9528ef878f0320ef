import assert from 'node:assert/strict';
import { csvRows, fieldError, recapOf } from './test-pages.js';
import { after, before, test } from 'node:test';
import type { Kysely } from 'kysely';
import { migrations } from '../../db/migrations/index.js';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect, type TestDb, testDb } from '../../../test/helpers/db.js';
import { registrationToken } from './deps.js';
import { registrationsOfEmail } from './staff.js';
import { insertTestEvent } from './test-fixtures-repo.js';

// A person coming on their own account (a student, a volunteer, a citizen at the yearly
// multi-actor day) registers « à titre individuel », without inventing an organisation; the form
// says before sending that an organisation, or that box, is required; staff may require an
// organisation for an event.

const person = (i: number | string, extra: Record<string, string> = {}) => ({
  first_name: 'Léa',
  last_name: `Martin ${i}`,
  email: `lea${i}@example.org`,
  consent: '1',
  ...extra,
});


/** The structure fieldset of a registration form (legend, hint, box and fields). */
const organisationFieldset = (html: string) => /<fieldset id="f-organisation_id"[\s\S]*?<\/fieldset>/.exec(html)?.[0] ?? '';

forEachDialect('Inscriptions à titre individuel (sans structure)', (dialect) => {
  let t: TestApp;
  let staff: Client;
  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff');
  });
  after(async () => t.close());

  test('le formulaire dit avant l’envoi que la structure est obligatoire, et propose de venir à titre individuel', async () => {
    const event = await insertTestEvent(t.kernel.db, {});
    const page = await t.client().get(`/agenda/${event.slug}/inscription`);
    assert.equal(page.statusCode, 200);
    // The asterisk's meaning, once, at the top of the form.
    assert.match(page.body, /<p class="hint">Les champs marqués d’un astérisque \(\*\) sont obligatoires\.<\/p>/);
    const fieldset = organisationFieldset(page.body);
    // Marked required like the other required fields, and said in words in the hint the group is described by.
    assert.match(fieldset, /^<fieldset id="f-organisation_id" class="form-section" tabindex="-1" aria-describedby="f-organisation_id-hint">\s*<legend><span>Votre structure<\/span><span class="required" aria-hidden="true"> \*<\/span><\/legend>/);
    assert.equal(
      /<p class="hint" id="f-organisation_id-hint">([^<]*)<\/p>/.exec(fieldset)?.[1],
      'Obligatoire\u00a0: choisissez votre structure dans l’annuaire ou, si elle n’y est pas, indiquez son nom et son type. Vous venez sans structure\u202f? Cochez «\u00a0Je viens à titre individuel\u00a0».',
    );
    assert.match(fieldset, /<input type="checkbox" id="f-individual" name="individual" value="1" data-disables="f-organisation_id"\/>\s*<label for="f-individual">Je viens à titre individuel \(sans structure\)<\/label>/);
    // In English too.
    const english = t.client();
    await english.post('/langue', { lang: 'en', suite: `/agenda/${event.slug}/inscription` });
    const en = organisationFieldset((await english.get(`/agenda/${event.slug}/inscription`)).body);
    assert.match(en, /<label for="f-individual">I am coming as an individual \(no organisation\)<\/label>/);
    assert.match(en, /Required: pick your organisation from the directory or, if it is not there, give its name and kind\./);
  });

  test('ni structure ni « à titre individuel » : l’erreur d’avant, qui nomme aussi la case, et ce qui a été saisi reste', async () => {
    const event = await insertTestEvent(t.kernel.db, {});
    const refused = await t.client().post(`/agenda/${event.slug}/inscription`, person(1, { phone: '05 56 00 00 00' }));
    assert.equal(refused.statusCode, 400);
    assert.equal(fieldError(refused.body, 'organisation_name'), 'Choisissez votre structure dans l’annuaire ou saisissez son nom, ou cochez «\u00a0Je viens à titre individuel\u00a0».');
    assert.equal(fieldError(refused.body, 'organisation_kind'), 'Choisissez le type de votre structure.');
    assert.match(refused.body, /<a href="#f-organisation_name">Choisissez votre structure dans l’annuaire ou saisissez son nom, ou cochez/, 'in the summary too');
    assert.match(refused.body, /id="f-first_name"[^>]*value="Léa"/);
    assert.match(refused.body, /id="f-phone"[^>]*value="05 56 00 00 00"/);
    assert.match(refused.body, /<input type="checkbox" id="f-individual" name="individual" value="1" data-disables="f-organisation_id"\/>/, 'the box is there to tick, unticked');
    assert.equal((await t.kernel.db.selectFrom('registrations').select('id').where('event_id', '=', event.id).execute()).length, 0);

    // Ticked, with another mistake: the form comes back with the box still ticked, and no structure error.
    const again = await t.client().post(`/agenda/${event.slug}/inscription`, person(1, { individual: '1', first_name: '' }));
    assert.equal(again.statusCode, 400);
    assert.equal(fieldError(again.body, 'first_name'), 'Saisissez votre prénom.');
    assert.equal(fieldError(again.body, 'organisation_name'), undefined);
    assert.equal(fieldError(again.body, 'organisation_kind'), undefined);
    assert.match(again.body, /<input type="checkbox" id="f-individual" name="individual" value="1" checked data-disables="f-organisation_id"\/>/);
  });

  test('s’inscrire à titre individuel : confirmation par email, liste, CSV, comptes, émargement, lien personnel et export RGPD disent « À titre individuel »', async () => {
    const event = await insertTestEvent(t.kernel.db, { title: 'Journée multi-acteurs' });
    const withOrganisation = await t.client().post(`/agenda/${event.slug}/inscription`, {
      first_name: 'Awa',
      last_name: 'Diallo',
      email: 'awa.diallo@example.org',
      organisation_name: 'Eau Vive Gironde',
      organisation_kind: 'association',
      consent: '1',
    });
    assert.equal(withOrganisation.statusCode, 303);
    const visitor = t.client();
    const sent = t.smtp.messages.length;
    // Whatever the structure's fields still hold, the box says there is none.
    const posted = await visitor.post(`/agenda/${event.slug}/inscription`, person(2, { individual: '1', organisation_name: 'Brouillon', organisation_department: '99' }));
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 300));
    const done = await visitor.get(String(posted.headers.location));
    assert.match(done.body, /Votre place est réservée/);
    assert.deepEqual(recapOf(done.body)?.slice(0, 3), [
      ['Nom', 'Léa Martin 2'],
      ['Adresse email', 'lea2@example.org'],
      ['Structure', 'À titre individuel'],
    ]);
    const row = await t.kernel.db.selectFrom('registrations').selectAll().where('email_lower', '=', 'lea2@example.org').executeTakeFirstOrThrow();
    assert.deepEqual([row.individual, row.organisation_id, row.organisation_name, row.organisation_kind, row.organisation_department], [1, null, null, null, null]);

    // The confirmation email, through the SMTP server.
    await t.kernel.jobs.runDue();
    await t.smtp.waitFor(sent + 2);
    const confirmation = t.smtp.messages.slice(sent).find((m) => m.envelopeTo.includes('lea2@example.org'))!;
    assert.ok(confirmation, 'the confirmation was sent');
    assert.match(confirmation.parsed.subject ?? '', /^Inscription confirmée/);
    assert.ok((confirmation.parsed.text ?? '').includes('- Structure\u00a0: À titre individuel'), confirmation.parsed.text);
    assert.match(String(confirmation.parsed.html), /<strong>Structure\u00a0:<\/strong> <span>À titre individuel<\/span>/);

    // Staff: the list, the counts, the sign-in sheet and the CSV.
    const list = await staff.get(`/admin/agenda/${event.id}/inscriptions`);
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /<td data-label="Structure">À titre individuel<\/td>/);
    assert.match(list.body, /<td data-label="Structure">Eau Vive Gironde<\/td>/);
    const counts = (id: string) => [...(new RegExp(`<h3 id="${id}">[\\s\\S]*?</table>`).exec(list.body)?.[0] ?? '').matchAll(/<tr><td>([^<]*)<\/td><td class="num">(\d+)<\/td><\/tr>/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(counts('counts-kind'), [
      ['Association', '1'],
      ['À titre individuel', '1'],
    ]);
    assert.deepEqual(counts('counts-college'), [
      ['À titre individuel', '1'],
      ['Non précisé', '1'],
    ]);
    assert.ok(counts('counts-department').some(([label, n]) => label === 'À titre individuel' && n === '1'));
    const sheet = await staff.get(`/admin/agenda/${event.id}/emargement`);
    assert.match(sheet.body, /<td>MARTIN 2 Léa<\/td><td>À titre individuel<\/td>/);
    const csv = await staff.get(`/admin/agenda/${event.id}/inscriptions.csv`);
    assert.equal(csv.statusCode, 200);
    const lines = csvRows(csv.body);
    assert.deepEqual(
      lines.map((l) => [l['Email'], l['Structure'], l['Type de structure'], l['Département']]),
      [
        ['awa.diallo@example.org', 'Eau Vive Gironde', 'Association', ''],
        ['lea2@example.org', 'À titre individuel', '', ''],
      ],
    );

    // The personal page shows the box ticked; saved again, it stays so.
    const link = `/inscriptions/${registrationToken(t.kernel, row.id).token}`;
    const owner = t.client();
    const personal = await owner.get(link);
    assert.match(personal.body, /<input type="checkbox" id="f-individual" name="individual" value="1" checked data-disables="f-organisation_id"\/>/);
    assert.equal((await owner.post(link, person(2, { individual: '1', phone: '06 00 00 00 00' }))).statusCode, 200);
    assert.equal((await t.kernel.db.selectFrom('registrations').select('individual').where('id', '=', row.id).executeTakeFirstOrThrow()).individual, 1);
    // Unticked with a structure named: the structure is kept, the person is no longer « individuel ».
    assert.equal((await owner.post(link, person(2, { organisation_name: 'Université de Bordeaux', organisation_kind: 'education_research' }))).statusCode, 200);
    const changed = await t.kernel.db.selectFrom('registrations').select(['individual', 'organisation_name']).where('id', '=', row.id).executeTakeFirstOrThrow();
    assert.deepEqual([changed.individual, changed.organisation_name], [0, 'Université de Bordeaux']);
    assert.equal((await owner.post(link, person(2, { individual: '1' }))).statusCode, 200);

    // The person's RGPD export says it, without a structure.
    const exported = await registrationsOfEmail(t.kernel, 'LEA2@example.org');
    assert.deepEqual(
      exported.map((r) => [r.event, r.organisation, r.individual]),
      [['Journée multi-acteurs', null, true]],
    );
    const other = await registrationsOfEmail(t.kernel, 'awa.diallo@example.org');
    assert.deepEqual(
      other.map((r) => [r.organisation, r.individual]),
      [['Eau Vive Gironde', false]],
    );
  });

  test('l’équipe ajoute une personne « à titre individuel » ; sans structure ni case, le message parle de la personne', async () => {
    const event = await insertTestEvent(t.kernel.db, {});
    const page = await staff.get(`/admin/agenda/${event.id}/inscriptions`);
    const fieldset = organisationFieldset(page.body);
    assert.match(fieldset, /<legend><span>Sa structure<\/span><span class="required" aria-hidden="true"> \*<\/span><\/legend>/);
    assert.match(fieldset, /<label for="f-individual">À titre individuel \(sans structure\)<\/label>/);
    const refused = await staff.post(`/admin/agenda/${event.id}/inscriptions`, { first_name: 'Marc', last_name: 'Lopez', email: 'marc.lopez@example.org' });
    assert.equal(refused.statusCode, 400);
    assert.equal(fieldError(refused.body, 'organisation_name'), 'Choisissez sa structure dans l’annuaire ou saisissez son nom, ou cochez «\u00a0À titre individuel\u00a0».');
    const added = await staff.post(`/admin/agenda/${event.id}/inscriptions`, { first_name: 'Marc', last_name: 'Lopez', email: 'marc.lopez@example.org', individual: '1' });
    assert.equal(added.statusCode, 303);
    assert.match((await staff.get(`/admin/agenda/${event.id}/inscriptions`)).body, /<td data-label="Structure">À titre individuel<\/td>/);
  });

  test('« Structure obligatoire » dans les réglages : plus de case « à titre individuel », et l’erreur d’avant', async () => {
    const event = await insertTestEvent(t.kernel.db, {});
    // Someone registered on their own before the event required an organisation.
    assert.equal((await t.client().post(`/agenda/${event.slug}/inscription`, person(5, { individual: '1' }))).statusCode, 303);
    const settings = await staff.get(`/admin/agenda/${event.id}/inscriptions/reglages`);
    // Off by default: individuals allowed, as the hint says.
    assert.match(settings.body, /<input type="checkbox" id="f-organisation_required" name="organisation_required" value="1" aria-describedby="f-organisation_required-hint"\/>\s*<label for="f-organisation_required">Structure obligatoire<\/label>\s*<p class="hint" id="f-organisation_required-hint">Sans cette case, une personne peut s’inscrire à titre individuel, sans structure\.<\/p>/);
    const saved = await staff.post(`/admin/agenda/${event.id}/inscriptions/reglages`, { registration_open: '1', capacity: '50', waitlist_enabled: '1', organisation_required: '1' });
    assert.equal(saved.statusCode, 303);
    assert.match((await staff.get(`/admin/agenda/${event.id}/inscriptions/reglages`)).body, /name="organisation_required" value="1" checked/);
    const journal = await t.kernel.db.selectFrom('audit_log').select('after').where('action', '=', 'event.registration_settings').where('entity_id', '=', event.id).executeTakeFirstOrThrow();
    assert.equal((JSON.parse(journal.after!) as { organisation: boolean }).organisation, true);

    const page = await t.client().get(`/agenda/${event.slug}/inscription`);
    const fieldset = organisationFieldset(page.body);
    assert.doesNotMatch(fieldset, /individual/);
    assert.match(fieldset, /<p class="hint" id="f-organisation_id-hint">Obligatoire pour cet événement\u00a0: choisissez votre structure dans l’annuaire ou, si elle n’y est pas, indiquez son nom et son type\.<\/p>/);
    // The box sent anyway (an old page) is not read: the structure is asked for, as before.
    const refused = await t.client().post(`/agenda/${event.slug}/inscription`, person(3, { individual: '1' }));
    assert.equal(refused.statusCode, 400);
    assert.equal(fieldError(refused.body, 'organisation_name'), 'Choisissez votre structure dans l’annuaire ou saisissez son nom.');
    assert.equal((await t.kernel.db.selectFrom('registrations').select('id').where('event_id', '=', event.id).where('email_lower', '=', 'lea3@example.org').execute()).length, 0);
    const registered = await t.client().post(`/agenda/${event.slug}/inscription`, person(3, { organisation_name: 'Lycée Montaigne', organisation_kind: 'education_research' }));
    assert.equal(registered.statusCode, 303);
    // Who came on their own before keeps it on their personal page, and may save other changes.
    const earlier = await t.kernel.db.selectFrom('registrations').select('id').where('email_lower', '=', 'lea5@example.org').executeTakeFirstOrThrow();
    const link = `/inscriptions/${registrationToken(t.kernel, earlier.id).token}`;
    const owner = t.client();
    assert.match((await owner.get(link)).body, /<input type="checkbox" id="f-individual" name="individual" value="1" checked data-disables="f-organisation_id"\/>/);
    const kept = await owner.post(link, person(5, { individual: '1', phone: '06 11 22 33 44' }));
    assert.equal(kept.statusCode, 200);
    assert.match(kept.body, /Vos modifications sont enregistrées/);
    const row = await t.kernel.db.selectFrom('registrations').select(['individual', 'phone']).where('id', '=', earlier.id).executeTakeFirstOrThrow();
    assert.deepEqual([row.individual, row.phone], [1, '06 11 22 33 44']);

    // Unticked again: individuals are welcome.
    assert.equal((await staff.post(`/admin/agenda/${event.id}/inscriptions/reglages`, { registration_open: '1', capacity: '50', waitlist_enabled: '1' })).statusCode, 303);
    assert.equal((await t.client().post(`/agenda/${event.slug}/inscription`, person(4, { individual: '1' }))).statusCode, 303);
  });
});

forEachDialect('registering as an individual (migration 1700)', (dialect) => {
  let db: TestDb;
  before(async () => {
    db = await testDb(dialect);
  });
  after(() => db.close());

  test('earlier registrations came with an organisation, events allowed individuals; down removes both columns, up brings them back', async () => {
    const migration = migrations['2026-12-03T1700_registration_individual']!;
    const columns = async (table: string) => (await db.db.introspection.getTables()).find((t) => t.name === table)!.columns.map((c) => c.name);
    const event = await insertTestEvent(db.db);
    await migration.down!(db.db);
    assert.ok(!(await columns('registrations')).includes('individual'));
    assert.ok(!(await columns('events')).includes('organisation_required'));
    const now = new Date().toISOString();
    // A registration written before the column existed (raw: the typed schema has it).
    const raw = db.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    await raw
      .insertInto('registrations')
      .values({ id: '0190f0f0-0000-7000-8000-00000000f700', event_id: event.id, status: 'registered', sequence: 1, email: 'avant@example.org', email_lower: 'avant@example.org', last_name: 'Avant', organisation_name: 'Eau Vive', answers: '{}', token_hash: 'x', source: 'web', created_at: now, updated_at: now })
      .execute();
    await migration.up(db.db);
    assert.equal((await db.db.selectFrom('registrations').select('individual').where('email_lower', '=', 'avant@example.org').executeTakeFirstOrThrow()).individual, 0);
    assert.equal((await db.db.selectFrom('events').select('organisation_required').where('id', '=', event.id).executeTakeFirstOrThrow()).organisation_required, 0);
  });
});
