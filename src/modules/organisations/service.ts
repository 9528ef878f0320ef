import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { recordAudit, type AuditActor } from '../../kernel/audit/index.js';
import type { Clock } from '../../kernel/clock.js';
import { countryName } from '../../kernel/geo/countries.js';
import { findDepartment } from '../../kernel/geo/communes.js';
import { htmlToText } from '../../kernel/html.js';
import { newId } from '../../kernel/ids.js';
import { slugify } from '../../kernel/identifiers.js';
import type { Jobs } from '../../kernel/jobs/index.js';
import { foldText, indexText } from '../../kernel/search/normalise.js';
import * as repo from './repo.js';
import { parseSocialLinks, socialLinksJson } from './social.js';
import type { Organisation } from './types.js';
import type { OrganisationDraft, Taxonomies } from './validate.js';
import { inTransaction } from '../../kernel/db/transaction.js';

export interface OrganisationsDeps {
  db: Kysely<Database>;
  clock: Clock;
  jobs?: Jobs;
}

export type TaxonomyLabels = Awaited<ReturnType<typeof repo.loadTaxonomies>>;

/**
 * How the idempotency key of an organisation's geocoding begins (`geocode:<id>:<time>`): the jobs
 * of given organisations are found by it (the map module runs them and queues its own).
 */
export const geocodeKeyPrefix = (organisationId: string) => `geocode:${organisationId}:`;

/** The job that geocodes one organisation (`{ id }`), after a person created it or changed its address; run by the map module. */
export const GEOCODE_JOB = 'organisations.geocode';

/** The key of a geocoding asked at `at`: a later change of address queues another. */
export const geocodeJobKey = (organisationId: string, at: Date) => `${geocodeKeyPrefix(organisationId)}${at.getTime()}`;

let cache: { at: number; value: TaxonomyLabels } | null = null;

/** Taxonomies change rarely (admins edit them): cached for a minute per process. */
export async function taxonomies(db: Kysely<Database>): Promise<TaxonomyLabels> {
  if (cache && Date.now() - cache.at < 60_000) return cache.value;
  cache = { at: Date.now(), value: await repo.loadTaxonomies(db) };
  return cache.value;
}

export function taxonomyCodes(t: TaxonomyLabels): Taxonomies {
  return {
    kinds: t.kinds.map((k) => k.code),
    themes: t.themes.map((k) => k.code),
    zones: t.zones.map((k) => k.code),
    colleges: t.colleges.map((k) => k.code),
  };
}

/** The normalised text the directory searches: names, place, labels of every facet, description. */
/**
 * Normalised text of the parts every row repeats (commune, département, kind, themes, zones,
 * countries), kept by a writer of thousands of rows (an import) so each is normalised once.
 */
export type SearchTextMemo = Map<string, string>;

/** Remembered parts at most: far more than an import meets. */
const MEMO_MAX = 20_000;

export function searchTextOf(draft: OrganisationDraft, t: TaxonomyLabels, memo?: SearchTextMemo): string {
  const label = (list: { code: string; label_fr: string; label_en: string }[], code: string) => {
    const entry = list.find((x) => x.code === code);
    return entry ? `${entry.label_fr} ${entry.label_en}` : '';
  };
  // Normalising part by part gives the tokens of the whole text (folding works character by
  // character and a space always ends a token): a writer of thousands of rows remembers the
  // repeated parts already normalised, and normalises only the row's own text.
  const repeated = (key: string, text: () => string | null | undefined): string => {
    if (!memo) return indexText(text());
    let tokens = memo.get(key);
    if (tokens === undefined) {
      tokens = indexText(text());
      if (memo.size < MEMO_MAX) memo.set(key, tokens);
    }
    return tokens;
  };
  return [
    indexText(draft.name, draft.acronym),
    draft.commune_name ? repeated(`c:${draft.commune_name}`, () => draft.commune_name) : '',
    draft.department_code ? repeated(`d:${draft.department_code}`, () => findDepartment(draft.department_code!)?.name) : '',
    repeated(`k:${draft.kind_code}`, () => label(t.kinds, draft.kind_code)),
    ...draft.links.themes.map((c) => repeated(`t:${c}`, () => label(t.themes, c))),
    ...draft.links.zones.map((c) => repeated(`z:${c}`, () => label(t.zones, c))),
    ...draft.links.countries.map((c) => repeated(`p:${c}`, () => `${countryName(c, 'fr')} ${countryName(c, 'en')}`)),
    draft.description_html ? indexText(htmlToText(draft.description_html)) : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/**
 * The name's sort key (`organisations.sort_name`): folded like search text (lower case, accents and
 * ligatures folded) with punctuation as single spaces, articles kept. Compared byte-wise on both
 * dialects, it orders "Aide…", "école…", "Écoles…", "Zébu" as a French reader expects.
 */
export function sortNameOf(name: string): string {
  return foldText(name)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * A contact's sort key (`contacts.sort_name`): the last name, then the first name, each folded as
 * `sortNameOf` folds an organisation's name, joined by a tab. The tab sorts before the space and
 * every letter, so the surname is compared whole first: « ANDRÉ Aurélie » and « André Aïssatou »
 * sort together among the André, by first name, before « Andréa » or « André-Bastien ».
 */
export function contactSortNameOf(contact: { first_name: string | null; last_name: string }): string {
  return `${sortNameOf(contact.last_name)}\t${sortNameOf(contact.first_name ?? '')}`;
}

/** The columns derived from a draft for search and sorting; every writer of organisations sets them. */
export function indexedColumns(draft: OrganisationDraft, t: TaxonomyLabels, memo?: SearchTextMemo): { search_text: string; sort_name: string } {
  return { search_text: searchTextOf(draft, t, memo), sort_name: sortNameOf(draft.name) };
}

/** The address made from a name: its slug, numbered when taken (a former address of `exceptId` is free for it). */
export async function uniqueSlug(db: Kysely<Database>, name: string, exceptId?: string): Promise<string> {
  const base = slugify(name);
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? base : `${base}-${i}`;
    if (!(await repo.slugTaken(db, candidate, exceptId))) return candidate;
  }
}

/** The draft as row columns; social links and logo only when the draft says something of them. */
function columns(draft: OrganisationDraft) {
  const { links: _links, social_links: social, logo_file_id: logo, ...rest } = draft;
  return {
    ...rest,
    ...(social === undefined ? {} : { social_links: socialLinksJson(social) }),
    ...(logo === undefined ? {} : { logo_file_id: logo }),
  };
}

/** Fields compared in the audit log and in moderation diffs. */
export function snapshot(o: Organisation | (OrganisationDraft & { is_member?: number })): Record<string, unknown> {
  const { links, ...rest } = 'links' in o ? o : { ...o, links: { themes: o.themes, countries: o.countries, zones: o.zones, sdgs: o.sdgs, colleges: o.colleges } };
  const picked: Record<string, unknown> = {};
  for (const key of [
    'name', 'acronym', 'kind_code', 'description_html', 'website', 'email', 'phone', 'address', 'postcode', 'commune_code',
    'siren', 'siret', 'rna', 'insee_code', 'founded_year', 'staff_count', 'volunteer_count', 'visibility', 'is_member',
  ]) {
    if (key in rest) picked[key] = (rest as Record<string, unknown>)[key] ?? null;
  }
  // Stored JSON or a draft's object (absent: none), compared in one canonical form.
  const social = (rest as { social_links?: string | Record<string, string> | null }).social_links;
  picked['social_links'] = typeof social === 'object' && social !== null ? socialLinksJson(social) : socialLinksJson(parseSocialLinks(social));
  picked['logo_file_id'] = (rest as { logo_file_id?: string | null }).logo_file_id ?? null;
  return { ...picked, themes: [...links.themes].sort(), countries: [...links.countries].sort(), zones: [...links.zones].sort(), sdgs: [...links.sdgs].sort((a, b) => a - b), colleges: [...links.colleges].sort() };
}

export async function createOrganisation(
  deps: OrganisationsDeps,
  actor: AuditActor,
  draft: OrganisationDraft,
  options: { source?: string; isMember?: boolean; importBatchId?: string } = {},
): Promise<Organisation> {
  const t = await taxonomies(deps.db);
  const now = deps.clock.now();
  const id = newId(now.getTime());
  const slug = await uniqueSlug(deps.db, draft.name);
  // Inside a transaction only `trx` may be used: SQLite has one connection.
  await inTransaction(deps.db, async (trx) => {
    await repo.insertOrganisation(
      trx,
      {
        id,
        slug,
        ...columns(draft),
        is_member: options.isMember ? 1 : 0,
        source: options.source ?? 'manual',
        import_batch_id: options.importBatchId ?? null,
        ...indexedColumns(draft, t),
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      },
      draft.links,
    );
    // Queued with the row: never an organisation left unplaced because the queueing failed after it.
    await deps.jobs?.enqueue(GEOCODE_JOB, { id }, { idempotencyKey: geocodeJobKey(id, now), trx });
  });
  const created = (await repo.findOrganisationById(deps.db, id))!;
  await recordAudit(deps.db, actor, { action: 'organisation.created', entityType: 'organisation', entityId: id, after: snapshot(created) }, now);
  return created;
}

export async function updateOrganisation(
  deps: OrganisationsDeps,
  actor: AuditActor,
  id: string,
  draft: OrganisationDraft,
  options: { isMember?: boolean; action?: string } = {},
): Promise<Organisation | undefined> {
  const before = await repo.findOrganisationById(deps.db, id);
  if (!before) return undefined;
  const t = await taxonomies(deps.db);
  const now = deps.clock.now();
  const slug = draft.name !== before.name ? await uniqueSlug(deps.db, draft.name, id) : before.slug;
  const written = await inTransaction(deps.db, async (trx) => {
    const was = await repo.updateOrganisation(
      trx,
      id,
      {
        ...columns(draft),
        slug,
        ...(options.isMember === undefined ? {} : { is_member: options.isMember ? 1 : 0 }),
        ...indexedColumns(draft, t),
        updated_at: now.toISOString(),
      },
      draft.links,
    );
    if (!was) return false;
    // A new address is geocoded: the job is queued in the same transaction, so it exists if and
    // only if the address was written. An undo of the organisation's import deleting it meanwhile
    // either waits for this transaction and cancels the job with the organisation, or has ended
    // before and nothing is written.
    if (was.address !== draft.address || was.commune_code !== draft.commune_code) {
      await deps.jobs?.enqueue(GEOCODE_JOB, { id }, { idempotencyKey: geocodeJobKey(id, now), trx });
    }
    return true;
  });
  if (!written) return undefined;
  const after = await repo.findOrganisationById(deps.db, id);
  if (!after) return undefined;
  await recordAudit(
    deps.db,
    actor,
    { action: options.action ?? 'organisation.updated', entityType: 'organisation', entityId: id, before: snapshot(before), after: snapshot(after) },
    now,
  );
  return after;
}

/** The draft of an existing organisation, to prefill forms and compare proposals. */
export function draftOf(o: Organisation): OrganisationDraft {
  return {
    name: o.name,
    acronym: o.acronym,
    kind_code: o.kind_code,
    description_html: o.description_html,
    website: o.website,
    email: o.email,
    phone: o.phone,
    address: o.address,
    postcode: o.postcode,
    commune_code: o.commune_code,
    commune_name: o.commune_name,
    department_code: o.department_code,
    siren: o.siren,
    siret: o.siret,
    rna: o.rna,
    insee_code: o.insee_code,
    founded_year: o.founded_year,
    staff_count: o.staff_count,
    volunteer_count: o.volunteer_count,
    visibility: o.visibility,
    links: { themes: o.themes, countries: o.countries, zones: o.zones, sdgs: o.sdgs, colleges: o.colleges },
    social_links: parseSocialLinks(o.social_links),
    logo_file_id: o.logo_file_id,
  };
}
