import type { Kernel } from '../../kernel/http/types.js';
import type { CurrentUser } from '../../kernel/ui/context.js';

/** What the back office use cases need; routes pass the kernel. */
export type AdminDeps = Pick<Kernel, 'db' | 'clock' | 'jobs' | 'mail' | 'config' | 'settings' | 'dbHandle'>;

/** The staff member acting, with the request's address for the audit log. */
export type StaffActor = CurrentUser & { ip?: string };

/** A field's problem as a catalogue key with its parameters; translated by the routes. */
export interface Problem {
  key: import('../../kernel/i18n/index.js').MessageKey;
  params?: Record<string, string | number>;
}

export type Problems = Record<string, Problem>;
