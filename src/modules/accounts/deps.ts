import type { Kernel } from '../../kernel/http/types.js';

/** What the accounts use cases need; the routes pass the kernel, tests may pass their own. */
export type AccountsDeps = Pick<Kernel, 'db' | 'clock' | 'mail' | 'config' | 'settings'>;

export interface Actor {
  id: string;
  email: string;
  ip?: string | null;
}
