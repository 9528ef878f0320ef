import type { GeoPrecision } from '../../db/schema.js';
import type { OrganisationRow } from '../organisations/index.js';
import type { MessageKey } from '../../kernel/i18n/index.js';
import { htmlToText } from '../../kernel/html.js';
import { normaliseName } from '../duplicates/index.js';
import { completeWords } from './complete-words.js';

/**
 * The fields of an organisation chosen one by one when two records merge. A field may span several
 * columns that only make sense together (the place: address, postcode, commune, position).
 */
export const MERGE_FIELDS = [
  { key: 'name', columns: ['name'], label: 'org.field.name' },
  { key: 'acronym', columns: ['acronym'], label: 'org.field.acronym' },
  { key: 'kind_code', columns: ['kind_code'], label: 'org.field.kind' },
  { key: 'description_html', columns: ['description_html'], label: 'org.field.description' },
  { key: 'website', columns: ['website'], label: 'org.field.website' },
  { key: 'email', columns: ['email'], label: 'org.field.email' },
  { key: 'phone', columns: ['phone'], label: 'org.field.phone' },
  { key: 'social_links', columns: ['social_links'], label: 'org.field.social' },
  { key: 'logo_file_id', columns: ['logo_file_id'], label: 'org.field.logo' },
  {
    key: 'place',
    columns: ['address', 'postcode', 'commune_code', 'commune_name', 'department_code', 'latitude', 'longitude', 'geo_precision'],
    label: 'merge.field.place',
  },
  { key: 'siren', columns: ['siren'], label: 'org.field.siren' },
  { key: 'siret', columns: ['siret'], label: 'org.field.siret' },
  { key: 'rna', columns: ['rna'], label: 'org.field.rna' },
  { key: 'insee_code', columns: ['insee_code'], label: 'org.field.inseeCode' },
  { key: 'founded_year', columns: ['founded_year'], label: 'org.field.foundedYear' },
  { key: 'staff_count', columns: ['staff_count'], label: 'org.field.staffCount' },
  { key: 'volunteer_count', columns: ['volunteer_count'], label: 'org.field.volunteerCount' },
  { key: 'visibility', columns: ['visibility'], label: 'org.field.visibility' },
  { key: 'is_member', columns: ['is_member'], label: 'org.field.member' },
] as const satisfies readonly { key: string; columns: readonly (keyof OrganisationRow)[]; label: MessageKey }[];

export type MergeField = (typeof MERGE_FIELDS)[number];
export type MergeFieldKey = MergeField['key'];

/** Per field, the id of the record whose value is kept. */
export type MergeChoices = Record<MergeFieldKey, string>;

export function isMergeFieldKey(value: string): value is MergeFieldKey {
  return MERGE_FIELDS.some((f) => f.key === value);
}

const PLACE_TEXT_COLUMNS = ['address', 'postcode', 'commune_code', 'commune_name', 'department_code'] as const;
const PRECISION_RANK: Record<GeoPrecision, number> = { department: 1, commune: 2, address: 3, manual: 4 };

function filled(value: unknown): boolean {
  return value !== null && value !== undefined && String(value).trim() !== '';
}

/** How much a record says in a field: more is more complete (an empty value says nothing). */
export function completeness(field: MergeField, o: OrganisationRow): number {
  switch (field.key) {
    case 'description_html':
      return o.description_html ? htmlToText(o.description_html).trim().length : 0;
    case 'social_links': {
      if (!o.social_links) return 0;
      try {
        return Object.values(JSON.parse(o.social_links) as Record<string, unknown>).filter(filled).length;
      } catch {
        return 0;
      }
    }
    case 'kind_code':
      // "Other" is what a record says when it does not know.
      return o.kind_code === 'other' ? 0 : 1;
    case 'website':
      // A secure address says more than a plain one (often the same site, moved to https).
      return filled(o.website) ? (/^https:\/\//i.test(o.website!.trim()) ? 2 : 1) : 0;
    case 'is_member':
      return o.is_member === 1 ? 1 : 0;
    case 'place':
      // A position found at the address (or placed by hand) says more than a commune's or a
      // département's centre, and any says more than none.
      return PLACE_TEXT_COLUMNS.filter((c) => filled(o[c])).length + (o.geo_precision ? PRECISION_RANK[o.geo_precision] : 0);
    default:
      return field.columns.filter((c) => filled(o[c])).length;
  }
}

/** Whether `longer` holds each of `shorter`'s words, in order, equal or completed ("association" for "associatio"), maybe with more words between. */
function extendsWords(longer: readonly string[], shorter: readonly string[]): boolean {
  let found = 0;
  for (const word of longer) if (found < shorter.length && word.startsWith(shorter[found]!)) found++;
  return found === shorter.length;
}

const mixedCase = (name: string): number => (/\p{Lu}/u.test(name) && /\p{Ll}/u.test(name) ? 1 : 0);
const accents = (name: string): number => name.normalize('NFD').match(/\p{M}/gu)?.length ?? 0;

/**
 * Which of two names says more (positive: `a`, negative: `b`, 0: neither). Every name counts the
 * same to `completeness`, which left the most recent to win even when it was a typo. A name whose
 * folded words hold the other's, each equal or completed ("association" after "associatio"), maybe
 * with more words, is the other with nothing lost, so it wins. Names the normaliser makes equal
 * ("Assoc. Passerelles", "Association Passerelles": it reads both as "association") are told apart
 * by how they are written: the one with its words in full, then (their letters cannot tell a typo
 * from the right spelling, "Saucaats", "Saucats") the one with its case, then with its accents.
 */
export function compareNames(a: string, b: string): number {
  const [na, nb] = [normaliseName(a), normaliseName(b)];
  const [aExtends, bExtends] = [extendsWords(na.words, nb.words), extendsWords(nb.words, na.words)];
  if (aExtends !== bExtends) return aExtends ? 1 : -1;
  return completeWords(a, b) || mixedCase(a) - mixedCase(b) || accents(a) - accents(b);
}

/** A place as written: address, postcode and commune. */
function placeText(o: OrganisationRow): string {
  return [o.address, o.postcode, o.commune_name].filter(filled).join(' ');
}

/**
 * Which record's value of a field says more (positive: `a`, negative: `b`, 0: neither): for the
 * name, compareNames; otherwise the more complete, and between two places as complete, the one
 * whose words are written in full ("27 rue de la Paix" rather than "27 r. de la Paix").
 */
export function compareField(field: MergeField, a: OrganisationRow, b: OrganisationRow): number {
  if (field.key === 'name') return compareNames(a.name, b.name);
  const more = completeness(field, a) - completeness(field, b);
  if (more !== 0 || field.key !== 'place') return more;
  return completeWords(placeText(a), placeText(b));
}

/** The field's value in a record, for comparison (all its columns). */
export function fieldValue(field: MergeField, o: OrganisationRow): string {
  return JSON.stringify(field.columns.map((c) => o[c] ?? null));
}

export function sameValue(field: MergeField, a: OrganisationRow, b: OrganisationRow): boolean {
  return fieldValue(field, a) === fieldValue(field, b);
}

/**
 * The default choice of every field: the value that says more (compareField: the more complete,
 * words written in full rather than cut short), and between two that say as much, the more
 * recently updated record's (the survivor's when both tie).
 */
export function defaultChoices(survivor: OrganisationRow, absorbed: OrganisationRow): MergeChoices {
  const recent = absorbed.updated_at > survivor.updated_at ? absorbed : survivor;
  const choices = {} as MergeChoices;
  for (const field of MERGE_FIELDS) {
    if (sameValue(field, survivor, absorbed)) {
      choices[field.key] = survivor.id;
      continue;
    }
    const more = compareField(field, survivor, absorbed);
    choices[field.key] = more > 0 ? survivor.id : more < 0 ? absorbed.id : recent.id;
  }
  return choices;
}

/** The number added to `base` to make `slug` unique ("eau-vive-2" of "eau-vive": 2; "eau-vive" itself: 1), if it is one. */
function slugNumber(slug: string, base: string): number | undefined {
  if (slug === base) return 1;
  const suffix = slug.startsWith(`${base}-`) ? slug.slice(base.length + 1) : '';
  return /^\d+$/.test(suffix) ? Number(suffix) : undefined;
}

/** Of two addresses made from one name ("eau-vive", "eau-vive-2"), the one without a number (or with the lower). */
function plainerSlug(a: string, b: string): string | undefined {
  for (const base of [a, b, a.replace(/-\d+$/, '')]) {
    const [na, nb] = [slugNumber(a, base), slugNumber(b, base)];
    if (na !== undefined && nb !== undefined && na !== nb) return na < nb ? a : b;
  }
  return undefined;
}

/** Of some addresses, the plainest made from `base` (a name's slug: "eau-vive" before "eau-vive-2"), if any is. */
export function slugMadeFrom(base: string, slugs: readonly string[]): string | undefined {
  const numbered = slugs.map((slug) => ({ slug, n: slugNumber(slug, base) })).filter((s): s is { slug: string; n: number } => s.n !== undefined);
  return numbered.sort((x, y) => x.n - y.n)[0]?.slug;
}

/**
 * The default survivor (the record that keeps its id and address): the one whose address is the
 * plain one when both are one name's ("eau-vive" rather than "eau-vive-2": the other address
 * redirects to it anyway); otherwise the one people have known the longest — created first.
 */
export function defaultSurvivor<T extends Pick<OrganisationRow, 'id' | 'created_at' | 'slug'>>(a: T, b: T): T {
  const plain = plainerSlug(a.slug, b.slug);
  if (plain !== undefined) return plain === a.slug ? a : b;
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? a : b;
  return a.id < b.id ? a : b;
}

/** The columns of the merged record that differ from the survivor's, given the choices. */
export function chosenColumns(survivor: OrganisationRow, absorbed: OrganisationRow, choices: MergeChoices): Partial<OrganisationRow> {
  const patch: Record<string, unknown> = {};
  for (const field of MERGE_FIELDS) {
    if (choices[field.key] !== absorbed.id) continue;
    for (const column of field.columns) patch[column] = absorbed[column] ?? null;
  }
  return patch as Partial<OrganisationRow>;
}

function flagsOf(o: Pick<OrganisationRow, 'source_flags'>): string[] {
  if (!o.source_flags) return [];
  try {
    const list = JSON.parse(o.source_flags) as unknown;
    return Array.isArray(list) ? list.filter((f): f is string => typeof f === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The import flags of the merged record (`source_flags`: fields an import kept as written although
 * they failed their check). A flag follows the value it flags: kept when the field's value comes
 * from the record that had it flagged (or both records hold the same value), dropped when the other
 * record's value is kept; a flag of a field merged by no choice is kept. Null when none is left.
 */
export function mergedFlags(survivor: OrganisationRow, absorbed: OrganisationRow, choices: MergeChoices): string | null {
  const own = flagsOf(survivor);
  const theirs = flagsOf(absorbed);
  const kept = new Set<string>();
  for (const flag of new Set([...own, ...theirs])) {
    const field = MERGE_FIELDS.find((f) => (f.columns as readonly string[]).includes(flag));
    if (!field || sameValue(field, survivor, absorbed)) kept.add(flag);
    else if ((choices[field.key] === absorbed.id ? theirs : own).includes(flag)) kept.add(flag);
  }
  return kept.size ? JSON.stringify([...kept].sort()) : null;
}
