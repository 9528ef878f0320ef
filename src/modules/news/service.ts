import type { Kysely, Transaction } from 'kysely';
import type { Database, NewsStatus } from '../../db/schema.js';
import { type AuditActor, recordAudit } from '../../kernel/audit/index.js';
import type { Clock } from '../../kernel/clock.js';
import type { Dialect } from '../../kernel/db/create-db.js';
import { inTransaction } from '../../kernel/db/transaction.js';
import type { ImageDeps } from '../../kernel/files/images.js';
import { htmlToText } from '../../kernel/html.js';
import type { MessageKey, Params } from '../../kernel/i18n/index.js';
import { slugify } from '../../kernel/identifiers.js';
import { newId } from '../../kernel/ids.js';
import { type Jobs, queueingIn } from '../../kernel/jobs/index.js';
import { indexText } from '../../kernel/search/normalise.js';
import { markWatchItemPromoted } from '../watch/index.js';
import { resolveNewsImage } from './image.js';
import { scheduleMastodonPost } from './mastodon-job.js';
import { resolveAuthorOrganisation } from './organisation.js';
import * as repo from './repo.js';
import type { Article } from './types.js';
import { type NewsDraft, validateNews } from './validate.js';

export interface NewsDeps extends ImageDeps {
  db: Kysely<Database>;
  clock: Clock;
  dbHandle: { dialect: Dialect };
  jobs: Pick<Jobs, 'enqueue'>;
}

export type NewsProblems = Record<string, { key: MessageKey; params?: Params }>;

let themeCache: { at: number; codes: string[] } | null = null;

/** Theme codes change rarely (admins edit them): read at most once a minute per process. */
export async function themeCodes(db: Kysely<Database>): Promise<string[]> {
  if (themeCache && Date.now() - themeCache.at < 60_000) return themeCache.codes;
  themeCache = { at: Date.now(), codes: (await repo.themeOptions(db)).map((t) => t.code) };
  return themeCache.codes;
}

/**
 * Validates an article form: themes from the database, the author organisation resolved, a new
 * image stored at once (`raw` then carries it, so that a form refused for another field keeps it).
 * A slug used by another article is refused.
 */
export async function checkNews(deps: NewsDeps, raw: Record<string, unknown>, uploaderId: string | null, exceptId?: string): Promise<{ ok: true; draft: NewsDraft } | { ok: false; errors: NewsProblems }> {
  const [codes, organisation, image] = await Promise.all([themeCodes(deps.db), resolveAuthorOrganisation(deps, raw), resolveNewsImage(deps, raw, uploaderId)]);
  const checked = validateNews(raw, codes);
  const errors: NewsProblems = checked.ok ? {} : { ...checked.errors };
  if (!image.ok) errors[image.field] = { key: image.problem };
  if (!organisation.ok) errors['organisation_add'] = organisation.problem;
  if (checked.ok && checked.draft.slug && (await repo.slugTaken(deps.db, checked.draft.slug, exceptId))) errors['slug'] = { key: 'news.error.slugTaken' };
  if (!checked.ok || !image.ok || !organisation.ok || Object.keys(errors).length) return { ok: false, errors };
  const draft: NewsDraft = { ...checked.draft, organisation_id: organisation.id, image_alt: image.fileId === null ? null : checked.draft.image_alt };
  if (image.fileId !== undefined) draft.image_file_id = image.fileId;
  return { ok: true, draft };
}

async function uniqueSlug(db: Kysely<Database>, wanted: string, exceptId?: string): Promise<string> {
  const base = wanted.slice(0, 90).replace(/-+$/, '') || 'actualite';
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? base : `${base}-${i}`;
    if (!(await repo.slugTaken(db, candidate, exceptId))) return candidate;
  }
}

/** Normalised title, chapeau and text for searches (kernel/search). */
export function searchTextOf(d: Pick<NewsDraft, 'title' | 'summary' | 'body_html'>): string {
  return indexText(d.title, d.summary, d.body_html ? htmlToText(d.body_html) : null);
}

function contentColumns(d: NewsDraft) {
  return {
    title: d.title,
    summary: d.summary,
    body_html: d.body_html,
    organisation_id: d.organisation_id,
    mastodon_post: d.mastodon_post ? 1 : 0,
    source_url: d.source_url,
    search_text: searchTextOf(d),
  };
}

/** The fields the audit log compares. */
export function articleSnapshot(a: Article): Record<string, unknown> {
  const { search_text: _search, ...rest } = a;
  return rest;
}

export interface CreateOptions {
  status: NewsStatus;
  /** staff | member | watch | demo */
  source: string;
  authorUserId: string | null;
  /** Audit action (default `news.created`). */
  action?: string;
}

/**
 * `deps` inside the transaction `trx`: its writes, and each job it queues, exist if and only if the
 * transaction commits (on SQLite, a job queued on the outer connection would wait for it forever).
 */
function depsIn(deps: Pick<NewsDeps, 'clock' | 'jobs'>, trx: Transaction<Database>): { db: Transaction<Database>; clock: Clock; jobs: Pick<Jobs, 'enqueue'> } {
  return { db: trx, clock: deps.clock, jobs: queueingIn(deps.jobs, trx) };
}

/**
 * Creates an article (published now, or at its date when one is given); audit-logged; its Mastodon
 * post scheduled if asked. The row, its links, its log line and its job are one transaction (the
 * caller's when `deps.db` is one: an approved proposal): when any of it fails, nothing stays.
 */
export async function createArticle(deps: Pick<NewsDeps, 'db' | 'clock' | 'jobs'>, actor: AuditActor, draft: NewsDraft, options: CreateOptions): Promise<Article> {
  // Inside the transaction only `inside.db` may be used: SQLite has one connection.
  return inTransaction(deps.db, async (trx) => {
    const inside = depsIn(deps, trx);
    const now = inside.clock.now();
    const id = newId(now.getTime());
    const slug = await uniqueSlug(trx, draft.slug ?? slugify(draft.title));
    const publishedAt = options.status === 'draft' ? draft.published_at : (draft.published_at ?? now);
    await repo.insertArticle(
      trx,
      {
        id,
        slug,
        ...contentColumns(draft),
        image_file_id: draft.image_file_id ?? null,
        image_alt: draft.image_file_id ? draft.image_alt : null,
        status: options.status,
        published_at: publishedAt ? publishedAt.toISOString() : null,
        author_user_id: options.authorUserId,
        source: options.source,
        watch_item_id: draft.watch_item_id,
        created_by: actor.id,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      },
      { themes: draft.themes, countries: draft.countries },
    );
    const created = (await repo.findArticle(trx, id))!;
    await recordAudit(trx, actor, { action: options.action ?? 'news.created', entityType: 'news', entityId: id, after: articleSnapshot(created) }, now);
    // Made from a watch item: the item counts as kept, in this transaction (both or neither).
    if (draft.watch_item_id) await markWatchItemPromoted(trx, actor, draft.watch_item_id, { target: 'news', id }, now);
    await scheduleMastodonPost(inside, created);
    return created;
  });
}

/**
 * Rewrites an article's content; a new slug keeps the old one redirecting. Undefined when the
 * article is gone. One transaction (the caller's when `deps.db` is one): refused, the article stays
 * as it was, with no log line and no job.
 */
export async function updateArticle(deps: Pick<NewsDeps, 'db' | 'clock' | 'jobs'>, actor: AuditActor, id: string, draft: NewsDraft, action = 'news.updated'): Promise<Article | undefined> {
  return inTransaction(deps.db, async (trx) => {
    const inside = depsIn(deps, trx);
    const before = await repo.findArticle(trx, id);
    if (!before) return undefined;
    const now = inside.clock.now();
    const slug = draft.slug && draft.slug !== before.slug ? await uniqueSlug(trx, draft.slug, id) : before.slug;
    // A published article whose date was cleared keeps the one it had.
    const publishedAt = draft.published_at?.toISOString() ?? (before.status === 'draft' ? null : before.published_at);
    const image = draft.image_file_id === undefined ? {} : { image_file_id: draft.image_file_id, image_alt: draft.image_file_id ? draft.image_alt : null };
    await repo.updateArticle(
      trx,
      id,
      { ...contentColumns(draft), ...image, ...(draft.image_file_id === undefined && before.image_file_id ? { image_alt: draft.image_alt } : {}), slug, published_at: publishedAt, updated_at: now.toISOString() },
      { themes: draft.themes, countries: draft.countries },
    );
    const after = (await repo.findArticle(trx, id))!;
    await recordAudit(trx, actor, { action, entityType: 'news', entityId: id, before: articleSnapshot(before), after: articleSnapshot(after) }, now);
    await scheduleMastodonPost(inside, after);
    return after;
  });
}

/** The transitions staff make from the article's page. */
export const STATUS_ACTIONS = { publish: 'published', unpublish: 'draft', archive: 'archived' } as const satisfies Record<string, NewsStatus>;
export type StatusAction = keyof typeof STATUS_ACTIONS;

export function isStatusAction(value: unknown): value is StatusAction {
  return typeof value === 'string' && Object.hasOwn(STATUS_ACTIONS, value);
}

/**
 * Publishes (at the article's date, or now), takes back to draft, or archives; audit-logged.
 * Undefined when the article is gone. The status, its log line and the Mastodon job are one
 * transaction.
 */
export async function changeArticleStatus(deps: Pick<NewsDeps, 'db' | 'clock' | 'jobs'>, actor: AuditActor, id: string, action: StatusAction): Promise<Article | undefined> {
  return inTransaction(deps.db, async (trx) => {
    const inside = depsIn(deps, trx);
    const before = await repo.findArticle(trx, id);
    if (!before) return undefined;
    const status = STATUS_ACTIONS[action];
    if (before.status === status) return before;
    const now = inside.clock.now();
    const publishedAt = status === 'draft' ? before.published_at : (before.published_at ?? now.toISOString());
    await repo.setArticleFields(trx, id, { status, published_at: publishedAt, updated_at: now.toISOString() });
    const after = (await repo.findArticle(trx, id))!;
    await recordAudit(trx, actor, { action: `news.${action}`, entityType: 'news', entityId: id, before: { status: before.status, published_at: before.published_at }, after: { status, published_at: publishedAt } }, now);
    await scheduleMastodonPost(inside, after);
    return after;
  });
}

/** Deletes an article (its old slugs and links with it); audit-logged with what it was, in one transaction. */
export async function deleteArticle(deps: Pick<NewsDeps, 'db' | 'clock'>, actor: AuditActor, id: string): Promise<boolean> {
  return inTransaction(deps.db, async (trx) => {
    const before = await repo.findArticle(trx, id);
    if (!before) return false;
    await repo.deleteArticle(trx, id);
    await recordAudit(trx, actor, { action: 'news.deleted', entityType: 'news', entityId: id, before: articleSnapshot(before) }, deps.clock.now());
    return true;
  });
}
