import assert from 'node:assert/strict';
import { createActiveUser } from '../../../src/modules/accounts/index.js';
import type { RouteArea, Sample, Statuses } from './types.js';

const BOGUS_TOKEN = 'jeton-inconnu-0123456789abcdefghijklmnopqrstuvwxyz';
const NEW_PASSWORD = 'une phrase de passe toute neuve 2024';

const expected: Record<string, Statuses> = {
  // Public site
  'GET /assets/*': { visitor: 200, member: 200, staff: 200, admin: 200 },
  'GET /': { visitor: 200, member: 200, staff: 200, admin: 200 },
  'GET /mentions-legales': { visitor: 200, member: 200, staff: 200, admin: 200 },
  'GET /donnees-personnelles': { visitor: 200, member: 200, staff: 200, admin: 200 },
  'GET /accessibilite': { visitor: 200, member: 200, staff: 200, admin: 200 },
  'POST /langue': { visitor: 303, member: 303, staff: 303, admin: 303 },
  'GET /robots.txt': { visitor: 200, member: 200, staff: 200, admin: 200 },
  'GET /favicon.ico': { visitor: 301, member: 301, staff: 301, admin: 301 },
  'GET /sitemap.xml': { visitor: 200, member: 200, staff: 200, admin: 200 },
  'GET /recherche': { visitor: 200, member: 200, staff: 200, admin: 200 },
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
  // RGPD of one's own account: the download answers the file; the erasure without a password is refused (400).
  'POST /mon-espace/compte/donnees': { visitor: 403, member: 200, staff: 200, admin: 200 },
  'GET /mon-espace/compte/supprimer': { visitor: 302, member: 200, staff: 200, admin: 200 },
  'POST /mon-espace/compte/supprimer': { visitor: 403, member: 400, staff: 400, admin: 400 },
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
  // RGPD of an account from the back office: admins only (the document holds the journal, admin-only too).
  'POST /admin/comptes/:id/donnees': { visitor: 403, member: 403, staff: 403, admin: 200 },
  'GET /admin/comptes/:id/effacer': { visitor: 302, member: 403, staff: 403, admin: 200 },
  'POST /admin/comptes/:id/effacer': { visitor: 403, member: 403, staff: 403, admin: 303 },
  'GET /admin/journal': { visitor: 302, member: 403, staff: 403, admin: 200 },
  'GET /admin/parametres': { visitor: 302, member: 403, staff: 403, admin: 200 },
  'POST /admin/parametres': { visitor: 403, member: 403, staff: 403, admin: 400 },
  // Operations
  'GET /healthz': { visitor: 200, member: 200, staff: 200, admin: 200 },
  'GET /readyz': { visitor: 200, member: 200, staff: 200, admin: 200 },
};


/** How each route is exercised; routes not listed are requested as they are, with an empty form. */
function samplesFor(ids: { target: string; invitee: string; erasable: string }): Record<string, Sample> {
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
    'POST /admin/comptes/:id/donnees': { params: { id: ids.target } },
    // The admin's request erases an account of its own, kept out of the other samples.
    'GET /admin/comptes/:id/effacer': { params: { id: ids.erasable } },
    'POST /admin/comptes/:id/effacer': { params: { id: ids.erasable } },
  };
}


export const foundationRoutes: RouteArea = {
  expected,
  async samples(t) {
    const target = await createActiveUser(t.kernel, {
      email: 'cible@example.org',
      role: 'member',
      password: 'un secret bien gardé 2024 !',
      displayName: 'Cible',
    });
    const erasable = await createActiveUser(t.kernel, {
      email: 'a-effacer@example.org',
      role: 'member',
      password: 'un secret bien gardé 2024 !',
      displayName: 'À effacer',
    });
    const admin = await t.loginAs('admin');
    const invite = await admin.post('/admin/comptes/inviter', {
      email: 'invitee@example.org',
      display_name: 'Invitée',
      role: 'member',
    });
    assert.equal(invite.statusCode, 303, 'the invitation used as a sample was created');
    const invitee = String(invite.headers.location).split('/').pop() ?? '';
    return samplesFor({ target: target.id, invitee, erasable: erasable.id });
  },
};
