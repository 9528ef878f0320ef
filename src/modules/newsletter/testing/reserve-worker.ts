// Test support: another worker process reserving send times in the shared rate log.
// Usage: node --import tsx reserve-worker.ts <DATABASE_URL> <json: { batches: [{ count, nowMs }], perSecond, perHour }>
// Prints the reserved times as a JSON array on stdout.
import { createDb } from '../../../kernel/db/create-db.js';
import { reserveSlots } from '../rate.js';

const [url, spec] = process.argv.slice(2);
if (!url || !spec) {
  console.error('usage: reserve-worker.ts <DATABASE_URL> <json>');
  process.exit(2);
}
const { batches, perSecond, perHour } = JSON.parse(spec) as { batches: { count: number; nowMs: number }[]; perSecond: number; perHour: number };
const handle = createDb(url, { poolSize: 2 });
const out: number[] = [];
for (const b of batches) out.push(...(await reserveSlots(handle.db, b.count, { perSecond, perHour }, b.nowMs)));
await handle.close();
process.stdout.write(JSON.stringify(out));
