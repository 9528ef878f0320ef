import assert from 'node:assert/strict';
import type http from 'node:http';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { FetchTestServer } from '../../../test/helpers/fetch-server.js';
import { listAudit } from '../../kernel/audit/index.js';
import { toLocalInputs } from '../../kernel/time/zoned.js';
import { findArticle, statusText } from './index.js';

const TOKEN = 'secret-token-abcdefghijklmnop-WXYZ';
const HOUR = 3_600_000;

interface Received {
  authorization: string | undefined;
  idempotencyKey: string | undefined;
  contentType: string | undefined;
  status: string | null;
  visibility: string | null;
}

/** A local server speaking Mastodon's statuses API: `POST /api/v1/statuses` with a bearer token, answering the status as JSON. */
function mastodonServer(server: FetchTestServer, received: Received[], mode: { answer: 'ok' | 'unauthorized' | 'error' }) {
  const byKey = new Map<string, string>();
  let next = 1;
  server.on('/api/v1/statuses', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const key = req.headers['idempotency-key'] as string | undefined;
      received.push({ authorization: req.headers.authorization, idempotencyKey: key, contentType: req.headers['content-type'], status: form.get('status'), visibility: form.get('visibility') });
      if (req.method !== 'POST') return void res.writeHead(405).end();
      if (mode.answer === 'unauthorized' || req.headers.authorization !== `Bearer ${TOKEN}`) {
        return void res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'The access token is invalid' }));
      }
      if (mode.answer === 'error') return void res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"Service unavailable"}');
      // Mastodon answers a repeated key with the status it already made.
      const id = (key && byKey.get(key)) ?? String(next++);
      if (key) byKey.set(key, id);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id, url: `https://mastodon.example/@reseau/${id}`, uri: `https://mastodon.example/users/reseau/statuses/${id}`, content: form.get('status') }));
    });
  });
}

forEachDialect('news: posting an article to a Mastodon account through a durable job', (dialect) => {
  let t: TestApp;
  let admin: Client;
  let staff: Client;
  const server = new FetchTestServer();
  const received: Received[] = [];
  const mode: { answer: 'ok' | 'unauthorized' | 'error' } = { answer: 'ok' };
  let offset = 0;

  before(async () => {
    mastodonServer(server, received, mode);
    await server.start();
    t = await testApp(dialect, { env: { FETCH_ALLOWLIST: server.allow }, clock: { now: () => new Date(Date.now() + offset) } });
    admin = await t.loginAs('admin', 'admin@example.org');
    staff = await t.loginAs('staff', 'staff@example.org');
  });
  after(async () => {
    await t.close();
    await server.stop();
  });

  const idFrom = (location: unknown) => String(location).split('/').pop()!;

  test('admins set the account; the token is never shown back in full; staff may not see the setting', async () => {
    assert.equal((await staff.get('/admin/actualites/mastodon')).statusCode, 403);
    const form = await staff.get('/admin/actualites/nouveau');
    assert.doesNotMatch(form.body, /name="mastodon"/, 'no Mastodon box before an account is set');
    assert.match(form.body, /une fois le compte du réseau configuré/);

    const refused = await admin.post('/admin/actualites/mastodon', { instance_url: 'ftp://mastodon.example', token: '' });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /adresse web de l’instance/);
    assert.match(refused.body, /Collez le jeton/);
    const saved = await admin.post('/admin/actualites/mastodon', { instance_url: server.origin, token: TOKEN });
    assert.equal(saved.statusCode, 303);
    const page = await admin.get('/admin/actualites/mastodon');
    assert.doesNotMatch(page.body, new RegExp(TOKEN));
    assert.match(page.body, /••••••••WXYZ/);
    // A blank token keeps the saved one.
    assert.equal((await admin.post('/admin/actualites/mastodon', { instance_url: server.origin, token: '' })).statusCode, 303);
    const audit = await listAudit(t.kernel.db, { entityType: 'settings', limit: 5, offset: 0 });
    assert.ok(audit.rows.length >= 2);
    assert.doesNotMatch(JSON.stringify(audit.rows), new RegExp(TOKEN), 'the token never enters the log');
  });

  test('a published article asking for it is posted once (title and address, bearer token, idempotency key); the status address is shown', async () => {
    const res = await staff.post('/admin/actualites/nouveau', { title: 'Le réseau fête ses dix ans', mastodon: '1', intent: 'publish' });
    assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
    const id = idFrom(res.headers.location);
    assert.match((await staff.get(`/admin/actualites/${id}`)).body, /Publication sur Mastodon en cours/);
    await t.kernel.jobs.runDue();
    assert.equal(received.length, 1);
    const [post] = received;
    assert.equal(post!.authorization, `Bearer ${TOKEN}`);
    assert.equal(post!.idempotencyKey, `maillage-news-${id}`);
    assert.match(String(post!.contentType), /application\/x-www-form-urlencoded/);
    assert.equal(post!.status, 'Le réseau fête ses dix ans\n\nhttp://localhost:3000/actualites/le-reseau-fete-ses-dix-ans');
    assert.equal(post!.visibility, 'public');
    const a = (await findArticle(t.kernel.db, id))!;
    assert.equal(a.mastodon_status_url, 'https://mastodon.example/@reseau/1');
    assert.equal(a.mastodon_error, null);
    assert.match((await staff.get(`/admin/actualites/${id}`)).body, /<a href="https:\/\/mastodon.example\/@reseau\/1" rel="noopener noreferrer">/);

    // Saving or publishing it again posts nothing more.
    assert.equal((await staff.post(`/admin/actualites/${id}`, { title: 'Le réseau fête ses dix ans !', mastodon: '1' })).statusCode, 303);
    await t.kernel.jobs.runDue();
    assert.equal(received.length, 1);
  });

  test('a scheduled article is posted when it comes out, not before', async () => {
    const later = toLocalInputs(new Date(Date.now() + offset + 2 * HOUR));
    const res = await staff.post('/admin/actualites/nouveau', { title: 'Programmé pour plus tard', mastodon: '1', publish_date: later.date, publish_time: later.time, intent: 'publish' });
    assert.equal(res.statusCode, 303);
    const id = idFrom(res.headers.location);
    await t.kernel.jobs.runDue();
    assert.equal(received.length, 1, 'nothing posted before the date');
    assert.match((await staff.get(`/admin/actualites/${id}`)).body, /à la parution de l’article/);
    offset += 3 * HOUR;
    await t.kernel.jobs.runDue();
    assert.equal(received.length, 2);
    assert.match(String(received[1]!.status), /Programmé pour plus tard/);
    assert.ok((await findArticle(t.kernel.db, id))!.mastodon_status_url);
  });

  test('a refused token is recorded and shown to staff; once fixed, staff retry and it is posted', async () => {
    mode.answer = 'unauthorized';
    const res = await staff.post('/admin/actualites/nouveau', { title: 'Rencontre régionale', mastodon: '1', intent: 'publish' });
    const id = idFrom(res.headers.location);
    await t.kernel.jobs.runDue();
    let a = (await findArticle(t.kernel.db, id))!;
    assert.equal(a.mastodon_status_url, null);
    assert.equal(a.mastodon_error, 'HTTP 401: The access token is invalid');
    const page = await staff.get(`/admin/actualites/${id}`);
    assert.match(page.body, /La publication sur Mastodon a échoué : HTTP 401: The access token is invalid/);
    assert.match(page.body, /Réessayer la publication sur Mastodon/);
    const list = await staff.get('/admin/actualites');
    assert.match(list.body, /Échec/);
    const job = await t.kernel.db.selectFrom('jobs').select(['status', 'attempts']).where('name', '=', 'news.mastodon').where('payload', 'like', `%${id}%`).executeTakeFirstOrThrow();
    assert.equal(job.status, 'done', 'a refused token is not retried blindly');

    mode.answer = 'ok';
    assert.equal((await staff.post(`/admin/actualites/${id}/mastodon`)).statusCode, 303);
    await t.kernel.jobs.runDue();
    a = (await findArticle(t.kernel.db, id))!;
    assert.match(String(a.mastodon_status_url), /^https:\/\/mastodon.example\/@reseau\/\d+$/);
    assert.equal(a.mastodon_error, null);
  });

  test('a server error is retried by the job with a backoff; an address outside the allowlist is refused', async () => {
    mode.answer = 'error';
    const res = await staff.post('/admin/actualites/nouveau', { title: 'Panne passagère', mastodon: '1', intent: 'publish' });
    const id = idFrom(res.headers.location);
    await t.kernel.jobs.runDue();
    assert.equal((await findArticle(t.kernel.db, id))!.mastodon_error, 'HTTP 503: Service unavailable');
    const job = await t.kernel.db.selectFrom('jobs').select(['status', 'attempts']).where('name', '=', 'news.mastodon').where('payload', 'like', `%${id}%`).executeTakeFirstOrThrow();
    assert.equal(job.status, 'queued', 'queued again for a later attempt');
    mode.answer = 'ok';
    offset += 60_000;
    await t.kernel.jobs.runDue();
    assert.ok((await findArticle(t.kernel.db, id))!.mastodon_status_url);

    // An instance on a private address that FETCH_ALLOWLIST does not name is never reached.
    assert.equal((await admin.post('/admin/actualites/mastodon', { instance_url: 'http://127.0.0.1:9', token: TOKEN })).statusCode, 303);
    const blocked = await staff.post('/admin/actualites/nouveau', { title: 'Adresse interdite', mastodon: '1', intent: 'publish' });
    await t.kernel.jobs.runDue();
    assert.match(String((await findArticle(t.kernel.db, idFrom(blocked.headers.location)))!.mastodon_error), /non-public address/);
  });

  test('the status keeps within 500 characters', () => {
    const text = statusText('x'.repeat(600), 'https://reseau.example/actualites/un-titre');
    assert.ok(text.length <= 500);
    assert.match(text, /…\n\nhttps:\/\/reseau.example\/actualites\/un-titre$/);
  });
});
