import type { FastifyPluginAsync } from 'fastify';
import type { Kernel } from './http/types.js';
import type { Jobs } from './jobs/index.js';
import type { MemberCard, NavItem } from './ui/context.js';

/** What a feature module offers the application; listed in src/modules/index.ts. */
export interface FeatureModule {
  name: string;
  routes?: FastifyPluginAsync;
  /** Job definitions and periodic schedules; run in the web process or in `maillage worker`. */
  jobs?: (jobs: Jobs, kernel: Kernel) => void;
  publicNav?: NavItem[];
  adminNav?: NavItem[];
  /** Cards on the member space's home page. */
  memberCards?: MemberCard[];
}
