import type { Selectable } from 'kysely';
import type { EventsTable, EventStatus } from '../../db/schema.js';

export type { EventStatus } from '../../db/schema.js';

export type EventRow = Selectable<EventsTable>;

/** The many-valued fields of an event. */
export interface EventLinks {
  organisers: string[];
  themes: string[];
  countries: string[];
  sdgs: number[];
}

/** An event with its organisers (organisation ids), themes, countries and SDGs. */
export interface AgendaEvent extends EventRow, EventLinks {}

export const EMPTY_EVENT_LINKS: EventLinks = { organisers: [], themes: [], countries: [], sdgs: [] };

export const EVENT_STATUSES: readonly EventStatus[] = ['draft', 'proposed', 'published', 'cancelled', 'postponed'];

/** Statuses the public agenda shows (a cancelled or postponed event stays listed, marked as such). */
export const PUBLIC_EVENT_STATUSES: readonly EventStatus[] = ['published', 'cancelled', 'postponed'];

/** A registration question (stored as JSON in `events.questions`). */
export interface RegistrationQuestion {
  id: string;
  label: string;
  kind: 'text' | 'choice' | 'checkbox';
  options?: string[];
  required: boolean;
}
