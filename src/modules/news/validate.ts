import { countriesFieldText, countryCodesFromText } from '../../kernel/geo/countries.js';
import type { MessageKey, Params } from '../../kernel/i18n/index.js';
import { isId } from '../../kernel/ids.js';
import { richTextForForm, richTextFromForm } from '../../kernel/text/rich-text.js';
import { parseLocalDateTime, parseTimeOfDay, TIME_OF_DAY_PATTERN, toLocalInputs } from '../../kernel/time/zoned.js';
import { checkWebLink } from '../../kernel/web-link.js';
import type { Article } from './types.js';

// Validation of an article as typed in a form (staff or member) or carried by a proposal. Pure:
// the caller passes the theme codes; the organisation and the image are resolved by service.ts.

export type Problems = Record<string, { key: MessageKey; params?: Params }>;

/** A validated article, ready to be written. */
export interface NewsDraft {
  title: string;
  /** null: made from the title. */
  slug: string | null;
  summary: string | null;
  body_html: string | null;
  /** The image's file id; null for none; undefined: the form said nothing of it (an article keeps its own). */
  image_file_id?: string | null;
  image_alt: string | null;
  themes: string[];
  countries: string[];
  /** When it is (or was) published; null: when it is published. */
  published_at: Date | null;
  organisation_id: string | null;
  mastodon_post: boolean;
  source_url: string | null;
  watch_item_id: string | null;
}

/** Form values (strings and lists): what forms show and proposals carry. */
export type NewsValues = Record<string, string | string[]>;

export const NEWS_SINGLE_FIELDS = ['title', 'slug', 'summary', 'body', 'image_alt', 'publish_date', 'publish_time', 'organisation', 'organisation_add', 'mastodon', 'source_url', 'watch_item_id'] as const;
export const NEWS_LIST_FIELDS = ['themes', 'countries'] as const;

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

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

const TIME_SHAPE = new RegExp(TIME_OF_DAY_PATTERN);

/**
 * What is wrong with a typed publication time (Paris; « 09:30 », « 9h30 », « 9 h 30 », « 9 h »), or
 * null when it is a time of day: unreadable, or read but no time (« 25:61 », « 14 h 75 »).
 */
function publishTimeProblem(time: string): { key: MessageKey; params: Params } | null {
  const shown = time.slice(0, 20);
  if (!TIME_SHAPE.test(time)) return { key: 'news.error.timeFormat', params: { time: shown } };
  if (!parseTimeOfDay(time)) return { key: 'news.error.timeInvalid', params: { time: shown } };
  return null;
}

/** Validates an article form; `organisationId` is the organisation the caller resolved (or null). */
export function validateNews(raw: Record<string, unknown>, themeCodes: string[]): { ok: true; draft: Omit<NewsDraft, 'organisation_id'> } | { ok: false; errors: Problems } {
  const errors: Problems = {};
  const title = text(raw, 'title').replace(/\s+/g, ' ');
  if (!title) errors['title'] = { key: 'news.error.titleRequired' };
  else if (title.length < 3 || title.length > 200) errors['title'] = { key: 'news.error.title' };
  const slug = text(raw, 'slug').toLowerCase();
  if (slug && (!SLUG.test(slug) || slug.length > 100)) errors['slug'] = { key: 'news.error.slug' };
  const summary = text(raw, 'summary').replace(/\s+/g, ' ');
  if (summary.length > 500) errors['summary'] = { key: 'news.error.summary' };
  const bodyRaw = typeof raw['body'] === 'string' ? raw['body'] : text(raw, 'body');
  if (bodyRaw.length > 100_000) errors['body'] = { key: 'news.error.body' };
  const imageAlt = text(raw, 'image_alt').replace(/\s+/g, ' ');
  if (imageAlt.length > 300) errors['image_alt'] = { key: 'news.error.imageAlt' };
  const themes = list(raw, 'themes');
  if (themes.some((t) => !themeCodes.includes(t))) errors['themes'] = { key: 'news.error.themes' };
  // « Mali (ML), Sénégal (SN) » as the form shows them, or codes and names as people type them.
  const typedCountries = raw['countries'];
  const countries = [...new Set((Array.isArray(typedCountries) ? typedCountries : [typedCountries]).flatMap((v) => (typeof v === 'string' ? countryCodesFromText(v) : [])))];
  if (countries.some((c) => c.startsWith('?'))) errors['countries'] = { key: 'news.error.countries' };
  const date = text(raw, 'publish_date');
  const time = text(raw, 'publish_time');
  // The time is checked on its own, so that « 25:61 » is named as the problem, with or without a date.
  const timeProblem = time ? publishTimeProblem(time) : null;
  if (timeProblem) errors['publish_time'] = timeProblem;
  let publishedAt: Date | null = null;
  if (date) {
    publishedAt = parseLocalDateTime(date, timeProblem ? '00:00' : time || '00:00');
    if (!publishedAt) errors['publish_date'] = { key: 'news.error.date' };
  } else if (time) errors['publish_date'] = { key: 'news.error.dateMissing' };
  const sourceRaw = text(raw, 'source_url');
  const source = sourceRaw ? checkWebLink(sourceRaw) : null;
  const sourceUrl = source?.ok ? source.url : null;
  if (source && !source.ok && source.local) errors['source_url'] = { key: 'form.error.localLink' };
  else if (sourceRaw && (!sourceUrl || sourceRaw.length > 2000)) errors['source_url'] = { key: 'news.error.sourceUrl' };
  const watchItem = text(raw, 'watch_item_id');
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    draft: {
      title,
      slug: slug || null,
      summary: summary || null,
      body_html: richTextFromForm(bodyRaw),
      image_alt: imageAlt || null,
      themes: [...themes].sort(),
      countries: [...new Set(countries)].sort(),
      published_at: publishedAt,
      mastodon_post: ['1', 'on', 'true'].includes(text(raw, 'mastodon')),
      source_url: sourceUrl,
      watch_item_id: isId(watchItem) ? watchItem : null,
    },
  };
}

const str = (value: unknown) => (value === null || value === undefined ? '' : String(value));

/** A draft as form values (what forms show again and proposals carry). */
export function draftValues(d: NewsDraft): NewsValues {
  const when = d.published_at ? toLocalInputs(d.published_at) : null;
  return {
    title: d.title,
    slug: str(d.slug),
    summary: str(d.summary),
    body: richTextForForm(d.body_html),
    // The image only when the draft says something of it.
    ...(d.image_file_id === undefined ? {} : { image: str(d.image_file_id) }),
    image_alt: str(d.image_alt),
    themes: [...d.themes],
    countries: [...d.countries],
    publish_date: when?.date ?? '',
    publish_time: when?.time ?? '',
    organisation: str(d.organisation_id),
    mastodon: d.mastodon_post ? '1' : '',
    source_url: str(d.source_url),
    watch_item_id: str(d.watch_item_id),
  };
}

/** A stored article as form values. */
export function articleValues(a: Article): NewsValues {
  return draftValues({
    title: a.title,
    slug: a.slug,
    summary: a.summary,
    body_html: a.body_html,
    image_file_id: a.image_file_id,
    image_alt: a.image_alt,
    themes: a.themes,
    countries: a.countries,
    published_at: a.published_at ? new Date(a.published_at) : null,
    organisation_id: a.organisation_id,
    mastodon_post: a.mastodon_post === 1,
    source_url: a.source_url,
    watch_item_id: a.watch_item_id,
  });
}

/** A submitted form kept as typed (to show it again with its errors). */
export function submittedValues(raw: Record<string, unknown>): NewsValues {
  const values: NewsValues = {};
  for (const name of NEWS_SINGLE_FIELDS) values[name] = text(raw, name);
  values['body'] = typeof raw['body'] === 'string' ? raw['body'] : '';
  for (const name of NEWS_LIST_FIELDS) values[name] = list(raw, name);
  if (typeof raw['image'] === 'string') values['image'] = raw['image'];
  if (text(raw, 'remove_image') === '1') values['remove_image'] = '1';
  return values;
}

/** Countries as the form's text field shows them, as every form does: « Mali (ML), Sénégal (SN) ». */
export function countriesText(codes: string[], locale: 'fr' | 'en'): string {
  return countriesFieldText(codes, locale);
}
