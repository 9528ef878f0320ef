import { accountsEn, accountsFr } from './areas/accounts.js';
import { agendaEn, agendaFr } from './areas/agenda.js';
import { auditEn, auditFr } from './areas/audit.js';
import { backofficeOrganisationsEn, backofficeOrganisationsFr } from './areas/backoffice-organisations.js';
import { directoryEn, directoryFr } from './areas/directory.js';
import { duplicateWarningEn, duplicateWarningFr } from './areas/duplicate-warning.js';
import { duplicatesEn, duplicatesFr } from './areas/duplicates.js';
import { eventsEn, eventsFr } from './areas/events.js';
import { eventFeedsEn, eventFeedsFr } from './areas/event-feeds.js';
import { importsEn, importsFr } from './areas/imports.js';
import { importsWizardEn, importsWizardFr } from './areas/imports-wizard.js';
import { mapEn, mapFr } from './areas/map.js';
import { mapPositionEn, mapPositionFr } from './areas/map-position.js';
import { mergeEn, mergeFr } from './areas/merge.js';
import { moderationEn, moderationFr } from './areas/moderation.js';
import { organisationMediaEn, organisationMediaFr } from './areas/organisation-media.js';
import { organisationsEn, organisationsFr } from './areas/organisations.js';
import { registrationsEn, registrationsFr } from './areas/registrations.js';
import { callsEn, callsFr } from './areas/calls.js';
import { newsEn, newsFr } from './areas/news.js';
import { resourcesEn, resourcesFr } from './areas/resources.js';
import { searchEn, searchFr } from './areas/search.js';
import { watchEn, watchFr } from './areas/watch.js';
import { newsletterEn, newsletterFr } from './areas/newsletter.js';
import { bulletinEn, bulletinFr } from './areas/bulletin.js';
import { callAlertsEn, callAlertsFr } from './areas/call-alerts.js';
import { pagesEn, pagesFr } from './areas/pages.js';
import { en as coreEn } from './en.js';
import { fr as coreFr } from './fr.js';
import { formatMessage } from './format-message.js';
import { withFrenchSpacing } from './typography.js';

export { formatMessage };

/** French is the source of keys: the core catalogue and one catalogue per area (areas/*.ts). */
const fr = { ...coreFr, ...organisationsFr, ...organisationMediaFr, ...directoryFr, ...mapFr, ...mapPositionFr, ...moderationFr, ...backofficeOrganisationsFr, ...importsFr, ...importsWizardFr, ...duplicatesFr, ...mergeFr, ...duplicateWarningFr, ...eventsFr, ...eventFeedsFr, ...registrationsFr, ...agendaFr, ...watchFr, ...newsletterFr, ...bulletinFr, ...callAlertsFr, ...newsFr, ...callsFr, ...resourcesFr, ...searchFr, ...auditFr, ...accountsFr, ...pagesFr };
const en: Record<keyof typeof fr, string> = {
  ...coreEn,
  ...organisationsEn,
  ...organisationMediaEn,
  ...directoryEn,
  ...mapEn,
  ...mapPositionEn,
  ...moderationEn,
  ...backofficeOrganisationsEn,
  ...importsEn,
  ...importsWizardEn,
  ...duplicatesEn,
  ...mergeEn,
  ...duplicateWarningEn,
  ...eventsEn,
  ...eventFeedsEn,
  ...registrationsEn,
  ...agendaEn,
  ...watchEn,
  ...newsletterEn,
  ...bulletinEn,
  ...callAlertsEn,
  ...newsEn,
  ...callsEn,
  ...resourcesEn,
  ...searchEn,
  ...auditEn,
  ...accountsEn,
  ...pagesEn,
};

export type MessageKey = keyof typeof fr;
/** Every key of the catalogues. */
export const MESSAGE_KEYS = Object.keys(fr) as readonly MessageKey[];
export type Locale = 'fr' | 'en';
export const LOCALES: readonly Locale[] = ['fr', 'en'];
export const DEFAULT_LOCALE: Locale = 'fr';

const catalogues: Record<Locale, Record<MessageKey, string>> = { fr: withFrenchSpacing(fr), en };

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** A key of the catalogue (a key read back from storage may have been renamed since). */
export function isMessageKey(value: string): value is MessageKey {
  return Object.hasOwn(fr, value);
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Plural branches (see plural.ts) chosen by the language's rules: French 0 and 1 are singular, English 1 only. */
export function translator(locale: Locale): Translate {
  const catalogue = catalogues[locale];
  return (key, params) => {
    const template = catalogue[key] ?? catalogues.fr[key] ?? key;
    return params ? formatMessage(locale, template, params) : template;
  };
}

/** Picks the best supported locale from an Accept-Language header (RFC 9110 weights). */
export function negotiateLocale(header: string | undefined): Locale {
  if (!header) return DEFAULT_LOCALE;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: tag.trim().toLowerCase().split('-')[0] ?? '', q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((entry) => entry.lang && Number.isFinite(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { lang } of ranked) if (isLocale(lang)) return lang;
  return DEFAULT_LOCALE;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

const numberFormats = new Map<string, Intl.NumberFormat>();

/** A reference entry's label (taxonomy, event type…) in the reader's language. */
export function localLabel(entry: { label_fr: string; label_en: string }, locale: Locale): string {
  return locale === 'en' ? entry.label_en : entry.label_fr;
}

/** The BCP 47 tag of a locale for `Intl`. */
export function intlLocale(locale: Locale): string {
  return locale === 'fr' ? 'fr-FR' : 'en-GB';
}

/** An Intl number format for the locale (counts, percentages, amounts), built once per locale and options. */
export function numberFormat(locale: Locale, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) numberFormats.set(key, (format = new Intl.NumberFormat(intlLocale(locale), options)));
  return format;
}

/** « 1 décembre » as French writes it: « 1er décembre » (the first of a month is an ordinal). */
const FIRST_OF_MONTH = /(^|\D)1 (?=janv|févr|mars|avr|mai|juin|juil|août|sept|oct|nov|déc)/g;

class FrenchDateTimeFormat extends Intl.DateTimeFormat {
  override format(date?: Date | number): string {
    return super.format(date).replace(FIRST_OF_MONTH, '$11er ');
  }

  override formatRange(start: Date | number, end: Date | number): string {
    return super.formatRange(start, end).replace(FIRST_OF_MONTH, '$11er ');
  }
}

/** An Intl date format for the locale, built once per locale, options and time zone. */
export function dateTimeFormat(locale: Locale, options: Intl.DateTimeFormatOptions, timeZone = 'Europe/Paris'): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new (locale === 'fr' ? FrenchDateTimeFormat : Intl.DateTimeFormat)(intlLocale(locale), { ...options, timeZone });
    dateFormats.set(key, format);
  }
  return format;
}

/**
 * A file size for people, in the locale's units: "830 o", "245 ko", "1,5 Mo", "100 Mo" (binary
 * multiples, as file managers show them; one decimal under 10 Mo).
 */
export function formatFileSize(bytes: number, locale: Locale): string {
  const t = translator(locale);
  const whole = numberFormat(locale, { maximumFractionDigits: 0 });
  if (bytes < 1024) return t('size.bytes', { n: whole.format(bytes) });
  const kilo = Math.round(bytes / 1024);
  if (kilo < 1024) return t('size.kilo', { n: whole.format(kilo) });
  const mb = bytes / (1024 * 1024);
  return t('size.mega', { n: numberFormat(locale, { maximumFractionDigits: mb < 10 ? 1 : 0 }).format(mb) });
}

/**
 * A message in `locale` whose `maxBytes` parameter, a size in bytes, is shown as `{max}` in that
 * locale's units (« 2 Mo », "64 KB"): limits are kept in bytes and worded when shown.
 */
export function sizedMessage(locale: Locale, key: MessageKey, params: Params = {}): string {
  const { maxBytes, ...rest } = params;
  return translator(locale)(key, typeof maxBytes === 'number' ? { ...rest, max: formatFileSize(maxBytes, locale) } : rest);
}

/** Formats an instant for people: Europe/Paris, in the locale's conventions. */
export function formatDateTime(value: string | Date, locale: Locale): string {
  return dateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(typeof value === 'string' ? new Date(value) : value);
}

/** Formats moments as formatDateTime does, with the seconds when two would otherwise read the same (« 17:53 », « 17:53 »). */
export function formatDateTimesApart(values: readonly (string | Date)[], locale: Locale): string[] {
  const minutes = values.map((v) => formatDateTime(v, locale));
  if (new Set(minutes).size === minutes.length) return minutes;
  const format = dateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
  return values.map((v) => format.format(typeof v === 'string' ? new Date(v) : v));
}

/** Formats a span as formatDateTime does, the day written once when both ends share it (« 14 janv. 2027, 14:00 – 15:30 »). */
export function formatDateTimeRange(start: string | Date, end: string | Date, locale: Locale): string {
  const from = typeof start === 'string' ? new Date(start) : start;
  const to = typeof end === 'string' ? new Date(end) : end;
  return dateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).formatRange(from, to.getTime() >= from.getTime() ? to : from);
}
