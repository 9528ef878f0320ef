import { type Commune, communeKey, communesNamedKey, findCommuneByName } from '../../kernel/geo/communes.js';

/** The place fields of the event form, as far as a feed's one-line LOCATION tells them. */
export interface FeedPlace {
  venue: string;
  address: string;
  postcode: string;
  commune: string;
}

const POSTCODE_AND_COMMUNE = /^(\d{5})\s+(.+?)(?:\s+cedex(?:\s+\d+)?)?$/i;
/** A street line: a number first, or a street word ("12 rue…", "rue…", "allée…", "Place…"). */
const STREET = /^(?:\d|(?:rue|avenue|av\.|boulevard|bd|place|allée|allee|chemin|route|impasse|quai|cours|square|esplanade|parvis|rond-point)\b)/i;
const COUNTRY = /^france$/i;

/**
 * Reads a feed's LOCATION ("Salle des fêtes, 12 rue X, 33000 Bordeaux", "Maison de l’Europe,
 * Mont-de-Marsan") into venue, street, postcode and commune, so that the event can be placed on
 * the agenda's map once approved. A commune is only taken when it is certain: named with its
 * postcode, or the last part and the only commune of that name; otherwise the whole text stays
 * the venue, as typed.
 */
export function feedPlace(location: string | null): FeedPlace {
  const asTyped: FeedPlace = { venue: location ?? '', address: '', postcode: '', commune: '' };
  if (!location) return asTyped;
  const parts = location
    .split(/\s*[,\n]\s*/)
    .map((p) => p.trim())
    .filter((p) => p && !COUNTRY.test(p));
  const found = communeOf(parts);
  if (!found) return asTyped;
  const before = parts.slice(0, found.index);
  const address = before.length && STREET.test(before[before.length - 1]!) ? before.pop()! : '';
  return { venue: [...before, ...parts.slice(found.index + 1)].join(', '), address, postcode: found.postcode, commune: found.commune.name };
}

function communeOf(parts: string[]): { index: number; postcode: string; commune: Commune } | null {
  for (let index = parts.length - 1; index >= 0; index--) {
    const match = POSTCODE_AND_COMMUNE.exec(parts[index]!);
    if (!match) continue;
    const commune = findCommuneByName(match[2]!, match[1]!);
    return commune ? { index, postcode: match[1]!, commune } : null;
  }
  const last = parts.length - 1;
  if (last < 0) return null;
  const named = communesNamedKey(communeKey(parts[last]!));
  return named.length === 1 ? { index: last, postcode: '', commune: named[0]! } : null;
}
