import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { clearThrottle, findUserByEmail } from '../../kernel/auth/repo.js';
import { listAudit } from '../../kernel/audit/index.js';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import {
  createOrganisation,
  findOrganisationById,
  linkUserToOrganisation,
  organisationFormValues,
  organisationsOfUser,
  taxonomies,
  taxonomyCodes,
  updateOrganisation,
  validateOrganisation,
} from '../organisations/index.js';
import { HONEYPOT } from './views-public.js';
import { PROPOSALS_PER_WINDOW } from './rate-limit.js';

/** The form a browser would post for an organisation: every field, lists as repeated values joined by commas. */
function formOf(values: object, changes: Record<string, string> = {}): Record<string, string> {
  const form: Record<string, string> = {};
  for (const [k, v] of Object.entries(organisationFormValues(values))) form[k] = Array.isArray(v) ? v.join(',') : v;
  return { ...form, ...changes };
}

/** The id of the pending proposal the queue page lists under that title. */
function proposalIdFrom(body: string, title: string): string {
  const match = new RegExp(`href="/admin/moderation/([0-9a-f-]{36})">${title}<`).exec(body);
  assert.ok(match, `the queue lists the proposal « ${title} »`);
  return match[1]!;
}

forEachDialect('shared moderation, member self-service and account requests', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let n = 0;

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff', 'equipe@example.org');
  });
  after(() => t.close());

  async function organisation(name: string, extra: Record<string, unknown> = {}) {
    const tax = await taxonomies(t.kernel.db);
    const checked = validateOrganisation(
      { name, kind_code: 'association', commune: '33063', postcode: '33000', themes: ['health'], description: 'Une association de Bordeaux.', ...extra },
      taxonomyCodes(tax),
      { currentYear: 2026 },
    );
    assert.ok(checked.ok, JSON.stringify(!checked.ok && checked.errors));
    return createOrganisation(t.kernel, { id: null, email: 'seed@example.org' }, checked.draft);
  }

  async function memberOf(orgId: string) {
    n++;
    const email = `membre${n}@example.org`;
    const client = await t.loginAs('member', email);
    const user = (await findUserByEmail(t.kernel.db, email))!;
    await linkUserToOrganisation(t.kernel.db, user.id, orgId, new Date().toISOString());
    return { client, email, user };
  }

  test('a member proposes an edit; staff see the diff and approve; the record changes, the audit log and the member know', async () => {
    const org = await organisation('Eau Vive Gironde');
    const { client, email } = await memberOf(org.id);

    const list = await client.get('/mon-espace/structures');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Eau Vive Gironde/);
    const page = await client.get(`/mon-espace/structures/${org.id}/modifier`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /value="Eau Vive Gironde"/, 'the form is prefilled with the record');

    const sent = await client.post(`/mon-espace/structures/${org.id}/modifier`, formOf(org, { name: 'Eau Vive Nouvelle-Aquitaine', themes: 'health,water_sanitation' }));
    assert.equal(sent.statusCode, 303);
    const after1 = await client.get('/mon-espace/structures');
    assert.match(after1.body, /en attente de validation/, 'the member sees the pending state');
    assert.equal((await findOrganisationById(t.kernel.db, org.id))!.name, 'Eau Vive Gironde', 'nothing is published before review');

    const queue = await staff.get('/admin/moderation');
    assert.equal(queue.statusCode, 200);
    assert.match(queue.body, /Eau Vive Nouvelle-Aquitaine/);
    const id = proposalIdFrom(queue.body, 'Eau Vive Nouvelle-Aquitaine');
    const detail = await staff.get(`/admin/moderation/${id}`);
    assert.equal(detail.statusCode, 200);
    assert.match(detail.body, /<del class="mod-value">Eau Vive Gironde<\/del>/);
    assert.match(detail.body, /<ins class="mod-value">Eau Vive Nouvelle-Aquitaine<\/ins>/);
    assert.match(detail.body, /Eau et assainissement/, 'list fields are shown with their labels');
    assert.doesNotMatch(detail.body, /modifié depuis la proposition/);

    const mails = t.smtp.messages.length;
    const approved = await staff.post(`/admin/moderation/${id}/approuver`);
    assert.equal(approved.statusCode, 303);
    const changed = (await findOrganisationById(t.kernel.db, org.id))!;
    assert.equal(changed.name, 'Eau Vive Nouvelle-Aquitaine');
    assert.deepEqual([...changed.themes].sort(), ['health', 'water_sanitation']);
    assert.equal(changed.description_html, org.description_html, 'untouched fields stay as they were');

    const audit = await listAudit(t.kernel.db, { limit: 20, offset: 0 });
    const update = audit.rows.find((r) => r.entity_id === org.id && r.action === 'organisation.updated');
    assert.ok(update, 'the change of the record is in the audit log');
    assert.equal((JSON.parse(update.before!) as { name: string }).name, 'Eau Vive Gironde');
    assert.equal((JSON.parse(update.after!) as { name: string }).name, 'Eau Vive Nouvelle-Aquitaine');
    assert.ok(audit.rows.some((r) => r.action === 'proposal.approved' && r.entity_id === id), 'the decision is in the audit log');

    // The email leaves through the job queue.
    await t.kernel.jobs.runDue();
    await t.smtp.waitFor(mails + 1);
    const mail = t.smtp.lastTo(email)!;
    assert.match(mail.parsed.subject ?? '', /acceptée/);
    assert.match(mail.parsed.text ?? '', /Eau Vive Nouvelle-Aquitaine/);
    assert.match(String(mail.parsed.html), /Eau Vive Nouvelle-Aquitaine/);

    const publicPage = await t.client().get(`/acteurs/${changed.slug}`);
    if (publicPage.statusCode === 200) assert.match(publicPage.body, /Eau Vive Nouvelle-Aquitaine/);

    const again = await staff.post(`/admin/moderation/${id}/approuver`);
    assert.equal(again.statusCode, 303, 'a second approval is told the proposal was already handled');
  });

  test('staff edit a proposal before approving it; the edit is validated again', async () => {
    const org = await organisation('Jardins du Monde');
    const { client, email } = await memberOf(org.id);
    await client.post(`/mon-espace/structures/${org.id}/modifier`, formOf(org, { website: 'jardins-du-monde.example.org' }));
    const id = proposalIdFrom((await staff.get('/admin/moderation')).body, 'Jardins du Monde');

    const form = await staff.get(`/admin/moderation/${id}/modifier`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /value="https?:\/\/jardins-du-monde.example.org\/?"/, 'the form holds the proposed value');
    const current = (await findOrganisationById(t.kernel.db, org.id))!;

    const invalid = await staff.post(`/admin/moderation/${id}/modifier`, formOf(current, { website: 'jardins-du-monde.example.org', siret: '12345678901234' }));
    assert.equal(invalid.statusCode, 400);
    assert.match(invalid.body, /clé de contrôle/);
    assert.match(invalid.body, /value="12345678901234"/, 'what staff typed is kept');

    const mails = t.smtp.messages.length;
    const ok = await staff.post(
      `/admin/moderation/${id}/modifier`,
      formOf(current, { website: 'www.jardins-du-monde.example.org', visibility: 'members', decision_message: 'Nous avons corrigé l’adresse du site.' }),
    );
    assert.equal(ok.statusCode, 303);
    const changed = (await findOrganisationById(t.kernel.db, org.id))!;
    assert.match(changed.website ?? '', /^https?:\/\/www.jardins-du-monde.example.org\/?$/);
    assert.equal(changed.visibility, 'members');
    await t.kernel.jobs.runDue();
    await t.smtp.waitFor(mails + 1);
    assert.match(t.smtp.lastTo(email)!.parsed.text ?? '', /corrigé l’adresse du site/);
  });

  test('staff reject a proposal with a message emailed to the proposer', async () => {
    const org = await organisation('Ponts Solidaires');
    const { client, email } = await memberOf(org.id);
    await client.post(`/mon-espace/structures/${org.id}/modifier`, formOf(org, { acronym: 'PS' }));
    const queue = await staff.get('/admin/moderation');
    const id = proposalIdFrom(queue.body, 'Ponts Solidaires');

    const empty = await staff.post(`/admin/moderation/${id}/rejeter`, { message: '' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Expliquez à la personne/);

    const mails = t.smtp.messages.length;
    const rejected = await staff.post(`/admin/moderation/${id}/rejeter`, { message: 'Ce sigle est déjà utilisé par une autre structure.' });
    assert.equal(rejected.statusCode, 303);
    assert.equal((await findOrganisationById(t.kernel.db, org.id))!.acronym, null, 'the record did not change');
    await t.kernel.jobs.runDue();
    await t.smtp.waitFor(mails + 1);
    const mail = t.smtp.lastTo(email)!;
    assert.match(mail.parsed.subject ?? '', /pas été retenue/);
    assert.match(mail.parsed.text ?? '', /déjà utilisé par une autre structure/);
    assert.match(String(mail.parsed.html), /déjà utilisé par une autre structure/);
    const audit = await listAudit(t.kernel.db, { limit: 50, offset: 0 });
    assert.ok(audit.rows.some((r) => r.action === 'proposal.rejected' && r.entity_id === id));
  });

  test('a field changed on the record since the proposal is flagged in the diff, and other changes are kept', async () => {
    const org = await organisation('Terre et Partage');
    const { client } = await memberOf(org.id);
    await client.post(`/mon-espace/structures/${org.id}/modifier`, formOf(org, { email: 'contact@terre-partage.example.org', acronym: 'TeP' }));
    const queue = await staff.get('/admin/moderation?type=organisation');
    const id = proposalIdFrom(queue.body, 'Terre et Partage');

    // Meanwhile staff change the email and the phone of the record.
    const tax = await taxonomies(t.kernel.db);
    const edited = validateOrganisation(formOf(org, { email: 'accueil@terre-partage.example.org', phone: '05 56 00 00 00' }), taxonomyCodes(tax), { currentYear: 2026 });
    assert.ok(edited.ok);
    await updateOrganisation(t.kernel, { id: null, email: 'equipe@example.org' }, org.id, edited.draft);

    const detail = await staff.get(`/admin/moderation/${id}`);
    assert.match(detail.body, /modifié depuis la proposition/);
    assert.match(detail.body, /accueil@terre-partage.example.org/, 'the current value is shown');
    assert.match(detail.body, /1 champ a été modifié sur la fiche/);

    await staff.post(`/admin/moderation/${id}/approuver`);
    const changed = (await findOrganisationById(t.kernel.db, org.id))!;
    assert.equal(changed.email, 'contact@terre-partage.example.org', 'the proposal wins on the field it changed');
    assert.equal(changed.acronym, 'TeP');
    assert.equal(changed.phone, '+33556000000', 'a change made meanwhile on another field is kept');
  });

  test('a member cannot propose for an organisation that is not theirs', async () => {
    const mine = await organisation('Ma Structure');
    const other = await organisation('Pas la Mienne');
    const { client } = await memberOf(mine.id);
    assert.equal((await client.get(`/mon-espace/structures/${other.id}/modifier`)).statusCode, 403);
    const res = await client.post(`/mon-espace/structures/${other.id}/modifier`, formOf(other, { name: 'Détournée' }));
    assert.equal(res.statusCode, 403);
    assert.equal((await findOrganisationById(t.kernel.db, other.id))!.name, 'Pas la Mienne');
    const list = await client.get('/mon-espace/structures');
    assert.doesNotMatch(list.body, /Pas la Mienne/);
  });

  test('a member’s invalid edit comes back with French messages next to the fields, nothing lost', async () => {
    const org = await organisation('Clair de Terre');
    const { client } = await memberOf(org.id);
    const res = await client.post(`/mon-espace/structures/${org.id}/modifier`, formOf(org, { siret: '123', email: 'pas-une-adresse', name: 'Clair de Terre "><script>alert(1)</script>' }));
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="f-siret-error"[^>]*>Le SIRET compte 14 chiffres/);
    assert.match(res.body, /aria-describedby="[^"]*f-email-error/);
    assert.match(res.body, /value="pas-une-adresse"/);
    assert.ok(!res.body.includes('"><script>alert'), 'what was typed cannot break out of its attribute');
    assert.match(res.body, /value="Clair de Terre (&quot;|&#34;|&#x22;)(>|&gt;)/, 'what was typed is kept');
  });

  test('the public proposal form: a robot filling the honeypot is thanked and ignored; one IP is limited', async () => {
    const visitor = t.client();
    const page = await visitor.get('/proposer-une-structure');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`aria-hidden="true"[^]*?name="${HONEYPOT}"[^>]*tabindex="-1"|aria-hidden="true"[^]*?tabindex="-1"[^>]*name="${HONEYPOT}"`));
    const before = (await staff.get('/admin/moderation')).body;

    const robot = await visitor.post('/proposer-une-structure', { proposer_name: 'Bot', proposer_email: 'bot@example.org', name: 'Spam Corp', kind_code: 'company', [HONEYPOT]: 'http://spam.example' });
    assert.equal(robot.statusCode, 303);
    assert.doesNotMatch((await staff.get('/admin/moderation')).body, /Spam Corp/);
    assert.ok(before);

    const invalid = await visitor.post('/proposer-une-structure', { proposer_name: '', proposer_email: 'x', name: 'A', kind_code: '' });
    assert.equal(invalid.statusCode, 400);
    assert.match(invalid.body, /Indiquez votre nom/);
    assert.match(invalid.body, /Choisissez une famille d’acteurs/);

    for (let i = 1; i <= PROPOSALS_PER_WINDOW; i++) {
      const res = await visitor.post('/proposer-une-structure', { proposer_name: 'Awa Diallo', proposer_email: 'awa@example.org', name: `Nouvelle structure ${i}`, kind_code: 'association', commune: 'Pau' });
      assert.equal(res.statusCode, 303, `proposal ${i} accepted`);
    }
    const limited = await visitor.post('/proposer-une-structure', { proposer_name: 'Awa Diallo', proposer_email: 'awa@example.org', name: 'Une de trop', kind_code: 'association' });
    assert.equal(limited.statusCode, 429);
    assert.match(limited.body, /Réessayez dans une heure/);
    assert.match(limited.body, /value="Une de trop"/, 'what was typed is kept');
    const queue = await staff.get('/admin/moderation');
    assert.match(queue.body, /Nouvelle structure 1/);
    assert.doesNotMatch(queue.body, /Une de trop/);
    // The next tests post from the same address.
    await clearThrottle(t.kernel.db, ['proposal-ip:127.0.0.1']);
  });

  test('an approved account request invites a member account linked to the organisation', async () => {
    const org = await organisation('Cités Unies Lot-et-Garonne');
    const visitor = t.client();
    const search = await visitor.get('/demande-de-compte?q=cites%20unies');
    assert.equal(search.statusCode, 200);
    assert.match(search.body, new RegExp(`value="${org.id}"`), 'the directory search offers the organisation');

    const sent = await visitor.post('/demande-de-compte', { mode: 'existing', q: 'cites unies', organisation_id: org.id, person_name: 'Inès Moreau', person_email: 'ines.moreau@example.org', message: 'Je coordonne les projets.' });
    assert.equal(sent.statusCode, 303);

    const list = await staff.get('/admin/demandes-de-compte');
    assert.match(list.body, /Inès Moreau/);
    const id = /\/admin\/demandes-de-compte\/([0-9a-f-]{36})\/approuver/.exec(list.body.slice(list.body.indexOf('Inès Moreau')))![1]!;
    const mails = t.smtp.messages.length;
    const approved = await staff.post(`/admin/demandes-de-compte/${id}/approuver`);
    assert.equal(approved.statusCode, 303);

    const user = await findUserByEmail(t.kernel.db, 'ines.moreau@example.org');
    assert.ok(user);
    assert.equal(user.role, 'member');
    assert.equal(user.status, 'invited');
    assert.deepEqual((await organisationsOfUser(t.kernel.db, user.id)).map((o) => o.id), [org.id]);
    // The invitation email is a job: the worker sends it.
    await t.kernel.jobs.runDue();
    await t.smtp.waitFor(mails + 1);
    assert.match(t.smtp.lastTo('ines.moreau@example.org')!.parsed.text ?? '', /\/invitation\//);
  });

  test('« Rechercher » on an account request keeps the name, email and message typed (the search is a button of the request form)', async () => {
    const org = await organisation('Solidarité Garonne Niger');
    const visitor = t.client();
    const page = await visitor.get('/demande-de-compte');
    // No separate GET form: without JavaScript too, the search carries the typed fields along (in a POST body, never in an address).
    assert.doesNotMatch(page.body, /<form method="get" action="\/demande-de-compte"/);
    const form = /<form method="post"[^>]*action="\/demande-de-compte"[\s\S]*?<\/form>/.exec(page.body)?.[0] ?? '';
    assert.match(form, /<button type="submit" name="rechercher" value="1"[^>]*>Rechercher<\/button>/, 'the search button belongs to the request form');
    assert.ok(form.indexOf('name="rechercher"') < form.indexOf('Envoyer ma demande'), 'it comes first: Enter in a field searches, never sends');

    const typed = { mode: 'existing', q: 'garonne niger', person_name: 'Léa Martin', person_email: 'lea.martin@example.org', message: 'Je suis la trésorière.', rechercher: '1' };
    const searched = await visitor.post('/demande-de-compte', typed);
    assert.equal(searched.statusCode, 200);
    assert.match(searched.body, new RegExp(`value="${org.id}"`), 'the structures found are offered');
    assert.match(searched.body, /value="Léa Martin"/);
    assert.match(searched.body, /value="lea\.martin@example\.org"/);
    assert.match(searched.body, /Je suis la trésorière\./);
    assert.match(searched.body, /value="garonne niger"/);
    assert.doesNotMatch(searched.body, /error-summary|field-error/, 'a search checks nothing');
    assert.doesNotMatch((await staff.get('/admin/demandes-de-compte')).body, /Léa Martin/, 'and sends nothing');

    // A structure already chosen stays chosen through another search.
    const again = await visitor.post('/demande-de-compte', { ...typed, q: 'zzz introuvable', organisation_id: org.id });
    assert.match(again.body, new RegExp(`value="${org.id}" checked`));
    assert.match(again.body, /value="Léa Martin"/);
  });

  test('« not in the directory » and back keep what was typed: the name searched becomes the name proposed, and the other way round', async () => {
    const visitor = t.client();
    const page = await visitor.get('/demande-de-compte');
    const form = /<form method="post"[^>]*action="\/demande-de-compte"[\s\S]*?<\/form>/.exec(page.body)?.[0] ?? '';
    assert.match(form, /<button type="submit" name="basculer" value="new" class="link-button">Votre structure n’est pas dans l’annuaire/, 'a button of the request form, not a link that drops the form');
    assert.ok(form.indexOf('name="rechercher"') < form.indexOf('name="basculer"'), 'Enter in a field still searches');

    const typed = { mode: 'existing', q: 'Jardins partagés de Floirac', person_name: 'Léa Martin', person_email: 'lea.martin@example.org', message: 'Je suis la trésorière.', basculer: 'new' };
    const proposing = await visitor.post('/demande-de-compte', typed);
    assert.equal(proposing.statusCode, 200);
    assert.match(proposing.body, /<input type="hidden" name="mode" value="new"/);
    assert.match(proposing.body, /value="Léa Martin"/);
    assert.match(proposing.body, /value="lea\.martin@example\.org"/);
    assert.match(proposing.body, /Je suis la trésorière\./);
    assert.match(proposing.body, /name="name"[^>]*value="Jardins partagés de Floirac"|value="Jardins partagés de Floirac"[^>]*name="name"/, 'the name searched is the name proposed');
    assert.doesNotMatch(proposing.body, /error-summary|field-error/, 'switching checks nothing');
    assert.doesNotMatch((await staff.get('/admin/demandes-de-compte')).body, /Léa Martin/, 'and sends nothing');

    const back = await visitor.post('/demande-de-compte', { mode: 'new', person_name: 'Léa Martin', person_email: 'lea.martin@example.org', name: 'Jardins partagés', basculer: 'existing' });
    assert.equal(back.statusCode, 200);
    assert.match(back.body, /<input type="hidden" name="mode" value="existing"/);
    assert.match(back.body, /value="Léa Martin"/);
    assert.match(back.body, /name="q"[^>]*value="Jardins partagés"|value="Jardins partagés"[^>]*name="q"/, 'the name typed is searched');
    assert.doesNotMatch(back.body, /error-summary|field-error/);
  });

  test('/demande-de-compte signed in: no blank form, the person is told they have an account and led to their space', async () => {
    const org = await organisation('Ardèche Solidarité Burkina');
    const { client } = await memberOf(org.id);
    const page = await client.get('/demande-de-compte');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>Vous avez déjà un compte<\/h1>/);
    assert.match(page.body, /href="\/mon-espace\/structures">Mes structures</);
    assert.match(page.body, /href="\/mon-espace">Mon espace</);
    assert.doesNotMatch(page.body, /name="person_email"/);
    // A visitor still gets the form.
    assert.match((await t.client().get('/demande-de-compte')).body, /name="person_email"/);
  });

  test('an account request proposing a new organisation links the account once the organisation is approved', async () => {
    const visitor = t.client();
    const sent = await visitor.post('/demande-de-compte', {
      mode: 'new',
      person_name: 'Yann Le Goff',
      person_email: 'yann@example.org',
      name: 'Coopération Pays Basque Sénégal',
      kind_code: 'association',
      commune: 'Bayonne',
    });
    assert.equal(sent.statusCode, 303);
    const list = await staff.get('/admin/demandes-de-compte');
    const id = /\/admin\/demandes-de-compte\/([0-9a-f-]{36})\/approuver/.exec(list.body.slice(list.body.indexOf('Yann Le Goff')))![1]!;
    assert.equal((await staff.post(`/admin/demandes-de-compte/${id}/approuver`)).statusCode, 303);
    const user = (await findUserByEmail(t.kernel.db, 'yann@example.org'))!;
    assert.equal((await organisationsOfUser(t.kernel.db, user.id)).length, 0, 'no organisation yet');

    const queue = await staff.get('/admin/moderation');
    const proposalId = proposalIdFrom(queue.body, 'Coopération Pays Basque Sénégal');
    assert.equal((await staff.post(`/admin/moderation/${proposalId}/approuver`)).statusCode, 303);
    const orgs = await organisationsOfUser(t.kernel.db, user.id);
    assert.deepEqual(orgs.map((o) => o.name), ['Coopération Pays Basque Sénégal']);
  });

  test('a rejected account request emails the message', async () => {
    const org = await organisation('Réseau Sud Gironde');
    await t.client().post('/demande-de-compte', { mode: 'existing', organisation_id: org.id, person_name: 'Paul Durand', person_email: 'paul@example.org' });
    const list = await staff.get('/admin/demandes-de-compte');
    const id = /\/admin\/demandes-de-compte\/([0-9a-f-]{36})\/rejeter/.exec(list.body.slice(list.body.indexOf('Paul Durand')))![1]!;
    const mails = t.smtp.messages.length;
    assert.equal((await staff.post(`/admin/demandes-de-compte/${id}/rejeter`, { message: 'Nous ne connaissons pas ce contact.' })).statusCode, 303);
    await t.kernel.jobs.runDue();
    await t.smtp.waitFor(mails + 1);
    assert.match(t.smtp.lastTo('paul@example.org')!.parsed.text ?? '', /Nous ne connaissons pas ce contact/);
    assert.equal(await findUserByEmail(t.kernel.db, 'paul@example.org'), undefined);
  });

  test('the daily digest sends staff one mail with the pending counts', async () => {
    const mails = t.smtp.messages.length;
    await t.kernel.jobs.enqueue('moderation.digest', {});
    await t.kernel.jobs.runDue();
    await t.smtp.waitFor(mails + 1);
    const digests = t.smtp.messages.slice(mails).filter((m) => /en attente de modération/.test(m.parsed.subject ?? ''));
    const toStaff = digests.filter((m) => m.envelopeTo.includes('equipe@example.org'));
    assert.equal(toStaff.length, 1);
    const text = toStaff[0]!.parsed.text ?? '';
    assert.match(text, /Structure : \d+ propositions?/);
    assert.match(text, /\/admin\/moderation/);
    assert.ok(digests.every((m) => !m.envelopeTo.some((a) => a.startsWith('membre'))), 'members do not get the digest');
  });
});
