import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Dialect } from '../../kernel/db/create-db.js';
import { excerptOf } from '../../kernel/html.js';
import { dateTimeFormat, type Translate, translator } from '../../kernel/i18n/index.js';
import { withClockWords } from '../../kernel/time/clock-words.js';
import { formatDay } from '../../kernel/time/date-only.js';
import { parseLocalDateTime } from '../../kernel/time/zoned.js';
import { parseAgendaQuery, upcomingEvents } from '../agenda/index.js';
import { callsPublishedBetween, closingSoonCalls, parisToday } from '../calls/index.js';
import { eventPlace, eventWhen } from '../events/index.js';
import { articleHref, findArticle, isListed, latestNews } from '../news/index.js';
import { kindLabelKey, latestResources } from '../resources/index.js';
import { findWatchItem, searchArchive } from '../watch/index.js';
import type { BulletinItem, CallsMode } from './block-shapes.js';

// What the bulletin reads of the site's content, through each module's public surface, as items.
// Only what visitors may see is returned: published news and resources, published events to come,
// published calls still open, kept watch items.

export interface ContentEnv {
  db: Kysely<Database>;
  dialect: Dialect;
  now: Date;
}

const SUMMARY_MAX = 280;
const fr: Translate = translator('fr');

function day(iso: string): string {
  return dateTimeFormat('fr', { dateStyle: 'long' }).format(new Date(iso));
}

function summary(text: string | null | undefined): string | null {
  const clean = (text ?? '').trim();
  return clean ? excerptOf(clean, SUMMARY_MAX) : null;
}

/** The first instant of a Paris day, as ISO (undefined when the day is not a date). */
export function dayStart(date: string): string | undefined {
  return parseLocalDateTime(date, '00:00')?.toISOString();
}

/** A watch item's original when it is an http(s) address; the public watch page otherwise. */
function webLink(link: string | null): string {
  return link && /^https?:\/\//i.test(link) ? link : '/veille';
}

// ---------- News ----------

/** The chosen articles still listed, in the chosen order; `missing` counts the others. */
export async function newsByIds(env: ContentEnv, ids: string[]): Promise<{ items: BulletinItem[]; missing: number }> {
  const items: BulletinItem[] = [];
  for (const id of ids) {
    const article = await findArticle(env.db, id);
    if (!article || !isListed(article, env.now) || !article.published_at) continue;
    items.push({ id: article.id, title: article.title, href: articleHref(article.slug), meta: [day(article.published_at)], summary: summary(article.summary), tag: null });
  }
  return { items, missing: ids.length - items.length };
}

export interface NewsCandidate {
  id: string;
  title: string;
  publishedAt: string;
  organisationName: string | null;
}

/** Listed articles published since `sinceIso`, newest first, that an editor may pick. */
export async function newsCandidates(env: ContentEnv, sinceIso: string | undefined, limit: number): Promise<NewsCandidate[]> {
  const latest = await latestNews(env.db, { since: sinceIso, limit, now: env.now });
  return latest.map((a) => ({ id: a.id, title: a.title, publishedAt: a.publishedAt, organisationName: a.organisationName }));
}

/** Members' news published since the day, newest first. */
export async function memberNews(env: ContentEnv, since: string, limit: number): Promise<BulletinItem[]> {
  const rows = await latestNews(env.db, { since: dayStart(since), limit, membersOnly: true, now: env.now });
  return rows.map((a) => ({ id: a.id, title: a.title, href: a.path, meta: [a.organisationName, day(a.publishedAt)].filter((m): m is string => Boolean(m)), summary: summary(a.summary), tag: null }));
}

// ---------- Events ----------

const EVENTS_SCANNED = 100;

/** Published events starting within the coming weeks (or under way), soonest first. */
export async function eventsAhead(env: ContentEnv, weeks: number, limit: number): Promise<BulletinItem[]> {
  const until = env.now.getTime() + weeks * 7 * 86_400_000;
  const { rows } = await upcomingEvents({ db: env.db }, parseAgendaQuery({}), env.now, EVENTS_SCANNED);
  return rows
    .filter((e) => e.status === 'published' && new Date(e.starts_at).getTime() < until)
    .slice(0, limit)
    .map((e) => ({
      id: e.id,
      title: e.title,
      href: `/agenda/${encodeURIComponent(e.slug)}`,
      meta: [eventWhen(e, 'fr'), eventPlace(e) ?? (e.online_url ? fr('bulletin.item.online') : null)].filter((m): m is string => Boolean(m)),
      summary: summary(e.summary),
      tag: null,
    }));
}

// ---------- Calls ----------

/** Calls closing within `days` and/or first published since `since`, still open, by closing date. */
export async function callsFor(env: ContentEnv, p: { mode: CallsMode; days: number; since: string; limit: number }): Promise<BulletinItem[]> {
  const today = parisToday(env.now);
  const closing = p.mode === 'new' ? [] : await closingSoonCalls(env.db, today, p.days, p.limit);
  const sinceIso = dayStart(p.since);
  const fresh = p.mode === 'closing' || !sinceIso ? [] : (await callsPublishedBetween(env.db, sinceIso, env.now.toISOString())).filter((c) => c.closesOn >= today);
  const freshIds = new Set(fresh.map((c) => c.id));
  const byId = new Map([...closing, ...fresh].map((c) => [c.id, c]));
  return [...byId.values()]
    .sort((a, b) => a.closesOn.localeCompare(b.closesOn) || a.title.localeCompare(b.title, 'fr'))
    .slice(0, p.limit)
    .map((c) => ({
      id: c.id,
      title: c.title,
      href: c.path,
      meta: [c.closesTime ? fr('bulletin.item.deadlineTime', { date: formatDay(c.closesOn, 'fr'), time: withClockWords(c.closesTime, 'fr') }) : fr('bulletin.item.deadline', { date: formatDay(c.closesOn, 'fr') }), c.funder].filter(Boolean),
      summary: null,
      tag: freshIds.has(c.id) ? fr('bulletin.item.new') : null,
    }));
}

// ---------- Watch ----------

interface WatchLike {
  id: string;
  title: string;
  link: string | null;
  excerpt: string;
  published_at: string;
  source_name: string;
}

function watchItem(w: WatchLike): BulletinItem {
  return { id: w.id, title: w.title, href: webLink(w.link), meta: [w.source_name, day(w.published_at)].filter(Boolean), summary: summary(w.excerpt), tag: null };
}

/** The chosen items still kept, in the chosen order; `missing` counts the others. */
export async function watchByIds(env: ContentEnv, ids: string[]): Promise<{ items: BulletinItem[]; missing: number }> {
  const items: BulletinItem[] = [];
  for (const id of ids) {
    const item = await findWatchItem(env.db, id);
    if (item && item.status === 'kept') items.push(watchItem(item));
  }
  return { items, missing: ids.length - items.length };
}

/** The latest kept items, newest first. */
export async function latestWatch(env: ContentEnv, limit: number): Promise<BulletinItem[]> {
  const page = await searchArchive(env.db, env.dialect, { tokens: [] }, 0, limit, false);
  return page.items.map(watchItem);
}

// ---------- Resources ----------

/** Published resources since the day, newest first. */
export async function resourcesSince(env: ContentEnv, since: string, limit: number): Promise<BulletinItem[]> {
  const rows = await latestResources(env.db, { since: dayStart(since), limit });
  return rows.map((r) => ({ id: r.id, title: r.title, href: r.path, meta: [fr(kindLabelKey(r.kind)), day(r.date)], summary: summary(r.summary), tag: null }));
}
