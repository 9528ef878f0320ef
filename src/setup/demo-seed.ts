import type { Kernel } from '../kernel/http/types.js';
import { createActiveUser } from '../modules/accounts/index.js';
import { deleteDemoRecords, hasDemoRecords } from './repo.js';

export const DEMO_SOURCE = 'demo';

/** Refusal worded for the person at the terminal. */
export class DemoSeedError extends Error {
  override name = 'DemoSeedError';
}

const DEMO_ACCOUNTS = [
  { email: 'camille.martin@demo.maillage.org', displayName: 'Camille Martin', role: 'staff' as const },
  { email: 'awa.diallo@demo.maillage.org', displayName: 'Awa Diallo', role: 'member' as const },
  { email: 'julien.etcheverry@demo.maillage.org', displayName: 'Julien Etcheverry', role: 'member' as const },
];

/** Demo records, every one with source = 'demo'. Idempotent: a second run adds nothing. */
export async function seedDemo(kernel: Kernel): Promise<number> {
  if (kernel.config.nodeEnv === 'production') throw new DemoSeedError('Pas de données de démonstration en production (NODE_ENV=production).');
  if (await hasDemoRecords(kernel.db)) return 0;
  for (const account of DEMO_ACCOUNTS) {
    await createActiveUser(kernel, { ...account, source: DEMO_SOURCE });
  }
  return DEMO_ACCOUNTS.length;
}

/** Removes every demo record before real data goes in. */
export async function purgeDemo(kernel: Kernel): Promise<number> {
  return deleteDemoRecords(kernel.db);
}
