import { type Locale, sizedMessage } from '../../kernel/i18n/index.js';
import type { Problems } from './validate.js';

export type IdParams = { Params: { id: string } };
export type Body = Record<string, unknown>;

/** Problems as messages in the request's language, keyed by field. */
export function translate(problems: Problems, locale: Locale): Record<string, string> {
  return Object.fromEntries(Object.entries(problems).map(([k, p]) => [k, sizedMessage(locale, p.key, p.params)]));
}
