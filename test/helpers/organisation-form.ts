import { organisationFormValues } from '../../src/modules/organisations/index.js';

/** The organisation form as a browser posts it (every field; lists comma-joined), with changes. */
export function organisationForm(values: object, changes: Record<string, string> = {}): Record<string, string> {
  const form: Record<string, string> = {};
  for (const [k, v] of Object.entries(organisationFormValues(values))) form[k] = Array.isArray(v) ? v.join(',') : v;
  return { ...form, ...changes };
}
