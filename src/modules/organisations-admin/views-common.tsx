import type { PropsWithChildren } from '@kitajs/html';
import type { HistorySummary } from '../../kernel/ui/history.js';
import { dateOnlyDay, formatDay } from '../../kernel/time/date-only.js';
import { listDepartments } from '../../kernel/geo/communes.js';
import { listCountries } from '../../kernel/geo/countries.js';
import { formatDateTime, type MessageKey } from '../../kernel/i18n/index.js';
import { htmlToText } from '../../kernel/html.js';
import { Breadcrumb } from '../../kernel/ui/breadcrumb.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { countActiveFilters, FilterDisclosure } from '../../kernel/ui/filter-disclosure.js';
import { ErrorSummary, Form, SubmitButton } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { DataTable } from '../../kernel/ui/table.js';
import { auditActionLabel, auditActorLabel } from '../../kernel/audit/index.js';
import type { RecordOrigin } from '../merge/index.js';
import { type taxonomies, taxonomyLabel } from '../organisations/index.js';

export type Labels = Awaited<ReturnType<typeof taxonomies>>;
type Entry = { code: string; label_fr: string; label_en: string };
type Option = { value: string; label: string };
interface Link {
  href: string;
  label: string;
}

export function labelOf(ctx: ViewContext, list: Entry[], code: string): string {
  return taxonomyLabel(list, code, ctx.locale);
}

/** The first choice of a filter: no restriction, worded for what it filters (« Toutes les familles », « Tous » for a masculine label). */
export function anyOption(ctx: ViewContext, label: MessageKey): Option {
  return { value: '', label: ctx.t(label) };
}

/** A filter's choices among a taxonomy, after `all` (« Toutes les thématiques »). */
export function taxonomyOptions(ctx: ViewContext, list: Entry[], all: MessageKey): Option[] {
  return [anyOption(ctx, all), ...list.map((x) => ({ value: x.code, label: labelOf(ctx, list, x.code) }))];
}

export function countryOptions(ctx: ViewContext): Option[] {
  return [anyOption(ctx, 'backofficeOrganisations.filter.allCountries'), ...listCountries(ctx.locale).map((c) => ({ value: c.code, label: c.name }))];
}

/** The region's departments, plus the one already chosen if it lies elsewhere. */
export function departmentOptions(ctx: ViewContext, chosen: string | undefined): Option[] {
  const departments = listDepartments()
    .filter((d) => d.region === ctx.site.regionCode || d.code === chosen)
    .map((d) => ({ value: d.code, label: `${d.code} ${d.name}` }));
  return [anyOption(ctx, 'backofficeOrganisations.filter.allDepartments'), ...departments];
}

/**
 * A page of the area: its stylesheet (Layout has no head slot; a body link is valid HTML5 and
 * allowed by the CSP), a link back up, then the title, beside a button creating a record on lists.
 */
export function AreaPage({ ctx, title, back, create, children }: PropsWithChildren<{ ctx: ViewContext; title: string; back?: Link; create?: Link }>) {
  return (
    <Layout ctx={ctx} title={title} area="admin">
      <link rel="stylesheet" href="/assets/backoffice.css" />
      {back ? <Breadcrumb href={back.href} label={back.label} /> : ''}
      {create ? (
        <div class="page-head">
          <h1 safe>{title}</h1>
          <a class="button button-primary" href={create.href} safe>
            {create.label}
          </a>
        </div>
      ) : (
        <h1 safe>{title}</h1>
      )}
      {children}
    </Layout>
  );
}

/** How many of the filter form's fields are filled (the sort is no filter). */
export function activeFilterCount(shown: Record<string, string>): number {
  return countActiveFilters(Object.entries(shown).flatMap(([name, value]) => (name === 'tri' ? [] : [value])));
}

/** The search form above a list; its fields are the children. On a phone it folds behind « Filtres » while no filter is set. */
export function FilterBar({ ctx, action, active, children }: PropsWithChildren<{ ctx: ViewContext; action: string; active: number }>) {
  return (
    <FilterDisclosure ctx={ctx} active={active}>
      <form method="get" action={action} class="filter-bar" role="search" aria-label={ctx.t('backofficeOrganisations.list.filters')}>
        {children}
        <SubmitButton label={ctx.t('filter.apply')} variant="secondary" />
      </form>
    </FilterDisclosure>
  );
}

/** The table of contents of a record's page, linking to its sections. */
export function Toc({ ctx, entries }: { ctx: ViewContext; entries: readonly Link[] }) {
  return (
    <nav class="bo-toc" aria-label={ctx.t('backofficeOrganisations.edit.toc')}>
      <ul>
        {entries.map((e) => (
          <li>
            <a href={e.href} safe>
              {e.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/**
 * The id of the error summary of a form in a record's section (« erreurs-comptes »): the form
 * posts to it, so that a refused form opens at its summary, which keeps the focus (a jump to the
 * section would take it away from the summary). A saved form is redirected to its section.
 */
export function summaryAnchor(sectionId: string): string {
  return `erreurs-${sectionId}`;
}

/** A secondary form of a record's section (an interaction, a consent, an invitation): title, error summary, fields, submit. */
export function SubForm({ ctx, title, prefix, section, errors, action, submit, children }: PropsWithChildren<{ ctx: ViewContext; title: string; prefix: string; section: string; errors: Record<string, string>; action: string; submit: string }>) {
  const anchor = summaryAnchor(section);
  return (
    <>
      <h3 safe>{title}</h3>
      <ErrorSummary ctx={ctx} errors={errors} prefix={prefix} id={anchor} />
      <Form ctx={ctx} action={`${action}#${anchor}`}>
        {children}
        <SubmitButton label={submit} variant="secondary" />
      </Form>
    </>
  );
}

export function Section({ id, title, children }: PropsWithChildren<{ id: string; title: string }>) {
  return (
    <section class="bo-section" aria-labelledby={`${id}-title`} id={id}>
      <h2 id={`${id}-title`} safe>
        {title}
      </h2>
      {children}
    </section>
  );
}

export function when(ctx: ViewContext, iso: string | null | undefined): string {
  return iso ? formatDateTime(iso, ctx.locale) : '—';
}

/**
 * When something happened, as people read it: the day alone for a day given without a time (a
 * consent's or an import's legal-basis date, see dateOnlyDay), never with a time nobody entered;
 * else the day and time.
 */
export function dayOrMoment(ctx: ViewContext, iso: string): string {
  const ymd = dateOnlyDay(iso);
  return ymd ? formatDay(ymd, ctx.locale, 'medium') : when(ctx, iso);
}

/** A field's audit value as people read it (a code as its label…), or undefined to show it as it is; given only values that are not empty. */
export type HistoryValueText = (field: string, value: unknown) => string | undefined;

/** An audit value shown as text (rich text as its plain text, escaped once when shown). */
function show(value: unknown, field: string, texts?: HistoryValueText): string {
  if (value === null || value === undefined || value === '') return '—';
  const text = texts?.(field, value);
  if (text !== undefined) return text || '—';
  if (field.endsWith('_html') && typeof value === 'string') return htmlToText(value) || '—';
  if (Array.isArray(value)) return value.length ? value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ') : '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function parse(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
  } catch {
    return { value: text };
  }
}

export interface HistoryEntry {
  id: string;
  at: string;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  before: string | null;
  after: string | null;
}


/** Per action, its entry's summary from the entry's after- and before-values. */
export type HistorySummaries = Partial<Record<string, (ctx: ViewContext, after: Record<string, unknown>, before: Record<string, unknown>) => string | HistorySummary>>;

/** The fields whose value differs between `before` and `after`. */
function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((f) => JSON.stringify(before[f] ?? null) !== JSON.stringify(after[f] ?? null));
}

/** Audit entries of a record: who, when, what, and each changed field before → after (or the action's summary). */
export function History({ ctx, entries, labels, texts, summaries }: { ctx: ViewContext; entries: HistoryEntry[]; labels: Record<string, MessageKey>; texts?: HistoryValueText; summaries?: HistorySummaries }) {
  const { t } = ctx;
  if (!entries.length) return <p safe>{t('backofficeOrganisations.history.empty')}</p>;
  return (
    <ol class="timeline bo-history">
      {entries.map((e) => {
        const raw = { before: parse(e.before), after: parse(e.after) };
        const given = summaries?.[e.action]?.(ctx, raw.after, raw.before);
        const summary: HistorySummary | undefined = typeof given === 'string' ? { text: given } : given;
        // A summary stands for the entry's values: only the fields it gives are compared.
        const { before, after } = summary ? (summary.changes ?? { before: {}, after: {} }) : raw;
        const fields = changedFields(before, after);
        return (
          <li>
            <time datetime={e.at} safe>
              {when(ctx, e.at)}
            </time>
            <div>
              <p class="bo-history-head">
                <span data-action={e.action} safe>
                  {auditActionLabel(e.action, t)}
                </span>
                {' · '}
                <span safe>{auditActorLabel(e, t)}</span>
              </p>
              {summary?.text ? (
                <p>
                  <span safe>{summary.text}</span>
                  {summary.link ? (
                    <>
                      {' '}
                      <a href={summary.link.href} safe>
                        {summary.link.label}
                      </a>
                    </>
                  ) : (
                    ''
                  )}
                </p>
              ) : (
                ''
              )}
              {fields.length ? (
                <DataTable caption={t('backofficeOrganisations.history.changes')} columns={[t('backofficeOrganisations.history.field'), t('audit.before'), t('audit.after')]} class="bo-diff" wrap={false}>
                  {fields.map((f) => (
                    <tr>
                      <th scope="row" safe>
                        {labels[f] ? t(labels[f]) : f}
                      </th>
                      <td safe>{show(before[f], f, texts)}</td>
                      <td safe>{show(after[f], f, texts)}</td>
                    </tr>
                  ))}
                </DataTable>
              ) : (
                ''
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/** « Fichier « capcoop.csv », ligne 332, référence CAP-00331 » — what of it is known. */
function originText(ctx: ViewContext, o: RecordOrigin): string {
  const { t } = ctx;
  return [
    o.file ? t('backofficeOrganisations.origin.file', { file: o.file }) : '',
    o.row !== null ? t('backofficeOrganisations.origin.row', { row: o.row }) : '',
    o.ref ? t('backofficeOrganisations.origin.ref', { ref: o.ref }) : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/**
 * Where a record came from (« Provenance »): for each import, its file, row and reference, and its
 * batch linked to the import's page; an origin brought by a merge says so and links to the merge.
 * Nothing for a record typed in by hand.
 */
export function Origins({ ctx, origins }: { ctx: ViewContext; origins: RecordOrigin[] }) {
  const { t } = ctx;
  if (!origins.length) return '';
  return (
    <Section id="provenance" title={t('backofficeOrganisations.origin.title')}>
      <p class="hint" safe>
        {t('backofficeOrganisations.origin.hint')}
      </p>
      <ul class="bo-list bo-origins">
        {origins.map((o) => {
          const text = originText(ctx, o);
          return (
            <li>
              {text ? <span safe>{text}</span> : ''}
              {o.batchId ? (
                <>
                  {text ? ' · ' : ''}
                  {o.batch ? (
                    <a href={`/admin/imports/${encodeURIComponent(o.batchId)}`} safe>
                      {t('backofficeOrganisations.origin.batch', { source: o.batch.sourceName, date: when(ctx, o.batch.importedAt) })}
                    </a>
                  ) : (
                    <span safe>{t('backofficeOrganisations.origin.batchGone')}</span>
                  )}
                </>
              ) : (
                ''
              )}
              {o.mergeId ? (
                <>
                  {' · '}
                  <span safe>{t('backofficeOrganisations.origin.merged')}</span>{' '}
                  <a href={`/admin/fusions/${encodeURIComponent(o.mergeId)}`} safe>
                    {t('merge.history.entryLink')}
                  </a>
                </>
              ) : (
                ''
              )}
            </li>
          );
        })}
      </ul>
    </Section>
  );
}

