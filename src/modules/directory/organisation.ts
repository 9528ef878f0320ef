import type { Kysely } from 'kysely';
import type { Database, Role } from '../../db/schema.js';
import { findOrganisationBySlug, type Organisation, visibleLevels } from '../organisations/index.js';

/**
 * An organisation by current or old slug, only when the viewer may see it: a members-only record
 * does not exist for visitors, a staff-only one not for members (404, never 403: nothing leaks).
 */
export async function findVisibleOrganisation(
  db: Kysely<Database>,
  slug: string,
  role: Role | null,
): Promise<{ organisation: Organisation; redirectTo?: string } | undefined> {
  if (slug.length > 200) return undefined;
  const found = await findOrganisationBySlug(db, slug);
  if (!found || !visibleLevels(role).includes(found.organisation.visibility)) return undefined;
  return found;
}
