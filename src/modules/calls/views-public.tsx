import type { PropsWithChildren } from '@kitajs/html';
import { numberFormat } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { countActiveFilters, FilterDisclosure } from '../../kernel/ui/filter-disclosure.js';
import { Layout } from '../../kernel/ui/layout.js';
import { Pager } from '../../kernel/ui/pager.js';
import { CALL_ALERTS_LIST_ID } from '../call-alerts/index.js';
import type { CallLabels, Option } from './labels.js';
import { hrefWith, type ParsedCallQuery, STATUS_PARAMS, type StatusFilter } from './query.js';
import type { ListedCall } from './repo.js';
import { CallCard } from './views-parts.js';

export const CSS = <link rel="stylesheet" href="/assets/calls.css" />;

export type StatusCounts = Record<'current' | 'open' | 'closing_soon' | 'upcoming' | 'closed', number>;

export interface ListProps {
  ctx: ViewContext;
  parsed: ParsedCallQuery;
  labels: CallLabels;
  rows: ListedCall[];
  total: number;
  counts: StatusCounts;
  themesOf: Map<string, string[]>;
  pageSize: number;
  now: Date;
}

function FilterSelect({ id, name, label, options, value, all, describedBy, hint }: { id: string; name: string; label: string; options: Option[]; value: string; all: string; describedBy?: string; hint?: { id: string; text: string } }) {
  return (
    <div class="field">
      <label for={id} safe>
        {label}
      </label>
      <select id={id} name={name} aria-describedby={describedBy ?? hint?.id}>
        <option value="" safe>
          {all}
        </option>
        {options.map((o) => (
          <option value={o.value} selected={o.value === value} safe>
            {o.label}
          </option>
        ))}
      </select>
      {hint ? (
        <p id={hint.id} class="hint" safe>
          {hint.text}
        </p>
      ) : (
        ''
      )}
    </div>
  );
}

function countText(ctx: ViewContext, total: number): string {
  if (total === 0) return ctx.t('calls.count.zero');
  if (total === 1) return ctx.t('calls.count.one');
  return ctx.t('calls.count.many', { count: numberFormat(ctx.locale).format(total) });
}

const STATUS_CHOICES: StatusFilter[] = ['current', 'open', 'closing_soon', 'upcoming'];

/** The filters set (a status other than the default one included, the sort not): their number shows on « Filtres ». */
function activeFilters(parsed: ParsedCallQuery, withStatus: boolean): number {
  const f = parsed.filter;
  return countActiveFilters([f.q, f.themes, f.kinds, f.countries, f.zones, f.regions, f.departments, withStatus && f.status !== 'current']);
}

function Filters({ ctx, parsed, labels, counts, action, withStatus }: { ctx: ViewContext; parsed: ParsedCallQuery; labels: CallLabels; counts: StatusCounts; action: string; withStatus: boolean }) {
  const { t } = ctx;
  const f = parsed.filter;
  return (
    <FilterDisclosure ctx={ctx} active={activeFilters(parsed, withStatus)}>
      <form method="get" action={action} class="filter-form call-filters" role="search" aria-label={t('calls.filter.label')}>
        <div class="field">
          <label for="f-q" safe>
            {t('calls.filter.q')}
          </label>
          <input id="f-q" type="search" name="q" value={f.q} />
        </div>
        {withStatus ? (
          <div class="field">
            <label for="f-statut" safe>
              {t('calls.filter.status')}
            </label>
            <select id="f-statut" name="statut">
              {STATUS_CHOICES.map((s) => (
                <option value={s === 'current' ? '' : STATUS_PARAMS[s]} selected={f.status === s} safe>
                  {`${t(`calls.filter.status.${s}`)} (${numberFormat(ctx.locale).format(counts[s])})`}
                </option>
              ))}
            </select>
          </div>
        ) : (
          ''
        )}
        <FilterSelect id="f-theme" name="theme" label={t('calls.filter.theme')} options={labels.themes} value={f.themes[0] ?? ''} all={t('calls.filter.allThemes')} />
        <FilterSelect id="f-acteur" name="acteur" label={t('calls.filter.kind')} options={labels.kinds} value={f.kinds[0] ?? ''} all={t('calls.filter.allKinds')} />
        <FilterSelect id="f-pays" name="pays" label={t('calls.filter.country')} options={labels.countries} value={f.countries[0] ?? ''} all={t('calls.filter.allCountries')} />
        <FilterSelect id="f-zone" name="zone" label={t('calls.filter.zone')} options={labels.zones} value={f.zones[0] ?? ''} all={t('calls.filter.allZones')} />
        {/* Where the applicants are: the calls open there, the national ones included (listing.ts visitorFilter). */}
        <FilterSelect id="f-region" name="region" label={t('calls.filter.region')} options={labels.regions} value={f.regions[0] ?? ''} all={t('calls.filter.allRegions')} describedBy="f-territory-hint" />
        <FilterSelect
          id="f-departement"
          name="departement"
          label={t('calls.filter.department')}
          options={labels.departments}
          value={f.departments[0] ?? ''}
          all={t('calls.filter.allDepartments')}
          hint={{ id: 'f-territory-hint', text: t('calls.filter.territoryHint') }}
        />
        <div class="field">
          <label for="f-tri" safe>
            {t('calls.filter.sort')}
          </label>
          <select id="f-tri" name="tri">
            <option value="" selected={parsed.sort === 'closing'} safe>
              {t('calls.filter.sort.closing')}
            </option>
            <option value="recent" selected={parsed.sort === 'recent'} safe>
              {t('calls.filter.sort.recent')}
            </option>
          </select>
        </div>
        <button type="submit" class="button button-primary" safe>
          {t('calls.filter.apply')}
        </button>
        <a href={action} safe>
          {t('calls.filter.reset')}
        </a>
      </form>
    </FilterDisclosure>
  );
}

/** The alerts' form: a signed-in person's own subscriptions, else the public form with the alerts' list (only) ticked. */
const alertsHref = (ctx: ViewContext) => (ctx.user ? '/mon-espace/lettres' : `/lettre?liste=${CALL_ALERTS_LIST_ID}`);

/**
 * The way to the email alerts on new calls (the call-alerts module's newsletter list): the public
 * subscription form, or a signed-in person's own subscriptions in « Mon espace » (no confirmation
 * email there). /lettre?liste= ticks the alerts' list only; it takes no filters in its address: the
 * alerts follow the person's structure and the interests chosen on the form.
 */
export function CallAlertsBox({ ctx }: { ctx: ViewContext }) {
  const { t } = ctx;
  return (
    <div class="call-alerts-box">
      <p class="call-alerts-text" safe>
        {t('calls.alerts.text')}
      </p>
      <p>
        <a class="button button-secondary" href={alertsHref(ctx)} safe>
          {t('calls.alerts.link')}
        </a>
      </p>
    </div>
  );
}

/** « Suivre les appels à projets »: the alerts, then the feeds given (the list's or a call's). */
export function FeedsSection({ ctx, children }: PropsWithChildren<{ ctx: ViewContext }>) {
  return (
    <section class="call-feeds" aria-labelledby="call-feeds-title">
      <h2 id="call-feeds-title" safe>
        {ctx.t('calls.feeds.title')}
      </h2>
      <CallAlertsBox ctx={ctx} />
      {children}
    </section>
  );
}

export function FeedLinks({ ctx, query }: { ctx: ViewContext; query: string }) {
  const { t } = ctx;
  const suffix = query ? `?${query}` : '';
  return (
    <FeedsSection ctx={ctx}>
      <ul>
        <li>
          <a href={`/appels-a-projets.ics${suffix}`} safe>
            {t('calls.feeds.ics')}
          </a>
          <span class="hint" safe>{` ${t('calls.feeds.icsHint')}`}</span>
        </li>
        <li>
          <a href={`/appels-a-projets/flux.rss${suffix}`} safe>
            {t('calls.feeds.rss')}
          </a>
        </li>
        <li>
          <a href={`/appels-a-projets/flux.atom${suffix}`} safe>
            {t('calls.feeds.atom')}
          </a>
        </li>
      </ul>
    </FeedsSection>
  );
}

function Results({ ctx, parsed, labels, rows, total, themesOf, pageSize, now, empty }: ListProps & { empty: string }) {
  return (
    <>
      <p class="result-count" role="status" safe>
        {countText(ctx, total)}
      </p>
      {rows.length === 0 ? (
        <p class="call-empty" safe>
          {empty}
        </p>
      ) : (
        <ol class="call-list">
          {rows.map((call) => (
            <CallCard ctx={ctx} call={call} now={now} labels={labels} themes={themesOf.get(call.id) ?? []} />
          ))}
        </ol>
      )}
      <Pager ctx={ctx} page={parsed.page} total={total} query={parsed.canonical} pageSize={pageSize} />
    </>
  );
}

function feedsOf(ctx: ViewContext, query: string) {
  const suffix = query ? `?${query}` : '';
  return [
    { title: ctx.t('calls.feeds.rss'), href: `/appels-a-projets/flux.rss${suffix}`, type: 'rss' as const },
    { title: ctx.t('calls.feeds.atom'), href: `/appels-a-projets/flux.atom${suffix}`, type: 'atom' as const },
  ];
}

export function CallsPage(props: ListProps) {
  const { ctx, parsed, counts } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('calls.public.title')} description={t('calls.public.lead')} feeds={feedsOf(ctx, parsed.canonical)}>
      {CSS}
      <h1 safe>{t('calls.public.title')}</h1>
      <p class="lead" safe>
        {t('calls.public.lead')}
      </p>
      <Filters ctx={ctx} parsed={parsed} labels={props.labels} counts={counts} action="/appels-a-projets" withStatus />
      <p class="call-archive-link">
        <a href={hrefWith('/appels-a-projets/archives', parsed.withoutStatus)} safe>
          {t('calls.archive.link', { count: numberFormat(ctx.locale).format(counts.closed) })}
        </a>
        {' · '}
        <a href={alertsHref(ctx)} safe>
          {t('calls.alerts.link')}
        </a>
      </p>
      <Results {...props} empty={t('calls.public.empty')} />
      <FeedLinks ctx={ctx} query={parsed.canonical} />
    </Layout>
  );
}

export function ArchivePage(props: ListProps) {
  const { ctx, parsed } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('calls.archive.title')} description={t('calls.archive.lead')}>
      {CSS}
      <h1 safe>{t('calls.archive.title')}</h1>
      <p class="lead" safe>
        {t('calls.archive.lead')}
      </p>
      <p>
        <a href={hrefWith('/appels-a-projets', parsed.withoutStatus)} safe>
          {t('calls.archive.back')}
        </a>
      </p>
      <Filters ctx={ctx} parsed={parsed} labels={props.labels} counts={props.counts} action="/appels-a-projets/archives" withStatus={false} />
      <Results {...props} empty={t('calls.archive.empty')} />
    </Layout>
  );
}
