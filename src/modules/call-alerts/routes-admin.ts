import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import type { FieldErrors } from '../../kernel/ui/form.js';
import { callAlertsDeps } from './deps.js';
import { ensureAlertList } from './list.js';
import * as repo from './repo.js';
import { callAlertSettings, isHour, saveSendHour } from './settings.js';
import { ALERTS_PATH, AlertsPage } from './views-admin.js';

/** How many runs the back office lists. */
const RUNS_SHOWN = 30;

/** The alerts on calls in the newsletter's back office: staff see the runs, admins set the hour. */
export const callAlertsAdminRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const deps = callAlertsDeps(k);

  async function page(request: FastifyRequest, reply: FastifyReply, hourValue: string | null, errors: FieldErrors, status = 200) {
    const [list, settings, runs] = await Promise.all([ensureAlertList(deps), callAlertSettings(deps), repo.recentRuns(k.db, RUNS_SHOWN)]);
    const confirmed = await repo.countConfirmed(k.db, list.id);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, AlertsPage({ ctx, list, confirmed, sendHour: settings.sendHour, hourValue: hourValue ?? String(settings.sendHour), errors, runs }), status);
  }

  app.get(ALERTS_PATH, { config: { access: 'staff' } }, (request, reply) => page(request, reply, null, {}));

  app.post(ALERTS_PATH, { config: { access: 'admin' } }, async (request, reply) => {
    const actor = actorOf(request);
    const raw = String((request.body as Record<string, unknown> | undefined)?.['sendHour'] ?? '').trim().slice(0, 10);
    const hour = /^\d{1,2}$/.test(raw) ? Number(raw) : NaN;
    if (!isHour(hour)) return page(request, reply, raw, { sendHour: request.t('callAlerts.error.hour') }, 400);
    await saveSendHour(deps, actor, hour);
    flash(request, 'success', request.t('callAlerts.flash.saved'));
    return reply.redirect(ALERTS_PATH, 303);
  });
};
