import type { FeatureModule } from '../kernel/module.js';
import { accountsModule } from './accounts/index.js';
import { auditModule } from './audit/index.js';
import { backofficeModule } from './backoffice/index.js';
import { maintenanceModule } from './maintenance/index.js';
import { operationsModule } from './operations/index.js';
import { settingsModule } from './settings/index.js';
import { siteModule } from './site/index.js';

/** Every feature module, in menu order. A new capability adds itself here. */
export const modules: FeatureModule[] = [
  siteModule,
  backofficeModule,
  accountsModule,
  auditModule,
  settingsModule,
  operationsModule,
  maintenanceModule,
];
