import type { Translate } from '../../kernel/i18n/index.js';
import { formatMonth } from '../../kernel/time/date-only.js';
import { parisToday } from '../calls/index.js';
import { type BulletinBlock, type BulletinType, defaultTitleKey, DEFAULTS, newBlockKey } from './block-shapes.js';
import { resolveBlocks } from './resolve.js';
import { type ContentEnv, dayStart, newsCandidates } from './sources.js';

// The monthly bulletin: the standard blocks for the coming month, resolved from the site's content.

/** Articles of the last month the template picks for the news block (the network's own). */
const TEMPLATE_NEWS = 8;

/** `YYYY-MM` of the month after today's (Europe/Paris). */
export function comingMonth(now: Date): string {
  const [y, m] = parisToday(now).split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The months a bulletin may be made for: this one and the next two. */
export function monthChoices(now: Date): string[] {
  const [y, m] = parisToday(now).split('-').map(Number) as [number, number];
  return [0, 1, 2].map((add) => {
    const index = m - 1 + add;
    return `${y + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  });
}

/** « mars 2027 ». */
export function monthName(month: string): string {
  return formatMonth(month, 'fr');
}

/** The same day one month earlier (clamped to the month's length), `YYYY-MM-DD`. */
export function oneMonthBefore(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const year = m === 1 ? y - 1 : y;
  const month = m === 1 ? 12 : m - 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** A new block of a type with its default parameters (not resolved yet). */
export function newBlock(type: BulletinType, t: Translate, today: string): BulletinBlock {
  const base = { key: newBlockKey(), title: t(defaultTitleKey(type)) };
  const since = oneMonthBefore(today);
  const unresolved = { items: [], resolvedAt: null };
  switch (type) {
    case 'editorial':
      return { type, ...base, html: '' };
    case 'news':
      return { type, ...base, ids: [], ...unresolved };
    case 'member_news':
      return { type, ...base, since, limit: DEFAULTS.limit, ...unresolved };
    case 'events':
      return { type, ...base, weeks: DEFAULTS.weeks, limit: DEFAULTS.eventsLimit, ...unresolved };
    case 'calls':
      return { type, ...base, mode: 'both', days: DEFAULTS.days, since, limit: DEFAULTS.limit + 3, ...unresolved };
    case 'watch':
      return { type, ...base, mode: 'latest', ids: [], limit: DEFAULTS.limit, ...unresolved };
    case 'resources':
      return { type, ...base, since, limit: DEFAULTS.limit, ...unresolved };
  }
}

/** The order of the monthly bulletin's blocks. */
export const MONTHLY_ORDER: readonly BulletinType[] = ['editorial', 'news', 'events', 'calls', 'watch', 'resources', 'member_news'];

/**
 * The monthly bulletin's blocks: an editorial to write, the network's news of the last month
 * (chosen, each can be unticked), the events of the coming weeks, the calls closing soon or new,
 * the latest kept watch items, the new resources and the members' news of the last month.
 */
export async function monthlyBlocks(env: ContentEnv, t: Translate): Promise<BulletinBlock[]> {
  const today = parisToday(env.now);
  const blocks = MONTHLY_ORDER.map((type) => newBlock(type, t, today));
  const news = blocks.find((b) => b.type === 'news');
  if (news?.type === 'news') {
    const candidates = await newsCandidates(env, dayStart(oneMonthBefore(today)), TEMPLATE_NEWS * 3);
    news.ids = candidates
      .filter((c) => c.organisationName === null)
      .slice(0, TEMPLATE_NEWS)
      .map((c) => c.id);
  }
  return (await resolveBlocks(env, blocks)).blocks as BulletinBlock[];
}
