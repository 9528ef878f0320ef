import { searchTokens } from '../../kernel/search/normalise.js';
import { pageNumber } from '../../kernel/ui/pager.js';

/**
 * The agenda's filters as they appear in URLs (shared by /agenda, /agenda/archives, /agenda.ics and
 * the widget): q, type, theme, pays, zone, departement, organisateur (organisation slug) — each
 * repeatable or comma-separated — format (en-ligne | sur-place), vue (liste | mois | carte),
 * mois (YYYY-MM), page.
 */
export const AGENDA_FILTER_PARAMS = ['q', 'type', 'theme', 'pays', 'zone', 'departement', 'organisateur', 'format'] as const;

export type AgendaView = 'list' | 'month' | 'map';
export type AgendaFormat = 'online' | 'physical';

export interface AgendaFilter {
  q?: string;
  types: string[];
  themes: string[];
  countries: string[];
  zones: string[];
  departments: string[];
  /** Organisation slugs. */
  organisers: string[];
  format?: AgendaFormat;
}

export interface ParsedAgendaQuery {
  filter: AgendaFilter;
  tokens: string[];
  view: AgendaView;
  /** `YYYY-MM` asked for by the month view, when valid. */
  month?: string;
  page: number;
  /** The filters alone (no view, month or page), canonical: for links, feeds and the widget. */
  canonical: string;
}

type Query = Record<string, string | string[] | undefined>;

const VIEWS: Record<string, AgendaView> = { liste: 'list', mois: 'month', carte: 'map' };
export const VIEW_PARAMS: Record<AgendaView, string> = { list: 'liste', month: 'mois', map: 'carte' };
const FORMATS: Record<string, AgendaFormat> = { 'en-ligne': 'online', 'sur-place': 'physical' };
const FORMAT_PARAMS: Record<AgendaFormat, string> = { online: 'en-ligne', physical: 'sur-place' };

function many(query: Query, name: string, pattern: RegExp, max = 50): string[] {
  const raw = query[name];
  const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).flatMap((v) => String(v).split(','));
  return [...new Set(values.map((v) => v.trim()).filter((v) => pattern.test(v)))].slice(0, max);
}

function first(query: Query, name: string): string {
  const v = query[name];
  return (Array.isArray(v) ? v[0] : v)?.toString().trim() ?? '';
}

export function parseAgendaQuery(query: Query): ParsedAgendaQuery {
  const q = first(query, 'q').slice(0, 200);
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(first(query, 'mois'));
  const year = month ? Number(month[1]) : 0;
  const filter: AgendaFilter = {
    q: q || undefined,
    types: many(query, 'type', /^[a-z_]{2,40}$/),
    themes: many(query, 'theme', /^[a-z_]{2,40}$/),
    countries: many(query, 'pays', /^[A-Z]{2}$/),
    zones: many(query, 'zone', /^[a-z_]{2,40}$/),
    departments: many(query, 'departement', /^(\d{2,3}|2[AB])$/),
    organisers: many(query, 'organisateur', /^[a-z0-9][a-z0-9-]{0,120}$/, 20),
    format: FORMATS[first(query, 'format')],
  };
  return {
    filter,
    tokens: searchTokens(q).slice(0, 12),
    view: VIEWS[first(query, 'vue')] ?? 'list',
    month: month && year >= 1900 && year <= 2200 ? month[0] : undefined,
    page: pageNumber(first(query, 'page') || undefined),
    canonical: canonicalFilter(filter),
  };
}

/** The filters as a query string in a fixed order (empty when none). */
export function canonicalFilter(f: AgendaFilter): string {
  const params = new URLSearchParams();
  const add = (name: string, values: string[]) => {
    for (const v of values) params.append(name, v);
  };
  add('q', f.q ? [f.q] : []);
  add('type', f.types);
  add('theme', f.themes);
  add('pays', f.countries);
  add('zone', f.zones);
  add('departement', f.departments);
  add('organisateur', f.organisers);
  add('format', f.format ? [FORMAT_PARAMS[f.format]] : []);
  return params.toString();
}

/** `path?filters&extra` with the filters first (links between views keep the filters). */
export function agendaHref(path: string, canonical: string, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams(canonical);
  for (const [k, v] of Object.entries(extra)) if (v) params.set(k, v);
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export function hasFilter(f: AgendaFilter): boolean {
  return Boolean(
    f.q || f.types.length || f.themes.length || f.countries.length || f.zones.length || f.departments.length || f.organisers.length || f.format,
  );
}
