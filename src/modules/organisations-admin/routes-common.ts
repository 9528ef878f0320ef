import type { Translate } from '../../kernel/i18n/index.js';
import type { Problems } from './deps.js';

export type IdParams = { Params: { id: string } };
export type Body = Record<string, unknown>;
export type Query = Record<string, string | string[] | undefined>;

/** Problems as messages in the request's language, keyed by field. */
export function translate(problems: Problems, t: Translate): Record<string, string> {
  return Object.fromEntries(Object.entries(problems).map(([k, p]) => [k, t(p.key, p.params)]));
}

/** A submitted value as one string (the first of a repeated field). */
export const text = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '');

/** A submitted form as strings, to show again (without the CSRF token). */
export const strings = (values: Body): Record<string, string> => Object.fromEntries(Object.entries(values).filter(([k]) => k !== '_csrf').map(([k, v]) => [k, text(v)]));

export function firstOf(query: Query, name: string): string {
  const v = query[name];
  return (Array.isArray(v) ? v[0] : v)?.toString().trim() ?? '';
}

/** "2026-03-14": the default date of the forms, and the date in a download's name. */
export function isoDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}
