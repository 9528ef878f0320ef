import type { Role } from '../../db/schema.js';
import { type AuditActor, recordAudit } from '../../kernel/audit/index.js';
import { localLabel, intlLocale, type Locale, type Translate } from '../../kernel/i18n/index.js';
import { describeReasons, findLikelyDuplicates } from '../duplicates/index.js';
import { DUPLICATE_WARNING_LIMIT, type OrganisationDraft, organisationsByIds, type PossibleDuplicate, taxonomies, visibleLevels } from '../organisations/index.js';
import type { ModerationDeps } from './registry.js';

/** How many matches are asked for before keeping those the person may see. */
const CANDIDATES = 20;

/**
 * "This organisation may already exist" for a person proposing a new organisation: the likely
 * matches they are allowed to see (a visitor only public organisations, never members-only or
 * staff-only ones), linked to their public page and to an account request for them.
 */
export async function visibleDuplicates(
  deps: Pick<ModerationDeps, 'db'>,
  draft: OrganisationDraft,
  viewer: { role: Role | null; t: Translate; locale: Locale },
): Promise<PossibleDuplicate[]> {
  if (!draft.name.trim()) return [];
  const found = await findLikelyDuplicates(deps.db, draft, { limit: CANDIDATES });
  if (!found.length) return [];
  const levels = visibleLevels(viewer.role);
  const rows = new Map((await organisationsByIds(deps.db, found.map((m) => m.record.id))).map((o) => [o.id, o]));
  const kinds = (await taxonomies(deps.db)).kinds;
  const matches: PossibleDuplicate[] = [];
  for (const m of found) {
    const o = rows.get(m.record.id);
    if (!o || !levels.includes(o.visibility)) continue;
    const kind = kinds.find((x) => x.code === o.kind_code);
    matches.push({
      id: o.id,
      name: o.acronym ? `${o.name} – ${o.acronym}` : o.name,
      details: [o.commune_name ?? '', kind ? localLabel(kind, viewer.locale) : ''].filter(Boolean),
      href: `/acteurs/${o.slug}`,
      reasons: describeReasons(m.reasons, viewer.t, intlLocale(viewer.locale)),
      // Account requests name public organisations only.
      actions: o.visibility === 'public' ? [{ href: `/demande-de-compte?structure=${o.id}`, label: viewer.t('duplicateWarning.requestAccess', { name: o.name }) }] : [],
    });
    if (matches.length === DUPLICATE_WARNING_LIMIT) break;
  }
  return matches;
}

/** What a person confirmed: the organisations shown to them, by id and name. */
export interface DuplicateOverride {
  ids: string[];
  names: string[];
}

/** Writes in the proposal's history that it was sent despite the likely duplicates shown. */
export async function recordDuplicateOverride(deps: Pick<ModerationDeps, 'db' | 'clock'>, actor: AuditActor, proposalId: string, override: DuplicateOverride): Promise<void> {
  await recordAudit(
    deps.db,
    actor,
    { action: 'proposal.duplicate_warning_overridden', entityType: 'proposal', entityId: proposalId, after: { duplicates_shown: override.ids, duplicates_names: override.names } },
    deps.clock.now(),
  );
}
