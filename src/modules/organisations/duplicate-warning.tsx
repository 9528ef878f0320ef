import { type Locale, numberFormat, type Translate } from '../../kernel/i18n/index.js';
import { isId } from '../../kernel/ids.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { fieldId, SubmitButton } from '../../kernel/ui/form.js';

/**
 * "This organisation may already exist": the warning shown at the top of a form creating an
 * organisation by hand when the base holds likely matches. Nothing is saved until the person ticks
 * « Il s'agit d'une autre structure » and submits again; the ids shown travel with the form (hidden
 * fields) so that the confirmation covers exactly them, and is recorded.
 */
export const DUPLICATE_FIELDS = { confirmed: 'duplicates_confirmed', shown: 'duplicates_shown' } as const;

/** How many likely matches a warning lists at most. */
export const DUPLICATE_WARNING_LIMIT = 5;

/** One likely match, ready to show: the caller chose what the person may see and where links go. */
export interface PossibleDuplicate {
  id: string;
  name: string;
  /** Commune, kind, visibility…: shown after the name. */
  details: string[];
  /** The record's page for this person (back office for staff, public page for others). */
  href: string;
  /** What tells this record apart from the others listed (identifiers, website, source, creation date): shown under the name. */
  facts?: string[];
  /** The reasons of the match, as sentences. */
  reasons: string[];
  /** The estimated probability that it is the same organisation, worded (« 97 % »): shown with the reasons. */
  likelihood?: string;
  /** Other ways to the existing record (request access…). */
  actions: { href: string; label: string }[];
  /** A namesake elsewhere, not a likely match: « même nom, autre commune : Périgueux » (staff pages). */
  namesake?: string | null;
}

/**
 * The names to show for a list of matches, no two alike: a name shared by several is followed by
 * the first of its hints (place, identifiers…) that none of its namesakes has, « Sahel Zinder
 * (SIRET 12345678900012) », or else by its rank. Every link of the warning names its record with it.
 */
export function distinctNames(items: readonly { name: string; hints: readonly string[] }[], t: Translate): string[] {
  const key = (name: string) => name.trim().toLocaleLowerCase('fr');
  return items.map((item, i) => {
    const namesakes = items.filter((other, j) => j !== i && key(other.name) === key(item.name));
    if (!namesakes.length) return item.name;
    const own = item.hints.find((hint) => hint !== '' && namesakes.every((other) => !other.hints.includes(hint)));
    return `${item.name} (${own ?? t('duplicateWarning.rank', { rank: i + 1 })})`;
  });
}

/** The ids of the warning a submitted form carried (the person saw them). */
export function shownDuplicateIds(raw: Record<string, unknown>): string[] {
  const value = raw[DUPLICATE_FIELDS.shown];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return [...new Set(list.map((v) => String(v).trim()).filter((v) => isId(v)))].slice(0, 20);
}

export type DuplicateDecision =
  /** Nothing alike: save. */
  | { kind: 'none' }
  /** Likely matches the person has not confirmed: show the warning, save nothing. */
  | { kind: 'warn'; confirmMissing: boolean }
  /** The person saw every match found now and said it is another organisation: save and record it. */
  | { kind: 'override'; ids: string[] };

/**
 * What to do with a valid form given the likely matches found now: a confirmation covers only the
 * records it was given for, so a match not shown before (the name was changed) warns again.
 */
export function duplicateDecision(raw: Record<string, unknown>, foundIds: readonly string[]): DuplicateDecision {
  if (foundIds.length === 0) return { kind: 'none' };
  const shown = new Set(shownDuplicateIds(raw));
  const confirmed = raw[DUPLICATE_FIELDS.confirmed] === '1';
  const unseen = foundIds.filter((id) => !shown.has(id));
  if (confirmed && unseen.length === 0) return { kind: 'override', ids: [...foundIds] };
  return { kind: 'warn', confirmMissing: !confirmed && shown.size > 0 && unseen.length === 0 };
}

/**
 * The warning, placed first inside the form: a region with its heading, announced (role=alert),
 * listing each match with its reasons and links, then the box to tick and the button to submit again.
 */
export function DuplicateWarning(props: { ctx: ViewContext; matches: PossibleDuplicate[]; audience: 'staff' | 'public'; submit: string; confirmMissing?: boolean; prefix?: string }) {
  const { ctx, matches } = props;
  const { t } = ctx;
  if (!matches.length) return '';
  const id = fieldId('duplicates', props.prefix);
  const boxId = fieldId(DUPLICATE_FIELDS.confirmed, props.prefix);
  const describedBy = [`${boxId}-hint`, props.confirmMissing ? `${boxId}-error` : ''].filter(Boolean).join(' ');
  return (
    <section class="flash flash-info duplicate-warning" id={id} aria-labelledby={`${id}-title`} tabindex="-1">
      <div role="alert">
        <h2 id={`${id}-title`} safe>
          {t('duplicateWarning.title')}
        </h2>
        <p safe>{t('duplicateWarning.intro')}</p>
      </div>
      <ul class="duplicate-list">
        {matches.map((m) => (
          <li>
            <DuplicateMatchLines ctx={ctx} match={m} />
            <input type="hidden" name={DUPLICATE_FIELDS.shown} value={m.id} />
          </li>
        ))}
      </ul>
      <p safe>{t(props.audience === 'staff' ? 'duplicateWarning.sameStaff' : 'duplicateWarning.samePublic')}</p>
      <fieldset class="duplicate-confirm">
        <legend safe>{t('duplicateWarning.otherLegend')}</legend>
        <div class={props.confirmMissing ? 'field field-check field-invalid' : 'field field-check'}>
          <input type="checkbox" id={boxId} name={DUPLICATE_FIELDS.confirmed} value="1" aria-describedby={describedBy} aria-invalid={props.confirmMissing ? 'true' : undefined} />
          <label for={boxId} safe>
            {t('duplicateWarning.confirm')}
          </label>
          <p class="hint" id={`${boxId}-hint`} safe>
            {t('duplicateWarning.confirmHint')}
          </p>
          {props.confirmMissing ? (
            <p class="field-error" id={`${boxId}-error`} safe>
              {t('duplicateWarning.confirmRequired')}
            </p>
          ) : (
            ''
          )}
        </div>
        <SubmitButton label={props.submit} />
      </fieldset>
    </section>
  );
}

/** A match's probability for people: a whole percent, never « 100 % » nor « 0 % ». */
export function duplicateLikelihood(score: number, t: Translate, locale: Locale): string {
  const percent = numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  if (score >= 0.995) return t('duplicateWarning.score.above', { score: percent.format(0.99) });
  if (score < 0.005) return t('duplicateWarning.score.below', { score: percent.format(0.01) });
  return percent.format(score);
}

/**
 * What one likely match says, wherever it is listed (the warning of a form, the page of a proposed
 * organisation): its name to its record, details, a namesake's place, what tells it apart, the
 * reasons with their probability, other ways to it.
 */
export function DuplicateMatchLines({ ctx, match: m }: { ctx: Pick<ViewContext, 't'>; match: PossibleDuplicate }) {
  const { t } = ctx;
  return (
    <>
      <p>
        <a href={m.href} safe>
          {m.name}
        </a>
        {m.details.length ? <span safe>{` · ${m.details.join(' · ')}`}</span> : ''}
      </p>
      {m.namesake ? (
        <p>
          <strong safe>{m.namesake}</strong>
        </p>
      ) : (
        ''
      )}
      {m.facts?.length ? (
        <p class="hint" safe>
          {m.facts.join(' · ')}
        </p>
      ) : (
        ''
      )}
      {m.reasons.length ? (
        <p class="hint" safe>
          {m.likelihood ? t('duplicateWarning.reasonsScored', { reasons: m.reasons.join(' ; '), score: m.likelihood }) : t('duplicateWarning.reasons', { reasons: m.reasons.join(' ; ') })}
        </p>
      ) : (
        ''
      )}
      {m.actions.length ? (
        <ul class="duplicate-actions">
          {m.actions.map((a) => (
            <li>
              <a href={a.href} safe>
                {a.label}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        ''
      )}
    </>
  );
}
