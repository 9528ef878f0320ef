// The public agenda's use cases: what is coming (list, month, map), the archive, one event.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type AgendaEvent, type EventRow, findEventBySlug, PUBLIC_EVENT_STATUSES, registrationOpen, seatedCounts } from '../events/index.js';
import { buildMonthGrid, type MonthGrid, monthFrame } from './calendar.js';
import { monthKey } from './present.js';
import type { ParsedAgendaQuery } from './query.js';
import { organiserLinks, organisersByIds, type OrganiserRef, searchEvents } from './repo.js';

export interface AgendaDeps {
  db: Kysely<Database>;
}

/** An event with its organisations' names and slugs, as cards show it. */
export interface ListedEvent extends EventRow {
  organiserRefs: OrganiserRef[];
  /** Taking registrations, and every seat taken (« Complet » on its card). */
  full?: boolean;
}

export const LIST_PAGE_SIZE = 30;
export const MONTH_LIMIT = 1000;
export const MAP_LIMIT = 500;

async function withOrganisers(db: Kysely<Database>, rows: EventRow[]): Promise<ListedEvent[]> {
  if (!rows.length) return [];
  const ids = await organiserLinks(
    db,
    rows.map((r) => r.id),
  );
  const refs = new Map((await organisersByIds(db, [...new Set(ids.map((i) => i.organisation_id))])).map((o) => [o.id, o]));
  const byEvent = new Map<string, OrganiserRef[]>();
  for (const { event_id, organisation_id } of ids) {
    const ref = refs.get(organisation_id);
    if (ref) byEvent.set(event_id, [...(byEvent.get(event_id) ?? []), ref]);
  }
  return rows.map((r) => ({ ...r, organiserRefs: (byEvent.get(r.id) ?? []).sort((a, b) => a.name.localeCompare(b.name, 'fr')) }));
}

/**
 * Marks the events taking registrations whose seats are all taken: one count query for the whole
 * list (events without a seat limit or not taking registrations are not counted).
 */
async function withSeats<T extends EventRow>(db: Kysely<Database>, rows: T[], now: Date): Promise<Array<T & { full?: boolean }>> {
  const limited = rows.filter((r) => r.capacity !== null && registrationOpen(r, now));
  if (!limited.length) return rows;
  const seated = await seatedCounts(
    db,
    limited.map((r) => r.id),
  );
  const full = new Set(limited.filter((r) => (seated.get(r.id) ?? 0) >= r.capacity!).map((r) => r.id));
  return rows.map((r) => (full.has(r.id) ? { ...r, full: true } : r));
}

/** The events to come; `countSeats`: full ones marked (the agenda's list, not its feeds or widget). */
export async function upcomingEvents(deps: AgendaDeps, q: ParsedAgendaQuery, now: Date, pageSize = LIST_PAGE_SIZE, countSeats = false) {
  const page = await searchEvents(deps.db, q.filter, q.tokens, { from: now.toISOString() }, { order: 'asc', limit: pageSize, offset: (q.page - 1) * pageSize });
  const rows = await withOrganisers(deps.db, page.rows);
  return { rows: countSeats ? await withSeats(deps.db, rows, now) : rows, total: page.total };
}

export async function pastEvents(deps: AgendaDeps, q: ParsedAgendaQuery, now: Date, pageSize = LIST_PAGE_SIZE) {
  const page = await searchEvents(deps.db, q.filter, q.tokens, { before: now.toISOString() }, { order: 'desc', limit: pageSize, offset: (q.page - 1) * pageSize });
  return { rows: await withOrganisers(deps.db, page.rows), total: page.total };
}

export async function monthEvents(deps: AgendaDeps, q: ParsedAgendaQuery, now: Date): Promise<{ grid: MonthGrid<ListedEvent>; total: number }> {
  const month = q.month ?? monthKey(now);
  const frame = monthFrame(month);
  const page = await searchEvents(deps.db, q.filter, q.tokens, { overlaps: { start: frame.start, end: frame.end } }, { order: 'asc', limit: MONTH_LIMIT, offset: 0 });
  const rows = await withOrganisers(deps.db, page.rows);
  // The count is of the month itself, not of the neighbouring days the grid shows.
  const inMonth = buildMonthGrid(month, rows).weeks.flat().filter((d) => d.inMonth).flatMap((d) => d.events);
  return { grid: buildMonthGrid(month, rows), total: new Set(inMonth.map((e) => e.id)).size };
}

export async function mapEvents(deps: AgendaDeps, q: ParsedAgendaQuery, now: Date) {
  const from = now.toISOString();
  const [located, all] = await Promise.all([
    searchEvents(deps.db, q.filter, q.tokens, { from, located: true }, { order: 'asc', limit: MAP_LIMIT, offset: 0 }),
    searchEvents(deps.db, q.filter, q.tokens, { from }, { order: 'asc', limit: MAP_LIMIT, offset: 0 }),
  ]);
  const placed = new Set(located.rows.map((r) => r.id));
  // `all` holds the located events too: one count for both lists.
  const marked = await withSeats(deps.db, all.rows, now);
  const full = new Set(marked.filter((r) => r.full).map((r) => r.id));
  const mark = (rows: ListedEvent[]) => rows.map((r) => (full.has(r.id) ? { ...r, full: true } : r));
  return {
    located: mark(await withOrganisers(deps.db, located.rows)),
    elsewhere: mark(
      await withOrganisers(
        deps.db,
        all.rows.filter((r) => !placed.has(r.id)),
      ),
    ),
    total: all.total,
    locatedTotal: located.total,
  };
}

/**
 * A public event by slug (old slugs redirect); drafts and proposals are not public. `seated`: the
 * seats taken, counted when asked (`countSeats`) and the event has a seat limit (0 otherwise).
 */
export async function publicEvent(
  deps: AgendaDeps,
  slug: string,
  countSeats = false,
): Promise<{ event: AgendaEvent; organisers: OrganiserRef[]; seated: number; redirectTo?: string } | undefined> {
  const found = await findEventBySlug(deps.db, slug);
  if (!found || !PUBLIC_EVENT_STATUSES.includes(found.event.status)) return undefined;
  const { event } = found;
  const [refs, seated] = await Promise.all([
    organisersByIds(deps.db, event.organisers),
    countSeats && event.capacity !== null && !found.redirectTo && Number(event.registration_open) === 1 ? seatedCounts(deps.db, [event.id]) : new Map<string, number>(),
  ]);
  const organisers = refs.sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  return { event, organisers, seated: seated.get(event.id) ?? 0, redirectTo: found.redirectTo };
}
