// The records a page of the journal mentions, named by the modules that own them (FeatureModule.auditEntities).
import type { Kernel } from '../http/types.js';
import type { Locale } from '../i18n/index.js';
import type { AuditEntityName } from '../module.js';

/** The current name of an entry's record; undefined when it no longer exists or nothing names its type. */
export type AuditNameOf = (entry: { entity_type: string; entity_id: string | null }) => AuditEntityName | undefined;

/**
 * Names the records of `entries` with one query per entity type, run in parallel. A namer that
 * fails is logged and its records keep their type and short id: the journal still shows.
 */
export async function auditEntityNames(kernel: Kernel, entries: readonly { entity_type: string; entity_id: string | null }[], locale: Locale): Promise<AuditNameOf> {
  const idsByType = new Map<string, Set<string>>();
  for (const entry of entries) {
    if (!entry.entity_id) continue;
    const ids = idsByType.get(entry.entity_type) ?? new Set<string>();
    ids.add(entry.entity_id);
    idsByType.set(entry.entity_type, ids);
  }
  const found = new Map<string, Map<string, AuditEntityName>>();
  await Promise.all(
    kernel.auditEntities
      .filter((namer) => idsByType.has(namer.type))
      .map(async (namer) => {
        try {
          found.set(namer.type, await namer.names(kernel, [...idsByType.get(namer.type)!], locale));
        } catch (error) {
          kernel.logger.error({ err: error, entityType: namer.type }, 'journal: naming the records failed');
        }
      }),
  );
  return (entry) => (entry.entity_id ? found.get(entry.entity_type)?.get(entry.entity_id) : undefined);
}
