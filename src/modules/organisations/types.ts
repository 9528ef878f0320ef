import type { Selectable } from 'kysely';
import type { OrganisationsTable, Role, Visibility } from '../../db/schema.js';

export type OrganisationRow = Selectable<OrganisationsTable>;

/** The many-valued fields of an organisation. */
export interface OrganisationLinks {
  themes: string[];
  countries: string[];
  zones: string[];
  sdgs: number[];
  colleges: string[];
}

export interface Organisation extends OrganisationRow, OrganisationLinks {}

export const EMPTY_LINKS: OrganisationLinks = { themes: [], countries: [], zones: [], sdgs: [], colleges: [] };

/** What a viewer may see: visitors public records, members also members-only ones, staff all. */
export function visibleLevels(role: Role | null): Visibility[] {
  if (role === 'staff' || role === 'admin') return ['public', 'members', 'staff'];
  if (role === 'member') return ['public', 'members'];
  return ['public'];
}

export type DirectorySort = 'relevance' | 'name' | 'updated';

export interface DirectoryFilter {
  q?: string;
  kinds: string[];
  departments: string[];
  themes: string[];
  countries: string[];
  zones: string[];
  sdgs: number[];
  member?: 'yes' | 'no';
  visibility: Visibility[];
  sort: DirectorySort;
  limit: number;
  offset: number;
}

export type FacetName = 'kind' | 'department' | 'theme' | 'country' | 'zone' | 'sdg' | 'member';
export type FacetCounts = Record<FacetName, { value: string; count: number }[]>;
