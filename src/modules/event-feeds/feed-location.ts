import { type Commune, communeKey, communesNamedKey, findCommuneByName } from '../../kernel/geo/communes.js';

/** The place fields of the event form, as far as a feed's one-line LOCATION tells them. */
export interface FeedPlace {
  venue: string;
  address: string;
  postcode: string;
  commune: string;
}

const POSTCODE_AND_COMMUNE = /^(\d{5})\s+(.+?)(?:\s+cedex(?:\s+\d+)?)?$/i;
/** A street line: a street word, after a number or not ("12 bis rue…", "rue…", "av. Foch", "Place…"). */
const STREET = /^(?:\d+\s*(?:bis|ter|[a-d])?,?\s+)?(?:rue|avenue|av\.|boulevard|bd|place|allée|allee|chemin|route|impasse|quai|cours|square|esplanade|parvis|rond-point|lieu-dit)(?:\s|$)/i;
/** A part that is only a street number ("12", "12 bis"), or only a postcode: it goes with the part after it. */
const NUMBER_ALONE = /^\d{1,4}\s*(?:bis|ter)?$|^\d{5}$/i;
const COUNTRY = /^france$/i;
/** A commune named without its postcode is taken only if no other has its name and it is a town this size: smaller ones share their name with neighbourhoods and foreign cities (Belleville, Cologne). */
const TOWN_POPULATION = 10_000;

/**
 * Reads a feed's LOCATION ("Salle des fêtes, 12 rue X, 33000 Bordeaux", "Maison de l’Europe,
 * Mont-de-Marsan") into venue, street, postcode and commune, so that the event can be placed on
 * the agenda's map once approved. A commune is taken only when the text leaves no doubt: named
 * with its postcode, or a town of 10,000 people or more that no other commune shares its name
 * with; otherwise the whole text stays the venue, as typed.
 */
export function feedPlace(location: string | null): FeedPlace {
  const asTyped: FeedPlace = { venue: location ?? '', address: '', postcode: '', commune: '' };
  if (!location) return asTyped;
  const parts = joinNumbers(
    location
      .split(/\s*[,\n]\s*/)
      .map((p) => p.trim())
      .filter((p) => p && !COUNTRY.test(p)),
  );
  const found = communeOf(parts);
  if (!found) return asTyped;
  const before = parts.slice(0, found.index);
  const address = before.length && STREET.test(before[before.length - 1]!) ? before.pop()! : '';
  return { venue: [...before, ...parts.slice(found.index + 1)].join(', '), address, postcode: found.postcode, commune: found.commune.name };
}

/** "12, rue X" → "12 rue X"; "33000, Bordeaux" → "33000 Bordeaux". */
function joinNumbers(parts: string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const next = parts[i + 1];
    if (next !== undefined && NUMBER_ALONE.test(part)) {
      joined.push(`${part} ${next}`);
      i++;
    } else joined.push(part);
  }
  return joined;
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
  return named.length === 1 && named[0]!.population >= TOWN_POPULATION ? { index: last, postcode: '', commune: named[0]! } : null;
}
