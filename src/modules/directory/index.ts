import type { FeatureModule } from '../../kernel/module.js';

export const directoryModule: FeatureModule = {
  name: 'directory',
};
