import type { Role } from '../../db/schema.js';
import { type AuditActor, recordAudit } from '../../kernel/audit/index.js';
import { localLabel, intlLocale, type Locale, type Translate } from '../../kernel/i18n/index.js';
import { describeReasons, findLikelyDuplicates, type LikelyMatch, websiteHost } from '../duplicates/index.js';
import {
  distinctNames,
  duplicateDecision,
  duplicateLikelihood,
  DUPLICATE_WARNING_LIMIT,
  type Organisation,
  type OrganisationDraft,
  organisationsByIds,
  type PossibleDuplicate,
  taxonomies,
  taxonomyCodes,
  validateOrganisation,
  visibilityLabel,
  visibleLevels,
} from '../organisations/index.js';
import type { EntityValues, ModerationDeps, ProposalRecord } from './registry.js';

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

/** Where a namesake elsewhere is: its commune, else its postcode. */
function placeOf(o: Organisation): string {
  return o.commune_name || o.postcode || '';
}

/**
 * The reasons of a match as sentences. A namesake elsewhere (the same name in another commune,
 * nothing else against it) says so first, with its place: « même nom, autre commune (Périgueux) ».
 */
function reasonsOf(m: LikelyMatch, o: Organisation, t: Translate, locale: Locale): string[] {
  const place = placeOf(o);
  if (!m.namesake || !place) return describeReasons(m.reasons, t, intlLocale(locale));
  // The sentence says the name and the place: the rest of the evidence follows.
  const rest = m.reasons.filter((r) => !NAMESAKE_SAID.has(r.code));
  return [t('moderation.duplicates.namesakeReason', { commune: place }), ...describeReasons(rest, t, intlLocale(locale))];
}

/** What a namesake's own sentence says already: the same name, another commune or département. */
const NAMESAKE_SAID: ReadonlySet<string> = new Set(['same_name', 'different_commune', 'different_department']);

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
      reasons: reasonsOf(m, o, viewer.t, viewer.locale),
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

/** A likely match on the page of a proposed organisation, for staff: every visibility, with what tells it apart. */
export interface StaffMatch extends PossibleDuplicate {
  /** A namesake elsewhere: « même nom, autre commune : Périgueux »; null for a likely match. */
  namesake: string | null;
}

/**
 * The draft of a proposed new organisation, for the duplicate check; null when the proposal is no
 * new organisation, or its values no longer pass validation (staff fix them in the form first).
 */
export async function proposedOrganisationDraft(deps: Pick<ModerationDeps, 'db' | 'clock'>, proposal: ProposalRecord, values: EntityValues): Promise<OrganisationDraft | null> {
  if (proposal.entityType !== 'organisation' || proposal.entityId !== null) return null;
  const checked = validateOrganisation(values, taxonomyCodes(await taxonomies(deps.db)), { currentYear: deps.clock.now().getUTCFullYear() });
  return checked.ok ? checked.draft : null;
}

/**
 * The existing organisations a proposed new one may duplicate, as staff see them (as the staff
 * organisation form does: every visibility, the probability, identifiers, website and e-mail),
 * linked to their back-office record; then the namesakes elsewhere (the same name in another
 * commune), which the public form suggests too but which no score would call the same.
 */
export async function staffDuplicates(deps: Pick<ModerationDeps, 'db'>, draft: OrganisationDraft, view: { t: Translate; locale: Locale }): Promise<StaffMatch[]> {
  if (!draft.name.trim()) return [];
  const found = await findLikelyDuplicates(deps.db, draft, { limit: DUPLICATE_WARNING_LIMIT });
  if (!found.length) return [];
  const { t, locale } = view;
  const rows = new Map((await organisationsByIds(deps.db, found.map((m) => m.record.id))).map((o) => [o.id, o]));
  const kinds = (await taxonomies(deps.db)).kinds;
  const listed = found.flatMap((m) => {
    const o = rows.get(m.record.id);
    if (!o) return [];
    const kind = kinds.find((x) => x.code === o.kind_code);
    const details = [
      [o.postcode, o.commune_name].filter(Boolean).join(' '),
      kind ? localLabel(kind, locale) : '',
      o.visibility === 'public' ? '' : t('duplicateWarning.visibility', { visibility: visibilityLabel(t, o.visibility) }),
    ].filter(Boolean);
    const host = websiteHost(o.website);
    const facts = [
      o.siret ? `SIRET ${o.siret}` : o.siren ? `SIREN ${o.siren}` : '',
      o.rna ? `RNA ${o.rna}` : '',
      host ? t('duplicateWarning.fact.website', { host }) : '',
      o.email ? t('duplicateWarning.fact.email', { email: o.email }) : '',
    ].filter(Boolean);
    return [{ m, o, details, facts }];
  });
  const names = distinctNames(
    listed.map(({ o, details, facts }) => ({ name: o.acronym ? `${o.name} – ${o.acronym}` : o.name, hints: [...details, ...facts] })),
    t,
  );
  return listed.map(({ m, o, details, facts }, i) => ({
    id: o.id,
    name: names[i]!,
    details,
    facts,
    href: `/admin/organisations/${o.id}`,
    reasons: describeReasons(m.reasons, t, intlLocale(locale)),
    likelihood: duplicateLikelihood(m.score, t, locale),
    actions: o.visibility === 'public' ? [{ href: `/acteurs/${o.slug}`, label: t('duplicateWarning.publicPage', { name: names[i]! }) }] : [],
    namesake: m.namesake ? t('moderation.duplicates.namesake', { commune: placeOf(o) || t('moderation.diff.empty') }) : null,
  }));
}

/** What to do with staff's acceptance of a proposed organisation, given the existing ones it may duplicate. */
export type StaffDuplicateCheck =
  /** Accept: no match, or staff confirmed it is another organisation (`override`, recorded with the decision). */
  | { kind: 'accept'; override: DuplicateOverride | null }
  /** Matches staff have not confirmed (or not seen: found since the page was shown): accept nothing. */
  | { kind: 'hold'; matches: StaffMatch[]; confirmMissing: boolean };

/**
 * Staff's acceptance of a new organisation is held while existing ones may be the same and staff
 * did not tick « Ce n'est pas la même structure » for exactly the ones found now (the form carries
 * the ids it showed, as the staff organisation form does).
 */
export async function checkStaffAcceptance(
  deps: Pick<ModerationDeps, 'db' | 'clock'>,
  proposal: ProposalRecord,
  values: EntityValues,
  raw: Record<string, unknown>,
  view: { t: Translate; locale: Locale },
): Promise<StaffDuplicateCheck> {
  const draft = await proposedOrganisationDraft(deps, proposal, values);
  if (!draft) return { kind: 'accept', override: null };
  const matches = await staffDuplicates(deps, draft, view);
  const decision = duplicateDecision(
    raw,
    matches.map((m) => m.id),
  );
  if (decision.kind === 'warn') return { kind: 'hold', matches, confirmMissing: decision.confirmMissing };
  return { kind: 'accept', override: decision.kind === 'override' ? { ids: decision.ids, names: matches.map((m) => m.name) } : null };
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
