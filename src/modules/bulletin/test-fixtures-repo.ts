// Test data only (not used by the app): the site's content written straight into its tables, so
// that the bulletin's tests (integration and browser) can check what each block picks.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { newId } from '../../kernel/ids.js';

type Db = Kysely<Database>;

const slug = (title: string) =>
  `${title
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)}-${newId().slice(-6)}`;

const now = () => new Date().toISOString();

export async function addFixtureOrganisation(db: Db, name: string): Promise<string> {
  const id = newId();
  await db
    .insertInto('organisations')
    .values({ id, slug: slug(name), name, kind_code: 'other', visibility: 'public', is_member: 1, source: 'staff', search_text: name.toLowerCase(), sort_name: name.toLowerCase(), created_at: now(), updated_at: now() })
    .execute();
  return id;
}

export async function addFixtureArticle(db: Db, a: { title: string; publishedAt: string | null; status?: 'draft' | 'published' | 'archived'; organisationId?: string; summary?: string }): Promise<{ id: string; slug: string }> {
  const row = { id: newId(), slug: slug(a.title) };
  await db
    .insertInto('news_articles')
    .values({
      ...row,
      title: a.title,
      summary: a.summary ?? null,
      body_html: '<p>Texte</p>',
      image_file_id: null,
      image_alt: null,
      status: a.status ?? 'published',
      published_at: a.publishedAt,
      organisation_id: a.organisationId ?? null,
      author_user_id: null,
      source: a.organisationId ? 'member' : 'staff',
      watch_item_id: null,
      source_url: null,
      mastodon_post: 0,
      mastodon_status_url: null,
      mastodon_posted_at: null,
      mastodon_error: null,
      search_text: a.title.toLowerCase(),
      created_by: null,
      created_at: now(),
      updated_at: now(),
    })
    .execute();
  return row;
}

export async function setFixtureArticleStatus(db: Db, id: string, status: 'draft' | 'published' | 'archived'): Promise<void> {
  await db.updateTable('news_articles').set({ status }).where('id', '=', id).execute();
}

export async function addFixtureEvent(db: Db, e: { title: string; startsAt: string; endsAt: string; status?: 'draft' | 'published' | 'cancelled' | 'postponed'; venue?: string }): Promise<{ id: string; slug: string }> {
  const row = { id: newId(), slug: slug(e.title) };
  await db
    .insertInto('events')
    .values({
      ...row,
      title: e.title,
      summary: null,
      description_html: null,
      type_code: 'network_meeting',
      status: e.status ?? 'published',
      starts_at: e.startsAt,
      ends_at: e.endsAt,
      all_day: 0,
      time_zone: 'Europe/Paris',
      venue: e.venue ?? null,
      address: null,
      postcode: null,
      commune_code: null,
      department_code: null,
      latitude: null,
      longitude: null,
      online_url: null,
      online_url_private: 0,
      image_file_id: null,
      image_alt: null,
      audience: null,
      price_note: null,
      series_id: null,
      registration_open: 0,
      registration_deadline: null,
      capacity: null,
      waitlist_enabled: 1,
      account_required: 0,
      questions: '[]',
      source: 'staff',
      feed_id: null,
      feed_uid: null,
      search_text: e.title.toLowerCase(),
      created_by: null,
      created_at: now(),
      updated_at: now(),
      published_at: now(),
    })
    .execute();
  return row;
}

/** A call; `closesOn` is YYYY-MM-DD (Europe/Paris), closing at the end of that day. */
export async function addFixtureCall(db: Db, c: { title: string; closesOn: string; closesTime?: string; publishedAt: string; status?: 'draft' | 'published'; funder?: string }): Promise<{ id: string; slug: string }> {
  const row = { id: newId(), slug: slug(c.title) };
  await db
    .insertInto('calls')
    .values({
      ...row,
      title: c.title,
      funder: c.funder ?? 'Région',
      funder_organisation_id: null,
      summary: null,
      description_html: null,
      opens_on: null,
      closes_on: c.closesOn,
      closes_time: c.closesTime ?? null,
      opens_at: null,
      closes_at: `${c.closesOn}T22:00:00.000Z`,
      amount_min_cents: null,
      amount_max_cents: null,
      cofinancing_rate: null,
      link_url: null,
      status: c.status ?? 'published',
      watch_item_id: null,
      created_by: null,
      created_at: c.publishedAt,
      updated_at: c.publishedAt,
      published_at: c.status === 'draft' ? null : c.publishedAt,
    })
    .execute();
  return row;
}

export async function addFixtureResource(db: Db, r: { title: string; publishedAt: string; status?: 'draft' | 'published' }): Promise<{ id: string; slug: string }> {
  const row = { id: newId(), slug: slug(r.title) };
  await db
    .insertInto('resources')
    .values({ ...row, title: r.title, kind: 'guide', summary: `Résumé de ${r.title}`, authors: null, organisation_id: null, year: null, language: 'fr', file_id: null, external_url: 'https://example.org/doc.pdf', status: r.status ?? 'published', published_at: r.status === 'draft' ? null : r.publishedAt, created_by: null, created_at: r.publishedAt, updated_at: r.publishedAt })
    .execute();
  return row;
}

/** A watch source, then items in it with their status (new, kept, ignored). */
export async function addFixtureWatchItems(db: Db, items: { title: string; status: 'new' | 'kept' | 'ignored'; publishedAt: string; link?: string }[]): Promise<string[]> {
  const sourceId = newId();
  await db
    .insertInto('watch_sources')
    .values({ id: sourceId, url: `https://veille.example.org/${sourceId}.xml`, name: 'Coopération Info', category: null, site_url: null, etag: null, last_modified: null, last_fetched_at: null, last_success_at: null, last_error: null, next_fetch_at: null, created_by: null, created_at: now(), updated_at: now() })
    .execute();
  const ids: string[] = [];
  for (const item of items) {
    const id = newId();
    ids.push(id);
    await db
      .insertInto('watch_items')
      .values({ id, source_id: sourceId, guid: id, link_key: null, title_key: `${item.title.toLowerCase()}|${id}`, link: item.link ?? `https://example.org/veille/${id}`, title: item.title, summary_html: null, excerpt: `Extrait : ${item.title}`, author: null, published_at: item.publishedAt, date_missing: 0, content_hash: id, status: item.status, category: null, note: null, decided_by: null, decided_at: null, search_text: item.title.toLowerCase(), first_seen_at: now(), updated_at: now() })
      .execute();
  }
  return ids;
}

export async function setFixtureWatchStatus(db: Db, id: string, status: 'new' | 'kept' | 'ignored'): Promise<void> {
  await db.updateTable('watch_items').set({ status }).where('id', '=', id).execute();
}
