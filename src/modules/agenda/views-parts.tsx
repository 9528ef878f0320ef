// Pieces shared by the agenda's pages: event cards, the filter form, the view switch, feed links.
import { type MessageKey, numberFormat } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { countActiveFilters, FilterDisclosure, FilterDisclosureLabel } from '../../kernel/ui/filter-disclosure.js';
import { eventImageHref } from '../events/index.js';
import { Field, Select } from '../../kernel/ui/form.js';
import type { AgendaLabels } from './labels.js';
import type { ListedEvent } from './listing.js';
import { dayLabel, eventPlace, eventWhen, isOnline } from './present.js';
import { agendaHref, type AgendaView, hasFilter, type ParsedAgendaQuery, VIEW_PARAMS } from './query.js';

export function countText(ctx: ViewContext, total: number): string {
  if (total === 0) return ctx.t('agenda.count.zero');
  if (total === 1) return ctx.t('agenda.count.one');
  return ctx.t('agenda.count.many', { count: numberFormat(ctx.locale).format(total) });
}

export function eventHref(slug: string): string {
  return `/agenda/${encodeURIComponent(slug)}`;
}

export function StatusBadge({ ctx, status }: { ctx: ViewContext; status: string }) {
  if (status === 'cancelled') {
    return (
      <span class="badge badge-cancelled" safe>
        {ctx.t('agenda.status.cancelled')}
      </span>
    );
  }
  if (status === 'postponed') {
    return (
      <span class="badge badge-postponed" safe>
        {ctx.t('agenda.status.postponed')}
      </span>
    );
  }
  return '';
}

export function EventCard({ ctx, e, labels, headingLevel = 3 }: { ctx: ViewContext; e: ListedEvent; labels: AgendaLabels; headingLevel?: 3 | 4 }) {
  const day = dayLabel(e.starts_at, ctx.locale);
  const place = eventPlace(e);
  const image = eventImageHref(e);
  const title = (
    <a href={eventHref(e.slug)}>
      <span safe>{e.title}</span>
    </a>
  );
  return (
    <li class={`event-card event-${e.status}`}>
      <p class="event-date" aria-hidden="true">
        <span class="event-date-weekday" safe>
          {day.weekday}
        </span>
        <span class="event-date-day" safe>
          {day.day}
        </span>
        <span class="event-date-month" safe>
          {day.month}
        </span>
      </p>
      <div class="event-card-body">
        {headingLevel === 3 ? <h3>{title}</h3> : <h4>{title}</h4>}
        <p class="event-when">
          <StatusBadge ctx={ctx} status={e.status} /> <span safe>{eventWhen(e, ctx.locale)}</span>
          {e.full ? (
            <>
              {' '}
              <span class="badge badge-full" safe>
                {ctx.t('agenda.card.full')}
              </span>
            </>
          ) : (
            ''
          )}
        </p>
        <p class="event-meta">
          <span class="event-type" safe>
            {labels.type(e.type_code)}
          </span>
          {place ? (
            <span class="event-place" safe>
              {place}
            </span>
          ) : (
            ''
          )}
          {isOnline(e) ? (
            <span class="badge badge-online" safe>
              {ctx.t('agenda.card.online')}
            </span>
          ) : (
            ''
          )}
        </p>
        {e.organiserRefs.length ? (
          <p class="event-organisers" safe>
            {ctx.t('agenda.card.organisers', { names: e.organiserRefs.map((o) => o.name).join(', ') })}
          </p>
        ) : (
          ''
        )}
        {e.summary ? (
          <p class="event-summary" safe>
            {e.summary}
          </p>
        ) : (
          ''
        )}
      </div>
      {image ? <img class="event-card-image" src={image} alt={e.image_alt ?? ''} loading="lazy" /> : ''}
    </li>
  );
}

export function CountLine({ ctx, total }: { ctx: ViewContext; total: number }) {
  return (
    <p id="agenda-count" class="result-count" role="status" safe>
      {countText(ctx, total)}
    </p>
  );
}

/** The filters set, each value of a repeated one counted: their number shows on the « Filtres » disclosure. */
function activeFilters(parsed: ParsedAgendaQuery): number {
  const f = parsed.filter;
  return countActiveFilters([f.q, f.types, f.themes, f.zones, f.countries, f.departments, f.organisers, f.format]);
}

/** The id of the « Filtres » disclosure's words, swapped by agenda.js with the results. */
const FILTER_LABEL_ID = 'agenda-filter-label';

/** The « Filtres » disclosure's words, for the fragment the script swaps in. */
export function FilterLabel({ ctx, parsed }: { ctx: ViewContext; parsed: ParsedAgendaQuery }) {
  return <FilterDisclosureLabel ctx={ctx} active={activeFilters(parsed)} id={FILTER_LABEL_ID} />;
}

function withChosen(options: { value: string; label: string }[], chosen: string | undefined, label: (value: string) => string) {
  return !chosen || options.some((o) => o.value === chosen) ? options : [...options, { value: chosen, label: label(chosen) }];
}

/**
 * The filters as a GET form (works without JavaScript); values not shown travel as hidden fields.
 * On a phone they fold behind « Filtres » while none is set.
 */
export function FilterForm({
  ctx,
  parsed,
  labels,
  action,
  view,
}: {
  ctx: ViewContext;
  parsed: ParsedAgendaQuery;
  labels: AgendaLabels;
  action: string;
  view?: AgendaView;
}) {
  const { t } = ctx;
  const f = parsed.filter;
  const any = (key: MessageKey) => ({ value: '', label: t(key) });
  const kept: [string, string][] = [
    ...f.types.slice(1).map((v): [string, string] => ['type', v]),
    ...f.themes.slice(1).map((v): [string, string] => ['theme', v]),
    ...f.countries.slice(1).map((v): [string, string] => ['pays', v]),
    ...f.zones.slice(1).map((v): [string, string] => ['zone', v]),
    ...f.departments.slice(1).map((v): [string, string] => ['departement', v]),
    ...f.organisers.slice(1).map((v): [string, string] => ['organisateur', v]),
  ];
  if (view && view !== 'list') kept.push(['vue', VIEW_PARAMS[view]]);
  if (view === 'month' && parsed.month) kept.push(['mois', parsed.month]);
  // A selected organiser or country that no public event names any more still shows as chosen.
  const organisers = withChosen(labels.options.organisers, f.organisers[0], (slug) => slug);
  const countries = withChosen(labels.options.countries, f.countries[0], labels.country);
  return (
    <FilterDisclosure ctx={ctx} active={activeFilters(parsed)} labelId={FILTER_LABEL_ID}>
      <form id="agenda-form" class="filter-bar agenda-filters" method="get" action={action} role="search" aria-label={t('agenda.filters')}>
        <Field name="q" prefix="agenda" label={t('agenda.filter.q')} hint={t('agenda.filter.qHint')} value={f.q ?? ''} />
        <Select name="type" prefix="agenda" label={t('agenda.filter.type')} options={[any('agenda.filter.allTypes'), ...labels.options.types]} value={f.types[0] ?? ''} />
        <Select name="theme" prefix="agenda" label={t('agenda.filter.theme')} options={[any('agenda.filter.allThemes'), ...labels.options.themes]} value={f.themes[0] ?? ''} />
        <Select name="zone" prefix="agenda" label={t('agenda.filter.zone')} options={[any('agenda.filter.allZones'), ...labels.options.zones]} value={f.zones[0] ?? ''} />
        <Select name="pays" prefix="agenda" label={t('agenda.filter.country')} options={[any('agenda.filter.allCountries'), ...countries]} value={f.countries[0] ?? ''} />
        <Select
          name="departement"
          prefix="agenda"
          label={t('agenda.filter.department')}
          options={[any('agenda.filter.allDepartments'), ...labels.options.departments]}
          value={f.departments[0] ?? ''}
        />
        <Select name="organisateur" prefix="agenda" label={t('agenda.filter.organiser')} options={[any('agenda.filter.allOrganisers'), ...organisers]} value={f.organisers[0] ?? ''} />
        <Select
          name="format"
          prefix="agenda"
          label={t('agenda.filter.format')}
          options={[
            any('agenda.filter.allFormats'),
            { value: 'en-ligne', label: t('agenda.filter.formatOnline') },
            { value: 'sur-place', label: t('agenda.filter.formatPhysical') },
          ]}
          value={f.format === 'online' ? 'en-ligne' : f.format === 'physical' ? 'sur-place' : ''}
        />
        {kept.map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <p class="agenda-filter-actions">
          <button type="submit" class="button button-secondary" safe>
            {t('agenda.filter.apply')}
          </button>
          {parsed.canonical ? (
            <a href={agendaHref(action, '', view && view !== 'list' ? { vue: VIEW_PARAMS[view] } : {})} safe>
              {t('agenda.filter.reset')}
            </a>
          ) : (
            ''
          )}
        </p>
      </form>
    </FilterDisclosure>
  );
}

export function ViewSwitch({ ctx, parsed, view }: { ctx: ViewContext; parsed: ParsedAgendaQuery; view: AgendaView }) {
  const views: [AgendaView, 'agenda.view.list' | 'agenda.view.month' | 'agenda.view.map'][] = [
    ['list', 'agenda.view.list'],
    ['month', 'agenda.view.month'],
    ['map', 'agenda.view.map'],
  ];
  return (
    <nav id="agenda-views" class="agenda-views" aria-label={ctx.t('agenda.views')}>
      <ul>
        {views.map(([v, label]) => (
          <li>
            <a
              href={agendaHref('/agenda', parsed.canonical, v === 'list' ? {} : { vue: VIEW_PARAMS[v], mois: v === 'month' ? parsed.month : undefined })}
              aria-current={v === view ? 'page' : undefined}
              data-view={VIEW_PARAMS[v]}
              safe
            >
              {ctx.t(label)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Subscribe (iCalendar with the same filters) and embed (widget) links. */
export function FeedLinks({ ctx, parsed, baseUrl }: { ctx: ViewContext; parsed: ParsedAgendaQuery; baseUrl: string }) {
  // Absolute: an address to copy, and the webcal:// one calendar programs open to subscribe in one click.
  const ics = `${baseUrl}${agendaHref('/agenda.ics', parsed.canonical)}`;
  const webcal = ics.replace(/^https?:\/\//, 'webcal://');
  const widget = `${baseUrl}${agendaHref('/agenda/widget', parsed.canonical)}`;
  const code = `<iframe src="${widget}" title="${ctx.t('agenda.widget.title')}" width="100%" height="480" style="border:0"></iframe>`;
  return (
    <section id="agenda-feeds" class="agenda-feeds" aria-labelledby="agenda-feeds-title">
      <h2 id="agenda-feeds-title" safe>
        {ctx.t('agenda.feeds.title')}
      </h2>
      <p>
        <a href={webcal} safe>
          {ctx.t('agenda.feeds.webcal')}
        </a>
      </p>
      <p>
        <span safe>{ctx.t('agenda.feeds.address')}</span>{' '}
        <a href={ics} type="text/calendar" safe>
          {ics}
        </a>
      </p>
      {hasFilter(parsed.filter) ? (
        <p class="hint" safe>
          {ctx.t('agenda.feeds.filtered')}
        </p>
      ) : (
        ''
      )}
      <details>
        <summary safe>{ctx.t('agenda.feeds.widget')}</summary>
        <p>
          <label for="agenda-widget-code" safe>
            {ctx.t('agenda.feeds.widgetHint')}
          </label>
        </p>
        <textarea id="agenda-widget-code" rows="3" readonly class="code" safe>
          {code}
        </textarea>
        <p>
          <a href={agendaHref('/agenda/widget.json', parsed.canonical)} type="application/json" safe>
            {ctx.t('agenda.feeds.json')}
          </a>
        </p>
      </details>
    </section>
  );
}
