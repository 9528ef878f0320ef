import { createRequire } from 'node:module';
import type { Topology } from 'topojson-specification';
import { feature } from 'topojson-client';
import countries from 'i18n-iso-countries';
import { countryName } from '../../kernel/geo/countries.js';
import type { Locale } from '../../kernel/i18n/index.js';

const require = createRequire(import.meta.url);

interface WorldShape {
  /** ISO 3166-1 alpha-2, or null for the few shapes without one (Somaliland, N. Cyprus…). */
  code: string | null;
  atlasName: string;
  /** The geometry as JSON, coordinates rounded to 0.01° (about 1 km: plenty for a world view). */
  geometry: string;
}

let shapes: WorldShape[] | null = null;

/** The countries of world-atlas's 50m file (small island states included), loaded once. */
function worldShapes(): WorldShape[] {
  if (shapes) return shapes;
  const topology = require('world-atlas/countries-50m.json') as Topology;
  const collection = feature(topology, topology.objects['countries']!) as GeoJSON.FeatureCollection<GeoJSON.Geometry, { name?: string }>;
  shapes = collection.features.map((f) => ({
    code: f.id === undefined ? null : (countries.numericToAlpha2(String(f.id)) ?? null),
    atlasName: f.properties?.name ?? '',
    geometry: JSON.stringify(f.geometry, (_key, value: unknown) => (typeof value === 'number' ? Math.round(value * 100) / 100 : value)),
  }));
  return shapes;
}

/**
 * The world as GeoJSON, each country carrying the number of organisations of the filtered set
 * working there (`count`), its code and its name in the locale. Built by string concatenation:
 * the geometries are serialised once per process.
 */
export function worldGeoJson(counts: Map<string, number>, locale: Locale): string {
  const parts = worldShapes().map((s) => {
    const properties = { code: s.code, name: s.code ? countryName(s.code, locale) : s.atlasName, count: s.code ? (counts.get(s.code) ?? 0) : 0 };
    return `{"type":"Feature","properties":${JSON.stringify(properties)},"geometry":${s.geometry}}`;
  });
  return `{"type":"FeatureCollection","features":[${parts.join(',')}]}`;
}
