import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/db.js';
import { AREAS } from './routes/index.js';
import type { Sample, Statuses, Who } from './routes/types.js';

const ROLES: Who[] = ['visitor', 'member', 'staff', 'admin'];

/** The hand-written table (test/security/routes/*.ts), every area merged; a key in two areas is an error. */
function expectedTable(): Record<string, Statuses> {
  const table: Record<string, Statuses> = {};
  for (const area of AREAS) {
    for (const [key, statuses] of Object.entries(area.expected)) {
      if (key in table) throw new Error(`${key} is listed in two route areas`);
      table[key] = statuses;
    }
  }
  return table;
}

const EXPECTED = expectedTable();

function concreteUrl(url: string, params: Record<string, string> = {}): string {
  return url
    .replace(/:(\w+)/g, (_, name: string) => {
      const value = params[name];
      if (value === undefined) throw new Error(`No sample value for :${name} in ${url}`);
      return encodeURIComponent(value);
    })
    .replace('*', () => params['*'] ?? '');
}

forEachDialect('every route × every role', (dialect) => {
  let t: TestApp;
  let clients: Record<Who, Client>;
  let sampleOf: Record<string, Sample>;

  before(async () => {
    t = await testApp(dialect);
    clients = {
      visitor: await t.loginAs('visitor'),
      member: await t.loginAs('member'),
      staff: await t.loginAs('staff'),
      admin: await t.loginAs('admin'),
    };
    sampleOf = {};
    for (const area of AREAS) Object.assign(sampleOf, (await area.samples?.(t)) ?? {});
  });
  after(() => t.close());

  test('the hand-written table lists exactly the registered routes', () => {
    const registered = t.app.registeredRoutes.map((r) => `${r.method} ${r.url}`);
    const missing = registered.filter((key) => !(key in EXPECTED));
    const stale = Object.keys(EXPECTED).filter((key) => !registered.includes(key));
    assert.deepEqual(missing, [], 'registered routes missing from EXPECTED');
    assert.deepEqual(stale, [], 'routes in EXPECTED that are no longer registered');
    assert.equal(new Set(registered).size, registered.length, 'no route registered twice');
  });

  test('every route answers every role with the status of the table', async () => {
    const mismatches: string[] = [];
    for (const route of t.app.registeredRoutes) {
      const key = `${route.method} ${route.url}`;
      const expected = EXPECTED[key];
      if (!expected) continue; // reported by the previous test
      const sample = sampleOf[key] ?? {};
      const url = concreteUrl(route.url, sample.params);
      for (const role of ROLES) {
        const client = sample.fresh ? await t.loginAs(role) : clients[role];
        const res =
          route.method === 'GET' ? await client.get(url) : await client.request(route.method, url, await formOf(client, sample));
        if (res.statusCode !== expected[role]) {
          mismatches.push(`${key} as ${role}: expected ${expected[role]}, got ${res.statusCode}`);
        }
      }
    }
    assert.deepEqual(mismatches, []);
  });

  test('a visitor sent to sign in comes back to the page asked for', async () => {
    const res = await t.client().get('/admin/comptes?role=member');
    assert.equal(res.statusCode, 302);
    assert.equal(res.headers.location, `/connexion?suite=${encodeURIComponent('/admin/comptes?role=member')}`);
  });

  test('a refused role gets the French "access denied" page', async () => {
    const res = await clients.member.get('/admin');
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /Accès refusé/);
    assert.match(String(res.headers['content-type']), /text\/html/);
  });
});

async function formOf(client: Client, sample: Sample) {
  const body = new URLSearchParams(sample.body ?? {});
  body.set('_csrf', await client.csrf());
  return { payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
}
