import type { FastifyInstance } from 'fastify';
import { buildApp, defineJobs } from './app.js';
import type { Config } from './config.js';
import { createKernel } from './kernel/create-kernel.js';
import { migrateToLatest } from './kernel/db/migrate.js';
import type { Kernel } from './kernel/http/types.js';
import { firstStart } from './setup/first-start.js';

export interface ServeOptions {
  jobs: boolean;
  /** `npm start`: create the first admin and seed demo data on the very first start. */
  firstStart: boolean;
}

/** Migrates, builds the app and listens; SIGTERM/SIGINT finish requests and the running job's step. */
export async function serve(config: Config, options: ServeOptions): Promise<{ app: FastifyInstance; kernel: Kernel }> {
  const kernel = createKernel(config);
  await migrateToLatest(kernel.db);
  const setup = options.firstStart ? await firstStart(kernel) : { admin: null, demoSeeded: false };
  const app = await buildApp(config, { kernel });
  defineJobs(kernel);
  await app.listen({ port: config.port, host: config.host });
  if (options.jobs && config.jobs) kernel.jobs.start();

  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.baseUrl.includes(`:${config.port}`) ? config.baseUrl.replace(`:${config.port}`, `:${port}`) : config.baseUrl;
  console.log(`\nMaillage est prêt : ${url}`);
  if (setup.admin) {
    console.log('\nPremier compte administrateur (mot de passe affiché une seule fois) :');
    console.log(`  email        : ${setup.admin.email}`);
    console.log(`  mot de passe : ${setup.admin.password}`);
    if (setup.demoSeeded) console.log('\nDonnées de démonstration ajoutées (npx maillage seed --purge-demo pour les retirer).');
  }
  console.log('');

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await kernel.mail.close();
    await kernel.dbHandle.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  return { app, kernel };
}
