import { isCountryCode } from '../../kernel/geo/countries.js';
import { searchTokens } from '../../kernel/search/normalise.js';
import { pageNumber } from '../../kernel/ui/pager.js';
import { isResourceKind } from './kinds.js';

/** The public list's filters, all in the query string. */
export interface PublicValues {
  q: string;
  kind: string;
  theme: string;
  country: string;
  year: string;
  /** An organisation's slug. */
  organisation: string;
}

export interface ParsedPublicQuery {
  values: PublicValues;
  tokens: string[];
  page: number;
  /** The filters as a canonical query string, without the page. */
  query: string;
}

/** Search words used at most (a query is never unbounded). */
const MAX_TOKENS = 8;

function one(raw: Record<string, unknown>, name: string, max: number): string {
  const v = raw[name];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s.trim().slice(0, max) : '';
}

export function parsePublicQuery(raw: Record<string, unknown>): ParsedPublicQuery {
  const kind = one(raw, 'kind', 40);
  const country = one(raw, 'country', 2).toUpperCase();
  const year = one(raw, 'year', 4);
  const values: PublicValues = {
    q: one(raw, 'q', 200),
    kind: isResourceKind(kind) ? kind : '',
    theme: /^[a-z0-9_-]{1,60}$/.test(one(raw, 'theme', 60)) ? one(raw, 'theme', 60) : '',
    country: isCountryCode(country) ? country : '',
    year: /^\d{4}$/.test(year) ? year : '',
    organisation: /^[a-z0-9-]{1,100}$/.test(one(raw, 'organisation', 100)) ? one(raw, 'organisation', 100) : '',
  };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value);
  return {
    values,
    tokens: [...new Set(searchTokens(values.q))].slice(0, MAX_TOKENS),
    page: pageNumber(one(raw, 'page', 6) || undefined),
    query: params.toString(),
  };
}
