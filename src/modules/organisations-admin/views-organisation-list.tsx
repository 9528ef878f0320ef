import { numberFormat } from '../../kernel/i18n/index.js';
import { findDepartment } from '../../kernel/geo/communes.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { ErrorSummary, Field, fieldId, Form, Select, SubmitButton } from '../../kernel/ui/form.js';
import { NarrowDisclosure } from '../../kernel/ui/filter-disclosure.js';
import { Pager } from '../../kernel/ui/pager.js';
import { DataTable, ResultCount } from '../../kernel/ui/table.js';
import { type OrganisationRow, VISIBILITIES, visibilityLabel } from '../organisations/index.js';
import { STAFF_PAGE_SIZE } from './query.js';
import type { SavedFilterRow } from './repo.js';
import {
  activeFilterCount,
  anyOption,
  AreaPage,
  countryOptions,
  departmentOptions,
  FilterBar,
  type Labels,
  labelOf,
  taxonomyOptions,
  when,
} from './views-common.js';

interface ListProps {
  ctx: ViewContext;
  rows: OrganisationRow[];
  tags: Map<string, string[]>;
  total: number;
  page: number;
  canonical: string;
  shown: Record<string, string>;
  t: Labels;
  allTags: string[];
  segments: SavedFilterRow[];
  errors?: Record<string, string>;
  values?: Record<string, string>;
}

export function OrganisationListPage(p: ListProps) {
  const { ctx } = p;
  const { t } = ctx;
  const errors = p.errors ?? {};
  return (
    <AreaPage ctx={ctx} title={t('backofficeOrganisations.list.title')} create={{ href: '/admin/organisations/nouvelle', label: t('backofficeOrganisations.list.create') }}>
      <OrganisationFilters ctx={ctx} shown={p.shown} labels={p.t} allTags={p.allTags} />
      <ResultCount text={t('backofficeOrganisations.list.count', { count: numberFormat(ctx.locale).format(p.total) })} />

      <SavedFilters ctx={ctx} segments={p.segments} canonical={p.canonical} value={p.values?.['name']} error={errors['name']} />

      <Form ctx={ctx} action="/admin/organisations/actions" class="bo-bulk">
        <input type="hidden" name="filter" value={p.canonical} />
        <BulkActions ctx={ctx} labels={p.t} total={p.total} values={p.values ?? {}} errors={errors} firstRow={p.rows[0]?.id} />
        <OrganisationTable ctx={ctx} rows={p.rows} tags={p.tags} labels={p.t} selectionError={errors['ids'] ? SELECTION_ERROR : undefined} />
      </Form>
      <Pager ctx={ctx} page={p.page} total={p.total} pageSize={STAFF_PAGE_SIZE} query={p.canonical} />
    </AreaPage>
  );
}

function OrganisationFilters({ ctx, shown, labels, allTags }: { ctx: ViewContext; shown: Record<string, string>; labels: Labels; allTags: string[] }) {
  const { t } = ctx;
  const any = anyOption(ctx, 'filter.all');
  return (
    <FilterBar ctx={ctx} action="/admin/organisations" active={activeFilterCount(shown)}>
      <Field name="q" label={t('filter.search')} value={shown['q']} />
      <Select name="famille" label={t('org.field.kind')} options={taxonomyOptions(ctx, labels.kinds, 'backofficeOrganisations.filter.allKinds')} value={shown['famille']} />
      <Select name="departement" label={t('org.field.department')} options={departmentOptions(ctx, shown['departement'])} value={shown['departement']} />
      <Select name="theme" label={t('backofficeOrganisations.filter.theme')} options={taxonomyOptions(ctx, labels.themes, 'backofficeOrganisations.filter.allThemes')} value={shown['theme']} />
      <Select name="pays" label={t('backofficeOrganisations.filter.country')} options={countryOptions(ctx)} value={shown['pays']} />
      <Select name="zone" label={t('backofficeOrganisations.filter.zone')} options={taxonomyOptions(ctx, labels.zones, 'backofficeOrganisations.filter.allZones')} value={shown['zone']} />
      <Select name="odd" label={t('backofficeOrganisations.filter.sdg')} options={[anyOption(ctx, 'backofficeOrganisations.filter.allSdgs'), ...labels.sdgs.map((s) => ({ value: s.code, label: t('org.sdg', { code: s.code, label: labelOf(ctx, labels.sdgs, s.code) }) }))]} value={shown['odd']} />
      <Select name="adherent" label={t('org.field.member')} options={[any, { value: 'oui', label: t('org.member.yes') }, { value: 'non', label: t('org.member.no') }]} value={shown['adherent']} />
      <Select name="visibilite" label={t('org.field.visibility')} options={[anyOption(ctx, 'backofficeOrganisations.filter.allVisibilities'), ...VISIBILITIES.map((value) => ({ value, label: visibilityLabel(t, value) }))]} value={shown['visibilite']} />
      <Select
        name="manque"
        label={t('backofficeOrganisations.filter.missing')}
        options={[
          any,
          { value: 'email', label: t('backofficeOrganisations.missing.email') },
          { value: 'commune', label: t('backofficeOrganisations.missing.commune') },
          { value: 'coordonnees', label: t('backofficeOrganisations.missing.coordinates') },
          { value: 'themes', label: t('backofficeOrganisations.missing.themes') },
        ]}
        value={shown['manque']}
      />
      <Field name="adhesion_annee" type="number" label={t('backofficeOrganisations.filter.membershipYear')} value={shown['adhesion_annee']} />
      <Select
        name="adhesion_statut"
        label={t('backofficeOrganisations.filter.membershipStatus')}
        options={[
          any,
          { value: 'payee', label: t('backofficeOrganisations.membership.paid') },
          { value: 'attente', label: t('backofficeOrganisations.membership.pending') },
          { value: 'exoneree', label: t('backofficeOrganisations.membership.exempt') },
          { value: 'aucune', label: t('backofficeOrganisations.membership.none') },
        ]}
        value={shown['adhesion_statut']}
      />
      <Select name="etiquette" label={t('backofficeOrganisations.filter.tag')} options={[anyOption(ctx, 'backofficeOrganisations.filter.allTags'), ...allTags.map((x) => ({ value: x, label: x }))]} value={shown['etiquette']} />
      <Select name="non_revue" label={t('backofficeOrganisations.filter.review')} options={[anyOption(ctx, 'backofficeOrganisations.filter.allReviews'), { value: '1', label: t('backofficeOrganisations.filter.notReviewed') }]} value={shown['non_revue']} />
      <Select
        name="tri"
        label={t('backofficeOrganisations.filter.sort')}
        options={[
          { value: '', label: t('backofficeOrganisations.sort.default') },
          { value: 'nom', label: t('backofficeOrganisations.sort.name') },
          { value: 'recent', label: t('backofficeOrganisations.sort.updated') },
          { value: 'revue', label: t('backofficeOrganisations.sort.reviewed') },
        ]}
        value={shown['tri']}
      />
    </FilterBar>
  );
}

/** Saved filters (segments): a link and a delete button each, and a form saving the current filter. */
function SavedFilters({ ctx, segments, canonical, value, error }: { ctx: ViewContext; segments: SavedFilterRow[]; canonical: string; value?: string; error?: string }) {
  const { t } = ctx;
  return (
    <details class="bo-segments" open={segments.length > 0 || Boolean(error)}>
      <summary safe>{t('backofficeOrganisations.segments.title', { count: segments.length })}</summary>
      {segments.length ? (
        <ul class="bo-segment-list">
          {segments.map((s) => (
            <li>
              <a href={`/admin/organisations?${s.query}`} safe>
                {s.name}
              </a>
              <Form ctx={ctx} action={`/admin/organisations/filtres/${s.id}/supprimer`} class="inline-form">
                <button type="submit" class="link-button" aria-label={t('backofficeOrganisations.segments.deleteNamed', { name: s.name })} safe>
                  {t('backofficeOrganisations.segments.delete')}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      ) : (
        ''
      )}
      <ErrorSummary ctx={ctx} errors={{ name: error }} prefix="segment" />
      <Form ctx={ctx} action="/admin/organisations/filtres" class="inline-actions">
        <input type="hidden" name="query" value={canonical} />
        <Field name="name" prefix="segment" label={t('backofficeOrganisations.segments.name')} value={value} error={error} required />
        <SubmitButton label={t('backofficeOrganisations.segments.save')} variant="secondary" />
      </Form>
    </details>
  );
}

/** The bulk action bar's fields that a refusal may point at. */
const BULK_FIELDS = ['ids', 'action', 'tag', 'college', 'scope'];

/** The checkbox of a row: the first one is where « tick at least one » leads. */
const rowBoxId = (id: string) => `sel-${id}`;
/** The bar's line saying that no row was ticked, which describes every row's box. */
const SELECTION_ERROR = `${fieldId('ids', 'bulk')}-error`;

/**
 * The bulk action bar: what to do, on the ticked rows or on the whole filtered set. On a phone it
 * folds behind its title, so that the rows show under the list's title (open again after a refusal).
 */
function BulkActions({ ctx, labels, total, values, errors, firstRow }: { ctx: ViewContext; labels: Labels; total: number; values: Record<string, string>; errors: Record<string, string>; firstRow?: string }) {
  const { t } = ctx;
  const refused = Object.fromEntries(BULK_FIELDS.map((name) => [name, errors[name]]));
  return (
    <NarrowDisclosure class="bo-bulk-disclosure" keepOpen={BULK_FIELDS.some((name) => errors[name])} summary={<span safe>{t('backofficeOrganisations.bulk.title')}</span>}>
      {/* « Tick at least one » leads to the first row's box, or to « Apply to » when the list is empty. */}
      <ErrorSummary ctx={ctx} errors={refused} prefix="bulk" targets={{ ids: firstRow ? rowBoxId(firstRow) : fieldId('scope', 'bulk') }} />
      <fieldset class="bo-bulk-bar">
        <legend safe>{t('backofficeOrganisations.bulk.title')}</legend>
        {errors['ids'] ? (
          <p class="field-error" id={SELECTION_ERROR} safe>
            {errors['ids']}
          </p>
        ) : (
          ''
        )}
        <Select
          name="action"
          prefix="bulk"
          label={t('backofficeOrganisations.bulk.action')}
          error={errors['action']}
          value={values['action']}
          options={[
            { value: '', label: t('backofficeOrganisations.bulk.chooseAction') },
            { value: 'add_tag', label: t('backofficeOrganisations.bulk.addTag') },
            { value: 'remove_tag', label: t('backofficeOrganisations.bulk.removeTag') },
            { value: 'set_college', label: t('backofficeOrganisations.bulk.setCollege') },
            { value: 'export', label: t('backofficeOrganisations.bulk.export') },
          ]}
        />
        <Field name="tag" prefix="bulk" label={t('backofficeOrganisations.bulk.tag')} hint={t('backofficeOrganisations.bulk.tagHint')} error={errors['tag']} value={values['tag']} />
        <Select name="college" prefix="bulk" label={t('backofficeOrganisations.bulk.college')} error={errors['college']} options={[{ value: '', label: t('backofficeOrganisations.bulk.noCollege') }, ...labels.colleges.map((c) => ({ value: c.code, label: labelOf(ctx, labels.colleges, c.code) }))]} value={values['college']} />
        <Select
          name="scope"
          prefix="bulk"
          label={t('backofficeOrganisations.bulk.scope')}
          options={[
            { value: 'selection', label: t('backofficeOrganisations.bulk.scopeSelection') },
            { value: 'all', label: t('backofficeOrganisations.bulk.scopeAll', { count: numberFormat(ctx.locale).format(total) }) },
          ]}
          value={values['scope']}
        />
        <SubmitButton label={t('backofficeOrganisations.bulk.run')} variant="secondary" />
      </fieldset>
    </NarrowDisclosure>
  );
}

function OrganisationTable({ ctx, rows, tags, labels, selectionError }: { ctx: ViewContext; rows: OrganisationRow[]; tags: Map<string, string[]>; labels: Labels; selectionError?: string }) {
  const { t } = ctx;
  const columns = [
    { label: t('backofficeOrganisations.list.select'), hidden: true as const },
    t('org.field.name'),
    t('org.field.kind'),
    t('org.field.department'),
    t('org.field.visibility'),
    t('org.field.member'),
    t('backofficeOrganisations.field.reviewedAt'),
    t('backofficeOrganisations.field.tags'),
  ];
  return (
    <DataTable caption={t('backofficeOrganisations.list.title')} columns={columns} class="table-stack">
      {rows.map((o) => (
        <tr>
          <td>
            <input type="checkbox" name="ids" value={o.id} id={rowBoxId(o.id)} aria-label={t('backofficeOrganisations.list.selectNamed', { name: o.name })} aria-describedby={selectionError} />
          </td>
          <td>
            <a href={`/admin/organisations/${o.id}`} safe>
              {o.name}
            </a>
            {o.acronym ? <span class="muted" safe>{` (${o.acronym})`}</span> : ''}
          </td>
          <td data-label={t('org.field.kind')} safe>
            {labelOf(ctx, labels.kinds, o.kind_code)}
          </td>
          <td data-label={t('org.field.department')}>
            {o.department_code ? `${o.department_code} ${findDepartment(o.department_code)?.name ?? ''}` : '—'}
          </td>
          <td data-label={t('org.field.visibility')} safe>
            {visibilityLabel(t, o.visibility)}
          </td>
          <td data-label={t('org.field.member')} safe>
            {o.is_member ? t('org.member.yes') : t('org.member.no')}
          </td>
          <td data-label={t('backofficeOrganisations.field.reviewedAt')} class="nowrap" safe>
            {o.reviewed_at ? when(ctx, o.reviewed_at) : t('backofficeOrganisations.list.neverReviewed')}
          </td>
          <td data-label={t('backofficeOrganisations.field.tags')} safe>
            {(tags.get(o.id) ?? []).join(', ') || '—'}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
