import type { FeatureModule } from '../kernel/module.js';
import { accountsModule } from './accounts/index.js';
import { agendaModule } from './agenda/index.js';
import { auditModule } from './audit/index.js';
import { backofficeModule } from './backoffice/index.js';
import { callsModule } from './calls/index.js';
import { directoryModule } from './directory/index.js';
import { duplicatesModule } from './duplicates/index.js';
import { eventFeedsModule } from './event-feeds/index.js';
import { eventsModule } from './events/index.js';
import { importsModule } from './imports/index.js';
import { maintenanceModule } from './maintenance/index.js';
import { mapModule } from './map/index.js';
import { mergeModule } from './merge/index.js';
import { moderationModule } from './moderation/index.js';
import { newsModule } from './news/index.js';
import { operationsModule } from './operations/index.js';
import { organisationsModule } from './organisations/index.js';
import { organisationsAdminModule } from './organisations-admin/index.js';
import { pagesModule } from './pages/index.js';
import { registrationsModule } from './registrations/index.js';
import { resourcesModule } from './resources/index.js';
import { searchModule } from './search/index.js';
import { settingsModule } from './settings/index.js';
import { siteModule } from './site/index.js';
import { watchModule } from './watch/index.js';
import { newsletterModule } from './newsletter/index.js';
import { bulletinModule } from './bulletin/index.js';
import { callAlertsModule } from './call-alerts/index.js';

/** Every feature module, in menu order. A new capability adds itself here. */
export const modules: FeatureModule[] = [
  siteModule,
  // First in the back office's menu: its dashboard, then the actor base (organisations, contacts, imports, duplicates).
  backofficeModule,
  organisationsModule,
  organisationsAdminModule,
  importsModule,
  duplicatesModule,
  mergeModule,
  directoryModule,
  mapModule,
  agendaModule,
  newsModule,
  watchModule,
  newsletterModule,
  bulletinModule,
  callAlertsModule,
  callsModule,
  resourcesModule,
  pagesModule,
  searchModule,
  moderationModule,
  eventsModule,
  registrationsModule,
  eventFeedsModule,
  accountsModule,
  auditModule,
  settingsModule,
  operationsModule,
  maintenanceModule,
];
