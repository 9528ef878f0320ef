import type { FastifyPluginAsync } from 'fastify';
import { auditEntityNames, distinctAuditValues, listAudit } from '../../kernel/audit/index.js';
import { sendPage, viewContext } from '../../kernel/http/view-context.js';
import type { FeatureModule } from '../../kernel/module.js';
import { PAGE_SIZE, pageNumber } from '../../kernel/ui/pager.js';
import { type FormErrors, parseForm, translateErrors } from '../../kernel/validation.js';
import { AuditQuery } from './schemas.js';
import { AuditPage } from './views.js';

export { EntityName } from './views.js';

/** Whether a YYYY-MM-DD string is a real calendar day (2026-02-30 is not). */
function isRealDay(day: string): boolean {
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

/** The form checked, then its dates checked against the calendar. */
function parseQuery(raw: unknown) {
  const query = parseForm(AuditQuery, raw);
  if (!query.ok) return query;
  const errors: FormErrors = {};
  for (const name of ['du', 'au'] as const) {
    const day = query.value[name];
    if (day !== undefined && !isRealDay(day)) errors[name] = 'validation.date';
  }
  if (Object.keys(errors).length === 0) return query;
  const values = Object.fromEntries(Object.entries(query.value).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  return { ok: false as const, errors, values };
}

const PARIS_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Minutes Paris is ahead of UTC at an instant (60 in winter, 120 in summer). */
function parisOffsetMinutes(instant: number): number {
  const parts = Object.fromEntries(PARIS_PARTS.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(Number(parts['year']), Number(parts['month']) - 1, Number(parts['day']), Number(parts['hour']), Number(parts['minute']), Number(parts['second']));
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60000);
}

/**
 * The instant a YYYY-MM-DD day starts in Paris, `plusDays` later: the journal shows Paris times,
 * so its "du" and "au" are Paris days ("au" includes the whole day).
 */
function parisDayStart(day: string, plusDays = 0): string {
  const midnightUtc = new Date(`${day}T00:00:00Z`);
  midnightUtc.setUTCDate(midnightUtc.getUTCDate() + plusDays);
  const guess = midnightUtc.getTime() - parisOffsetMinutes(midnightUtc.getTime()) * 60000;
  const exact = midnightUtc.getTime() - parisOffsetMinutes(guess) * 60000;
  return new Date(exact).toISOString();
}

const routes: FastifyPluginAsync = async (app) => {
  const { kernel } = app;
  const { db } = kernel;
  app.get('/admin/journal', { config: { access: 'admin' } }, async (request, reply) => {
    const query = parseQuery(request.query);
    const filter = query.ok ? query.value : {};
    const page = pageNumber(filter.page);
    const [result, values] = await Promise.all([
      listAudit(db, {
        actor: filter.acteur,
        entityType: filter.entite,
        entityId: filter.id,
        action: filter.action,
        from: filter.du ? parisDayStart(filter.du) : undefined,
        to: filter.au ? parisDayStart(filter.au, 1) : undefined,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      }),
      distinctAuditValues(db),
    ]);
    const ctx = await viewContext(request, reply);
    const nameOf = await auditEntityNames(kernel, result.rows, ctx.locale);
    const shown = query.ok ? filter : (query.values as Record<string, string>);
    return sendPage(
      reply,
      AuditPage({
        ctx,
        rows: result.rows,
        nameOf,
        total: result.total,
        page,
        filter: { acteur: shown.acteur, entite: shown.entite, id: shown.id, action: shown.action, du: shown.du, au: shown.au },
        actions: values.actions,
        entityTypes: values.entityTypes,
        errors: query.ok ? {} : translateErrors(query.errors, request.t),
      }),
      query.ok ? 200 : 400,
    );
  });
};


export const auditModule: FeatureModule = {
  name: 'audit',
  routes,
  adminNav: [{ href: '/admin/journal', label: 'nav.audit', roles: ['admin'] }],
};
