import type L from 'leaflet';

/** Leaflet's fades and zoom animations, off for people whose system asks for less motion (WCAG 2.3.3). */
export function motionOptions(): Pick<L.MapOptions, 'fadeAnimation' | 'zoomAnimation' | 'markerZoomAnimation'> {
  const reduce = typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  return reduce ? { fadeAnimation: false, zoomAnimation: false, markerZoomAnimation: false } : {};
}
