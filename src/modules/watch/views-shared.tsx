import { dateTimeFormat } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { fieldId } from '../../kernel/ui/form.js';

export interface Option {
  value: string;
  label: string;
}

/** A group of checkboxes in a fieldset with its legend (themes). */
export function CheckboxGroup({ name, legend, options, checked, error }: { name: string; legend: string; options: Option[]; checked: readonly string[]; error?: string }) {
  const id = fieldId(name);
  return (
    <fieldset class={error ? 'field field-invalid checkbox-group' : 'field checkbox-group'} id={id} aria-describedby={error ? `${id}-error` : undefined}>
      <legend safe>{legend}</legend>
      {error ? (
        <p class="field-error" id={`${id}-error`} safe>
          {error}
        </p>
      ) : (
        ''
      )}
      {options.map((o) => (
        <label class="checkbox">
          <input type="checkbox" name={name} value={o.value} checked={checked.includes(o.value)} />
          <span safe>{o.label}</span>
        </label>
      ))}
    </fieldset>
  );
}

/** Europe/Paris date of an instant, in the page's language. */
export function dateText(ctx: Pick<ViewContext, 'locale'>, iso: string): string {
  return dateTimeFormat(ctx.locale, { dateStyle: 'long' }).format(new Date(iso));
}

/**
 * An item's date: its publication date, or, when its feed gave none, the day it was first read,
 * said as such (« vu le 2 décembre 2026 (sans date) »): the inbox, the item's page and the public
 * archive alike.
 */
export function itemDateText(ctx: Pick<ViewContext, 't' | 'locale'>, item: { published_at: string; date_missing: number }): string {
  return item.date_missing ? ctx.t('watch.item.seenOn', { date: dateText(ctx, item.published_at) }) : dateText(ctx, item.published_at);
}
