import assert from 'node:assert/strict';
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { after, describe, test } from 'node:test';
import type { Dialect } from '../../src/kernel/db/create-db.js';
import { forEachDialect } from '../helpers/db.js';
import { repoRoot } from '../helpers/paths.js';
import { type CliTarget, cliTarget } from '../helpers/cli.js';

/** A running `maillage start`, its output so far, and the URL it announced. */
class Started {
  stdout = '';
  stderr = '';
  url = '';
  private exited: Promise<number | null>;

  constructor(readonly child: ChildProcessByStdio<null, Readable, Readable>) {
    child.stdout.on('data', (c: Buffer) => (this.stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (this.stderr += c.toString()));
    this.exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  }

  /** Resolves once the process printed "Maillage est prêt" and answers /healthz. */
  async ready(): Promise<this> {
    const deadline = Date.now() + 120_000;
    let exitCode: number | null | undefined;
    void this.exited.then((code) => (exitCode = code));
    while (!/Maillage est prêt : (\S+)/.test(this.stdout)) {
      if (exitCode !== undefined) throw new Error(`start stopped (${exitCode}): ${this.stderr}${this.stdout}`);
      if (Date.now() > deadline) throw new Error(`start never got ready: ${this.stderr}${this.stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    this.url = /Maillage est prêt : (\S+)/.exec(this.stdout)![1]!.replace('localhost', '127.0.0.1');
    // Everything printed after the ready line is written before the first request is served.
    assert.equal((await fetch(`${this.url}/healthz`)).status, 200);
    await new Promise((resolve) => setImmediate(resolve));
    return this;
  }

  /** SIGTERM, then the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }
}

const running: Started[] = [];
after(async () => {
  for (const s of running) await s.stop();
});

function start(env: Record<string, string>, options: { cwd?: string; command?: string[] } = {}): Started {
  const command = options.command ?? ['--import', 'tsx', 'src/cli.ts', 'start'];
  const child = spawn(process.execPath, command, {
    cwd: options.cwd ?? repoRoot,
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', GEOCODER_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = new Started(child);
  running.push(started);
  return started;
}

/** Signs in through the live server as a browser would: page, cookies, CSRF token, form. */
async function signIn(baseUrl: string, email: string, password: string): Promise<Response> {
  const page = await fetch(`${baseUrl}/connexion`);
  const cookies = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  assert.ok(token, 'a CSRF token on the sign-in page');
  return fetch(`${baseUrl}/connexion`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, email, password }).toString(),
  });
}

type Target = CliTarget;

/** An empty DATA_DIR and, on PostgreSQL, an empty database of its own. */
function emptyTarget(dialect: Dialect): Promise<Target> {
  return cliTarget(dialect, fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-start-')), 'maillage_start');
}

async function users(t: Target): Promise<{ email: string; role: string; source: string }[]> {
  const handle = t.open();
  try {
    return await handle.db.selectFrom('users').select(['email', 'role', 'source']).orderBy('email').execute();
  } finally {
    await handle.close();
  }
}

const ADMIN_LINES = /email\s+: (\S+)\n\s+mot de passe : (\S+)/;

forEachDialect('maillage start', (dialect) => {
  const targets: Target[] = [];
  after(async () => {
    for (const t of targets) await t.close();
  });

  describe('on an empty DATA_DIR, then again', () => {
    let target: Target;
    let firstUsers: Awaited<ReturnType<typeof users>>;

    test('the first start creates the admin, prints a working password once, seeds demo data and stops cleanly', async () => {
      target = await emptyTarget(dialect);
      targets.push(target);
      const server = await start({ ...target.env, NODE_ENV: 'development' }).ready();
      const admin = ADMIN_LINES.exec(server.stdout);
      assert.ok(admin, server.stdout);
      assert.equal(admin[1], 'admin@example.org');
      assert.match(server.stdout, /Données de démonstration ajoutées/);
      const res = await signIn(server.url, admin[1]!, admin[2]!);
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/admin');
      assert.equal(await server.stop(), 0, `clean exit; stderr: ${server.stderr}`);
      firstUsers = await users(target);
      assert.ok(firstUsers.some((u) => u.role === 'admin' && u.email === 'admin@example.org'));
      assert.ok(firstUsers.some((u) => u.source === 'demo'), 'demo accounts');
    });

    test('a second start prints no password and seeds nothing', async () => {
      assert.ok(target, 'the first start ran');
      const server = await start({ ...target.env, NODE_ENV: 'development' }).ready();
      assert.doesNotMatch(server.stdout, /mot de passe/i);
      assert.doesNotMatch(server.stdout, /Données de démonstration/);
      assert.equal(await server.stop(), 0);
      assert.deepEqual(await users(target), firstUsers);
    });
  });

  test('in production the first start creates the admin but no demo data', async () => {
    const target = await emptyTarget(dialect);
    targets.push(target);
    const server = await start({ ...target.env, NODE_ENV: 'production' }).ready();
    assert.ok(ADMIN_LINES.test(server.stdout), server.stdout);
    assert.doesNotMatch(server.stdout, /Données de démonstration/);
    assert.equal(await server.stop(), 0);
    const all = await users(target);
    assert.deepEqual(all.map((u) => [u.email, u.role]), [['admin@example.org', 'admin']]);
  });
});

describe('bin/maillage.js', () => {
  test('`maillage start` through the bin serves pages from any working directory', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-bin-'));
    after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const server = await start(
      { DATA_DIR: dataDir, NODE_ENV: 'production' },
      { cwd: os.tmpdir(), command: [path.join(repoRoot, 'bin/maillage.js'), 'start'] },
    ).ready();
    const home = await fetch(`${server.url}/`);
    assert.equal(home.status, 200, server.stdout + server.stderr);
    assert.match(await home.text(), /<html lang="fr">/);
    assert.equal(await server.stop(), 0);
  });
});
