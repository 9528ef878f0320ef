import { namerOf } from '../../kernel/audit/index.js';

/** Calls for projects in the journal, by their current title. */
export const callNamer = namerOf('call', 'calls', 'title', (id) => `/admin/appels-a-projets/${id}`);
