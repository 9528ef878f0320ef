import type { Migration } from 'kysely';
import * as foundation from './2026-11-29T1000_foundation.js';

/** Every migration, in order. A new one is added here; existing ones never change. */
export const migrations: Record<string, Migration> = {
  '2026-11-29T1000_foundation': foundation,
};
