import { Type } from '@sinclair/typebox';
import { TIME_OF_DAY_PATTERN } from '../../kernel/time/zoned.js';

const list = Type.Optional(Type.Union([Type.String({ maxLength: 60 }), Type.Array(Type.String({ maxLength: 60 }), { maxItems: 300 })]));
const flag = Type.Optional(Type.String({ maxLength: 3 }));

/** A list created or edited by staff. */
export const ListForm = Type.Object({
  name: Type.String({ minLength: 2, maxLength: 120, 'x-message': 'newsletter.error.listName', 'x-required': 'newsletter.error.listNameRequired' }),
  description: Type.Optional(Type.String({ maxLength: 1000, 'x-message': 'newsletter.error.description' })),
  name_en: Type.Optional(Type.String({ maxLength: 120, 'x-message': 'newsletter.error.listNameEn' })),
  description_en: Type.Optional(Type.String({ maxLength: 1000, 'x-message': 'newsletter.error.description' })),
  is_public: flag,
  double_opt_in: flag,
  is_default: flag,
});

/** The public subscribe form (/lettre and the footer). */
export const SubscribeForm = Type.Object({
  email: Type.String({ format: 'email', maxLength: 254, 'x-message': 'validation.email', 'x-required': 'validation.email' }),
  name: Type.Optional(Type.String({ maxLength: 120, 'x-message': 'newsletter.error.name' })),
  organisation: Type.Optional(Type.String({ maxLength: 200, 'x-message': 'newsletter.error.organisation' })),
  lists: list,
  themes: list,
  countries: list,
  /** `footer` when posted from the footer's small form. */
  from: Type.Optional(Type.String({ maxLength: 20 })),
  /** A field people never see: robots fill it. */
  site_web: Type.Optional(Type.String({ maxLength: 500 })),
});

/** A person's choices: the preference centre (/preferences/:token) and the member's page (/mon-espace/lettres). */
export const PreferencesForm = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 120, 'x-message': 'newsletter.error.name' })),
  organisation: Type.Optional(Type.String({ maxLength: 200, 'x-message': 'newsletter.error.organisation' })),
  lists: list,
  themes: list,
  countries: list,
});

/** What the preferences form shows: the person's current choices, or what they sent back. */
export interface PreferenceValues {
  name: string;
  organisation: string;
  lists: string[];
  themes: string[];
  countries: string[];
}

/** The preferences form as sent, cut to its fields' lengths: shown again with its errors. */
export function preferenceValues(body: Record<string, unknown>): PreferenceValues {
  return {
    name: String(body['name'] ?? '').slice(0, 120),
    organisation: String(body['organisation'] ?? '').slice(0, 200),
    lists: asList(body['lists']),
    themes: asList(body['themes']),
    countries: asList(body['countries']),
  };
}

/** A mailing's draft. An empty field is named in the error summary (`x-required`), not « Ce champ est obligatoire. ». */
export const MailingForm = Type.Object({
  subject: Type.String({ minLength: 2, maxLength: 200, 'x-message': 'newsletter.error.subject', 'x-required': 'newsletter.error.subjectRequired' }),
  from_name: Type.String({ minLength: 2, maxLength: 100, 'x-message': 'newsletter.error.fromName', 'x-required': 'newsletter.error.fromNameRequired' }),
  reply_to: Type.Optional(Type.String({ format: 'email', maxLength: 254, 'x-message': 'newsletter.error.replyTo' })),
  body: Type.Optional(Type.String({ maxLength: 200_000, 'x-message': 'newsletter.error.body' })),
  lists: list,
  segment: Type.Optional(Type.String({ maxLength: 60 })),
  /** Open and click tracking, unticked by default. */
  track: flag,
  /** « Bonjour Prénom Nom, » first, ticked by default; `greeting_shown`: the form had the box (unticked sends nothing). */
  greeting: flag,
  greeting_shown: flag,
  /** The language the mailing is written in. */
  locale: Type.Optional(Type.Union([Type.Literal('fr'), Type.Literal('en')], { 'x-message': 'newsletter.error.locale' })),
});

/** Send now, or at a time (Europe/Paris). */
export const SendForm = Type.Object({
  when: Type.Union([Type.Literal('now'), Type.Literal('later')], { 'x-message': 'newsletter.error.when' }),
  date: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', 'x-message': 'newsletter.error.date' })),
  /** A time of day as typed: « 09:30 » (a browser's time field), « 9 h 30 », « 9h30 », « 9 h ». */
  time: Type.Optional(Type.String({ pattern: TIME_OF_DAY_PATTERN, maxLength: 20, 'x-message': 'newsletter.error.time' })),
});

const count = (max: number) => Type.String({ pattern: '^[0-9]{1,9}$', maxLength: String(max).length, 'x-message': 'newsletter.error.number' });

/** Sending settings (admins). */
export const SettingsForm = Type.Object({
  ratePerSecond: count(10_000),
  ratePerHour: count(10_000_000),
  errorThresholdPercent: count(100),
  errorThresholdMinimum: count(100_000),
  concurrency: count(50),
  claimLeaseSeconds: count(3600),
  maxAttempts: count(20),
  retryBaseSeconds: count(3600),
  softBounceLimit: count(100),
  unsubscribeMailto: Type.Optional(Type.String({ format: 'email', maxLength: 254, 'x-message': 'validation.email' })),
});

/** Staff subscribe a person to a list, or unsubscribe them. */
export const StaffSubscriptionForm = Type.Object({
  list: Type.String({ minLength: 1, maxLength: 60, 'x-message': 'validation.choice' }),
  action: Type.Union([Type.Literal('subscribe'), Type.Literal('unsubscribe')], { 'x-message': 'validation.choice' }),
});

export function asList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => String(v).trim()).filter(Boolean);
}
