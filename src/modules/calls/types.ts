import type { Selectable } from 'kysely';
import type { CallDocumentsTable, CallsTable } from '../../db/schema.js';

export type CallRow = Selectable<CallsTable>;
export type CallDocumentRow = Selectable<CallDocumentsTable>;

/** Publication of a call (what is stored); its open/closed status is computed (status.ts). */
export type CallPublication = 'draft' | 'published';

/** The codes a call is linked to (link tables: the newsletter matches them). */
export interface CallLinks {
  kinds: string[];
  themes: string[];
  countries: string[];
  zones: string[];
  regions: string[];
  departments: string[];
}

export const EMPTY_LINKS: CallLinks = { kinds: [], themes: [], countries: [], zones: [], regions: [], departments: [] };

/** A document attached to a call, with its stored file. */
export interface CallDocument {
  id: string;
  title: string;
  file_id: string;
  original_name: string;
  mime: string;
  size: number;
}

/** A call with its links and documents. */
export interface Call extends CallRow, CallLinks {
  documents: CallDocument[];
}

/** A validated call, ready to be written. */
export interface CallDraft {
  title: string;
  funder: string;
  funder_organisation_id: string | null;
  summary: string | null;
  description_html: string | null;
  opens_on: string | null;
  closes_on: string;
  closes_time: string | null;
  amount_min_cents: number | null;
  amount_max_cents: number | null;
  cofinancing_rate: number | null;
  link_url: string | null;
  watch_item_id: string | null;
  links: CallLinks;
}

/** Public address of a call. */
export function callPath(slug: string): string {
  return `/appels-a-projets/${encodeURIComponent(slug)}`;
}

/** Public address of an attached document (the call must be published, or the reader staff). */
export function documentPath(documentId: string): string {
  return `/appels-a-projets/documents/${documentId}`;
}
