import { findDepartment } from '../../kernel/geo/communes.js';
import { countryName } from '../../kernel/geo/countries.js';
import { htmlToText } from '../../kernel/html.js';
import { formatPhone } from '../../kernel/identifiers.js';
import { localLabel, formatDateTime, type MessageKey } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { ErrorSummary, type FieldErrors, fieldId, Form, SubmitButton } from '../../kernel/ui/form.js';
import { DataTable } from '../../kernel/ui/table.js';
import { describePosition } from '../map/index.js';
import { type Organisation, type taxonomies, visibilityLabel } from '../organisations/index.js';
import type { ContactSide } from './contacts.js';
import { MERGE_FIELDS, type MergeField, type MergeFieldKey, sameValue } from './fields.js';
import type { PairData, PairSide, Side } from './pair.js';
import { ActionForm, evidenceText, HintedSection, MergePage, Reasons, ReturnField, scoreText, SourceLine } from './views-common.js';

type Labels = Awaited<ReturnType<typeof taxonomies>>;
type Entry = { code: string; label_fr: string; label_en: string };

const SIDES: readonly Side[] = ['a', 'b'];
const LETTER: Record<Side, string> = { a: 'A', b: 'B' };

/** The form's values: the survivor and, per field, the side whose value is kept. */
export interface PairFormValues {
  survivor: Side;
  choices: Record<MergeFieldKey, Side>;
}

function label(ctx: ViewContext, list: Entry[], code: string): string {
  const entry = list.find((e) => e.code === code);
  return entry ? localLabel(entry, ctx.locale) : code;
}

function socialText(ctx: ViewContext, json: string | null): string {
  if (!json) return '';
  try {
    return Object.entries(JSON.parse(json) as Record<string, string>)
      .map(([network, url]) => ctx.t('label.value', { label: network, value: url }))
      .join(' · ');
  } catch {
    return json;
  }
}

/** A field's value in one record, as people read it ('' when empty). */
function valueText(ctx: ViewContext, labels: Labels, field: MergeField, o: Organisation): string {
  const { t } = ctx;
  switch (field.key) {
    case 'kind_code':
      return label(ctx, labels.kinds, o.kind_code);
    case 'description_html': {
      const text = o.description_html ? htmlToText(o.description_html).trim() : '';
      return text.length > 400 ? `${text.slice(0, 400)}…` : text;
    }
    case 'phone':
      return o.phone ? formatPhone(o.phone) : '';
    case 'social_links':
      return socialText(ctx, o.social_links);
    case 'place': {
      const department = o.department_code ? findDepartment(o.department_code) : undefined;
      return [o.address, [o.postcode, o.commune_name].filter(Boolean).join(' '), department ? `${department.name} (${department.code})` : o.department_code]
        .filter(Boolean)
        .join(', ');
    }
    case 'visibility':
      return visibilityLabel(t, o.visibility);
    case 'is_member':
      return t(o.is_member === 1 ? 'merge.yes' : 'merge.no');
    default: {
      const value = o[field.key];
      return value === null || value === undefined ? '' : String(value);
    }
  }
}

function Value({ ctx, labels, field, side, o }: { ctx: ViewContext; labels: Labels; field: MergeField; side: Side; o: Organisation }) {
  if (field.key === 'logo_file_id' && o.logo_file_id) {
    return <img class="merge-logo" src={`/media/logos/${encodeURIComponent(o.logo_file_id)}`} alt={ctx.t('merge.logo.alt', { side: LETTER[side] })} />;
  }
  const text = valueText(ctx, labels, field, o);
  if (field.key === 'place') {
    // The position is chosen with the address: two records may differ by it alone.
    return (
      <span class="merge-value">
        {text ? <span safe>{text}</span> : <span class="muted" safe>{ctx.t('merge.pair.empty')}</span>}
        <span class="merge-position" safe>
          {ctx.t('merge.place.position', { position: describePosition(ctx, o) })}
        </span>
      </span>
    );
  }
  return text ? (
    <span class="merge-value" safe>
      {text}
    </span>
  ) : (
    <span class="merge-value muted" safe>
      {ctx.t('merge.pair.empty')}
    </span>
  );
}

function SideCard({ ctx, side, data }: { ctx: ViewContext; side: Side; data: PairSide }) {
  const o = data.organisation;
  return (
    <section class="panel merge-card" aria-labelledby={`merge-side-${side}`}>
      <h2 id={`merge-side-${side}`}>
        <span class="merge-letter" safe>
          {ctx.t('merge.pair.side', { side: LETTER[side] })}
        </span>{' '}
        <span safe>{o.name}</span>
      </h2>
      <p class="muted">
        <span class="merge-line" safe>
          {ctx.t('merge.pair.created', { date: formatDateTime(o.created_at, ctx.locale), updated: formatDateTime(o.updated_at, ctx.locale) })}
        </span>
        <SourceLine ctx={ctx} record={o} batchId={o.import_batch_id} />
      </p>
      <p>
        <a href={`/admin/organisations/${o.id}`} safe>
          {ctx.t('merge.pair.links', { side: LETTER[side] })}
        </a>
      </p>
    </section>
  );
}

function SurvivorChoice({ ctx, data, survivor }: { ctx: ViewContext; data: PairData; survivor: Side }) {
  const { t } = ctx;
  return (
    <fieldset class="merge-survivor" id={fieldId('conserver')} tabindex="-1" aria-describedby="merge-survivor-hint">
      <legend safe>{t('merge.pair.survivor')}</legend>
      <p class="hint" id="merge-survivor-hint" safe>
        {t('merge.pair.survivorHint')}
      </p>
      {SIDES.map((side) => {
        const o = data[side].organisation;
        const id = `${fieldId('conserver')}-${side}`;
        return (
          <div class="field-check">
            <input type="radio" id={id} name="conserver" value={side} checked={survivor === side} />
            <label for={id} safe>
              {t('merge.pair.keep', { side: LETTER[side], name: o.name, slug: o.slug })}
            </label>
          </div>
        );
      })}
    </fieldset>
  );
}

function FieldChoices({ ctx, labels, data, values }: { ctx: ViewContext; labels: Labels; data: PairData; values: PairFormValues }) {
  const { t } = ctx;
  const a = data.a.organisation;
  const b = data.b.organisation;
  const differing = MERGE_FIELDS.filter((f) => !sameValue(f, a, b));
  const same = MERGE_FIELDS.filter((f) => sameValue(f, a, b));
  return (
    <HintedSection id="merge-fields-title" class="section merge-fields" title={t('merge.pair.fields')} hint={t('merge.pair.fieldsHint')}>
      {differing.length === 0 ? <p safe>{t('merge.pair.noDifference')}</p> : ''}
      {differing.map((field) => (
        <fieldset class="merge-field" id={fieldId(`champ_${field.key}`)} tabindex="-1">
          <legend safe>{t(field.label)}</legend>
          <div class="merge-options">
            {SIDES.map((side) => {
              const id = `${fieldId(`champ_${field.key}`)}-${side}`;
              return (
                <div class="merge-option">
                  <input type="radio" id={id} name={`champ_${field.key}`} value={side} checked={values.choices[field.key] === side} />
                  <label for={id}>
                    <span class="merge-letter" safe>
                      {t('merge.pair.side', { side: LETTER[side] })}
                    </span>
                    <Value ctx={ctx} labels={labels} field={field} side={side} o={data[side].organisation} />
                  </label>
                </div>
              );
            })}
          </div>
        </fieldset>
      ))}
      {same.length > 0 && differing.length > 0 ? (
        <p class="muted" safe>
          {t('merge.pair.sameFields', { fields: same.map((f) => t(f.label)).join(', ') })}
        </p>
      ) : (
        ''
      )}
    </HintedSection>
  );
}

const MEMBERSHIP_STATUS: Record<string, MessageKey> = {
  paid: 'backofficeOrganisations.membership.paid',
  pending: 'backofficeOrganisations.membership.pending',
  exempt: 'backofficeOrganisations.membership.exempt',
};

function membershipText(ctx: ViewContext, m: { year: number; status: string }): string {
  const status = MEMBERSHIP_STATUS[m.status];
  return `${m.year} (${status ? ctx.t(status) : m.status})`;
}

/** One membership a year: the kept record's when both have one (as the merge does). */
function unitedMemberships(ctx: ViewContext, data: PairData): string[] {
  const kept = data[data.defaultSurvivor].memberships;
  const other = data[data.defaultSurvivor === 'a' ? 'b' : 'a'].memberships.filter((m) => !kept.some((k) => k.year === m.year));
  return [...kept, ...other].sort((x, y) => y.year - x.year).map((m) => membershipText(ctx, m));
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}

/** One record's list (or the united one), named by its column on a phone, where each list is a card. */
function ListCell({ ctx, items, column }: { ctx: ViewContext; items: string[]; column: string }) {
  return items.length ? (
    <td data-label={column} safe>
      {items.join(', ')}
    </td>
  ) : (
    <td data-label={column} class="muted" safe>
      {ctx.t('merge.list.none')}
    </td>
  );
}

function UnitedLists({ ctx, labels, data }: { ctx: ViewContext; labels: Labels; data: PairData }) {
  const { t } = ctx;
  const locale = ctx.locale;
  const lists: { name: string; of: (s: PairSide) => string[]; united?: string[] }[] = [
    { name: t('merge.list.themes'), of: (s) => s.organisation.themes.map((c) => label(ctx, labels.themes, c)) },
    { name: t('org.field.countries'), of: (s) => s.organisation.countries.map((c) => countryName(c, locale)) },
    { name: t('org.field.zones'), of: (s) => s.organisation.zones.map((c) => label(ctx, labels.zones, c)) },
    { name: t('org.field.sdgs'), of: (s) => s.organisation.sdgs.map((c) => t('org.sdg', { code: c, label: label(ctx, labels.sdgs, String(c)) })) },
    { name: t('org.field.colleges'), of: (s) => s.organisation.colleges.map((c) => label(ctx, labels.colleges, c)) },
    { name: t('merge.list.tags'), of: (s) => s.tags },
    { name: t('merge.list.memberships'), of: (s) => s.memberships.map((m) => membershipText(ctx, m)), united: unitedMemberships(ctx, data) },
    { name: t('merge.list.accounts'), of: (s) => s.accounts.map((u) => u.display_name) },
  ];
  const columns = [t('merge.col.first'), t('merge.col.second'), t('merge.pair.united')] as const;
  // On a phone each list is a card (.table-stack): its name on top, then A, B and the united list, each named.
  return (
    <HintedSection id="merge-lists-title" title={t('merge.pair.lists')} hint={t('merge.pair.listsHint')}>
      <DataTable caption={t('merge.pair.listsCaption')} columns={[t('merge.pair.list'), ...columns]} class="table-stack merge-lists">
        {lists.map((list) => {
          const a = list.of(data.a);
          const b = list.of(data.b);
          const united = list.united ?? union(a, b);
          return (
            <tr>
              <th scope="row" safe>
                {list.name}
              </th>
              <ListCell ctx={ctx} items={a} column={columns[0]} />
              <ListCell ctx={ctx} items={b} column={columns[1]} />
              <ListCell ctx={ctx} items={united} column={columns[2]} />
            </tr>
          );
        })}
        <tr>
          <th scope="row" safe>
            {t('merge.list.interactions')}
          </th>
          <td data-label={columns[0]} safe>
            {t('merge.pair.interactionCount', { count: data.a.interactions })}
          </td>
          <td data-label={columns[1]} safe>
            {t('merge.pair.interactionCount', { count: data.b.interactions })}
          </td>
          <td data-label={columns[2]} safe>
            {t('merge.pair.interactionCount', { count: data.a.interactions + data.b.interactions })}
          </td>
        </tr>
      </DataTable>
    </HintedSection>
  );
}

function contactName(c: ContactSide): string {
  return [c.first_name, c.last_name].filter(Boolean).join(' ');
}

function Contacts({ ctx, data }: { ctx: ViewContext; data: PairData }) {
  const { t } = ctx;
  const plan = data.contacts;
  const sideOf = new Map<string, Side>();
  const survivorSide: Side = data.defaultSurvivor;
  for (const c of plan.survivorSide) sideOf.set(c.id, survivorSide);
  for (const c of plan.absorbedSide) if (!sideOf.has(c.id)) sideOf.set(c.id, survivorSide === 'a' ? 'b' : 'a');
  const rows = [...plan.survivorSide, ...plan.absorbedSide.filter((c) => !plan.survivorSide.some((s) => s.id === c.id))];
  const fate = (c: ContactSide): string => {
    if (c.erased) return t('merge.contact.erased');
    const pair = plan.pairs.find((p) => p.absorbed.id === c.id || p.survivor.id === c.id);
    if (!pair) return t('merge.contact.kept');
    const other = pair.absorbed.id === c.id ? pair.survivor : pair.absorbed;
    return t('merge.contact.willMerge', { name: contactName(other), reason: t(pair.reason === 'email' ? 'merge.contact.reason.email' : 'merge.contact.reason.name') });
  };
  return (
    <HintedSection id="merge-contacts-title" title={t('merge.pair.contacts')} hint={t('merge.pair.contactsHint')}>
      {rows.length === 0 ? (
        <p safe>{t('merge.pair.noContacts')}</p>
      ) : (
        // On a phone each person is a card (.table-stack): the name on top, then the record and the fate, each named.
        <DataTable caption={t('merge.pair.contactsCaption')} columns={[t('merge.pair.contact'), t('merge.pair.contactSide'), t('merge.pair.contactFate')]} class="table-stack merge-contacts">
          {rows.map((c) => (
            <tr>
              <td>
                <strong safe>{contactName(c)}</strong>
                {c.emails.length ? (
                  <span class="merge-line muted" safe>
                    {c.emails.join(', ')}
                  </span>
                ) : (
                  ''
                )}
              </td>
              <td data-label={t('merge.pair.contactSide')} safe>
                {LETTER[sideOf.get(c.id) ?? 'a']}
              </td>
              <td data-label={t('merge.pair.contactFate')} safe>
                {fate(c)}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </HintedSection>
  );
}

export interface PairPageProps {
  ctx: ViewContext;
  labels: Labels;
  data: PairData;
  values?: PairFormValues;
  errors?: FieldErrors;
  /** The queue page the pair was opened from: the way back, and where a decision leads. */
  returnTo: string;
}

/** /admin/doublons/:id: both records side by side, the choices, and the two decisions. */
export function PairPage({ ctx, labels, data, values, errors = {}, returnTo }: PairPageProps) {
  const { t } = ctx;
  const { candidate } = data;
  const chosen: PairFormValues = values ?? { survivor: data.defaultSurvivor, choices: data.defaults };
  const pending = candidate.status === 'pending';
  const evidence = evidenceText(ctx, candidate.score);
  return (
    <MergePage ctx={ctx} title={t('merge.pair.title')} back={{ href: returnTo, label: t('merge.pair.back') }}>
      <p class="lead merge-pair-score">
        <span safe>{t('merge.pair.score', { score: scoreText(ctx, candidate.score) })}</span>
        {evidence ? (
          <span class="merge-line merge-evidence muted" safe>
            {evidence}
          </span>
        ) : (
          ''
        )}
      </p>
      <h2 class="visually-hidden" safe>
        {t('merge.pair.reasons')}
      </h2>
      <Reasons ctx={ctx} json={candidate.reasons} />
      {candidate.status === 'dismissed' ? (
        <div class="flash flash-info">
          <p safe>{t('merge.pair.dismissed')}</p>
          <Form ctx={ctx} action={`/admin/doublons/${candidate.id}/reprendre`} class="inline-form">
            <ReturnField returnTo={returnTo} />
            <SubmitButton label={t('merge.restore.submit')} variant="secondary" />
          </Form>
        </div>
      ) : (
        ''
      )}
      <div class="two-columns merge-cards">
        <SideCard ctx={ctx} side="a" data={data.a} />
        <SideCard ctx={ctx} side="b" data={data.b} />
      </div>
      {pending ? (
        <>
          <Form ctx={ctx} action={`/admin/doublons/${candidate.id}/fusionner`} class="stack-form merge-form">
            <ReturnField returnTo={returnTo} />
            <ErrorSummary ctx={ctx} errors={errors} />
            <SurvivorChoice ctx={ctx} data={data} survivor={chosen.survivor} />
            <FieldChoices ctx={ctx} labels={labels} data={data} values={chosen} />
            <UnitedLists ctx={ctx} labels={labels} data={data} />
            <Contacts ctx={ctx} data={data} />
            <div class="actions">
              <button type="submit" class="button button-primary" safe>
                {t('merge.pair.merge')}
              </button>
            </div>
          </Form>
          <ActionForm
            ctx={ctx}
            action={`/admin/doublons/${candidate.id}/pas-un-doublon`}
            id="merge-dismiss"
            class="merge-dismiss"
            hint={t('merge.pair.notDuplicateHint')}
            label={t('merge.pair.notDuplicate')}
            variant="secondary"
            returnTo={returnTo}
          />
        </>
      ) : (
        <>
          <UnitedLists ctx={ctx} labels={labels} data={data} />
          <Contacts ctx={ctx} data={data} />
        </>
      )}
    </MergePage>
  );
}
