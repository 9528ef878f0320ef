import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { actorOf } from '../../kernel/http/request.js';
import type { MessageKey } from '../../kernel/i18n/index.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { redirectPastLastPage } from '../../kernel/http/past-last-page.js';
import { isId } from '../../kernel/ids.js';
import { pageNumber } from '../../kernel/ui/pager.js';
import { parseForm, translateErrors } from '../../kernel/validation.js';
import { DUPLICATE_SCAN_JOB, scanState } from '../duplicates/index.js';
import { findOrganisationById, findOrganisationBySlug, taxonomies } from '../organisations/index.js';
import { dismissCandidate, restoreCandidate } from './dismiss.js';
import { isMergeError, type MergeError } from './errors.js';
import { MERGE_FIELDS, type MergeFieldKey } from './fields.js';
import { mergeCandidate } from './merge-candidate.js';
import { loadPair, type Side } from './pair.js';
import { QUEUE_PATH, queueReturn, queueView, withReturn } from './queue-link.js';
import * as repo from './repo.js';
import { MergeFormSchema } from './schemas.js';
import { undoMerge, undoRefusal } from './undo.js';
import { withNames } from './merge-names.js';
import { autoMergeRoutes } from './routes-auto-merge.js';
import { HISTORY_PAGE_SIZE, HistoryPage, MergeDetailPage, type UndoRefusal } from './views-merges.js';
import { PairPage, type PairFormValues } from './views-pair.js';
import { QUEUE_PAGE_SIZE, QueuePage } from './views-queue.js';

type IdParams = { Params: { id: string } };
type Query = Record<string, string | string[] | undefined>;

function first(query: Query, name: string): string | undefined {
  const v = query[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The queue page a form was sent from (its `retour` field). */
function returnOf(request: FastifyRequest): string {
  const body = request.body;
  return queueReturn(typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['retour'] : undefined);
}

/** The review queue of duplicates (/admin/doublons), the comparison and merge of a pair, the merges and their undo (/admin/fusions). */
export const mergeRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const staff = { config: { access: 'staff' as const } };
  await app.register(autoMergeRoutes);

  app.get<{ Querystring: Query }>('/admin/doublons', staff, async (request, reply) => {
    const { status, page } = queueView(first(request.query, 'statut'), first(request.query, 'page'));
    const offset = (page - 1) * QUEUE_PAGE_SIZE;
    const merged = status === 'merged' || status === 'auto_merged';
    const [counts, scan, safePairs, pairs, merges] = await Promise.all([
      repo.queueCounts(k.db),
      scanState(k.db),
      repo.countAutoMergeable(k.db),
      merged ? Promise.resolve({ rows: [], total: 0 }) : repo.listCandidates(k.db, status, QUEUE_PAGE_SIZE, offset),
      merged ? repo.listMerges(k.db, { kind: status === 'auto_merged' ? 'auto' : 'manual', active: true }, QUEUE_PAGE_SIZE, offset) : Promise.resolve({ rows: [], total: 0 }),
    ]);
    const beyond = redirectPastLastPage(request, reply, page, merged ? merges.total : pairs.total, QUEUE_PAGE_SIZE);
    if (beyond) return beyond;
    // A running automatic merge: the merges made so far.
    const autoMerged = scan.autoMerge?.status === 'running' ? await repo.countAutoMergesSince(k.db, scan.autoMerge.since) : undefined;
    const ctx = await viewContext(request, reply);
    return sendPage(
      reply,
      QueuePage({
        ctx,
        status,
        counts,
        page,
        total: merged ? merges.total : pairs.total,
        pairs: pairs.rows,
        merges: merges.rows.map(withNames),
        canScan: true,
        scan,
        safePairs,
        autoMerged,
      }),
    );
  });

  app.post('/admin/doublons/analyse', staff, async (request, reply) => {
    // One request a minute at most: a double click starts one scan.
    const minute = Math.floor(k.clock.now().getTime() / 60_000);
    const id = await k.jobs.enqueue(DUPLICATE_SCAN_JOB, {}, { idempotencyKey: `duplicates.scan:manual:${minute}` });
    flash(request, id ? 'success' : 'info', request.t(id ? 'merge.queue.scanQueued' : 'merge.queue.scanAlready'));
    return reply.redirect(QUEUE_PATH, 303);
  });

  /** `returnTo`: the queue page the pair was opened from, where its forms lead back. */
  async function pairPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    returnTo: string,
    extra: { values?: PairFormValues; errors?: Record<string, string> } = {},
    status = 200,
  ) {
    const data = isId(id) ? await loadPair(k, id) : undefined;
    if (!data) {
      // A pair merged since: its merge tells what happened.
      const merge = isId(id) ? await repo.activeMergeOfCandidate(k.db, id) : undefined;
      if (merge) return reply.redirect(withReturn(`/admin/fusions/${merge.id}`, returnTo), 303);
      throw new AppError('not_found');
    }
    const [labels, ctx] = await Promise.all([taxonomies(k.db), viewContext(request, reply)]);
    return sendPage(reply, PairPage({ ctx, labels, data, returnTo, ...extra }), status);
  }

  app.get<IdParams & { Querystring: Query }>('/admin/doublons/:id', staff, async (request, reply) =>
    pairPage(request, reply, request.params.id, queueReturn(first(request.query, 'retour'))),
  );

  app.post<IdParams>('/admin/doublons/:id/fusionner', staff, async (request, reply) => {
    const { id } = request.params;
    const returnTo = returnOf(request);
    const data = isId(id) ? await loadPair(k, id) : undefined;
    if (!data || data.candidate.status !== 'pending') {
      const merge = isId(id) ? await repo.activeMergeOfCandidate(k.db, id) : undefined;
      if (merge) {
        flash(request, 'info', request.t('merge.decided.already'));
        return reply.redirect(withReturn(`/admin/fusions/${merge.id}`, returnTo), 303);
      }
      if (!data) throw new AppError('not_found');
      flash(request, 'error', request.t('merge.error.decided'));
      return reply.redirect(withReturn(`/admin/doublons/${id}`, returnTo), 303);
    }
    const parsed = parseForm(MergeFormSchema, request.body);
    const sideId = (side: Side) => data[side].organisation.id;
    if (!parsed.ok) {
      const sideOr = (value: string | undefined, fallback: Side): Side => (value === 'a' || value === 'b' ? value : fallback);
      const values: PairFormValues = {
        survivor: sideOr(parsed.values['conserver'], data.defaultSurvivor),
        choices: Object.fromEntries(MERGE_FIELDS.map((f) => [f.key, sideOr(parsed.values[`champ_${f.key}`], data.defaults[f.key])])) as Record<MergeFieldKey, Side>,
      };
      return pairPage(request, reply, id, returnTo, { values, errors: translateErrors(parsed.errors, request.t) }, 400);
    }
    const choices: Partial<Record<MergeFieldKey, string>> = {};
    for (const field of MERGE_FIELDS) {
      const side = parsed.value[`champ_${field.key}`];
      if (side) choices[field.key] = sideId(side);
    }
    try {
      const outcome = await mergeCandidate(k, actorOf(request), id, { survivorId: sideId(parsed.value.conserver), choices });
      const [kept, absorbed] = outcome.survivor.id === data.a.organisation.id ? [data.a.organisation, data.b.organisation] : [data.b.organisation, data.a.organisation];
      // The kept record's name once merged: it may have taken the other's.
      const name = outcome.survivor.name;
      flash(
        request,
        'success',
        name === kept.name ? request.t('merge.done.flash', { absorbed: absorbed.name, survivor: name }) : request.t('merge.done.flashRenamed', { name, before: kept.name }),
      );
      // The merge's page, for its undo; it leads back to the queue page the pair came from.
      return reply.redirect(withReturn(`/admin/fusions/${outcome.mergeId}`, returnTo), 303);
    } catch (error) {
      if (!isMergeError(error)) throw error;
      flash(request, 'error', request.t(error.key, error.params));
      return reply.redirect(returnTo, 303);
    }
  });

  /**
   * A pair sent to the dismissed pairs or back to the queue; then to `next` (given the queue page
   * the pair was opened from), or to the pair when refused.
   */
  const movePair = (move: typeof dismissCandidate, done: MessageKey, already: MessageKey, next: (id: string, returnTo: string) => string) =>
    async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
      const { id } = request.params;
      if (!isId(id)) throw new AppError('not_found');
      const returnTo = returnOf(request);
      try {
        const changed = await move(k, actorOf(request), id);
        flash(request, changed ? 'success' : 'info', request.t(changed ? done : already));
        return reply.redirect(next(id, returnTo), 303);
      } catch (error) {
        if (!isMergeError(error)) throw error;
        if (error.key === 'merge.error.candidateGone') throw new AppError('not_found');
        flash(request, 'error', request.t(error.key, error.params));
        return reply.redirect(withReturn(`/admin/doublons/${id}`, returnTo), 303);
      }
    };
  app.post<IdParams>('/admin/doublons/:id/pas-un-doublon', staff, movePair(dismissCandidate, 'merge.dismiss.flash', 'merge.dismiss.already', (_id, returnTo) => returnTo));
  app.post<IdParams>(
    '/admin/doublons/:id/reprendre',
    staff,
    movePair(restoreCandidate, 'merge.restore.flash', 'merge.restore.already', (id, returnTo) => withReturn(`/admin/doublons/${id}`, returnTo)),
  );

  app.get<{ Querystring: Query }>('/admin/fusions', staff, async (request, reply) => {
    const page = pageNumber(first(request.query, 'page'));
    const { rows, total } = await repo.listMerges(k.db, {}, HISTORY_PAGE_SIZE, (page - 1) * HISTORY_PAGE_SIZE);
    const beyond = redirectPastLastPage(request, reply, page, total, HISTORY_PAGE_SIZE);
    if (beyond) return beyond;
    const ctx = await viewContext(request, reply);
    return sendPage(reply, HistoryPage({ ctx, merges: rows.map(withNames), total, page }));
  });

  /** Why an undo is refused, in words, with a link to the later merge to undo first when that is why. */
  function refusalOf(request: FastifyRequest, error: MergeError, returnTo: string): UndoRefusal {
    const laterId = error.key === 'merge.error.laterMerge' ? error.params['laterId'] : undefined;
    const errorLink = typeof laterId === 'string' ? { href: withReturn(`/admin/fusions/${laterId}`, returnTo), label: request.t('merge.error.laterMergeLink') } : undefined;
    return { error: request.t(error.key, error.params), errorLink };
  }

  /**
   * `returnTo`: the queue page the merge was made or opened from (else its first page). `refused`:
   * the undo just asked for and refused; otherwise a merge that can no longer be undone says why
   * instead of offering the undo.
   */
  async function mergePage(request: FastifyRequest, reply: FastifyReply, id: string, returnTo: string, refused?: MergeError, status = 200) {
    const merge = isId(id) ? await repo.findMerge(k.db, id) : undefined;
    if (!merge) throw new AppError('not_found');
    const refusal = refused ?? (merge.undone_at ? undefined : await undoRefusal(k.db, merge));
    const named = withNames(merge);
    // The addresses the merge left behind: the absorbed record's, and the kept one's if its new name moved it.
    const moved = named.names.moved;
    const formerSlugs = moved ? [merge.absorbed_slug, moved.from].filter((slug) => slug !== moved.to) : [merge.absorbed_slug];
    const [names, survivor, formers, ctx] = await Promise.all([
      repo.userNames(k.db, [merge.merged_by, merge.undone_by].filter((x): x is string => x !== null)),
      findOrganisationById(k.db, merge.survivor_id),
      Promise.all(formerSlugs.map((slug) => findOrganisationBySlug(k.db, slug))),
      viewContext(request, reply),
    ]);
    // Where each former address leads now (a later merge may have moved it).
    const redirects = formerSlugs.flatMap((slug, i) => {
      const former = formers[i];
      return former?.redirectTo ? [{ slug, id: former.organisation.id, name: former.organisation.name }] : [];
    });
    return sendPage(
      reply,
      MergeDetailPage({
        ctx,
        merge: named,
        names,
        survivor: survivor ? { id: survivor.id, slug: survivor.slug, name: survivor.name } : undefined,
        redirects,
        returnTo,
        refusal: refusal ? { ...refusalOf(request, refusal, returnTo), asked: refused !== undefined } : undefined,
      }),
      status,
    );
  }

  app.get<IdParams & { Querystring: Query }>('/admin/fusions/:id', staff, async (request, reply) =>
    mergePage(request, reply, request.params.id, queueReturn(first(request.query, 'retour'))),
  );

  app.post<IdParams>('/admin/fusions/:id/annuler', staff, async (request, reply) => {
    const { id } = request.params;
    if (!isId(id)) throw new AppError('not_found');
    const returnTo = returnOf(request);
    try {
      const result = await undoMerge(k, actorOf(request), id);
      const [survivor, absorbed] = await Promise.all([findOrganisationById(k.db, result.survivorId), findOrganisationById(k.db, result.absorbedId)]);
      flash(request, 'success', request.t('merge.undo.flash', { absorbed: absorbed?.name ?? '', survivor: survivor?.name ?? '' }));
      if (result.skipped > 0) flash(request, 'info', request.t('merge.undo.skipped', { count: result.skipped }));
      return reply.redirect(withReturn(result.candidateId ? `/admin/doublons/${result.candidateId}` : `/admin/fusions/${id}`, returnTo), 303);
    } catch (error) {
      if (!isMergeError(error)) throw error;
      if (error.key === 'merge.error.notFound') throw new AppError('not_found');
      if (error.key === 'merge.error.alreadyUndone') {
        flash(request, 'info', request.t('merge.undo.already'));
        return reply.redirect(withReturn(`/admin/fusions/${id}`, returnTo), 303);
      }
      // Said on the merge's page, with a link to a later merge to undo first.
      return mergePage(request, reply, id, returnTo, error, 409);
    }
  });
};
