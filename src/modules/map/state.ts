import type { Geocoder } from '../../kernel/geo/geocoder.js';
import { sharedGeocoder } from '../../kernel/geo/locate-place.js';
import type { Kernel } from '../../kernel/http/types.js';
import { ClusterIndexCache } from './clusters.js';

const caches = new WeakMap<Kernel, ClusterIndexCache>();

/**
 * The cluster indexes of one kernel (one app). In tests every request checks the table's
 * fingerprint; elsewhere it is trusted for a second.
 */
export function clusterCacheOf(kernel: Kernel): ClusterIndexCache {
  let cache = caches.get(kernel);
  if (!cache) {
    cache = new ClusterIndexCache({ stampTtlMs: kernel.config.nodeEnv === 'test' ? 0 : 1000 });
    caches.set(kernel, cache);
  }
  return cache;
}

/** The geocoder client of one kernel, shared with the events' geocoding: one circuit breaker sees every geocoding of the process. */
export function geocoderOf(kernel: Kernel): Geocoder {
  return sharedGeocoder(kernel, { geocoderUrl: kernel.config.geocoderUrl, clock: kernel.clock });
}
