import type { FastifyPluginAsync } from 'fastify';
import { organisationRoutes } from './routes-organisations.js';
import { contactRoutes } from './routes-contacts.js';

/** The back office for organisations and contacts; both share the app instance (no encapsulation). */
export const organisationsAdminRoutes: FastifyPluginAsync = async (app, options) => {
  await organisationRoutes(app, options);
  await contactRoutes(app, options);
};
