import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { findUserByEmail } from '../../kernel/auth/repo.js';
import { type Client, TEST_PASSWORD, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { createActiveUser, inviteUser } from '../accounts/index.js';
import { emailHash } from './tokens.js';

/** A form post with repeated fields (lists, themes); the page's CSRF token unless `csrf: false`. */
async function post(client: Client, url: string, fields: Array<[string, string]>, options: { csrf?: boolean } = {}) {
  const body = new URLSearchParams(fields);
  if (options.csrf !== false) body.set('_csrf', await client.csrf());
  return client.request('POST', url, { payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

/** The checkbox of a value, as the page renders it (checked or not). */
const box = (html: string, name: string, value: string) => new RegExp(`<input type="checkbox"[^>]*name="${name}" value="${value}"( checked)?`).exec(html);
const isChecked = (html: string, name: string, value: string) => {
  const found = box(html, name, value);
  assert.ok(found, `a checkbox ${name}=${value}`);
  return found[1] !== undefined;
};

const PAGE = '/mon-espace/lettres';
const LIST = {
  monthly: '01970000-0000-7000-8000-00000000b101',
  alerts: '01970000-0000-7000-8000-00000000b102',
  agenda: '01970000-0000-7000-8000-00000000b103',
  partners: '01970000-0000-7000-8000-00000000b104',
};
const AWA = 'Awa.Diop@Example.org';
const NEIGHBOUR = 'voisine@example.org';

forEachDialect('newsletter: a member’s own subscriptions in « Mon espace »', (dialect) => {
  let t: TestApp;
  let awa: Client;
  let awaId = '';
  const db = () => t.kernel.db;
  const subscriberOf = (email: string) => db().selectFrom('newsletter_subscribers').selectAll().where('email_lower', '=', email.toLowerCase()).executeTakeFirst();
  const statuses = async (email: string) => {
    const s = await subscriberOf(email);
    if (!s) return {};
    const rows = await db().selectFrom('newsletter_subscriptions').select(['list_id', 'status']).where('subscriber_id', '=', s.id).execute();
    return Object.fromEntries(rows.map((r) => [r.list_id, r.status]));
  };
  const interests = async (email: string) => {
    const s = await subscriberOf(email);
    return s ? (await db().selectFrom('newsletter_interests').select('code').where('subscriber_id', '=', s.id).orderBy('code').execute()).map((r) => r.code) : [];
  };
  const events = async (email: string) => {
    const s = await subscriberOf(email);
    return s ? db().selectFrom('newsletter_consent_events').selectAll().where('subscriber_id', '=', s.id).orderBy('at').orderBy('id').execute() : [];
  };

  /** A member invited by staff who chose a password from the link mailed to their address, then signed in. */
  async function invitedMember(email: string, displayName: string): Promise<{ client: Client; id: string }> {
    const admin = await createActiveUser(t.kernel, { email: `admin.${Date.now()}@example.org`, role: 'admin' });
    const invited = await inviteUser(t.kernel, { id: admin.id, email: 'admin@example.org', displayName: 'Admin', role: 'admin' }, { email, displayName, role: 'member', locale: 'fr' });
    assert.ok(invited.ok);
    await t.kernel.jobs.runDue();
    const mail = t.smtp.lastTo(email);
    assert.ok(mail, `an invitation to ${email}`);
    const path = new URL(t.smtp.linkIn(mail, /http:\/\/localhost:3000\/invitation\/[A-Za-z0-9_-]+/)).pathname;
    const client = t.client();
    await client.get(path);
    assert.equal((await client.post(path, { password: TEST_PASSWORD, password_confirm: TEST_PASSWORD })).statusCode, 303);
    assert.equal((await client.post('/connexion', { email, password: TEST_PASSWORD })).statusCode, 303);
    return { client, id: (await findUserByEmail(t.kernel.db, email))!.id };
  }

  before(async () => {
    t = await testApp(dialect);
    const at = '2026-03-02T09:00:00.000Z';
    const list = (id: string, name: string, isPublic: number, doubleOptIn: number) => ({ id, name, description: `Description de ${name}`, is_public: isPublic, double_opt_in: doubleOptIn, is_default: 0, created_by: null, created_at: at, updated_at: at });
    await db()
      .insertInto('newsletter_lists')
      .values([list(LIST.monthly, 'Lettre mensuelle', 1, 1), list(LIST.alerts, 'Alertes appels', 1, 0), list(LIST.agenda, 'Agenda du réseau', 1, 1), list(LIST.partners, 'Partenaires privés', 0, 1)])
      .execute();
    await db()
      .insertInto('themes')
      .values([
        { code: 'tst_eau', label_fr: 'Eau (essai)', label_en: 'Water (test)', position: 998 },
        { code: 'tst_sante', label_fr: 'Santé (essai)', label_en: 'Health (test)', position: 999 },
      ])
      .execute();
    const subscriber = async (id: string, email: string, name: string, token: string, subscriptions: Array<[string, 'confirmed' | 'unconfirmed' | 'unsubscribed']>, theme: string) => {
      await db().insertInto('newsletter_subscribers').values({ id, email, email_lower: email.toLowerCase(), name, organisation: null, contact_id: null, token, locale: 'fr', created_at: at, updated_at: at }).execute();
      await db()
        .insertInto('newsletter_subscriptions')
        .values(subscriptions.map(([list_id, status]) => ({ subscriber_id: id, list_id, status, created_at: at, updated_at: at })))
        .execute();
      await db().insertInto('newsletter_interests').values({ subscriber_id: id, kind: 'theme', code: theme }).execute();
    };
    // Awa subscribed long ago with her address in lower case: subscribed, unsubscribed, waiting.
    await subscriber('01970000-0000-7000-8000-00000000b201', AWA.toLowerCase(), 'Awa D.', 'jeton-awa-mon-espace-0123456789', [[LIST.monthly, 'confirmed'], [LIST.alerts, 'unsubscribed'], [LIST.agenda, 'unconfirmed']], 'tst_eau');
    // Someone else, whose choices Awa must never see nor change.
    await subscriber('01970000-0000-7000-8000-00000000b202', NEIGHBOUR, 'Voisine Secrète', 'jeton-voisine-mon-espace-012345', [[LIST.monthly, 'unsubscribed'], [LIST.alerts, 'confirmed'], [LIST.agenda, 'confirmed'], [LIST.partners, 'confirmed']], 'tst_sante');
    const invited = await invitedMember(AWA, 'Awa Diop');
    awa = invited.client;
    awaId = invited.id;
  });
  after(() => t.close());

  test('a visitor is sent to the sign-in page, and cannot post', async () => {
    const visitor = t.client();
    const page = await visitor.get(PAGE);
    assert.equal(page.statusCode, 302);
    assert.equal(page.headers.location, `/connexion?suite=${encodeURIComponent(PAGE)}`);
    assert.equal((await post(visitor, PAGE, [['lists', LIST.monthly]])).statusCode, 403);
    assert.equal((await post(visitor, `${PAGE}/tout`, [])).statusCode, 403);
  });

  test('the page shows the account’s own subscriptions (whatever the case of the address) and interests, no one else’s', async () => {
    const page = await awa.get(PAGE);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1[^>]*>Mes lettres d’information<\/h1>/);
    assert.match(page.body, /awa\.diop@example\.org/i);
    assert.equal(isChecked(page.body, 'lists', LIST.monthly), true, 'subscribed');
    assert.equal(isChecked(page.body, 'lists', LIST.alerts), false, 'unsubscribed');
    assert.equal(isChecked(page.body, 'lists', LIST.agenda), true, 'waiting for confirmation');
    assert.match(page.body, /Description de Lettre mensuelle — abonné·e depuis le 2 mars 2026/);
    assert.match(page.body, /Description de Alertes appels — désabonné·e le 2 mars 2026/);
    assert.match(page.body, /Description de Agenda du réseau — en attente de confirmation depuis le 2 mars 2026/);
    assert.equal(isChecked(page.body, 'themes', 'tst_eau'), true);
    assert.equal(isChecked(page.body, 'themes', 'tst_sante'), false);
    assert.match(page.body, /value="Awa D\."/, 'the name she gave');
    assert.doesNotMatch(page.body, /voisine|Voisine Secrète/i);
    assert.doesNotMatch(page.body, /Partenaires privés/, 'a private list she is not on');
    assert.doesNotMatch(page.body, /n’a pas encore été confirmée/, 'her address is proven: no double opt-in');
    assert.match(page.body, /<form method="post"[^>]*action="\/mon-espace\/lettres"/);
    assert.match(page.body, /name="_csrf"/);
  });

  test('a proven member changes lists and interests at once; each change is a consent event from « Mon espace », in her RGPD export', async () => {
    const neighbourBefore = { statuses: await statuses(NEIGHBOUR), interests: await interests(NEIGHBOUR), events: (await events(NEIGHBOUR)).length };
    const since = new Date().toISOString();
    const res = await post(awa, PAGE, [['name', 'Awa Diop'], ['lists', LIST.alerts], ['lists', LIST.agenda], ['themes', 'tst_sante'], ['themes', 'inconnu']]);
    const until = new Date().toISOString();
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, PAGE);
    assert.deepEqual(await statuses(AWA), { [LIST.monthly]: 'unsubscribed', [LIST.alerts]: 'confirmed', [LIST.agenda]: 'confirmed' });
    assert.deepEqual(await interests(AWA), ['tst_sante']);
    assert.equal((await subscriberOf(AWA))?.name, 'Awa Diop');
    const subscriber = (await subscriberOf(AWA))!;
    const confirmations = await db().selectFrom('newsletter_confirmations').select('id').where('subscriber_id', '=', subscriber.id).execute();
    assert.deepEqual(confirmations, [], 'no confirmation email: the account’s address is proven');

    const recorded = (await events(AWA)).map((e) => ({ action: e.action, source: e.source, list: e.list_name, by: e.recorded_by, ip: e.ip, detail: e.detail, at: e.at >= since && e.at <= until }));
    const detail = 'Adresse du compte déjà confirmée, sans double opt-in';
    assert.deepEqual(
      recorded.map((e) => [e.action, e.list]).sort(),
      [
        ['interests_changed', null],
        ['subscribed', 'Agenda du réseau'],
        ['subscribed', 'Alertes appels'],
        ['unsubscribed', 'Lettre mensuelle'],
      ],
    );
    for (const e of recorded) {
      assert.equal(e.source, 'member_space');
      assert.equal(e.by, awaId, 'recorded by her account');
      assert.equal(e.ip, '127.0.0.1');
      assert.ok(e.at, 'dated when she chose');
      if (e.action === 'subscribed') assert.equal(e.detail, detail);
    }

    const neighbourAfter = { statuses: await statuses(NEIGHBOUR), interests: await interests(NEIGHBOUR), events: (await events(NEIGHBOUR)).length };
    assert.deepEqual(neighbourAfter, neighbourBefore, 'nobody else’s choices changed');

    const page = await awa.get(PAGE);
    assert.match(page.body, /Vos choix sont enregistrés\./);
    assert.equal(isChecked(page.body, 'lists', LIST.agenda), true);
    assert.equal(isChecked(page.body, 'lists', LIST.monthly), false);

    // The staff's view of the subscriber names the source.
    const staff = await t.loginAs('staff');
    assert.match((await staff.get(`/admin/lettres/abonnes/${subscriber.id}`)).body, /<td[^>]*>Mon espace<\/td>/);

    // « Télécharger mes données »: the newsletter's part, with this consent.
    const exported = await awa.post('/mon-espace/compte/donnees');
    assert.equal(exported.statusCode, 200);
    const sections = (JSON.parse(exported.body) as { sections: { newsletter: Array<{ email: string; subscriptions: Array<{ list: string; status: string }>; consent_events: Array<{ action: string; source: string; list: string | null }> }> } }).sections;
    assert.equal(sections.newsletter.length, 1, 'her address only');
    assert.equal(sections.newsletter[0]!.email, AWA.toLowerCase());
    assert.deepEqual(sections.newsletter[0]!.subscriptions.map((s) => [s.list, s.status]).sort(), [['Agenda du réseau', 'confirmed'], ['Alertes appels', 'confirmed'], ['Lettre mensuelle', 'unsubscribed']]);
    assert.ok(sections.newsletter[0]!.consent_events.some((e) => e.action === 'subscribed' && e.source === 'member_space' && e.list === 'Agenda du réseau'));
  });

  test('the form is refused without its CSRF token, and with a French error for a name too long; nothing changes', async () => {
    const before = { statuses: await statuses(AWA), events: (await events(AWA)).length };
    const forged = await post(awa, PAGE, [['lists', LIST.monthly]], { csrf: false });
    assert.equal(forged.statusCode, 403);
    assert.match(forged.body, /Formulaire expiré/);
    assert.equal((await post(awa, `${PAGE}/tout`, [], { csrf: false })).statusCode, 403);
    const invalid = await post(awa, PAGE, [['name', 'A'.repeat(121)], ['lists', LIST.monthly]]);
    assert.equal(invalid.statusCode, 400);
    assert.match(invalid.body, /class="error-summary"/);
    assert.match(invalid.body, /Le nom fait au plus 120 caractères\./);
    assert.equal(isChecked(invalid.body, 'lists', LIST.monthly), true, 'what was ticked is kept');
    assert.deepEqual({ statuses: await statuses(AWA), events: (await events(AWA)).length }, before);
  });

  test('an account whose address was never proven keeps the double opt-in: a confirmation link is mailed', async () => {
    const email = 'nouvelle.membre@example.org';
    const member = await t.loginAs('member', email);
    const page = await member.get(PAGE);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /L’adresse nouvelle\.membre@example\.org n’a pas encore été confirmée/);
    assert.equal(isChecked(page.body, 'lists', LIST.monthly), false);
    assert.equal(await subscriberOf(email), undefined, 'looking writes nothing');

    // Nothing chosen: still nothing recorded about the address.
    assert.equal((await post(member, PAGE, [['name', 'Quelqu’un']])).statusCode, 303);
    assert.equal(await subscriberOf(email), undefined);

    const res = await post(member, PAGE, [['lists', LIST.monthly], ['lists', LIST.alerts]]);
    assert.equal(res.statusCode, 303);
    assert.deepEqual(await statuses(email), { [LIST.monthly]: 'unconfirmed', [LIST.alerts]: 'confirmed' }, 'the double opt-in list waits; the single opt-in one is subscribed, as on the public form');
    assert.match((await member.get(PAGE)).body, /ouvrez le lien de confirmation envoyé à nouvelle\.membre@example\.org/);
    await t.kernel.jobs.runDue();
    const mail = t.smtp.lastTo(email);
    assert.ok(mail, 'the confirmation email');
    const confirm = new URL(t.smtp.linkIn(mail, /http:\/\/localhost:3000\/lettre\/confirmer\/[A-Za-z0-9_-]+/)).pathname;
    const user = (await findUserByEmail(t.kernel.db, email))!;
    assert.deepEqual(
      (await events(email)).map((e) => [e.action, e.source, e.list_name, e.recorded_by]).sort(),
      [
        ['requested', 'member_space', 'Lettre mensuelle', user.id],
        ['subscribed', 'member_space', 'Alertes appels', user.id],
      ],
    );
    // Saving again does not mail another link for the list still waiting.
    await post(member, PAGE, [['lists', LIST.monthly], ['lists', LIST.alerts]]);
    assert.equal((await db().selectFrom('newsletter_confirmations').select('id').where('subscriber_id', '=', (await subscriberOf(email))!.id).execute()).length, 1);

    await post(t.client(), confirm, []);
    assert.equal((await statuses(email))[LIST.monthly], 'confirmed', 'confirmed from the link');
  });

  test('« Ne plus rien recevoir » unsubscribes the account’s address from everything and suppresses it', async () => {
    const email = 'partante@example.org';
    const member = await t.loginAs('member', email);
    await post(member, PAGE, [['lists', LIST.alerts]]);
    assert.deepEqual(await statuses(email), { [LIST.alerts]: 'confirmed' });
    const res = await post(member, `${PAGE}/tout`, []);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, PAGE);
    assert.deepEqual(await statuses(email), { [LIST.alerts]: 'unsubscribed' });
    assert.ok(await db().selectFrom('newsletter_suppressions').select('email_hash').where('email_hash', '=', emailHash(email)).executeTakeFirst());
    assert.deepEqual((await events(email)).slice(-2).map((e) => [e.action, e.source]), [['unsubscribed', 'member_space'], ['unsubscribed_all', 'member_space']]);
    const page = await member.get(PAGE);
    assert.match(page.body, /Vous êtes désinscrit·e de tous nos envois\./);
    assert.match(page.body, /désabonné·e le /);
    assert.deepEqual(await statuses(AWA), { [LIST.monthly]: 'unsubscribed', [LIST.alerts]: 'confirmed', [LIST.agenda]: 'confirmed' }, 'only her address');
  });

  test('« Mon espace » lists its tiles organisations first and the account last, with the letters; the footer leads a member there, a visitor to /lettre', async () => {
    const home = (await awa.get('/mon-espace')).body;
    const order = ['/mon-espace/structures', '/mon-espace/evenements', '/mon-espace/actualites', '/mon-espace/ressources', '/mon-espace/lettres', '/mon-espace/compte'].map((href) => {
      const at = home.indexOf(`<a href="${href}">`);
      assert.ok(at > 0, `a tile links to ${href}`);
      return at;
    });
    assert.deepEqual(order, [...order].sort((a, b) => a - b), 'structures, events, news, resources, letters, account');
    assert.match(home, /<a href="\/mon-espace\/lettres">Gérer mes abonnements<\/a>/);

    const footerLink = (html: string) => /<p id="nl-footer-hint" class="hint"><a href="([^"]+)">Choisir ses lettres et centres d’intérêt<\/a>/.exec(html)?.[1];
    assert.equal(footerLink((await awa.get('/agenda')).body), PAGE);
    const visitorPage = (await t.client().get('/agenda')).body;
    assert.equal(footerLink(visitorPage), '/lettre');
    assert.match(visitorPage, /<input id="nl-footer-email" name="email" type="email" autocomplete="email" required/);
    assert.doesNotMatch(/<input id="nl-footer-email"[^>]*>/.exec(visitorPage)?.[0] ?? '', /value=/, 'nothing pre-filled for a visitor');
  });
});
