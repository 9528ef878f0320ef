import type { FastifyPluginAsync } from 'fastify';
import type { FeatureModule } from '../../kernel/module.js';
import { registrationNamer } from './audit-names-repo.js';
import { registerCancellationNotice } from '../events/index.js';
import { eventCancellationNotice } from './event-cancelled.js';
import { defineRegistrationJobs } from './jobs.js';
import { registrationsPersonalData } from './personal-data.js';
import { adminRoutes } from './routes-admin.js';
import { publicRoutes } from './routes-public.js';

export { registerParticipant, type ParticipantInput, type RegisterResult } from './register.js';
export { cancelRegistration } from './cancel.js';
export { saveSettings } from './settings.js';
export { eraseRegistrationsByEmail, registrationsOfEmail } from './staff.js';
export { registrationClosedReason, registrationOpen, type ClosedReason } from '../events/index.js';

// An event's cancellation tells the people registered.
registerCancellationNotice(eventCancellationNotice);

const routes: FastifyPluginAsync = async (app) => {
  await app.register(publicRoutes);
  await app.register(adminRoutes);
};

/** Event registrations: public form, personal link, waitlist, staff lists and exports, reminders. */
export const registrationsModule: FeatureModule = {
  name: 'registrations',
  routes,
  jobs: defineRegistrationJobs,
  auditEntities: [registrationNamer],
  personalData: [registrationsPersonalData],
};
