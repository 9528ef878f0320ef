import { namerOf } from '../../kernel/audit/index.js';
import { PAGES_ADMIN } from './views-admin.js';

/** Editable pages in the journal, by their current title. */
export const pageNamer = namerOf('page', 'pages', 'title', (id) => `${PAGES_ADMIN}/${id}`);
