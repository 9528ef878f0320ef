import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type ParsedMail, simpleParser } from 'mailparser';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { newId } from '../../kernel/ids.js';
import { createMailer } from '../../kernel/mail/index.js';
import { runMailingList, runMailingStatus } from './cli.js';
import { newsletterDeps } from './deps.js';
import { MONTHLY_LIST_ID } from './lists.js';
import { sweepMailings } from './send-control.js';
import { runMailing } from './sender.js';
import { saveNewsletterSettings } from './settings.js';
import { SmtpSink } from './testing/smtp-sink.js';
import { emailHash } from './tokens.js';

async function post(client: Client, url: string, fields: Array<[string, string]>) {
  const body = new URLSearchParams(fields);
  body.set('_csrf', await client.csrf());
  return client.request('POST', url, { payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

const BODY = '<h2>Agenda du mois</h2><p>Rencontre <strong>régionale</strong> le 12 mars, <a href="/agenda">voir l’agenda</a>.</p><script>alert(1)</script><ul><li>Un</li><li>Deux</li></ul>';

forEachDialect('newsletter: mailings, audience preview, rendering and sending', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let sink: SmtpSink;
  const ids: Record<string, string> = {};
  const db = () => t.kernel.db;
  const deps = () => newsletterDeps(t.kernel);

  async function subscriber(email: string, name: string | null, listId: string | null, status: 'confirmed' | 'unconfirmed' | 'unsubscribed' = 'confirmed') {
    const at = new Date().toISOString();
    const id = newId();
    await db().insertInto('newsletter_subscribers').values({ id, email, email_lower: email.toLowerCase(), name, organisation: null, contact_id: null, token: `jeton-${id.replace(/-/g, '')}`, created_at: at, updated_at: at }).execute();
    if (listId) await db().insertInto('newsletter_subscriptions').values({ subscriber_id: id, list_id: listId, status, created_at: at, updated_at: at }).execute();
    return id;
  }

  async function contact(organisationId: string, first: string, last: string, email: string | null, consent: { purpose: string; event: string } | null) {
    const at = new Date().toISOString();
    const id = newId();
    await db().insertInto('contacts').values({ id, first_name: first, last_name: last, source: 'staff', public_profile: 0, created_at: at, updated_at: at }).execute();
    await db().insertInto('contact_roles').values({ contact_id: id, organisation_id: organisationId, function: null, is_main: 0 }).execute();
    if (email) await db().insertInto('contact_emails').values({ contact_id: id, email, email_lower: email.toLowerCase(), is_primary: 1 }).execute();
    if (consent) await db().insertInto('consents').values({ id: newId(), contact_id: id, purpose: consent.purpose, basis: 'legitimate_interest', event: consent.event, source: 'import', detail: null, ip: null, recorded_by: null, at }).execute();
    return id;
  }

  async function createMailing(fields: Array<[string, string]>): Promise<string> {
    const res = await post(staff, '/admin/lettres/nouvelle', [['from_name', 'Réseau Test'], ...fields]);
    assert.equal(res.statusCode, 303, res.body.slice(0, 3000));
    return String(res.headers.location).split('/').pop()!;
  }

  const mailingRow = (id: string) => db().selectFrom('newsletter_mailings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const recipientStatuses = async (id: string) =>
    Object.fromEntries((await db().selectFrom('newsletter_recipients').select(['email', 'status']).where('mailing_id', '=', id).execute()).map((r) => [r.email.toLowerCase(), r.status]));

  before(async () => {
    sink = await new SmtpSink({
      keep: true,
      rule: (address, attempt) => {
        if (address.startsWith('refus')) return { code: 550, message: '5.1.1 Mailbox does not exist' };
        if (address.startsWith('plus-tard') && attempt === 1) return { code: 451, message: '4.7.1 Greylisted, try again later' };
        return undefined;
      },
    }).start();
    t = await testApp(dialect, { env: { SMTP_URL: sink.url } });
    staff = await t.loginAs('staff');
    await staff.get('/admin/lettres');
    // « Lettre mensuelle » is the list every install has (migration 1630), public and double opt-in.
    ids['Lettre mensuelle'] = MONTHLY_LIST_ID;
    const lists: Array<[string, Array<[string, string]>]> = [['Partenaires', [['double_opt_in', '1']]]];
    for (const [name, fields] of lists) {
      const created = await post(staff, '/admin/lettres/listes', [['name', name], ...fields]);
      assert.equal(created.statusCode, 303, created.body.slice(0, 3000));
      ids[name] = (await db().selectFrom('newsletter_lists').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
    }
    const monthly = ids['Lettre mensuelle']!;
    await subscriber('Awa.Traore@example.org', 'Awa Traoré', monthly);
    await subscriber('bruno@example.org', null, monthly);
    await subscriber('attente@example.org', 'En Attente', monthly, 'unconfirmed');
    await subscriber('parti@example.org', 'Parti', monthly, 'unsubscribed');
    await subscriber('rebond@example.org', 'Rebond', monthly);
    await db().insertInto('newsletter_suppressions').values({ email_hash: emailHash('rebond@example.org'), reason: 'hard_bounce', detail: null, created_at: new Date().toISOString() }).execute();

    // The directory: an association in Gironde with its contacts, a town hall elsewhere.
    const org = await post(staff, '/admin/organisations/nouvelle', [['name', 'Eau Vive Gironde'], ['kind_code', 'association'], ['commune', '33063'], ['postcode', '33000'], ['visibility', 'public']]);
    assert.equal(org.statusCode, 303, org.body.slice(0, 2000));
    const orgId = String(org.headers.location).split('/').pop()!.split('#')[0]!;
    const other = await post(staff, '/admin/organisations/nouvelle', [['name', 'Mairie de Tulle'], ['kind_code', 'local_authority'], ['commune', '19272'], ['postcode', '19000'], ['visibility', 'public']]);
    assert.equal(other.statusCode, 303, other.body.slice(0, 3000));
    const otherId = String(other.headers.location).split('/').pop()!.split('#')[0]!;
    await contact(orgId, 'Chantal', 'Informée', 'chantal@example.org', { purpose: 'contact_database', event: 'informed' });
    await contact(orgId, 'Sans', 'Base', 'sans.base@example.org', null);
    await contact(orgId, 'Sans', 'Adresse', null, { purpose: 'contact_database', event: 'informed' });
    await contact(orgId, 'Retrait', 'Lettre', 'retrait@example.org', { purpose: 'newsletter', event: 'withdrawn' });
    await contact(orgId, 'Awa', 'Traoré', 'awa.traore@example.org', { purpose: 'newsletter', event: 'given' });
    await contact(otherId, 'Hors', 'Segment', 'hors.segment@example.org', { purpose: 'contact_database', event: 'informed' });
    const saved = await staff.post('/admin/organisations/filtres', { name: 'Associations de Gironde', query: 'famille=association&departement=33' });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 3000));
    ids['segment'] = (await db().selectFrom('saved_filters').select('id').where('name', '=', 'Associations de Gironde').executeTakeFirstOrThrow()).id;
    const empty = await staff.post('/admin/organisations/filtres', { name: 'Personne', query: 'famille=association&departement=2A' });
    assert.equal(empty.statusCode, 303, empty.body.slice(0, 3000));
    ids['empty'] = (await db().selectFrom('saved_filters').select('id').where('name', '=', 'Personne').executeTakeFirstOrThrow()).id;
    await saveNewsletterSettings(deps(), { ratePerSecond: 0, ratePerHour: 0, retryBaseSeconds: 1 });
  });
  after(async () => {
    await t.close();
    await sink.close();
  });

  test('the audience preview counts lists and segment, minus suppression, without legal basis or address', async () => {
    const id = await createMailing([['subject', 'Lettre de mars'], ['body', BODY], ['lists', ids['Lettre mensuelle']!], ['segment', ids['segment']!]]);
    ids['march'] = id;
    const page = await staff.get(`/admin/lettres/${id}/destinataires`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /3 destinataires si le message partait maintenant/);
    for (const email of ['Awa.Traore@example.org', 'bruno@example.org', 'chantal@example.org']) assert.match(page.body, new RegExp(email.replace('.', '\\.')));
    for (const email of ['attente@', 'parti@', 'rebond@', 'sans.base@', 'retrait@', 'hors.segment@']) assert.doesNotMatch(page.body, new RegExp(email));
    assert.match(page.body, /1 adresse exclue/);
    assert.match(page.body, /2 contacts du segment sans base légale/);
    assert.match(page.body, /1 contact du segment sans adresse email/);
    assert.match(page.body, /abonné·e et contact du segment/);
  });

  test('the preview is a back-office page (heading, the email framed with a title); the email itself has its own CSP for its inline styles', async () => {
    const page = await staff.get(`/admin/lettres/${ids['march']}/apercu`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<main[\s\S]*<h1>Aperçu : Lettre de mars<\/h1>/);
    assert.match(page.body, /<iframe src="\/admin\/lettres\/[^"]+\/apercu\?format=courriel" title="Aperçu sur ordinateur"/);
    assert.match(page.body, /href="\/admin\/lettres\/[^"]+\/apercu\?format=texte"/);
    const html = await staff.get(`/admin/lettres/${ids['march']}/apercu?format=courriel`);
    assert.equal(html.statusCode, 200);
    assert.match(String(html.headers['content-security-policy']), /style-src 'unsafe-inline'/);
    assert.match(html.body, /Bonjour Camille Exemple,/);
    assert.doesNotMatch(html.body, /<script>alert/);
    const text = await staff.get(`/admin/lettres/${ids['march']}/apercu?format=texte`);
    assert.match(text.body, /voir l’agenda \(http:\/\/localhost:3000\/agenda\)/);
    assert.match(text.body, /- Un\n- Deux/);
    const draft = await staff.get(`/admin/lettres/${ids['march']}`);
    assert.match(draft.body, /<iframe src="\/admin\/lettres\/[^"]+\/apercu\?format=courriel"/);
    // An SMTP server is configured here: no warning about messages written to files.
    assert.doesNotMatch(draft.body, /SMTP_URL/);
  });

  test('a mailing written in English says its own words in English; French stays the default; another language is refused in French', async () => {
    const html = await staff.get(`/admin/lettres/${ids['march']}/apercu?format=courriel`);
    assert.match(html.body, /<html lang="fr"/);
    assert.match(html.body, /Se désinscrire/);
    const refused = await post(staff, '/admin/lettres/nouvelle', [['from_name', 'Réseau Test'], ['subject', 'Frühlingsbrief'], ['body', 'Hallo'], ['lists', ids['Lettre mensuelle']!], ['locale', 'de']]);
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Choisissez la langue de la lettre : français ou anglais\./);

    const id = await createMailing([['subject', 'Spring letter'], ['body', '<p>News from our partners.</p>'], ['lists', ids['Lettre mensuelle']!], ['locale', 'en']]);
    assert.equal((await mailingRow(id)).locale, 'en');
    const english = await staff.get(`/admin/lettres/${id}/apercu?format=courriel`);
    assert.match(english.body, /<html lang="en"/);
    assert.match(english.body, /Hello Camille Exemple,/);
    assert.match(english.body, /View online/);
    assert.match(english.body, /You receive this message because you subscribed to: “Lettre mensuelle”\./);
    assert.doesNotMatch(english.body, /Se désinscrire|Bonjour/);
    const text = await staff.get(`/admin/lettres/${id}/apercu?format=texte`);
    assert.match(text.body, /^View online: http:\/\/localhost:3000\/lettre\//);
    assert.match(text.body, /\nUnsubscribe: http:\/\/localhost:3000\/desinscription\//);
    // The draft's form shows the language chosen, and saving it again keeps it.
    const draft = await staff.get(`/admin/lettres/${id}`);
    assert.match(draft.body, /<option value="en" selected>Anglais<\/option>/);
    assert.equal((await post(staff, `/admin/lettres/${id}/supprimer`, [])).statusCode, 303);
  });

  test('a test send reaches the chosen addresses only, marked TEST; a bad address is refused in French', async () => {
    const before = sink.total;
    const bad = await post(staff, `/admin/lettres/${ids['march']}/test`, [['addresses', 'moi@example.org, pas-une-adresse']]);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /« pas-une-adresse » n’est pas une adresse email valide/);
    const res = await post(staff, `/admin/lettres/${ids['march']}/test`, [['addresses', 'moi@example.org; toi@example.org']]);
    assert.equal(res.statusCode, 303);
    assert.equal(sink.total, before + 2);
    const last = await simpleParser(sink.raw.at(-1)!.data);
    assert.match(last.subject ?? '', /^\[TEST\] Lettre de mars$/);
    const suppressed = await post(staff, `/admin/lettres/${ids['march']}/test`, [['addresses', 'rebond@example.org']]);
    assert.equal(suppressed.statusCode, 303);
    assert.equal(sink.total, before + 2, 'nothing sent to a suppressed address');
    assert.match((await staff.get(`/admin/lettres/${ids['march']}`)).body, /Le test n’a pas pu partir vers rebond@example\.org : adresse exclue des envois/);
    assert.equal((await mailingRow(ids['march']!)).status, 'draft');
  });

  test('test addresses that are all invalid are each named, not taken for an empty field', async () => {
    const before = sink.total;
    const bad = await post(staff, `/admin/lettres/${ids['march']}/test`, [['addresses', 'a@b, pas une adresse']]);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /« a@b » et « pas une adresse » ne sont pas des adresses email valides\./);
    assert.doesNotMatch(bad.body, /Saisissez au moins une adresse de test/);
    // The field keeps what was typed, to correct it.
    assert.match(bad.body, /value="a@b, pas une adresse"/);
    const empty = await post(staff, `/admin/lettres/${ids['march']}/test`, [['addresses', ' , ; ']]);
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Saisissez au moins une adresse de test\./);
    assert.equal(sink.total, before, 'nothing sent');
  });

  test('a refused test send says so at the top of its form, linking to the field, and sends nothing', async () => {
    const before = sink.total;
    const summaryOf = (body: string) => /<div class="error-summary" role="alert" tabindex="-1">([\s\S]*?)<\/div>/.exec(body)?.[1] ?? '';
    const bad = await post(staff, `/admin/lettres/${ids['march']}/test`, [['addresses', 'pas-une-adresse, test@example.org']]);
    assert.equal(bad.statusCode, 400);
    assert.match(summaryOf(bad.body), /<h2>Le formulaire contient 1 erreur\u00a0:<\/h2><ul><li><a href="#f-test-addresses">«\u00a0pas-une-adresse\u00a0» n’est pas une adresse email valide\.<\/a>/);
    // The summary heads the test form (the page opens at the top, the form sits far below).
    const section = /<section aria-labelledby="nl-test-title">[\s\S]*?<\/section>/.exec(bad.body)?.[0] ?? '';
    assert.ok(section.indexOf('class="error-summary"') >= 0 && section.indexOf('class="error-summary"') < section.indexOf('id="f-test-addresses"'), 'the summary comes before the field, in the test section');
    assert.match(bad.body, /id="f-test-addresses" name="addresses" type="text" value="pas-une-adresse, test@example.org"/);
    const empty = await post(staff, `/admin/lettres/${ids['march']}/test`, [['addresses', '']]);
    assert.equal(empty.statusCode, 400);
    assert.match(summaryOf(empty.body), /<a href="#f-test-addresses">Saisissez au moins une adresse de test\.<\/a>/);
    assert.equal(sink.total, before, 'no message reached the SMTP server');
  });

  test('a test send records no one: its addresses do not become subscribers (no list, no consent); a subscriber tested keeps their own links', async () => {
    const subscriberRow = (email: string) => db().selectFrom('newsletter_subscribers').select(['id', 'token']).where('email_lower', '=', email).executeTakeFirst();
    const res = await post(staff, `/admin/lettres/${ids['march']}/test`, [['addresses', 'moi@example.org, collegue@example.org, Awa.Traore@example.org']]);
    assert.equal(res.statusCode, 303);
    assert.equal(await subscriberRow('moi@example.org'), undefined);
    assert.equal(await subscriberRow('collegue@example.org'), undefined);
    const table = /<tbody>[\s\S]*<\/tbody>/.exec((await staff.get('/admin/lettres/abonnes')).body)?.[0] ?? '';
    assert.doesNotMatch(table, /moi@example\.org|collegue@example\.org/);
    assert.match(table, /Awa\.Traore@example\.org/);
    const received = new Map<string, ParsedMail>();
    for (const m of sink.raw.slice(-3)) received.set(m.to[0]!, await simpleParser(m.data));
    assert.deepEqual([...received.keys()].sort(), ['awa.traore@example.org', 'collegue@example.org', 'moi@example.org']);
    const awa = (await subscriberRow('awa.traore@example.org'))!;
    assert.match(received.get('awa.traore@example.org')!.text!, /Bonjour Awa Traoré,/);
    assert.match(received.get('awa.traore@example.org')!.text!, new RegExp(`/desinscription/${awa.token}`));
    assert.match(received.get('collegue@example.org')!.text!, /\n\nBonjour,\n/);
  });

  test('the unsubscribe and preferences links of a test sent to a non-subscriber say it was a test, and change nothing', async () => {
    const res = await post(staff, `/admin/lettres/${ids['march']}/test`, [['addresses', 'essai.lien@example.org']]);
    assert.equal(res.statusCode, 303);
    const mail = await simpleParser(sink.raw.at(-1)!.data);
    const links = [...new Set((mail.text ?? '').match(/https?:\/\/[^\s>]+\/(?:desinscription|preferences)\/[A-Za-z0-9_-]+/g) ?? [])];
    assert.deepEqual(links.map((l) => new URL(l).pathname.split('/')[1]).sort(), ['desinscription', 'preferences']);
    const visitor = t.client();
    for (const link of links) {
      const page = await visitor.get(new URL(link).pathname);
      assert.equal(page.statusCode, 200, link);
      assert.equal(page.headers['x-robots-tag'], 'noindex');
      assert.match(page.body, /<h1>Lien d’un email d’essai<\/h1>/);
      assert.match(page.body, /role="status">Ce lien vient d’un email d’essai ou d’un aperçu de lettre : il n’est lié à aucun abonnement et ne fait rien\./);
      assert.doesNotMatch(page.body, /introuvable/i);
    }
    // A mail provider's one-click unsubscribe (RFC 8058) posts to the same link: nothing is recorded.
    const unsubscribe = links.find((l) => l.includes('/desinscription/'))!;
    const suppressedBefore = await db().selectFrom('newsletter_suppressions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const oneClick = await t.client().request('POST', new URL(unsubscribe).pathname, { payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(oneClick.statusCode, 200);
    assert.match(oneClick.body, /Lien d’un email d’essai/);
    const suppressedAfter = await db().selectFrom('newsletter_suppressions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(suppressedAfter.n), Number(suppressedBefore.n));
  });

  test('a test send that fails explains why in the staff member’s language', async () => {
    const english = async (url: string, fields: Array<[string, string]>) => {
      const body = new URLSearchParams(fields);
      body.set('_csrf', await staff.csrf());
      return staff.request('POST', url, { payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' } });
    };
    const res = await english(`/admin/lettres/${ids['march']}/test`, [['addresses', 'rebond@example.org']]);
    assert.equal(res.statusCode, 303);
    const page = await staff.get(`/admin/lettres/${ids['march']}`, { 'accept-language': 'en' });
    assert.match(page.body, /The test could not be sent to rebond@example\.org: address left out of mailings/);
  });

  test('a draft’s online version: staff see it, marked as not sent and not indexed; visitors and members get 404', async () => {
    const { slug } = await mailingRow(ids['march']!);
    assert.equal((await t.client().get(`/lettre/${slug}`)).statusCode, 404);
    const member = await t.loginAs('member');
    assert.equal((await member.get(`/lettre/${slug}`)).statusCode, 404);
    const page = await staff.get(`/lettre/${slug}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>Lettre de mars<\/h1>/);
    assert.match(page.body, /Agenda du mois/);
    assert.match(page.body, /Brouillon : cette version en ligne n’est visible que par l’équipe/);
    assert.doesNotMatch(page.body, /Envoyée le/);
    assert.equal(page.headers['x-robots-tag'], 'noindex');
    assert.match(String(page.headers['cache-control']), /no-store/);
    // The test email's « Voir la version en ligne » leads there, through the sign-in page (straight on when signed in).
    await post(staff, `/admin/lettres/${ids['march']}/test`, [['addresses', 'moi@example.org']]);
    const mail = await simpleParser(sink.raw.at(-1)!.data);
    assert.ok(String(mail.html).includes(`href="http://localhost:3000/connexion?suite=%2Flettre%2F${slug}"`));
    const signedIn = await staff.get(`/connexion?suite=%2Flettre%2F${slug}`);
    assert.equal(signedIn.headers.location, `/lettre/${slug}`);
  });

  test('sending: one message per recipient, both parts, personalised, absolute links, RFC 8058 headers; then the web version and archive', async () => {
    const before = sink.raw.length;
    const res = await post(staff, `/admin/lettres/${ids['march']}/envoyer`, [['when', 'now']]);
    assert.equal(res.statusCode, 303);
    assert.equal((await mailingRow(ids['march']!)).status, 'sending');
    assert.equal((await db().selectFrom('newsletter_recipients').select('id').where('mailing_id', '=', ids['march']!).execute()).length, 3);
    await t.kernel.jobs.runDue();
    const mailing = await mailingRow(ids['march']!);
    assert.equal(mailing.status, 'sent');
    assert.deepEqual(await recipientStatuses(ids['march']!), { 'awa.traore@example.org': 'sent', 'bruno@example.org': 'sent', 'chantal@example.org': 'sent' });
    const messages = sink.raw.slice(before);
    assert.equal(messages.length, 3);
    const byTo = new Map<string, ParsedMail>();
    for (const m of messages) byTo.set(m.to[0]!, await simpleParser(m.data));
    const tokens = new Map((await db().selectFrom('newsletter_subscribers').select(['email_lower', 'token']).execute()).map((r) => [r.email_lower, r.token]));
    const vias = new Map((await db().selectFrom('newsletter_recipients').select(['email', 'via']).where('mailing_id', '=', ids['march']!).execute()).map((r) => [r.email.toLowerCase(), r.via]));
    assert.ok([...vias.values()].includes('list'), 'someone receives it through the list only');
    for (const [to, mail] of byTo) {
      assert.equal(mail.subject, 'Lettre de mars');
      assert.equal(mail.from?.value[0]?.name, 'Réseau Test');
      assert.equal(mail.from?.value[0]?.address, 'reseau@example.org');
      assert.ok(mail.text && mail.html, 'a text part and an HTML part');
      const raw = messages.find((m) => m.to[0] === to)!.data;
      assert.match(raw, /Content-Type: multipart\/alternative/i);
      const token = tokens.get(to)!;
      // Someone on the list only leaves that list; a contact of the segment has no list to leave: everything.
      const unsubscribe = vias.get(to) === 'list' ? `/desinscription/${token}?liste=${ids['Lettre mensuelle']}` : `/desinscription/${token}`;
      const unsubscribeRe = unsubscribe.replace(/\?/g, '\\?');
      assert.match(raw, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
      const listUnsubscribe = (raw.match(/^List-Unsubscribe:(.*(?:\r\n[ \t].*)*)/im)?.[1] ?? '').replace(/\r\n[ \t]+/g, ' ').trim();
      assert.match(listUnsubscribe, new RegExp(`<mailto:contact@example\\.org\\?subject=D%C3%A9sinscription%20${token}>, <http://localhost:3000${unsubscribeRe}>`));
      const html = String(mail.html);
      const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
      assert.ok(hrefs.length >= 4);
      for (const href of hrefs) assert.match(href, /^(http:\/\/localhost:3000\/|mailto:)/, `absolute link: ${href}`);
      assert.ok(hrefs.includes(`http://localhost:3000/lettre/${mailing.slug}`), 'web version link');
      assert.ok(hrefs.includes(`http://localhost:3000${unsubscribe}`), unsubscribe);
      assert.ok(hrefs.includes(`http://localhost:3000/preferences/${token}`));
      assert.ok(hrefs.includes('http://localhost:3000/agenda'));
      assert.doesNotMatch(html, /<script/);
      assert.match(mail.text!, new RegExp(`http://localhost:3000${unsubscribeRe}\n`));
    }
    assert.match(byTo.get('awa.traore@example.org')!.text!, /^Voir la version en ligne : http:\/\/localhost:3000\/lettre\/.*\n\nBonjour Awa Traoré,/);
    assert.match(byTo.get('bruno@example.org')!.text!, /\n\nBonjour,\n/);
    assert.match(byTo.get('chantal@example.org')!.text!, /Bonjour Chantal Informée,/);
    assert.match(byTo.get('chantal@example.org')!.text!, /en tant que contact d’une structure de l’annuaire/);
    assert.match(byTo.get('bruno@example.org')!.text!, /abonné·e à : «\u00a0Lettre mensuelle\u00a0»/);

    const web = await t.client().get(`/lettre/${mailing.slug}`);
    assert.equal(web.statusCode, 200);
    assert.match(web.body, /Agenda du mois/);
    assert.doesNotMatch(web.body, /Bonjour Awa/);
    // Its body is marked with its own language when the page speaks another (a French page here).
    assert.match(web.body, /<div class="prose">/);
    await db().updateTable('newsletter_mailings').set({ locale: 'en' }).where('id', '=', mailing.id).execute();
    assert.match((await t.client().get(`/lettre/${mailing.slug}`)).body, /<h1 lang="en">Lettre de mars<\/h1>[\s\S]*<div class="prose" lang="en">/);
    await db().updateTable('newsletter_mailings').set({ locale: 'fr' }).where('id', '=', mailing.id).execute();
    const archive = await t.client().get('/lettre');
    assert.match(archive.body, new RegExp(`href="/lettre/${mailing.slug}"`));
    // Editing a sent mailing is refused.
    const edit = await post(staff, `/admin/lettres/${ids['march']}`, [['subject', 'Autre'], ['from_name', 'X Y'], ['body', 'x']]);
    assert.equal(edit.statusCode, 409);
  });

  test('a segment matching nobody: the send is refused with a clear French message, nothing is sent', async () => {
    const id = await createMailing([['subject', 'Personne'], ['body', 'Bonjour à tous'], ['segment', ids['empty']!]]);
    const before = sink.total;
    const res = await post(staff, `/admin/lettres/${id}/envoyer`, [['when', 'now']]);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Aucun destinataire/);
    assert.equal((await mailingRow(id)).status, 'draft');
    assert.equal(sink.total, before);
  });

  test('SMTP 5xx fails the recipient with the reason; 4xx is tried again and delivered; a private mailing has no archive entry', async () => {
    const partners = ids['Partenaires']!;
    await subscriber('refuse@example.org', null, partners);
    await subscriber('plus-tard@example.org', null, partners);
    await subscriber('normal@example.org', null, partners);
    const id = await createMailing([['subject', 'Partenaires : réunion'], ['body', 'Réunion jeudi.'], ['lists', partners]]);
    assert.equal((await post(staff, `/admin/lettres/${id}/envoyer`, [['when', 'now']])).statusCode, 303);
    await t.kernel.jobs.runDue();
    const rows = await db().selectFrom('newsletter_recipients').selectAll().where('mailing_id', '=', id).execute();
    const of = (email: string) => rows.find((r) => r.email === email)!;
    assert.equal(of('refuse@example.org').status, 'failed');
    assert.match(of('refuse@example.org').error ?? '', /550 5\.1\.1 Mailbox does not exist/);
    assert.equal(of('plus-tard@example.org').status, 'sent');
    assert.equal(of('plus-tard@example.org').attempts, 2);
    assert.equal(of('normal@example.org').status, 'sent');
    assert.equal((await mailingRow(id)).status, 'sent');
    const page = await staff.get(`/admin/lettres/${id}`);
    assert.match(page.body, /Mailbox does not exist/);
    const slug = (await mailingRow(id)).slug;
    assert.doesNotMatch((await t.client().get('/lettre')).body, new RegExp(slug));
    assert.equal((await t.client().get(`/lettre/${slug}`)).statusCode, 200, 'the web version link of the email works');
  });

  test('the mailing pauses itself above the error threshold, with the reason; staff resume and cancel it', async () => {
    const partners = ids['Partenaires']!;
    for (let i = 0; i < 12; i++) await subscriber(`refus${String(i).padStart(2, '0')}@example.org`, null, partners);
    await saveNewsletterSettings(deps(), { errorThresholdMinimum: 3, errorThresholdPercent: 10, concurrency: 1 });
    const id = await createMailing([['subject', 'Seuil'], ['body', 'Test du seuil.'], ['lists', partners]]);
    assert.equal((await post(staff, `/admin/lettres/${id}/envoyer`, [['when', 'now']])).statusCode, 303);
    await t.kernel.jobs.runDue();
    const mailing = await mailingRow(id);
    assert.equal(mailing.status, 'paused');
    const page = await staff.get(`/admin/lettres/${id}`);
    assert.match(page.body, /suspendu automatiquement : \d+ échecs sur \d+ essais/);
    const progress = JSON.parse((await staff.get(`/admin/lettres/${id}/progression`)).body) as { status: string; failed: number; remaining: number };
    assert.equal(progress.status, 'paused');
    assert.ok(progress.remaining > 0);
    assert.equal((await post(staff, `/admin/lettres/${id}/reprendre`, [])).statusCode, 303);
    assert.equal((await mailingRow(id)).status, 'sending');
    assert.equal((await post(staff, `/admin/lettres/${id}/annuler`, [])).statusCode, 303);
    assert.equal((await mailingRow(id)).status, 'cancelled');
    const statuses = Object.values(await recipientStatuses(id));
    assert.ok(statuses.every((s) => s !== 'pending' && s !== 'sending'));
    await saveNewsletterSettings(deps(), { errorThresholdMinimum: 50, concurrency: 4 });
  });

  test('an unsubscription during a send takes effect: later batches skip the person', async () => {
    const monthly = ids['Lettre mensuelle']!;
    const people: string[] = [];
    for (let i = 0; i < 6; i++) people.push(await subscriber(`pendant${i}@example.org`, null, monthly));
    await saveNewsletterSettings(deps(), { ratePerSecond: 4, concurrency: 1 });
    const id = await createMailing([['subject', 'Pendant l’envoi'], ['body', 'Bonjour.'], ['lists', monthly]]);
    assert.equal((await post(staff, `/admin/lettres/${id}/envoyer`, [['when', 'now']])).statusCode, 303);
    const before = sink.total;
    const run = runMailing(deps(), id, { workerId: 'test-worker' });
    await sink.waitFor(before + 1, 10_000);
    const token = (await db().selectFrom('newsletter_subscribers').select('token').where('id', '=', people[5]!).executeTakeFirstOrThrow()).token;
    await t.app.inject({ method: 'POST', url: `/desinscription/${token}`, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(await run, 'sent');
    const statuses = await recipientStatuses(id);
    assert.equal(statuses['pendant5@example.org'], 'skipped');
    assert.equal(sink.received.get('pendant5@example.org') ?? 0, 0);
    await saveNewsletterSettings(deps(), { ratePerSecond: 0, concurrency: 4 });
  });

  test('an SMTP server that is down: the send pauses itself with a French reason, nothing is lost or sent twice', async () => {
    const partners = ids['Partenaires']!;
    const id = await createMailing([['subject', 'Serveur en panne'], ['body', 'Bonjour.'], ['lists', partners]]);
    assert.equal((await post(staff, `/admin/lettres/${id}/envoyer`, [['when', 'now']])).statusCode, 303);
    const down = createMailer({ smtpUrl: 'smtp://127.0.0.1:1?tls=off', mailFrom: 'Réseau <reseau@example.org>', dataDir: t.config.dataDir });
    const before = sink.total;
    assert.equal(await runMailing({ ...deps(), mail: down }, id, { workerId: 'panne' }), 'paused');
    await down.close();
    const page = await staff.get(`/admin/lettres/${id}`);
    assert.match(page.body, /le serveur d’envoi ne répond pas/);
    const rows = await db().selectFrom('newsletter_recipients').select(['status', 'error']).where('mailing_id', '=', id).execute();
    assert.ok(rows.every((r) => r.status === 'pending'), 'nobody failed for good');
    assert.equal(sink.total, before);
    // Back up: resumed, everyone reached once (refused addresses fail as before).
    assert.equal((await post(staff, `/admin/lettres/${id}/reprendre`, [])).statusCode, 303);
    await t.kernel.jobs.runDue();
    assert.equal((await mailingRow(id)).status, 'sent');
    const sent = (await db().selectFrom('newsletter_recipients').select(['email', 'status']).where('mailing_id', '=', id).execute()).filter((r) => r.status === 'sent');
    assert.ok(sent.length > 0);
    for (const r of sent) assert.equal(sink.raw.filter((m) => m.to.includes(r.email.toLowerCase()) && /Serveur en panne/.test(m.data)).length, 1, r.email);
  });

  test('maillage mailing:list and mailing:status report sent, failed and remaining', async () => {
    const lines: string[] = [];
    const out = { log: (m: string) => lines.push(m), error: (m: string) => lines.push(`ERR ${m}`) };
    assert.equal(await runMailingList(t.kernel, out), 0);
    assert.ok(lines.some((l) => l.startsWith(ids['march']!) && /\tsent\t3\/3 envoyés\t0 en échec\t/.test(l)));
    lines.length = 0;
    assert.equal(await runMailingStatus(t.kernel, ids['march']!, out), 0);
    assert.deepEqual(lines, ['Lettre de mars — Envoyé', 'sent=3 failed=0 skipped=0 remaining=0 total=3']);
    lines.length = 0;
    assert.equal(await runMailingStatus(t.kernel, 'inconnu', out), 1);
    assert.match(lines[0]!, /Envoi inconnu : inconnu/);
  });

  test('a scheduled mailing starts when its time comes; staff pause it while it is sent, then cancel it', async () => {
    const id = await createMailing([['subject', 'Programmée'], ['body', 'Bonjour.'], ['lists', ids['Lettre mensuelle']!]]);
    const past = await post(staff, `/admin/lettres/${id}/envoyer`, [['when', 'later'], ['date', '2020-01-01'], ['time', '08:00']]);
    assert.equal(past.statusCode, 400);
    assert.match(past.body, /Cette date est passée/);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    assert.equal((await post(staff, `/admin/lettres/${id}/envoyer`, [['when', 'later'], ['date', tomorrow], ['time', '09:30']])).statusCode, 303);
    const scheduled = await mailingRow(id);
    assert.equal(scheduled.status, 'scheduled');
    assert.match(scheduled.scheduled_at ?? '', new RegExp(`^${tomorrow}T0[78]:30`), 'Paris time stored as UTC');
    // Not yet due: the sweep leaves it; two days later it starts.
    assert.deepEqual(await sweepMailings(deps()), { started: 0, resumed: 0 });
    const later = { ...deps(), clock: { now: () => new Date(Date.now() + 2 * 86_400_000) } };
    assert.equal((await sweepMailings(later)).started, 1);
    assert.equal((await mailingRow(id)).status, 'sending');
    assert.equal((await post(staff, `/admin/lettres/${id}/pause`, [])).statusCode, 303);
    assert.equal((await mailingRow(id)).status, 'paused');
    assert.match((await staff.get(`/admin/lettres/${id}`)).body, /Envoi suspendu par l’équipe/);
    // A paused send sends nothing.
    assert.equal(await runMailing(deps(), id, { workerId: 'w' }), 'paused');
    assert.equal((await post(staff, `/admin/lettres/${id}/annuler`, [])).statusCode, 303);
    assert.equal((await mailingRow(id)).status, 'cancelled');
    assert.ok(Object.values(await recipientStatuses(id)).every((s) => s === 'skipped'));
  });
});
