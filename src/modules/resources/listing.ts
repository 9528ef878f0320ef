import { organisationsByIds } from '../organisations/index.js';
import type { ParsedPublicQuery } from './query.js';
import * as repo from './repo.js';
import type { ResourcesDeps } from './service.js';
import type { Resource, ResourceFile } from './types.js';

/** The organisation a public page names: only organisations shown publicly in the directory. */
export interface PublicOrganisation {
  id: string;
  name: string;
  slug: string;
}

/** A resource as public pages show it. */
export interface ResourceCard {
  resource: Resource;
  file: ResourceFile | null;
  organisation: PublicOrganisation | null;
}

export async function publicOrganisations(deps: Pick<ResourcesDeps, 'db'>, ids: string[]): Promise<Map<string, PublicOrganisation>> {
  const rows = await organisationsByIds(deps.db, [...new Set(ids)]);
  return new Map(rows.filter((o) => o.visibility === 'public').map((o) => [o.id, { id: o.id, name: o.name, slug: o.slug }]));
}

/** Resources with their file and their (public) organisation. */
export async function cardsOf(deps: Pick<ResourcesDeps, 'db'>, resources: Resource[]): Promise<ResourceCard[]> {
  const [files, organisations] = await Promise.all([
    repo.filesByIds(
      deps.db,
      resources.map((r) => r.file_id).filter((id): id is string => Boolean(id)),
    ),
    publicOrganisations(
      deps,
      resources.map((r) => r.organisation_id).filter((id): id is string => Boolean(id)),
    ),
  ]);
  return resources.map((resource) => ({
    resource,
    file: resource.file_id ? (files.get(resource.file_id) ?? null) : null,
    organisation: resource.organisation_id ? (organisations.get(resource.organisation_id) ?? null) : null,
  }));
}

export interface PublicListing {
  cards: ResourceCard[];
  total: number;
  /** Filter choices: organisations and years of the published resources. */
  organisations: PublicOrganisation[];
  years: number[];
}

/** One page of published resources matching the public filters (text search includes the PDFs' words). */
export async function publicListing(deps: Pick<ResourcesDeps, 'db' | 'dbHandle'>, parsed: ParsedPublicQuery, pageSize: number): Promise<PublicListing> {
  const [organisationIds, years] = await Promise.all([repo.publishedOrganisationIds(deps.db), repo.publishedYears(deps.db)]);
  const organisations = [...(await publicOrganisations(deps, organisationIds)).values()].sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  const { values } = parsed;
  const organisation = values.organisation ? organisations.find((o) => o.slug === values.organisation) : undefined;
  if (values.organisation && !organisation) return { cards: [], total: 0, organisations, years };
  const { rows, total } = await repo.searchResources(
    deps.db,
    deps.dbHandle.dialect,
    {
      tokens: parsed.tokens,
      statuses: ['published'],
      kind: values.kind || undefined,
      theme: values.theme || undefined,
      country: values.country || undefined,
      year: values.year ? Number(values.year) : undefined,
      organisationId: organisation?.id,
    },
    { offset: (parsed.page - 1) * pageSize, limit: pageSize, order: 'published' },
  );
  return { cards: await cardsOf(deps, rows), total, organisations, years };
}
