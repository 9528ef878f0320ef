import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, formBody } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { translator } from '../../kernel/i18n/index.js';
import type { FieldErrors } from '../../kernel/ui/form.js';
import { parseForm, translateErrors } from '../../kernel/validation.js';
import { listLists } from '../newsletter/index.js';
import { asList, MonthlyForm } from './forms.js';
import { createMonthlyBulletin, monthlySubject } from './monthly.js';
import { bulletinDeps } from './http.js';
import { comingMonth, monthChoices, monthName } from './template.js';
import { MAILINGS_BASE } from './views-editor.js';
import { MONTHLY_PATH, MonthlyPage, type MonthlyValues } from './views-monthly.js';

/** « Nouveau bulletin mensuel »: the form, and the draft it creates (then the block editor). */
export const monthlyRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const deps = bulletinDeps(k);
  const staff = { config: { access: 'staff' as const } };
  const fr = translator('fr');

  async function page(request: FastifyRequest, reply: FastifyReply, values: MonthlyValues | null, errors: FieldErrors, status = 200) {
    const ctx = await viewContext(request, reply);
    const lists = await listLists(k.db);
    // The coming month by default: a bulletin is usually prepared the month before it goes out.
    const month = comingMonth(k.clock.now());
    const choices = monthChoices(k.clock.now());
    const shown = values ?? { month, subject: '', lists: lists.filter((l) => l.is_default === 1).map((l) => l.id) };
    const mark = (m: string) => (m === choices[0] ? 'bulletin.monthly.current' : m === month ? 'bulletin.monthly.next' : null);
    return sendPage(
      reply,
      MonthlyPage({
        ctx,
        values: shown,
        errors,
        months: choices.map((m) => {
          const key = mark(m);
          return { value: m, label: key ? ctx.t(key, { month: monthName(m) }) : monthName(m) };
        }),
        lists: lists.map((l) => ({ id: l.id, name: l.name, hint: ctx.t(l.is_public ? 'newsletter.lists.countPublic' : 'newsletter.lists.countPrivate', { count: l.confirmed }) })),
        // The subject left empty is the chosen month's (in French, as the bulletin is written): each month's hint says which.
        subjectHints: Object.fromEntries([...new Set([...choices, shown.month])].filter(Boolean).map((m) => [m, ctx.t('bulletin.monthly.subjectHint', { example: monthlySubject(fr, m) })])),
      }),
      status,
    );
  }

  app.get(MONTHLY_PATH, staff, (request, reply) => page(request, reply, null, {}));

  app.post(MONTHLY_PATH, staff, async (request, reply) => {
    const body = formBody(request);
    const values: MonthlyValues = { month: String(body['month'] ?? '').slice(0, 7), subject: String(body['subject'] ?? '').slice(0, 200), lists: asList(body['lists']).slice(0, 100) };
    const form = parseForm(MonthlyForm, body);
    if (!form.ok) return page(request, reply, values, translateErrors(form.errors, request.t), 400);
    const ctx = await viewContext(request, reply);
    const result = await createMonthlyBulletin(deps, actorOf(request), { month: values.month, subject: values.subject, fromName: ctx.site.networkName, listIds: values.lists }, fr);
    if (!result.ok) return page(request, reply, values, { [result.field]: request.t(result.key) }, 400);
    flash(request, 'success', request.t('bulletin.flash.created'));
    return reply.redirect(`${MAILINGS_BASE}/${result.id}/blocs`, 303);
  });
};
