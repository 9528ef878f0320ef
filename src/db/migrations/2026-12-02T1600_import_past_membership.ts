import type { Kysely } from 'kysely';

// Before 2026-12-02, a member column naming a past year (« Adhérent 2016 ») made every « oui »
// a current member of the network, as well as recording that year's membership. Now such a
// column records the membership only, unless staff choose otherwise at mapping. This migration
// corrects what those older imports wrote, and only where nobody has touched the record since:
// organisations of batches whose mapping names a year before the batch's own, with no choice
// recorded, still as imported (updated_at = created_at), holding that year's membership.

interface PastYearBatch {
  id: string;
  year: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
async function pastYearBatches(db: Kysely<any>): Promise<PastYearBatch[]> {
  const batches: { id: string; mapping: unknown; created_at: unknown }[] = await db
    .selectFrom('import_batches')
    .select(['id', 'mapping', 'created_at'])
    .where('mapping', 'is not', null)
    .execute();
  const found: PastYearBatch[] = [];
  for (const batch of batches) {
    let mapping: { membershipYear?: unknown; membershipCurrent?: unknown };
    try {
      mapping = typeof batch.mapping === 'string' ? JSON.parse(batch.mapping) : (batch.mapping as typeof mapping);
    } catch {
      continue;
    }
    const year = mapping?.membershipYear;
    if (typeof year !== 'number' || typeof mapping.membershipCurrent === 'boolean') continue;
    const importedIn = new Date(batch.created_at as string | Date).getUTCFullYear();
    if (year < importedIn) found.push({ id: batch.id, year });
  }
  return found;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
async function setMember(db: Kysely<any>, from: 0 | 1, to: 0 | 1): Promise<void> {
  for (const batch of await pastYearBatches(db)) {
    await db
      .updateTable('organisations as o')
      .set({ is_member: to })
      .where('o.import_batch_id', '=', batch.id)
      .where('o.is_member', '=', from)
      .whereRef('o.updated_at', '=', 'o.created_at')
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('memberships as m')
            .select('m.id')
            .whereRef('m.organisation_id', '=', 'o.id')
            .where('m.year', '=', batch.year),
        ),
      )
      .execute();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await setMember(db, 1, 0);
}

// Those organisations were all current members before `up`: their column said yes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  await setMember(db, 0, 1);
}
