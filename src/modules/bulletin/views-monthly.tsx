import type { ViewContext } from '../../kernel/ui/context.js';
import { ErrorSummary, Field, type FieldErrors, Form, Select, SubmitButton } from '../../kernel/ui/form.js';
import { AdminFrame, Checkboxes } from '../newsletter/index.js';
import { MAILINGS_BASE } from './views-editor.js';

export const MONTHLY_PATH = `${MAILINGS_BASE}/bulletin-mensuel`;

export interface MonthlyValues {
  month: string;
  subject: string;
  lists: string[];
}

export interface MonthlyPageProps {
  ctx: ViewContext;
  values: MonthlyValues;
  errors: FieldErrors;
  months: { value: string; label: string }[];
  lists: { id: string; name: string; hint: string }[];
  /** The subject's hint for each month (« Laissez vide pour « Lettre d'information — mars 2027 ». »): the page's script shows the chosen month's. */
  subjectHints: Record<string, string>;
}

/** « Nouveau bulletin mensuel »: the month, the subject, the lists; the blocks come from the template. */
export function MonthlyPage(props: MonthlyPageProps) {
  const { ctx, values, errors } = props;
  const { t } = ctx;
  return (
    <AdminFrame ctx={ctx} title={t('bulletin.monthly.new')} tab="mailings">
      <p class="breadcrumb">
        <a href={MAILINGS_BASE} safe>
          {t('newsletter.mailings.title')}
        </a>
      </p>
      <p safe>{t('bulletin.monthly.intro')}</p>
      <ul>
        {(['editorial', 'news', 'events', 'calls', 'watch', 'resources', 'member_news'] as const).map((type) => (
          <li safe>{t(`bulletin.monthly.part.${type}`)}</li>
        ))}
      </ul>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Form ctx={ctx} action={MONTHLY_PATH}>
        <Select name="month" label={t('bulletin.monthly.month')} options={props.months} value={values.month} error={errors['month']} required />
        <p class="hint" id="f-month-hint" safe>
          {t('bulletin.monthly.monthHint')}
        </p>
        {/* The subject's hint follows the month chosen (bulletin-monthly.js); without JavaScript it names the month shown first. */}
        <div data-subject-hints={JSON.stringify(props.subjectHints)}>
          <Field name="subject" label={t('newsletter.mailing.subject')} value={values.subject} error={errors['subject']} hint={props.subjectHints[values.month] ?? ''} />
        </div>
        <Checkboxes name="lists" legend={t('newsletter.mailing.lists')} options={props.lists.map((l) => ({ value: l.id, label: l.name, hint: l.hint }))} checked={values.lists} error={errors['lists']} hint={t('bulletin.monthly.listsHint')} />
        <SubmitButton label={t('bulletin.monthly.create')} />
      </Form>
      <script src="/assets/bulletin-monthly.js" defer></script>
    </AdminFrame>
  );
}
