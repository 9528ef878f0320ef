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

function tally(values: (string | null)[], label: (code: string) => string, unknown: string): CountRow[] {
  const counts = new Map<string | null, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .map(([code, count]) => ({ code, label: code === null ? unknown : label(code), count }))
    .sort((a, b) => b.count - a.count || (a.code === null ? 1 : b.code === null ? -1 : a.label.localeCompare(b.label, 'fr')));
}

/**
 * Who came, for the activity report: seated participants (registered, attended, no-show) by kind of
 * actor, college and département — of their directory organisation, or as they typed it.
 */
export async function participationCounts(deps: Pick<RegistrationDeps, 'db'>, eventId: string, locale: Locale, unknown: string): Promise<ParticipationCounts> {
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
      rows.map((r) => (r.organisation_id ? r.kind_code : r.organisation_kind) ?? null),
      pick(tax.kinds),
      unknown,
    ),
    byCollege: tally(
      rows.flatMap((r) => {
        const list = r.organisation_id ? (collegesByOrg.get(r.organisation_id) ?? []) : [];
        return list.length ? list : [null];
      }),
      pick(tax.colleges),
      unknown,
    ),
    byDepartment: tally(
      rows.map((r) => (r.organisation_id ? r.department_code : r.organisation_department) ?? null),
      department,
      unknown,
    ),
  };
}
