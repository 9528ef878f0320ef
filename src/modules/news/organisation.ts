import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Dialect } from '../../kernel/db/create-db.js';
import type { MessageKey, Params } from '../../kernel/i18n/index.js';
import { foldText, searchTokens } from '../../kernel/search/normalise.js';
import { findOrganisationBySlug, organisationsByIds, searchDirectory } from '../organisations/index.js';
import { text } from './validate.js';

export type OrganisationChoice = { ok: true; id: string | null } | { ok: false; problem: { key: MessageKey; params?: Params } };

/**
 * The organisation an article form names as its author: the one it carried (`organisation`, an
 * id), none when `organisation_remove` is ticked, or the one typed in `organisation_add` (its
 * address slug or its exact name, among public organisations and members-only ones).
 */
export async function resolveAuthorOrganisation(deps: { db: Kysely<Database>; dbHandle: { dialect: Dialect } }, raw: Record<string, unknown>): Promise<OrganisationChoice> {
  const typed = text(raw, 'organisation_add');
  if (typed) {
    const bySlug = await findOrganisationBySlug(deps.db, typed);
    if (bySlug && bySlug.organisation.visibility !== 'staff') return { ok: true, id: bySlug.organisation.id };
    const tokens = searchTokens(typed);
    if (tokens.length) {
      const { rows } = await searchDirectory(
        deps.db,
        deps.dbHandle.dialect,
        { q: typed, kinds: [], departments: [], themes: [], countries: [], zones: [], sdgs: [], visibility: ['public', 'members'], sort: 'relevance', limit: 20, offset: 0 },
        tokens,
      );
      const folded = foldText(typed).trim();
      const exact = rows.filter((o) => foldText(o.name).trim() === folded || (o.acronym && foldText(o.acronym).trim() === folded));
      if (exact.length === 1) return { ok: true, id: exact[0]!.id };
      if (rows.length === 1) return { ok: true, id: rows[0]!.id };
      if (rows.length > 1) return { ok: false, problem: { key: 'news.error.organisationAmbiguous', params: { name: typed, candidates: rows.slice(0, 5).map((o) => o.name).join(' ; ') } } };
    }
    return { ok: false, problem: { key: 'news.error.organisationUnknown', params: { name: typed } } };
  }
  if (text(raw, 'organisation_remove') === '1') return { ok: true, id: null };
  const id = text(raw, 'organisation');
  if (!id) return { ok: true, id: null };
  const [found] = await organisationsByIds(deps.db, [id]);
  return found ? { ok: true, id: found.id } : { ok: false, problem: { key: 'news.error.organisationUnknown', params: { name: id } } };
}

/** Names of organisations (forms show the author's name, not its id). */
export async function organisationNames(db: Kysely<Database>, ids: string[]): Promise<Map<string, string>> {
  const found = await organisationsByIds(db, [...new Set(ids.filter(Boolean))]);
  return new Map(found.map((o) => [o.id, o.name]));
}
