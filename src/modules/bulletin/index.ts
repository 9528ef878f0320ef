import type { FeatureModule } from '../../kernel/module.js';
import { registerBlocksFreezer } from '../newsletter/index.js';
import { registerBulletinBlocks } from './block-types.js';
import { resolveBlocks } from './resolve.js';
import { bulletinRoutes } from './routes.js';

export { BULLETIN_TYPES, type BulletinType, type BulletinBlock, type BulletinItem } from './block-shapes.js';
/** Resolving blocks from the site's content (also registered as the newsletter's send-start freezer). */
export { resolveBlocks } from './resolve.js';
export { createMonthlyBulletin } from './monthly.js';

// The bulletin's block types join the newsletter's registry as soon as the module is loaded, and
// its automatic blocks are resolved again when a send starts (what is sent is what the site holds).
registerBulletinBlocks();
registerBlocksFreezer(async (env, blocks) => (await resolveBlocks(env, blocks)).blocks);

/**
 * The monthly bulletin (issue 7): block types made from the site's content (editorial, news,
 * events, calls, watch, resources, members' news), the « new monthly bulletin » template, and the
 * block editor of mailings (edit, reorder, add, remove; preview).
 */
export const bulletinModule: FeatureModule = {
  name: 'bulletin',
  routes: bulletinRoutes,
};
