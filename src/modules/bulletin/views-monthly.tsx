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
  /** « Lettre d'information — mars 2027 » for the month chosen by default. */
  subjectExample: string;
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
        <Field name="subject" label={t('newsletter.mailing.subject')} value={values.subject} error={errors['subject']} hint={t('bulletin.monthly.subjectHint', { example: props.subjectExample })} />
        <Checkboxes name="lists" legend={t('newsletter.mailing.lists')} options={props.lists.map((l) => ({ value: l.id, label: l.name, hint: l.hint }))} checked={values.lists} error={errors['lists']} hint={t('bulletin.monthly.listsHint')} />
        <SubmitButton label={t('bulletin.monthly.create')} />
      </Form>
    </AdminFrame>
  );
}
