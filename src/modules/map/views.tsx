import type { GeoPrecision } from '../../db/schema.js';
import { countryName, listCountries } from '../../kernel/geo/countries.js';
import type { Department } from '../../kernel/geo/communes.js';
import { localLabel, type Locale, type MessageKey, numberFormat } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { countActiveFilters, FilterDisclosure } from '../../kernel/ui/filter-disclosure.js';
import { ErrorSummary, Field, Form, type FieldErrors, Select, SubmitButton } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import type { Organisation, ParsedDirectoryQuery, taxonomies } from '../organisations/index.js';

type Taxonomies = Awaited<ReturnType<typeof taxonomies>>;

/** Labels the browser module needs, in the page's language. */
function clientLabels(ctx: ViewContext): Record<string, string> {
  const keys = [
    'cluster',
    'point',
    'open',
    'zoomIn',
    'zoomOut',
    'closePopup',
    'loading',
    'shown',
    'failed',
    'countryCount',
    'legend',
    'noActors',
    'activate',
    'dragHint',
  ] as const;
  const labels: Record<string, string> = Object.fromEntries(keys.map((k) => [k, ctx.t(`map.js.${k}` as MessageKey)]));
  labels['approximate'] = ctx.t('map.approximate');
  labels['regionView'] = ctx.t('map.view.region');
  labels['worldView'] = ctx.t('map.view.world');
  labels['viewLabel'] = ctx.t('map.view.label');
  labels['marker'] = ctx.t('position.js.marker');
  labels['moved'] = ctx.t('position.js.moved');
  labels['before'] = ctx.t('position.js.before');
  return labels;
}

export interface MapPageProps {
  ctx: ViewContext;
  query: ParsedDirectoryQuery;
  taxonomies: Taxonomies;
  departments: Department[];
  totals: { total: number; located: number };
  list: Organisation[];
  countries: { code: string; count: number }[];
  /** The countries the country filter offers: those the set would have with any country chosen. */
  countryChoices: string[];
  tileUrl: string;
  /** [south, west, north, east] of the network's region. */
  bounds: [number, number, number, number];
  /** The clusters of the whole region at the first zoom (GeoJSON): markers show before any request. */
  initialClusters: string;
}

export function MapPage(props: MapPageProps) {
  const { ctx, query, totals } = props;
  const { t } = ctx;
  const f = query.filter;
  const qs = query.canonical ? `?${query.canonical}` : '';
  const any = (key: MessageKey) => ({ value: '', label: t(key) });
  const kinds = props.taxonomies.kinds.map((k) => ({ value: k.code, label: localLabel(k, ctx.locale) }));
  const themes = props.taxonomies.themes.map((k) => ({ value: k.code, label: localLabel(k, ctx.locale) }));
  const offered = new Set([...props.countryChoices, ...f.countries.slice(0, 1)]);
  const countries = listCountries(ctx.locale)
    .filter((c) => offered.has(c.code))
    .map((c) => ({ value: c.code, label: c.name }));
  const departments = props.departments.map((d) => ({ value: d.code, label: `${d.name} (${d.code})` }));
  // Filters the form does not show are kept as they came (zones, SDGs, extra values).
  const kept: [string, string][] = [
    ...f.zones.map((z): [string, string] => ['zone', z]),
    ...f.sdgs.map((s): [string, string] => ['odd', String(s)]),
    ...f.kinds.slice(1).map((v): [string, string] => ['famille', v]),
    ...f.departments.slice(1).map((v): [string, string] => ['departement', v]),
    ...f.themes.slice(1).map((v): [string, string] => ['theme', v]),
    ...f.countries.slice(1).map((v): [string, string] => ['pays', v]),
  ];
  return (
    <Layout ctx={ctx} title={t('map.title')} description={t('map.lead')}>
      <link rel="stylesheet" href="/assets/vendor/leaflet/leaflet.css" />
      <link rel="stylesheet" href="/assets/map.css" />
      <h1 safe>{t('map.title')}</h1>
      <p class="lead" safe>
        {t('map.lead')}
      </p>
      <FilterDisclosure ctx={ctx} active={countActiveFilters([f.q, f.kinds, f.departments, f.themes, f.countries, f.member, f.zones, f.sdgs])}>
        <form method="get" action="/carte" class="filter-bar" role="search" aria-label={t('map.filters')}>
          <Field name="q" label={t('map.filter.q')} value={f.q ?? ''} />
          <Select name="famille" label={t('map.filter.kind')} options={[any('map.filter.allKinds'), ...kinds]} value={f.kinds[0] ?? ''} />
          <Select name="departement" label={t('map.filter.department')} options={[any('map.filter.allDepartments'), ...departments]} value={f.departments[0] ?? ''} />
          <Select name="theme" label={t('map.filter.theme')} options={[any('map.filter.allThemes'), ...themes]} value={f.themes[0] ?? ''} />
          <Select name="pays" label={t('map.filter.country')} options={[any('map.filter.allCountries'), ...countries]} value={f.countries[0] ?? ''} />
          <Select
            name="adherent"
            label={t('map.filter.member')}
            options={[any('map.filter.allMembers'), { value: 'oui', label: t('map.filter.memberYes') }, { value: 'non', label: t('map.filter.memberNo') }]}
            value={f.member === 'yes' ? 'oui' : f.member === 'no' ? 'non' : ''}
          />
          {kept.map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <SubmitButton label={t('map.filter.apply')} variant="secondary" />
        </form>
      </FilterDisclosure>
      <div class="map-summary">
        <p class="result-count" role="status" safe>
          {t('map.count', { total: totals.total, located: numberFormat(ctx.locale).format(totals.located) })}
        </p>
        <p class="map-links">
          <a href={`/annuaire${qs}`} class="map-list-link" safe>
            {t('map.listLink', { total: totals.total })}
          </a>
          {qs ? (
            <a href="/carte" safe>
              {t('map.filter.reset')}
            </a>
          ) : (
            ''
          )}
        </p>
      </div>
      <a href="#liste" class="skip-map" safe>
        {t('map.skipToList')}
      </a>
      <div
        id="carte"
        class="map-canvas"
        role="region"
        aria-label={t('map.region')}
        data-map
        data-tile-url={props.tileUrl}
        data-clusters-url={`/carte/clusters.json${qs}`}
        data-world-url={`/carte/monde.json${qs}`}
        data-bounds={props.bounds.join(',')}
        data-initial-clusters={props.initialClusters}
        data-labels={JSON.stringify(clientLabels(ctx))}
      >
        <p class="map-noscript" safe>
          {t('map.noscript')}
        </p>
      </div>
      <p class="map-status visually-hidden" role="status" aria-live="polite" data-map-status></p>
      <section id="liste" class="section map-list" aria-labelledby="liste-titre" tabindex="-1">
        <h2 id="liste-titre" safe>
          {t('map.listTitle')}
        </h2>
        {props.list.length === 0 ? (
          <p safe>{t('map.listEmpty')}</p>
        ) : (
          <ul class="map-results">
            {props.list.map((o) => (
              <li>
                <a href={`/acteurs/${encodeURIComponent(o.slug)}`} safe>
                  {o.name}
                </a>
                {o.commune_name ? <span class="muted" safe>{` — ${o.commune_name}`}</span> : ''}
              </li>
            ))}
          </ul>
        )}
        {totals.total > props.list.length ? (
          <p>
            <a href={`/annuaire${qs}`} safe>
              {t('map.listMore', { total: totals.total })}
            </a>
          </p>
        ) : (
          ''
        )}
      </section>
      <section class="section" aria-labelledby="pays-titre">
        <h2 id="pays-titre" safe>
          {t('map.countriesTitle')}
        </h2>
        {props.countries.length === 0 ? (
          <p safe>{t('map.countriesEmpty')}</p>
        ) : (
          <div class="table-wrap">
            <table class="map-countries">
              <caption class="visually-hidden" safe>
                {t('map.countriesCaption')}
              </caption>
              <thead>
                <tr>
                  <th scope="col" safe>{t('map.country')}</th>
                  <th scope="col" class="num" safe>{t('map.actors')}</th>
                </tr>
              </thead>
              <tbody>
                {props.countries.map((c) => (
                  <tr>
                    <th scope="row">
                      <a href={`/carte?${withCountry(query.canonical, c.code)}`} safe>
                        {countryName(c.code, ctx.locale)}
                      </a>
                    </th>
                    <td class="num" safe>{String(c.count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <script src="/assets/js/map.js" defer></script>
    </Layout>
  );
}

function withCountry(canonical: string, code: string): string {
  const params = new URLSearchParams(canonical);
  params.delete('pays');
  params.append('pays', code);
  return params.toString();
}

export interface PositionFieldsProps {
  ctx: ViewContext;
  /** What the fields hold (as typed, or formatted for the locale). */
  values: { latitude: string; longitude: string };
  errors: FieldErrors;
  tileUrl: string;
  /** A second, still marker: where the organisation is now, when the fields propose another place. */
  from?: { latitude: number; longitude: number } | null;
  /** Where the map opens when the fields hold no position (e.g. the département's centre). */
  start?: { latitude: number; longitude: number } | null;
  /** The map's accessible name. */
  mapLabel?: string;
}

/**
 * Latitude and longitude fields (the whole thing without JavaScript: comma or point decimals),
 * and a map whose marker follows them and moves them back, by mouse or by the arrow keys.
 */
export function PositionFields({ ctx, values, errors, tileUrl, from, start, mapLabel }: PositionFieldsProps) {
  const { t } = ctx;
  const point = (p: { latitude: number; longitude: number } | null | undefined) => (p ? `${p.latitude},${p.longitude}` : undefined);
  return (
    <div class="two-columns map-position">
      <div>
        <Field name="latitude" label={t('map.position.lat')} hint={t('map.position.latHint')} value={values.latitude} error={errors['latitude']} required />
        <Field name="longitude" label={t('map.position.lng')} hint={t('map.position.lngHint')} value={values.longitude} error={errors['longitude']} required />
        <p class="hint map-drag-hint" hidden data-drag-hint safe>
          {`${t('map.js.dragHint')} ${t('position.keyHint')}`}
        </p>
      </div>
      <div>
        <div
          class="map-canvas map-canvas-small"
          role="region"
          aria-label={mapLabel ?? t('map.position.mapLabel')}
          data-position-map
          data-tile-url={tileUrl}
          data-lat-input="f-latitude"
          data-lng-input="f-longitude"
          data-from={point(from)}
          data-start={point(start)}
          data-labels={JSON.stringify(clientLabels(ctx))}
        ></div>
        <p class="visually-hidden" role="status" aria-live="polite" data-position-status></p>
      </div>
    </div>
  );
}

/** The map's stylesheets and browser module, for a page that holds PositionFields. */
export function PositionAssets() {
  return (
    <>
      <link rel="stylesheet" href="/assets/vendor/leaflet/leaflet.css" />
      <link rel="stylesheet" href="/assets/map.css" />
      <script src="/assets/js/map.js" defer></script>
    </>
  );
}

/** "44,8378, -0,5792 — placée à la main", or "Aucune position connue." */
export function describePosition(ctx: ViewContext, p: { latitude: number | null; longitude: number | null; geo_precision: GeoPrecision | null }): string {
  const { t } = ctx;
  if (p.latitude === null || p.longitude === null) return t('map.position.none');
  const precision = p.geo_precision ? ` — ${t(`map.position.precision.${p.geo_precision}` as MessageKey)}` : '';
  return `${formatCoordinate(p.latitude, ctx.locale)}, ${formatCoordinate(p.longitude, ctx.locale)}${precision}`;
}

export interface PositionPageProps {
  ctx: ViewContext;
  organisation: { id: string; name: string; slug: string; latitude: number | null; longitude: number | null; geo_precision: GeoPrecision | null };
  values: { latitude: string; longitude: string };
  errors: FieldErrors;
  tileUrl: string;
}

export function PositionPage({ ctx, organisation: o, values, errors, tileUrl }: PositionPageProps) {
  const { t } = ctx;
  const title = t('map.position.title', { name: o.name });
  const action = `/admin/organisations/${encodeURIComponent(o.id)}/position`;
  return (
    <Layout ctx={ctx} title={title} area="admin">
      <link rel="stylesheet" href="/assets/vendor/leaflet/leaflet.css" />
      <link rel="stylesheet" href="/assets/map.css" />
      <p class="breadcrumb">
        <a href={`/admin/organisations/${encodeURIComponent(o.id)}`} safe>
          {t('map.position.back')}
        </a>
      </p>
      <h1 safe>{title}</h1>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>
        <strong safe>{t('map.position.current')}</strong>
        {' : '}
        <span safe>{describePosition(ctx, o)}</span>
      </p>
      <Form ctx={ctx} action={action}>
        <input type="hidden" name="action" value="manual" />
        <PositionFields ctx={ctx} values={values} errors={errors} tileUrl={tileUrl} />
        <SubmitButton label={t('map.position.save')} />
      </Form>
      <Form ctx={ctx} action={action}>
        <input type="hidden" name="action" value="auto" />
        <p class="hint" safe>
          {t('map.position.autoHint')}
        </p>
        <SubmitButton label={t('map.position.auto')} variant="secondary" />
      </Form>
      <script src="/assets/js/map.js" defer></script>
    </Layout>
  );
}

export function formatCoordinate(value: number, locale: Locale): string {
  return numberFormat(locale, { maximumFractionDigits: 5, useGrouping: false }).format(value);
}
