import type { RouteArea } from './types.js';

const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000';
const LIST_ID = '01900000-0000-7000-8000-00000000ae01';
const SUBSCRIBER_ID = '01900000-0000-7000-8000-00000000ae02';
const DRAFT_ID = '01900000-0000-7000-8000-00000000ae03';
const SENT_ID = '01900000-0000-7000-8000-00000000ae04';
const RECIPIENT_ID = '01900000-0000-7000-8000-00000000ae05';
const TOKEN = 'jeton-matrice-des-routes-0123456789';
const UNKNOWN_TOKEN = 'jeton-inconnu-jeton-inconnu-0000';
const TRACK_TOKEN = 'jeton-de-mesure-matrice-0123';
const everyone = (status: number) => ({ visitor: status, member: status, staff: status, admin: status });
const staffPage = { visitor: 302, member: 403, staff: 200, admin: 200 };
const staffPost = (status: number) => ({ visitor: 403, member: 403, staff: status, admin: status });

/** The newsletter (newsletter module; hand-written, see types.ts). */
export const newsletterRoutes: RouteArea = {
  expected: {
    'GET /lettre': everyone(200),
    // An empty form comes back with its errors.
    'POST /lettre': everyone(400),
    // Confirmation links: an unknown token.
    'GET /lettre/confirmer/:token': everyone(404),
    'POST /lettre/confirmer/:token': everyone(404),
    'GET /lettre/:slug': everyone(200),
    // The person's token: preferences (an empty form unticks every list), unsubscribe from everything.
    'GET /preferences/:token': everyone(200),
    'POST /preferences/:token': everyone(303),
    'POST /preferences/:token/tout': everyone(200),
    'GET /desinscription/:token': everyone(200),
    // RFC 8058 one-click: no CSRF token needed (csrf.test.ts lists it).
    'POST /desinscription/:token': everyone(200),
    // « Mon espace » › Mes lettres: the signed-in person's own address (an empty form records nothing;
    // « Ne plus rien recevoir » suppresses the role's own address).
    'GET /mon-espace/lettres': { visitor: 302, member: 200, staff: 200, admin: 200 },
    'POST /mon-espace/lettres': { visitor: 403, member: 303, staff: 303, admin: 303 },
    'POST /mon-espace/lettres/tout': { visitor: 403, member: 303, staff: 303, admin: 303 },
    // Bounces: a wrong token.
    'POST /api/v1/bounces/:token': everyone(404),
    // Tracking of a tracked mailing (a recipient's token): the open pixel, and a click redirected to the stored link.
    'GET /lettre/o/:token.gif': everyone(200),
    'GET /lettre/c/:token/:index': everyone(303),
    // Back office: mailings.
    'GET /admin/lettres': staffPage,
    'GET /admin/lettres/nouvelle': staffPage,
    // « nouveau » for « nouvelle »: the form's address, permanently.
    'GET /admin/lettres/nouveau': { visitor: 302, member: 403, staff: 301, admin: 301 },
    'GET /admin/lettres/nouvel': { visitor: 302, member: 403, staff: 301, admin: 301 },
    'POST /admin/lettres/nouvelle': staffPost(400),
    'GET /admin/lettres/:id': staffPage,
    'POST /admin/lettres/:id': staffPost(400),
    'GET /admin/lettres/:id/apercu': staffPage,
    'GET /admin/lettres/:id/destinataires': staffPage,
    'POST /admin/lettres/:id/test': staffPost(400),
    'POST /admin/lettres/:id/envoyer': staffPost(400),
    // A draft cannot be unscheduled, paused, resumed or cancelled: back to its page with the reason.
    'POST /admin/lettres/:id/deprogrammer': staffPost(303),
    'POST /admin/lettres/:id/pause': staffPost(303),
    'POST /admin/lettres/:id/reprendre': staffPost(303),
    'POST /admin/lettres/:id/annuler': staffPost(303),
    'GET /admin/lettres/:id/progression': staffPage,
    'POST /admin/lettres/:id/supprimer': staffPost(404),
    // Lists.
    'GET /admin/lettres/listes': staffPage,
    'POST /admin/lettres/listes': staffPost(400),
    'GET /admin/lettres/listes/:id': staffPage,
    'POST /admin/lettres/listes/:id': staffPost(400),
    'POST /admin/lettres/listes/:id/supprimer': staffPost(404),
    // Subscribers, RGPD.
    'GET /admin/lettres/abonnes': staffPage,
    'GET /admin/lettres/abonnes/:id': staffPage,
    'POST /admin/lettres/abonnes/:id/abonnement': staffPost(400),
    'POST /admin/lettres/abonnes/:id/export': staffPost(200),
    'POST /admin/lettres/abonnes/:id/effacer': staffPost(404),
    // Import: no file.
    'GET /admin/lettres/import': staffPage,
    'POST /admin/lettres/import': staffPost(400),
    // Sending settings and the bounce token: admins only.
    'GET /admin/lettres/reglages': { visitor: 302, member: 403, staff: 403, admin: 200 },
    'POST /admin/lettres/reglages': { visitor: 403, member: 403, staff: 403, admin: 400 },
    'POST /admin/lettres/reglages/jeton': { visitor: 403, member: 403, staff: 403, admin: 303 },
  },
  async samples(t) {
    const at = new Date().toISOString();
    await t.kernel.db.insertInto('newsletter_lists').values({ id: LIST_ID, name: 'Lettre de la matrice', description: '', is_public: 1, double_opt_in: 1, is_default: 0, created_by: null, created_at: at, updated_at: at }).execute();
    await t.kernel.db.insertInto('newsletter_subscribers').values({ id: SUBSCRIBER_ID, email: 'matrice@example.org', email_lower: 'matrice@example.org', name: null, organisation: null, contact_id: null, token: TOKEN, created_at: at, updated_at: at }).execute();
    await t.kernel.db.insertInto('newsletter_subscriptions').values({ subscriber_id: SUBSCRIBER_ID, list_id: LIST_ID, status: 'confirmed', created_at: at, updated_at: at }).execute();
    const blocks = JSON.stringify([{ type: 'text', html: '<p>Bonjour</p>' }]);
    await t.kernel.db
      .insertInto('newsletter_mailings')
      .values([
        { id: DRAFT_ID, slug: 'brouillon-matrice-ae03', subject: 'Brouillon', from_name: 'Réseau', reply_to: null, blocks, segment_id: null, status: 'draft', created_by: null, created_at: at, updated_at: at },
        { id: SENT_ID, slug: 'lettre-matrice-ae04', subject: 'Lettre envoyée', from_name: 'Réseau', reply_to: null, blocks, segment_id: null, status: 'sent', finished_at: at, created_by: null, created_at: at, updated_at: at },
      ])
      .execute();
    await t.kernel.db.insertInto('newsletter_mailing_lists').values([{ mailing_id: DRAFT_ID, list_id: LIST_ID }, { mailing_id: SENT_ID, list_id: LIST_ID }]).execute();
    await t.kernel.db.updateTable('newsletter_mailings').set({ tracking: 1 }).where('id', '=', SENT_ID).execute();
    await t.kernel.db.insertInto('newsletter_recipients').values({ id: RECIPIENT_ID, mailing_id: SENT_ID, subscriber_id: SUBSCRIBER_ID, email: 'matrice@example.org', name: null, via: 'list', status: 'sent', sent_at: at, track_token: TRACK_TOKEN }).execute();
    await t.kernel.db.insertInto('newsletter_mailing_links').values({ mailing_id: SENT_ID, position: 0, url: 'https://example.org/matrice' }).execute();
    const draft = { params: { id: DRAFT_ID } };
    return {
      'GET /lettre/confirmer/:token': { params: { token: UNKNOWN_TOKEN } },
      'POST /lettre/confirmer/:token': { params: { token: UNKNOWN_TOKEN } },
      'GET /lettre/:slug': { params: { slug: 'lettre-matrice-ae04' } },
      'GET /preferences/:token': { params: { token: TOKEN } },
      'POST /preferences/:token': { params: { token: TOKEN } },
      'POST /preferences/:token/tout': { params: { token: TOKEN } },
      'GET /desinscription/:token': { params: { token: TOKEN } },
      'POST /desinscription/:token': { params: { token: TOKEN } },
      'POST /api/v1/bounces/:token': { params: { token: UNKNOWN_TOKEN } },
      'GET /lettre/o/:token.gif': { params: { token: TRACK_TOKEN } },
      'GET /lettre/c/:token/:index': { params: { token: TRACK_TOKEN, index: '0' } },
      'GET /admin/lettres/:id': draft,
      'POST /admin/lettres/:id': draft,
      'GET /admin/lettres/:id/apercu': draft,
      'GET /admin/lettres/:id/destinataires': draft,
      'POST /admin/lettres/:id/test': draft,
      'POST /admin/lettres/:id/envoyer': draft,
      'POST /admin/lettres/:id/deprogrammer': draft,
      'POST /admin/lettres/:id/pause': draft,
      'POST /admin/lettres/:id/reprendre': draft,
      'POST /admin/lettres/:id/annuler': draft,
      'GET /admin/lettres/:id/progression': draft,
      'POST /admin/lettres/:id/supprimer': { params: { id: UNKNOWN_ID } },
      'GET /admin/lettres/listes/:id': { params: { id: LIST_ID } },
      'POST /admin/lettres/listes/:id': { params: { id: LIST_ID } },
      'POST /admin/lettres/listes/:id/supprimer': { params: { id: UNKNOWN_ID } },
      'GET /admin/lettres/abonnes/:id': { params: { id: SUBSCRIBER_ID } },
      'POST /admin/lettres/abonnes/:id/abonnement': { params: { id: SUBSCRIBER_ID } },
      'POST /admin/lettres/abonnes/:id/export': { params: { id: SUBSCRIBER_ID } },
      'POST /admin/lettres/abonnes/:id/effacer': { params: { id: UNKNOWN_ID } },
    };
  },
};
