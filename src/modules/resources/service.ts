import fs from 'node:fs/promises';
import path from 'node:path';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type AuditActor, recordAudit } from '../../kernel/audit/index.js';
import { afterCommit, inTransaction } from '../../kernel/db/transaction.js';
import { uploadsDir } from '../../kernel/files/uploads.js';
import type { Kernel } from '../../kernel/http/types.js';
import { isId, newId } from '../../kernel/ids.js';
import { type Jobs, queueingIn } from '../../kernel/jobs/index.js';
import { slugify } from '../../kernel/identifiers.js';
import { foldText, indexText, searchTokens } from '../../kernel/search/normalise.js';
import { findOrganisationBySlug, organisationsByIds, searchDirectory, taxonomies } from '../organisations/index.js';
import { resolveFileField } from './file-field.js';
import * as repo from './repo.js';
import type { ResourceStatus } from './kinds.js';
import type { Resource, ResourceDraft } from './types.js';
import { type FieldProblem, type Problems, text, validateResource } from './validate.js';

export type ResourcesDeps = Pick<Kernel, 'db' | 'dbHandle' | 'clock' | 'config'> & { jobs: Pick<Jobs, 'enqueue'> };

/**
 * `deps` inside the transaction `trx`: its writes, and each job it queues, exist if and only if the
 * transaction commits (on SQLite, a job queued on the outer connection would wait for it forever).
 */
function depsIn(deps: ResourcesDeps, trx: Transaction<Database>): ResourcesDeps {
  return { ...deps, db: trx, jobs: queueingIn(deps.jobs, trx) };
}

/** The job that reads a PDF's text for the search (extraction.ts). */
export const EXTRACT_JOB = 'resources.extract-text';

/** Who fills the form: staff (any organisation of the directory) or a member (one of their own, required). */
export type FormAuthor = { role: 'staff'; userId: string | null } | { role: 'member'; userId: string; organisationIds: string[] };

/**
 * The organisation a form names: an id (the member's list, a proposal), or the slug or exact name
 * of an organisation of the directory typed by staff.
 */
async function resolveOrganisation(deps: ResourcesDeps, typed: string, author: FormAuthor): Promise<{ id: string | null; problem?: FieldProblem }> {
  if (author.role === 'member') {
    if (!typed) return { id: null, problem: { key: 'resources.error.ownOrganisation' } };
    return author.organisationIds.includes(typed) ? { id: typed } : { id: null, problem: { key: 'resources.error.ownOrganisation' } };
  }
  if (!typed) return { id: null };
  if (isId(typed)) {
    const [found] = await organisationsByIds(deps.db, [typed]);
    return found ? { id: found.id } : { id: null, problem: { key: 'resources.error.organisationUnknown', params: { name: typed } } };
  }
  const bySlug = await findOrganisationBySlug(deps.db, typed);
  if (bySlug) return { id: bySlug.organisation.id };
  const tokens = searchTokens(typed);
  if (!tokens.length) return { id: null, problem: { key: 'resources.error.organisationUnknown', params: { name: typed } } };
  const { rows } = await searchDirectory(
    deps.db,
    deps.dbHandle.dialect,
    { q: typed, kinds: [], departments: [], themes: [], countries: [], zones: [], sdgs: [], visibility: ['public', 'members', 'staff'], sort: 'relevance', limit: 20, offset: 0 },
    tokens,
  );
  const folded = foldText(typed).trim();
  const exact = rows.filter((o) => foldText(o.name).trim() === folded || (o.acronym && foldText(o.acronym).trim() === folded));
  if (exact.length === 1) return { id: exact[0]!.id };
  if (rows.length === 1) return { id: rows[0]!.id };
  const candidates = (exact.length ? exact : rows).slice(0, 5).map((o) => `${o.name} (${o.slug})`);
  return candidates.length
    ? { id: null, problem: { key: 'resources.error.organisationAmbiguous', params: { name: typed, candidates: candidates.join(' ; ') } } }
    : { id: null, problem: { key: 'resources.error.organisationUnknown', params: { name: typed } } };
}

/**
 * Validates a resource form. A new file is checked by content and stored at once (`raw` then
 * carries it, so that a form refused for another field keeps it); it goes live only with the
 * resource written from the draft.
 */
export async function checkResource(
  deps: ResourcesDeps,
  raw: Record<string, unknown>,
  author: FormAuthor,
  currentFileId: string | null = null,
): Promise<{ ok: true; draft: ResourceDraft } | { ok: false; errors: Problems }> {
  const [t, organisation, file] = await Promise.all([
    taxonomies(deps.db),
    resolveOrganisation(deps, text(raw, 'organisation'), author),
    resolveFileField(deps, raw, { id: author.userId, staff: author.role === 'staff' }),
  ]);
  return validateResource(
    raw,
    t.themes.map((x) => x.code),
    { organisation, file, currentFileId },
    deps.clock.now(),
  );
}

/** The normalised title, summary and authors, searched with the PDF's words. */
export function metaTextOf(d: Pick<ResourceDraft, 'title' | 'summary' | 'authors'>): string {
  return indexText(d.title, d.summary, d.authors);
}

async function uniqueSlug(deps: ResourcesDeps, title: string, exceptId?: string): Promise<string> {
  const base = slugify(title).slice(0, 80).replace(/-+$/, '') || 'ressource';
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? base : `${base}-${i}`;
    if (!(await repo.slugTaken(deps.db, candidate, exceptId))) return candidate;
  }
}

/** What the audit log keeps of a resource. */
function snapshot(r: Pick<Resource, 'title' | 'slug' | 'kind' | 'status' | 'organisation_id' | 'year' | 'language' | 'file_id' | 'external_url' | 'authors' | 'themes' | 'countries'>) {
  return {
    title: r.title,
    slug: r.slug,
    kind: r.kind,
    status: r.status,
    authors: r.authors,
    organisation_id: r.organisation_id,
    year: r.year,
    language: r.language,
    file_id: r.file_id,
    external_url: r.external_url,
    themes: r.themes,
    countries: r.countries,
  };
}

/**
 * Marks the resource's text as to be read when its file is a PDF, and queues the durable job that
 * reads it (extraction.ts); other files have no text to read. `again` queues a new reading of the
 * same file (staff asked for it).
 */
export async function requestExtraction(deps: ResourcesDeps, resourceId: string, fileId: string | null, again = false): Promise<void> {
  // The status and the job together (in the caller's transaction when there is one): never "pending" with no job.
  await inTransaction(deps.db, async (trx) => {
    const inside = depsIn(deps, trx);
    const file = fileId ? await repo.findFile(trx, fileId) : undefined;
    if (!file || file.mime !== 'application/pdf') {
      await repo.saveExtraction(trx, resourceId, { status: 'none', error: null, pages: null, chars: null, at: null, bodyText: '' });
      return;
    }
    await repo.saveExtraction(trx, resourceId, { status: 'pending', error: null, pages: null, chars: null, at: null, bodyText: '' });
    const key = `${EXTRACT_JOB}:${resourceId}:${fileId}${again ? `:${inside.clock.now().getTime()}` : ''}`;
    await inside.jobs.enqueue(EXTRACT_JOB, { resourceId, fileId }, { idempotencyKey: key });
  });
}

/**
 * Removes a file no resource uses any more (row and disk). Called in a transaction (the edit's or
 * the deletion's, or an approved proposal's), the disk's copy goes only once it has committed:
 * rolled back, the row and the file stay.
 */
async function dropFileIfUnused(deps: ResourcesDeps, fileId: string | null): Promise<void> {
  if (!fileId || (await repo.fileInUse(deps.db, fileId))) return;
  const file = await repo.findFile(deps.db, fileId);
  if (!file) return;
  await repo.deleteFileRow(deps.db, fileId);
  await afterCommit(deps.db, () => fs.rm(path.join(uploadsDir(deps.config.dataDir), file.storage_path), { force: true }), 'resources.admin.unusedFileNotErased');
}

/**
 * Creates a resource, audit-logged, its PDF's reading queued: the row, its tags, its log line and
 * the job are one transaction (the caller's when `deps.db` is one: an approved proposal). When any
 * of it fails, nothing stays.
 */
export async function createResource(
  deps: ResourcesDeps,
  actor: AuditActor,
  draft: ResourceDraft,
  options: { status: ResourceStatus; source: 'staff' | 'member' | 'demo'; action?: string },
): Promise<Resource> {
  // Inside the transaction only `inside.db` may be used: SQLite has one connection.
  return inTransaction(deps.db, async (trx) => {
    const inside = depsIn(deps, trx);
    const now = inside.clock.now();
    const at = now.toISOString();
    const id = newId(now.getTime());
    const slug = await uniqueSlug(inside, draft.title);
    const fileId = draft.file_id ?? null;
    await repo.insertResource(
      trx,
      {
        id,
        slug,
        title: draft.title,
        kind: draft.kind,
        summary: draft.summary,
        authors: draft.authors,
        organisation_id: draft.organisation_id,
        year: draft.year,
        language: draft.language,
        file_id: fileId,
        external_url: draft.external_url,
        status: options.status,
        published_at: options.status === 'published' ? at : null,
        source: options.source,
        created_by: actor.id,
        created_at: at,
        updated_at: at,
      },
      { themes: draft.themes, countries: draft.countries },
      metaTextOf(draft),
    );
    await requestExtraction(inside, id, fileId);
    const created = (await repo.findResourceById(trx, id))!;
    await recordAudit(trx, actor, { action: options.action ?? 'resource.created', entityType: 'resource', entityId: id, after: snapshot(created) }, now);
    return created;
  });
}

/**
 * Writes a draft over a resource; a new title gives a new slug (the old one redirects); a new file
 * is read again, and the replaced one, unused, removed (from disk once committed). One transaction:
 * refused, the resource keeps its values and its file, with no log line and no job.
 */
export async function updateResource(deps: ResourcesDeps, actor: AuditActor, id: string, draft: ResourceDraft, action = 'resource.updated'): Promise<Resource | undefined> {
  return inTransaction(deps.db, async (trx) => {
    const inside = depsIn(deps, trx);
    const before = await repo.findResourceById(trx, id);
    if (!before) return undefined;
    const now = inside.clock.now();
    const slug = draft.title === before.title ? before.slug : await uniqueSlug(inside, draft.title, id);
    const fileId = draft.file_id === undefined ? before.file_id : draft.file_id;
    await repo.updateResource(
      trx,
      id,
      {
        slug,
        title: draft.title,
        kind: draft.kind,
        summary: draft.summary,
        authors: draft.authors,
        organisation_id: draft.organisation_id,
        year: draft.year,
        language: draft.language,
        file_id: fileId,
        external_url: draft.external_url,
        updated_at: now.toISOString(),
      },
      { oldSlug: before.slug, tags: { themes: draft.themes, countries: draft.countries }, metaText: metaTextOf(draft) },
    );
    if (fileId !== before.file_id) {
      await requestExtraction(inside, id, fileId);
      await dropFileIfUnused(inside, before.file_id);
    }
    const after = (await repo.findResourceById(trx, id))!;
    await recordAudit(trx, actor, { action, entityType: 'resource', entityId: id, before: snapshot(before), after: snapshot(after) }, now);
    return after;
  });
}

/** Publishes (the first publication dates the resource) or takes a resource back to draft; the status and its log line in one transaction. */
export async function changeResourceStatus(deps: ResourcesDeps, actor: AuditActor, id: string, action: 'publish' | 'unpublish'): Promise<Resource | undefined> {
  return inTransaction(deps.db, async (trx) => {
    const before = await repo.findResourceById(trx, id);
    if (!before) return undefined;
    const status: ResourceStatus = action === 'publish' ? 'published' : 'draft';
    if (before.status === status) return before;
    const now = deps.clock.now();
    await repo.updateResource(trx, id, { status, published_at: status === 'published' ? (before.published_at ?? now.toISOString()) : before.published_at, updated_at: now.toISOString() });
    await recordAudit(trx, actor, { action: `resource.${action === 'publish' ? 'published' : 'unpublished'}`, entityType: 'resource', entityId: id, before: { status: before.status }, after: { status } }, now);
    return repo.findResourceById(trx, id);
  });
}

/**
 * Deletes a resource and its file (when no other resource uses it), audit-logged, in one
 * transaction: refused, the resource and its file stay (the file leaves the disk only once committed).
 */
export async function removeResource(deps: ResourcesDeps, actor: AuditActor, id: string): Promise<boolean> {
  return inTransaction(deps.db, async (trx) => {
    const inside = depsIn(deps, trx);
    const before = await repo.findResourceById(trx, id);
    if (!before) return false;
    await repo.deleteResource(trx, id);
    await dropFileIfUnused(inside, before.file_id);
    await recordAudit(trx, actor, { action: 'resource.deleted', entityType: 'resource', entityId: id, before: snapshot(before) }, inside.clock.now());
    return true;
  });
}
