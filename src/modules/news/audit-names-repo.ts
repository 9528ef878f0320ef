import { namerOf } from '../../kernel/audit/index.js';
import { NEWS_ADMIN } from './views-admin.js';

/** Articles in the journal, by their current title. */
export const newsNamer = namerOf('news', 'news_articles', 'title', (id) => `${NEWS_ADMIN}/${id}`);
