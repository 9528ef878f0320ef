// The map module, bundled by esbuild at run time (GET /assets/js/map.js). It upgrades:
// - [data-map]: the /carte map, fed by server-side clusters (/carte/clusters.json) and the world
//   choropleth (/carte/monde.json); markers are DOM elements, so they show without tiles;
// - [data-mini-map]: a small map with one marker (data-lat, data-lng, data-label, data-approximate,
//   data-tile-url), still until the visitor enables it;
// - [data-position-map]: a marker tied to latitude/longitude inputs, moved by mouse or arrow keys
//   (staff placing an organisation, members proposing a move, staff reviewing it beside data-from).
import L from 'leaflet';
import { popupKeyboard } from './popup-keyboard.js';
import { choosePlurals } from '../kernel/i18n/plural.js';
import { motionOptions } from './motion.js';

type Labels = Record<string, string>;

const MAX_ZOOM = 18;
/** Beyond the server's last clustering zoom, points at the same place are spread on a circle. */
const CLUSTER_MAX_ZOOM = 16;

function labelsOf(el: HTMLElement): Labels {
  try {
    return JSON.parse(el.dataset['labels'] ?? '{}') as Labels;
  } catch {
    return {};
  }
}

/** A catalogue message with its parameters, as the server's translator does: numbers in the page's language, plural branches chosen by its rules. */
function format(template: string | undefined, params: Record<string, string | number>): string {
  const locale = document.documentElement.lang || 'fr';
  const rules = new Intl.PluralRules(locale);
  const numbers = new Intl.NumberFormat(locale);
  const text = (value: string | number) => (typeof value === 'number' ? numbers.format(value) : value);
  return choosePlurals(template ?? '', params, (value) => typeof value === 'number' && rules.select(value) === 'one', (value) => numbers.format(value))
    .replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? text(params[name]!) : whole));
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

function tileLayer(url: string | undefined): L.TileLayer | null {
  if (!url) return null;
  return L.tileLayer(url, {
    maxZoom: MAX_ZOOM,
    attribution: '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
  });
}

function zoomControl(labels: Labels): L.Control.Zoom {
  return L.control.zoom({ zoomInTitle: labels['zoomIn'] ?? 'Zoom +', zoomOutTitle: labels['zoomOut'] ?? 'Zoom -' });
}

/** Leaflet's popup close button is labelled in English: relabel it in the page's language. */
function relabelPopup(popup: L.Popup, labels: Labels): void {
  const close = popup.getElement()?.querySelector('.leaflet-popup-close-button');
  if (close) close.setAttribute('aria-label', labels['closePopup'] ?? 'Fermer');
}

/** Bounding box of the view for the server: longitudes folded into −180…180. */
function viewBox(map: L.Map): string {
  const b = map.getBounds();
  let west = b.getWest();
  let east = b.getEast();
  if (east - west >= 360) {
    west = -180;
    east = 180;
  } else {
    const wrap = (lng: number) => ((((lng + 180) % 360) + 360) % 360) - 180;
    west = wrap(west);
    east = wrap(east);
    if (east === -180) east = 180;
  }
  const south = Math.max(-90, b.getSouth());
  const north = Math.min(90, b.getNorth());
  return [west, south, east, north].map((v) => v.toFixed(5)).join(',');
}

interface ClusterFeature {
  geometry: { coordinates: [number, number] };
  properties: { cluster?: true; id?: number; count?: number; zoom?: number; name?: string; slug?: string; kind?: string; approx?: boolean };
}

interface WorldFeature {
  properties: { code: string | null; name: string; count: number };
}

const WORLD_CLASSES = [
  { min: 1, colour: '#c6dbef' },
  { min: 2, colour: '#6baed6' },
  { min: 5, colour: '#2171b5' },
  { min: 10, colour: '#08306b' },
];

function worldColour(count: number): string {
  let colour = '#f4f1ea';
  for (const c of WORLD_CLASSES) if (count >= c.min) colour = c.colour;
  return colour;
}

function clusterSize(count: number): string {
  if (count >= 1000) return 'l';
  if (count >= 100) return 'm';
  return 's';
}

function initMainMap(el: HTMLElement): void {
  const labels = labelsOf(el);
  el.textContent = '';
  el.classList.add('map-ready');
  const status = document.querySelector<HTMLElement>('[data-map-status]');
  const say = (text: string) => {
    if (status) status.textContent = text;
  };

  const map = L.map(el, { ...motionOptions(), maxZoom: MAX_ZOOM, zoomControl: false, worldCopyJump: true });
  zoomControl(labels).addTo(map);
  const outlinePane = map.createPane('outlines');
  outlinePane.style.zIndex = '150';
  tileLayer(el.dataset['tileUrl'])?.addTo(map);

  const [south, west, north, east] = (el.dataset['bounds'] ?? '41.3,-5.2,51.1,9.6').split(',').map(Number) as [number, number, number, number];
  const regionBounds = L.latLngBounds([south, west], [north, east]);
  map.fitBounds(regionBounds);

  const markers = L.layerGroup().addTo(map);
  let outlines: L.GeoJSON | null = null;
  let choropleth: L.GeoJSON | null = null;
  let legend: L.Control | null = null;
  let view: 'region' | 'world' = 'region';
  let pending: AbortController | null = null;
  /** A cluster was opened by keyboard: once its content is drawn, focus goes back to the map. */
  let refocus = false;
  const popups = popupKeyboard(el);

  const clustersUrl = el.dataset['clustersUrl'] ?? '/carte/clusters.json';
  const separator = clustersUrl.includes('?') ? '&' : '?';

  function pointMarker(f: ClusterFeature, latlng: L.LatLng): L.Marker {
    const p = f.properties;
    const name = p.name ?? '';
    const icon = L.divIcon({
      className: p.approx ? 'map-point map-point-approx' : 'map-point',
      html: '',
      iconSize: [26, 26],
      iconAnchor: [13, 13],
      popupAnchor: [0, -10],
    });
    const marker = L.marker(latlng, { icon, keyboard: true, title: name, riseOnHover: true });
    marker.on('add', () => marker.getElement()?.setAttribute('aria-label', format(labels['point'], { name })));
    const content = element('div', 'map-popup');
    const link = element('a', undefined, name);
    link.href = `/acteurs/${encodeURIComponent(p.slug ?? '')}`;
    content.append(link);
    if (p.approx) content.append(element('p', 'map-popup-note', labels['approximate'] ?? ''));
    marker.bindPopup(content, { autoPanPadding: [24, 24] });
    popups.watch(marker, (popup) => {
      relabelPopup(popup, labels);
      link.focus();
    });
    marker.on('keypress', (e) => {
      const key = (e as L.LeafletKeyboardEvent).originalEvent;
      if (key.key !== ' ') return;
      key.preventDefault();
      marker.openPopup();
    });
    return marker;
  }

  function clusterMarker(f: ClusterFeature, latlng: L.LatLng): L.Marker {
    const count = f.properties.count ?? 0;
    const html = element('span', 'map-cluster-count', count >= 10000 ? `${Math.round(count / 1000)}k` : String(count));
    const icon = L.divIcon({ className: `map-cluster map-cluster-${clusterSize(count)}`, html: html.outerHTML, iconSize: [44, 44] });
    const marker = L.marker(latlng, { icon, keyboard: true, title: format(labels['cluster'], { count }) });
    marker.on('add', () => marker.getElement()?.setAttribute('aria-label', format(labels['cluster'], { count })));
    const zoomIn = () => {
      const target = Math.min(Math.max(f.properties.zoom ?? map.getZoom() + 2, map.getZoom() + 1), MAX_ZOOM);
      map.setView(latlng, target);
    };
    marker.on('click', zoomIn);
    // A role=button answers Enter and Space; the markers it is replaced by come next in the Tab order.
    marker.on('keypress', (e) => {
      const key = (e as L.LeafletKeyboardEvent).originalEvent;
      if (key.key !== 'Enter' && key.key !== ' ') return;
      key.preventDefault();
      refocus = true;
      zoomIn();
    });
    return marker;
  }

  function render(features: ClusterFeature[]): void {
    markers.clearLayers();
    // Points sharing a position (same address, or a département's centre) are spread apart.
    const spread = map.getZoom() > CLUSTER_MAX_ZOOM;
    const groups = new Map<string, ClusterFeature[]>();
    for (const f of features) {
      const key = f.geometry.coordinates.join(',');
      const list = groups.get(key) ?? [];
      list.push(f);
      groups.set(key, list);
    }
    let shown = 0;
    for (const group of groups.values()) {
      group.forEach((f, i) => {
        const [lng, lat] = f.geometry.coordinates;
        let latlng = L.latLng(lat, lng);
        if (spread && group.length > 1 && !f.properties.cluster) {
          const centre = map.project(latlng);
          const angle = (2 * Math.PI * i) / group.length;
          const radius = 18 + 3 * group.length;
          latlng = map.unproject(centre.add(L.point(Math.cos(angle) * radius, Math.sin(angle) * radius)));
        }
        markers.addLayer(f.properties.cluster ? clusterMarker(f, latlng) : pointMarker(f, latlng));
        shown += f.properties.cluster ? (f.properties.count ?? 0) : 1;
      });
    }
    el.dataset['shown'] = String(shown);
    el.dataset['zoom'] = String(map.getZoom());
    if (refocus) {
      refocus = false;
      el.focus({ preventScroll: true });
    }
    say(format(labels['shown'], { count: shown }));
  }

  async function load(): Promise<void> {
    if (view !== 'region') return;
    pending?.abort();
    const controller = new AbortController();
    pending = controller;
    el.setAttribute('aria-busy', 'true');
    try {
      const url = `${clustersUrl}${separator}bbox=${viewBox(map)}&zoom=${Math.round(map.getZoom())}`;
      const response = await fetch(url, { signal: controller.signal, headers: { accept: 'application/geo+json' } });
      if (!response.ok) throw new Error(String(response.status));
      const data = (await response.json()) as { features: ClusterFeature[] };
      if (controller.signal.aborted) return;
      render(data.features);
    } catch (error) {
      if (!controller.signal.aborted) say(labels['failed'] ?? '');
      void error;
    } finally {
      if (pending === controller) {
        pending = null;
        el.removeAttribute('aria-busy');
      }
    }
  }

  let world: Promise<{ features: WorldFeature[] } | null> | null = null;
  function worldData() {
    world ??= fetch(el.dataset['worldUrl'] ?? '/carte/monde.json')
      .then((r) => (r.ok ? (r.json() as Promise<{ features: WorldFeature[] }>) : null))
      .catch(() => null);
    return world;
  }

  // Country outlines under the markers: the map keeps its bearings when tiles cannot load. Asked
  // for once the first markers are drawn, so that the large world file never delays them.
  function loadOutlines(): void {
    void worldData().then((data) => {
      if (!data || outlines) return;
      outlines = L.geoJSON(data as unknown as GeoJSON.FeatureCollection, {
        pane: 'outlines',
        interactive: false,
        style: { color: '#8a94a0', weight: 1, fillColor: '#f4f1ea', fillOpacity: 1 },
      });
      if (view === 'region') outlines.addTo(map);
    });
  }

  function worldLegend(): L.Control {
    const control = new L.Control({ position: 'bottomleft' });
    control.onAdd = () => {
      const box = element('div', 'map-legend');
      box.append(element('p', 'map-legend-title', labels['legend'] ?? ''));
      const list = element('ul');
      const rows: [string, string][] = [
        [worldColour(0), labels['noActors'] ?? '0'],
        [WORLD_CLASSES[0]!.colour, '1'],
        [WORLD_CLASSES[1]!.colour, '2–4'],
        [WORLD_CLASSES[2]!.colour, '5–9'],
        [WORLD_CLASSES[3]!.colour, '10+'],
      ];
      for (const [colour, text] of rows) {
        const item = element('li');
        const swatch = element('span', 'map-legend-swatch');
        swatch.style.background = colour;
        item.append(swatch, document.createTextNode(text));
        list.append(item);
      }
      box.append(list);
      return box;
    };
    return control;
  }

  async function showWorld(): Promise<void> {
    view = 'world';
    pending?.abort();
    markers.clearLayers();
    outlines?.remove();
    map.setView([20, 10], 2);
    const data = await worldData();
    if (!data || view !== 'world') return;
    choropleth ??= L.geoJSON(data as unknown as GeoJSON.FeatureCollection, {
      style: (feature) => {
        const count = (feature?.properties as WorldFeature['properties'] | undefined)?.count ?? 0;
        return { color: '#5b6470', weight: 0.6, fillColor: worldColour(count), fillOpacity: 1 };
      },
      onEachFeature: (feature, layer) => {
        const p = feature.properties as WorldFeature['properties'];
        layer.bindTooltip(format(labels['countryCount'], { name: p.name, count: p.count }), { sticky: true });
      },
    });
    choropleth.addTo(map);
    legend ??= worldLegend();
    legend.addTo(map);
    el.dataset['view'] = 'world';
  }

  function showRegion(): void {
    view = 'region';
    choropleth?.remove();
    legend?.remove();
    outlines?.addTo(map);
    el.dataset['view'] = 'region';
    map.fitBounds(regionBounds);
    void load();
  }

  // The view switch: two toggle buttons above the map (built here: without JS there is no map).
  const toolbar = element('div', 'map-views');
  toolbar.setAttribute('role', 'group');
  toolbar.setAttribute('aria-label', labels['viewLabel'] ?? '');
  const regionButton = element('button', 'button button-small map-view-button', labels['regionView'] ?? '');
  const worldButton = element('button', 'button button-small map-view-button', labels['worldView'] ?? '');
  for (const b of [regionButton, worldButton]) b.type = 'button';
  regionButton.dataset['mapView'] = 'region';
  worldButton.dataset['mapView'] = 'world';
  const press = (which: 'region' | 'world') => {
    regionButton.setAttribute('aria-pressed', String(which === 'region'));
    worldButton.setAttribute('aria-pressed', String(which === 'world'));
  };
  press('region');
  regionButton.addEventListener('click', () => {
    if (view === 'region') return;
    press('region');
    showRegion();
  });
  worldButton.addEventListener('click', () => {
    if (view === 'world') return;
    press('world');
    void showWorld();
  });
  toolbar.append(regionButton, worldButton);
  el.before(toolbar);

  el.dataset['view'] = 'region';
  // The page carries the region's clusters: markers show at once, then the viewport's replace them.
  const initial = el.dataset['initialClusters'];
  if (initial) render((JSON.parse(initial) as { features: ClusterFeature[] }).features);
  map.on('moveend', () => void load());
  void load().finally(loadOutlines);
}

function initMiniMap(el: HTMLElement): void {
  const lat = Number(el.dataset['lat']);
  const lng = Number(el.dataset['lng']);
  if (!Number.isFinite(lat) || !Number.isFinite(lng)) return;
  const approximate = el.dataset['approximate'] === 'true' || el.dataset['approximate'] === '1';
  const labels = labelsOf(el);
  el.classList.add('map-ready', 'map-mini');
  const still = {
    dragging: false,
    touchZoom: false,
    scrollWheelZoom: false,
    doubleClickZoom: false,
    boxZoom: false,
    keyboard: false,
  };
  const map = L.map(el, { ...motionOptions(), maxZoom: MAX_ZOOM, zoomControl: false, ...still });
  tileLayer(el.dataset['tileUrl'])?.addTo(map);
  const centre = L.latLng(lat, lng);
  map.setView(centre, approximate ? 9 : 15);
  if (approximate) L.circle(centre, { radius: 15000, color: '#00585f', weight: 1, fillOpacity: 0.1, interactive: false }).addTo(map);
  const icon = L.divIcon({ className: approximate ? 'map-point map-point-approx' : 'map-point', html: '', iconSize: [26, 26], iconAnchor: [13, 13] });
  L.marker(centre, { icon, interactive: false, keyboard: false, title: el.dataset['label'] ?? '' }).addTo(map);
  // Still until asked: a page scrolled past it is not caught by the map.
  const activate = element('button', 'button button-small map-activate', labels['activate'] ?? 'Activer la carte');
  activate.type = 'button';
  activate.addEventListener('click', () => {
    map.dragging.enable();
    map.touchZoom.enable();
    map.scrollWheelZoom.enable();
    map.doubleClickZoom.enable();
    map.boxZoom.enable();
    map.keyboard.enable();
    zoomControl(labels).addTo(map);
    activate.remove();
    el.focus();
  });
  el.after(activate);
}

function pointOf(raw: string | undefined): L.LatLng | null {
  const [lat, lng] = (raw ?? '').split(',').map(Number);
  return lat !== undefined && lng !== undefined && raw && Number.isFinite(lat) && Number.isFinite(lng) ? L.latLng(lat, lng) : null;
}

/** Pixels moved by one press of an arrow key (Shift: a big step). */
const KEY_STEP = 10;
const KEY_BIG_STEP = 60;
const KEY_MOVES: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

function initPositionMap(el: HTMLElement): void {
  const latInput = document.getElementById(el.dataset['latInput'] ?? '') as HTMLInputElement | null;
  const lngInput = document.getElementById(el.dataset['lngInput'] ?? '') as HTMLInputElement | null;
  if (!latInput || !lngInput) return;
  const labels = labelsOf(el);
  const status = el.parentElement?.querySelector<HTMLElement>('[data-position-status]') ?? null;
  el.classList.add('map-ready');
  const read = (input: HTMLInputElement, limit: number) => {
    const v = Number(input.value.trim().replace(/\s+/g, '').replace(',', '.').replace(/^\u2212/, '-'));
    return input.value.trim() !== '' && Number.isFinite(v) && Math.abs(v) <= limit ? v : null;
  };
  const lat = read(latInput, 90);
  const lng = read(lngInput, 180);
  const from = pointOf(el.dataset['from']);
  const fallback = pointOf(el.dataset['start']);
  const map = L.map(el, { ...motionOptions(), maxZoom: MAX_ZOOM, zoomControl: false });
  zoomControl(labels).addTo(map);
  tileLayer(el.dataset['tileUrl'])?.addTo(map);
  const placed = lat !== null && lng !== null;
  const start = placed ? L.latLng(lat, lng) : (from ?? fallback ?? L.latLng(46.6, 2.4));
  map.setView(start, placed || from ? 15 : fallback ? 10 : 5);

  // Where the organisation is now, when the fields propose another place (staff review).
  let line: L.Polyline | null = null;
  if (from) {
    const beforeIcon = L.divIcon({ className: 'map-point map-point-before', html: '', iconSize: [24, 24], iconAnchor: [12, 12] });
    L.marker(from, { icon: beforeIcon, interactive: false, keyboard: false, title: labels['before'] ?? '' }).addTo(map);
    line = L.polyline([from, start], { color: '#1d2330', weight: 2, dashArray: '6 6', interactive: false }).addTo(map);
    if (!from.equals(start)) map.fitBounds(L.latLngBounds([from, start]), { padding: [40, 40], maxZoom: 16 });
  }

  const icon = L.divIcon({ className: 'map-point map-point-drag', html: '', iconSize: [30, 30], iconAnchor: [15, 15] });
  const marker = L.marker(start, { icon, draggable: true, keyboard: true, title: labels['dragHint'] ?? '' }).addTo(map);
  const decimals = (v: number) => String(Math.round(v * 1e5) / 1e5).replace('.', document.documentElement.lang === 'en' ? '.' : ',');
  const describe = () => {
    const p = marker.getLatLng();
    marker.getElement()?.setAttribute('aria-label', format(labels['marker'], { lat: decimals(p.lat), lng: decimals(p.lng) }));
    line?.setLatLngs([from!, p]);
  };
  describe();
  /** The marker moved (dragged or by the keyboard): the fields follow. */
  const moved = (announce: boolean) => {
    const p = marker.getLatLng().wrap();
    latInput.value = decimals(p.lat);
    lngInput.value = decimals(p.lng);
    describe();
    if (announce && status) status.textContent = format(labels['moved'], { lat: latInput.value, lng: lngInput.value });
  };
  marker.on('drag', describe);
  marker.on('dragend', () => moved(true));
  marker.getElement()?.addEventListener('keydown', (event) => {
    const move = KEY_MOVES[event.key];
    if (!move) return;
    // The marker, not the map, moves (Leaflet pans the map with the arrows when it has the focus).
    event.preventDefault();
    event.stopPropagation();
    const step = event.shiftKey ? KEY_BIG_STEP : KEY_STEP;
    const target = map.containerPointToLatLng(map.latLngToContainerPoint(marker.getLatLng()).add([move[0] * step, move[1] * step]));
    marker.setLatLng(L.latLng(Math.max(-90, Math.min(90, target.lat)), target.lng));
    map.panInside(marker.getLatLng(), { padding: [30, 30] });
    moved(true);
  });
  const follow = () => {
    const a = read(latInput, 90);
    const b = read(lngInput, 180);
    if (a !== null && b !== null) {
      marker.setLatLng([a, b]);
      map.panTo([a, b]);
      describe();
    }
  };
  latInput.addEventListener('change', follow);
  lngInput.addEventListener('change', follow);
  document.querySelectorAll<HTMLElement>('[data-drag-hint]').forEach((hint) => (hint.hidden = false));
}

function start(): void {
  document.querySelectorAll<HTMLElement>('[data-map]').forEach(initMainMap);
  document.querySelectorAll<HTMLElement>('[data-mini-map]').forEach(initMiniMap);
  document.querySelectorAll<HTMLElement>('[data-position-map]').forEach(initPositionMap);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
