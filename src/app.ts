import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { createKernel, type KernelOverrides } from './kernel/create-kernel.js';
import { frameworkErrorHandler } from './kernel/http/errors.js';
import { registerHttpKernel, requestId } from './kernel/http/plugin.js';
import type { Kernel } from './kernel/http/types.js';
import { keptSecret } from './kernel/secrets.js';
import { modules } from './modules/index.js';

/** Fastify's default, stated here because uploads rely on their own streamed caps instead. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface BuildOptions extends KernelOverrides {
  /** A kernel built by the caller (CLI, tests); the app then leaves closing it to the caller. */
  kernel?: Kernel;
}

/** Defines every module's jobs on the kernel's job runner (web process and worker alike). */
export function defineJobs(kernel: Kernel): void {
  for (const module of modules) module.jobs?.(kernel.jobs, kernel);
}

export function sessionSecretOf(config: Config): string {
  return config.sessionSecret ?? keptSecret(config.dataDir, 'session-secret');
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const ownsKernel = !options.kernel;
  const kernel = options.kernel ?? createKernel(config, options);
  const app = Fastify({
    loggerInstance: kernel.logger,
    genReqId: requestId,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
    frameworkErrors: frameworkErrorHandler,
  });
  await registerHttpKernel(app, kernel, sessionSecretOf(config));
  for (const module of modules) {
    kernel.publicNav.push(...(module.publicNav ?? []));
    kernel.adminNav.push(...(module.adminNav ?? []));
    kernel.memberCards.push(...(module.memberCards ?? []));
    kernel.searchSections.push(...(module.searchSections ?? []));
    if (module.sitemap) kernel.sitemaps.push(module.sitemap);
    kernel.homeBlocks.push(...(module.homeBlocks ?? []));
    kernel.footerParts.push(...(module.footerParts ?? []));
    kernel.auditEntities.push(...(module.auditEntities ?? []));
    kernel.personalData.push(...(module.personalData ?? []));
    if (module.routes) await app.register(module.routes);
  }
  kernel.searchSections.sort((a, b) => a.order - b.order);
  kernel.homeBlocks.sort((a, b) => a.order - b.order);
  if (ownsKernel) defineJobs(kernel);
  app.addHook('onClose', async () => {
    await kernel.jobs.stop();
    if (ownsKernel) {
      await kernel.mail.close();
      await kernel.dbHandle.close();
    }
  });
  return app;
}
