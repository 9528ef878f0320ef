import type { Translate } from '../../kernel/i18n/index.js';
import type { NewsProblems } from './service.js';

/** Problems as messages in the request's language, keyed by field. */
export function translate(problems: NewsProblems, t: Translate): Record<string, string> {
  return Object.fromEntries(Object.entries(problems).map(([k, p]) => [k, t(p.key, p.params)]));
}
