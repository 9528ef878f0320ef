import { recordAudit } from '../../kernel/audit/index.js';
import { dateTimeFormat, formatDateTimesApart, intlLocale, type Locale, type Translate } from '../../kernel/i18n/index.js';
import { describeReasons, findLikelyDuplicates, findPair, websiteHost } from '../duplicates/index.js';
import {
  distinctNames,
  duplicateDecision,
  duplicateLikelihood,
  DUPLICATE_WARNING_LIMIT,
  type Organisation,
  type OrganisationDraft,
  organisationsByIds,
  type PossibleDuplicate,
  type taxonomies,
  taxonomyLabel,
  visibilityLabel,
} from '../organisations/index.js';
import type { AdminDeps, StaffActor } from './deps.js';

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

interface ListedMatch {
  organisation: Organisation;
  score: number;
  reasons: string[];
}

type WarningView = { t: Translate; locale: Locale; labels: Awaited<ReturnType<typeof taxonomies>> };


/** Where a record came from: its import file, row and reference, or how it was entered. */
function sourceFact(o: Organisation, t: Translate): string {
  const ref = o.source_ref ? t('duplicateWarning.fact.ref', { ref: o.source_ref }) : '';
  if (o.source_file) {
    return [t('duplicateWarning.fact.file', { file: o.source_file }), o.source_row !== null && o.source_row !== undefined ? t('duplicateWarning.fact.row', { row: o.source_row }) : '', ref].filter(Boolean).join(', ');
  }
  const how = o.source === 'manual' || o.source === 'import' || o.source === 'proposal' ? t(`duplicateWarning.fact.source.${o.source}`) : o.source;
  return [how, ref].filter(Boolean).join(', ');
}

/** The creation dates of the records listed, with the time when two were created the same day. */
function creationDates(list: readonly Organisation[], locale: Locale): string[] {
  const day = dateTimeFormat(locale, { dateStyle: 'long' });
  const days = list.map((o) => day.format(new Date(o.created_at)));
  return new Set(days).size === days.length ? days : formatDateTimesApart(list.map((o) => o.created_at), locale);
}

/**
 * The matches as staff see them: each with what tells it apart from the others (identifiers,
 * website, e-mail, source, creation date), named so that no two links read alike, linked to its
 * back-office record; two matches already paired in the review queue get a link to that pair.
 */
async function possibleDuplicates(deps: AdminDeps, matches: readonly ListedMatch[], view: WarningView): Promise<PossibleDuplicate[]> {
  const { t } = view;
  const created = creationDates(matches.map((m) => m.organisation), view.locale);
  const rows = matches.map(({ organisation: o }, i) => {
    const host = websiteHost(o.website);
    const details = [
      [o.postcode, o.commune_name].filter(Boolean).join(' '),
      taxonomyLabel(view.labels.kinds, o.kind_code, view.locale),
      o.visibility === 'public' ? '' : t('duplicateWarning.visibility', { visibility: visibilityLabel(t, o.visibility) }),
    ].filter(Boolean);
    const facts = [
      o.siret ? `SIRET ${o.siret}` : o.siren ? `SIREN ${o.siren}` : '',
      o.rna ? `RNA ${o.rna}` : '',
      host ? t('duplicateWarning.fact.website', { host }) : '',
      o.email ? t('duplicateWarning.fact.email', { email: o.email }) : '',
      sourceFact(o, t),
      t('duplicateWarning.fact.created', { date: created[i]! }),
    ].filter(Boolean);
    return { o, details, facts };
  });
  const names = distinctNames(
    rows.map(({ o, details, facts }) => ({ name: o.acronym ? `${o.name} – ${o.acronym}` : o.name, hints: [...details, ...facts] })),
    t,
  );
  const pairLinks = new Map<number, { href: string; label: string }[]>();
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length; j++) {
      const pair = await findPair(deps.db, rows[i]!.o.id, rows[j]!.o.id);
      if (pair?.status !== 'pending') continue;
      const link = { href: `/admin/doublons/${encodeURIComponent(pair.id)}`, label: t('duplicateWarning.pair', { first: names[i]!, second: names[j]! }) };
      pairLinks.set(i, [...(pairLinks.get(i) ?? []), link]);
    }
  }
  return rows.map(({ o, details, facts }, i) => ({
    id: o.id,
    name: names[i]!,
    details,
    facts,
    href: `/admin/organisations/${o.id}`,
    reasons: matches[i]!.reasons,
    likelihood: duplicateLikelihood(matches[i]!.score, view.t, view.locale),
    actions: [...(o.visibility === 'public' ? [{ href: `/acteurs/${o.slug}`, label: t('duplicateWarning.publicPage', { name: names[i]! }) }] : []), ...(pairLinks.get(i) ?? [])],
  }));
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
  view: WarningView & { current?: Organisation },
) {
  let warning: DuplicateWarningState | undefined;
  let overridden: { ids: string[]; names: string[] } | undefined;

  async function likelyMatches(draft: OrganisationDraft): Promise<ListedMatch[]> {
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
      return organisation ? [{ organisation, score: m.score, reasons: describeReasons(m.reasons, view.t, intlLocale(view.locale)) }] : [];
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
      warning = { confirmMissing: decision.confirmMissing, matches: await possibleDuplicates(deps, matches, view) };
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
