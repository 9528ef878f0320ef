import type { Role } from '../../db/schema.js';
import { type AuditActor, recordAudit } from '../../kernel/audit/index.js';
import { localLabel, intlLocale, type Locale, type Translate } from '../../kernel/i18n/index.js';
import { describeReasons, findLikelyDuplicates, websiteHost } from '../duplicates/index.js';
import { distinctNames, DUPLICATE_WARNING_LIMIT, type Organisation, type OrganisationDraft, organisationsByIds, type PossibleDuplicate, taxonomies, visibleLevels } from '../organisations/index.js';
import type { ModerationDeps } from './registry.js';

/** How many matches are asked for before keeping those the person may see. */
const CANDIDATES = 20;

/**
 * What tells a record apart that its directory page already shows to anyone who may see it: its
 * identifiers and its website (the page links http(s) addresses only). Never its e-mail, source,
 * dates or visibility.
 */
function publicFacts(o: Organisation, t: Translate): string[] {
  const host = o.website && /^https?:\/\//i.test(o.website.trim()) ? websiteHost(o.website) : null;
  return [o.siret ? `SIRET ${o.siret}` : o.siren ? `SIREN ${o.siren}` : '', o.rna ? `RNA ${o.rna}` : '', host ? t('duplicateWarning.fact.website', { host }) : ''].filter(Boolean);
}

/**
 * "This organisation may already exist" for a person proposing a new organisation: the likely
 * matches they are allowed to see (a visitor only public organisations, never members-only or
 * staff-only ones), linked to their public page and to an account request for them, named so that
 * no two links read alike.
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
  const listed: { o: Organisation; details: string[]; facts: string[]; reasons: string[] }[] = [];
  for (const m of found) {
    const o = rows.get(m.record.id);
    if (!o || !levels.includes(o.visibility)) continue;
    const kind = kinds.find((x) => x.code === o.kind_code);
    listed.push({
      o,
      details: [[o.postcode, o.commune_name].filter(Boolean).join(' '), kind ? localLabel(kind, viewer.locale) : ''].filter(Boolean),
      facts: publicFacts(o, viewer.t),
      reasons: describeReasons(m.reasons, viewer.t, intlLocale(viewer.locale)),
    });
    if (listed.length === DUPLICATE_WARNING_LIMIT) break;
  }
  const names = distinctNames(
    listed.map(({ o, details, facts }) => ({ name: o.acronym ? `${o.name} – ${o.acronym}` : o.name, hints: [...details, ...facts] })),
    viewer.t,
  );
  return listed.map(({ o, details, facts, reasons }, i) => ({
    id: o.id,
    name: names[i]!,
    details,
    facts,
    href: `/acteurs/${o.slug}`,
    reasons,
    // Account requests name public organisations only.
    actions: o.visibility === 'public' ? [{ href: `/demande-de-compte?structure=${o.id}`, label: viewer.t('duplicateWarning.requestAccess', { name: names[i]! }) }] : [],
  }));
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
