import { isId } from '../../kernel/ids.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import type { HistorySummary } from '../../kernel/ui/history.js';

// What a merge's journal entry says on a record's history, in words: the audit entries of a merge
// and of its undo hold ids and counts (the survivor and absorbed snapshots, choices, repointed
// tables…), not fields someone changed. Each becomes a sentence with a link to the merge's page,
// and, where the record's own fields changed, the before and after to compare.

type Values = Record<string, unknown>;
type Summarise = (ctx: ViewContext, after: Values, before: Values) => HistorySummary;

function objectOf(value: unknown): Values | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Values) : undefined;
}

const textOf = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/** The link to the merge an entry names (`merge_id`), if it names one. */
function mergeLink(ctx: ViewContext, ...sources: Values[]): HistorySummary['link'] {
  const id = sources.map((s) => s['merge_id']).find((v): v is string => typeof v === 'string' && isId(v));
  return id ? { href: `/admin/fusions/${id}`, label: ctx.t('merge.history.entryLink') } : undefined;
}

/** `after` limited to the fields `before` holds: a snapshot beside the merge's own keys (merge_id, choices…). */
function sameFields(before: Values | undefined, after: Values | undefined): HistorySummary['changes'] {
  if (!before || !after) return undefined;
  return { before, after: Object.fromEntries(Object.keys(before).map((k) => [k, after[k] ?? null])) };
}

/** « Fusion avec « X » (fiche absorbée) : 2 contacts réunis. », then the fields that took the other's values. */
const organisationMerged: Summarise = (ctx, after, before) => {
  const absorbed = objectOf(before['absorbed']);
  const contacts = Array.isArray(after['contacts_merged']) ? after['contacts_merged'].length : 0;
  const name = textOf(absorbed?.['name']);
  return {
    text: name ? ctx.t('merge.history.organisationMerged', { absorbed: name, contacts }) : ctx.t('merge.history.organisationMergedUnnamed', { contacts }),
    link: mergeLink(ctx, after),
    changes: sameFields(objectOf(before['survivor']), after),
  };
};

/** « Fusion avec « X » annulée : la fiche absorbée est rétablie… », then the fields set back. */
const organisationMergeUndone: Summarise = (ctx, after, before) => {
  const restored = objectOf(after['restored']);
  const contacts = Array.isArray(after['contacts_restored']) ? after['contacts_restored'].length : 0;
  const name = textOf(restored?.['name']);
  const { merge_id: _merge, absorbed_id: _absorbed, ...fields } = before;
  return {
    text: [
      name ? ctx.t('merge.history.organisationUndone', { absorbed: name }) : ctx.t('merge.history.organisationUndoneUnnamed'),
      contacts > 0 ? ctx.t('merge.history.contactsSeparated', { count: contacts }) : '',
    ]
      .filter(Boolean)
      .join(' '),
    link: mergeLink(ctx, before),
    changes: sameFields(fields, objectOf(after['survivor'])),
  };
};

const organisationAbsorbed: Summarise = (ctx, after) => ({ text: ctx.t('merge.history.organisationAbsorbed'), link: mergeLink(ctx, after) });
const organisationRestored: Summarise = (ctx, after) => ({ text: ctx.t('merge.history.organisationRestored'), link: mergeLink(ctx, after) });

/** « Fusion avec un doublon de ce contact, Marie DUPONT (même adresse électronique)… » — or less, once the person was erased. */
const contactMerged: Summarise = (ctx, after, before) => {
  const absorbed = objectOf(before['absorbed']);
  const name = [textOf(absorbed?.['first_name']), textOf(absorbed?.['last_name'])].filter(Boolean).join(' ');
  const reason = after['reason'] === 'email' ? ctx.t('merge.contact.reason.email') : after['reason'] === 'name' ? ctx.t('merge.contact.reason.name') : undefined;
  const text = name && reason ? ctx.t('merge.history.contactMerged', { name, reason }) : ctx.t('merge.history.contactMergedUnnamed');
  return { text, link: mergeLink(ctx, after) };
};

const contactRestored: Summarise = (ctx, after) => ({ text: ctx.t('backofficeOrganisations.history.restoredSummary'), link: mergeLink(ctx, after) });

/** The merge's entries on an organisation's history (the kept record's, and the absorbed one's once the merge is undone). */
export const ORGANISATION_MERGE_SUMMARIES: Record<string, Summarise> = {
  'organisation.merged': organisationMerged,
  'organisation.auto_merged': organisationMerged,
  'organisation.merge_undone': organisationMergeUndone,
  'organisation.absorbed': organisationAbsorbed,
  'organisation.restored': organisationRestored,
};

/** The merge's entries on a person's history. */
export const CONTACT_MERGE_SUMMARIES: Record<string, Summarise> = {
  'contact.merged': contactMerged,
  'contact.restored': contactRestored,
};
