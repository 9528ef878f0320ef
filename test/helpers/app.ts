import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, defineJobs } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import type { Role } from '../../src/db/schema.js';
import type { Clock } from '../../src/kernel/clock.js';
import type { Dialect } from '../../src/kernel/db/create-db.js';
import { createKernel } from '../../src/kernel/create-kernel.js';
import type { Kernel } from '../../src/kernel/http/types.js';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { type TestDb, testDb } from './db.js';
import { TestSmtp } from './smtp.js';

export const TEST_PASSWORD = 'correct horse battery staple 42';

export interface TestApp {
  app: FastifyInstance;
  kernel: Kernel;
  config: Config;
  db: TestDb;
  smtp: TestSmtp;
  client(): Client;
  /** A signed-in client for a new account of that role (or a visitor for 'visitor'). */
  loginAs(role: Role | 'visitor', email?: string): Promise<Client>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  clock?: Clock;
}

export function testConfig(db: TestDb, smtpUrl: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: db.dataDir,
    DATABASE_URL: db.url,
    SMTP_URL: smtpUrl,
    MAIL_FROM: 'Réseau test <reseau@example.org>',
    SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
    BASE_URL: 'http://localhost:3000',
    LOG_LEVEL: 'silent',
    GEOCODER_URL: '',
    ...env,
  });
}

/** The whole app on a fresh database of the dialect, with a real SMTP server; exercised through inject(). */
export async function testApp(dialect: Dialect, options: TestAppOptions = {}): Promise<TestApp> {
  const db = await testDb(dialect);
  const smtp = await new TestSmtp().start();
  const config = testConfig(db, smtp.url, options.env);
  const kernel = createKernel(config, { dbHandle: db, clock: options.clock });
  defineJobs(kernel);
  const app = await buildApp(config, { kernel });
  await app.ready();
  let accounts = 0;
  const t: TestApp = {
    app,
    kernel,
    config,
    db,
    smtp,
    client: () => new Client(app),
    async loginAs(role, email) {
      const client = new Client(app);
      if (role === 'visitor') return client;
      accounts++;
      const address = email ?? `${role}${accounts}@example.org`;
      await createActiveUser(kernel, { email: address, role, password: TEST_PASSWORD, displayName: `${role} ${accounts}` });
      const res = await client.post('/connexion', { email: address, password: TEST_PASSWORD });
      if (res.statusCode !== 303) throw new Error(`Connexion impossible pour ${address} : ${res.statusCode}`);
      return client;
    },
    async close() {
      await app.close();
      await kernel.mail.close();
      await smtp.close();
      await db.close();
    },
  };
  return t;
}

type Form = Record<string, string>;

/** A browser-like client for inject(): keeps cookies, finds the page's CSRF token. */
export class Client {
  private readonly cookies = new Map<string, string>();
  private token: string | null = null;

  constructor(private readonly app: FastifyInstance) {}

  private cookieHeader(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = (c.maxAge !== undefined && c.maxAge <= 0) || (c.expires && c.expires.getTime() < Date.now());
      if (expired || c.value === '') this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const match = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (match?.[1]) this.token = match[1];
    return res;
  }

  hasCookie(name: string): boolean {
    return this.cookies.has(name);
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  async request(method: string, url: string, options: { payload?: string | Buffer; headers?: Record<string, string> } = {}) {
    const res = await this.app.inject({
      method: method as 'GET',
      url,
      payload: options.payload,
      headers: { ...(this.cookieHeader() ? { cookie: this.cookieHeader()! } : {}), ...options.headers },
    });
    return this.remember(res);
  }

  get(url: string, headers: Record<string, string> = {}) {
    return this.request('GET', url, { headers });
  }

  /** The CSRF token a page would carry, fetching one page when none was seen yet. */
  async csrf(): Promise<string> {
    if (!this.token) await this.get('/connexion');
    if (!this.token) throw new Error('Aucun jeton CSRF trouvé');
    return this.token;
  }

  async post(url: string, form: Form = {}, options: { csrf?: boolean } = {}) {
    const body = new URLSearchParams(form);
    if (options.csrf !== false) body.set('_csrf', await this.csrf());
    return this.request('POST', url, {
      payload: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  async postMultipart(url: string, fields: Form, files: { field: string; filename: string; content: Buffer; type: string }[]) {
    const boundary = `----maillage${Math.random().toString(16).slice(2)}`;
    const parts: Buffer[] = [];
    const all = { _csrf: await this.csrf(), ...fields };
    for (const [name, value] of Object.entries(all)) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    }
    for (const f of files) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`));
      parts.push(f.content, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return this.request('POST', url, {
      payload: Buffer.concat(parts),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
  }
}
