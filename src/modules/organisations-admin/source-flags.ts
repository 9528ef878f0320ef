import type { Organisation } from '../organisations/index.js';

/**
 * The fields an import kept as written although they failed their check (`source_flags`, a JSON
 * list of field names such as "siret"); a merge carries them with the value they flag.
 */
export function flaggedFields(o: Pick<Organisation, 'source_flags'>): string[] {
  if (!o.source_flags) return [];
  try {
    const list = JSON.parse(o.source_flags) as unknown;
    return Array.isArray(list) ? list.filter((f): f is string => typeof f === 'string') : [];
  } catch {
    return [];
  }
}
