import type { FastifyPluginAsync } from 'fastify';
import { distinctAuditValues, listAudit } from '../../kernel/audit/index.js';
import { sendPage, viewContext } from '../../kernel/http/view-context.js';
import type { FeatureModule } from '../../kernel/module.js';
import { PAGE_SIZE, pageNumber } from '../../kernel/ui/pager.js';
import { parseForm, translateErrors } from '../../kernel/validation.js';
import { AuditQuery } from './schemas.js';
import { AuditPage } from './views.js';

/** The day after a YYYY-MM-DD date, so "au" includes the whole day. */
function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

const routes: FastifyPluginAsync = async (app) => {
  const { db } = app.kernel;
  app.get('/admin/journal', { config: { access: 'admin' } }, async (request, reply) => {
    const query = parseForm(AuditQuery, request.query);
    const filter = query.ok ? query.value : {};
    const page = pageNumber(filter.page);
    const [result, values] = await Promise.all([
      listAudit(db, {
        actor: filter.acteur,
        entityType: filter.entite,
        entityId: filter.id,
        action: filter.action,
        from: filter.du ? `${filter.du}T00:00:00.000Z` : undefined,
        to: filter.au ? nextDay(filter.au) : undefined,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      }),
      distinctAuditValues(db),
    ]);
    const ctx = await viewContext(request, reply);
    const shown = query.ok ? filter : (query.values as Record<string, string>);
    return sendPage(
      reply,
      AuditPage({
        ctx,
        rows: result.rows,
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
