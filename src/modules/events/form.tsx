import type { PropsWithChildren } from '@kitajs/html';
import { countriesFieldText } from '../../kernel/geo/countries.js';
import { localLabel, type MessageKey } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { CheckboxField, Field, fieldId, Select, TextArea } from '../../kernel/ui/form.js';
import { EVENT_IMAGE_FIELDS } from './image.js';
import type { EventTypeLabels } from './service.js';

/** Labels the event form needs: types, themes, SDGs (from the database) and organiser names. */
export interface EventFormLabels {
  types: EventTypeLabels;
  themes: { code: string; label_fr: string; label_en: string }[];
  sdgs: { code: string; label_fr: string; label_en: string }[];
  /** Names of the organisations the form may show as organisers (the ticked ones, the member's own). */
  organisations: { id: string; name: string }[];
}

interface Props {
  ctx: ViewContext;
  values: Record<string, unknown>;
  errors: Record<string, string>;
  labels: EventFormLabels;
  prefix?: string;
  /** Offer the repetition fields (staff creating an event). */
  repetition?: boolean;
  /** Offer an image upload (the form must then be multipart); else the image can only be kept or removed. */
  imageUpload?: boolean;
}

function str(value: unknown): string {
  if (Array.isArray(value)) return value.length ? String(value[0]) : '';
  return value === null || value === undefined ? '' : String(value);
}

function strings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' && value !== '' ? value.split(',') : [];
  return [...new Set(list.map((x) => String(x).trim()).filter(Boolean))];
}

/** A fieldset of checkboxes with its legend, hint and error tied to it. */
function Checks(props: PropsWithChildren<{ id: string; legend: string; hint?: string; error?: string }>) {
  const described = [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : ''].filter(Boolean).join(' ');
  return (
    <fieldset id={props.id} class={props.error ? 'org-checks field-invalid' : 'org-checks'} aria-describedby={described || undefined} tabindex="-1">
      <legend safe>{props.legend}</legend>
      {props.hint ? (
        <p class="hint" id={`${props.id}-hint`} safe>
          {props.hint}
        </p>
      ) : (
        ''
      )}
      {props.error ? (
        <p class="field-error" id={`${props.id}-error`} safe>
          {props.error}
        </p>
      ) : (
        ''
      )}
      {props.children}
    </fieldset>
  );
}

function CheckList(props: { id: string; name: string; options: { value: string; label: string }[]; checked: string[] }) {
  return (
    <ul class="org-check-list">
      {props.options.map((o) => (
        <li class="field-check">
          <input type="checkbox" id={`${props.id}-${o.value}`} name={props.name} value={o.value} checked={props.checked.includes(o.value)} />
          <label for={`${props.id}-${o.value}`} safe>
            {o.label}
          </label>
        </li>
      ))}
    </ul>
  );
}

/** The fields of the event form, shared by the back office, members' proposals and edit-then-approve. */
export function EventFormFields({ ctx, values, errors, labels, prefix, repetition, imageUpload = true }: Props) {
  const k = ctx.t;
  const v = (name: string) => str(values[name]);
  const f = (name: string, key: MessageKey, extra: { type?: 'text' | 'url' | 'date'; hint?: string; required?: boolean; autocomplete?: string } = {}) => (
    <Field prefix={prefix} name={name} label={k(key)} value={v(name)} error={errors[name]} {...extra} />
  );
  const organisers = strings(values['organisers']);
  const organiserOptions = [...labels.organisations];
  for (const id of organisers) if (!organiserOptions.some((o) => o.id === id)) organiserOptions.push({ id, name: id });
  const countries = strings(values['countries']);
  const countriesText = countriesFieldText(countries, ctx.locale);
  return (
    <>
      <fieldset class="org-section">
        <legend safe>{k('moderation.type.event')}</legend>
        {f('title', 'events.field.title', { required: true })}
        <Select
          prefix={prefix}
          name="type_code"
          label={k('events.field.type')}
          required
          value={v('type_code')}
          error={errors['type_code']}
          options={[{ value: '', label: k('moderation.orgForm.choose') }, ...labels.types.map((x) => ({ value: x.code, label: localLabel(x, ctx.locale) }))]}
        />
        <TextArea prefix={prefix} name="summary" label={k('events.field.summary')} hint={k('events.field.summaryHint')} value={v('summary')} error={errors['summary']} rows={2} />
        <TextArea prefix={prefix} name="description" label={k('events.field.description')} hint={k('events.field.descriptionHint')} value={v('description')} error={errors['description']} rows={8} class="org-textarea" />
      </fieldset>
      <ImageFields ctx={ctx} prefix={prefix} image={v(EVENT_IMAGE_FIELDS.kept)} alt={v('image_alt')} remove={v(EVENT_IMAGE_FIELDS.remove) === '1'} errors={errors} upload={imageUpload} />
      <fieldset class="org-section">
        <legend safe>{k('events.field.when')}</legend>
        <CheckboxField prefix={prefix} name="all_day" label={k('events.field.allDay')} checked={v('all_day') === '1'} />
        {f('start_date', 'events.field.startDate', { type: 'date', required: true })}
        {f('start_time', 'events.field.startTime', { hint: k('events.field.timeHint') })}
        {f('end_date', 'events.field.endDate', { type: 'date', hint: k('events.field.endDateHint') })}
        {f('end_time', 'events.field.endTime', { hint: k('events.field.timeHint') })}
      </fieldset>
      {repetition ? (
        <fieldset class="org-section" aria-describedby={fieldId('repeat-hint', prefix)}>
          <legend safe>{k('events.repeat.legend')}</legend>
          <p class="hint" id={fieldId('repeat-hint', prefix)} safe>
            {k('events.repeat.hint')}
          </p>
          <Select
            prefix={prefix}
            name="repeat_freq"
            label={k('events.repeat.freq')}
            value={v('repeat_freq')}
            error={errors['repeat_freq']}
            options={[
              { value: '', label: k('events.repeat.none') },
              { value: 'weekly', label: k('events.repeat.weekly') },
              { value: 'monthly', label: k('events.repeat.monthly') },
              { value: 'monthly_weekday', label: k('events.repeat.monthlyWeekday') },
            ]}
          />
          {f('repeat_interval', 'events.repeat.interval', { hint: k('events.repeat.intervalHint') })}
          {f('repeat_count', 'events.repeat.count', { hint: k('events.repeat.endHint') })}
          {f('repeat_until', 'events.repeat.until', { type: 'date' })}
        </fieldset>
      ) : (
        ''
      )}
      <fieldset class="org-section" aria-describedby={fieldId('where-hint', prefix)}>
        <legend safe>{k('events.field.where')}</legend>
        <p class="hint" id={fieldId('where-hint', prefix)} safe>
          {k('events.field.whereHint')}
        </p>
        {f('venue', 'events.field.venue')}
        {f('address', 'events.field.address', { autocomplete: 'street-address' })}
        {f('postcode', 'events.field.postcode', { autocomplete: 'postal-code' })}
        {f('commune', 'events.field.commune', { hint: k('events.field.communeHint') })}
        {f('latitude', 'events.field.latitude', { hint: k('events.field.coordinatesHint') })}
        {f('longitude', 'events.field.longitude')}
        {f('online_url', 'events.field.onlineUrl', { type: 'url' })}
        <CheckboxField prefix={prefix} name="online_url_private" label={k('events.field.onlineUrlPrivate')} checked={v('online_url_private') === '1'} />
      </fieldset>
      {/* Without organisers to tick, the section itself is what the error summary links to. */}
      <fieldset class="org-section" id={organiserOptions.length ? undefined : fieldId('organisers', prefix)} tabindex={organiserOptions.length ? undefined : '-1'}>
        <legend safe>{k('events.field.organisers')}</legend>
        {organiserOptions.length ? (
          <Checks id={fieldId('organisers', prefix)} legend={k('events.field.organisersTicked')} hint={k('events.field.organisersHint')} error={errors['organisers']}>
            <CheckList id={fieldId('organisers', prefix)} name="organisers" options={organiserOptions.map((o) => ({ value: o.id, label: o.name }))} checked={organisers} />
          </Checks>
        ) : (
          ''
        )}
        <Field
          prefix={prefix}
          name="organiser_add"
          label={k('events.field.organiserAdd')}
          hint={k('events.field.organiserAddHint')}
          value={v('organiser_add')}
          error={organiserOptions.length ? undefined : errors['organisers']}
        />
      </fieldset>
      <fieldset class="org-section">
        <legend safe>{k('events.field.about')}</legend>
        <Checks id={fieldId('themes', prefix)} legend={k('events.field.themes')} error={errors['themes']}>
          <CheckList id={fieldId('themes', prefix)} name="themes" options={labels.themes.map((x) => ({ value: x.code, label: localLabel(x, ctx.locale) }))} checked={strings(values['themes'])} />
        </Checks>
        <Field prefix={prefix} name="countries" label={k('events.field.countries')} hint={k('events.field.countriesHint')} value={countriesText} error={errors['countries']} />
        <Checks id={fieldId('sdgs', prefix)} legend={k('events.field.sdgs')} error={errors['sdgs']}>
          <CheckList
            id={fieldId('sdgs', prefix)}
            name="sdgs"
            options={labels.sdgs.map((x) => ({ value: x.code, label: k('events.sdg', { code: x.code, label: localLabel(x, ctx.locale) }) }))}
            checked={strings(values['sdgs']).map((s) => String(Number(s)))}
          />
        </Checks>
        {f('audience', 'events.field.audience')}
        {f('price_note', 'events.field.priceNote', { hint: k('events.field.priceNoteHint') })}
      </fieldset>
    </>
  );
}

/**
 * The event's image: the one the page carries (a file id in a hidden field, so that a form
 * redisplayed after an error keeps it), a file to replace it, its alternative text and a box to
 * remove it. Staff see the image itself; an image waiting in a proposal is not public, so others
 * read that one is attached.
 */
function ImageFields(props: { ctx: ViewContext; prefix?: string; image: string; alt: string; remove: boolean; errors: Record<string, string>; upload: boolean }) {
  const { ctx, image } = props;
  const k = ctx.t;
  const staffView = ctx.user?.role === 'staff' || ctx.user?.role === 'admin';
  const removeId = fieldId(EVENT_IMAGE_FIELDS.remove, props.prefix);
  return (
    <fieldset class="org-section">
      <legend safe>{k('events.field.image')}</legend>
      <input type="hidden" name={EVENT_IMAGE_FIELDS.kept} value={image} />
      {image && staffView ? (
        <figure class="org-logo-preview">
          <img src={`/media/event-images/${encodeURIComponent(image)}`} alt={k('events.field.imageCurrent')} width="240" />
        </figure>
      ) : image ? (
        <p class="hint" safe>
          {k('events.field.imageKept')}
        </p>
      ) : (
        ''
      )}
      {props.upload ? (
        <Field
          prefix={props.prefix}
          name={EVENT_IMAGE_FIELDS.upload}
          type="file"
          label={k(image ? 'events.field.imageReplace' : 'events.field.imageFile')}
          hint={k('events.field.imageHint')}
          error={props.errors[EVENT_IMAGE_FIELDS.upload]}
          accept="image/png,image/jpeg,image/webp,image/gif"
        />
      ) : (
        ''
      )}
      <Field prefix={props.prefix} name="image_alt" label={k('events.field.imageAlt')} hint={k('events.field.imageAltHint')} value={props.alt} error={props.errors['image_alt']} />
      {image ? (
        <div class="field field-check">
          <input type="checkbox" id={removeId} name={EVENT_IMAGE_FIELDS.remove} value="1" checked={props.remove} />
          <label for={removeId} safe>
            {k('events.field.imageRemove')}
          </label>
        </div>
      ) : (
        ''
      )}
    </fieldset>
  );
}
