import { namerOf } from '../../kernel/audit/index.js';
import { ADMIN_BASE } from './views-admin.js';

/** Watch sources in the journal, by their current name. */
export const sourceNamer = namerOf('watch_source', 'watch_sources', 'name', (id) => `${ADMIN_BASE}/sources/${id}`);

/** Watch items in the journal, by their title. */
export const itemNamer = namerOf('watch_item', 'watch_items', 'title', (id) => `${ADMIN_BASE}/elements/${id}`);

/** Watch rules in the journal, by their keyword; they have no page of their own, only the list of rules. */
export const ruleNamer = namerOf('watch_rule', 'watch_rules', 'keyword', () => `${ADMIN_BASE}/regles`);
