import type { FeatureModule } from '../../kernel/module.js';

export const moderationModule: FeatureModule = {
  name: 'moderation',
};
