import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { PageCacheConfig } from '../../kernel/http/page-cache.js';
import { readAgendaSeatsVersion, readAgendaVersion } from './repo.js';

/**
 * The agenda's version: moved by the database on every change to events and their links (not
 * registrations: see `agendaSeatsVersion`). Pages and feeds showing agenda data key their caches on it.
 */
export function agendaVersion(kernel: { db: Kysely<Database> }): Promise<string> {
  return readAgendaVersion(kernel.db);
}

/** Public pages that show agenda data are cached until the agenda changes. */
export const agendaPageCache: PageCacheConfig = { version: agendaVersion };

/** The agenda's version and the seats': moved as well by every registration that takes or frees a seat. */
export function agendaSeatsVersion(kernel: { db: Kysely<Database> }): Promise<string> {
  return readAgendaSeatsVersion(kernel.db);
}

/** Public pages that say what seats are left (the event page, the agenda's list): cached until either changes. */
export const agendaSeatsPageCache: PageCacheConfig = { version: agendaSeatsVersion };
