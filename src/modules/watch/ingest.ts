import { newId } from '../../kernel/ids.js';
import { indexText } from '../../kernel/search/normalise.js';
import type { WatchDeps } from './deps.js';
import { linkKey, titleKey } from './links.js';
import type { ParsedItem } from './parse-feed.js';
import * as repo from './repo.js';
import { applyRules } from './rules.js';

export interface IngestCounts {
  new: number;
  updated: number;
  unchanged: number;
}

export interface IngestSource {
  id: string;
  category: string | null;
  themes: string[];
}

interface Keyed {
  item: ParsedItem;
  guid: string | null;
  link: string | null;
  title: string;
  publishedAt: string;
  dateMissing: boolean;
}

function contentOf(k: Keyed, at: string): repo.ItemContent {
  return {
    guid: k.guid,
    link_key: k.link,
    title_key: k.title,
    link: k.item.link,
    title: k.item.title,
    summary_html: k.item.summaryHtml,
    excerpt: k.item.excerpt,
    author: k.item.author,
    published_at: k.publishedAt,
    date_missing: k.dateMissing ? 1 : 0,
    content_hash: k.item.hash,
    search_text: indexText(k.item.title, k.item.excerpt, k.item.categories.join(' ')),
    updated_at: at,
  };
}

/** A GUID that names the article anywhere (an address, a `urn:` or `tag:` URI), not a number of one feed's own. */
function isGlobalGuid(guid: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\S/i.test(guid) && guid.length >= 12;
}

/** A link key of a site's home page (`host/`, no query): not an article's address. */
function isHomePage(key: string): boolean {
  return /^[^/]*\/$/.test(key);
}

/**
 * Stores the items read from a source. An item is the same as a stored one when it has its GUID,
 * else its normalised link, else its normalised title and day: a changed one is updated in place
 * (its triage and tags stay), a new one is inserted with the source's tags and the rules' effect,
 * unless another source already brought it (same URI GUID or same link): then it is counted as
 * unchanged, and the inbox lists it once.
 */
export async function ingestItems(deps: WatchDeps, source: IngestSource, items: ParsedItem[], fetchedAt: Date): Promise<IngestCounts> {
  const at = fetchedAt.toISOString();
  const keyed: Keyed[] = items.map((item) => {
    const publishedAt = (item.publishedAt ?? fetchedAt).toISOString();
    return { item, guid: item.guid, link: linkKey(item.link), title: titleKey(item.title, item.publishedAt ? publishedAt.slice(0, 10) : null), publishedAt, dateMissing: item.publishedAt === null };
  });
  const existing = await repo.itemCandidates(deps.db, source.id, {
    guids: [...new Set(keyed.map((k) => k.guid).filter((g): g is string => g !== null))],
    links: [...new Set(keyed.map((k) => k.link).filter((l): l is string => l !== null))],
    titles: [...new Set(keyed.map((k) => k.title))],
  });
  const byGuid = new Map<string, repo.ItemKeys>();
  const byLink = new Map<string, repo.ItemKeys>();
  const byTitle = new Map<string, repo.ItemKeys>();
  const remember = (row: repo.ItemKeys) => {
    if (row.guid && !byGuid.has(row.guid)) byGuid.set(row.guid, row);
    if (row.link_key && !byLink.has(row.link_key)) byLink.set(row.link_key, row);
    if (!byTitle.has(row.title_key)) byTitle.set(row.title_key, row);
  };
  existing.forEach(remember);

  // An article another source already brought (the same feed followed under two addresses, or an
  // article in two feeds) is not stored again: its GUID when it is an address or a URI, or its
  // normalised link (not a site's home page, which some feeds give every item), is enough.
  const unmatched = keyed.filter((k) => !(k.guid && byGuid.has(k.guid)) && !(k.link && byLink.has(k.link)));
  const elsewhere = await repo.keysElsewhere(deps.db, source.id, {
    guids: [...new Set(unmatched.map((k) => k.guid).filter((g): g is string => g !== null && isGlobalGuid(g)))],
    links: [...new Set(unmatched.map((k) => k.link).filter((l): l is string => l !== null && !isHomePage(l)))],
  });
  const seenElsewhere = (k: Keyed) => (k.guid !== null && elsewhere.guids.has(k.guid)) || (k.link !== null && elsewhere.links.has(k.link));

  const rules = await repo.listRules(deps.db);
  const counts: IngestCounts = { new: 0, updated: 0, unchanged: 0 };
  const inserts: repo.NewItem[] = [];
  const themes: Array<{ item_id: string; theme_code: string }> = [];
  const countries: Array<{ item_id: string; country_code: string }> = [];
  const touched = new Set<string>();

  for (const k of keyed) {
    // An item with a GUID matches only by GUID when the stored one has a GUID too (two language
    // versions may share a link); otherwise the link, then the title and day.
    const byG = k.guid ? byGuid.get(k.guid) : undefined;
    const byL = !byG && k.link ? byLink.get(k.link) : undefined;
    const linkMatch = byL && !(k.guid && byL.guid && byL.guid !== k.guid) ? byL : undefined;
    const byT = !byG && !linkMatch ? byTitle.get(k.title) : undefined;
    const titleMatch = byT && !(k.guid && byT.guid && byT.guid !== k.guid) ? byT : undefined;
    const match = byG ?? linkMatch ?? titleMatch;
    if (match) {
      if (touched.has(match.id)) continue; // the same item twice in one document
      touched.add(match.id);
      if (match.content_hash === k.item.hash) {
        counts.unchanged++;
        continue;
      }
      const content = contentOf(k, at);
      // A feed that stops giving a date keeps the date first recorded.
      if (k.dateMissing) {
        delete (content as Partial<repo.ItemContent>).published_at;
        delete (content as Partial<repo.ItemContent>).date_missing;
      }
      await repo.updateItemContent(deps.db, match.id, content);
      match.content_hash = k.item.hash;
      counts.updated++;
      continue;
    }
    if (seenElsewhere(k)) {
      counts.unchanged++;
      continue;
    }
    const id = newId(fetchedAt.getTime());
    const effect = applyRules(rules, `${k.item.title} ${k.item.excerpt} ${k.item.categories.join(' ')}`);
    inserts.push({
      id,
      source_id: source.id,
      ...contentOf(k, at),
      status: effect.keep ? 'kept' : 'new',
      category: effect.category ?? source.category,
      note: null,
      decided_by: null,
      decided_at: effect.keep ? at : null,
      first_seen_at: at,
    });
    for (const theme_code of new Set([...source.themes, ...effect.themes])) themes.push({ item_id: id, theme_code });
    for (const country_code of effect.countries) countries.push({ item_id: id, country_code });
    const row: repo.ItemKeys = { id, guid: k.guid, link_key: k.link, title_key: k.title, content_hash: k.item.hash };
    remember(row);
    touched.add(id);
    counts.new++;
  }
  await repo.insertItems(deps.db, inserts, themes, countries);
  return counts;
}
