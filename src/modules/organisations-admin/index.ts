import type { FeatureModule } from '../../kernel/module.js';

export const organisationsAdminModule: FeatureModule = {
  name: 'organisations-admin',
};
