import type { ProfileRows } from './repo.js';

/** What a person is matched on: their organisations' kinds, and the themes and countries of their organisations and their own interests. */
export interface AlertProfile {
  kinds: Set<string>;
  themes: Set<string>;
  countries: Set<string>;
}

/** The codes of a call the alerts look at (from the calls module). */
export interface MatchableCall {
  kinds: string[];
  themes: string[];
  /** The countries named and those of the zones named. */
  countries: string[];
  zones: string[];
}

/**
 * A call matches a person when one of its eligible kinds is the kind of one of their
 * organisations, or one of its themes or countries (zones count through their countries) is among
 * theirs. A call without any of these criteria is for everyone.
 */
export function callMatches(call: MatchableCall, profile: AlertProfile): boolean {
  if (!call.kinds.length && !call.themes.length && !call.countries.length && !call.zones.length) return true;
  return call.kinds.some((k) => profile.kinds.has(k)) || call.themes.some((t) => profile.themes.has(t)) || call.countries.some((c) => profile.countries.has(c));
}

function emptyProfile(): AlertProfile {
  return { kinds: new Set(), themes: new Set(), countries: new Set() };
}

/** Each subscriber's profile from their interests, their directory contacts and those contacts' organisations. */
export function buildProfiles(subscriberIds: readonly string[], rows: ProfileRows): Map<string, AlertProfile> {
  const profiles = new Map(subscriberIds.map((id) => [id, emptyProfile()]));
  const byKey = <T extends Record<K, string>, K extends string>(items: T[], key: K) => {
    const map = new Map<string, T[]>();
    for (const item of items) map.set(item[key], [...(map.get(item[key]) ?? []), item]);
    return map;
  };
  for (const i of rows.interests) {
    const profile = profiles.get(i.subscriber_id);
    if (!profile) continue;
    (i.kind === 'theme' ? profile.themes : profile.countries).add(i.code);
  }
  const contactThemes = byKey(rows.contactThemes, 'contact_id');
  const contactCountries = byKey(rows.contactCountries, 'contact_id');
  const roles = byKey(rows.roles, 'contact_id');
  const kinds = byKey(rows.kinds, 'organisation_id');
  const orgThemes = byKey(rows.organisationThemes, 'organisation_id');
  const orgCountries = byKey([...rows.organisationCountries, ...rows.organisationZoneCountries], 'organisation_id');
  for (const { subscriber_id, contact_id } of rows.contacts) {
    const profile = profiles.get(subscriber_id);
    if (!profile) continue;
    for (const t of contactThemes.get(contact_id) ?? []) profile.themes.add(t.code);
    for (const c of contactCountries.get(contact_id) ?? []) profile.countries.add(c.code);
    for (const { organisation_id } of roles.get(contact_id) ?? []) {
      for (const k of kinds.get(organisation_id) ?? []) profile.kinds.add(k.code);
      for (const t of orgThemes.get(organisation_id) ?? []) profile.themes.add(t.code);
      for (const c of orgCountries.get(organisation_id) ?? []) profile.countries.add(c.code);
    }
  }
  return profiles;
}
