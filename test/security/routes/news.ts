import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { storeImage } from '../../../src/kernel/files/images.js';
import { newId } from '../../../src/kernel/ids.js';
import { createArticle } from '../../../src/modules/news/index.js';
import type { RouteArea, Statuses } from './types.js';

const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000';
const ALL_OK: Statuses = { visitor: 200, member: 200, staff: 200, admin: 200 };
const PAGE: Statuses = { visitor: 302, member: 403, staff: 200, admin: 200 };
/** A POST with an empty or invalid form: the page comes back with its errors. */
const INVALID: Statuses = { visitor: 403, member: 403, staff: 400, admin: 400 };
const UNKNOWN: Statuses = { visitor: 403, member: 403, staff: 404, admin: 404 };
const MEMBER_PAGE: Statuses = { visitor: 302, member: 200, staff: 200, admin: 200 };
/** « nouvelle » for « nouveau »: the form's address, permanently. */
const GUESSED: Statuses = { visitor: 302, member: 403, staff: 301, admin: 301 };
const MEMBER_GUESSED: Statuses = { visitor: 302, member: 301, staff: 301, admin: 301 };
/** These accounts belong to no organisation: their proposal comes back asking for one. */
const MEMBER_INVALID: Statuses = { visitor: 403, member: 400, staff: 400, admin: 400 };
/** The sample id is no article of these accounts' organisations. */
const NOT_THEIRS_GET: Statuses = { visitor: 302, member: 403, staff: 403, admin: 403 };
const NOT_THEIRS_POST: Statuses = { visitor: 403, member: 403, staff: 403, admin: 403 };

const SEED_ACTOR = { id: null, email: 'seed@example.org' };

/** News and editable pages (news and pages modules; hand-written, see types.ts). */
export const newsRoutes: RouteArea = {
  expected: {
    'GET /actualites': ALL_OK,
    'GET /actualites/flux.rss': ALL_OK,
    'GET /actualites/flux.atom': ALL_OK,
    'GET /actualites/:slug': ALL_OK,
    // A published article's image: everyone (a draft's answers 404).
    'GET /media/actualites/:id/image': ALL_OK,
    // Any article image, live or in a draft or a proposal: staff only.
    'GET /media/news-images/:fileId': PAGE,
    'GET /admin/actualites': PAGE,
    'GET /admin/actualites/nouveau': PAGE,
    'GET /admin/actualites/nouvelle': GUESSED,
    'GET /admin/actualites/nouvel': GUESSED,
    'POST /admin/actualites/nouveau': INVALID,
    'GET /admin/actualites/:id': PAGE,
    'POST /admin/actualites/:id': INVALID,
    // No action given: refused.
    'POST /admin/actualites/:id/statut': INVALID,
    'POST /admin/actualites/:id/supprimer': UNKNOWN,
    // Nothing to post for the sample (it asks for no Mastodon post): back to the article.
    'POST /admin/actualites/:id/mastodon': { visitor: 403, member: 403, staff: 303, admin: 303 },
    // The Mastodon account is a setting: admins only.
    'GET /admin/actualites/mastodon': { visitor: 302, member: 403, staff: 403, admin: 200 },
    'POST /admin/actualites/mastodon': { visitor: 403, member: 403, staff: 403, admin: 400 },
    'GET /mon-espace/actualites': MEMBER_PAGE,
    'GET /mon-espace/actualites/nouveau': MEMBER_PAGE,
    'GET /mon-espace/actualites/nouvelle': MEMBER_GUESSED,
    'GET /mon-espace/actualites/nouvel': MEMBER_GUESSED,
    'POST /mon-espace/actualites/nouveau': MEMBER_INVALID,
    'GET /mon-espace/actualites/:id/modifier': NOT_THEIRS_GET,
    'POST /mon-espace/actualites/:id/modifier': NOT_THEIRS_POST,
    'GET /pages/:slug': ALL_OK,
    'GET /admin/pages': PAGE,
    'GET /admin/pages/nouveau': PAGE,
    'GET /admin/pages/nouvelle': GUESSED,
    'GET /admin/pages/nouvel': GUESSED,
    'POST /admin/pages/nouveau': INVALID,
    'GET /admin/pages/:id': PAGE,
    'POST /admin/pages/:id': INVALID,
    'POST /admin/pages/:id/supprimer': UNKNOWN,
  },
  async samples(t) {
    const tmpPath = path.join(t.config.dataDir, 'tmp', `upload-${newId()}`);
    fs.mkdirSync(path.dirname(tmpPath), { recursive: true });
    fs.writeFileSync(tmpPath, await sharp({ create: { width: 60, height: 40, channels: 3, background: '#1f6f8b' } }).png().toBuffer());
    const stored = await storeImage(t.kernel, { tmpPath, filename: 'image.png', declaredMime: 'image/png', size: fs.statSync(tmpPath).size, truncated: false }, { purpose: 'news-image', box: 1200, defaultName: 'image' }, null);
    assert.ok(stored.ok);
    const draft = { title: 'Article du réseau', slug: null, summary: 'Chapeau.', body_html: '<p>Texte.</p>', image_file_id: stored.fileId, image_alt: 'Une image', themes: [], countries: [], published_at: null, organisation_id: null, mastodon_post: false, source_url: null, watch_item_id: null };
    const article = await createArticle(t.kernel, SEED_ACTOR, draft, { status: 'published', source: 'staff', authorUserId: null });
    const at = new Date().toISOString();
    const pageId = newId();
    await t.kernel.db
      .insertInto('pages')
      .values({ id: pageId, slug: 'a-propos', title: 'À propos', body_html: '<p>Le réseau.</p>', status: 'published', menu: 'none', menu_order: 0, menu_label: null, search_text: 'propos reseau', created_by: null, created_at: at, updated_at: at })
      .execute();
    return {
      'GET /actualites/:slug': { params: { slug: article.slug } },
      'GET /media/actualites/:id/image': { params: { id: article.id } },
      'GET /media/news-images/:fileId': { params: { fileId: stored.fileId } },
      'GET /admin/actualites/:id': { params: { id: article.id } },
      'POST /admin/actualites/:id': { params: { id: article.id } },
      'POST /admin/actualites/:id/statut': { params: { id: article.id } },
      'POST /admin/actualites/:id/supprimer': { params: { id: UNKNOWN_ID } },
      'POST /admin/actualites/:id/mastodon': { params: { id: article.id } },
      'GET /mon-espace/actualites/:id/modifier': { params: { id: article.id } },
      'POST /mon-espace/actualites/:id/modifier': { params: { id: article.id } },
      'GET /pages/:slug': { params: { slug: 'a-propos' } },
      'GET /admin/pages/:id': { params: { id: pageId } },
      'POST /admin/pages/:id': { params: { id: pageId } },
      'POST /admin/pages/:id/supprimer': { params: { id: UNKNOWN_ID } },
    };
  },
};
