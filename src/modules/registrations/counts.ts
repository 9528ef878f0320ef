import { findDepartment } from '../../kernel/geo/communes.js';
import { localLabel, type Locale } from '../../kernel/i18n/index.js';
import { taxonomies } from '../organisations/index.js';
import type { RegistrationDeps } from './deps.js';
import * as repo from './repo.js';

export interface CountRow {
  code: string | null;
  label: string;
  count: number;
}

export interface ParticipationCounts {
  total: number;
  byKind: CountRow[];
  byCollege: CountRow[];
  byDepartment: CountRow[];
}

/** A participant who came without an organisation: a row of its own in every count, never « Non précisé ». */
const INDIVIDUAL: unique symbol = Symbol('individual');
/** What a participant is counted under: a code, nothing given (null), or no organisation. */
type Tallied = string | null | typeof INDIVIDUAL;

/** The words of the rows that are not a code: nothing given, or no organisation. */
export interface TallyWords {
  unknown: string;
  individual: string;
}

function tally(values: Tallied[], label: (code: string) => string, words: TallyWords): CountRow[] {
  const counts = new Map<Tallied, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  // Codes first (most participants first, then by name), then « À titre individuel », then « Non précisé ».
  const rank = (v: Tallied) => (v === null ? 2 : v === INDIVIDUAL ? 1 : 0);
  return [...counts]
    .map(([v, count]): { v: Tallied; row: CountRow } => ({ v, row: { code: typeof v === 'string' ? v : null, label: v === null ? words.unknown : v === INDIVIDUAL ? words.individual : label(v), count } }))
    .sort((a, b) => b.row.count - a.row.count || rank(a.v) - rank(b.v) || a.row.label.localeCompare(b.row.label, 'fr'))
    .map(({ row }) => row);
}

/**
 * Who came, for the activity report: seated participants (registered, attended, no-show) by kind of
 * actor, college and département — of their directory organisation, or as they typed it; those who
 * came without one are counted apart (« À titre individuel ») in each table.
 */
export async function participationCounts(deps: Pick<RegistrationDeps, 'db'>, eventId: string, locale: Locale, words: TallyWords): Promise<ParticipationCounts> {
  const [rows, tax] = await Promise.all([repo.participantsForCounts(deps.db, eventId), taxonomies(deps.db)]);
  const orgIds = [...new Set(rows.flatMap((r) => (r.organisation_id ? [r.organisation_id] : [])))];
  const colleges = await repo.collegesOf(deps.db, orgIds);
  const collegesByOrg = new Map<string, string[]>();
  for (const c of colleges) collegesByOrg.set(c.organisation_id, [...(collegesByOrg.get(c.organisation_id) ?? []), c.college_code]);
  const pick = (list: { code: string; label_fr: string; label_en: string }[]) => {
    const map = new Map(list.map((e) => [e.code, localLabel(e, locale)]));
    return (code: string) => map.get(code) ?? code;
  };
  const department = (code: string) => {
    const d = findDepartment(code);
    return d ? `${d.name} (${d.code})` : code;
  };
  return {
    total: rows.length,
    byKind: tally(
      rows.map((r): Tallied => (r.individual === 1 ? INDIVIDUAL : ((r.organisation_id ? r.kind_code : r.organisation_kind) ?? null))),
      pick(tax.kinds),
      words,
    ),
    byCollege: tally(
      rows.flatMap((r): Tallied[] => {
        if (r.individual === 1) return [INDIVIDUAL];
        const list = r.organisation_id ? (collegesByOrg.get(r.organisation_id) ?? []) : [];
        return list.length ? list : [null];
      }),
      pick(tax.colleges),
      words,
    ),
    byDepartment: tally(
      rows.map((r): Tallied => (r.individual === 1 ? INDIVIDUAL : ((r.organisation_id ? r.department_code : r.organisation_department) ?? null))),
      department,
      words,
    ),
  };
}
