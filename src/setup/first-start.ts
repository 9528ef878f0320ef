import type { Kernel } from '../kernel/http/types.js';
import { createActiveUser } from '../modules/accounts/index.js';
import { seedDemo } from './demo-seed.js';
import { hasAdmin } from './repo.js';

export interface FirstStartResult {
  admin: { email: string; password: string } | null;
  demoSeeded: boolean;
}

/**
 * On the very first start: the first admin account (password generated, shown once) and, outside
 * production, the demo data. Later starts do nothing; nor does a first start on a database that
 * already has an admin (made with `maillage user:create` before `start`): it is not empty.
 */
export async function firstStart(kernel: Kernel): Promise<FirstStartResult> {
  const settings = await kernel.settings.get();
  if (settings.installedAt) return { admin: null, demoSeeded: false };
  if (await hasAdmin(kernel.db)) {
    await kernel.settings.update({ installedAt: kernel.clock.now().toISOString() });
    return { admin: null, demoSeeded: false };
  }
  const email = kernel.config.adminEmail;
  const { password } = await createActiveUser(kernel, {
    email,
    role: 'admin',
    displayName: 'Administrateur',
    source: 'setup',
  });
  const demoSeeded = kernel.config.nodeEnv !== 'production';
  if (demoSeeded) await seedDemo(kernel);
  await kernel.settings.update({ installedAt: kernel.clock.now().toISOString() });
  return { admin: { email, password }, demoSeeded };
}
