import { FormatRegistry, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { MessageKey } from './i18n/index.js';

/**
 * The local part as mail providers hand them out: dots anywhere (some Japanese mobile addresses
 * end their local part with one), so addresses saved before stay valid.
 */
const EMAIL_LOCAL = '[^\\s@<>()[\\]\\\\,;:"]+';
/** A domain label: letters of any script (with their combining marks) and digits, hyphens inside only. */
const DOMAIN_LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{M}\\p{N}-]{0,61}[\\p{L}\\p{M}\\p{N}])?';
/**
 * An address whose domain can exist: `nom@exemple..fr`, `nom@-exemple.fr` or `nom@exemple.fr.`
 * are typing mistakes, refused here rather than sent nowhere.
 */
export const EMAIL_PATTERN = new RegExp(`^${EMAIL_LOCAL}@(?:${DOMAIN_LABEL}\\.)+\\p{L}[\\p{L}\\p{M}\\p{N}-]*[\\p{L}\\p{M}\\p{N}]$`, 'u');

if (!FormatRegistry.Has('email')) FormatRegistry.Set('email', (v) => v.length <= 254 && EMAIL_PATTERN.test(v));

/**
 * Schema options read by parseForm:
 * - `x-message`: catalogue key shown when the field is invalid;
 * - `x-too-long`: catalogue key shown instead when the value is longer than `maxLength`;
 * - `x-required`: catalogue key shown instead of « Ce champ est obligatoire. » when the field is
 *   empty: an error summary listing several empty fields then says which is which;
 * - `x-raw`: keep the value as typed (passwords are not trimmed).
 */
export interface FieldOptions {
  'x-message'?: MessageKey;
  'x-too-long'?: MessageKey;
  'x-required'?: MessageKey;
  'x-raw'?: boolean;
}

export type FormErrors = Record<string, MessageKey>;

export type FormResult<T extends TObject> =
  | { ok: true; value: Static<T> }
  | { ok: false; errors: FormErrors; values: Record<string, string> };

function field(schema: TObject, name: string): (TSchema & FieldOptions) | undefined {
  return schema.properties[name] as (TSchema & FieldOptions) | undefined;
}

/** Validates a submitted form against its one schema; errors are catalogue keys per field. */
export function parseForm<T extends TObject>(schema: T, body: unknown): FormResult<T> {
  const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const values: Record<string, string> = {};
  const candidate: Record<string, unknown> = {};
  const required = new Set(schema.required ?? []);
  for (const name of Object.keys(schema.properties)) {
    const raw = input[name];
    if (raw === undefined || raw === null) continue;
    if (typeof raw !== 'string') {
      candidate[name] = raw;
      continue;
    }
    const text = field(schema, name)?.['x-raw'] ? raw : raw.trim();
    values[name] = text;
    if (text === '' && !required.has(name)) continue;
    candidate[name] = text;
  }
  if (Value.Check(schema, candidate)) return { ok: true, value: candidate as Static<T> };
  const errors: FormErrors = {};
  for (const error of Value.Errors(schema, candidate)) {
    const name = error.path.split('/')[1];
    if (!name || errors[name]) continue;
    const value = candidate[name];
    const options = field(schema, name);
    const tooLong = typeof value === 'string' && typeof options?.['maxLength'] === 'number' && value.length > options['maxLength'];
    if (value === undefined || value === '') errors[name] = options?.['x-required'] ?? 'validation.required';
    else errors[name] = (tooLong ? options?.['x-too-long'] : undefined) ?? options?.['x-message'] ?? 'validation.invalid';
  }
  return { ok: false, errors, values };
}

/** Turns catalogue keys into translated messages for the views. */
export function translateErrors(errors: FormErrors, t: (key: MessageKey) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, t(v)]));
}
