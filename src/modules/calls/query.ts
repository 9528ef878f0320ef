import { searchTokens } from '../../kernel/search/normalise.js';
import { pageNumber } from '../../kernel/ui/pager.js';

/**
 * The list's filters as they appear in URLs (shared by /appels-a-projets, its archive, its feeds
 * and /appels-a-projets.ics): q, statut (en-cours | bientot | a-venir; none: every call not closed),
 * theme, acteur (kind of actor), pays, zone, region, departement — each list repeatable or
 * comma-separated — tri (cloture | recent) and page.
 */
export type StatusFilter = 'current' | 'open' | 'closing_soon' | 'upcoming';
export type CallSort = 'closing' | 'recent';

export const STATUS_PARAMS: Record<Exclude<StatusFilter, 'current'>, string> = { open: 'en-cours', closing_soon: 'bientot', upcoming: 'a-venir' };
const STATUS_OF: Record<string, StatusFilter> = { 'en-cours': 'open', bientot: 'closing_soon', 'a-venir': 'upcoming' };

export interface CallFilter {
  q: string;
  tokens: string[];
  status: StatusFilter;
  themes: string[];
  kinds: string[];
  countries: string[];
  zones: string[];
  regions: string[];
  departments: string[];
}

export interface ParsedCallQuery {
  filter: CallFilter;
  sort: CallSort;
  page: number;
  /** The filters and sort (no page), canonical: for links, the pager and the feeds. */
  canonical: string;
  /** The filters without the status (the archive, the status tabs). */
  withoutStatus: string;
}

type Query = Record<string, string | string[] | undefined>;

function many(query: Query, name: string, pattern: RegExp, max = 30): string[] {
  const raw = query[name];
  const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).flatMap((v) => String(v).split(','));
  return [...new Set(values.map((v) => v.trim()).filter((v) => pattern.test(v)))].slice(0, max);
}

function first(query: Query, name: string): string {
  const v = query[name];
  return (Array.isArray(v) ? v[0] : v)?.toString().trim() ?? '';
}

const CODE = /^[a-z_]{2,40}$/;

export function parseCallQuery(query: Query): ParsedCallQuery {
  const q = first(query, 'q').slice(0, 200);
  const filter: CallFilter = {
    q,
    tokens: [...new Set(searchTokens(q))].slice(0, 8),
    status: STATUS_OF[first(query, 'statut')] ?? 'current',
    themes: many(query, 'theme', CODE),
    kinds: many(query, 'acteur', CODE),
    countries: many(query, 'pays', /^[A-Z]{2}$/),
    zones: many(query, 'zone', CODE),
    regions: many(query, 'region', /^\d{2}$/),
    departments: many(query, 'departement', /^(\d{2,3}|2[AB])$/),
  };
  const sort: CallSort = first(query, 'tri') === 'recent' ? 'recent' : 'closing';
  const page = pageNumber(first(query, 'page') || undefined);
  return { filter, sort, page, canonical: canonicalQuery(filter, sort), withoutStatus: canonicalQuery({ ...filter, status: 'current' }, sort) };
}

/** The filters as a query string in a fixed order (empty when none). */
export function canonicalQuery(f: CallFilter, sort: CallSort = 'closing'): string {
  const params = new URLSearchParams();
  const add = (name: string, values: readonly string[]) => {
    for (const v of values) params.append(name, v);
  };
  add('q', f.q ? [f.q] : []);
  add('statut', f.status === 'current' ? [] : [STATUS_PARAMS[f.status]]);
  add('theme', f.themes);
  add('acteur', f.kinds);
  add('pays', f.countries);
  add('zone', f.zones);
  add('region', f.regions);
  add('departement', f.departments);
  add('tri', sort === 'recent' ? ['recent'] : []);
  return params.toString();
}

/** `path?query&extra` (extra values replace the query's). */
export function hrefWith(path: string, query: string, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams(query);
  for (const [k, v] of Object.entries(extra)) {
    params.delete(k);
    if (v) params.set(k, v);
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export function hasFilter(f: CallFilter): boolean {
  return Boolean(f.q || f.themes.length || f.kinds.length || f.countries.length || f.zones.length || f.regions.length || f.departments.length);
}
