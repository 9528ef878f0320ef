import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type AuditActor, recordAudit } from '../../kernel/audit/index.js';
import type { Clock } from '../../kernel/clock.js';
import type { Dialect } from '../../kernel/db/create-db.js';
import { countryName } from '../../kernel/geo/countries.js';
import { findDepartment } from '../../kernel/geo/communes.js';
import { regionName } from '../../kernel/geo/regions.js';
import { htmlToText } from '../../kernel/html.js';
import { newId } from '../../kernel/ids.js';
import { inTransaction } from '../../kernel/db/transaction.js';
import { slugify } from '../../kernel/identifiers.js';
import { foldText, indexText, searchTokens } from '../../kernel/search/normalise.js';
import { findOrganisationBySlug, organisationsByIds, searchDirectory, taxonomies } from '../organisations/index.js';
import { markWatchItemPromoted } from '../watch/index.js';
import { removeStoredFiles } from './documents.js';
import * as repo from './repo.js';
import { closingInstant, openingInstant } from './status.js';
import type { Call, CallDraft, CallPublication } from './types.js';
import { type CallTaxonomies, type FieldProblem, type Problems, text, validateCall } from './validate.js';

export interface CallsDeps {
  db: Kysely<Database>;
  clock: Clock;
  dbHandle: { dialect: Dialect };
}

/** Codes of the taxonomies a call uses (the directory's: kinds of actor, themes, zones). */
export async function callTaxonomies(db: Kysely<Database>): Promise<CallTaxonomies> {
  const t = await taxonomies(db);
  return { kinds: t.kinds.map((x) => x.code), themes: t.themes.map((x) => x.code), zones: t.zones.map((x) => x.code) };
}

/**
 * The funder's organisation typed in the form: its address (`/acteurs/slug`), its slug, or its
 * exact name (or acronym); empty for none.
 */
export async function resolveFunderOrganisation(deps: Pick<CallsDeps, 'db' | 'dbHandle'>, typed: string): Promise<{ id: string | null; problem?: FieldProblem }> {
  const value = typed.trim();
  if (!value) return { id: null };
  const slug = value.replace(/^https?:\/\/[^/]+/i, '').replace(/^\/acteurs\//, '').replace(/\/+$/, '');
  const bySlug = /^[a-z0-9][a-z0-9-]*$/.test(slug) ? await findOrganisationBySlug(deps.db, slug) : undefined;
  if (bySlug) return { id: bySlug.organisation.id };
  const tokens = searchTokens(value);
  if (tokens.length) {
    const { rows } = await searchDirectory(
      deps.db,
      deps.dbHandle.dialect,
      { q: value, kinds: [], departments: [], themes: [], countries: [], zones: [], sdgs: [], visibility: ['public', 'members', 'staff'], sort: 'relevance', limit: 20, offset: 0 },
      tokens,
    );
    const folded = foldText(value).trim();
    const exact = rows.filter((o) => foldText(o.name).trim() === folded || (o.acronym && foldText(o.acronym).trim() === folded));
    if (exact.length === 1) return { id: exact[0]!.id };
    if (exact.length > 1 || rows.length > 1) {
      return { id: null, problem: { key: 'calls.error.funderAmbiguous', params: { candidates: (exact.length ? exact : rows).slice(0, 5).map((o) => o.name).join(' ; ') } } };
    }
    if (rows.length === 1) return { id: rows[0]!.id };
  }
  return { id: null, problem: { key: 'calls.error.funderUnknown', params: { name: value.slice(0, 80) } } };
}

/** Validates a submitted form (taxonomies and the funder's organisation from the database). */
export async function checkCall(deps: Pick<CallsDeps, 'db' | 'dbHandle'>, raw: Record<string, unknown>): Promise<{ ok: true; draft: CallDraft } | { ok: false; errors: Problems }> {
  const [t, funder] = await Promise.all([callTaxonomies(deps.db), resolveFunderOrganisation(deps, text(raw, 'funder_organisation'))]);
  return validateCall(raw, t, funder);
}

/** Normalised funder, title, summary, description and places, for searches (kernel/search). */
export function searchTextOf(d: CallDraft): string {
  return indexText(
    d.funder,
    d.title,
    d.summary,
    d.description_html ? htmlToText(d.description_html) : null,
    ...d.links.countries.map((c) => `${countryName(c, 'fr')} ${countryName(c, 'en')}`),
    ...d.links.regions.map((r) => regionName(r)),
    ...d.links.departments.map((c) => findDepartment(c)?.name),
  );
}

/** Public slugs that name pages of the section, never a call. */
const RESERVED = new Set(['archives', 'documents', 'flux.rss', 'flux.atom']);

async function uniqueSlug(db: Kysely<Database>, title: string, exceptId?: string): Promise<string> {
  const base = slugify(title).slice(0, 80).replace(/-+$/, '') || 'appel';
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? base : `${base}-${i}`;
    if (!RESERVED.has(candidate) && !(await repo.slugTaken(db, candidate, exceptId))) return candidate;
  }
}

function columns(d: CallDraft) {
  return {
    title: d.title,
    funder: d.funder,
    funder_organisation_id: d.funder_organisation_id,
    summary: d.summary,
    description_html: d.description_html,
    opens_on: d.opens_on,
    closes_on: d.closes_on,
    closes_time: d.closes_time,
    opens_at: d.opens_on ? openingInstant(d.opens_on)!.toISOString() : null,
    closes_at: closingInstant(d.closes_on, d.closes_time)!.toISOString(),
    amount_min_cents: d.amount_min_cents,
    amount_max_cents: d.amount_max_cents,
    cofinancing_rate: d.cofinancing_rate,
    link_url: d.link_url,
    search_text: searchTextOf(d),
  };
}

/** The fields the audit log compares. */
export function callSnapshot(c: Call): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of [
    'slug', 'title', 'funder', 'funder_organisation_id', 'summary', 'description_html', 'opens_on', 'closes_on', 'closes_time',
    'amount_min_cents', 'amount_max_cents', 'cofinancing_rate', 'link_url', 'status', 'watch_item_id',
  ] as const) {
    picked[key] = c[key] ?? null;
  }
  return {
    ...picked,
    kinds: c.kinds,
    themes: c.themes,
    countries: c.countries,
    zones: c.zones,
    regions: c.regions,
    departments: c.departments,
    documents: c.documents.map((d) => ({ id: d.id, title: d.title, file: d.original_name })),
  };
}

/** Creates a call (a draft unless told otherwise), audit-logged; `source` defaults to the column's ('staff'). */
export async function createCall(
  deps: Pick<CallsDeps, 'db' | 'clock'>,
  actor: AuditActor,
  draft: CallDraft,
  status: CallPublication = 'draft',
  options: { source?: 'staff' | 'demo' } = {},
): Promise<Call> {
  // The row, its links, its log line and, when made from a watch item, that item's « kept » are one transaction.
  return inTransaction(deps.db, async (trx) => {
    const now = deps.clock.now().toISOString();
    const id = newId(deps.clock.now().getTime());
    const slug = await uniqueSlug(trx, draft.title);
    await repo.insertCall(
      trx,
      {
        id,
        slug,
        ...columns(draft),
        status,
        ...(options.source ? { source: options.source } : {}),
        watch_item_id: draft.watch_item_id,
        created_by: actor.id,
        created_at: now,
        updated_at: now,
        published_at: status === 'published' ? now : null,
      },
      draft.links,
    );
    const created = (await repo.findCallById(trx, id))!;
    await recordAudit(trx, actor, { action: 'call.created', entityType: 'call', entityId: id, after: callSnapshot(created) }, deps.clock.now());
    if (draft.watch_item_id) await markWatchItemPromoted(trx, actor, draft.watch_item_id, { target: 'call', id }, deps.clock.now());
    return created;
  });
}

/** Rewrites a call's fields and links; a new title moves the slug (the old one redirects). */
export async function updateCall(deps: Pick<CallsDeps, 'db' | 'clock'>, actor: AuditActor, id: string, draft: CallDraft): Promise<Call | undefined> {
  const before = await repo.findCallById(deps.db, id);
  if (!before) return undefined;
  const now = deps.clock.now().toISOString();
  const slug = draft.title === before.title ? before.slug : await uniqueSlug(deps.db, draft.title, id);
  // The watch item it came from stays recorded, whatever the form carries.
  await repo.updateCallRow(deps.db, id, { ...columns(draft), slug, watch_item_id: before.watch_item_id ?? draft.watch_item_id, updated_at: now }, draft.links);
  const after = (await repo.findCallById(deps.db, id))!;
  await recordAudit(deps.db, actor, { action: 'call.updated', entityType: 'call', entityId: id, before: callSnapshot(before), after: callSnapshot(after) }, deps.clock.now());
  return after;
}

export type PublicationAction = 'publish' | 'unpublish';

export function isPublicationAction(value: unknown): value is PublicationAction {
  return value === 'publish' || value === 'unpublish';
}

/** Publishes a call or takes it back to draft; audit-logged. Undefined when the call is gone. */
export async function changePublication(deps: Pick<CallsDeps, 'db' | 'clock'>, actor: AuditActor, id: string, action: PublicationAction): Promise<Call | undefined> {
  const before = await repo.findCallById(deps.db, id);
  if (!before) return undefined;
  const status: CallPublication = action === 'publish' ? 'published' : 'draft';
  if (before.status === status) return before;
  const now = deps.clock.now().toISOString();
  await repo.updateCallRow(deps.db, id, { status, updated_at: now, ...(status === 'published' && !before.published_at ? { published_at: now } : {}) });
  await recordAudit(deps.db, actor, { action: `call.${action}`, entityType: 'call', entityId: id, before: { status: before.status }, after: { status } }, deps.clock.now());
  return (await repo.findCallById(deps.db, id))!;
}

/** Deletes a call with its documents (files included); audit-logged with what it was. */
export async function deleteCall(deps: Pick<CallsDeps, 'db' | 'clock'> & { config: { dataDir: string } }, actor: AuditActor, id: string): Promise<Call | undefined> {
  const before = await repo.findCallById(deps.db, id);
  if (!before) return undefined;
  const files = await repo.deleteCall(deps.db, id);
  await removeStoredFiles(deps.config.dataDir, files);
  await recordAudit(deps.db, actor, { action: 'call.deleted', entityType: 'call', entityId: id, before: callSnapshot(before) }, deps.clock.now());
  return before;
}

/** The draft of a stored call, to prefill the form. */
export function draftOfCall(c: Call): CallDraft {
  return {
    title: c.title,
    funder: c.funder,
    funder_organisation_id: c.funder_organisation_id,
    summary: c.summary,
    description_html: c.description_html,
    opens_on: c.opens_on,
    closes_on: c.closes_on,
    closes_time: c.closes_time,
    amount_min_cents: c.amount_min_cents,
    amount_max_cents: c.amount_max_cents,
    cofinancing_rate: c.cofinancing_rate,
    link_url: c.link_url,
    watch_item_id: c.watch_item_id,
    links: { kinds: c.kinds, themes: c.themes, countries: c.countries, zones: c.zones, regions: c.regions, departments: c.departments },
  };
}

/** The funder organisation of a call as pages show it (slug, name, whether visitors may see it). */
export async function funderOrganisation(db: Kysely<Database>, id: string | null): Promise<{ id: string; slug: string; name: string; public: boolean } | null> {
  if (!id) return null;
  const [org] = await organisationsByIds(db, [id]);
  return org ? { id: org.id, slug: org.slug, name: org.name, public: org.visibility === 'public' } : null;
}
