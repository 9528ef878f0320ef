import type { AuditEntityNamer } from '../../kernel/module.js';

/**
 * Duplicate pairs in the journal, as « A = B » by the records' current names, linked to the pair.
 * A merged pair no longer exists (its absorbed record went, and the pair with it): it is named by
 * its merge in force, the absorbed record as it was and the kept one as it is; its link leads to
 * the merge (the pair's address redirects there).
 */
export const duplicatePairNamer: AuditEntityNamer = {
  type: 'duplicate_candidate',
  async names({ db }, ids) {
    const pairs = db
      .selectFrom('duplicate_candidates as d')
      .innerJoin('organisations as a', 'a.id', 'd.organisation_a_id')
      .innerJoin('organisations as b', 'b.id', 'd.organisation_b_id')
      .select(['d.id', 'a.name as first', 'b.name as second'])
      .where('d.id', 'in', ids);
    const merged = db
      .selectFrom('merges as m')
      .leftJoin('organisations as s', 's.id', 'm.survivor_id')
      .select((eb) => ['m.candidate_id as id', 'm.absorbed_name as first', eb.fn.coalesce('s.name', 'm.survivor_name').as('second')])
      .where('m.candidate_id', 'in', ids)
      .where('m.undone_at', 'is', null)
      .$narrowType<{ id: string }>();
    const rows = await pairs.unionAll(merged).execute();
    return new Map(rows.map((r) => [r.id, { name: `${r.first} = ${r.second}`, href: `/admin/doublons/${encodeURIComponent(r.id)}` }]));
  },
};
