import type { Visibility } from '../../db/schema.js';
import { countryCodeFromName, isCountryCode } from '../../kernel/geo/countries.js';
import { findCommune, findCommuneByName } from '../../kernel/geo/communes.js';
import type { MessageKey, Params } from '../../kernel/i18n/index.js';
import { checkRna, checkSiren, checkSiret, normaliseWebsite, toE164 } from '../../kernel/identifiers.js';
import { richTextFromForm } from '../../kernel/text/rich-text.js';
import { EMAIL_PATTERN } from '../../kernel/validation.js';
import { checkWebLink } from '../../kernel/web-link.js';
import { SOCIAL_NETWORKS, socialField, type SocialLinks, validateSocialLinks } from './social.js';
import type { OrganisationLinks } from './types.js';

export interface Taxonomies {
  kinds: string[];
  themes: string[];
  zones: string[];
  colleges: string[];
}

/** A validated organisation, ready to be written. */
export interface OrganisationDraft {
  name: string;
  acronym: string | null;
  kind_code: string;
  description_html: string | null;
  website: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  postcode: string | null;
  commune_code: string | null;
  commune_name: string | null;
  department_code: string | null;
  siren: string | null;
  siret: string | null;
  rna: string | null;
  insee_code: string | null;
  founded_year: number | null;
  staff_count: number | null;
  volunteer_count: number | null;
  visibility: Visibility;
  links: OrganisationLinks;
  /** Network → URL; undefined leaves the record's links as they are (the form had no such field). */
  social_links?: SocialLinks;
  /** A stored logo file, null for none; undefined leaves the record's logo as it is. */
  logo_file_id?: string | null;
}

export interface FieldProblem {
  key: MessageKey;
  params?: Params;
}

export type ValidationResult =
  | { ok: true; draft: OrganisationDraft; warnings: Record<string, FieldProblem> }
  | { ok: false; errors: Record<string, FieldProblem>; warnings: Record<string, FieldProblem> };

/** The form's field names (multi-valued ones may come as repeated fields or one comma list). */
export const ORGANISATION_FIELDS = [
  'name', 'acronym', 'kind_code', 'description', 'website', 'email', 'phone', 'address', 'postcode', 'commune',
  'siren', 'siret', 'rna', 'insee_code', 'founded_year', 'staff_count', 'volunteer_count', 'visibility',
  'themes', 'countries', 'zones', 'sdgs', 'colleges', ...SOCIAL_NETWORKS.map(socialField),
] as const;

function text(raw: Record<string, unknown>, name: string): string {
  const v = raw[name];
  return typeof v === 'string' ? v.trim() : '';
}

export function list(raw: Record<string, unknown>, name: string): string[] {
  const v = raw[name];
  const values = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : [];
  return values.map((x) => String(x).trim()).filter(Boolean);
}

/**
 * Validates an organisation as submitted by a form or an import row. Identifier checksum errors
 * are errors in forms and warnings in imports (`lenientIdentifiers`), keeping the raw value.
 */
export function validateOrganisation(
  raw: Record<string, unknown>,
  taxonomies: Taxonomies,
  options: { lenientIdentifiers?: boolean; currentYear: number },
): ValidationResult {
  const errors: Record<string, FieldProblem> = {};
  const warnings: Record<string, FieldProblem> = {};
  const optional = (name: string) => text(raw, name) || null;

  const name = text(raw, 'name').replace(/\s+/g, ' ');
  if (!name) errors['name'] = { key: 'org.error.nameRequired' };
  else if (name.length < 2 || name.length > 200) errors['name'] = { key: 'org.error.name' };
  const acronym = optional('acronym');
  if (acronym && acronym.length > 30) errors['acronym'] = { key: 'org.error.acronym' };
  const kind = text(raw, 'kind_code');
  if (!taxonomies.kinds.includes(kind)) errors['kind_code'] = { key: 'org.error.kind' };

  const descriptionRaw = optional('description');
  if (descriptionRaw && descriptionRaw.length > 10_000) errors['description'] = { key: 'org.error.description' };
  const description = descriptionRaw ? richTextFromForm(descriptionRaw) : null;

  const websiteRaw = optional('website');
  const website = websiteRaw ? normaliseWebsite(websiteRaw) : null;
  if (websiteRaw && !website) errors['website'] = { key: 'org.error.website' };
  else if (website) {
    const link = checkWebLink(website);
    if (!link.ok) errors['website'] = { key: link.local ? 'form.error.localLink' : 'org.error.website' };
  }

  const email = optional('email');
  if (email && !EMAIL_PATTERN.test(email)) errors['email'] = { key: 'org.error.email' };

  const phoneRaw = optional('phone');
  const phone = phoneRaw ? toE164(phoneRaw) : null;
  if (phoneRaw && !phone) errors['phone'] = { key: 'org.error.phone' };

  const postcode = optional('postcode');
  if (postcode && !/^\d{5}$/.test(postcode)) errors['postcode'] = { key: 'org.error.postcode' };
  const communeRaw = optional('commune');
  let commune = communeRaw ? (findCommune(communeRaw) ?? findCommuneByName(communeRaw, postcode ?? undefined) ?? findCommuneByName(communeRaw)) : undefined;
  if (!commune && !communeRaw && postcode && /^\d{5}$/.test(postcode)) commune = undefined;
  if (communeRaw && !commune) errors['commune'] = { key: 'org.error.commune' };
  if (commune && postcode && /^\d{5}$/.test(postcode) && !commune.postcodes.includes(postcode)) {
    errors['postcode'] = { key: 'org.error.postcodeMismatch', params: { commune: commune.name, postcodes: commune.postcodes.join(', ') } };
  }

  const identifier = (field: 'siren' | 'siret' | 'rna', check: typeof checkSiren, key: MessageKey): string | null => {
    const value = optional(field);
    if (!value) return null;
    const result = check(value);
    if (result.ok) return result.value;
    if (options.lenientIdentifiers) {
      warnings[field] = { key };
      return value;
    }
    errors[field] = { key };
    return value;
  };
  const siret = identifier('siret', checkSiret, 'org.error.siret');
  let siren = identifier('siren', checkSiren, 'org.error.siren');
  if (!siren && siret && !errors['siret'] && !warnings['siret']) siren = siret.slice(0, 9);
  const rna = identifier('rna', checkRna, 'org.error.rna');
  const insee = optional('insee_code');
  if (insee && !/^(\d{5}|2[AB]\d{3})$/.test(insee.toUpperCase())) errors['insee_code'] = { key: 'org.error.inseeCode' };

  const integer = (field: string, min: number, max: number, key: MessageKey): number | null => {
    const value = optional(field);
    if (!value) return null;
    const n = Number(value.replace(/\s/g, ''));
    if (!Number.isInteger(n) || n < min || n > max) {
      errors[field] = { key };
      return null;
    }
    return n;
  };
  const foundedYear = integer('founded_year', 1800, options.currentYear, 'org.error.year');
  const staff = integer('staff_count', 0, 1_000_000, 'org.error.staffCount');
  const volunteers = integer('volunteer_count', 0, 1_000_000, 'org.error.volunteerCount');

  const visibility = (optional('visibility') ?? 'public') as Visibility;
  if (!['public', 'members', 'staff'].includes(visibility)) errors['visibility'] = { key: 'org.error.visibility' };

  const themes = list(raw, 'themes');
  if (themes.some((t) => !taxonomies.themes.includes(t))) errors['themes'] = { key: 'org.error.themes' };
  const countries = list(raw, 'countries').map((c) => (isCountryCode(c) ? c : (countryCodeFromName(c) ?? `?${c}`)));
  if (countries.some((c) => c.startsWith('?'))) errors['countries'] = { key: 'org.error.countries' };
  const zones = list(raw, 'zones');
  if (zones.some((z) => !taxonomies.zones.includes(z))) errors['zones'] = { key: 'org.error.zones' };
  const sdgs = list(raw, 'sdgs').map(Number);
  if (sdgs.some((n) => !Number.isInteger(n) || n < 1 || n > 17)) errors['sdgs'] = { key: 'org.error.sdgs' };
  const colleges = list(raw, 'colleges');
  if (colleges.some((c) => !taxonomies.colleges.includes(c))) errors['colleges'] = { key: 'org.error.colleges' };
  const socialLinks = validateSocialLinks(raw, errors);

  if (Object.keys(errors).length) return { ok: false, errors, warnings };
  return {
    ok: true,
    warnings,
    draft: {
      name,
      acronym,
      kind_code: kind,
      description_html: description || null,
      website,
      email,
      phone,
      address: optional('address'),
      postcode: postcode ?? (commune?.postcodes.length === 1 ? commune.postcodes[0]! : null),
      commune_code: commune?.code ?? null,
      commune_name: commune?.name ?? null,
      department_code: commune?.department ?? null,
      siren,
      siret,
      rna,
      insee_code: insee ? insee.toUpperCase() : null,
      founded_year: foundedYear,
      staff_count: staff,
      volunteer_count: volunteers,
      visibility,
      links: { themes, countries, zones, sdgs, colleges },
      social_links: socialLinks,
    },
  };
}
