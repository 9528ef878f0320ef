import { formatFileSize } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { ErrorSummary, type FieldErrors, Form, SubmitButton } from '../../kernel/ui/form.js';
import { DataTable } from '../../kernel/ui/table.js';
import type { ImportProblem, ImportReport } from './import-csv.js';
import type { ListRow } from './repo.js';
import { ADMIN_BASE, AdminFrame } from './views-admin.js';
import { Checkboxes } from './views-shared.js';

function Problems({ ctx, caption, problems }: { ctx: ViewContext; caption: string; problems: ImportProblem[] }) {
  const { t } = ctx;
  if (problems.length === 0) return '';
  return (
    <DataTable class="table-stack" caption={caption} columns={[t('newsletter.import.line'), t('newsletter.import.problem')]}>
      {problems.slice(0, 500).map((p) => (
        <tr>
          <td data-label={t('newsletter.import.line')} safe>{String(p.line)}</td>
          <td data-label={t('newsletter.import.problem')} safe>{t(p.key, p.params)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

export function ImportPage(props: { ctx: ViewContext; lists: ListRow[]; checked: string[]; errors: FieldErrors; report?: ImportReport; maxBytes: number }) {
  const { ctx, report } = props;
  const { t } = ctx;
  return (
    <AdminFrame ctx={ctx} title={t('newsletter.import.title')} tab="import">
      <p class="lead" safe>
        {t('newsletter.import.lead')}
      </p>
      <p class="hint" safe>
        {t('newsletter.import.columns')}
      </p>
      {report ? (
        <section aria-labelledby="nl-report-title" class="nl-report">
          <h2 id="nl-report-title" safe>
            {t('newsletter.import.reportTitle')}
          </h2>
          <p role="status" class="lead" safe>
            {report.dryRun
              ? t(report.errors.length ? 'newsletter.import.reportRefused' : 'newsletter.import.reportChecked', { rows: report.rows, valid: report.valid, errors: report.errors.length })
              : t('newsletter.import.reportDone', { rows: report.rows, subscribers: report.newSubscribers, subscriptions: report.subscriptions, errors: report.errors.length })}
          </p>
          <Problems ctx={ctx} caption={t('newsletter.import.errors')} problems={report.errors} />
          <Problems ctx={ctx} caption={t('newsletter.import.warnings')} problems={report.warnings} />
        </section>
      ) : (
        ''
      )}
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <Form ctx={ctx} action={`${ADMIN_BASE}/import`} multipart>
        <div class={props.errors['fichier'] ? 'field field-invalid' : 'field'}>
          <label for="f-fichier" safe>
            {t('newsletter.import.file')}
          </label>
          <p class="hint" id="f-fichier-hint" safe>
            {t('newsletter.import.fileHint', { max: formatFileSize(props.maxBytes, ctx.locale) })}
          </p>
          {props.errors['fichier'] ? (
            <p class="field-error" id="f-fichier-error" safe>
              {props.errors['fichier']}
            </p>
          ) : (
            ''
          )}
          <input id="f-fichier" name="fichier" type="file" accept=".csv,text/csv" aria-describedby={props.errors['fichier'] ? 'f-fichier-hint f-fichier-error' : 'f-fichier-hint'} />
        </div>
        <Checkboxes name="lists" legend={t('newsletter.import.defaultLists')} hint={t('newsletter.import.defaultListsHint')} options={props.lists.map((l) => ({ value: l.id, label: l.name }))} checked={props.checked} />
        <div class="field field-check">
          <input type="checkbox" id="f-partiel" name="partiel" value="1" aria-describedby="f-partiel-hint" />
          <label for="f-partiel" safe>
            {t('newsletter.import.skipInvalid')}
          </label>
          <span class="hint" id="f-partiel-hint" safe>
            {t('newsletter.import.skipInvalidHint')}
          </span>
        </div>
        <div class="inline-actions">
          <button type="submit" name="mode" value="verifier" class="button button-secondary" safe>
            {t('newsletter.import.check')}
          </button>
          <SubmitButton label={t('newsletter.import.run')} />
        </div>
      </Form>
    </AdminFrame>
  );
}
