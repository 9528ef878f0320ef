import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { createKernel } from '../../src/kernel/create-kernel.js';
import { MULTIPART_FILE_LIMIT } from '../../src/kernel/http/plugin.js';
import type { Kernel } from '../../src/kernel/http/types.js';
import { Client, testConfig } from '../helpers/app.js';
import { type TestDb, forEachDialect, testDb } from '../helpers/db.js';

const SECRET_DETAIL = 'connexion refusée à base-secrete.interne:5432 (mot de passe hunter2)';
const ONE_MIB = 1024 * 1024;

/** The whole app plus a route that fails unexpectedly, registered before ready(); logs are kept. */
async function appWithFailingRoute(dialect: 'sqlite' | 'postgres') {
  const db = await testDb(dialect);
  const config = testConfig(db, '', { LOG_LEVEL: 'info' });
  const logLines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
  const kernel = createKernel(config, { dbHandle: db, logger });
  const app = await buildApp(config, { kernel });
  app.get('/boom', { config: { access: 'public' } }, async () => {
    throw new Error(SECRET_DETAIL);
  });
  await app.ready();
  return { app, kernel, db, config, logLines };
}

forEachDialect('error pages and health checks', (dialect) => {
  let app: FastifyInstance;
  let kernel: Kernel;
  let db: TestDb;
  let logLines: string[];
  let config: Config;

  before(async () => {
    ({ app, kernel, db, config, logLines } = await appWithFailingRoute(dialect));
  });
  after(async () => {
    await app.close();
    await kernel.mail.close();
    await db.close();
  });

  test('an unknown URL shows the French "page not found" page', async () => {
    const res = await new Client(app).get('/nulle-part/ici');
    assert.equal(res.statusCode, 404);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(res.body, /<html[^>]*lang="fr"/);
    assert.match(res.body, /<h1[^>]*>Page introuvable<\/h1>/);
    assert.match(res.body, /href="\/"/, 'a way back home');
  });

  test('an English-speaking visitor gets the "page not found" page in English', async () => {
    const res = await new Client(app).get('/nulle-part', { 'accept-language': 'en-GB,en;q=0.9' });
    assert.equal(res.statusCode, 404);
    assert.match(res.body, /Page not found/);
  });

  test('an unknown URL asked for as JSON gets a JSON 404 with a French message', async () => {
    const res = await new Client(app).get('/nulle-part', { accept: 'application/json' });
    assert.equal(res.statusCode, 404);
    assert.match(String(res.headers['content-type']), /application\/json/);
    assert.deepEqual(res.json(), { error: 'not_found', message: 'La page demandée n’existe pas ou a été déplacée.' });
  });

  test('an unknown API URL answers JSON whatever the Accept header', async () => {
    const res = await new Client(app).get('/api/v1/rien');
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error, 'not_found');
  });

  test('a form posted to an unknown URL gets the French "page not found" page', async () => {
    const res = await new Client(app).post('/nulle-part', { a: 'b' }, { csrf: false });
    assert.equal(res.statusCode, 404);
    assert.match(res.body, /Page introuvable/);
  });

  test('a URL that cannot be decoded gets the French "invalid request" page, not an English echo of it', async () => {
    const res = await new Client(app).get('/reinitialiser/%E0%A4%A');
    assert.equal(res.statusCode, 400);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(res.body, /<html[^>]*lang="fr"/);
    assert.match(res.body, /Demande invalide/);
    assert.ok(!res.body.includes('%E0%A4%A'), 'the URL is not echoed');
    assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'self'/);
  });

  test('a cut-short upload is refused as an invalid request, not as an unexpected error', async () => {
    const res = await new Client(app).request('POST', '/connexion', {
      payload:
        '--limite\r\nContent-Disposition: form-data; name="email"\r\n\r\na@example.org\r\n' +
        '--limite\r\nContent-Disposition: form-data; name="password"\r\n\r\nà moiti',
      headers: { 'content-type': 'multipart/form-data; boundary=limite' },
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Demande invalide/);
  });

  test('a file over the 20 MiB upload cap is refused with the French "too large" page and not kept on disk', async () => {
    const boundary = 'limite';
    const file = Buffer.alloc(MULTIPART_FILE_LIMIT + ONE_MIB, 0x41);
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="doc"; filename="gros.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await new Client(app).request('POST', '/connexion', {
      payload,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    assert.equal(res.statusCode, 413);
    assert.match(res.body, /Envoi trop volumineux/);
    const tmp = path.join(config.dataDir, 'tmp');
    assert.deepEqual(fs.existsSync(tmp) ? fs.readdirSync(tmp) : [], [], 'no file left in DATA_DIR/tmp');
  });

  test('a form body over 1 MiB is refused with the French "too large" page', async () => {
    const client = new Client(app);
    const res = await client.request('POST', '/connexion', {
      payload: `email=${'a'.repeat(ONE_MIB + 1024)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.statusCode, 413);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(res.body, /Envoi trop volumineux/);
  });

  test('a form body just under 1 MiB is read (and judged on its content)', async () => {
    const client = new Client(app);
    const token = await client.csrf();
    const res = await client.request('POST', '/connexion', {
      payload: `_csrf=${encodeURIComponent(token)}&email=${'a'.repeat(ONE_MIB - 4096)}&password=x`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Connexion/);
  });

  test('an unexpected error shows the French 500 page with a reference and no detail', async () => {
    const res = await new Client(app).get('/boom');
    assert.equal(res.statusCode, 500);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(res.body, /Erreur inattendue/);
    assert.match(res.body, /Référence :/);
    assert.match(res.body, /<code>[0-9a-f]{12}<\/code>/);
    assert.ok(!res.body.includes('base-secrete'), 'no error message in the page');
    assert.ok(!res.body.includes('hunter2'));
    assert.doesNotMatch(res.body, /\bat .+:\d+:\d+/, 'no stack trace');
    assert.doesNotMatch(res.body, /Error:/);
  });

  test('the reference on the 500 page finds the error, with its details, in the log', async () => {
    const res = await new Client(app).get('/boom');
    const reference = /<code>([0-9a-f]{12})<\/code>/.exec(res.body)?.[1];
    assert.ok(reference);
    const entry = logLines
      .map((line) => JSON.parse(line) as { level: number; reference?: string; err?: { message?: string; stack?: string } })
      .find((e) => e.reference === reference);
    assert.ok(entry, 'a log entry with the reference');
    assert.equal(entry.level, 50, 'logged as an error');
    assert.equal(entry.err?.message, SECRET_DETAIL);
    assert.match(entry.err?.stack ?? '', /errors\.test\.ts/);
  });

  test('an unexpected error asked for as JSON gets a JSON 500 with a reference and no detail', async () => {
    const res = await new Client(app).get('/boom', { accept: 'application/json' });
    assert.equal(res.statusCode, 500);
    const body = res.json() as { error: string; message: string; reference: string };
    assert.equal(body.error, 'internal');
    assert.match(body.reference, /^[0-9a-f]{12}$/);
    assert.ok(!res.body.includes('base-secrete'));
  });

  test('/healthz says the process is up, in JSON, never cached', async () => {
    const res = await new Client(app).get('/healthz');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  test('/readyz says the database answers and its migrations are current', async () => {
    const res = await new Client(app).get('/readyz');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok', database: 'ok', migrations: 'current' });
  });

  test('/readyz answers 503 while a migration is pending', async () => {
    const last = await kernel.db
      .selectFrom('kysely_migration' as never)
      .selectAll()
      .orderBy('name' as never, 'desc')
      .executeTakeFirstOrThrow();
    const row = last as { name: string; timestamp: string };
    await kernel.db.deleteFrom('kysely_migration' as never).where('name' as never, '=', row.name as never).execute();
    try {
      const res = await new Client(app).get('/readyz');
      assert.equal(res.statusCode, 503);
      assert.deepEqual(res.json().pendingMigrations, [row.name]);
    } finally {
      await kernel.db.insertInto('kysely_migration' as never).values(row as never).execute();
    }
  });
});
