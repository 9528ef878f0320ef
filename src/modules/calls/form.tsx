import type { ViewContext } from '../../kernel/ui/context.js';
import { describedBy, Field, FieldFrame, FieldNotes, fieldId, TextArea } from '../../kernel/ui/form.js';
import { DOCUMENT_MAX_BYTES, DOCUMENTS_PER_FORM } from './documents.js';
import type { CallLabels, Option } from './labels.js';

// The staff form of a call: what it is, its dates, its money, who and where it is for, its link and documents.

function str(value: unknown): string {
  if (Array.isArray(value)) return value.length ? String(value[0]) : '';
  return value === null || value === undefined ? '' : String(value);
}

function strings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' && value !== '' ? value.split(',') : [];
  return [...new Set(list.map((x) => String(x).trim()).filter(Boolean))];
}

/** An input of a type the kernel's Field does not offer (multiple files). */
function RawInput(props: { name: string; label: string; type: 'file'; value?: string; hint?: string; error?: string; accept?: string; multiple?: boolean }) {
  const id = fieldId(props.name);
  return (
    <FieldFrame id={id} label={props.label} hint={props.hint} error={props.error}>
      <input
        id={id}
        name={props.name}
        type={props.type}
        value={props.type === 'file' ? undefined : props.value}
        accept={props.accept}
        multiple={props.multiple}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
      />
    </FieldFrame>
  );
}

function CheckboxGroup({ name, legend, options, checked, error, hint }: { name: string; legend: string; options: Option[]; checked: readonly string[]; error?: string; hint?: string }) {
  const id = fieldId(name);
  return (
    <fieldset class={error ? 'field field-invalid checkbox-group' : 'field checkbox-group'} id={id} aria-describedby={describedBy(id, hint, error)}>
      <legend safe>{legend}</legend>
      <FieldNotes id={id} hint={hint} error={error} />
      {options.map((o) => (
        <label class="checkbox">
          <input type="checkbox" name={name} value={o.value} checked={checked.includes(o.value)} />
          <span safe>{o.label}</span>
        </label>
      ))}
    </fieldset>
  );
}

export const DOCUMENT_ACCEPT = '.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,application/pdf';

export function CallFormFields({ ctx, values, errors, labels }: { ctx: ViewContext; values: Record<string, unknown>; errors: Record<string, string>; labels: CallLabels }) {
  const { t } = ctx;
  const v = (name: string) => str(values[name]);
  return (
    <>
      <input type="hidden" name="watch_item_id" value={v('watch_item_id')} />
      <fieldset class="form-section">
        <legend safe>{t('calls.form.sectionWhat')}</legend>
        <Field name="title" label={t('calls.field.title')} value={v('title')} error={errors['title']} required />
        <Field name="funder" label={t('calls.field.funder')} hint={t('calls.field.funderHint')} value={v('funder')} error={errors['funder']} required />
        <Field name="funder_organisation" label={t('calls.field.funderOrganisation')} hint={t('calls.field.funderOrganisationHint')} value={v('funder_organisation')} error={errors['funder_organisation']} />
        <TextArea name="summary" label={t('calls.field.summary')} hint={t('calls.field.summaryHint')} value={v('summary')} error={errors['summary']} rows={3} />
        <TextArea name="description" label={t('calls.field.description')} hint={t('calls.field.descriptionHint')} value={v('description')} error={errors['description']} rows={10} />
      </fieldset>
      <fieldset class="form-section">
        <legend safe>{t('calls.form.sectionDates')}</legend>
        <Field name="opens_on" type="date" label={t('calls.field.opensOn')} hint={t('calls.field.opensOnHint')} value={v('opens_on')} error={errors['opens_on']} />
        <Field name="closes_on" type="date" label={t('calls.field.closesOn')} value={v('closes_on')} error={errors['closes_on']} required />
        <Field name="closes_time" label={t('calls.field.closesTime')} hint={t('calls.field.closesTimeHint')} value={v('closes_time')} error={errors['closes_time']} />
      </fieldset>
      <fieldset class="form-section">
        <legend safe>{t('calls.form.sectionMoney')}</legend>
        <Field name="amount_min" label={t('calls.field.amountMin')} hint={t('calls.field.amountHint')} value={v('amount_min')} error={errors['amount_min']} />
        <Field name="amount_max" label={t('calls.field.amountMax')} hint={t('calls.field.amountHint')} value={v('amount_max')} error={errors['amount_max']} />
        <Field name="cofinancing_rate" label={t('calls.field.rate')} hint={t('calls.field.rateHint')} value={v('cofinancing_rate')} error={errors['cofinancing_rate']} />
      </fieldset>
      <fieldset class="form-section">
        <legend safe>{t('calls.form.sectionWho')}</legend>
        <CheckboxGroup name="kinds" legend={t('calls.field.kinds')} options={labels.kinds} checked={strings(values['kinds'])} error={errors['kinds']} />
        <CheckboxGroup name="themes" legend={t('calls.field.themes')} options={labels.themes} checked={strings(values['themes'])} error={errors['themes']} />
        <CheckboxGroup name="regions" legend={t('calls.field.regions')} options={labels.regions} checked={strings(values['regions'])} error={errors['regions']} />
        <Field name="departments" label={t('calls.field.departments')} hint={t('calls.field.departmentsHint')} value={v('departments')} error={errors['departments']} />
        <CheckboxGroup name="zones" legend={t('calls.field.zones')} options={labels.zones} checked={strings(values['zones'])} error={errors['zones']} />
        <Field name="countries" label={t('calls.field.countries')} hint={t('calls.field.countriesHint')} value={v('countries')} error={errors['countries']} />
      </fieldset>
      <fieldset class="form-section">
        <legend safe>{t('calls.form.sectionLink')}</legend>
        <Field name="link_url" type="url" label={t('calls.field.link')} hint={t('calls.field.linkHint')} value={v('link_url')} error={errors['link_url']} />
        <RawInput
          name="documents"
          type="file"
          multiple
          accept={DOCUMENT_ACCEPT}
          label={t('calls.field.documents')}
          hint={t('calls.field.documentsHint', { count: DOCUMENTS_PER_FORM, size: DOCUMENT_MAX_BYTES / 1024 / 1024 })}
          error={errors['documents']}
        />
        <Field name="document_title" label={t('calls.field.documentTitle')} hint={t('calls.field.documentTitleHint')} value={v('document_title')} error={errors['document_title']} />
      </fieldset>
    </>
  );
}
