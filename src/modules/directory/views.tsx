import { findDepartment } from '../../kernel/geo/communes.js';
import { type MessageKey, numberFormat } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { countActiveFilters, FilterDisclosure, FilterDisclosureLabel } from '../../kernel/ui/filter-disclosure.js';
import { Layout } from '../../kernel/ui/layout.js';
import { Pager } from '../../kernel/ui/pager.js';
import type { FacetCounts, Organisation, ParsedDirectoryQuery } from '../organisations/index.js';
import type { Labels } from './labels.js';
import { logoPath } from './public-record.js';

export interface DirectoryView {
  ctx: ViewContext;
  parsed: ParsedDirectoryQuery;
  rows: Organisation[];
  total: number;
  facets: FacetCounts;
  labels: Labels;
  /** The sort chosen in the URL; relevance when none (without a query, relevance is name order). */
  sortParam: string;
}

const SORT_OPTIONS: { value: string; label: MessageKey }[] = [
  { value: 'pertinence', label: 'directory.sort.relevance' },
  { value: 'nom', label: 'directory.sort.name' },
  { value: 'recent', label: 'directory.sort.recent' },
];

export const SORT_PARAMS = SORT_OPTIONS.map((o) => o.value);

/** A département among the facets, code first (« 47 – Lot-et-Garonne »): its count follows in brackets. */
function facetDepartment(code: string): string {
  const d = findDepartment(code);
  return d ? `${d.code} – ${d.name}` : code;
}

export function countText(ctx: ViewContext, total: number): string {
  if (total === 0) return ctx.t('directory.results.count.zero');
  if (total === 1) return ctx.t('directory.results.count.one');
  return ctx.t('directory.results.count.many', { count: numberFormat(ctx.locale).format(total) });
}

/** The Pager keeps one value per parameter: repeated filters travel comma-separated (the parser splits them). */
function pagerQuery(canonical: string): Record<string, string> {
  const grouped: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(canonical)) grouped[k] = grouped[k] ? `${grouped[k]},${v}` : v;
  return grouped;
}

/** The filters set (the search included, the sort not): their number shows on the « Filtres » disclosure. */
function activeFilters(parsed: ParsedDirectoryQuery): number {
  const f = parsed.filter;
  return countActiveFilters([f.q, f.kinds, f.themes, f.departments, f.zones, f.countries, f.sdgs, f.member]);
}

/** The id of the disclosure's words, swapped by directory.js with the results. */
const FILTER_LABEL_ID = 'directory-filter-label';

function withQuery(path: string, canonical: string): string {
  return canonical ? `${path}?${canonical}` : path;
}

// ---------- Facets ----------

interface Option {
  value: string;
  label: string;
  count: number;
  selected: boolean;
}

/** Counted values, plus the selected ones the current set no longer holds (so they can be unticked). */
function options(
  counts: { value: string; count: number }[],
  selected: string[],
  label: (code: string) => string,
  order: 'count' | 'label' | 'code' | string[],
): Option[] {
  const byValue = new Map(counts.map((c) => [c.value, c.count]));
  for (const s of selected) if (!byValue.has(s)) byValue.set(s, 0);
  const list = [...byValue].map(([value, count]) => ({ value, count, label: label(value), selected: selected.includes(value) }));
  if (Array.isArray(order)) {
    const rank = (v: string) => {
      const i = order.indexOf(v);
      return i === -1 ? order.length : i;
    };
    return list.sort((a, b) => rank(a.value) - rank(b.value));
  }
  if (order === 'code') return list.sort((a, b) => a.value.localeCompare(b.value, 'fr', { numeric: true }));
  if (order === 'label') return list.sort((a, b) => a.label.localeCompare(b.label, 'fr'));
  return list.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'fr'));
}

function FacetGroup({
  ctx,
  name,
  legend,
  list,
  open,
}: {
  ctx: ViewContext;
  name: string;
  legend: MessageKey;
  list: Option[];
  open?: boolean;
}) {
  if (list.length === 0) return '';
  const chosen = list.filter((o) => o.selected).length;
  return (
    <details class="facet" data-facet={name} open={open || chosen > 0}>
      <summary>
        <span safe>{ctx.t(legend)}</span>
        {chosen ? (
          <span class="facet-chosen" safe>
            {ctx.t('directory.facets.selected', { count: chosen })}
          </span>
        ) : (
          ''
        )}
      </summary>
      <fieldset class={list.length > 12 ? 'facet-options facet-options-long' : 'facet-options'}>
        <legend class="visually-hidden" safe>
          {ctx.t(legend)}
        </legend>
        <ul>
          {list.map((o) => {
            const id = `facet-${name}-${o.value}`;
            return (
              <li class={o.count === 0 ? 'facet-empty' : undefined}>
                <input type="checkbox" id={id} name={name} value={o.value} checked={o.selected} />
                <label for={id} safe>
                  {ctx.t('directory.facets.option', { label: o.label, count: numberFormat(ctx.locale).format(o.count) })}
                </label>
              </li>
            );
          })}
        </ul>
      </fieldset>
    </details>
  );
}

function MemberFacet({ ctx, counts, selected }: { ctx: ViewContext; counts: { value: string; count: number }[]; selected?: 'yes' | 'no' }) {
  const count = (v: string) => counts.find((c) => c.value === v)?.count ?? 0;
  const choices: { value: string; label: string; checked: boolean }[] = [
    { value: '', label: ctx.t('directory.facets.memberAll'), checked: !selected },
    {
      value: 'oui',
      label: ctx.t('directory.facets.option', { label: ctx.t('directory.facets.memberYes'), count: numberFormat(ctx.locale).format(count('yes')) }),
      checked: selected === 'yes',
    },
    {
      value: 'non',
      label: ctx.t('directory.facets.option', { label: ctx.t('directory.facets.memberNo'), count: numberFormat(ctx.locale).format(count('no')) }),
      checked: selected === 'no',
    },
  ];
  return (
    <details class="facet" data-facet="adherent" open={Boolean(selected)}>
      <summary>
        <span safe>{ctx.t('directory.facets.member')}</span>
      </summary>
      <fieldset class="facet-options">
        <legend class="visually-hidden" safe>
          {ctx.t('directory.facets.member')}
        </legend>
        <ul>
          {choices.map((c) => (
            <li>
              <input type="radio" id={`facet-adherent-${c.value || 'tous'}`} name="adherent" value={c.value} checked={c.checked} />
              <label for={`facet-adherent-${c.value || 'tous'}`} safe>
                {c.label}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
    </details>
  );
}

export function Facets({ ctx, parsed, facets, labels }: Pick<DirectoryView, 'ctx' | 'parsed' | 'facets' | 'labels'>) {
  const f = parsed.filter;
  return (
    <div id="directory-facets" class="directory-facets">
      <FacetGroup ctx={ctx} name="famille" legend="directory.facets.kind" list={options(facets.kind, f.kinds, labels.kind, labels.order.kinds)} open />
      <FacetGroup ctx={ctx} name="theme" legend="directory.facets.theme" list={options(facets.theme, f.themes, labels.theme, labels.order.themes)} />
      <FacetGroup
        ctx={ctx}
        name="departement"
        legend="directory.facets.department"
        list={options(facets.department, f.departments, facetDepartment, 'code')}
      />
      <FacetGroup ctx={ctx} name="zone" legend="directory.facets.zone" list={options(facets.zone, f.zones, labels.zone, labels.order.zones)} />
      <FacetGroup ctx={ctx} name="pays" legend="directory.facets.country" list={options(facets.country, f.countries, labels.country, 'label')} />
      <FacetGroup
        ctx={ctx}
        name="odd"
        legend="directory.facets.sdg"
        list={options(facets.sdg, f.sdgs.map(String), labels.sdg, 'code')}
      />
      <MemberFacet ctx={ctx} counts={facets.member} selected={f.member} />
    </div>
  );
}

// ---------- Results ----------

export function place(o: Organisation, labels: Labels): string | null {
  const department = o.department_code ? labels.department(o.department_code) : null;
  if (o.commune_name && department) return `${o.commune_name}, ${department}`;
  return o.commune_name ?? department;
}

function Card({ ctx, o, labels }: { ctx: ViewContext; o: Organisation; labels: Labels }) {
  const where = place(o, labels);
  const logo = logoPath(o);
  return (
    <li class="org-card">
      {/* Decorative next to the name it shows: empty alt. */}
      {logo ? <img class="org-card-logo" src={logo} alt="" width="64" height="64" loading="lazy" /> : ''}
      <h3>
        <a href={`/acteurs/${encodeURIComponent(o.slug)}`}>
          <span safe>{o.name}</span>
          {o.acronym ? (
            <span class="org-acronym" safe>
              {` (${o.acronym})`}
            </span>
          ) : (
            ''
          )}
        </a>
      </h3>
      <p class="org-card-meta">
        <span safe>{labels.kind(o.kind_code)}</span>
        {Number(o.is_member) === 1 ? (
          <span class="badge badge-member" safe>
            {ctx.t('directory.card.member')}
          </span>
        ) : (
          ''
        )}
      </p>
      <p class={where ? 'org-card-place' : 'org-card-place muted'} safe>
        {where ?? ctx.t('directory.card.placeUnknown')}
      </p>
      {o.themes.length ? (
        <ul class="tag-list" aria-label={ctx.t('directory.org.themes')}>
          {[...o.themes]
            .sort((a, b) => labels.order.themes.indexOf(a) - labels.order.themes.indexOf(b))
            .map((c) => (
              <li safe>{labels.theme(c)}</li>
            ))}
        </ul>
      ) : (
        ''
      )}
    </li>
  );
}

export function ResultCount({ ctx, total }: { ctx: ViewContext; total: number }) {
  return (
    <p id="directory-count" class="result-count" role="status" safe>
      {countText(ctx, total)}
    </p>
  );
}

export function Results({ ctx, parsed, rows, total, labels }: Pick<DirectoryView, 'ctx' | 'parsed' | 'rows' | 'total' | 'labels'>) {
  const canonical = parsed.canonical;
  return (
    <div id="directory-results" class="directory-results">
      {rows.length ? (
        <ol class="org-list">
          {rows.map((o) => (
            <Card ctx={ctx} o={o} labels={labels} />
          ))}
        </ol>
      ) : total === 0 ? (
        <p class="directory-empty" safe>
          {ctx.t('directory.results.empty')}
        </p>
      ) : (
        ''
      )}
      <Pager ctx={ctx} page={parsed.page} total={total} query={pagerQuery(canonical)} />
      <div class="directory-links">
        <p>
          <a href={withQuery('/carte', canonical)} safe>
            {ctx.t('directory.results.onMap')}
          </a>
        </p>
        <p>
          <span safe>{ctx.t('directory.results.download')}</span>{' '}
          <a href={withQuery('/annuaire.csv', canonical)} safe>
            {ctx.t('directory.results.csv')}
          </a>
          {' · '}
          <a href={withQuery('/annuaire.xlsx', canonical)} safe>
            {ctx.t('directory.results.xlsx')}
          </a>
          {' · '}
          <a href={withQuery('/annuaire.geojson', canonical)} safe>
            {ctx.t('directory.results.geojson')}
          </a>
          {' · '}
          <a href="/api/docs" safe>
            {ctx.t('directory.results.api')}
          </a>
        </p>
      </div>
    </div>
  );
}

/** What `HX-Request: true` (or `?partiel=1`) receives: the regions the script swaps, nothing else. */
export function DirectoryFragment(props: DirectoryView) {
  return (
    <>
      <ResultCount ctx={props.ctx} total={props.total} />
      <Facets {...props} />
      <Results {...props} />
      <FilterDisclosureLabel ctx={props.ctx} active={activeFilters(props.parsed)} id={FILTER_LABEL_ID} />
    </>
  );
}

export function DirectoryPage(props: DirectoryView) {
  const { ctx, parsed } = props;
  const { t } = ctx;
  const f = parsed.filter;
  const sort = props.sortParam;
  return (
    <Layout ctx={ctx} title={t('directory.title')} description={t('directory.lead')}>
      <link rel="stylesheet" href="/assets/directory.css" />
      <h1 safe>{t('directory.title')}</h1>
      <p class="lead" safe>
        {t('directory.lead')}
      </p>
      <p>
        <a href="/proposer-une-structure" safe>
          {t('moderation.directory.propose')}
        </a>
      </p>
      <div class="directory-layout">
        {/* The filters stand above the results until the two columns start (directory.css, 56rem): they fold up to there. */}
        <FilterDisclosure ctx={ctx} active={activeFilters(parsed)} labelId={FILTER_LABEL_ID} foldBelow="56rem">
          <form id="directory-form" class="directory-form" method="get" action="/annuaire" role="search" aria-label={t('directory.search.form')}>
            <div class="field">
              <label for="directory-q" safe>
                {t('directory.search.label')}
              </label>
              <p class="hint" id="directory-q-hint" safe>
                {t('directory.search.hint')}
              </p>
              <div class="search-row">
                <input
                  type="search"
                  id="directory-q"
                  name="q"
                  value={f.q ?? ''}
                  aria-describedby="directory-q-hint"
                  autocomplete="off"
                  maxlength="200"
                />
                <button type="submit" class="button button-primary" safe>
                  {t('directory.search.submit')}
                </button>
              </div>
            </div>
            <div class="field">
              <label for="directory-tri" safe>
                {t('directory.sort.label')}
              </label>
              <select id="directory-tri" name="tri">
                {SORT_OPTIONS.map((o) => (
                  <option value={o.value} selected={o.value === sort} safe>
                    {t(o.label)}
                  </option>
                ))}
              </select>
            </div>
            <h2 class="facets-title" safe>
              {t('directory.facets.title')}
            </h2>
            <Facets {...props} />
            <p class="directory-form-actions">
              <button type="submit" class="button button-secondary" safe>
                {t('directory.search.apply')}
              </button>
              <a href="/annuaire" safe>
                {t('directory.search.reset')}
              </a>
            </p>
          </form>
        </FilterDisclosure>
        <section class="directory-main" aria-labelledby="directory-results-title">
          <h2 id="directory-results-title" safe>
            {t('directory.results.title')}
          </h2>
          <ResultCount ctx={ctx} total={props.total} />
          <Results {...props} />
        </section>
      </div>
      <script src="/assets/directory.js" defer></script>
    </Layout>
  );
}
