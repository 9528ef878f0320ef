import type { FastifyPluginAsync } from 'fastify';
import { pendingMigrations } from '../../kernel/db/migrate.js';
import type { FeatureModule } from '../../kernel/module.js';
import { pingDatabase } from './repo.js';

const routes: FastifyPluginAsync = async (app) => {
  const { db } = app.kernel;
  const open = { config: { access: 'public' as const } };

  app.get('/healthz', open, async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));

  app.get('/readyz', open, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      await pingDatabase(db);
    } catch (error) {
      request.log.error({ err: error }, 'readiness: database unreachable');
      return reply.status(503).send({ status: 'unavailable', database: 'unreachable' });
    }
    const pending = await pendingMigrations(db);
    if (pending.length > 0) {
      return reply.status(503).send({ status: 'unavailable', database: 'ok', pendingMigrations: pending });
    }
    return reply.send({ status: 'ok', database: 'ok', migrations: 'current' });
  });
};

export const operationsModule: FeatureModule = { name: 'operations', routes };
