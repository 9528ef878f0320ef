import type { FeatureModule } from '../../kernel/module.js';

export const mapModule: FeatureModule = {
  name: 'map',
};
