import type { Role } from '../../db/schema.js';
import { searchTokens } from '../../kernel/search/normalise.js';
import { pageNumber } from '../../kernel/ui/pager.js';
import { type DirectoryFilter, type DirectorySort, visibleLevels } from './types.js';

/**
 * The directory's filters as they appear in URLs (shared by /annuaire, /carte, exports, the API
 * and the back office): q, famille, departement, theme, pays, zone, odd (repeatable), adherent
 * (oui|non), tri (pertinence|nom|recent), page.
 */
export const DIRECTORY_PARAMS = ['q', 'famille', 'departement', 'theme', 'pays', 'zone', 'odd', 'adherent', 'tri', 'page'] as const;

export interface ParsedDirectoryQuery {
  filter: DirectoryFilter;
  tokens: string[];
  page: number;
  /** The filters as a canonical query string (without page), for links and saved filters. */
  canonical: string;
}

type Query = Record<string, string | string[] | undefined>;

function many(query: Query, name: string, pattern: RegExp, max = 50): string[] {
  const raw = query[name];
  const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).flatMap((v) => String(v).split(','));
  return [...new Set(values.map((v) => v.trim()).filter((v) => pattern.test(v)))].slice(0, max);
}

const SORTS: Record<string, DirectorySort> = { pertinence: 'relevance', nom: 'name', recent: 'updated' };

export function parseDirectoryQuery(query: Query, role: Role | null, pageSize = 20): ParsedDirectoryQuery {
  const first = (name: string) => {
    const v = query[name];
    return (Array.isArray(v) ? v[0] : v)?.toString().trim() ?? '';
  };
  const q = first('q').slice(0, 200);
  const member = first('adherent');
  const sort = SORTS[first('tri')] ?? (q ? 'relevance' : 'name');
  const page = pageNumber(first('page') || undefined);
  const filter: DirectoryFilter = {
    q: q || undefined,
    kinds: many(query, 'famille', /^[a-z_]{2,40}$/),
    departments: many(query, 'departement', /^(\d{2,3}|2[AB])$/),
    themes: many(query, 'theme', /^[a-z_]{2,40}$/),
    countries: many(query, 'pays', /^[A-Z]{2}$/),
    zones: many(query, 'zone', /^[a-z_]{2,40}$/),
    sdgs: many(query, 'odd', /^([1-9]|1[0-7])$/).map(Number),
    member: member === 'oui' ? 'yes' : member === 'non' ? 'no' : undefined,
    visibility: visibleLevels(role),
    sort,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  };
  return { filter, tokens: searchTokens(q), page, canonical: canonicalQuery(filter) };
}

export function canonicalQuery(f: DirectoryFilter, overrides: Partial<Record<(typeof DIRECTORY_PARAMS)[number], string[]>> = {}): string {
  const params = new URLSearchParams();
  const add = (name: (typeof DIRECTORY_PARAMS)[number], values: (string | number)[]) => {
    for (const v of overrides[name] ?? values.map(String)) params.append(name, v);
  };
  add('q', f.q ? [f.q] : []);
  add('famille', f.kinds);
  add('departement', f.departments);
  add('theme', f.themes);
  add('pays', f.countries);
  add('zone', f.zones);
  add('odd', f.sdgs);
  add('adherent', f.member ? [f.member === 'yes' ? 'oui' : 'non'] : []);
  const sortName = Object.entries(SORTS).find(([, s]) => s === f.sort)?.[0];
  add('tri', sortName && sortName !== (f.q ? 'pertinence' : 'nom') ? [sortName] : []);
  return params.toString();
}
