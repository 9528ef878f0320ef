import type { RouteArea } from './types.js';

const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000';
const SOURCE_ID = '01900000-0000-7000-8000-0000000000a1';
const ITEM_ID = '01900000-0000-7000-8000-0000000000a2';
const staffOnly = (ok: number) => ({ visitor: 403, member: 403, staff: ok, admin: ok });
const staffPage = { visitor: 302, member: 403, staff: 200, admin: 200 };

/** The watch (watch module; hand-written, see types.ts). */
export const watchRoutes: RouteArea = {
  expected: {
    'GET /veille': { visitor: 200, member: 200, staff: 200, admin: 200 },
    'GET /veille/flux.rss': { visitor: 200, member: 200, staff: 200, admin: 200 },
    'GET /veille/flux.atom': { visitor: 200, member: 200, staff: 200, admin: 200 },
    'GET /admin/veille': staffPage,
    // Keep / ignore a sample item: back to the inbox.
    'POST /admin/veille/elements/:id/garder': staffOnly(303),
    'POST /admin/veille/elements/:id/ignorer': staffOnly(303),
    'GET /admin/veille/elements/:id': staffPage,
    // An empty form: re-shown with its errors.
    'POST /admin/veille/elements/:id': staffOnly(400),
    // Promoting to a call for projects: the calls module's prefilled form.
    'POST /admin/veille/elements/:id/promouvoir/:target': staffOnly(303),
    'GET /admin/veille/sources': staffPage,
    'POST /admin/veille/sources': staffOnly(400),
    'GET /admin/veille/sources/opml': staffPage,
    'POST /admin/veille/sources/opml': staffOnly(400),
    'GET /admin/veille/sources/:id': staffPage,
    'POST /admin/veille/sources/:id': staffOnly(400),
    'POST /admin/veille/sources/:id/supprimer': staffOnly(404),
    // The sample source points at a private address: the read is refused and recorded.
    'POST /admin/veille/sources/:id/actualiser': staffOnly(303),
    'GET /admin/veille/regles': staffPage,
    'POST /admin/veille/regles': staffOnly(400),
    'POST /admin/veille/regles/:id/supprimer': staffOnly(404),
  },
  async samples(t) {
    const at = new Date().toISOString();
    await t.kernel.db
      .insertInto('watch_sources')
      .values({ id: SOURCE_ID, url: 'http://127.0.0.1:9/veille.xml', name: 'Source privée', category: null, site_url: null, etag: null, last_modified: null, last_fetched_at: null, last_success_at: null, last_error: null, next_fetch_at: null, created_by: null, created_at: at, updated_at: at })
      .execute();
    await t.kernel.db
      .insertInto('watch_items')
      .values({ id: ITEM_ID, source_id: SOURCE_ID, guid: 'g', link_key: null, title_key: 'x|', link: null, title: 'Élément', summary_html: null, excerpt: '', author: null, published_at: at, date_missing: 0, content_hash: 'h', status: 'new', category: null, note: null, decided_by: null, decided_at: null, search_text: 'element', first_seen_at: at, updated_at: at })
      .execute();
    return {
      'POST /admin/veille/elements/:id/garder': { params: { id: ITEM_ID } },
      'POST /admin/veille/elements/:id/ignorer': { params: { id: ITEM_ID } },
      'GET /admin/veille/elements/:id': { params: { id: ITEM_ID } },
      'POST /admin/veille/elements/:id': { params: { id: ITEM_ID } },
      'POST /admin/veille/elements/:id/promouvoir/:target': { params: { id: ITEM_ID, target: 'call' } },
      'GET /admin/veille/sources/:id': { params: { id: SOURCE_ID } },
      'POST /admin/veille/sources/:id': { params: { id: SOURCE_ID } },
      'POST /admin/veille/sources/:id/supprimer': { params: { id: UNKNOWN_ID } },
      'POST /admin/veille/sources/:id/actualiser': { params: { id: SOURCE_ID } },
      'POST /admin/veille/regles/:id/supprimer': { params: { id: UNKNOWN_ID } },
    };
  },
};
