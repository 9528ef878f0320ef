import type { Opml } from 'feedsmith';
import { lazyRequire } from '../../kernel/lazy-require.js';
import type { AuditActor } from '../../kernel/audit/index.js';
import { LOCALES, type Translate, translator } from '../../kernel/i18n/index.js';
import { foldText } from '../../kernel/search/normalise.js';
import { categoryLabelKey, WATCH_CATEGORIES, type WatchCategory } from './categories.js';
import type { WatchDeps } from './deps.js';
import { WatchFeedError } from './errors.js';
import { screenText } from './parse-feed.js';
import * as repo from './repo.js';
import { addSource } from './sources.js';

const feedsmith = lazyRequire<typeof import('feedsmith')>('feedsmith');

export const OPML_MAX_BYTES = 2 * 1024 * 1024;
const MAX_OUTLINES = 5000;

interface Outline {
  text?: string;
  title?: string;
  xmlUrl?: string;
  category?: string;
  outlines?: Outline[];
}

const fold = (text: string) => foldText(text).replace(/[^a-z0-9]+/g, ' ').trim();

let categoryNames: Map<string, WatchCategory> | null = null;

/** A category named by its code ("funding") or its label in either language ("Financements", "Funding"). */
export function categoryFromName(name: string): WatchCategory | null {
  if (!categoryNames) {
    categoryNames = new Map();
    for (const code of WATCH_CATEGORIES) {
      categoryNames.set(code, code);
      for (const locale of LOCALES) categoryNames.set(fold(translator(locale)(categoryLabelKey(code))), code);
    }
  }
  return categoryNames.get(fold(name)) ?? null;
}

function flatten(outlines: Outline[] | undefined, parentCategory: string | null, out: Array<{ url: string; name: string | null; category: string | null }>): void {
  for (const o of outlines ?? []) {
    if (out.length >= MAX_OUTLINES) return;
    // A category attribute or a parent folder named like a category (its label, « Financements », or its code, "funding").
    const own = (o.category ?? '').split(/[,/]/).map(categoryFromName).find((c) => c !== null) ?? null;
    const folder = !o.xmlUrl ? categoryFromName(o.text ?? '') : null;
    if (o.xmlUrl) out.push({ url: o.xmlUrl, name: o.title ?? o.text ?? null, category: own ?? parentCategory });
    flatten(o.outlines, folder ?? own ?? parentCategory, out);
  }
}

export interface OpmlImportResult {
  added: number;
  skipped: number;
  invalid: number;
}

/** Adds the feeds of an OPML document; already known or invalid addresses are counted, not added. */
export async function importOpml(deps: WatchDeps, actor: AuditActor, text: string): Promise<OpmlImportResult> {
  screenText(text);
  let doc;
  try {
    doc = feedsmith().parseOpml(text);
  } catch (error) {
    throw new WatchFeedError('malformed', {}, error instanceof Error ? error.message : String(error));
  }
  const entries: Array<{ url: string; name: string | null; category: string | null }> = [];
  flatten(doc.body?.outlines as Outline[] | undefined, null, entries);
  const result: OpmlImportResult = { added: 0, skipped: 0, invalid: 0 };
  for (const entry of entries) {
    const added = await addSource(deps, actor, { url: entry.url, name: entry.name, category: entry.category });
    if (added.ok) result.added++;
    else if (added.key === 'watch.form.error.duplicate') result.skipped++;
    else result.invalid++;
  }
  return result;
}

/**
 * Every source as OPML 2.0, grouped in folders named by the categories' labels (« Financements »;
 * each feed keeps the code in its `category` attribute); null when there is none (an OPML body
 * needs an outline).
 */
export async function exportOpml(deps: Pick<WatchDeps, 'db' | 'clock'>, title: string, t: Translate = translator('fr')): Promise<string | null> {
  const sources = await repo.listSources(deps.db);
  if (!sources.length) return null;
  const groups = new Map<string, repo.SourceRow[]>();
  for (const s of sources) groups.set(s.category ?? '', [...(groups.get(s.category ?? '') ?? []), s]);
  const outline = (s: repo.SourceRow): Opml.Outline<Date> => ({ text: s.name, title: s.name, type: 'rss', xmlUrl: s.url, ...(s.site_url ? { htmlUrl: s.site_url } : {}), ...(s.category ? { category: s.category } : {}) });
  const outlines: Opml.Outline<Date>[] = [...groups.entries()].flatMap(([category, list]) => (category ? [{ text: t(categoryLabelKey(category)), outlines: list.map(outline) }] : list.map(outline)));
  return feedsmith().generateOpml({ head: { title, dateCreated: deps.clock.now() }, body: { outlines } });
}
