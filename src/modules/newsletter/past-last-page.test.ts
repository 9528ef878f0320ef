// The newsletter's paged back-office lists (subscribers, a mailing's recipients), asked for at a page
// past their last one, lead to their last page (the filters kept), or to their address without
// `page` when they fit on one page. The large audience's pages: audience.test.ts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { newId } from '../../kernel/ids.js';
import { MONTHLY_LIST_ID } from './lists.js';

async function post(client: Client, url: string, fields: Array<[string, string]>) {
  const body = new URLSearchParams(fields);
  body.set('_csrf', await client.csrf());
  return client.request('POST', url, { payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

/** The addresses a subscribers' or recipients' page shows, in order. */
const shownAddresses = (html: string) => [...(/<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '').matchAll(/([a-z0-9.-]+@example\.org)/g)].map((m) => m[1]!);

forEachDialect('newsletter: a page past the last leads to the last', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let smallList: string;
  const db = () => t.kernel.db;

  async function subscribe(emails: string[], listId: string) {
    const at = new Date().toISOString();
    const rows = emails.map((email) => ({ id: newId(), email }));
    await db()
      .insertInto('newsletter_subscribers')
      .values(rows.map(({ id, email }) => ({ id, email, email_lower: email, name: null, organisation: null, contact_id: null, token: `jeton-${id.replace(/-/g, '')}`, created_at: at, updated_at: at })))
      .execute();
    await db()
      .insertInto('newsletter_subscriptions')
      .values(rows.map(({ id }) => ({ subscriber_id: id, list_id: listId, status: 'confirmed' as const, created_at: at, updated_at: at })))
      .execute();
  }

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff');
    assert.equal((await post(staff, '/admin/lettres/listes', [['name', 'Petite liste'], ['double_opt_in', '1']])).statusCode, 303);
    smallList = (await db().selectFrom('newsletter_lists').select('id').where('name', '=', 'Petite liste').executeTakeFirstOrThrow()).id;
    // 52 subscribers of the monthly letter (two pages of 50), 3 of the small list.
    await subscribe(Array.from({ length: 52 }, (_, i) => `mensuel${String(i).padStart(2, '0')}@example.org`), MONTHLY_LIST_ID);
    await subscribe(['petit1@example.org', 'petit2@example.org', 'petit3@example.org'], smallList);
  });
  after(() => t.close());

  test('/admin/lettres/abonnes: past the last page, the last page with the filters kept; no result, the address without page', async () => {
    const last = await staff.get(`/admin/lettres/abonnes?q=mensuel&liste=${MONTHLY_LIST_ID}&etat=confirmed&page=2`);
    assert.equal(last.statusCode, 200, 'the last page is shown');
    assert.match(last.body, /Page 2 sur 2/);
    assert.deepEqual(shownAddresses(last.body), ['mensuel50@example.org', 'mensuel51@example.org']);

    const beyond = await staff.get(`/admin/lettres/abonnes?q=mensuel&liste=${MONTHLY_LIST_ID}&etat=confirmed&page=6`);
    assert.equal(beyond.statusCode, 302);
    assert.equal(beyond.headers.location, `/admin/lettres/abonnes?q=mensuel&liste=${MONTHLY_LIST_ID}&etat=confirmed&page=2`);
    const all = await staff.get('/admin/lettres/abonnes?page=99999999999999999999');
    assert.equal(all.headers.location, '/admin/lettres/abonnes?page=2', '55 subscribers in all: two pages');

    // A filter that leaves one page, or none: its address without page.
    const small = await staff.get(`/admin/lettres/abonnes?liste=${smallList}&page=2`);
    assert.equal(small.statusCode, 302);
    assert.equal(small.headers.location, `/admin/lettres/abonnes?liste=${smallList}`);
    const none = await staff.get('/admin/lettres/abonnes?q=personne&page=3');
    assert.equal(none.statusCode, 302);
    assert.equal(none.headers.location, '/admin/lettres/abonnes?q=personne');
    const noneShown = await staff.get(none.headers.location);
    assert.equal(noneShown.statusCode, 200);
    assert.deepEqual(shownAddresses(noneShown.body), []);
  });

  test('a mailing’s recipients: past the last page, the last page; a one-page audience, its address without page', async () => {
    const created = await post(staff, '/admin/lettres/nouvelle', [['from_name', 'Réseau Test'], ['subject', 'Petite lettre'], ['body', '<p>Bonjour.</p>'], ['lists', smallList]]);
    assert.equal(created.statusCode, 303, created.body.slice(0, 2000));
    const url = `${String(created.headers.location)}/destinataires`;
    const shown = await staff.get(url);
    assert.equal(shown.statusCode, 200);
    assert.deepEqual(shownAddresses(shown.body), ['petit1@example.org', 'petit2@example.org', 'petit3@example.org']);
    const beyond = await staff.get(`${url}?page=2`);
    assert.equal(beyond.statusCode, 302);
    assert.equal(beyond.headers.location, url);

    const monthly = await post(staff, '/admin/lettres/nouvelle', [['from_name', 'Réseau Test'], ['subject', 'Lettre du mois'], ['body', '<p>Bonjour.</p>'], ['lists', MONTHLY_LIST_ID]]);
    assert.equal(monthly.statusCode, 303, monthly.body.slice(0, 2000));
    const monthlyUrl = `${String(monthly.headers.location)}/destinataires`;
    const last = await staff.get(`${monthlyUrl}?page=2`);
    assert.equal(last.statusCode, 200);
    assert.match(last.body, /Page 2 sur 2/);
    assert.deepEqual(shownAddresses(last.body), ['mensuel50@example.org', 'mensuel51@example.org']);
    const past = await staff.get(`${monthlyUrl}?page=3`);
    assert.equal(past.statusCode, 302);
    assert.equal(past.headers.location, `${monthlyUrl}?page=2`);
  });
});
