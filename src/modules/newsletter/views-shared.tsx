import { dateTimeFormat, formatDateTime } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { describedBy, FieldNotes, fieldId } from '../../kernel/ui/form.js';

export interface Option {
  value: string;
  label: string;
  hint?: string;
}

/** Checkboxes in a fieldset with its legend; each option may carry a short description. */
export function Checkboxes(props: { name: string; legend: string; options: Option[]; checked: readonly string[]; error?: string; hint?: string; prefix?: string }) {
  const id = fieldId(props.name, props.prefix);
  return (
    <fieldset class={props.error ? 'field field-invalid nl-checks' : 'field nl-checks'} id={id} aria-describedby={describedBy(id, props.hint, props.error)}>
      <legend safe>{props.legend}</legend>
      <FieldNotes id={id} hint={props.hint} error={props.error} />
      <ul class="nl-check-list">
        {props.options.map((o, i) => (
          <li class="field-check">
            <input type="checkbox" id={`${id}-${i}`} name={props.name} value={o.value} checked={props.checked.includes(o.value)} aria-describedby={o.hint ? `${id}-${i}-hint` : undefined} />
            <label for={`${id}-${i}`}>
              <span safe>{o.label}</span>
              {o.hint ? (
                <span class="hint nl-option-hint" id={`${id}-${i}-hint`} safe>
                  {o.hint}
                </span>
              ) : (
                ''
              )}
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

/** The themes and countries a person may choose as interests. */
export interface InterestOptions {
  themes: Option[];
  countries: Option[];
}

/** The interests (themes, countries), folded unless some are chosen; nothing when none is offered. */
export function InterestFields({ ctx, options, values }: { ctx: ViewContext; options: InterestOptions; values: { themes: readonly string[]; countries: readonly string[] } }) {
  const { t } = ctx;
  if (options.themes.length === 0 && options.countries.length === 0) return '';
  return (
    <details class="nl-interests" open={values.themes.length + values.countries.length > 0}>
      <summary safe>{t('newsletter.form.interests')}</summary>
      <p class="hint" safe>
        {t('newsletter.form.interestsHint')}
      </p>
      {options.themes.length ? <Checkboxes name="themes" legend={t('newsletter.form.themes')} options={options.themes} checked={values.themes} /> : ''}
      {options.countries.length ? <Checkboxes name="countries" legend={t('newsletter.form.countries')} options={options.countries} checked={values.countries} /> : ''}
    </details>
  );
}

export function NewsletterHead() {
  return <link rel="stylesheet" href="/assets/newsletter.css" />;
}

export function when(ctx: ViewContext, iso: string | null): string {
  return iso ? formatDateTime(iso, ctx.locale) : '—';
}

export function dateOnly(ctx: ViewContext, iso: string): string {
  return dateTimeFormat(ctx.locale, { dateStyle: 'long' }).format(new Date(iso));
}
