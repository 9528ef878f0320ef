import { findCommune, findCommuneByName } from '../../kernel/geo/communes.js';
import { countryName, listCountries } from '../../kernel/geo/countries.js';
import { sanitiseRichText } from '../../kernel/html.js';
import { formatPhone } from '../../kernel/identifiers.js';
import type { MessageKey } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { Field, fieldId, Select, TextArea } from '../../kernel/ui/form.js';
import type { TaxonomyLabels } from './service.js';

/** Values of the organisation form: one string per single field, a list per multi-valued one. */
export type OrganisationFormValues = Record<string, string | string[]>;

const MULTI = ['themes', 'countries', 'zones', 'sdgs', 'colleges'] as const;
const SINGLE = [
  'name', 'acronym', 'kind_code', 'description', 'website', 'email', 'phone', 'address', 'postcode', 'commune',
  'siren', 'siret', 'rna', 'insee_code', 'founded_year', 'staff_count', 'volunteer_count', 'visibility',
] as const;

function str(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

function strings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' && value !== '' ? value.split(',') : [];
  return [...new Set(list.map((x) => String(x).trim()).filter(Boolean))];
}

function escapeText(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`).replace(/\n{2,}/g, '</p><p>').replace(/\n/g, '<br>');
}

function decodeEntities(value: string): string {
  return value
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCharCode(parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, '\u00a0')
    .replace(/&amp;/g, '&');
}

/**
 * The description as people type it: plain paragraphs when the stored HTML is only that (it comes
 * back identical once validated), else the HTML itself, so that nothing is lost.
 */
export function descriptionForForm(html: string | null | undefined): string {
  if (!html) return '';
  // Text with a "<" in it is kept by validation as sanitised text without paragraphs.
  if (!html.includes('<')) return decodeEntities(html);
  if (!/^<p>/.test(html) || /<(?!\/?p>|br\s*\/?>)/i.test(html)) return html;
  const text = decodeEntities(
    html
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/p>\s*<p>/gi, '\n\n')
      .replace(/^<p>/i, '')
      .replace(/<\/p>$/i, ''),
  );
  return sanitiseRichText(`<p>${escapeText(text)}</p>`) === html ? text : html;
}

/**
 * The form's values from whatever the caller holds: a validated draft (`links`), an organisation
 * (links as arrays, `description_html`…) or a submitted form (kept as typed).
 */
export function organisationFormValues(input: object): OrganisationFormValues {
  const source = input as Record<string, unknown>;
  const values: OrganisationFormValues = {};
  const isRecord = 'description_html' in source || 'links' in source || 'commune_code' in source;
  if (!isRecord) {
    for (const name of SINGLE) values[name] = str(source[name]);
    for (const name of MULTI) values[name] = strings(source[name]);
    return values;
  }
  const links = (source['links'] ?? source) as Record<string, unknown>;
  for (const name of SINGLE) values[name] = str(source[name]);
  values['description'] = descriptionForForm(source['description_html'] as string | null);
  const phone = str(source['phone']);
  values['phone'] = phone.startsWith('+') ? formatPhone(phone) : phone;
  const code = str(source['commune_code']);
  const commune = code ? findCommune(code) : undefined;
  const postcode = str(source['postcode']);
  // The name reads better than the code; kept only when it finds the same commune again.
  values['commune'] = commune && findCommuneByName(commune.name, postcode || undefined)?.code === code ? commune.name : code;
  for (const name of MULTI) values[name] = strings(links[name]);
  values['sdgs'] = (values['sdgs'] as string[]).map((s) => String(Number(s))).sort((a, b) => Number(a) - Number(b));
  for (const name of ['themes', 'countries', 'zones', 'colleges'] as const) values[name] = (values[name] as string[]).sort();
  return values;
}

interface Props {
  ctx: ViewContext;
  values: Record<string, unknown>;
  /** Translated messages per field name. */
  errors: Record<string, string>;
  /** Staff also see the visibility and the network colleges. */
  staff: boolean;
  /** Taxonomy labels (kinds, themes…); the caller loads them with `taxonomies(db)`. */
  taxonomies?: TaxonomyLabels;
  /** Prefix of the field ids when a page holds several forms. */
  prefix?: string;
}

function label(ctx: ViewContext, entry: { label_fr: string; label_en: string }): string {
  return ctx.locale === 'en' ? entry.label_en : entry.label_fr;
}


function CheckboxGroup(props: {
  name: string;
  prefix?: string;
  legend: string;
  options: readonly { value: string; label: string }[];
  checked: string[];
  error?: string;
  hint?: string;
}) {
  const id = fieldId(props.name, props.prefix);
  const described = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <fieldset id={id} class={props.error ? 'org-checks field-invalid' : 'org-checks'} aria-describedby={described || undefined} tabindex="-1">
      <legend safe>{props.legend}</legend>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`} safe>
          {props.hint}
        </p>
      ) : (
        ''
      )}
      {props.error ? (
        <p class="field-error" id={`${id}-error`} safe>
          {props.error}
        </p>
      ) : (
        ''
      )}
      <ul class="org-check-list">
        {props.options.map((o) => (
          <li class="field-check">
            <input type="checkbox" id={`${id}-${o.value}`} name={props.name} value={o.value} checked={props.checked.includes(o.value)} />
            <label for={`${id}-${o.value}`} safe>
              {o.label}
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

/** Countries of intervention as checkboxes grouped by zone, each country once; open where one is ticked. */
function CountryGroups(props: { ctx: ViewContext; prefix?: string; t: TaxonomyLabels; checked: string[]; error?: string }) {
  const { ctx } = props;
  const id = fieldId('countries', props.prefix);
  const locale = ctx.locale === 'en' ? 'en' : 'fr';
  const all = listCountries(locale);
  const seen = new Set<string>();
  const groups: { code: string; label: string; countries: { code: string; name: string }[] }[] = [];
  for (const zone of props.t.zones) {
    const codes = new Set(props.t.zoneCountries.filter((zc) => zc.zone_code === zone.code).map((zc) => zc.country_code));
    const countries = all.filter((c) => codes.has(c.code) && !seen.has(c.code));
    for (const c of countries) seen.add(c.code);
    if (countries.length) groups.push({ code: zone.code, label: label(ctx, zone), countries });
  }
  groups.push({ code: 'other', label: ctx.t('moderation.orgForm.countries.other'), countries: all.filter((c) => !seen.has(c.code)) });
  // A country typed by name in an import may not be in the list: keep it ticked anyway.
  const unknown = props.checked.filter((c) => !all.some((x) => x.code === c));
  const described = [`${id}-hint`, props.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <fieldset id={id} class={props.error ? 'org-checks field-invalid' : 'org-checks'} aria-describedby={described} tabindex="-1">
      <legend safe>{ctx.t('org.field.countries')}</legend>
      <p class="hint" id={`${id}-hint`} safe>
        {ctx.t('moderation.orgForm.countries.hint')}
      </p>
      {props.error ? (
        <p class="field-error" id={`${id}-error`} safe>
          {props.error}
        </p>
      ) : (
        ''
      )}
      {unknown.map((c) => (
        <div class="field-check">
          <input type="checkbox" id={`${id}-x-${c.replace(/[^A-Za-z0-9]/g, '')}`} name="countries" value={c} checked />
          <label for={`${id}-x-${c.replace(/[^A-Za-z0-9]/g, '')}`} safe>
            {countryName(c, locale)}
          </label>
        </div>
      ))}
      {groups.map((g) => {
        const ticked = g.countries.filter((c) => props.checked.includes(c.code)).length;
        return (
          <details class="org-country-group" open={ticked > 0}>
            <summary safe>{ticked ? `${g.label} (${ticked})` : g.label}</summary>
            <ul class="org-check-list">
              {g.countries.map((c) => (
                <li class="field-check">
                  <input type="checkbox" id={`${id}-${c.code}`} name="countries" value={c.code} checked={props.checked.includes(c.code)} />
                  <label for={`${id}-${c.code}`} safe>
                    {c.name}
                  </label>
                </li>
              ))}
            </ul>
          </details>
        );
      })}
    </fieldset>
  );
}

/** The fields of the organisation form, shared by staff edit, member proposals and public proposals. */
export function OrganisationFormFields({ ctx, values: raw, errors, staff, taxonomies: t, prefix }: Props) {
  const values = organisationFormValues(raw);
  const v = (name: string) => str(values[name]);
  const list = (name: string) => strings(values[name]);
  const k = ctx.t;
  const f = (name: string, key: MessageKey, extra: { type?: 'text' | 'email' | 'url' | 'tel'; hint?: string; required?: boolean; autocomplete?: string } = {}) => (
    <Field prefix={prefix} name={name} label={k(key)} value={v(name)} error={errors[name]} {...extra} />
  );
  const kinds = t?.kinds ?? [];
  return (
    <>
      <fieldset class="org-section">
        <legend safe>{k('moderation.orgForm.section.identity')}</legend>
        {f('name', 'org.field.name', { required: true, autocomplete: 'organization' })}
        {f('acronym', 'org.field.acronym')}
        <Select
          prefix={prefix}
          name="kind_code"
          label={k('org.field.kind')}
          required
          value={v('kind_code')}
          error={errors['kind_code']}
          options={[{ value: '', label: k('moderation.orgForm.choose') }, ...kinds.map((x) => ({ value: x.code, label: label(ctx, x) }))]}
        />
        <TextArea prefix={prefix} name="description" label={k('org.field.description')} value={v('description')} error={errors['description']} hint={k('moderation.orgForm.description.hint')} rows={8} class="org-textarea" />
      </fieldset>
      <fieldset class="org-section">
        <legend safe>{k('moderation.orgForm.section.contact')}</legend>
        {f('website', 'org.field.website', { hint: k('moderation.orgForm.website.hint'), autocomplete: 'url' })}
        {f('email', 'org.field.email', { type: 'email', autocomplete: 'email' })}
        {f('phone', 'org.field.phone', { type: 'tel', autocomplete: 'tel' })}
        {f('address', 'org.field.address', { autocomplete: 'street-address' })}
        {f('postcode', 'org.field.postcode', { autocomplete: 'postal-code' })}
        {f('commune', 'org.field.commune', { hint: k('moderation.orgForm.commune.hint'), autocomplete: 'address-level2' })}
      </fieldset>
      <fieldset class="org-section">
        <legend safe>{k('moderation.orgForm.section.identifiers')}</legend>
        {f('siren', 'org.field.siren', { hint: k('moderation.orgForm.siren.hint') })}
        {f('siret', 'org.field.siret', { hint: k('moderation.orgForm.siret.hint') })}
        {f('rna', 'org.field.rna', { hint: k('moderation.orgForm.rna.hint') })}
        {f('insee_code', 'org.field.inseeCode', { hint: k('moderation.orgForm.insee.hint') })}
      </fieldset>
      <fieldset class="org-section">
        <legend safe>{k('moderation.orgForm.section.figures')}</legend>
        {f('founded_year', 'org.field.foundedYear')}
        {f('staff_count', 'org.field.staffCount')}
        {f('volunteer_count', 'org.field.volunteerCount')}
      </fieldset>
      <fieldset class="org-section">
        <legend safe>{k('moderation.orgForm.section.activity')}</legend>
        <CheckboxGroup
          prefix={prefix}
          name="themes"
          legend={k('org.field.themes')}
          options={(t?.themes ?? []).map((x) => ({ value: x.code, label: label(ctx, x) }))}
          checked={list('themes')}
          error={errors['themes']}
        />
        <CheckboxGroup
          prefix={prefix}
          name="sdgs"
          legend={k('org.field.sdgs')}
          options={(t?.sdgs ?? []).map((x) => ({ value: x.code, label: k('org.sdg', { code: x.code, label: label(ctx, x) }) }))}
          checked={list('sdgs')}
          error={errors['sdgs']}
        />
        <CheckboxGroup
          prefix={prefix}
          name="zones"
          legend={k('org.field.zones')}
          options={(t?.zones ?? []).map((x) => ({ value: x.code, label: label(ctx, x) }))}
          checked={list('zones')}
          error={errors['zones']}
        />
        {t ? <CountryGroups ctx={ctx} prefix={prefix} t={t} checked={list('countries')} error={errors['countries']} /> : ''}
      </fieldset>
      {staff ? (
        <fieldset class="org-section">
          <legend safe>{k('moderation.orgForm.section.network')}</legend>
          <Select
            prefix={prefix}
            name="visibility"
            label={k('org.field.visibility')}
            value={v('visibility') || 'public'}
            error={errors['visibility']}
            options={(['public', 'members', 'staff'] as const).map((x) => ({ value: x, label: k(`org.visibility.${x}`) }))}
          />
          <CheckboxGroup
            prefix={prefix}
            name="colleges"
            legend={k('org.field.colleges')}
            options={(t?.colleges ?? []).map((x) => ({ value: x.code, label: label(ctx, x) }))}
            checked={list('colleges')}
            error={errors['colleges']}
          />
        </fieldset>
      ) : (
        ''
      )}
    </>
  );
}
