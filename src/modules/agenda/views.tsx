import { numberFormat } from '../../kernel/i18n/index.js';
import { formatDay } from '../../kernel/time/date-only.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { Layout } from '../../kernel/ui/layout.js';
import { Pager } from '../../kernel/ui/pager.js';
import { groupByMonth, type MonthGrid } from './calendar.js';
import type { AgendaLabels } from './labels.js';
import type { ListedEvent } from './listing.js';
import { eventWhen, monthLabel } from './present.js';
import { agendaHref, type ParsedAgendaQuery } from './query.js';
import { CountLine, EventCard, eventHref, FeedLinks, FilterForm, FilterLabel, StatusBadge, ViewSwitch } from './views-parts.js';

interface Base {
  ctx: ViewContext;
  parsed: ParsedAgendaQuery;
  labels: AgendaLabels;
  baseUrl: string;
}

export type AgendaContent =
  | { view: 'list'; rows: ListedEvent[]; total: number; pageSize: number }
  | { view: 'month'; grid: MonthGrid<ListedEvent>; total: number; currentMonth: string; /** Paris `YYYY-MM-DD`, marked in the grid. */ today: string }
  | { view: 'map'; located: ListedEvent[]; elsewhere: ListedEvent[]; total: number; locatedTotal: number; tileUrl: string };

export type AgendaProps = Base & { content: AgendaContent };

function ListView({ ctx, parsed, labels, rows, total, pageSize }: Base & { rows: ListedEvent[]; total: number; pageSize: number }) {
  // A page past the end (an old link, a page number typed) says so and leads back, as other lists do.
  if (!rows.length && total > 0) return <Pager ctx={ctx} page={parsed.page} total={total} query={parsed.canonical} pageSize={pageSize} />;
  if (!rows.length) {
    return (
      <p class="agenda-empty" safe>
        {ctx.t('agenda.empty')}
      </p>
    );
  }
  return (
    <>
      {groupByMonth(rows).map((g) => (
        <section class="agenda-month" aria-labelledby={`mois-${g.month}`}>
          <h3 id={`mois-${g.month}`} class="agenda-month-title" safe>
            {monthLabel(g.month, ctx.locale)}
          </h3>
          <ol class="event-list">
            {g.events.map((e) => (
              <EventCard ctx={ctx} e={e} labels={labels} headingLevel={4} />
            ))}
          </ol>
        </section>
      ))}
      <Pager ctx={ctx} page={parsed.page} total={total} query={parsed.canonical} pageSize={pageSize} />
    </>
  );
}

function MonthView({ ctx, parsed, grid, currentMonth, today }: Base & { grid: MonthGrid<ListedEvent>; currentMonth: string; today: string }) {
  const { t } = ctx;
  const href = (month: string) => agendaHref('/agenda', parsed.canonical, { vue: 'mois', mois: month });
  const weekdays = grid.weeks[0]!.map((d) => ({ long: formatDay(d.date, ctx.locale, 'weekday'), short: formatDay(d.date, ctx.locale, 'weekdayShort') }));
  const any = grid.weeks.some((w) => w.some((d) => d.inMonth && d.events.length));
  return (
    <>
      <nav class="agenda-month-nav" aria-label={t('agenda.month.nav')}>
        <a href={href(grid.previous)} rel="prev" safe>
          {`← ${t('agenda.month.previous')}`}
        </a>
        {grid.month !== currentMonth ? (
          <a href={href(currentMonth)} safe>
            {t('agenda.month.current')}
          </a>
        ) : (
          ''
        )}
        <a href={href(grid.next)} rel="next" safe>
          {`${t('agenda.month.next')} →`}
        </a>
      </nav>
      <table class="agenda-calendar">
        <caption safe>{t('agenda.month.caption', { month: monthLabel(grid.month, ctx.locale) })}</caption>
        <thead>
          <tr>
            {weekdays.map((w) => (
              <th scope="col">
                <abbr title={w.long} safe>
                  {w.short}
                </abbr>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {grid.weeks.map((week) => (
            <tr>
              {week.map((d) => (
                <td
                  class={[d.inMonth ? (d.events.length ? 'has-events' : '') : 'other-month', d.date === today ? 'is-today' : ''].filter(Boolean).join(' ') || undefined}
                  aria-current={d.date === today ? 'date' : undefined}
                >
                  <p class="calendar-day">
                    <span aria-hidden="true" safe>
                      {String(Number(d.date.slice(8)))}
                    </span>
                    <span class="visually-hidden" safe>
                      {d.date === today ? t('agenda.month.today', { date: formatDay(d.date, ctx.locale, 'full') }) : formatDay(d.date, ctx.locale, 'full')}
                    </span>
                  </p>
                  {d.events.length ? (
                    <ul class="calendar-events">
                      {d.events.map((e) => (
                        <li class={`event-${e.status}`}>
                          <a href={eventHref(e.slug)}>
                            <span safe>{e.title}</span>
                          </a>{' '}
                          <StatusBadge ctx={ctx} status={e.status} />
                        </li>
                      ))}
                    </ul>
                  ) : (
                    ''
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {any ? (
        ''
      ) : (
        <p class="agenda-empty" safe>
          {t('agenda.month.none')}
        </p>
      )}
    </>
  );
}

function mapLabels(ctx: ViewContext): Record<string, string> {
  return {
    open: ctx.t('agenda.map.js.open'),
    zoomIn: ctx.t('agenda.map.js.zoomIn'),
    zoomOut: ctx.t('agenda.map.js.zoomOut'),
    closePopup: ctx.t('agenda.map.js.closePopup'),
    approximate: ctx.t('map.approximate'),
  };
}

function MapView(props: Base & { located: ListedEvent[]; elsewhere: ListedEvent[]; total: number; locatedTotal: number; tileUrl: string }) {
  const { ctx, labels } = props;
  const { t } = ctx;
  const points = props.located.map((e) => ({
    lat: Number(e.latitude),
    lng: Number(e.longitude),
    title: e.title,
    href: eventHref(e.slug),
    when: eventWhen(e, ctx.locale),
    status: e.status,
    // At the département's centre: the geocoder could not place the event (shown as such when the script reads it).
    ...(e.geo_precision === 'department' ? { approximate: true } : {}),
  }));
  return (
    <>
      <p class="agenda-map-count" safe>
        {t('agenda.map.count', { located: numberFormat(ctx.locale).format(props.locatedTotal), total: numberFormat(ctx.locale).format(props.total) })}
      </p>
      <a href="#agenda-map-list" class="skip-map" safe>
        {t('agenda.map.skip')}
      </a>
      <div
        id="agenda-map"
        class="map-canvas agenda-map"
        role="region"
        aria-label={t('agenda.map.region')}
        data-agenda-map
        data-tile-url={props.tileUrl}
        data-points={JSON.stringify(points)}
        data-labels={JSON.stringify(mapLabels(ctx))}
      >
        <p class="map-noscript" safe>
          {t('agenda.map.noscript')}
        </p>
      </div>
      <section id="agenda-map-list" class="agenda-map-list" aria-labelledby="agenda-map-list-title" tabindex="-1">
        <h3 id="agenda-map-list-title" safe>
          {t('agenda.map.listTitle')}
        </h3>
        {props.located.length ? (
          <ol class="event-list">
            {props.located.map((e) => (
              <EventCard ctx={ctx} e={e} labels={labels} headingLevel={4} />
            ))}
          </ol>
        ) : (
          <p class="agenda-empty" safe>
            {t('agenda.empty')}
          </p>
        )}
        {props.elsewhere.length ? (
          <>
            <h3 safe>{t('agenda.map.onlineTitle')}</h3>
            <ol class="event-list">
              {props.elsewhere.map((e) => (
                <EventCard ctx={ctx} e={e} labels={labels} headingLevel={4} />
              ))}
            </ol>
          </>
        ) : (
          ''
        )}
      </section>
    </>
  );
}

/** The events of the chosen view (one of the regions the script swaps). */
export function AgendaResults(props: AgendaProps) {
  const c = props.content;
  return (
    <div id="agenda-results" class={`agenda-results agenda-view-${c.view}`}>
      {c.view === 'list' ? <ListView {...props} {...c} /> : c.view === 'month' ? <MonthView {...props} {...c} /> : <MapView {...props} {...c} />}
    </div>
  );
}

function ArchiveLink({ ctx, parsed }: { ctx: ViewContext; parsed: ParsedAgendaQuery }) {
  return (
    <p id="agenda-archive-link">
      <a href={agendaHref('/agenda/archives', parsed.canonical)} safe>
        {ctx.t('agenda.archives.link')}
      </a>
    </p>
  );
}

/** What `HX-Request: true` (or `?partiel=1`) receives: the regions the script swaps, nothing else. */
export function AgendaFragment(props: AgendaProps) {
  return (
    <>
      <CountLine ctx={props.ctx} total={props.content.total} />
      <ArchiveLink ctx={props.ctx} parsed={props.parsed} />
      <ViewSwitch ctx={props.ctx} parsed={props.parsed} view={props.content.view} />
      <AgendaResults {...props} />
      <FeedLinks ctx={props.ctx} parsed={props.parsed} baseUrl={props.baseUrl} />
      <FilterLabel ctx={props.ctx} parsed={props.parsed} />
    </>
  );
}

export function AgendaPage(props: AgendaProps) {
  const { ctx, parsed, labels } = props;
  const { t } = ctx;
  const view = props.content.view;
  return (
    <Layout ctx={ctx} title={t('agenda.title')} description={t('agenda.lead')}>
      <link rel="stylesheet" href="/assets/agenda.css" />
      {view === 'map' ? (
        <>
          <link rel="stylesheet" href="/assets/vendor/leaflet/leaflet.css" />
          <link rel="stylesheet" href="/assets/map.css" />
        </>
      ) : (
        ''
      )}
      <link rel="alternate" type="text/calendar" href={agendaHref('/agenda.ics', parsed.canonical)} title={t('agenda.feeds.ics')} />
      <h1 safe>{t('agenda.title')}</h1>
      <p class="lead" safe>
        {t('agenda.lead')}
      </p>
      <ArchiveLink ctx={ctx} parsed={parsed} />
      <FilterForm ctx={ctx} parsed={parsed} labels={labels} action="/agenda" view={view} />
      <ViewSwitch ctx={ctx} parsed={parsed} view={view} />
      <section class="agenda-main" aria-labelledby="agenda-results-title">
        <h2 id="agenda-results-title" class="visually-hidden" safe>
          {t('agenda.results')}
        </h2>
        <CountLine ctx={ctx} total={props.content.total} />
        <AgendaResults {...props} />
      </section>
      <FeedLinks ctx={ctx} parsed={parsed} baseUrl={props.baseUrl} />
      <script src="/assets/agenda.js" defer></script>
      {view === 'map' ? <script src="/assets/js/agenda-map.js" defer></script> : ''}
    </Layout>
  );
}

export interface ArchivesProps extends Base {
  rows: ListedEvent[];
  total: number;
  pageSize: number;
}

export function ArchivesResults(props: ArchivesProps) {
  const { ctx, parsed, labels, rows, total } = props;
  return (
    <div id="agenda-results" class="agenda-results">
      {rows.length ? (
        <ol class="event-list">
          {rows.map((e) => (
            <EventCard ctx={ctx} e={e} labels={labels} />
          ))}
        </ol>
      ) : (
        <p class="agenda-empty" safe>
          {ctx.t('agenda.archives.empty')}
        </p>
      )}
      <Pager ctx={ctx} page={parsed.page} total={total} query={parsed.canonical} pageSize={props.pageSize} />
    </div>
  );
}

export function ArchivesFragment(props: ArchivesProps) {
  return (
    <>
      <CountLine ctx={props.ctx} total={props.total} />
      <ArchivesResults {...props} />
      <FilterLabel ctx={props.ctx} parsed={props.parsed} />
    </>
  );
}

export function ArchivesPage(props: ArchivesProps) {
  const { ctx, parsed, labels } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('agenda.archives.title')} description={t('agenda.archives.lead')}>
      <link rel="stylesheet" href="/assets/agenda.css" />
      <p class="breadcrumb">
        <a href={agendaHref('/agenda', parsed.canonical)} safe>
          {t('agenda.archives.back')}
        </a>
      </p>
      <h1 safe>{t('agenda.archives.title')}</h1>
      <p class="lead" safe>
        {t('agenda.archives.lead')}
      </p>
      <FilterForm ctx={ctx} parsed={parsed} labels={labels} action="/agenda/archives" />
      <section class="agenda-main" aria-labelledby="agenda-results-title">
        <h2 id="agenda-results-title" safe>
          {t('agenda.results')}
        </h2>
        <CountLine ctx={ctx} total={props.total} />
        <ArchivesResults {...props} />
      </section>
      <script src="/assets/agenda.js" defer></script>
    </Layout>
  );
}
