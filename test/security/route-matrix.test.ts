import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Role } from '../../src/db/schema.js';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { type Client, type TestApp, testApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/db.js';

type Who = Role | 'visitor';
type Statuses = Record<Who, number>;

const ROLES: Who[] = ['visitor', 'member', 'staff', 'admin'];

/**
 * HAND-WRITTEN: every registered route (HEAD excluded) and the status each role gets with the
 * request described in SAMPLES below. A new route must be added here by hand; the test fails on
 * a registered route missing from this table, and on a table entry no longer registered.
 * Visitors on protected GET routes are sent to the sign-in page (302); a wrong role gets 403.
 */
const EXPECTED: Record<string, Statuses> = {
  // Public site
  'GET /assets/*': { visitor: 200, member: 200, staff: 200, admin: 200 },
  'GET /': { visitor: 200, member: 200, staff: 200, admin: 200 },
  'GET /mentions-legales': { visitor: 200, member: 200, staff: 200, admin: 200 },
  'GET /donnees-personnelles': { visitor: 200, member: 200, staff: 200, admin: 200 },
  'GET /accessibilite': { visitor: 200, member: 200, staff: 200, admin: 200 },
  'POST /langue': { visitor: 303, member: 303, staff: 303, admin: 303 },
  'GET /robots.txt': { visitor: 200, member: 200, staff: 200, admin: 200 },
  // No logo uploaded yet.
  'GET /media/logo': { visitor: 404, member: 404, staff: 404, admin: 404 },
  // Accounts: sign-in, sign-out, forgotten password, links from mails
  'GET /connexion': { visitor: 200, member: 303, staff: 303, admin: 303 },
  'POST /connexion': { visitor: 400, member: 400, staff: 400, admin: 400 },
  'POST /deconnexion': { visitor: 303, member: 303, staff: 303, admin: 303 },
  'GET /mot-de-passe-oublie': { visitor: 200, member: 200, staff: 200, admin: 200 },
  'POST /mot-de-passe-oublie': { visitor: 400, member: 400, staff: 400, admin: 400 },
  'GET /reinitialiser/:token': { visitor: 410, member: 410, staff: 410, admin: 410 },
  'POST /reinitialiser/:token': { visitor: 410, member: 410, staff: 410, admin: 410 },
  'GET /invitation/:token': { visitor: 410, member: 410, staff: 410, admin: 410 },
  'POST /invitation/:token': { visitor: 410, member: 410, staff: 410, admin: 410 },
  'GET /confirmer-email/:token': { visitor: 410, member: 410, staff: 410, admin: 410 },
  'POST /confirmer-email/:token': { visitor: 410, member: 410, staff: 410, admin: 410 },
  // Member space (any signed-in account)
  'GET /mon-espace': { visitor: 302, member: 200, staff: 200, admin: 200 },
  'GET /mon-espace/compte': { visitor: 302, member: 200, staff: 200, admin: 200 },
  'POST /mon-espace/compte/mot-de-passe': { visitor: 403, member: 400, staff: 400, admin: 400 },
  'POST /mon-espace/compte/email': { visitor: 403, member: 400, staff: 400, admin: 400 },
  // Back office
  'GET /admin': { visitor: 302, member: 403, staff: 200, admin: 200 },
  'GET /admin/comptes': { visitor: 302, member: 403, staff: 200, admin: 200 },
  'GET /admin/comptes/inviter': { visitor: 302, member: 403, staff: 200, admin: 200 },
  'POST /admin/comptes/inviter': { visitor: 403, member: 403, staff: 400, admin: 400 },
  'GET /admin/comptes/:id': { visitor: 302, member: 403, staff: 200, admin: 200 },
  'POST /admin/comptes/:id/desactiver': { visitor: 403, member: 403, staff: 303, admin: 303 },
  'POST /admin/comptes/:id/reactiver': { visitor: 403, member: 403, staff: 303, admin: 303 },
  'POST /admin/comptes/:id/renvoyer-invitation': { visitor: 403, member: 403, staff: 303, admin: 303 },
  'POST /admin/comptes/:id/role': { visitor: 403, member: 403, staff: 403, admin: 303 },
  'GET /admin/journal': { visitor: 302, member: 403, staff: 403, admin: 200 },
  'GET /admin/parametres': { visitor: 302, member: 403, staff: 403, admin: 200 },
  'POST /admin/parametres': { visitor: 403, member: 403, staff: 403, admin: 400 },
  // Operations
  'GET /healthz': { visitor: 200, member: 200, staff: 200, admin: 200 },
  'GET /readyz': { visitor: 200, member: 200, staff: 200, admin: 200 },
};

const BOGUS_TOKEN = 'jeton-inconnu-0123456789abcdefghijklmnopqrstuvwxyz';
const NEW_PASSWORD = 'une phrase de passe toute neuve 2024';

interface Sample {
  /** Concrete values for the URL's parameters (`:id`, `:token`, `*`). */
  params?: Record<string, string>;
  /** The form posted (a CSRF token is always added); empty when absent. */
  body?: Record<string, string>;
  /** The request ends the session: each role uses a freshly signed-in client. */
  fresh?: boolean;
}

/** How each route is exercised; routes not listed are requested as they are, with an empty form. */
function samples(ids: { target: string; invitee: string }): Record<string, Sample> {
  return {
    'GET /assets/*': { params: { '*': 'site.css' } },
    'POST /langue': { body: { lang: 'fr', suite: '/' } },
    'POST /deconnexion': { fresh: true },
    'GET /reinitialiser/:token': { params: { token: BOGUS_TOKEN } },
    'POST /reinitialiser/:token': {
      params: { token: BOGUS_TOKEN },
      body: { password: NEW_PASSWORD, password_confirm: NEW_PASSWORD },
    },
    'GET /invitation/:token': { params: { token: BOGUS_TOKEN } },
    'POST /invitation/:token': {
      params: { token: BOGUS_TOKEN },
      body: { password: NEW_PASSWORD, password_confirm: NEW_PASSWORD },
    },
    'GET /confirmer-email/:token': { params: { token: BOGUS_TOKEN } },
    'POST /confirmer-email/:token': { params: { token: BOGUS_TOKEN } },
    'GET /admin/comptes/:id': { params: { id: ids.target } },
    // Deactivating and reactivating an account already in that state changes nothing: still 303.
    'POST /admin/comptes/:id/desactiver': { params: { id: ids.target } },
    'POST /admin/comptes/:id/reactiver': { params: { id: ids.target } },
    'POST /admin/comptes/:id/renvoyer-invitation': { params: { id: ids.invitee } },
    'POST /admin/comptes/:id/role': { params: { id: ids.target }, body: { role: 'member' } },
  };
}

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
    const target = await createActiveUser(t.kernel, {
      email: 'cible@example.org',
      role: 'member',
      password: 'un secret bien gardé 2024 !',
      displayName: 'Cible',
    });
    const invite = await clients.admin.post('/admin/comptes/inviter', {
      email: 'invitee@example.org',
      display_name: 'Invitée',
      role: 'member',
    });
    assert.equal(invite.statusCode, 303, 'the invitation used as a sample was created');
    const invitee = String(invite.headers.location).split('/').pop() ?? '';
    sampleOf = samples({ target: target.id, invitee });
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
