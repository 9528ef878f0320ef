import type { MessageKey } from '../../kernel/i18n/index.js';
import type { EntityValues, ModeratedEntity } from './registry.js';

/** Empty strings, empty lists and null are the same "no value"; lists compare as sets. */
export function normaliseValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) {
    const list = [...new Set(value.map((v) => String(v).trim()).filter(Boolean))].sort();
    return list.length ? JSON.stringify(list) : null;
  }
  const text = String(value).trim();
  return text === '' ? null : text;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return normaliseValue(a) === normaliseValue(b);
}

export interface DiffRow {
  field: string;
  label: MessageKey;
  /** The value when the proposal was made (null for a new record). */
  before: unknown;
  /** The proposed value. */
  after: unknown;
  /** The value now. */
  current: unknown;
  /** The record changed on this field since the proposal was made. */
  changedSince: boolean;
}

/**
 * The fields a proposal changes, before/after, each flagged when the record itself changed on that
 * field since the proposal was made (someone else edited it meanwhile).
 */
export function proposalDiff(entity: ModeratedEntity, base: EntityValues | null, payload: EntityValues, current: EntityValues | null): DiffRow[] {
  const rows: DiffRow[] = [];
  for (const [field, label] of Object.entries(entity.fieldLabels)) {
    const before = base ? base[field] : null;
    const after = payload[field];
    if (sameValue(before, after)) continue;
    const now = current ? current[field] : null;
    rows.push({ field, label, before, after, current: now, changedSince: base !== null && current !== null && !sameValue(before, now) });
  }
  return rows;
}

/** The fields a proposal changes. */
export function changedFields(entity: ModeratedEntity, base: EntityValues | null, payload: EntityValues): string[] {
  return proposalDiff(entity, base, payload, null).map((r) => r.field);
}

/**
 * What approving writes: the record as it is now with only the proposed changes on top, so that
 * edits made meanwhile to other fields are kept.
 */
export function mergedValues(entity: ModeratedEntity, base: EntityValues | null, payload: EntityValues, current: EntityValues | null): EntityValues {
  if (!current || !base) return { ...payload };
  const merged: EntityValues = { ...current };
  for (const field of changedFields(entity, base, payload)) merged[field] = payload[field];
  return merged;
}
