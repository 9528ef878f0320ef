import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { taxonomies } from '../organisations/index.js';
import * as repo from './repo.js';
import { addDays, daysBetween } from './status.js';
import { callPath } from './types.js';

// What the newsletter capability reads of the calls: the calls published in a period and the
// calls closing soon, each with the codes it is matched on (people's organisations and interests).

export interface CallForNewsletter {
  id: string;
  /** Same-site path of the call's page. */
  path: string;
  title: string;
  funder: string;
  /** YYYY-MM-DD (Europe/Paris). */
  closesOn: string;
  /** HH:MM or null (the whole day). */
  closesTime: string | null;
  publishedAt: string;
  /** Eligible kinds of actor (organisation kinds); empty: any. */
  kinds: string[];
  themes: string[];
  /** The countries the call names, plus those of the zones it names (ISO 3166-1 alpha-2). */
  countries: string[];
  zones: string[];
}

async function withCodes(db: Kysely<Database>, rows: repo.ListedCall[]): Promise<CallForNewsletter[]> {
  if (!rows.length) return [];
  const [links, t] = await Promise.all([repo.linksOf(db, rows.map((r) => r.id)), taxonomies(db)]);
  return rows.map((r) => {
    const l = links.get(r.id)!;
    const fromZones = t.zoneCountries.filter((z) => l.zones.includes(z.zone_code)).map((z) => z.country_code);
    return {
      id: r.id,
      path: callPath(r.slug),
      title: r.title,
      funder: r.funder,
      closesOn: r.closes_on,
      closesTime: r.closes_time,
      publishedAt: r.published_at ?? r.created_at,
      kinds: l.kinds,
      themes: l.themes,
      countries: [...new Set([...l.countries, ...fromZones])].sort(),
      zones: l.zones,
    };
  });
}

/** Calls first published in [fromIso, toIso), oldest first. */
export async function callsPublishedBetween(db: Kysely<Database>, fromIso: string, toIso: string): Promise<CallForNewsletter[]> {
  return withCodes(db, await repo.publishedBetween(db, fromIso, toIso));
}

/**
 * Published, opened calls whose closing day falls from `today` to `today + days` (YYYY-MM-DD,
 * Europe/Paris), soonest first, with the days left.
 */
export async function closingSoonCalls(db: Kysely<Database>, today: string, days: number, limit: number): Promise<Array<CallForNewsletter & { daysLeft: number }>> {
  const rows = await repo.closingBetweenDays(db, today, addDays(today, days), limit);
  return (await withCodes(db, rows)).map((c) => ({ ...c, daysLeft: daysBetween(today, c.closesOn) }));
}
