import type { Visibility } from '../../db/schema.js';
import { parseDirectoryQuery } from '../organisations/index.js';
import type { MembershipStatusFilter, MissingField, StaffFilter } from './repo.js';

/**
 * The back office list's query string: every directory parameter (q, famille, departement, theme,
 * pays, zone, odd, adherent, tri, page) plus the staff-only ones: visibilite, manque
 * (email|commune|coordonnees|themes), non_revue (1: not reviewed for 12 months), etiquette,
 * adhesion_annee with adhesion_statut (payee|attente|exoneree|aucune), and tri=revue.
 */
export const STAFF_PARAMS = ['visibilite', 'manque', 'non_revue', 'etiquette', 'adhesion_annee', 'adhesion_statut'] as const;

export const MISSING: Record<string, MissingField> = { email: 'email', commune: 'commune', coordonnees: 'coordinates', themes: 'themes' };
export const MEMBERSHIP_STATUS: Record<string, MembershipStatusFilter> = { payee: 'paid', attente: 'pending', exoneree: 'exempt', aucune: 'none' };
export const MEMBERSHIP_STATUSES = ['paid', 'pending', 'exempt'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

type Query = Record<string, string | string[] | undefined>;

export const STAFF_PAGE_SIZE = 50;

export interface ParsedStaffQuery {
  filter: StaffFilter;
  page: number;
  /** Every filter as a canonical query string (without page): links, saved filters, bulk actions. */
  canonical: string;
  /** The single values shown in the filter form. */
  shown: Record<string, string>;
}

function all(query: Query, name: string): string[] {
  const raw = query[name];
  return (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
}

export function parseStaffQuery(query: Query, now: Date, pageSize = STAFF_PAGE_SIZE): ParsedStaffQuery {
  const tri = all(query, 'tri')[0];
  const directory = parseDirectoryQuery(query, 'staff', pageSize);
  const visibility = [...new Set(all(query, 'visibilite').filter((v): v is Visibility => v === 'public' || v === 'members' || v === 'staff'))];
  const missingKeys = [...new Set(all(query, 'manque').filter((v) => v in MISSING))];
  const notReviewed = all(query, 'non_revue')[0] === '1';
  const yearAgo = new Date(now);
  yearAgo.setUTCFullYear(yearAgo.getUTCFullYear() - 1);
  const tag = all(query, 'etiquette')[0]?.slice(0, 60);
  const yearRaw = Number.parseInt(all(query, 'adhesion_annee')[0] ?? '', 10);
  const statusKey = all(query, 'adhesion_statut')[0] ?? '';
  const status = MEMBERSHIP_STATUS[statusKey];
  const year = Number.isInteger(yearRaw) && yearRaw >= 1900 && yearRaw <= 2200 ? yearRaw : status ? now.getUTCFullYear() : undefined;
  const filter: StaffFilter = {
    directory: directory.filter,
    tokens: directory.tokens,
    visibility,
    missing: missingKeys.map((k) => MISSING[k]!),
    reviewedBefore: notReviewed ? yearAgo.toISOString() : undefined,
    tag: tag || undefined,
    membership: status && year ? { year, status } : undefined,
    sort: tri === 'revue' ? 'reviewed' : directory.filter.sort,
  };
  // An unknown sort falls back to the default in the directory's canonical form: add ours.
  const params = new URLSearchParams(directory.canonical);
  if (tri === 'revue') params.append('tri', 'revue');
  for (const v of visibility) params.append('visibilite', v);
  for (const m of missingKeys) params.append('manque', m);
  if (notReviewed) params.append('non_revue', '1');
  if (filter.tag) params.append('etiquette', filter.tag);
  if (filter.membership) {
    params.append('adhesion_annee', String(filter.membership.year));
    params.append('adhesion_statut', statusKey);
  }
  const canonical = [...params.entries()].filter(([, v]) => v !== '').map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const first = (name: string) => all(query, name)[0] ?? '';
  const shown: Record<string, string> = {};
  for (const name of ['q', 'famille', 'departement', 'theme', 'pays', 'zone', 'odd', 'adherent', 'tri', 'visibilite', 'manque', 'non_revue', 'etiquette', 'adhesion_annee', 'adhesion_statut']) {
    shown[name] = first(name);
  }
  if (filter.membership) shown['adhesion_annee'] = String(filter.membership.year);
  return { filter, page: Math.floor(directory.filter.offset / pageSize) + 1, canonical, shown };
}

/** The query of a saved filter or a hidden form field back into a query object. */
export function queryFromString(text: string): Query {
  const out: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(text)) (out[k] ??= []).push(v);
  return out;
}
