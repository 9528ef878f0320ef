import { namerOf } from '../../kernel/audit/index.js';

/** Resources in the journal, by their current title. */
export const resourceNamer = namerOf('resource', 'resources', 'title', (id) => `/admin/ressources/${id}`);
