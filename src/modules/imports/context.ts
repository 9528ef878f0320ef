import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { taxonomies, taxonomyCodes } from '../organisations/index.js';
import { RecordBuilder } from './records.js';
import type { MappingDocument } from './types.js';
import { Vocabulary } from './vocabulary.js';

export type OrganisationLabels = Awaited<ReturnType<typeof taxonomies>>;
/** The codes of each taxonomy, as the organisations validator takes them. */
export type Taxonomies = ReturnType<typeof taxonomyCodes>;

/** What turning rows into records needs, loaded once per import. */
export interface ImportContext {
  labels: OrganisationLabels;
  codes: Taxonomies;
  vocabulary: Vocabulary;
}

export async function loadContext(db: Kysely<Database>): Promise<ImportContext> {
  const labels = await taxonomies(db);
  return { labels, codes: taxonomyCodes(labels), vocabulary: new Vocabulary(labels) };
}

export function recordBuilder(context: ImportContext, mapping: MappingDocument, headers: string[], now: Date): RecordBuilder {
  return new RecordBuilder(mapping, headers, context.vocabulary, context.codes, now.getUTCFullYear());
}
