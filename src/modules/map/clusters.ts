import type { Kysely } from 'kysely';
import Supercluster, { type ClusterProperties } from 'supercluster';
import type { Database } from '../../db/schema.js';
import type { Dialect } from '../../kernel/db/create-db.js';
import type { DirectoryFilter } from '../organisations/index.js';
import * as repo from './repo.js';

/** Beyond this zoom supercluster returns single points; the map itself goes to 18. */
export const CLUSTER_MAX_ZOOM = 16;
export const MAP_MAX_ZOOM = 18;

export interface PointProps {
  id: string;
  slug: string;
  name: string;
  kind: string;
  /** Placed at the département's centre: approximate. */
  approx: boolean;
}

export type BBox = [west: number, south: number, east: number, north: number];

export interface Entry {
  stamp: string;
  index: Supercluster<PointProps>;
  total: number;
  located: number;
  /** getClusterExpansionZoom walks down the zooms: computed once per cluster. */
  expansion: Map<number, number>;
  /** The set's organisations per country of intervention, computed once per entry when asked. */
  countries?: Promise<Map<string, number>>;
}

export interface ClusterCacheOptions {
  /** Entries kept (one per distinct filter set). */
  size?: number;
  /** How long a checked fingerprint of the table is trusted (ms); 0 checks on every request. */
  stampTtlMs?: number;
  now?: () => number;
}

/**
 * One supercluster index per distinct filter set (and visibility), least recently used evicted.
 * An entry is rebuilt when the organisations table's fingerprint (count, last update, positions)
 * has changed since it was built; the fingerprint itself is read at most once per `stampTtlMs`.
 */
export class ClusterIndexCache {
  private readonly entries = new Map<string, Entry>();
  private readonly building = new Map<string, Promise<Entry>>();
  private stamp: { value: string; at: number } | null = null;
  private readonly size: number;
  private readonly stampTtlMs: number;
  private readonly now: () => number;
  builds = 0;

  constructor(options: ClusterCacheOptions = {}) {
    this.size = options.size ?? 8;
    this.stampTtlMs = options.stampTtlMs ?? 1000;
    this.now = options.now ?? (() => performance.now());
  }

  /** Forgets the fingerprint: the next request checks the table (after this process moved a marker). */
  invalidate(): void {
    this.stamp = null;
  }

  private refreshing: Promise<void> | null = null;

  /**
   * The table's fingerprint. With a TTL, a stale fingerprint is refreshed in the background and
   * the known one answers meanwhile (the scan never sits in a request's latency); without one, or
   * when none is known yet, it is read now.
   */
  private async currentStamp(db: Kysely<Database>): Promise<string> {
    const now = this.now();
    if (this.stamp && now - this.stamp.at < this.stampTtlMs) return this.stamp.value;
    if (this.stamp && this.stampTtlMs > 0) {
      this.refreshing ??= repo
        .organisationsStamp(db)
        .then((value) => {
          this.stamp = { value, at: this.now() };
        })
        .catch(() => undefined)
        .finally(() => {
          this.refreshing = null;
        });
      return this.stamp.value;
    }
    const value = await repo.organisationsStamp(db);
    this.stamp = { value, at: now };
    return value;
  }

  async get(db: Kysely<Database>, dialect: Dialect, key: string, filter: DirectoryFilter, tokens: string[]): Promise<Entry> {
    const stamp = await this.currentStamp(db);
    const hit = this.entries.get(key);
    if (hit && hit.stamp === stamp) {
      // Most recently used goes last.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const pendingKey = `${key}#${stamp}`;
    let pending = this.building.get(pendingKey);
    if (!pending) {
      pending = this.build(db, dialect, filter, tokens, stamp).finally(() => this.building.delete(pendingKey));
      this.building.set(pendingKey, pending);
    }
    const entry = await pending;
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }

  /**
   * The entry's organisations per country of intervention (the world view, the /carte table): asked
   * for once per entry, so it is as fresh as the clusters and costs nothing on the next page.
   */
  countries(entry: Entry, compute: () => Promise<Map<string, number>>): Promise<Map<string, number>> {
    entry.countries ??= compute().catch((error: unknown) => {
      entry.countries = undefined;
      throw error;
    });
    return entry.countries;
  }

  private async build(db: Kysely<Database>, dialect: Dialect, filter: DirectoryFilter, tokens: string[], stamp: string): Promise<Entry> {
    this.builds++;
    const [points, totals] = await Promise.all([
      repo.locatedOrganisations(db, dialect, filter, tokens),
      repo.filteredTotals(db, dialect, filter, tokens),
    ]);
    const index = new Supercluster<PointProps>({ radius: 60, maxZoom: CLUSTER_MAX_ZOOM, minPoints: 2 });
    index.load(
      points.map((p) => ({
        type: 'Feature' as const,
        geometry: { type: 'Point' as const, coordinates: [p.longitude, p.latitude] },
        properties: { id: p.id, slug: p.slug, name: p.name, kind: p.kind_code, approx: p.geo_precision === 'department' },
      })),
    );
    return { stamp, index, total: totals.total, located: totals.located, expansion: new Map() };
  }
}

const round = (n: number) => Math.round(n * 1e5) / 1e5;

function expansionZoom(entry: Entry, clusterId: number): number {
  let zoom = entry.expansion.get(clusterId);
  if (zoom === undefined) {
    zoom = Math.min(entry.index.getClusterExpansionZoom(clusterId), MAP_MAX_ZOOM);
    entry.expansion.set(clusterId, zoom);
  }
  return zoom;
}

export interface ClusterCollection {
  type: 'FeatureCollection';
  features: unknown[];
  /** Foreign members: the filtered set's size, and how many of it have a position. */
  total: number;
  located: number;
}

/** Clusters and points of the viewport at a zoom, as compact GeoJSON. */
export function clustersIn(entry: Entry, bbox: BBox, zoom: number): ClusterCollection {
  const features = entry.index.getClusters(bbox, zoom).map((f) => {
    const coordinates = [round(f.geometry.coordinates[0]!), round(f.geometry.coordinates[1]!)];
    const p = f.properties as Partial<ClusterProperties> & Partial<PointProps>;
    if (p.cluster) {
      return {
        type: 'Feature',
        geometry: { type: 'Point', coordinates },
        properties: {
          cluster: true,
          id: p.cluster_id,
          count: p.point_count,
          zoom: expansionZoom(entry, p.cluster_id!),
        },
      };
    }
    return {
      type: 'Feature',
      geometry: { type: 'Point', coordinates },
      properties: { name: p.name, slug: p.slug, kind: p.kind, ...(p.approx ? { approx: true } : {}) },
    };
  });
  return { type: 'FeatureCollection', features, total: entry.total, located: entry.located };
}

/** Parses `bbox=west,south,east,north` and `zoom`; null when invalid. */
export function parseViewport(bboxRaw: unknown, zoomRaw: unknown): { bbox: BBox; zoom: number } | { error: 'bbox' | 'zoom' } {
  if (typeof bboxRaw !== 'string') return { error: 'bbox' };
  const parts = bboxRaw.split(',');
  if (parts.length !== 4 || parts.some((p) => p.trim() === '')) return { error: 'bbox' };
  const [west, south, east, north] = parts.map(Number) as [number, number, number, number];
  const lngOk = (v: number) => Number.isFinite(v) && v >= -180 && v <= 180;
  const latOk = (v: number) => Number.isFinite(v) && v >= -90 && v <= 90;
  if (!lngOk(west) || !lngOk(east) || !latOk(south) || !latOk(north) || south > north) return { error: 'bbox' };
  if (typeof zoomRaw !== 'string' || !/^\d{1,2}$/.test(zoomRaw)) return { error: 'zoom' };
  const zoom = Number(zoomRaw);
  if (zoom > MAP_MAX_ZOOM) return { error: 'zoom' };
  return { bbox: [west, south, east, north], zoom };
}
