import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { migrations } from '../../db/migrations/index.js';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect, type TestDb, testDb } from '../../../test/helpers/db.js';
import { MONTHLY_LIST_ID } from './index.js';

// A new install offers the network's monthly letter on /lettre, before staff create any list
// (migration 1630): ticked by default and first, next to the call alerts; subscribing to it works
// from the form and from the footer, with the double opt-in email.

async function post(client: Client, url: string, fields: Array<[string, string]>) {
  const body = new URLSearchParams(fields);
  body.set('_csrf', await client.csrf());
  return client.request('POST', url, { payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

/** The page's list checkboxes, in order: their value and whether they are ticked. */
const listBoxes = (html: string) => [...html.matchAll(/<input type="checkbox" id="[^"]*" name="lists" value="([^"]+)"( checked)?/g)].map((m) => ({ id: m[1]!, checked: m[2] !== undefined }));

forEachDialect('newsletter: a new install offers the monthly letter', (dialect) => {
  let t: TestApp;
  const db = () => t.kernel.db;
  const subscriptions = async (email: string) => {
    const rows = await db()
      .selectFrom('newsletter_subscriptions as x')
      .innerJoin('newsletter_subscribers as s', 's.id', 'x.subscriber_id')
      .select(['x.list_id', 'x.status'])
      .where('s.email_lower', '=', email.toLowerCase())
      .execute();
    return Object.fromEntries(rows.map((r) => [r.list_id, r.status]));
  };

  before(async () => {
    t = await testApp(dialect);
  });
  after(() => t.close());
  beforeEach(async () => {
    await db().deleteFrom('login_attempts').where('key', 'like', 'newsletter-ip:%').execute();
  });

  test('/lettre offers « Lettre mensuelle » first and ticked, then the call alerts unticked; in English too', async () => {
    const alerts = await db().selectFrom('newsletter_lists').select('id').where('name', '=', 'Alertes appels à projets').executeTakeFirstOrThrow();
    const page = await t.client().get('/lettre');
    assert.equal(page.statusCode, 200);
    assert.deepEqual(listBoxes(page.body), [
      { id: MONTHLY_LIST_ID, checked: true },
      { id: alerts.id, checked: false },
    ]);
    assert.match(page.body, /<span>Lettre mensuelle<\/span>/);
    assert.match(page.body, /Une fois par mois, les nouvelles du réseau/);
    // French spacing in the seeded descriptions (migration 1940): no line can start with « : ».
    assert.match(page.body, /les nouvelles du réseau\u00a0: actualités/);
    assert.match(page.body, /Au plus un courriel par jour\u00a0: les nouveaux appels/);
    assert.doesNotMatch(page.body, / : (actualités|les nouveaux appels)/);
    assert.doesNotMatch(page.body, /Aucune lettre n’est ouverte/);

    const english = t.client();
    await english.get('/lettre');
    assert.equal((await english.post('/langue', { lang: 'en', suite: '/lettre' })).statusCode, 303);
    const en = (await english.get('/lettre')).body;
    assert.match(en, /<span>Monthly newsletter<\/span>/);
    assert.match(en, /Once a month, the network’s news/);
    assert.deepEqual(listBoxes(en)[0], { id: MONTHLY_LIST_ID, checked: true });
  });

  test('the form as shown subscribes to the monthly letter: confirmation email, then the link’s button confirms it', async () => {
    const visitor = t.client();
    const page = await visitor.get('/lettre');
    const ticked = listBoxes(page.body).filter((b) => b.checked).map((b): [string, string] => ['lists', b.id]);
    const res = await post(visitor, '/lettre', [['email', 'Nadia.Benali@example.org'], ['name', 'Nadia Benali'], ...ticked]);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Votre demande est enregistrée/);
    assert.deepEqual(await subscriptions('nadia.benali@example.org'), { [MONTHLY_LIST_ID]: 'unconfirmed' });

    await t.kernel.jobs.runDue();
    const mail = t.smtp.lastTo('Nadia.Benali@example.org');
    assert.ok(mail, 'the confirmation email arrived');
    assert.match(mail.parsed.subject ?? '', /Confirmez votre abonnement/);
    assert.match(mail.parsed.text ?? '', /- Lettre mensuelle/);
    assert.doesNotMatch(mail.parsed.text ?? '', /Alertes appels à projets/);
    const path = new URL(t.smtp.linkIn(mail, /http:\/\/localhost:3000\/lettre\/confirmer\/[A-Za-z0-9_-]+/)).pathname;
    assert.match((await visitor.get(path)).body, /Je confirme mon abonnement/);
    const confirmed = await post(visitor, path, []);
    assert.equal(confirmed.statusCode, 200);
    assert.match(confirmed.body, /Abonnement confirmé/);
    assert.match(confirmed.body, /<li>Lettre mensuelle<\/li>/);
    assert.deepEqual(await subscriptions('nadia.benali@example.org'), { [MONTHLY_LIST_ID]: 'confirmed' });
  });

  test('the footer’s address alone subscribes to the monthly letter (no « choose a letter » detour)', async () => {
    const visitor = t.client();
    await visitor.get('/');
    const res = await post(visitor, '/lettre', [['email', 'pied.de.page@example.org'], ['from', 'footer']]);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Votre demande est enregistrée/);
    assert.deepEqual(await subscriptions('pied.de.page@example.org'), { [MONTHLY_LIST_ID]: 'unconfirmed' });
    await t.kernel.jobs.runDue();
    assert.match(t.smtp.lastTo('pied.de.page@example.org')?.parsed.text ?? '', /- Lettre mensuelle/);
  });
});

forEachDialect('newsletter: migration 1630 (the monthly letter’s list)', (dialect) => {
  let handle: TestDb;
  const migration = migrations['2026-12-03T1630_newsletter_monthly_list']!;
  const db = () => handle.db;
  const monthly = () => db().selectFrom('newsletter_lists').selectAll().where('id', '=', MONTHLY_LIST_ID).executeTakeFirst();
  const at = new Date().toISOString();
  const staffList = (id: string, name: string, isDefault: number) => ({ id, name, description: '', is_public: 1, double_opt_in: 1, is_default: isDefault, created_by: null, created_at: at, updated_at: at });

  before(async () => {
    handle = await testDb(dialect);
  });
  after(() => handle.close());

  test('a new install has the list: public, double opt-in, ticked by default, named in French and English', async () => {
    const row = await monthly();
    assert.ok(row);
    assert.deepEqual([row.name, row.name_en, row.is_public, row.double_opt_in, row.is_default], ['Lettre mensuelle', 'Monthly newsletter', 1, 1, 1]);
    assert.ok(row.description.length > 10 && row.description_en.length > 10);
  });

  test('down removes the unused list, up brings it back', async () => {
    await migration.down!(db());
    assert.equal(await monthly(), undefined);
    await migration.up(db());
    assert.equal((await monthly())?.is_default, 1);
  });

  test('an install whose staff already made « Lettre mensuelle » gets no second one', async () => {
    await migration.down!(db());
    await db().insertInto('newsletter_lists').values(staffList('01900000-0000-7000-8000-0000000000a1', ' lettre  Mensuelle ', 0)).execute();
    await migration.up(db());
    assert.equal(await monthly(), undefined);
    await db().deleteFrom('newsletter_lists').where('id', '=', '01900000-0000-7000-8000-0000000000a1').execute();
    await migration.up(db());
    assert.ok(await monthly());
  });

  test('an install with a list ticked by default keeps it the only one ticked', async () => {
    await migration.down!(db());
    await db().insertInto('newsletter_lists').values(staffList('01900000-0000-7000-8000-0000000000a2', 'Les nouvelles du réseau', 1)).execute();
    await migration.up(db());
    assert.equal((await monthly())?.is_default, 0);
  });

  test('down keeps the list once someone subscribed to it', async () => {
    const subscriber = '01900000-0000-7000-8000-0000000000b1';
    await db().insertInto('newsletter_subscribers').values({ id: subscriber, email: 'a@example.org', email_lower: 'a@example.org', token: 'jeton-migration-1630', created_at: at, updated_at: at }).execute();
    await db().insertInto('newsletter_subscriptions').values({ subscriber_id: subscriber, list_id: MONTHLY_LIST_ID, status: 'confirmed', created_at: at, updated_at: at }).execute();
    await migration.down!(db());
    assert.ok(await monthly(), 'the list and its subscription stay');
    assert.equal((await db().selectFrom('newsletter_subscriptions').select('status').where('list_id', '=', MONTHLY_LIST_ID).executeTakeFirst())?.status, 'confirmed');
  });
});
