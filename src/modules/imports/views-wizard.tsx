import type { PropsWithChildren } from '@kitajs/html';
import { dateTimeFormat, formatDateTime, formatFileSize, type MessageKey, numberFormat } from '../../kernel/i18n/index.js';
import { Breadcrumb } from '../../kernel/ui/breadcrumb.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { CheckboxField, describedBy, ErrorSummary, Field, type FieldErrors, FieldNotes, fieldId, Form, Select, SubmitButton, TextArea } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { Pager } from '../../kernel/ui/pager.js';
import { type Column, DataTable } from '../../kernel/ui/table.js';
import { batchStarted, deletable, undoable, undoneCounts } from './batch-data.js';
import { batchFailureText } from './errors.js';
import type { BatchRow, IssueRow } from './repo.js';
import { abandonedDraftRemovalAt } from './retention.js';
import { issueText, storedIssueParams } from './issue-text.js';
import { LEGAL_BASES, MULTI_TARGETS, TARGETS } from './types.js';
import { AUTO, type ColumnChoice, MEMBER_CURRENT_CHOICES, type MemberCurrentChoice, memberCurrentValue, SEPARATOR_CHOICES, SEPARATOR_LABEL, separatorValue, VALUE_MAPPED, VISIBILITIES } from './wizard-form.js';
import type { BatchListRow } from './wizard-repo.js';

export const BATCH_PAGE_SIZE = 25;
export const ISSUE_PAGE_SIZE = 50;

/** What the progress page and its JSON endpoint show. */
export interface ProgressView {
  status: BatchRow['status'];
  /** The status as the page's badge says it (imports.js keeps the badge in step while it polls). */
  statusLabel: string;
  /** Null while the file is validated (its number of rows is known at the end). */
  percent: number | null;
  done: number;
  total: number;
  rowsPerSecond: number | null;
  etaSeconds: number | null;
  /** The sentence of the live region. */
  text: string;
  running: boolean;
}

export function nf(ctx: ViewContext, n: number, digits = 0): string {
  return numberFormat(ctx.locale, { maximumFractionDigits: digits }).format(n);
}

/** The progress sentence: "42 % — 420 lignes sur 1 000, 350 lignes/s, environ 2 s restantes". */
export function progressText(t: ViewContext['t'], locale: ViewContext['locale'], p: Omit<ProgressView, 'text' | 'running'>): string {
  const fmt = (n: number) => numberFormat(locale, { maximumFractionDigits: 0 }).format(n);
  const parts = [t('importWizard.progress.rows', { percent: numberFormat(locale).format(p.percent ?? 0), done: fmt(p.done), total: fmt(p.total) })];
  if (p.rowsPerSecond) parts.push(t('importWizard.progress.speed', { speed: fmt(p.rowsPerSecond) }));
  // At 0 s left the rows are written and the batch is finishing: nothing left to announce.
  if (p.etaSeconds !== null && p.status !== 'committed' && Math.ceil(p.etaSeconds) > 0) parts.push(t('importWizard.progress.eta', { seconds: fmt(Math.ceil(p.etaSeconds)) }));
  if (p.status === 'queued') parts.push(t('importWizard.progress.queued'));
  return parts.join(', ');
}

/** The validation's sentence: "Vérification : 12 000 ligne(s) lue(s), 4 000 lignes par seconde". */
export function validationText(t: ViewContext['t'], locale: ViewContext['locale'], p: Pick<ProgressView, 'done' | 'rowsPerSecond'>): string {
  const fmt = (n: number) => numberFormat(locale, { maximumFractionDigits: 0 }).format(n);
  if (p.done === 0) return t('importWizard.validation.queued');
  const parts = [t('importWizard.validation.rows', { done: fmt(p.done) })];
  if (p.rowsPerSecond) parts.push(t('importWizard.progress.speed', { speed: fmt(p.rowsPerSecond) }));
  return parts.join(', ');
}

/**
 * A table in a frame that scrolls sideways on narrow screens: focusable (keyboard users scroll it
 * too), named by its caption, and positioned so its hidden texts stay inside it.
 */
export function ScrollTable({ caption, columns, class: className, children }: PropsWithChildren<{ caption: string; columns: readonly Column[]; class?: string }>) {
  return (
    <div class="table-wrap import-table-wrap" tabindex="0" role="region" aria-label={caption}>
      <DataTable caption={caption} columns={columns} class={className} wrap={false}>
        {children}
      </DataTable>
    </div>
  );
}

export function WizardPage({ ctx, title, back, children }: PropsWithChildren<{ ctx: ViewContext; title: string; back?: { href: string; label: string } }>) {
  return (
    <Layout ctx={ctx} title={title} area="admin">
      <link rel="stylesheet" href="/assets/imports.css" />
      {back ? <Breadcrumb href={back.href} label={back.label} /> : ''}
      <h1 safe>{title}</h1>
      {children}
    </Layout>
  );
}

const STEPS: { key: string; label: MessageKey; href: (id: string) => string }[] = [
  { key: 'fichier', label: 'importWizard.step.file', href: (id) => `/admin/imports/${id}/fichier` },
  { key: 'correspondance', label: 'importWizard.step.mapping', href: (id) => `/admin/imports/${id}/correspondance` },
  { key: 'rapport', label: 'importWizard.step.report', href: (id) => `/admin/imports/${id}/rapport` },
  { key: 'import', label: 'importWizard.step.import', href: (id) => `/admin/imports/${id}` },
];

/** When an import wrote its file, as « le … » says it. */
export function importedOn(ctx: ViewContext, batch: BatchRow): string {
  return formatDateTime(batch.finished_at ?? batch.created_at, ctx.locale);
}

/** The wizard's steps, the current one marked; steps not reachable yet are plain text. */
export function Steps({ ctx, batch, current }: { ctx: ViewContext; batch: BatchRow; current: string }) {
  const validated = batch.validated_at !== null || batch.status === 'validating';
  // Once writing has begun, the earlier steps are history: the import page links the report's CSV.
  const reachable = (key: string) => (batchStarted(batch) ? key === 'import' : key === 'fichier' || key === 'correspondance' || (key === 'rapport' && validated));
  return (
    <nav aria-label={ctx.t('importWizard.steps')}>
      <ol class="import-steps">
        {STEPS.map((s, i) => (
          <li class={s.key === current ? 'import-step import-step-current' : 'import-step'}>
            {reachable(s.key) && s.key !== current ? (
              <a href={s.href(batch.id)} safe>{`${i + 1}. ${ctx.t(s.label)}`}</a>
            ) : (
              <span aria-current={s.key === current ? 'step' : undefined} safe>{`${i + 1}. ${ctx.t(s.label)}`}</span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** A batch's status as people read it (the badge, the polled progress). */
export function statusLabel(t: ViewContext['t'], status: string): string {
  return t(`importWizard.status.${status}` as MessageKey);
}

// ---------- List and upload ----------

export interface ListProps {
  ctx: ViewContext;
  batches: BatchListRow[];
  total: number;
  page: number;
  errors?: FieldErrors;
  values?: { source?: string };
  maxBytes: number;
}

export function BatchListPage({ ctx, batches, total, page, errors = {}, values = {}, maxBytes }: ListProps) {
  const { t } = ctx;
  return (
    <WizardPage ctx={ctx} title={t('importWizard.title')}>
      <p class="lead" safe>{t('importWizard.intro')}</p>
      <section class="panel" aria-labelledby="nouvel-import">
        <h2 id="nouvel-import" safe>{t('importWizard.new')}</h2>
        <Form ctx={ctx} action="/admin/imports" multipart>
          <ErrorSummary ctx={ctx} errors={errors} />
          <Field
            name="fichier"
            type="file"
            label={t('importWizard.file')}
            hint={t('importWizard.fileHint', { max: formatFileSize(maxBytes, ctx.locale) })}
            accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            required
            error={errors['fichier']}
          />
          <Field name="source" label={t('importWizard.source')} hint={t('importWizard.sourceHint')} value={values.source} error={errors['source']} />
          <SubmitButton label={t('importWizard.upload')} />
        </Form>
      </section>
      <section aria-labelledby="imports-precedents">
        <h2 id="imports-precedents" safe>{t('importWizard.list')}</h2>
        {batches.length === 0 ? (
          <p safe>{t('importWizard.listEmpty')}</p>
        ) : (
          <ScrollTable
            caption={t('importWizard.listCaption')}
            columns={[t('importWizard.col.file'), t('importWizard.col.source'), t('importWizard.col.date'), t('importWizard.col.who'), t('importWizard.col.status'), t('importWizard.col.counts'), t('importWizard.col.action')]}
            class="table-stack"
          >
            {/* On a phone each import is a card (.table-stack): its file on top, each value under its column's name, its links last. */}
            {batches.map((b) => (
              <tr>
                <td class="import-file-name" safe>{b.file_name}</td>
                <td data-label={t('importWizard.col.source')} safe>{b.source_name}</td>
                <td class="nowrap" data-label={t('importWizard.col.date')} safe>{formatDateTime(b.created_at, ctx.locale)}</td>
                <td data-label={t('importWizard.col.who')} safe>{b.author ?? t('importWizard.commandLine')}</td>
                <td data-label={t('importWizard.col.status')}>
                  {/* Wrapped: on a card the cell is a grid, whose item would stretch the badge across its column. */}
                  <span>
                    <span class={`badge import-status-${b.status}`} safe>{statusLabel(t, b.status)}</span>
                  </span>
                  {/* An upload left before its import goes by itself: the list says when. */}
                  {b.status === 'draft' || b.status === 'validated' ? (
                    <p class="hint" safe>
                      {t('importWizard.draftRemoval', { date: dateTimeFormat(ctx.locale, { dateStyle: 'long' }).format(abandonedDraftRemovalAt(b)) })}
                    </p>
                  ) : (
                    ''
                  )}
                </td>
                <td data-label={t('importWizard.col.counts')} safe>
                  {b.status === 'undone'
                    ? // What the undo removed, not what the import had created: none of it is left.
                      t('importWizard.counts.undone', numbersOf(ctx, undoneCounts(b, b.undo_journal)))
                    : b.status === 'committed'
                    ? t('importWizard.counts.created', { organisations: nf(ctx, b.created_organisations), contacts: nf(ctx, b.created_contacts) })
                    : b.validated_at
                      ? t('importWizard.counts.validated', { total: nf(ctx, b.total_rows), errors: nf(ctx, b.error_rows) })
                      : '—'}
                </td>
                <td>
                  <a href={b.status === 'draft' ? `/admin/imports/${b.id}/fichier` : b.status === 'validated' || b.status === 'validating' ? `/admin/imports/${b.id}/rapport` : `/admin/imports/${b.id}`}>
                    <span safe>{t('importWizard.open')}</span>
                    <span class="visually-hidden" safe>{` ${b.file_name}`}</span>
                  </a>
                  {deletable(b) ? (
                    <>
                      {' · '}
                      <a href={`/admin/imports/${b.id}#supprimer`}>
                        <span safe>{t('importWizard.delete.link')}</span>
                        <span class="visually-hidden" safe>{` ${b.file_name}`}</span>
                      </a>
                    </>
                  ) : (
                    ''
                  )}
                </td>
              </tr>
            ))}
          </ScrollTable>
        )}
        <Pager ctx={ctx} page={page} total={total} query={{}} pageSize={BATCH_PAGE_SIZE} />
      </section>
    </WizardPage>
  );
}

// ---------- Mapping ----------

export interface MappingProps {
  ctx: ViewContext;
  batch: BatchRow;
  columns: ColumnChoice[];
  kinds: { code: string; label: string }[];
  saved: string[];
  errors?: FieldErrors;
  /** A refusal of the whole mapping (no name column…), shown above the form. */
  formError?: string;
  saveAs?: string;
  /** Who will see the organisations created (the mapping's choice). */
  visibility?: string;
  /** The membership a member column stands for: the year read from its header, the choice over the current member flag, and the year now. */
  membership: { year: number | null; current: boolean | null | undefined; currentYear: number };
}

function targetOptions(ctx: ViewContext) {
  return TARGETS.map((target) => ({ value: target, label: ctx.t(`imports.field.${target}` as MessageKey) }));
}

function ValueMap({ ctx, column, kinds, errors }: { ctx: ViewContext; column: ColumnChoice; kinds: { code: string; label: string }[]; errors: FieldErrors }) {
  const { t } = ctx;
  const field = column.spec.field;
  if (!VALUE_MAPPED.includes(field) || column.distinct.length === 0) return '';
  const options = [
    { value: AUTO, label: t('importWizard.mapping.auto') },
    ...(field === 'kind'
      ? kinds.map((k) => ({ value: k.code, label: k.label }))
      : [
          { value: '1', label: t('importWizard.mapping.member') },
          { value: '0', label: t('importWizard.mapping.notMember') },
        ]),
  ];
  return (
    <fieldset class="import-values">
      <legend safe>{t('importWizard.mapping.values', { column: column.header })}</legend>
      {column.distinct.map((value, j) => (
        <Select
          name={`val_${column.index}_${j}`}
          label={t('importWizard.mapping.value', { value })}
          options={options}
          value={column.spec.values?.[value] ?? AUTO}
          error={errors[`val_${column.index}_${j}`]}
        />
      ))}
    </fieldset>
  );
}

/**
 * Under the member column: the year its header names (whose membership each yes records), and
 * whether a yes also makes the organisation a current member, by default only for this year's column.
 */
function MemberCurrent({ ctx, membership, errors }: { ctx: ViewContext; membership: MappingProps['membership']; errors: FieldErrors }) {
  const { t } = ctx;
  const { year, currentYear } = membership;
  const byYear =
    year === null
      ? t('importWizard.mapping.memberCurrentNoYear')
      : year === currentYear
        ? t('importWizard.mapping.memberCurrentThisYear', { year })
        : t('importWizard.mapping.memberCurrentOtherYear', { year, current: currentYear });
  const labels: Record<MemberCurrentChoice, string> = { annee: byYear, oui: t('importWizard.mapping.memberCurrentYes'), non: t('importWizard.mapping.memberCurrentNo') };
  return (
    <Radios
      name="adherent_actuel"
      legend={t('importWizard.mapping.memberCurrent')}
      hint={year === null ? t('importWizard.mapping.memberNoYear') : t('importWizard.mapping.memberYear', { year })}
      value={memberCurrentValue(membership.current)}
      error={errors['adherent_actuel']}
      options={(Object.keys(MEMBER_CURRENT_CHOICES) as MemberCurrentChoice[]).map((v) => ({ value: v, label: labels[v] }))}
    />
  );
}

export function MappingPage({ ctx, batch, columns, kinds, saved, errors = {}, formError, saveAs, visibility, membership }: MappingProps) {
  const { t } = ctx;
  const separators = SEPARATOR_CHOICES.map((s) => ({ value: separatorValue(s), label: t(SEPARATOR_LABEL[s]) }));
  return (
    <WizardPage ctx={ctx} title={t('importWizard.mapping.title', { file: batch.file_name })} back={{ href: '/admin/imports', label: t('importWizard.back') }}>
      <Steps ctx={ctx} batch={batch} current="correspondance" />
      <p class="lead" safe>{t('importWizard.mapping.intro')}</p>
      {saved.length > 0 ? (
        <section class="panel" aria-labelledby="modele">
          <h2 id="modele" safe>{t('importWizard.mapping.savedTitle')}</h2>
          <Form ctx={ctx} action={`/admin/imports/${batch.id}/modele`} class="stack-form import-inline-form">
            <Select name="modele" label={t('importWizard.mapping.savedSelect')} options={saved.map((name) => ({ value: name, label: name }))} error={errors['modele']} />
            <SubmitButton label={t('importWizard.mapping.apply')} variant="secondary" />
          </Form>
        </section>
      ) : (
        ''
      )}
      <Form ctx={ctx} action={`/admin/imports/${batch.id}/correspondance`}>
        {formError ? (
          <div class="error-summary" role="alert" tabindex="-1">
            <p safe>{formError}</p>
          </div>
        ) : (
          ''
        )}
        <ErrorSummary ctx={ctx} errors={errors} />
        <div class="import-columns">
          {columns.map((column) => (
            <fieldset class="import-column">
              <legend>
                <span safe>{t('importWizard.mapping.column', { column: column.header })}</span>
              </legend>
              {column.samples.length ? (
                <p class="hint import-samples" safe>
                  {t('importWizard.mapping.samples', { values: column.samples.join(' · ') })}
                </p>
              ) : (
                <p class="hint" safe>{t('importWizard.mapping.noSample')}</p>
              )}
              <Select
                name={`col_${column.index}`}
                label={t('importWizard.mapping.target', { column: column.header })}
                options={targetOptions(ctx)}
                value={column.spec.field}
                error={errors[`col_${column.index}`]}
              />
              {MULTI_TARGETS.includes(column.spec.field) ? (
                <Select
                  name={`sep_${column.index}`}
                  label={t('importWizard.mapping.separator', { column: column.header })}
                  options={separators}
                  value={column.spec.split ? separatorValue(column.spec.split) : ''}
                  error={errors[`sep_${column.index}`]}
                />
              ) : (
                <input type="hidden" name={`sep_${column.index}`} value="" />
              )}
              <ValueMap ctx={ctx} column={column} kinds={kinds} errors={errors} />
              {column.spec.field === 'is_member' && !columns.some((c) => c.spec.field === 'is_member' && c.index < column.index) ? (
                <MemberCurrent ctx={ctx} membership={membership} errors={errors} />
              ) : (
                ''
              )}
            </fieldset>
          ))}
        </div>
        <Radios
          name="visibilite"
          legend={t('importWizard.visibility.legend')}
          hint={t('importWizard.visibility.hint')}
          value={visibility ?? 'public'}
          error={errors['visibilite']}
          options={VISIBILITIES.map((v) => ({ value: v, label: t(`importWizard.visibility.${v}` as MessageKey) }))}
        />
        <Field name="enregistrer_sous" label={t('importWizard.mapping.saveAs')} hint={t('importWizard.mapping.saveAsHint')} value={saveAs} error={errors['enregistrer_sous']} />
        <SubmitButton label={t('importWizard.mapping.submit')} />
      </Form>
    </WizardPage>
  );
}

// ---------- Report and choices ----------

export interface CommitValues {
  mode: string;
  base: string;
  date: string;
  detail: string;
  source_consent: string;
}

export interface ReportProps {
  ctx: ViewContext;
  batch: BatchRow;
  issues: IssueRow[];
  issueTotal: number;
  page: number;
  values: CommitValues;
  errors?: FieldErrors;
  /** An earlier import of the same content, written and not undone: recalled before the import starts. */
  earlier?: BatchRow;
}

function lineText(ctx: ViewContext, issue: IssueRow): string {
  return issueText(ctx.t, issue.code as MessageKey, storedIssueParams(issue.params));
}

function fieldLabel(ctx: ViewContext, field: string): string {
  return (TARGETS as readonly string[]).includes(field) ? ctx.t(`imports.field.${field}` as MessageKey) : field === 'row' ? ctx.t('importWizard.report.wholeRow') : field;
}

/** A choice among a few options: a framed group, like the columns' (`import-choices`), each radio beside its label's first line. */
function Radios({ name, legend, hint, options, value, error }: { name: string; legend: string; hint?: string; options: { value: string; label: string }[]; value: string; error?: string }) {
  const id = fieldId(name);
  return (
    <fieldset class={error ? 'field import-choices field-invalid' : 'field import-choices'} id={id} aria-describedby={describedBy(id, hint, error)}>
      <legend safe>{legend}</legend>
      <FieldNotes id={id} hint={hint} error={error} />
      {options.map((o) => (
        <div class="field-check">
          <input type="radio" id={`${id}-${o.value}`} name={name} value={o.value} checked={o.value === value} />
          <label for={`${id}-${o.value}`} safe>
            {o.label}
          </label>
        </div>
      ))}
    </fieldset>
  );
}

export function ReportPage({ ctx, batch, issues, issueTotal, page, values, errors = {}, earlier }: ReportProps) {
  const { t } = ctx;
  const stats: [string, number][] = [
    [t('importWizard.report.total', { count: batch.total_rows }), batch.total_rows],
    [t('importWizard.report.valid', { count: batch.valid_rows }), batch.valid_rows],
    [t('importWizard.report.warnings', { count: batch.warning_rows }), batch.warning_rows],
    [t('importWizard.report.errors', { count: batch.error_rows }), batch.error_rows],
  ];
  return (
    <WizardPage ctx={ctx} title={t('importWizard.report.title', { file: batch.file_name })} back={{ href: '/admin/imports', label: t('importWizard.back') }}>
      <Steps ctx={ctx} batch={batch} current="rapport" />
      <ul class="stats import-stats" aria-label={t('importWizard.report.counts')}>
        {stats.map(([label, n]) => (
          <li class="stat">
            <span class="stat-value" safe>{nf(ctx, n)}</span>
            <span class="stat-label" safe>{label}</span>
          </li>
        ))}
      </ul>
      <p>
        <a href={`/admin/imports/${batch.id}/rapport.csv`} download="" safe>
          {t('importWizard.report.download')}
        </a>
      </p>
      <h2 safe>{t('importWizard.report.issues')}</h2>
      {issues.length === 0 ? (
        <p safe>{t('importWizard.report.noIssue')}</p>
      ) : (
        // On a phone each issue is a card (.table-stack): « Ligne 35 » and its level on one line, the
        // column and the value read under their names, the message in full width.
        <ScrollTable caption={t('importWizard.report.caption')} columns={[t('imports.field.row'), t('importWizard.report.level'), t('importWizard.report.field'), t('importWizard.report.message'), t('importWizard.report.raw')]} class="import-issues table-stack">
          {issues.map((i) => (
            <tr>
              <td class="import-issue-row" data-label={t('imports.field.row')} safe>
                {String(i.row_number)}
              </td>
              <td class="import-issue-level">
                <span class={`badge import-level-${i.level}`} safe>{t(i.level === 'error' ? 'imports.level.error' : 'imports.level.warning')}</span>
              </td>
              <td data-label={t('importWizard.report.field')} safe>
                {fieldLabel(ctx, i.field)}
              </td>
              <td class="import-issue-message" safe>
                {lineText(ctx, i)}
              </td>
              <td class="import-raw" data-label={t('importWizard.report.raw')} safe>
                {i.raw_value ?? ''}
              </td>
            </tr>
          ))}
        </ScrollTable>
      )}
      <Pager ctx={ctx} page={page} total={issueTotal} query={{}} pageSize={ISSUE_PAGE_SIZE} />

      <section class="panel" aria-labelledby="lancer">
        <h2 id="lancer" safe>{t('importWizard.commit.title')}</h2>
        {earlier ? (
          <p class="import-reading-warning">
            <span safe>{t('importWizard.already.reminder', { date: importedOn(ctx, earlier), source: earlier.source_name })}</span>{' '}
            <a href={`/admin/imports/${earlier.id}`} safe>
              {t('importWizard.already.see', { date: importedOn(ctx, earlier) })}
            </a>
          </p>
        ) : (
          ''
        )}
        <Form ctx={ctx} action={`/admin/imports/${batch.id}/importer`}>
          <ErrorSummary ctx={ctx} errors={errors} />
          <Radios
            name="mode"
            legend={t('importWizard.commit.mode')}
            value={values.mode}
            error={errors['mode']}
            options={[
              { value: 'valid-only', label: t('importWizard.commit.validOnly', { count: nf(ctx, batch.valid_rows) }) },
              { value: 'all-or-nothing', label: t('importWizard.commit.allOrNothing') },
            ]}
          />
          <fieldset class="import-legal">
            <legend safe>{t('importWizard.commit.legal')}</legend>
            <p class="hint" safe>{t('importWizard.commit.legalHint')}</p>
            <Select
              name="base"
              label={t('importWizard.commit.base')}
              options={LEGAL_BASES.map((b) => ({ value: b, label: t(`importWizard.base.${b}` as MessageKey) }))}
              value={values.base}
              error={errors['base']}
            />
            <Field name="date" type="date" label={t('importWizard.commit.date')} hint={t('importWizard.commit.dateHint')} value={values.date} error={errors['date']} />
            <Field name="source_consent" label={t('importWizard.commit.consentSource')} hint={t('importWizard.commit.consentSourceHint')} value={values.source_consent} error={errors['source_consent']} />
            <TextArea name="detail" label={t('importWizard.commit.detail')} hint={t('importWizard.commit.detailHint')} value={values.detail} error={errors['detail']} rows={3} />
          </fieldset>
          <SubmitButton label={t('importWizard.commit.submit')} />
        </Form>
      </section>
    </WizardPage>
  );
}

// ---------- Progress and result ----------

export interface BatchPageProps {
  ctx: ViewContext;
  batch: BatchRow;
  progress: ProgressView;
  /** Errors of the deletion form (its confirmation box). */
  errors?: FieldErrors;
  /** An undone batch: what its undo removed (see undoneCounts). */
  removed?: { organisations: number; contacts: number };
}

/** Counts as a message's numbers, formatted in the page's language. */
function numbersOf(ctx: ViewContext, counts: { organisations: number; contacts: number }): { organisations: string; contacts: string } {
  return { organisations: nf(ctx, counts.organisations), contacts: nf(ctx, counts.contacts) };
}

/**
 * What the import did: the records it created and the rows it left out; once undone, what the
 * undo removed instead (none of what it created is left: « 8 000 structures créées » would mislead).
 */
function Counts({ ctx, batch, removed }: { ctx: ViewContext; batch: BatchRow; removed?: { organisations: number; contacts: number } }) {
  const { t } = ctx;
  const rows: [string, number][] =
    batch.status === 'undone'
      ? [
          [t('importWizard.result.removedOrganisations', { count: removed?.organisations ?? batch.created_organisations }), removed?.organisations ?? batch.created_organisations],
          [t('importWizard.result.removedContacts', { count: removed?.contacts ?? batch.created_contacts }), removed?.contacts ?? batch.created_contacts],
        ]
      : [
          [t('importWizard.result.organisations', { count: batch.created_organisations }), batch.created_organisations],
          [t('importWizard.result.contacts', { count: batch.created_contacts }), batch.created_contacts],
          [t('importWizard.result.skipped', { count: batch.skipped_rows }), batch.skipped_rows],
          [t('importWizard.result.rejected', { count: batch.rejected_rows }), batch.rejected_rows],
        ];
  return (
    <ul class="stats" aria-label={t(batch.status === 'undone' ? 'importWizard.result.undoneCounts' : 'importWizard.result.counts')}>
      {rows.map(([label, n]) => (
        <li class="stat">
          <span class="stat-value" safe>{nf(ctx, n)}</span>
          <span class="stat-label" safe>{label}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * The live progress of a job (validation or import): a bar, a live sentence, and without
 * JavaScript a link reloading the page; imports.js polls `/progression` and reloads at the end.
 */
function ProgressBox({ ctx, batch, progress, label, refresh }: { ctx: ViewContext; batch: BatchRow; progress: ProgressView; label: string; refresh: string }) {
  const { t } = ctx;
  return (
    <div class="import-progress" data-progress-url={`/admin/imports/${batch.id}/progression`} data-running={progress.running ? '1' : '0'}>
      <label for="import-progress-bar" safe>{label}</label>
      {progress.percent === null ? (
        <progress id="import-progress-bar" max="100"></progress>
      ) : (
        <progress id="import-progress-bar" max="100" value={String(progress.percent)} safe>
          {`${progress.percent} %`}
        </progress>
      )}
      <p class="import-progress-text" role="status" aria-live="polite" safe>
        {progress.text}
      </p>
      {progress.running ? (
        <p>
          <a href={refresh} class="import-refresh" safe>
            {t('importWizard.progress.refresh')}
          </a>
        </p>
      ) : (
        ''
      )}
    </div>
  );
}

/** Step 3 while the validation job reads the file: its progress, then (reloaded) the report. */
export function ValidationPage({ ctx, batch, progress }: BatchPageProps) {
  const { t } = ctx;
  return (
    <WizardPage ctx={ctx} title={t('importWizard.validation.title', { file: batch.file_name })} back={{ href: '/admin/imports', label: t('importWizard.back') }}>
      <Steps ctx={ctx} batch={batch} current="rapport" />
      <p class="lead" safe>{t('importWizard.validation.intro')}</p>
      <ProgressBox ctx={ctx} batch={batch} progress={progress} label={t('importWizard.validation.label')} refresh={`/admin/imports/${batch.id}/rapport`} />
      {progress.running ? (
        ''
      ) : (
        <p>
          <a href={`/admin/imports/${batch.id}/correspondance`} safe>{t('importWizard.validation.again')}</a>
        </p>
      )}
      <script src="/assets/imports.js" defer></script>
    </WizardPage>
  );
}

/** The deletion of a batch that wrote nothing, confirmed by a box to tick. */
function DeletePanel({ ctx, batch, errors }: { ctx: ViewContext; batch: BatchRow; errors: FieldErrors }) {
  const { t } = ctx;
  return (
    <section class="panel" id="supprimer" aria-labelledby="supprimer-titre">
      <h2 id="supprimer-titre" safe>{t('importWizard.delete.title')}</h2>
      <p safe>{t('importWizard.delete.hint')}</p>
      <Form ctx={ctx} action={`/admin/imports/${batch.id}/supprimer`}>
        <ErrorSummary ctx={ctx} errors={errors} />
        <CheckboxField name="confirmer" label={t('importWizard.delete.confirm')} checked={false} error={errors['confirmer']} />
        <SubmitButton label={t('importWizard.delete.submit')} variant="danger" />
      </Form>
    </section>
  );
}

/** `now` judges whether a commit that stopped moving is dead (see undoRefusal). */
export function BatchPage({ ctx, batch, progress, now, errors = {}, removed }: BatchPageProps & { now: Date }) {
  const { t } = ctx;
  const failure = batchFailureText(batch, ctx.locale);
  return (
    <WizardPage ctx={ctx} title={t('importWizard.batch.title', { file: batch.file_name })} back={{ href: '/admin/imports', label: t('importWizard.back') }}>
      {/* A batch not yet written is not at step 4: no step is current, the reachable ones are linked. */}
      <Steps ctx={ctx} batch={batch} current={batchStarted(batch) ? 'import' : ''} />
      <p>
        <span class={`badge import-batch-status import-status-${batch.status}`} safe>{statusLabel(t, batch.status)}</span>{' '}
        <span safe>{t('importWizard.batch.source', { source: batch.source_name })}</span>
      </p>
      {batch.status === 'draft' || batch.status === 'validating' || batch.status === 'validated' ? (
        <p>
          <a href={batch.status === 'draft' ? `/admin/imports/${batch.id}/correspondance` : `/admin/imports/${batch.id}/rapport`} safe>
            {t('importWizard.batch.continue')}
          </a>
        </p>
      ) : (
        <ProgressBox ctx={ctx} batch={batch} progress={progress} label={t('importWizard.progress.label')} refresh={`/admin/imports/${batch.id}`} />
      )}
      {failure ? (
        <div class="flash flash-error" role="alert" safe>
          {t('importWizard.batch.error', { error: failure })}
        </div>
      ) : (
        ''
      )}
      {batch.status === 'committed' || batch.status === 'failed' || batch.status === 'undone' ? <Counts ctx={ctx} batch={batch} removed={removed} /> : ''}
      {batchStarted(batch) && batch.validated_at ? (
        <p>
          <a href={`/admin/imports/${batch.id}/rapport.csv`} safe>
            {t('importWizard.report.download')}
          </a>
        </p>
      ) : (
        ''
      )}
      {batch.status === 'undone' ? (
        <p safe>{t('importWizard.batch.undone', { date: batch.undone_at ? formatDateTime(batch.undone_at, ctx.locale) : '', ...numbersOf(ctx, removed ?? { organisations: batch.created_organisations, contacts: batch.created_contacts }) })}</p>
      ) : (
        ''
      )}
      {batch.status === 'committed' ? (
        <section class="panel" aria-labelledby="apres">
          <h2 id="apres" safe>{t('importWizard.batch.next')}</h2>
          <ul>
            <li>
              <a href="/admin/doublons" safe>{t('importWizard.batch.duplicates')}</a>
            </li>
          </ul>
          <Form ctx={ctx} action={`/admin/imports/${batch.id}/analyse-doublons`} class="inline-form">
            <SubmitButton label={t('importWizard.batch.scan')} variant="secondary" />
          </Form>
        </section>
      ) : (
        ''
      )}
      {undoable(batch, now) ? (
        <p>
          <a class="button button-danger" href={`/admin/imports/${batch.id}/annuler`} safe>
            {t('importWizard.undo.link')}
          </a>
        </p>
      ) : (
        ''
      )}
      {deletable(batch) ? <DeletePanel ctx={ctx} batch={batch} errors={errors} /> : ''}
      <script src="/assets/imports.js" defer></script>
    </WizardPage>
  );
}

/** The confirmation of an undo; when records received data since the import, why it would be refused instead. */
export function UndoPage({ ctx, batch, blocked = null }: { ctx: ViewContext; batch: BatchRow; blocked?: string | null }) {
  const { t } = ctx;
  return (
    <WizardPage ctx={ctx} title={t('importWizard.undo.title', { file: batch.file_name })} back={{ href: `/admin/imports/${batch.id}`, label: t('importWizard.undo.back') }}>
      {blocked ? (
        <div class="flash flash-error" role="alert" safe>
          {blocked}
        </div>
      ) : (
        <>
          <p class="lead" safe>
            {t('importWizard.undo.confirm', { organisations: nf(ctx, batch.created_organisations), contacts: nf(ctx, batch.created_contacts) })}
          </p>
          <Form ctx={ctx} action={`/admin/imports/${batch.id}/annuler`} busy={t('importWizard.undo.busy')}>
            <SubmitButton label={t('importWizard.undo.submit')} variant="danger" />
          </Form>
        </>
      )}
      <p>
        <a href={`/admin/imports/${batch.id}`} safe>{t('importWizard.undo.cancel')}</a>
      </p>
    </WizardPage>
  );
}
