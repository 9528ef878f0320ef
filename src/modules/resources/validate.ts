import { countryCodesFromText } from '../../kernel/geo/countries.js';
import type { MessageKey, Params } from '../../kernel/i18n/index.js';
import { checkWebLink } from '../../kernel/web-link.js';
import { isResourceKind, isResourceLanguage } from './kinds.js';
import type { Resource, ResourceDraft } from './types.js';

export interface FieldProblem {
  key: MessageKey;
  params?: Params;
}
export type Problems = Record<string, FieldProblem>;

export const LIMITS = { title: 300, summary: 3000, authors: 500, url: 2000, themes: 30, countries: 60 } as const;

/** The form's single-valued fields; `themes` and `countries` are lists. */
export const SINGLE_FIELDS = ['title', 'kind', 'summary', 'authors', 'organisation', 'year', 'language', 'file', 'external_url'] as const;
export const LIST_FIELDS = ['themes', 'countries'] as const;

export function text(raw: Record<string, unknown>, name: string): string {
  const v = raw[name];
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0].trim() : '';
  return typeof v === 'string' ? v.trim() : '';
}

export function list(raw: Record<string, unknown>, name: string): string[] {
  const v = raw[name];
  const values = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : [];
  return [...new Set(values.map((x) => String(x).trim()).filter(Boolean))];
}


/** What the form fields hold besides the organisation and the file, which the service resolves. */
export interface Resolved {
  organisation: { id: string | null; problem?: FieldProblem };
  file: { id: string | null | undefined; problem?: FieldProblem };
  /** The resource's file when the form says nothing of it (an edit keeps it). */
  currentFileId?: string | null;
}

/**
 * Checks a resource form: `themes` are the valid theme codes; the organisation and the file come
 * already resolved (see service.ts). Either a file or a link is required.
 */
export function validateResource(raw: Record<string, unknown>, themes: readonly string[], resolved: Resolved, now: Date): { ok: true; draft: ResourceDraft } | { ok: false; errors: Problems } {
  const errors: Problems = {};
  const title = text(raw, 'title').replace(/\s+/g, ' ');
  if (!title) errors['title'] = { key: 'resources.error.title' };
  else if (title.length > LIMITS.title) errors['title'] = { key: 'resources.error.tooLong', params: { max: LIMITS.title } };
  const kind = text(raw, 'kind');
  if (!isResourceKind(kind)) errors['kind'] = { key: 'resources.error.kind' };
  const summary = text(raw, 'summary').replace(/\r\n/g, '\n');
  if (!summary) errors['summary'] = { key: 'resources.error.summary' };
  else if (summary.length > LIMITS.summary) errors['summary'] = { key: 'resources.error.tooLong', params: { max: LIMITS.summary } };
  const authors = text(raw, 'authors').replace(/\s+/g, ' ');
  if (authors.length > LIMITS.authors) errors['authors'] = { key: 'resources.error.tooLong', params: { max: LIMITS.authors } };
  const yearText = text(raw, 'year');
  const year = yearText ? Number(yearText) : null;
  const maxYear = now.getUTCFullYear() + 1;
  if (year !== null && (!/^\d{4}$/.test(yearText) || year < 1900 || year > maxYear)) errors['year'] = { key: 'resources.error.year', params: { max: maxYear } };
  const language = text(raw, 'language');
  if (language && !isResourceLanguage(language)) errors['language'] = { key: 'resources.error.language' };
  const urlText = text(raw, 'external_url');
  const link = urlText ? checkWebLink(urlText) : null;
  const externalUrl = link?.ok ? link.url : null;
  if (link && !link.ok && link.local) errors['external_url'] = { key: 'form.error.localLink' };
  else if (urlText && (!externalUrl || urlText.length > LIMITS.url)) errors['external_url'] = { key: 'resources.error.url' };
  const themeCodes = list(raw, 'themes');
  if (themeCodes.some((c) => !themes.includes(c)) || themeCodes.length > LIMITS.themes) errors['themes'] = { key: 'resources.error.themes' };
  // « Mali (ML), Sénégal (SN) » as the form shows them, « SN (Sénégal) » as it used to, or codes and names as people type them.
  const typedCountries = raw['countries'];
  const countries = [...new Set((Array.isArray(typedCountries) ? typedCountries : [typedCountries]).flatMap((v) => (typeof v === 'string' ? countryCodesFromText(v) : [])))];
  const unknownCountries = countries.filter((c) => c.startsWith('?')).map((c) => c.slice(1));
  if (unknownCountries.length) errors['countries'] = { key: 'resources.error.countries', params: { names: unknownCountries.join(', ') } };
  else if (countries.length > LIMITS.countries) errors['countries'] = { key: 'resources.error.countriesCount', params: { max: LIMITS.countries } };
  if (resolved.organisation.problem) errors['organisation'] = resolved.organisation.problem;
  if (resolved.file.problem) errors['file_upload'] = resolved.file.problem;
  else {
    const fileId = resolved.file.id === undefined ? resolved.currentFileId : resolved.file.id;
    if (!fileId && !externalUrl && !errors['external_url']) errors['file_upload'] = { key: 'resources.error.fileOrLink' };
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    draft: {
      title,
      kind,
      summary,
      authors: authors || null,
      organisation_id: resolved.organisation.id,
      year,
      language: language || null,
      file_id: resolved.file.id,
      external_url: externalUrl,
      themes: [...new Set(themeCodes)].sort(),
      countries: [...new Set(countries)].sort(),
    },
  };
}

/** A draft as forms and moderation proposals hold it (strings and lists of strings). */
export function draftValues(d: ResourceDraft, currentFileId: string | null = null): Record<string, unknown> {
  return {
    title: d.title,
    kind: d.kind,
    summary: d.summary,
    authors: d.authors ?? '',
    organisation: d.organisation_id ?? '',
    year: d.year === null ? '' : String(d.year),
    language: d.language ?? '',
    file: (d.file_id === undefined ? currentFileId : d.file_id) ?? '',
    external_url: d.external_url ?? '',
    themes: [...d.themes],
    countries: [...d.countries],
  };
}

export function resourceValues(r: Resource): Record<string, unknown> {
  return draftValues({ ...r, file_id: r.file_id });
}

/** What was typed, bounded, to show the form again (errors) or to keep in a proposal. */
export function submittedValues(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of SINGLE_FIELDS) out[name] = text(raw, name).slice(0, name === 'summary' ? LIMITS.summary + 100 : 2100);
  for (const name of LIST_FIELDS) out[name] = list(raw, name).slice(0, 100).map((x) => x.slice(0, 100));
  if (text(raw, 'remove_file') === '1') out['remove_file'] = '1';
  return out;
}
