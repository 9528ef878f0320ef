import { recordAudit } from '../../kernel/audit/index.js';
import { intlLocale, type Locale, type Translate } from '../../kernel/i18n/index.js';
import { describeReasons, findLikelyDuplicates, findPair } from '../duplicates/index.js';
import {
  duplicateDecision,
  DUPLICATE_WARNING_LIMIT,
  type Organisation,
  type OrganisationDraft,
  organisationsByIds,
  type PossibleDuplicate,
  type taxonomies,
  taxonomyLabel,
} from '../organisations/index.js';
import type { AdminDeps, StaffActor } from './deps.js';
import { VISIBILITY_LABEL } from './views-common.js';

/** The warning to show when a save was held: the likely matches, and whether the box was left unticked. */
export interface DuplicateWarningState {
  matches: PossibleDuplicate[];
  confirmMissing: boolean;
}

/** The fields that say which organisation a record is: an edit changing none of them is not checked again. */
const IDENTITY_FIELDS = ['name', 'acronym', 'kind_code', 'siren', 'siret', 'rna', 'insee_code', 'email', 'website', 'phone', 'postcode', 'commune_code'] as const;

function identityChanged(current: Organisation, draft: OrganisationDraft): boolean {
  return IDENTITY_FIELDS.some((f) => (current[f] ?? null) !== (draft[f] ?? null));
}

/**
 * "This organisation may already exist" for staff creating or editing an organisation: every likely
 * match of the base (staff see all visibilities), except the record being edited and the pairs
 * already judged "not a duplicate". Used as `saveOrganisation`'s `hold`: nothing is written while
 * matches are not confirmed; a confirmed save is recorded in the organisation's history.
 */
export function staffDuplicateGuard(
  deps: AdminDeps,
  actor: StaffActor,
  raw: Record<string, unknown>,
  view: { t: Translate; locale: Locale; labels: Awaited<ReturnType<typeof taxonomies>>; current?: Organisation },
) {
  let warning: DuplicateWarningState | undefined;
  let overridden: { ids: string[]; names: string[] } | undefined;

  async function likelyMatches(draft: OrganisationDraft): Promise<{ organisation: Organisation; reasons: string[] }[]> {
    const excludeId = view.current?.id;
    const found = await findLikelyDuplicates(deps.db, draft, { limit: DUPLICATE_WARNING_LIMIT * 2, excludeId });
    const kept: typeof found = [];
    for (const m of found) {
      if (excludeId && (await findPair(deps.db, excludeId, m.record.id))?.status === 'dismissed') continue;
      kept.push(m);
    }
    const top = kept.slice(0, DUPLICATE_WARNING_LIMIT);
    const rows = new Map((await organisationsByIds(deps.db, top.map((m) => m.record.id))).map((o) => [o.id, o]));
    return top.flatMap((m) => {
      const organisation = rows.get(m.record.id);
      return organisation ? [{ organisation, reasons: describeReasons(m.reasons, view.t, intlLocale(view.locale)) }] : [];
    });
  }

  return {
    /** `saveOrganisation`'s hold: true (nothing saved) while likely matches are not confirmed. */
    hold: async (draft: OrganisationDraft): Promise<boolean> => {
      if (!draft.name.trim()) return false;
      if (view.current && !identityChanged(view.current, draft)) return false;
      const matches = await likelyMatches(draft);
      const decision = duplicateDecision(
        raw,
        matches.map((m) => m.organisation.id),
      );
      if (decision.kind === 'none') return false;
      if (decision.kind === 'override') {
        overridden = { ids: decision.ids, names: matches.map((m) => m.organisation.name) };
        return false;
      }
      warning = {
        confirmMissing: decision.confirmMissing,
        matches: matches.map(({ organisation: o, reasons }) => ({
          id: o.id,
          name: o.acronym ? `${o.name} – ${o.acronym}` : o.name,
          details: [
            o.commune_name ?? '',
            taxonomyLabel(view.labels.kinds, o.kind_code, view.locale),
            o.visibility === 'public' ? '' : view.t('duplicateWarning.visibility', { visibility: view.t(VISIBILITY_LABEL[o.visibility] ?? 'org.visibility.staff') }),
          ].filter(Boolean),
          href: `/admin/organisations/${o.id}`,
          reasons,
          actions: o.visibility === 'public' ? [{ href: `/acteurs/${o.slug}`, label: view.t('duplicateWarning.publicPage', { name: o.name }) }] : [],
        })),
      };
      return true;
    },
    /** The warning to show, once `hold` held the save. */
    get warning(): DuplicateWarningState | undefined {
      return warning;
    },
    /** Writes in the organisation's history that it was saved despite the matches shown. */
    recordOverride: async (organisationId: string): Promise<void> => {
      if (!overridden) return;
      await recordAudit(
        deps.db,
        { id: actor.id, email: actor.email, ip: actor.ip },
        { action: 'organisation.duplicate_warning_overridden', entityType: 'organisation', entityId: organisationId, after: { duplicates_shown: overridden.ids, duplicates_names: overridden.names } },
        deps.clock.now(),
      );
    },
  };
}
