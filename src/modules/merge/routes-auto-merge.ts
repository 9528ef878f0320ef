import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { DUPLICATE_SCAN_JOB, type ScanJobPayload, scanState } from '../duplicates/index.js';
import { QUEUE_PATH } from './queue-link.js';
import * as repo from './repo.js';
import { AUTO_MERGE_PATH, AutoMergePage } from './views-auto-merge.js';

/**
 * « Fusionner les N paires sûres » from the queue: a confirmation page that says how many pairs
 * and by which rule, then the scan job with its automatic merges — the same scan and merges as
 * `maillage dedupe --auto-merge`, in the background (the queue shows their progress), each merge
 * made in the name of the person who asked and undone one by one in /admin/fusions.
 */
export const autoMergeRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const staff = { config: { access: 'staff' as const } };

  app.get(AUTO_MERGE_PATH, staff, async (request, reply) => {
    const [count, scan] = await Promise.all([repo.countAutoMergeable(k.db), scanState(k.db)]);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, AutoMergePage({ ctx, count, pending: scan.autoMerge }));
  });

  app.post(AUTO_MERGE_PATH, staff, async (request, reply) => {
    const user = request.user;
    if (!user) throw new AppError('forbidden');
    // One at a time: asked again while one waits or runs (a double click), it is the same.
    const pending = (await scanState(k.db)).autoMerge;
    const minute = Math.floor(k.clock.now().getTime() / 60_000);
    const payload: ScanJobPayload = { autoMerge: true, by: { id: user.id, email: user.email } };
    const id = pending ? null : await k.jobs.enqueue(DUPLICATE_SCAN_JOB, payload, { idempotencyKey: `${DUPLICATE_SCAN_JOB}:auto-merge:${minute}` });
    flash(request, id ? 'success' : 'info', request.t(id ? 'merge.auto.queued' : 'merge.auto.already'));
    return reply.redirect(QUEUE_PATH, 303);
  });
};
