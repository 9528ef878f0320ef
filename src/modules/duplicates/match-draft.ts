import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { searchTokens } from '../../kernel/search/normalise.js';
import { type DedupeOptions, dedupeOptions } from './options.js';
import { type PreparedRecord, prepareRecord } from './prepare.js';
import type { Reason } from './reasons.js';
import { dedupeRecordFromOrganisation, type DedupeRecord, type OrganisationLike } from './record.js';
import { normaliseName } from './normalise-name.js';
import { draftCandidates, organisationNames } from './repo.js';
import { compareRecords } from './score.js';
import { TokenStats } from './token-stats.js';
import { scoreOf } from './weights.js';

export interface LikelyMatch {
  record: DedupeRecord;
  score: number;
  reasons: Reason[];
  /**
   * The same name (identical once case, accents and the usual variants are set aside) in another
   * commune or département, with nothing else against it: under the threshold because of the place
   * alone. Suggested, never taken for the same organisation (a namesake elsewhere is usually a local
   * branch or another organisation: the person or staff decide).
   */
  namesake: boolean;
}

/** The place's evidence: what a namesake elsewhere is under the threshold for. */
const PLACE_REASONS: ReadonlySet<Reason['code']> = new Set(['different_commune', 'different_department']);

/**
 * An identical name that only the place keeps under the threshold: with the place's evidence set
 * aside, the rest (the name, the kind…) would make it a likely match. Near-identical names
 * (« Eau sans frontières Vienne » / « … Haute-Vienne ») are not namesakes: they need other evidence.
 */
function namesakeElsewhere(reasons: readonly Reason[], evidence: number, threshold: number): boolean {
  if (!reasons.some((r) => r.code === 'same_name')) return false;
  const place = reasons.filter((r) => PLACE_REASONS.has(r.code));
  if (!place.length) return false;
  return scoreOf(evidence - place.reduce((sum, r) => sum + r.weight, 0)) >= threshold;
}

/** Word statistics of the base, rebuilt at most every ten minutes (they drift slowly). */
const STATS_TTL_MS = 10 * 60 * 1000;
const statsCache = new WeakMap<Kysely<Database>, { at: number; stats: TokenStats }>();

async function baseStats(db: Kysely<Database>): Promise<TokenStats> {
  const cached = statsCache.get(db);
  if (cached && Date.now() - cached.at < STATS_TTL_MS) return cached.stats;
  const stats = TokenStats.from((await organisationNames(db)).map((name) => normaliseName(name).tokens));
  statsCache.set(db, { at: Date.now(), stats });
  return stats;
}

/** Forgets the cached word statistics (after a large import, in tests). */
export function forgetDraftStats(db: Kysely<Database>): void {
  statsCache.delete(db);
}

function sirenNeighbours(siren: string): string[] {
  // The SIREN itself, and every value one digit away: a typo on either side still meets.
  const values = [siren];
  for (let i = 0; i < siren.length; i++) for (let d = 0; d <= 9; d++) if (String(d) !== siren[i]) values.push(`${siren.slice(0, i)}${d}${siren.slice(i + 1)}`);
  return values;
}

/**
 * "This organisation may already exist": the organisations of the base that a draft (a form
 * being filled in, before saving) likely duplicates, best first, with the reasons, then the
 * namesakes elsewhere (`namesake`: the same name in another commune, nothing else against it),
 * best first too. The draft has the organisation columns; `excludeId` leaves out the record being
 * edited.
 */
export async function findLikelyDuplicates(
  db: Kysely<Database>,
  draft: Omit<OrganisationLike, 'id'> & { id?: string },
  options: { limit?: number; excludeId?: string; overrides?: Partial<DedupeOptions> } = {},
): Promise<LikelyMatch[]> {
  const settings = dedupeOptions(options.overrides);
  const mine = prepareRecord(dedupeRecordFromOrganisation({ ...draft, id: draft.id ?? '' }));
  const stats = await baseStats(db);
  const words = [...new Set(mine.localTokens)].filter((w) => w.length >= 3).sort((x, y) => stats.frequency(x) - stats.frequency(y));
  const rows = await draftCandidates(
    db,
    {
      sirens: mine.siren ? sirenNeighbours(mine.siren) : [],
      siretPrefix: mine.siren,
      rna: mine.rna,
      inseeCode: mine.inseeCode,
      email: mine.email,
      domains: [mine.emailDomain, mine.websiteHost].filter((d): d is string => d !== null),
      phone: mine.record.phone,
      communeCode: mine.commune.code,
      postcode: mine.commune.postcode,
      // The base is searched through its search text, which the directory's normaliser writes: same-place
      // candidates are found by the draft's words as that normaliser reads them, commune words included
      // ("Mairie de Pessac" and "Ville de Pessac" share only "pessac").
      localWords: [...new Set(searchTokens(draft.name))].filter((w) => w.length >= 3).slice(0, 6),
      globalWords: words.slice(0, 1),
    },
    500,
  );
  const matches: LikelyMatch[] = [];
  for (const row of rows) {
    if (row.id === options.excludeId || row.id === draft.id) continue;
    const other: PreparedRecord = prepareRecord(dedupeRecordFromOrganisation(row));
    const comparison = compareRecords(mine, other, stats, settings.weights);
    if (comparison.score >= settings.reviewThreshold) matches.push({ record: other.record, score: comparison.score, reasons: comparison.reasons, namesake: false });
    else if (namesakeElsewhere(comparison.reasons, comparison.evidence, settings.reviewThreshold)) {
      matches.push({ record: other.record, score: comparison.score, reasons: comparison.reasons, namesake: true });
    }
  }
  // Likely matches first, then namesakes elsewhere; best first in each.
  matches.sort((x, y) => Number(x.namesake) - Number(y.namesake) || y.score - x.score);
  return matches.slice(0, options.limit ?? 5);
}
