import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../clock.js';
import { readAllSettings, writeSettings } from './repo.js';

export { readSetting, writeSettings } from './repo.js';

/** Network settings editable by admins. Stored as key → JSON value. */
export interface Settings {
  networkName: string;
  regionCode: string;
  contactEmail: string;
  /** Id of the uploaded logo in `files`, or null for the default mark. */
  logoFileId: string | null;
  installedAt: string | null;
}

export const DEFAULT_SETTINGS: Settings = {
  networkName: 'Maillage',
  regionCode: '75',
  contactEmail: 'contact@example.org',
  logoFileId: null,
  installedAt: null,
};

const CACHE_MS = 2000;

/**
 * Reads settings with a short cache: several processes may write them, so the cache only
 * spares the database on busy pages and never outlives two seconds.
 */
export class SettingsStore {
  private cached: { at: number; value: Settings } | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async get(): Promise<Settings> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < CACHE_MS) return this.cached.value;
    const raw = await readAllSettings(this.db);
    const value = { ...DEFAULT_SETTINGS };
    for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
      const stored = raw[key];
      if (stored !== undefined) (value as Record<string, unknown>)[key] = JSON.parse(stored);
    }
    this.cached = { at: now, value };
    return value;
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const values = Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, JSON.stringify(v)]));
    await writeSettings(this.db, values, this.clock.now().toISOString());
    this.cached = null;
    return this.get();
  }
}
