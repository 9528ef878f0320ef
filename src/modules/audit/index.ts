import type { Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { auditEntityNames, distinctAuditValues, listAudit } from '../../kernel/audit/index.js';
import { sendPage, viewContext } from '../../kernel/http/view-context.js';
import { redirectPastLastPage } from '../../kernel/http/past-last-page.js';
import type { Translate } from '../../kernel/i18n/index.js';
import type { FeatureModule } from '../../kernel/module.js';
import { PAGE_SIZE, pageNumber } from '../../kernel/ui/pager.js';
import { isCalendarDay } from '../../kernel/time/date-only.js';
import { parseForm, translateErrors } from '../../kernel/validation.js';
import { AuditQuery } from './schemas.js';
import { AuditPage } from './views.js';

export { EntityName, showsType } from './views.js';

/**
 * What was typed, quoted back in an error message: cut when longer than any day written out
 * (« 31 décembre 2025 »), so the message under a narrow date field stays a few lines.
 */
function quoted(value: string): string {
  return value.length > 16 ? `${value.slice(0, 15)}…` : value;
}

interface JournalQuery {
  /** The filters to apply; none when a filter is wrong (the list is then not shown at all). */
  filter: Static<typeof AuditQuery>;
  /** The values as sent, shown back in the form, the wrong ones included. */
  shown: Record<string, string | undefined>;
  /** Translated messages per field, in the order of the fields in the form. */
  errors: Record<string, string>;
}

/** The filter bar's fields in the order they are shown: the error summary lists its messages so. */
const FORM_ORDER = ['acteur', 'entite', 'action', 'du', 'au', 'id'];

function inFormOrder(errors: Record<string, string>): Record<string, string> {
  const rank = (name: string) => (FORM_ORDER.includes(name) ? FORM_ORDER.indexOf(name) : FORM_ORDER.length);
  return Object.fromEntries(Object.entries(errors).sort(([a], [b]) => rank(a) - rank(b)));
}

/**
 * The filters checked, the dates against the calendar and against each other. A wrong filter is
 * said (the bad date quoted: a date picker cannot show it back); the list is then refused rather
 * than shown without that filter, which would look like an answer to the question asked.
 * A page number that is not one is no filter: the first page is shown.
 */
function readQuery(raw: unknown, t: Translate): JournalQuery {
  const parsed = parseForm(AuditQuery, raw);
  const shown: Record<string, string | undefined> = parsed.ok ? { ...parsed.value } : { ...parsed.values };
  const found: Record<string, string> = parsed.ok ? {} : translateErrors(parsed.errors, t);
  delete found['page'];
  // An empty date field is no filter (not a wrong day): only what was typed is checked.
  const from = shown['du'] || undefined;
  const to = shown['au'] || undefined;
  if (from !== undefined && !isCalendarDay(from)) found['du'] = t('audit.dayInvalid', { value: quoted(from) });
  if (to !== undefined && !isCalendarDay(to)) found['au'] = t('audit.dayInvalid', { value: quoted(to) });
  if (from && to && !found['du'] && !found['au'] && from > to) {
    // Neither end is the wrong one on its own: the message stands by « Au », the later field.
    found['au'] = t('audit.dateOrder');
  }
  const errors = inFormOrder(found);
  if (Object.keys(errors).length > 0) return { filter: {}, shown, errors };
  if (parsed.ok) return { filter: parsed.value, shown, errors };
  // Only the page number was wrong: the first page is shown.
  delete shown['page'];
  const usable = parseForm(AuditQuery, shown);
  return { filter: usable.ok ? usable.value : {}, shown, errors };
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
    const { filter, shown, errors } = readQuery(request.query, request.t);
    const refused = Object.keys(errors).length > 0;
    const page = pageNumber(filter.page);
    const [result, values] = await Promise.all([
      refused
        ? { rows: [], total: 0 }
        : listAudit(db, {
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
    // A refused filter lists nothing and says why: the page stays.
    const beyond = refused ? undefined : redirectPastLastPage(request, reply, page, result.total, PAGE_SIZE);
    if (beyond) return beyond;
    const ctx = await viewContext(request, reply);
    const nameOf = await auditEntityNames(kernel, result.rows, ctx.locale);
    return sendPage(
      reply,
      AuditPage({
        ctx,
        rows: result.rows,
        nameOf,
        total: result.total,
        page,
        filter: { acteur: shown['acteur'], entite: shown['entite'], id: shown['id'], action: shown['action'], du: shown['du'], au: shown['au'] },
        actions: values.actions,
        entityTypes: values.entityTypes,
        errors,
      }),
      refused ? 400 : 200,
    );
  });
};


export const auditModule: FeatureModule = {
  name: 'audit',
  routes,
  adminNav: [{ href: '/admin/journal', label: 'nav.audit', roles: ['admin'] }],
};
