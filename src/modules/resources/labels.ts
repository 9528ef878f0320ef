import { isId } from '../../kernel/ids.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { organisationsByIds, taxonomies } from '../organisations/index.js';
import type { ResourceFormLabels } from './form.js';
import * as repo from './repo.js';
import { RESOURCE_FILE_PURPOSE } from './types.js';

function one(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  return typeof v === 'string' ? v.trim() : '';
}

/** What a resource form needs to show its values: themes, the organisations named, the file carried. */
export async function formLabels(db: Kysely<Database>, values: Record<string, unknown>, ownOrganisationIds: string[] = []): Promise<ResourceFormLabels> {
  const organisation = one(values, 'organisation');
  const fileId = one(values, 'file');
  const [t, organisations, file] = await Promise.all([
    taxonomies(db),
    organisationsByIds(db, [...new Set([...ownOrganisationIds, ...(isId(organisation) ? [organisation] : [])])]),
    isId(fileId) ? repo.findFile(db, fileId) : Promise.resolve(undefined),
  ]);
  return {
    themes: t.themes,
    organisations: organisations.map((o) => ({ id: o.id, name: o.name, slug: o.slug })),
    file: file && file.purpose === RESOURCE_FILE_PURPOSE ? file : null,
  };
}
