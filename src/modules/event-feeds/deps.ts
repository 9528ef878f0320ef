import type { Kernel } from '../../kernel/http/types.js';
import { proposeEvent } from '../events/index.js';
import type { FeedDeps } from './sync.js';

/**
 * The feed use cases' dependencies, wired from the kernel. Feed items go through the events
 * module's `proposeEvent`: validated, and a known feed + UID becomes a change of the imported event.
 */
export function feedDeps(kernel: Kernel): FeedDeps {
  return {
    db: kernel.db,
    clock: kernel.clock,
    logger: kernel.logger,
    allowlist: kernel.config.fetchAllowlist,
    proposerEmail: kernel.config.mailFrom.replace(/^.*<([^>]+)>.*$/, '$1'),
    proposeEvent: async (values, proposer) => {
      const result = await proposeEvent(kernel, values, proposer);
      return { proposalId: result.proposalId };
    },
  };
}
