import { type ExpressionBuilder, type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { Database, EventsTable, Visibility } from '../../db/schema.js';
import { type EventRow, PUBLIC_EVENT_STATUSES } from '../events/index.js';
import type { AgendaFilter } from './query.js';

// The public agenda's reads: published, cancelled and postponed events matching the URL's filters.

type Db = Kysely<Database>;
type EventsQuery<O> = SelectQueryBuilder<Database & { e: EventsTable }, 'e', O>;

export interface EventWindow {
  /** Events still running at or after this instant (`ends_at > from`). */
  from?: string;
  /** Events over before this instant (`ends_at <= before`). */
  before?: string;
  /** Events overlapping [start, end): `starts_at < end and ends_at > start`. */
  overlaps?: { start: string; end: string };
  /** Only events placed on the map. */
  located?: boolean;
}

function filtered<O>(qb: EventsQuery<O>, f: AgendaFilter, tokens: string[], w: EventWindow): EventsQuery<O> {
  let q = qb.where('e.status', 'in', [...PUBLIC_EVENT_STATUSES]);
  if (w.from) q = q.where('e.ends_at', '>', w.from);
  if (w.before) q = q.where('e.ends_at', '<=', w.before);
  if (w.overlaps) q = q.where('e.starts_at', '<', w.overlaps.end).where('e.ends_at', '>', w.overlaps.start);
  if (w.located) q = q.where('e.latitude', 'is not', null).where('e.longitude', 'is not', null);
  if (f.types.length) q = q.where('e.type_code', 'in', f.types);
  if (f.departments.length) q = q.where('e.department_code', 'in', f.departments);
  if (f.themes.length) {
    q = q.where(({ exists, selectFrom }) =>
      exists(selectFrom('event_themes as t').select('t.event_id').whereRef('t.event_id', '=', 'e.id').where('t.theme_code', 'in', f.themes)),
    );
  }
  if (f.countries.length) {
    q = q.where(({ exists, selectFrom }) =>
      exists(selectFrom('event_countries as c').select('c.event_id').whereRef('c.event_id', '=', 'e.id').where('c.country_code', 'in', f.countries)),
    );
  }
  if (f.zones.length) {
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('event_countries as c')
          .innerJoin('zone_countries as z', 'z.country_code', 'c.country_code')
          .select('c.event_id')
          .whereRef('c.event_id', '=', 'e.id')
          .where('z.zone_code', 'in', f.zones),
      ),
    );
  }
  if (f.organisers.length) {
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('event_organisers as eo')
          .innerJoin('organisations as o', 'o.id', 'eo.organisation_id')
          .select('eo.event_id')
          .whereRef('eo.event_id', '=', 'e.id')
          .where('o.slug', 'in', f.organisers),
      ),
    );
  }
  if (f.format === 'online') q = q.where('e.online_url', 'is not', null);
  if (f.format === 'physical') {
    q = q.where((eb: ExpressionBuilder<Database & { e: EventsTable }, 'e'>) =>
      eb.or([eb('e.venue', 'is not', null), eb('e.address', 'is not', null), eb('e.commune_code', 'is not', null)]),
    );
  }
  // Tokens are letters and digits only (kernel/search): no LIKE wildcard can come from the query.
  for (const token of tokens) {
    q = q.where((eb: ExpressionBuilder<Database & { e: EventsTable }, 'e'>) =>
      eb.or([eb('e.search_text', 'like', `${token}%`), eb('e.search_text', 'like', `% ${token}%`)]),
    );
  }
  return q;
}

export interface EventPage {
  rows: EventRow[];
  total: number;
}

/** One page of matching events, by start (ascending for what is coming, descending for the archive). */
export async function searchEvents(
  db: Db,
  f: AgendaFilter,
  tokens: string[],
  w: EventWindow,
  page: { order: 'asc' | 'desc'; limit: number; offset: number },
): Promise<EventPage> {
  const base = db.selectFrom('events as e');
  const [rows, count] = await Promise.all([
    filtered(base.selectAll('e'), f, tokens, w)
      .orderBy('e.starts_at', page.order)
      .orderBy('e.id', page.order)
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    filtered(base.select(sql<number>`count(*)`.as('n')), f, tokens, w).executeTakeFirst(),
  ]);
  return { rows, total: Number(count?.n ?? 0) };
}

export interface OrganiserRef {
  id: string;
  slug: string;
  name: string;
  visibility: Visibility;
}

export async function organisersByIds(db: Db, ids: string[]): Promise<OrganiserRef[]> {
  if (!ids.length) return [];
  return db.selectFrom('organisations').select(['id', 'slug', 'name', 'visibility']).where('id', 'in', ids).execute();
}

/** Public organisations that organise at least one public event (the organiser filter's options). */
export async function organiserOptions(db: Db): Promise<{ slug: string; name: string }[]> {
  return db
    .selectFrom('organisations as o')
    .select(['o.slug', 'o.name'])
    .where('o.visibility', '=', 'public')
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('event_organisers as eo')
          .innerJoin('events as e', 'e.id', 'eo.event_id')
          .select('eo.event_id')
          .whereRef('eo.organisation_id', '=', 'o.id')
          .where('e.status', 'in', [...PUBLIC_EVENT_STATUSES]),
      ),
    )
    .orderBy('o.sort_name')
    .limit(500)
    .execute();
}

/** Countries of intervention of at least one public event (the country filter's options). */
export async function eventCountryCodes(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('event_countries as c')
    .innerJoin('events as e', 'e.id', 'c.event_id')
    .select('c.country_code')
    .distinct()
    .where('e.status', 'in', [...PUBLIC_EVENT_STATUSES])
    .execute();
  return rows.map((r) => r.country_code);
}

export async function eventTypes(db: Db): Promise<{ code: string; label_fr: string; label_en: string }[]> {
  return db.selectFrom('event_types').select(['code', 'label_fr', 'label_en']).orderBy('position').execute();
}

/** (event, organisation) pairs of these events. */
export async function organiserLinks(db: Db, eventIds: string[]): Promise<{ event_id: string; organisation_id: string }[]> {
  if (!eventIds.length) return [];
  return db.selectFrom('event_organisers').select(['event_id', 'organisation_id']).where('event_id', 'in', eventIds).execute();
}

/** Slugs and last changes of the events the agenda shows (for the sitemap). */
export async function publicEventPages(db: Db): Promise<Array<{ slug: string; updated_at: string }>> {
  return db.selectFrom('events').select(['slug', 'updated_at']).where('status', 'in', [...PUBLIC_EVENT_STATUSES]).orderBy('starts_at', 'desc').execute();
}
