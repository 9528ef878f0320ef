// What staff see when a write committed but what follows it failed (an email not sent, a file left
// on disk): the whole app with its SMTP server unreachable and its log kept, and the page's messages.
import assert from 'node:assert/strict';
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp, defineJobs } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import type { Role } from '../../src/db/schema.js';
import type { Dialect } from '../../src/kernel/db/create-db.js';
import { createKernel } from '../../src/kernel/create-kernel.js';
import type { Kernel } from '../../src/kernel/http/types.js';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { Client, TEST_PASSWORD, testConfig } from './app.js';
import { testDb } from './db.js';

/** The log line of a follow-up that failed once its write committed. */
export const FOLLOW_UP_FAILED = 'follow-up failed after the commit, the write stands';

export interface AppWithoutMail {
  app: FastifyInstance;
  kernel: Kernel;
  config: Config;
  /** Every line the app logged, as JSON. */
  logLines: string[];
  loginAs(role: Role, email: string): Promise<Client>;
  close(): Promise<void>;
}

/** A port nothing listens on: connecting to it is refused at once. */
async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The whole app on a fresh database of the dialect, its SMTP server down (every email fails), its log kept. */
export async function appWithoutMail(dialect: Dialect): Promise<AppWithoutMail> {
  const db = await testDb(dialect);
  const config = testConfig(db, `smtp://127.0.0.1:${await closedPort()}?tls=off`, { LOG_LEVEL: 'error' });
  const logLines: string[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => void logLines.push(line) });
  const kernel = createKernel(config, { dbHandle: db, logger });
  defineJobs(kernel);
  const app = await buildApp(config, { kernel });
  await app.ready();
  return {
    app,
    kernel,
    config,
    logLines,
    async loginAs(role, email) {
      const client = new Client(app);
      await createActiveUser(kernel, { email, role, password: TEST_PASSWORD, displayName: email });
      const res = await client.post('/connexion', { email, password: TEST_PASSWORD });
      assert.equal(res.statusCode, 303, `sign-in of ${email}`);
      return client;
    },
    async close() {
      await app.close();
      await kernel.mail.close();
      await db.close();
    },
  };
}

/** The messages at the top of a page, in order: kind and text. */
export function flashesOf(body: string): { kind: string; text: string }[] {
  return [...body.matchAll(/<div class="flash flash-(\w+)" role="(?:alert|status)">([^<]*)<\/div>/g)].map((m) => ({ kind: m[1]!, text: m[2]! }));
}

/** The follow-ups the log says failed after `from` (an index in `logLines`): the request's id and the cause's message. */
export function followUpsLogged(logLines: string[], from = 0): { reference: string; cause: string }[] {
  return logLines
    .slice(from)
    .map((line) => JSON.parse(line) as { msg?: string; reference?: string; err?: { message?: string } })
    .filter((entry) => entry.msg === FOLLOW_UP_FAILED)
    .map((entry) => ({ reference: String(entry.reference), cause: String(entry.err?.message) }));
}
