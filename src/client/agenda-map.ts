// The agenda's map view, bundled by esbuild at run time (GET /assets/js/agenda-map.js). It upgrades
// [data-agenda-map]: one marker per placed event (data-points, JSON), each opening a popup with a
// link to the event. Markers are DOM elements, so they show without tiles. The list below the map
// shows the same events for those who do not use it.
import L from 'leaflet';
import { motionOptions } from './motion.js';
import { popupKeyboard } from './popup-keyboard.js';

interface Point {
  lat: number;
  lng: number;
  title: string;
  href: string;
  when: string;
  status: string;
  /** At the département's centre: the place could not be found more precisely. */
  approximate?: boolean;
}

const MAX_ZOOM = 18;
const FRANCE: L.LatLngBoundsExpression = [
  [41.3, -5.2],
  [51.1, 9.6],
];

function parse<T>(raw: string | undefined, fallback: T): T {
  try {
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}

function popupContent(p: Point, open: string, approximate: string | undefined): HTMLElement {
  const box = document.createElement('div');
  const title = document.createElement('p');
  const strong = document.createElement('strong');
  strong.textContent = p.title;
  title.append(strong);
  const when = document.createElement('p');
  when.textContent = p.when;
  const link = document.createElement('a');
  link.href = p.href;
  link.textContent = open;
  box.append(title, when, link);
  if (p.approximate && approximate) {
    const note = document.createElement('p');
    note.className = 'map-popup-note';
    note.textContent = approximate;
    box.append(note);
  }
  return box;
}

function initAgendaMap(el: HTMLElement): void {
  const points = parse<Point[]>(el.dataset['points'], []);
  const labels = parse<Record<string, string>>(el.dataset['labels'], {});
  el.textContent = '';
  el.classList.add('map-ready');
  const map = L.map(el, { ...motionOptions(), maxZoom: MAX_ZOOM, zoomControl: false });
  L.control.zoom({ zoomInTitle: labels['zoomIn'] ?? 'Zoom +', zoomOutTitle: labels['zoomOut'] ?? 'Zoom -' }).addTo(map);
  const tiles = el.dataset['tileUrl'];
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: MAX_ZOOM, attribution: '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>' }).addTo(map);
  }
  const popups = popupKeyboard(el);
  const markers = points.map((p) => {
    const icon = L.divIcon({ className: `map-point agenda-point agenda-point-${p.status}${p.approximate ? ' map-point-approx' : ''}`, html: '', iconSize: [26, 26], iconAnchor: [13, 13] });
    const marker = L.marker([p.lat, p.lng], { icon, title: `${p.title} — ${p.when}`, alt: p.title, keyboard: true });
    marker.bindPopup(() => popupContent(p, labels['open'] ?? 'Voir', labels['approximate']));
    popups.watch(marker, (popup) => {
      const close = popup.getElement()?.querySelector('.leaflet-popup-close-button');
      if (close) close.setAttribute('aria-label', labels['closePopup'] ?? 'Fermer');
      // The popup's link takes the focus, so that Escape and Tab work from it.
      popup.getElement()?.querySelector<HTMLElement>('a[href]:not(.leaflet-popup-close-button)')?.focus();
    });
    return marker.addTo(map);
  });
  if (markers.length) map.fitBounds(L.featureGroup(markers).getBounds().pad(0.2), { maxZoom: 12 });
  else map.fitBounds(FRANCE);
  el.dataset['shown'] = String(markers.length);
}

document.querySelectorAll<HTMLElement>('[data-agenda-map]').forEach(initAgendaMap);
