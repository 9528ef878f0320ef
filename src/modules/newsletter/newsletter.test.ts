import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { MONTHLY_LIST_ID } from './lists.js';
import { emailHash } from './tokens.js';

/** A form post with repeated fields (lists, themes) and optional extra headers. */
async function post(client: Client, url: string, fields: Array<[string, string]>, options: { csrf?: boolean; headers?: Record<string, string> } = {}) {
  const body = new URLSearchParams(fields);
  if (options.csrf !== false) body.set('_csrf', await client.csrf());
  return client.request('POST', url, { payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers } });
}

/** The page without what changes from one request to the next (CSRF token). */
const stable = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, '');

forEachDialect('newsletter: lists, public subscription, double opt-in, preference centre, unsubscribe', (dialect) => {
  let t: TestApp;
  let staff: Client;
  const lists: Record<string, string> = {};
  const db = () => t.kernel.db;
  const subscriberOf = (email: string) => db().selectFrom('newsletter_subscribers').selectAll().where('email_lower', '=', email.toLowerCase()).executeTakeFirst();
  const statuses = async (email: string) => {
    const s = await subscriberOf(email);
    if (!s) return {};
    const rows = await db().selectFrom('newsletter_subscriptions as x').innerJoin('newsletter_lists as l', 'l.id', 'x.list_id').select(['l.name', 'x.status']).where('x.subscriber_id', '=', s.id).execute();
    return Object.fromEntries(rows.map((r) => [r.name, r.status]));
  };
  const events = async (email: string) => {
    const s = await subscriberOf(email);
    if (!s) return [];
    return db().selectFrom('newsletter_consent_events').selectAll().where('subscriber_id', '=', s.id).orderBy('at').orderBy('id').execute();
  };
  const runJobs = () => t.kernel.jobs.runDue();

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff');
    // Creates a list, or saves the one of that id (« Lettre mensuelle » is every install's, migration 1630).
    const create = async (name: string, fields: Array<[string, string]>, id?: string) => {
      const res = await post(staff, id ? `/admin/lettres/listes/${id}` : '/admin/lettres/listes', [['name', name], ['description', `Description de ${name}`], ...fields]);
      assert.equal(res.statusCode, 303, res.body);
      lists[name] = (await db().selectFrom('newsletter_lists').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
    };
    await create('Lettre mensuelle', [['is_public', '1'], ['double_opt_in', '1'], ['is_default', '1']], MONTHLY_LIST_ID);
    await create('Alertes appels', [['is_public', '1']]);
    await create('Partenaires SO Mobilités', [['double_opt_in', '1']]);
  });
  after(() => t.close());
  // Every request comes from 127.0.0.1: each test starts with the form's hourly limit reset.
  beforeEach(async () => {
    await db().deleteFrom('login_attempts').where('key', 'like', 'newsletter-ip:%').execute();
  });

  test('staff manage lists; the public page offers only public lists, the default one ticked', async () => {
    const page = await staff.get('/admin/lettres/listes');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Partenaires SO Mobilités/);
    const duplicate = await post(staff, '/admin/lettres/listes', [['name', 'lettre mensuelle']]);
    assert.equal(duplicate.statusCode, 400);
    assert.match(duplicate.body, /Une liste porte déjà ce nom/);

    const visitor = await t.client().get('/lettre');
    assert.equal(visitor.statusCode, 200);
    assert.match(visitor.body, /Lettre mensuelle/);
    assert.match(visitor.body, /Alertes appels/);
    assert.doesNotMatch(visitor.body, /Partenaires SO Mobilités/);
    assert.match(visitor.body, new RegExp(`value="${lists['Lettre mensuelle']}" checked`));
  });

  test('/lettre?liste= ticks that public list only, so an address entered there subscribes to it and not to the default one', async () => {
    const visitor = t.client();
    const page = await visitor.get(`/lettre?liste=${lists['Alertes appels']}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`value="${lists['Alertes appels']}" checked`));
    assert.doesNotMatch(page.body, new RegExp(`value="${lists['Lettre mensuelle']}" checked`));
    // A private or unknown list is not offered: the default ticks stay.
    for (const id of [lists['Partenaires SO Mobilités'], 'inconnue']) {
      const other = await visitor.get(`/lettre?liste=${id}`);
      assert.match(other.body, new RegExp(`value="${lists['Lettre mensuelle']}" checked`));
      assert.doesNotMatch(other.body, /Partenaires SO Mobilités/);
    }
    // The form posts what is ticked: the visitor who just enters an address gets the alerts.
    const fields = [...page.body.matchAll(/<input type="checkbox"[^>]*name="lists" value="([^"]+)" checked/g)].map((m): [string, string] => ['lists', m[1]!]);
    await post(visitor, '/lettre', [['email', 'alertes.seules@example.org'], ...fields]);
    assert.deepEqual(await statuses('alertes.seules@example.org'), { 'Alertes appels': 'confirmed' });
  });

  test('a list named in English shows that name and description to English readers, the French ones to others', async () => {
    const id = lists['Alertes appels']!;
    const edit = await post(staff, `/admin/lettres/listes/${id}`, [['name', 'Alertes appels'], ['description', 'Description de Alertes appels'], ['name_en', 'Call alerts'], ['description_en', 'New calls, once a day'], ['is_public', '1']]);
    assert.equal(edit.statusCode, 303, edit.body);
    assert.match((await staff.get(`/admin/lettres/listes/${id}`)).body, /<input id="f-name_en" name="name_en" type="text" value="Call alerts"[^>]*lang="en"/);
    const english = t.client();
    await english.get('/lettre');
    assert.equal((await english.post('/langue', { lang: 'en', suite: '/lettre' })).statusCode, 303);
    const page = (await english.get('/lettre')).body;
    assert.match(page, /Call alerts/);
    assert.match(page, /New calls, once a day/);
    assert.doesNotMatch(page, /Alertes appels/);
    // Without an English name, a list keeps its French one.
    assert.match(page, /Lettre mensuelle/);
    const french = (await t.client().get('/lettre')).body;
    assert.match(french, /Alertes appels/);
    assert.doesNotMatch(french, /Call alerts/);
  });

  test('double opt-in: the confirmation mail links to a page whose button confirms; profile and IP are kept', async () => {
    const visitor = t.client();
    await visitor.get('/lettre');
    const res = await post(visitor, '/lettre', [
      ['email', 'Aminata.Diallo@Example.org'],
      ['name', 'Aminata Diallo'],
      ['organisation', 'Association Teranga'],
      ['lists', lists['Lettre mensuelle']!],
      ['lists', lists['Partenaires SO Mobilités']!], // private: ignored
    ]);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Votre demande est enregistrée/);
    assert.deepEqual(await statuses('aminata.diallo@example.org'), { 'Lettre mensuelle': 'unconfirmed' });
    await runJobs();
    const mail = t.smtp.lastTo('Aminata.Diallo@Example.org');
    assert.ok(mail, 'confirmation mail received');
    assert.match(mail.parsed.subject ?? '', /Confirmez votre abonnement/);
    assert.match(mail.parsed.text ?? '', /Bonjour Aminata Diallo,/);
    assert.match(mail.parsed.text ?? '', /- Lettre mensuelle/);
    const link = t.smtp.linkIn(mail, /http:\/\/localhost:3000\/lettre\/confirmer\/[A-Za-z0-9_-]+/);
    const path = new URL(link).pathname;

    // Opening the link changes nothing (mail scanners open links); the button confirms.
    const page = await visitor.get(path);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Je confirme mon abonnement/);
    assert.deepEqual(await statuses('aminata.diallo@example.org'), { 'Lettre mensuelle': 'unconfirmed' });
    const confirmed = await post(visitor, path, []);
    assert.equal(confirmed.statusCode, 200);
    assert.match(confirmed.body, /Abonnement confirmé/);
    assert.deepEqual(await statuses('aminata.diallo@example.org'), { 'Lettre mensuelle': 'confirmed' });
    // A second click is harmless.
    assert.equal((await post(visitor, path, [])).statusCode, 200);
    const history = await events('aminata.diallo@example.org');
    assert.deepEqual(
      history.map((e) => [e.action, e.source, e.list_name]),
      [
        ['requested', 'web_form', 'Lettre mensuelle'],
        ['subscribed', 'confirmation_link', 'Lettre mensuelle'],
      ],
    );
    assert.ok(history.every((e) => e.ip === '127.0.0.1'));
    const subscriber = await subscriberOf('aminata.diallo@example.org');
    assert.equal(subscriber?.email, 'Aminata.Diallo@Example.org');
    assert.equal(subscriber?.organisation, 'Association Teranga');
  });

  test('the confirmation email and page speak the language the subscription was asked in', async () => {
    const created = await post(staff, '/admin/lettres/listes', [['name', 'Lettre des partenaires'], ['description', 'Une fois par trimestre'], ['name_en', 'Partners’ letter'], ['description_en', 'Once a quarter'], ['is_public', '1'], ['double_opt_in', '1']]);
    assert.equal(created.statusCode, 303, created.body);
    const listId = (await db().selectFrom('newsletter_lists').select('id').where('name', '=', 'Lettre des partenaires').executeTakeFirstOrThrow()).id;
    const linkOf = (email: string) => {
      const mail = t.smtp.lastTo(email);
      assert.ok(mail, `confirmation mail to ${email}`);
      return { mail, path: new URL(t.smtp.linkIn(mail, /http:\/\/localhost:3000\/lettre\/confirmer\/[A-Za-z0-9_-]+/)).pathname };
    };

    // From the English site (language switcher): English email, English list name.
    const english = t.client();
    await english.get('/lettre');
    assert.equal((await english.post('/langue', { lang: 'en', suite: '/lettre' })).statusCode, 303);
    const thanks = await post(english, '/lettre', [['email', 'grace.hopper@example.org'], ['name', 'Grace Hopper'], ['lists', listId]]);
    assert.equal(thanks.statusCode, 200);
    assert.match(thanks.body, /Your request has been recorded/);
    await runJobs();
    const en = linkOf('grace.hopper@example.org');
    assert.match(en.mail.parsed.subject ?? '', /^Confirm your subscription to the newsletters of \S/);
    const enText = en.mail.parsed.text ?? '';
    assert.match(enText, /^Hello Grace Hopper,/);
    assert.match(enText, /You \(or someone with your address\) asked to receive these newsletters/);
    assert.match(enText, /- Partners’ letter/);
    assert.match(enText, /Confirm my subscription: http:\/\/localhost:3000\/lettre\/confirmer\//);
    assert.match(enText, /This link is valid for 7 days/);
    assert.doesNotMatch(enText, /Bonjour|Confirmez|Lettre des partenaires/);
    const enHtml = String(en.mail.parsed.html);
    assert.match(enHtml, /<html lang="en">/);
    assert.match(enHtml, />Confirm my subscription</);

    // The link opened elsewhere (no cookie, a French browser): the page is still in English.
    const phone = t.client();
    const page = await phone.get(en.path, { 'accept-language': 'fr-FR,fr;q=0.9' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<html lang="en"/);
    assert.match(page.body, /Confirm your subscription/);
    assert.match(page.body, /<li>Partners’ letter<\/li>/);
    assert.match(page.body, /I confirm my subscription/);
    const done = await post(phone, en.path, [], { headers: { 'accept-language': 'fr-FR,fr;q=0.9' } });
    assert.equal(done.statusCode, 200);
    assert.match(done.body, /Subscription confirmed/);
    assert.match(done.body, /Manage my subscriptions and interests/);
    assert.deepEqual(await statuses('grace.hopper@example.org'), { 'Lettre des partenaires': 'confirmed' });
    // A language chosen with the switcher wins: the same page in French.
    assert.equal((await phone.post('/langue', { lang: 'fr', suite: en.path })).statusCode, 303);
    const switched = await phone.get(en.path);
    assert.match(switched.body, /<html lang="fr"/);
    assert.match(switched.body, /Abonnement confirmé/);
    assert.match(switched.body, /<li>Lettre des partenaires<\/li>/);

    // A browser asking for English (no switcher) gets the English email too.
    const accepting = t.client();
    await accepting.get('/lettre', { 'accept-language': 'en-GB,en;q=0.9' });
    await post(accepting, '/lettre', [['email', 'ada.lovelace@example.org'], ['lists', listId]], { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    await runJobs();
    const ada = linkOf('ada.lovelace@example.org');
    assert.match(ada.mail.parsed.subject ?? '', /^Confirm your subscription to the newsletters of \S/);
    assert.match(ada.mail.parsed.text ?? '', /^Hello,/);

    // From the French site: French email and page, even opened in an English browser.
    const french = t.client();
    await french.get('/lettre');
    await post(french, '/lettre', [['email', 'marie.curie@example.org'], ['name', 'Marie Curie'], ['lists', listId]]);
    await runJobs();
    const fr = linkOf('marie.curie@example.org');
    assert.match(fr.mail.parsed.subject ?? '', /^Confirmez votre abonnement aux lettres de \S/);
    const frText = fr.mail.parsed.text ?? '';
    assert.match(frText, /^Bonjour Marie Curie,/);
    assert.match(frText, /- Lettre des partenaires/);
    assert.match(frText, /Confirmer mon abonnement : http:\/\/localhost:3000\/lettre\/confirmer\//);
    assert.doesNotMatch(frText, /Hello|Partners/);
    assert.match(String(fr.mail.parsed.html), /<html lang="fr">/);
    const frPage = await t.client().get(fr.path, { 'accept-language': 'en-GB,en;q=0.9' });
    assert.match(frPage.body, /<html lang="fr"/);
    assert.match(frPage.body, /Je confirme mon abonnement/);
    assert.match(frPage.body, /<li>Lettre des partenaires<\/li>/);
  });

  test('the preference centre and unsubscribe pages speak the language the person confirmed in, unless the switcher chose one', async () => {
    const frenchBrowser = { 'accept-language': 'fr-FR,fr;q=0.9' };
    // Subscribed from the English site, confirmed on a French browser without the switcher's cookie.
    const english = t.client();
    await english.get('/lettre');
    assert.equal((await english.post('/langue', { lang: 'en', suite: '/lettre' })).statusCode, 303);
    await post(english, '/lettre', [['email', 'alan.turing@example.org'], ['lists', lists['Lettre mensuelle']!]]);
    await runJobs();
    const confirmPath = new URL(t.smtp.linkIn(t.smtp.lastTo('alan.turing@example.org')!, /http:\/\/localhost:3000\/lettre\/confirmer\/[A-Za-z0-9_-]+/)).pathname;
    const phone = t.client();
    await phone.get(confirmPath, frenchBrowser);
    const done = await post(phone, confirmPath, [], { headers: frenchBrowser });
    assert.match(done.body, /Subscription confirmed/);
    assert.equal((await subscriberOf('alan.turing@example.org'))?.locale, 'en');
    const preferences = /href="(\/preferences\/[A-Za-z0-9_-]+)"/.exec(done.body)?.[1];
    assert.ok(preferences, 'the confirmation page links to the preference centre');

    const page = await phone.get(preferences, frenchBrowser);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<html lang="en"/);
    assert.match(page.body, /Your subscriptions/);
    assert.doesNotMatch(page.body, /Vos abonnements/);
    const saved = await post(phone, preferences, [['lists', lists['Lettre mensuelle']!]], { headers: frenchBrowser });
    assert.equal(saved.statusCode, 303);
    assert.match((await phone.get(preferences, frenchBrowser)).body, /Your choices have been saved/);
    const token = preferences.split('/').pop()!;
    const unsubscribe = await t.client().get(`/desinscription/${token}`, frenchBrowser);
    assert.match(unsubscribe.body, /<html lang="en"/);
    assert.match(unsubscribe.body, /<h1[^>]*>Unsubscribe<\/h1>/);

    // The language switcher wins.
    assert.equal((await phone.post('/langue', { lang: 'fr', suite: preferences })).statusCode, 303);
    const switched = await phone.get(preferences);
    assert.match(switched.body, /<html lang="fr"/);
    assert.match(switched.body, /Vos abonnements/);

    // A subscriber from before the language was kept: the browser's language, French by default.
    const at = new Date().toISOString();
    const oldToken = 'jeton-ancien-abonne-sans-langue-0001';
    await db().insertInto('newsletter_subscribers').values({ id: '01970000-0000-7000-8000-00000000a1d0', email: 'ancien@example.org', email_lower: 'ancien@example.org', name: null, organisation: null, contact_id: null, token: oldToken, created_at: at, updated_at: at }).execute();
    assert.equal((await subscriberOf('ancien@example.org'))?.locale, null);
    const oldPage = await t.client().get(`/preferences/${oldToken}`);
    assert.match(oldPage.body, /<html lang="fr"/);
    assert.match(oldPage.body, /Vos abonnements/);
    assert.match((await t.client().get(`/preferences/${oldToken}`, frenchBrowser)).body, /<html lang="fr"/);
    assert.match((await t.client().get(`/preferences/${oldToken}`, { 'accept-language': 'en-GB,en;q=0.9' })).body, /<html lang="en"/);

    // A single opt-in list subscribes at once: the page's language is kept, never replacing one kept already.
    await post(english, '/lettre', [['email', 'katherine.johnson@example.org'], ['lists', lists['Alertes appels']!]]);
    assert.equal((await subscriberOf('katherine.johnson@example.org'))?.locale, 'en');
    const french = t.client();
    await french.get('/lettre');
    await post(french, '/lettre', [['email', 'alan.turing@example.org'], ['lists', lists['Alertes appels']!]]);
    assert.equal((await statuses('alan.turing@example.org'))['Alertes appels'], 'confirmed');
    assert.equal((await subscriberOf('alan.turing@example.org'))?.locale, 'en');
  });

  test('a person subscribed to one list subscribes to another without error, and the answer reveals nothing', async () => {
    const known = t.client();
    await known.get('/lettre');
    const first = await post(known, '/lettre', [['email', 'aminata.diallo@example.org'], ['lists', lists['Alertes appels']!]]);
    const stranger = t.client();
    await stranger.get('/lettre');
    const second = await post(stranger, '/lettre', [['email', 'inconnu.total@example.org'], ['lists', lists['Alertes appels']!]]);
    assert.equal(first.statusCode, 200);
    assert.equal(second.statusCode, 200);
    assert.equal(stable(first.body), stable(second.body), 'same answer for a known and an unknown address');
    // Single opt-in list: subscribed at once; the double opt-in one stays confirmed.
    assert.deepEqual(await statuses('aminata.diallo@example.org'), { 'Lettre mensuelle': 'confirmed', 'Alertes appels': 'confirmed' });
    // Already confirmed: asking again sends no email and changes nothing.
    const before = t.smtp.messages.length;
    const again = await post(known, '/lettre', [['email', 'AMINATA.DIALLO@example.org'], ['lists', lists['Lettre mensuelle']!]]);
    assert.equal(stable(again.body), stable(second.body));
    await runJobs();
    assert.equal(t.smtp.messages.length, before);
    // A stranger typing a known address cannot rewrite its name.
    await post(stranger, '/lettre', [['email', 'aminata.diallo@example.org'], ['name', 'Usurpateur'], ['lists', lists['Alertes appels']!]]);
    assert.equal((await subscriberOf('aminata.diallo@example.org'))?.name, 'Aminata Diallo');
    assert.equal((await db().selectFrom('newsletter_subscribers').select('id').where('email_lower', '=', 'aminata.diallo@example.org').execute()).length, 1);
  });

  test('the footer form subscribes to the default list; a form without list is refused in French', async () => {
    const visitor = t.client();
    await visitor.get('/lettre');
    const footer = await post(visitor, '/lettre', [['email', 'pied.de.page@example.org'], ['from', 'footer']]);
    assert.equal(footer.statusCode, 200);
    assert.deepEqual(await statuses('pied.de.page@example.org'), { 'Lettre mensuelle': 'unconfirmed' });
    // No letter ticked by default: the footer leads to the full form, its address kept, to choose.
    await db().updateTable('newsletter_lists').set({ is_default: 0 }).where('id', '=', lists['Lettre mensuelle']!).execute();
    try {
      const choose = await post(visitor, '/lettre', [['email', 'sans.defaut@example.org'], ['from', 'footer']]);
      assert.equal(choose.statusCode, 200);
      assert.match(choose.body, /Votre adresse est reprise ci-dessous : cochez la ou les lettres à recevoir/);
      assert.match(choose.body, /value="sans\.defaut@example\.org"/);
      assert.doesNotMatch(choose.body, /error-summary/);
      assert.equal(await subscriberOf('sans.defaut@example.org'), undefined, 'nothing is subscribed before a choice');
    } finally {
      await db().updateTable('newsletter_lists').set({ is_default: 1 }).where('id', '=', lists['Lettre mensuelle']!).execute();
    }
    const none = await post(visitor, '/lettre', [['email', 'sans.liste@example.org']]);
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /Cochez au moins une lettre/);
    const bad = await post(visitor, '/lettre', [['email', 'pas-une-adresse'], ['lists', lists['Alertes appels']!]]);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Saisissez une adresse email valide/);
    // A robot filling the hidden field gets the same thanks, and nothing is recorded.
    const robot = await post(visitor, '/lettre', [['email', 'robot@example.org'], ['lists', lists['Alertes appels']!], ['site_web', 'http://spam.example']]);
    assert.equal(robot.statusCode, 200);
    assert.equal(await subscriberOf('robot@example.org'), undefined);
  });

  test('the preference centre changes lists and interests; every change is a consent event', async () => {
    const subscriber = (await subscriberOf('aminata.diallo@example.org'))!;
    await db().insertInto('themes').values({ code: 'eau_test', label_fr: 'Eau et assainissement (test)', label_en: 'Water (test)', position: 999 }).onConflict((oc) => oc.column('code').doNothing()).execute();
    const person = t.client();
    const page = await person.get(`/preferences/${subscriber.token}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /aminata\.diallo@example\.org|Aminata\.Diallo@Example\.org/);
    assert.match(page.body, /Eau et assainissement \(test\)/);
    const saved = await post(person, `/preferences/${subscriber.token}`, [
      ['name', 'Aminata Diallo'],
      ['organisation', 'Teranga'],
      ['lists', lists['Lettre mensuelle']!],
      ['themes', 'eau_test'],
      ['themes', 'inconnu'],
    ]);
    assert.equal(saved.statusCode, 303);
    assert.deepEqual(await statuses('aminata.diallo@example.org'), { 'Lettre mensuelle': 'confirmed', 'Alertes appels': 'unsubscribed' });
    const interests = await db().selectFrom('newsletter_interests').select(['kind', 'code']).where('subscriber_id', '=', subscriber.id).execute();
    assert.deepEqual(interests, [{ kind: 'theme', code: 'eau_test' }]);
    const last = (await events('aminata.diallo@example.org')).slice(-2).map((e) => [e.action, e.source, e.list_name]);
    assert.deepEqual(last, [
      ['unsubscribed', 'preference_centre', 'Alertes appels'],
      ['interests_changed', 'preference_centre', null],
    ]);
    assert.equal((await person.get('/preferences/jeton-inconnu-jeton-inconnu-0000')).statusCode, 404);
  });

  test('RFC 8058 one-click: a POST without cookie or CSRF token unsubscribes from everything and suppresses the address', async () => {
    const visitor = t.client();
    await visitor.get('/lettre');
    await post(visitor, '/lettre', [['email', 'clic.unique@example.org'], ['lists', lists['Alertes appels']!]]);
    const subscriber = (await subscriberOf('clic.unique@example.org'))!;
    // The GET shows a confirmation page and changes nothing.
    const confirmPage = await t.client().get(`/desinscription/${subscriber.token}`);
    assert.equal(confirmPage.statusCode, 200);
    assert.match(confirmPage.body, /Me désinscrire/);
    assert.deepEqual(await statuses('clic.unique@example.org'), { 'Alertes appels': 'confirmed' });
    // What a mail provider sends: no cookie, no token, the RFC 8058 body.
    const res = await t.app.inject({ method: 'POST', url: `/desinscription/${subscriber.token}`, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(await statuses('clic.unique@example.org'), { 'Alertes appels': 'unsubscribed' });
    const suppressed = await db().selectFrom('newsletter_suppressions').selectAll().where('email_hash', '=', emailHash('clic.unique@example.org')).executeTakeFirst();
    assert.equal(suppressed?.reason, 'unsubscribed');
    assert.deepEqual(
      (await events('clic.unique@example.org')).slice(-2).map((e) => [e.action, e.source]),
      [
        ['unsubscribed', 'one_click'],
        ['unsubscribed_all', 'one_click'],
      ],
    );
    const unknown = await t.app.inject({ method: 'POST', url: '/desinscription/jeton-inconnu-jeton-inconnu-0000', payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(unknown.statusCode, 404);

    // Subscribing again from the form needs a confirmation, even on a single opt-in list.
    const again = t.client();
    await again.get('/lettre');
    await post(again, '/lettre', [['email', 'clic.unique@example.org'], ['lists', lists['Alertes appels']!]]);
    assert.deepEqual(await statuses('clic.unique@example.org'), { 'Alertes appels': 'unconfirmed' });
    await runJobs();
    const mail = t.smtp.lastTo('clic.unique@example.org')!;
    const path = new URL(t.smtp.linkIn(mail, /http:\/\/localhost:3000\/lettre\/confirmer\/[A-Za-z0-9_-]+/)).pathname;
    await again.get(path);
    await post(again, path, []);
    assert.deepEqual(await statuses('clic.unique@example.org'), { 'Alertes appels': 'confirmed' });
    assert.equal(await db().selectFrom('newsletter_suppressions').select('email_hash').where('email_hash', '=', emailHash('clic.unique@example.org')).executeTakeFirst(), undefined);
  });

  test('a message’s « Se désinscrire » leaves its list only; the page then offers to leave everything or to manage one’s subscriptions', async () => {
    const email = 'une.liste@example.org';
    const visitor = t.client();
    await visitor.get('/lettre');
    await post(visitor, '/lettre', [['email', email], ['lists', lists['Alertes appels']!]]);
    const { token } = (await subscriberOf(email))!;
    await visitor.get(`/preferences/${token}`);
    await post(visitor, `/preferences/${token}`, [['lists', lists['Alertes appels']!], ['lists', lists['Lettre mensuelle']!]]);
    assert.deepEqual(await statuses(email), { 'Alertes appels': 'confirmed', 'Lettre mensuelle': 'confirmed' });
    const suppressed = async () => (await db().selectFrom('newsletter_suppressions').select('reason').where('email_hash', '=', emailHash(email)).executeTakeFirst())?.reason;

    // The link of a « Lettre mensuelle » email: one button, for that list; the others as further choices.
    const reader = t.client();
    const link = `/desinscription/${token}?liste=${lists['Lettre mensuelle']}`;
    const page = await reader.get(link);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`Ne plus recevoir «\u00a0Lettre mensuelle\u00a0» à ${email}\u202f[?]`));
    assert.match(page.body, new RegExp(`<form[^>]*action="${link.replace(/\?/g, '\\?')}"[\\s\\S]*?Me désinscrire</button>`));
    assert.match(page.body, /Me désinscrire de tout<\/button>/);
    assert.match(page.body, new RegExp(`<a href="/preferences/${token}">Gérer mes abonnements</a>`));
    assert.deepEqual(await statuses(email), { 'Alertes appels': 'confirmed', 'Lettre mensuelle': 'confirmed' }, 'the GET changes nothing');

    const done = await post(reader, link, []);
    assert.equal(done.statusCode, 200);
    assert.match(done.body, new RegExp(`${email} ne recevra plus «\u00a0Lettre mensuelle\u00a0»`));
    assert.match(done.body, /Me désinscrire de tout<\/button>/);
    assert.match(done.body, /Gérer mes abonnements/);
    assert.deepEqual(await statuses(email), { 'Alertes appels': 'confirmed', 'Lettre mensuelle': 'unsubscribed' });
    assert.equal(await suppressed(), undefined, 'the call alerts and mailings still reach the address');
    assert.deepEqual((await events(email)).slice(-1).map((e) => [e.action, e.source, e.list_id]), [['unsubscribed', 'unsubscribe_page', lists['Lettre mensuelle']]]);

    // RFC 8058 one-click on an alerts email: that list too, and nothing else.
    const oneClick = await t.app.inject({ method: 'POST', url: `/desinscription/${token}?liste=${lists['Alertes appels']}`, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(oneClick.statusCode, 200);
    assert.deepEqual(await statuses(email), { 'Alertes appels': 'unsubscribed', 'Lettre mensuelle': 'unsubscribed' });
    assert.equal(await suppressed(), undefined);
    assert.deepEqual((await events(email)).slice(-1).map((e) => [e.action, e.source]), [['unsubscribed', 'one_click']]);

    // « Me désinscrire de tout »: the address is suppressed (directory mailings no longer reach it).
    const all = await post(reader, `/desinscription/${token}`, [['tout', '1']]);
    assert.equal(all.statusCode, 200);
    assert.match(all.body, new RegExp(`${email} ne recevra plus de messages de`));
    assert.equal(await suppressed(), 'unsubscribed');
    assert.deepEqual((await events(email)).slice(-1).map((e) => [e.action, e.source]), [['unsubscribed_all', 'unsubscribe_page']]);
  });

  test('an address of a directory contact is linked to it; its subscriptions enter the contact’s consent history', async () => {
    const now = new Date().toISOString();
    const contactId = '01970000-0000-7000-8000-00000000c0c1';
    await db().insertInto('contacts').values({ id: contactId, last_name: 'Ndiaye', first_name: 'Moussa', source: 'staff', public_profile: 0, created_at: now, updated_at: now }).execute();
    await db().insertInto('contact_emails').values({ contact_id: contactId, email: 'moussa.ndiaye@example.org', email_lower: 'moussa.ndiaye@example.org', is_primary: 1 }).execute();
    const visitor = t.client();
    await visitor.get('/lettre');
    await post(visitor, '/lettre', [['email', 'Moussa.Ndiaye@example.org'], ['lists', lists['Alertes appels']!]]);
    assert.equal((await subscriberOf('moussa.ndiaye@example.org'))?.contact_id, contactId);
    const consents = await db().selectFrom('consents').selectAll().where('contact_id', '=', contactId).execute();
    assert.equal(consents.length, 1);
    assert.equal(consents[0]?.purpose, 'newsletter');
    assert.equal(consents[0]?.event, 'given');
    assert.equal(consents[0]?.source, 'web_form');
    assert.match(consents[0]?.detail ?? '', /Alertes appels/);
    const contactPage = await staff.get(`/admin/contacts/${contactId}`);
    assert.equal(contactPage.statusCode, 200);
    assert.match(contactPage.body, /Alertes appels/);
  });

  test('the form is rate-limited per IP address', async () => {
    const visitor = t.client();
    await visitor.get('/lettre');
    for (let i = 0; i < 10; i++) {
      assert.equal((await post(visitor, '/lettre', [['email', `flot${i}@example.org`], ['lists', lists['Alertes appels']!]])).statusCode, 200);
    }
    const limited = await post(visitor, '/lettre', [['email', 'encore@example.org'], ['lists', lists['Alertes appels']!]]);
    assert.equal(limited.statusCode, 429);
    assert.match(limited.body, /Trop de demandes/);
  });
});
