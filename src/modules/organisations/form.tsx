import type { PropsWithChildren } from '@kitajs/html';
import { findCommune, findCommuneByName } from '../../kernel/geo/communes.js';
import { countryName, listCountries } from '../../kernel/geo/countries.js';
import { formatPhone } from '../../kernel/identifiers.js';
import { localLabel, type MessageKey } from '../../kernel/i18n/index.js';
import { richTextForForm } from '../../kernel/text/rich-text.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { describedBy, Field, FieldNotes, fieldId, Select, TextArea } from '../../kernel/ui/form.js';
import { LOGO_FIELDS } from './logo.js';
import type { TaxonomyLabels } from './service.js';
import { parseSocialLinks, SOCIAL_NETWORKS, socialField, type SocialLinks } from './social.js';

/** Values of the organisation form: one string per single field, a list per multi-valued one. */
export type OrganisationFormValues = Record<string, string | string[]>;

const MULTI = ['themes', 'countries', 'zones', 'sdgs', 'colleges'] as const;
const SOCIAL = SOCIAL_NETWORKS.map(socialField);
const SINGLE = [
  'name', 'acronym', 'kind_code', 'description', 'website', 'email', 'phone', 'address', 'postcode', 'commune',
  'siren', 'siret', 'rna', 'insee_code', 'founded_year', 'staff_count', 'volunteer_count', 'visibility', ...SOCIAL,
] as const;

function str(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

function strings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' && value !== '' ? value.split(',') : [];
  return [...new Set(list.map((x) => String(x).trim()).filter(Boolean))];
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
    // The logo the page carried (a file id, '' for none) and the "remove" box, when the form has them.
    if (typeof source[LOGO_FIELDS.kept] === 'string') values['logo'] = source[LOGO_FIELDS.kept] as string;
    if (source[LOGO_FIELDS.remove] === '1') values[LOGO_FIELDS.remove] = '1';
    return values;
  }
  const links = (source['links'] ?? source) as Record<string, unknown>;
  for (const name of SINGLE) values[name] = str(source[name]);
  values['description'] = richTextForForm(source['description_html'] as string | null);
  const phone = str(source['phone']);
  values['phone'] = phone.startsWith('+') ? formatPhone(phone) : phone;
  const code = str(source['commune_code']);
  const commune = code ? findCommune(code) : undefined;
  const postcode = str(source['postcode']);
  // The name reads better than the code; kept only when it finds the same commune again.
  values['commune'] = commune && findCommuneByName(commune.name, postcode || undefined)?.code === code ? commune.name : code;
  for (const name of MULTI) values[name] = strings(links[name]);
  Object.assign(values, socialFormValues(source['social_links']));
  // A record's logo: its file id, '' for none; a draft that says nothing of it leaves it out.
  const logo = source['logo_file_id'];
  if (logo !== undefined) values['logo'] = str(logo);
  values['sdgs'] = (values['sdgs'] as string[]).map((s) => String(Number(s))).sort((a, b) => Number(a) - Number(b));
  for (const name of ['themes', 'countries', 'zones', 'colleges'] as const) values[name] = (values[name] as string[]).sort();
  return values;
}

/**
 * Stored links (JSON) or a draft's (object) as one field per network; a link under a network the
 * form does not list goes to "other" when that is free, so an edit does not drop it.
 */
function socialFormValues(stored: unknown): Record<string, string> {
  const links: SocialLinks = typeof stored === 'object' && stored !== null ? (stored as SocialLinks) : parseSocialLinks(typeof stored === 'string' ? stored : null);
  const values: Record<string, string> = Object.fromEntries(SOCIAL.map((name) => [name, '']));
  for (const [network, url] of Object.entries(links)) {
    const field = `social_${network}`;
    if (field in values) values[field] = url;
    else if (!values['social_other']) values['social_other'] = url;
  }
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
  /** Offer a logo upload (the form must then be multipart); else the logo can only be kept or removed. */
  logoUpload?: boolean;
}


/** A fieldset of checkboxes with its legend, hint and error tied to it (RGAA 11.10). */
function ChecksFieldset(props: PropsWithChildren<{ id: string; legend: string; hint?: string; error?: string }>) {
  const { id } = props;
  return (
    <fieldset id={id} class={props.error ? 'org-checks field-invalid' : 'org-checks'} aria-describedby={describedBy(id, props.hint, props.error)} tabindex="-1">
      <legend safe>{props.legend}</legend>
      <FieldNotes id={id} hint={props.hint} error={props.error} />
      {props.children}
    </fieldset>
  );
}

function CheckboxGroup(props: {
  name: string;
  prefix?: string;
  legend: string;
  options: readonly { value: string; label: string }[];
  checked: string[];
  error?: string;
}) {
  const id = fieldId(props.name, props.prefix);
  return (
    <ChecksFieldset id={id} legend={props.legend} error={props.error}>
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
    </ChecksFieldset>
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
    if (countries.length) groups.push({ code: zone.code, label: localLabel(zone, ctx.locale), countries });
  }
  groups.push({ code: 'other', label: ctx.t('moderation.orgForm.countries.other'), countries: all.filter((c) => !seen.has(c.code)) });
  // A country typed by name in an import may not be in the list: keep it ticked anyway.
  const unknown = props.checked.filter((c) => !all.some((x) => x.code === c));
  return (
    <ChecksFieldset id={id} legend={ctx.t('org.field.countries')} hint={ctx.t('moderation.orgForm.countries.hint')} error={props.error}>
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
    </ChecksFieldset>
  );
}

/** The fields of the organisation form, shared by staff edit, member proposals and public proposals. */
export function OrganisationFormFields({ ctx, values: raw, errors, staff, taxonomies: t, prefix, logoUpload = true }: Props) {
  const values = organisationFormValues(raw);
  const v = (name: string) => str(values[name]);
  const list = (name: string) => strings(values[name]);
  const k = ctx.t;
  const f = (name: string, key: MessageKey, extra: { type?: 'text' | 'email' | 'url' | 'tel'; hint?: string; required?: boolean; autocomplete?: string } = {}) => (
    <Field prefix={prefix} name={name} label={k(key)} value={v(name)} error={errors[name]} {...extra} />
  );
  /** A taxonomy as checkboxes (themes, SDGs, zones, colleges). */
  const checks = (name: 'themes' | 'sdgs' | 'zones' | 'colleges', legend: MessageKey, entries: readonly { code: string; label_fr: string; label_en: string }[] | undefined, text = (x: { code: string; label_fr: string; label_en: string }) => localLabel(x, ctx.locale)) => (
    <CheckboxGroup prefix={prefix} name={name} legend={k(legend)} options={(entries ?? []).map((x) => ({ value: x.code, label: text(x) }))} checked={list(name)} error={errors[name]} />
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
          options={[{ value: '', label: k('moderation.orgForm.choose') }, ...kinds.map((x) => ({ value: x.code, label: localLabel(x, ctx.locale) }))]}
        />
        <TextArea prefix={prefix} name="description" label={k('org.field.description')} value={v('description')} error={errors['description']} hint={k('moderation.orgForm.description.hint')} rows={8} class="org-textarea" />
        <LogoFields ctx={ctx} prefix={prefix} logo={v('logo')} remove={v(LOGO_FIELDS.remove) === '1'} error={errors[LOGO_FIELDS.upload]} upload={logoUpload} />
      </fieldset>
      <fieldset class="org-section">
        <legend safe>{k('moderation.orgForm.section.contact')}</legend>
        {f('website', 'org.field.website', { hint: k('moderation.orgForm.website.hint'), autocomplete: 'url' })}
        {f('email', 'org.field.email', { type: 'email', autocomplete: 'email', hint: k('org.field.publicContactHint') })}
        {f('phone', 'org.field.phone', { type: 'tel', autocomplete: 'tel', hint: k('org.field.publicPhoneHint') })}
        {f('address', 'org.field.address', { autocomplete: 'street-address' })}
        {f('postcode', 'org.field.postcode', { autocomplete: 'postal-code' })}
        {f('commune', 'org.field.commune', { hint: k('moderation.orgForm.commune.hint'), autocomplete: 'address-level2' })}
      </fieldset>
      <fieldset class="org-section" aria-describedby={fieldId('social-hint', prefix)}>
        <legend safe>{k('org.section.social')}</legend>
        <p class="hint" id={fieldId('social-hint', prefix)} safe>
          {k('org.social.hint')}
        </p>
        {SOCIAL_NETWORKS.map((network) => f(socialField(network), `org.social.${network}`, { type: 'url', hint: network === 'mastodon' ? k('org.social.mastodon.hint') : undefined }))}
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
        {checks('themes', 'org.field.themes', t?.themes)}
        {checks('sdgs', 'org.field.sdgs', t?.sdgs, (x) => k('org.sdg', { code: x.code, label: localLabel(x, ctx.locale) }))}
        {checks('zones', 'org.field.zones', t?.zones)}
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
          {checks('colleges', 'org.field.colleges', t?.colleges)}
        </fieldset>
      ) : (
        ''
      )}
    </>
  );
}

/**
 * The logo: the one the page carries (a file id in a hidden field, so that a form redisplayed after
 * an error keeps it), a file to replace it and a box to remove it. Staff see the image itself; a
 * logo waiting in a proposal is not public, so others read that one is attached.
 */
function LogoFields(props: { ctx: ViewContext; prefix?: string; logo: string; remove: boolean; error?: string; upload: boolean }) {
  const { ctx, logo } = props;
  const k = ctx.t;
  const staffView = ctx.user?.role === 'staff' || ctx.user?.role === 'admin';
  const removeId = fieldId(LOGO_FIELDS.remove, props.prefix);
  return (
    <div class="org-logo-fields">
      <input type="hidden" name={LOGO_FIELDS.kept} value={logo} />
      {logo && staffView ? (
        <figure class="org-logo-preview">
          <img src={`/media/logos/${encodeURIComponent(logo)}`} alt={k('org.logo.current')} width="120" height="120" />
        </figure>
      ) : logo ? (
        <p class="hint" safe>
          {k('org.logo.kept')}
        </p>
      ) : (
        ''
      )}
      {props.upload ? (
        <Field
          prefix={props.prefix}
          name={LOGO_FIELDS.upload}
          type="file"
          label={k(logo ? 'org.logo.replace' : 'org.field.logo')}
          hint={k('org.logo.hint')}
          error={props.error}
          accept="image/png,image/jpeg,image/webp,image/gif"
        />
      ) : (
        ''
      )}
      {logo ? (
        <div class="field field-check">
          <input type="checkbox" id={removeId} name={LOGO_FIELDS.remove} value="1" checked={props.remove} />
          <label for={removeId} safe>
            {k('org.logo.remove')}
          </label>
        </div>
      ) : (
        ''
      )}
    </div>
  );
}
