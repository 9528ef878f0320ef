import { countriesFieldText, countryCodesFromText } from '../../kernel/geo/countries.js';
import { findDepartment, listDepartments } from '../../kernel/geo/communes.js';
import { REGIONS } from '../../kernel/geo/regions.js';
import type { MessageKey, Params } from '../../kernel/i18n/index.js';
import { foldText } from '../../kernel/search/normalise.js';
import { richTextForForm, richTextFromForm } from '../../kernel/text/rich-text.js';
import { normaliseTimeOfDay } from '../../kernel/time/zoned.js';
import { checkWebLink } from '../../kernel/web-link.js';
import { eurosForForm, parseEuros } from './money.js';
import { isDate } from './status.js';
import type { CallDraft } from './types.js';

// Validation of a call as typed in the staff form. Pure: the caller passes the taxonomies' codes and
// the funder organisation it resolved from the directory.

export interface FieldProblem {
  key: MessageKey;
  params?: Params;
}

export type Problems = Record<string, FieldProblem>;

export interface CallTaxonomies {
  kinds: string[];
  themes: string[];
  zones: string[];
}

/** Single-valued fields of the form; `kinds`, `themes`, `zones` and `regions` are lists. */
export const CALL_SINGLE_FIELDS = [
  'title', 'funder', 'funder_organisation', 'summary', 'description', 'opens_on', 'closes_on', 'closes_time',
  'amount_min', 'amount_max', 'cofinancing_rate', 'link_url', 'countries', 'departments', 'watch_item_id', 'document_title',
] as const;
export const CALL_LIST_FIELDS = ['kinds', 'themes', 'zones', 'regions'] as const;

export function text(raw: Record<string, unknown>, name: string): string {
  const v = raw[name];
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0].trim() : '';
  return typeof v === 'string' ? v.trim() : '';
}

export function list(raw: Record<string, unknown>, name: string): string[] {
  const v = raw[name];
  const values = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : [];
  return [...new Set(values.filter((x) => typeof x === 'string').map((x) => String(x).trim()).filter(Boolean))];
}

/** "SN, Mali, Burkina Faso (BF)" → codes; unknown names come back prefixed with "?". */
export function countryCodes(typed: string): string[] {
  return countryCodesFromText(typed);
}

/** "29, 35, Morbihan" → INSEE codes; unknown ones come back prefixed with "?". */
export function departmentCodes(typed: string): string[] {
  return typed
    .split(/[,;\n]/)
    .map((part) => part.trim().replace(/\s*\(.*\)$/, ''))
    .filter(Boolean)
    .map((d) => {
      const upper = d.toUpperCase();
      if (findDepartment(upper)) return upper;
      const folded = foldText(d).replace(/[^a-z0-9]+/g, ' ').trim();
      const byName = listDepartments().find((x) => foldText(x.name).replace(/[^a-z0-9]+/g, ' ').trim() === folded);
      return byName?.code ?? `?${d}`;
    });
}

/**
 * Validates a call form. Dates are `YYYY-MM-DD` (Europe/Paris), the closing time a time of day
 * (« 12 h », « 14h30 », « 14:30 ») kept as `HH:MM`;
 * amounts are typed in euros and kept in cents; the rate is a percentage.
 */
export function validateCall(
  raw: Record<string, unknown>,
  taxonomies: CallTaxonomies,
  funder: { id: string | null; problem?: FieldProblem },
): { ok: true; draft: CallDraft } | { ok: false; errors: Problems } {
  const errors: Problems = {};

  const title = text(raw, 'title').replace(/\s+/g, ' ');
  if (title.length < 3 || title.length > 200) errors['title'] = { key: 'calls.error.title' };
  const funderName = text(raw, 'funder').replace(/\s+/g, ' ');
  if (funderName.length < 2 || funderName.length > 200) errors['funder'] = { key: 'calls.error.funder' };
  if (funder.problem) errors['funder_organisation'] = funder.problem;
  const summary = text(raw, 'summary').replace(/\s+/g, ' ') || null;
  if (summary && summary.length > 600) errors['summary'] = { key: 'calls.error.summaryTooLong' };
  // Browsers post a text area's lines with CRLF: one form, so that blank lines part paragraphs.
  const descriptionRaw = text(raw, 'description').replace(/\r\n?/g, '\n');
  if (descriptionRaw.length > 30_000) errors['description'] = { key: 'calls.error.descriptionTooLong' };
  const description = richTextFromForm(descriptionRaw);

  // ---- Dates ----
  const opensOn = text(raw, 'opens_on') || null;
  if (opensOn && !isDate(opensOn)) errors['opens_on'] = { key: 'calls.error.date' };
  const closesOn = text(raw, 'closes_on');
  if (!closesOn) errors['closes_on'] = { key: 'calls.error.closesOn' };
  else if (!isDate(closesOn)) errors['closes_on'] = { key: 'calls.error.date' };
  const closesTimeTyped = text(raw, 'closes_time');
  const closesTime = closesTimeTyped ? normaliseTimeOfDay(closesTimeTyped) : null;
  if (closesTimeTyped && !closesTime) errors['closes_time'] = { key: 'calls.error.time' };
  if (opensOn && closesOn && !errors['opens_on'] && !errors['closes_on'] && opensOn > closesOn) errors['closes_on'] = { key: 'calls.error.closesBeforeOpens' };

  // ---- Money ----
  const amountMin = parseEuros(text(raw, 'amount_min'));
  if (amountMin === undefined) errors['amount_min'] = { key: 'calls.error.amount' };
  const amountMax = parseEuros(text(raw, 'amount_max'));
  if (amountMax === undefined) errors['amount_max'] = { key: 'calls.error.amount' };
  if (typeof amountMin === 'number' && typeof amountMax === 'number' && amountMin > amountMax) errors['amount_max'] = { key: 'calls.error.amountOrder' };
  const rateRaw = text(raw, 'cofinancing_rate').replace(/\s*%$/, '').replace(',', '.');
  const rate = rateRaw === '' ? null : Number(rateRaw);
  if (rate !== null && (!Number.isInteger(rate) || rate < 0 || rate > 100)) errors['cofinancing_rate'] = { key: 'calls.error.rate' };

  // ---- Link ----
  const linkRaw = text(raw, 'link_url');
  const checkedLink = linkRaw ? checkWebLink(linkRaw, 'https') : null;
  const link = checkedLink?.ok ? checkedLink.url : null;
  if (checkedLink && !checkedLink.ok && checkedLink.local) errors['link_url'] = { key: 'form.error.localLink' };
  else if (linkRaw && (!link || linkRaw.length > 1000)) errors['link_url'] = { key: 'calls.error.link' };

  // ---- Who, where, what about ----
  const kinds = list(raw, 'kinds');
  if (kinds.some((k) => !taxonomies.kinds.includes(k))) errors['kinds'] = { key: 'calls.error.kinds' };
  const themes = list(raw, 'themes');
  if (themes.some((t) => !taxonomies.themes.includes(t))) errors['themes'] = { key: 'calls.error.themes' };
  const zones = list(raw, 'zones');
  if (zones.some((z) => !taxonomies.zones.includes(z))) errors['zones'] = { key: 'calls.error.zones' };
  const countries = countryCodes(text(raw, 'countries'));
  const unknownCountry = countries.find((c) => c.startsWith('?'));
  if (unknownCountry) errors['countries'] = { key: 'calls.error.countries', params: { name: unknownCountry.slice(1, 60) } };
  const regions = list(raw, 'regions');
  if (regions.some((r) => !Object.hasOwn(REGIONS, r))) errors['regions'] = { key: 'calls.error.regions' };
  const departments = departmentCodes(text(raw, 'departments'));
  const unknownDepartment = departments.find((d) => d.startsWith('?'));
  if (unknownDepartment) errors['departments'] = { key: 'calls.error.departments', params: { name: unknownDepartment.slice(1, 60) } };
  if (countries.length > 250 || departments.length > 120) errors['countries'] ??= { key: 'calls.error.countries', params: { name: '…' } };

  const watchItem = text(raw, 'watch_item_id');
  const watchItemId = /^[0-9a-f-]{36}$/i.test(watchItem) ? watchItem.toLowerCase() : null;

  if (Object.keys(errors).length) return { ok: false, errors };
  const sorted = (values: string[]) => [...new Set(values)].sort();
  return {
    ok: true,
    draft: {
      title,
      funder: funderName,
      funder_organisation_id: funder.id,
      summary,
      description_html: description || null,
      opens_on: opensOn,
      closes_on: closesOn,
      closes_time: closesTime,
      amount_min_cents: amountMin ?? null,
      amount_max_cents: amountMax ?? null,
      cofinancing_rate: rate,
      link_url: link,
      watch_item_id: watchItemId,
      links: { kinds: sorted(kinds), themes: sorted(themes), countries: sorted(countries), zones: sorted(zones), regions: sorted(regions), departments: sorted(departments) },
    },
  };
}

/** Form values (strings and lists) of a draft: what the form shows. */
export type CallFormValues = Record<string, string | string[]>;

export function draftFormValues(d: CallDraft, funderLabel = '', locale: 'fr' | 'en' = 'fr'): CallFormValues {
  const str = (v: string | number | null) => (v === null ? '' : String(v));
  return {
    title: d.title,
    funder: d.funder,
    funder_organisation: funderLabel,
    summary: str(d.summary),
    description: richTextForForm(d.description_html),
    opens_on: str(d.opens_on),
    closes_on: d.closes_on,
    closes_time: str(d.closes_time),
    amount_min: eurosForForm(d.amount_min_cents),
    amount_max: eurosForForm(d.amount_max_cents),
    cofinancing_rate: str(d.cofinancing_rate),
    link_url: str(d.link_url),
    countries: countriesFieldText(d.links.countries, locale),
    departments: d.links.departments.map((c) => `${findDepartment(c)?.name ?? c} (${c})`).join(', '),
    watch_item_id: str(d.watch_item_id),
    kinds: d.links.kinds,
    themes: d.links.themes,
    zones: d.links.zones,
    regions: d.links.regions,
  };
}

/** A submitted form kept as typed (to show it again with its errors). */
export function submittedFormValues(raw: Record<string, unknown>): CallFormValues {
  const values: CallFormValues = {};
  for (const name of CALL_SINGLE_FIELDS) values[name] = text(raw, name);
  for (const name of CALL_LIST_FIELDS) values[name] = list(raw, name);
  return values;
}
