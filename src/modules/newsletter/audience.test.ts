// A mailing's audience larger than one window of the walk (5,000 addresses): the audience page counts
// it whole and shows it 50 addresses at a time; starting the send writes every recipient exactly
// once, an address shared by several contacts at the end of a window included.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { newId } from '../../kernel/ids.js';
import { saveNewsletterSettings } from './settings.js';
import { SmtpSink } from './testing/smtp-sink.js';
import { emailHash } from './tokens.js';

async function post(client: Client, url: string, fields: Array<[string, string]>) {
  const body = new URLSearchParams(fields);
  body.set('_csrf', await client.csrf());
  return client.request('POST', url, { payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

const pad = (i: number) => String(i).padStart(4, '0');
/** The addresses in the table of an audience page, in the order shown. */
const shownAddresses = (html: string) => [...(/<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '').matchAll(/<tr><td>([^<]+)<\/td>/g)].map((m) => m[1]!);

// In address order: 4,998 subscribers (a…, one of them unconfirmed), one address four contacts
// share (b.partage@: the 4,999th to 5,002nd addresses, where the first window ends), 600 subscribers
// (c…) of whom 300 are also contacts, 400 contacts only (d…), a contact who withdrew, one with two
// addresses (its primary one is used), one without any.
const LIST_A = 4997;
const LIST_C = 600;
const BOTH = 300;
const SEGMENT_ONLY = 400;
const SUPPRESSED = ['a0007@example.org', 'c0599@example.org', 'd0003@example.org'];
const EXPECTED = LIST_A + 1 + LIST_C + SEGMENT_ONLY + 1 - SUPPRESSED.length;

forEachDialect('newsletter: a large audience, paged on its page and written whole at the start', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let sink: SmtpSink;
  let mailingId: string;
  const db = () => t.kernel.db;
  const at = new Date().toISOString();

  async function subscribers(emails: string[], listId: string, status: 'confirmed' | 'unconfirmed' = 'confirmed') {
    for (let i = 0; i < emails.length; i += 200) {
      const chunk = emails.slice(i, i + 200).map((email) => ({ id: newId(), email }));
      await db()
        .insertInto('newsletter_subscribers')
        .values(chunk.map(({ id, email }) => ({ id, email, email_lower: email, name: `Nom ${email.split('@')[0]}`, organisation: null, contact_id: null, token: `jeton-${id.replace(/-/g, '')}`, created_at: at, updated_at: at })))
        .execute();
      await db()
        .insertInto('newsletter_subscriptions')
        .values(chunk.map(({ id }) => ({ subscriber_id: id, list_id: listId, status, created_at: at, updated_at: at })))
        .execute();
    }
  }

  async function contacts(organisationId: string, people: Array<{ emails: Array<{ email: string; primary: boolean }>; event: string | null }>) {
    for (let i = 0; i < people.length; i += 200) {
      const chunk = people.slice(i, i + 200).map((p) => ({ ...p, id: newId() }));
      await db()
        .insertInto('contacts')
        .values(chunk.map((p, j) => ({ id: p.id, first_name: 'Contact', last_name: `N${i + j}`, source: 'staff', public_profile: 0, created_at: at, updated_at: at })))
        .execute();
      await db()
        .insertInto('contact_roles')
        .values(chunk.map((p) => ({ contact_id: p.id, organisation_id: organisationId, function: null, is_main: 0 })))
        .execute();
      const emails = chunk.flatMap((p) => p.emails.map((e) => ({ contact_id: p.id, email: e.email, email_lower: e.email, is_primary: e.primary ? 1 : 0 })));
      if (emails.length) await db().insertInto('contact_emails').values(emails).execute();
      const consents = chunk.filter((p) => p.event).map((p) => ({ id: newId(), contact_id: p.id, purpose: 'contact_database', basis: 'legitimate_interest', event: p.event!, source: 'import', detail: null, ip: null, recorded_by: null, at }));
      if (consents.length) await db().insertInto('consents').values(consents).execute();
    }
  }

  before(async () => {
    sink = await new SmtpSink().start();
    t = await testApp(dialect, { env: { SMTP_URL: sink.url } });
    staff = await t.loginAs('staff');
    await staff.get('/admin/lettres');
    assert.equal((await post(staff, '/admin/lettres/listes', [['name', 'Grande liste'], ['double_opt_in', '1']])).statusCode, 303);
    const listId = (await db().selectFrom('newsletter_lists').select('id').where('name', '=', 'Grande liste').executeTakeFirstOrThrow()).id;
    await subscribers(Array.from({ length: LIST_A }, (_, i) => `a${pad(i)}@example.org`), listId);
    await subscribers(Array.from({ length: LIST_C }, (_, i) => `c${pad(i)}@example.org`), listId);
    await subscribers(['a-attente@example.org'], listId, 'unconfirmed');
    for (const email of SUPPRESSED) await db().insertInto('newsletter_suppressions').values({ email_hash: emailHash(email), reason: 'unsubscribed', detail: null, created_at: at }).execute();

    const org = await post(staff, '/admin/organisations/nouvelle', [['name', 'Eau Vive Gironde'], ['kind_code', 'association'], ['commune', '33063'], ['postcode', '33000'], ['visibility', 'public']]);
    assert.equal(org.statusCode, 303, org.body.slice(0, 2000));
    const orgId = String(org.headers.location).split('/').pop()!.split('#')[0]!;
    const one = (email: string) => [{ email, primary: true }];
    await contacts(orgId, [
      ...Array.from({ length: 4 }, () => ({ emails: one('b.partage@example.org'), event: 'informed' })),
      ...Array.from({ length: BOTH }, (_, i) => ({ emails: one(`c${pad(i * 2)}@example.org`), event: 'informed' })),
      ...Array.from({ length: SEGMENT_ONLY }, (_, i) => ({ emails: one(`d${pad(i)}@example.org`), event: 'given' })),
      { emails: [{ email: 'ysecondaire@example.org', primary: false }, { email: 'zprimaire@example.org', primary: true }], event: 'informed' },
      { emails: one('retrait@example.org'), event: 'withdrawn' },
      { emails: [], event: 'informed' },
    ]);
    const saved = await staff.post('/admin/organisations/filtres', { name: 'Associations de Gironde', query: 'famille=association&departement=33' });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 2000));
    const segmentId = (await db().selectFrom('saved_filters').select('id').where('name', '=', 'Associations de Gironde').executeTakeFirstOrThrow()).id;
    await saveNewsletterSettings({ db: db(), clock: t.kernel.clock }, { ratePerSecond: 0, ratePerHour: 0, concurrency: 4 });

    const created = await post(staff, '/admin/lettres/nouvelle', [['from_name', 'Réseau Test'], ['subject', 'Grande lettre'], ['body', '<p>Bonjour à toutes et à tous.</p>'], ['lists', listId], ['segment', segmentId]]);
    assert.equal(created.statusCode, 303, created.body.slice(0, 2000));
    mailingId = String(created.headers.location).split('/').pop()!;
  });
  after(async () => {
    await t.close();
    await sink.close();
  });

  test('the audience page counts every recipient and shows them 50 at a time, in address order, with a pager', async () => {
    const url = `/admin/lettres/${mailingId}/destinataires`;
    const first = await staff.get(url);
    assert.equal(first.statusCode, 200);
    assert.match(first.body, new RegExp(`${EXPECTED.toLocaleString('fr-FR')} destinataires si le message partait maintenant`));
    assert.match(first.body, /3 adresses exclues/);
    assert.match(first.body, /1 contact du segment sans base légale/);
    assert.match(first.body, /1 contact du segment sans adresse email/);
    const addresses = Array.from({ length: 51 }, (_, i) => `a${pad(i)}@example.org`).filter((e) => !SUPPRESSED.includes(e));
    assert.deepEqual(shownAddresses(first.body), addresses.slice(0, 50));
    assert.match(first.body, /Page 1 sur 120/);
    assert.match(first.body, new RegExp(`<a href="${url}\\?page=2" rel="next">Page suivante</a>`));

    // The address four contacts share is shown once, as a segment contact, on the page it falls on.
    const hundredth = await staff.get(`${url}?page=100`);
    const shown = shownAddresses(hundredth.body);
    assert.equal(shown.length, 50);
    assert.deepEqual(shown.slice(45, 50), ['a4996@example.org', 'b.partage@example.org', 'c0000@example.org', 'c0001@example.org', 'c0002@example.org']);
    assert.match(hundredth.body, /<td>b\.partage@example\.org<\/td><td[^>]*>Contact N\d+<\/td><td[^>]*>contact du segment<\/td>/);
    assert.match(hundredth.body, /<td>c0000@example\.org<\/td><td[^>]*>Nom c0000<\/td><td[^>]*>abonné·e et contact du segment<\/td>/);
    assert.match(hundredth.body, /<td>c0001@example\.org<\/td><td[^>]*>Nom c0001<\/td><td[^>]*>abonné·e<\/td>/);
    assert.match(hundredth.body, /rel="prev"[\s\S]*Page 100 sur 120[\s\S]*rel="next"/);

    const last = await staff.get(`${url}?page=120`);
    assert.equal(last.statusCode, 200);
    const end = shownAddresses(last.body);
    assert.equal(end.length, EXPECTED - 119 * 50);
    assert.deepEqual(end.slice(-2), ['d0399@example.org', 'zprimaire@example.org']);
    assert.doesNotMatch(last.body, /rel="next"/);
    for (const left of ['ysecondaire@', 'retrait@', 'a-attente@', 'd0003@', 'c0599@']) assert.doesNotMatch(last.body, new RegExp(left));

    // A page past the last leads to the last.
    const beyond = await staff.get(`${url}?page=121`);
    assert.equal(beyond.statusCode, 302);
    assert.equal(beyond.headers.location, `${url}?page=120`);
    const absurd = await staff.get(`${url}?page=99999999999999999999`);
    assert.equal(absurd.statusCode, 302);
    assert.equal(absurd.headers.location, `${url}?page=120`);
  });

  test('starting the send writes every recipient exactly once, in address order; each receives the mailing once', async () => {
    const started = await post(staff, `/admin/lettres/${mailingId}/envoyer`, [['when', 'now']]);
    assert.equal(started.statusCode, 303, started.body.slice(0, 2000));
    const mailing = await db().selectFrom('newsletter_mailings').select(['status', 'total']).where('id', '=', mailingId).executeTakeFirstOrThrow();
    assert.equal(mailing.status, 'sending');
    assert.equal(mailing.total, EXPECTED);
    assert.match((await staff.get(`/admin/lettres/${mailingId}`)).body, /Envoi lancé vers 5[\u202f\u00a0]996 destinataires\./);

    const rows = await db().selectFrom('newsletter_recipients').select(['id', 'email', 'via', 'subscriber_id']).where('mailing_id', '=', mailingId).orderBy('id').execute();
    assert.equal(rows.length, EXPECTED);
    assert.equal(new Set(rows.map((r) => r.email.toLowerCase())).size, EXPECTED);
    assert.equal(new Set(rows.map((r) => r.subscriber_id)).size, EXPECTED);
    const via = (kind: string) => rows.filter((r) => r.via === kind).length;
    assert.equal(via('both'), BOTH);
    // b.partage@, the contacts only but d0003@ (suppressed), zprimaire@.
    assert.equal(via('segment'), 1 + SEGMENT_ONLY - 1 + 1);
    // a… but a0007@ (suppressed), c… not in the segment but c0599@ (suppressed).
    assert.equal(via('list'), LIST_A - 1 + LIST_C - BOTH - 1);
    const emails = new Set(rows.map((r) => r.email));
    for (const email of ['a0000@example.org', 'b.partage@example.org', 'c0000@example.org', 'd0399@example.org', 'zprimaire@example.org']) assert.ok(emails.has(email), email);
    for (const email of [...SUPPRESSED, 'ysecondaire@example.org', 'retrait@example.org', 'a-attente@example.org']) assert.ok(!emails.has(email), email);
    // Claimed in id order, which is the audience's address order.
    const byAddress = await db().selectFrom('newsletter_recipients').select('id').where('mailing_id', '=', mailingId).orderBy('email').execute();
    assert.deepEqual(
      byAddress.map((r) => r.id),
      rows.map((r) => r.id),
    );
    // Contacts without a subscriber row got one (their personal unsubscribe link).
    const newcomers = await db().selectFrom('newsletter_subscribers').select('email_lower').where('email_lower', 'in', ['b.partage@example.org', 'd0000@example.org', 'zprimaire@example.org']).execute();
    assert.equal(newcomers.length, 3);

    await t.kernel.jobs.runDue();
    assert.equal((await db().selectFrom('newsletter_mailings').select('status').where('id', '=', mailingId).executeTakeFirstOrThrow()).status, 'sent');
    assert.equal(sink.total, EXPECTED);
    for (const email of emails) assert.equal(sink.received.get(email), 1, email);
  });
});
