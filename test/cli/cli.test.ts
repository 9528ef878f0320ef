import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { sql } from 'kysely';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { type DbHandle, type Dialect } from '../../src/kernel/db/create-db.js';
import { createKernel } from '../../src/kernel/create-kernel.js';
import { migrateToLatest } from '../../src/kernel/db/migrate.js';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { seedDemo } from '../../src/setup/demo-seed.js';
import { countRows } from '../../src/ops/repo.js';
import { Client } from '../helpers/app.js';
import { forEachDialect } from '../helpers/db.js';
import { type CliTarget, cliTarget, runMaillage, runProcess } from '../helpers/cli.js';

const run = runProcess;
const maillage = runMaillage;

const madeDirs: string[] = [];
after(() => {
  for (const dir of madeDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A new temporary directory, removed when the file's tests end. */
function tmpDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `maillage-cli-${prefix}-`));
  madeDirs.push(dir);
  return dir;
}

type Target = CliTarget;

async function target(dialect: Dialect, dataDir = tmpDir('data')): Promise<Target> {
  return cliTarget(dialect, dataDir);
}

async function withDb<T>(t: Target, body: (db: DbHandle) => Promise<T>): Promise<T> {
  const handle = t.open();
  try {
    return await body(handle);
  } finally {
    await handle.close();
  }
}

/**
 * Puts a target in a known state without spawning the CLI (the CLI is what the tests check,
 * not the setup): migrated, with the given real accounts and, if asked, the demo data.
 */
async function prepare(t: Target, options: { admins?: string[]; demo?: boolean } = {}): Promise<void> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', GEOCODER_URL: '', ...t.env });
  const kernel = createKernel(config);
  try {
    await migrateToLatest(kernel.db);
    for (const email of options.admins ?? []) await createActiveUser(kernel, { email, role: 'admin' });
    if (options.demo) await seedDemo(kernel);
  } finally {
    await kernel.mail.close();
    await kernel.dbHandle.close();
  }
}

/** Every file under a directory, by relative path, with its bytes. */
function filesUnder(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out.set(path.relative(dir, full), fs.readFileSync(full));
  }
  return out;
}

/** Some uploaded files as the app stores them, and the kept session secret. */
function addFiles(dataDir: string): void {
  fs.mkdirSync(path.join(dataDir, 'uploads/2026'), { recursive: true });
  fs.mkdirSync(path.join(dataDir, 'uploads/2025'), { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'uploads/2026/logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]));
  fs.writeFileSync(path.join(dataDir, 'uploads/2025/rapport.pdf'), Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256)));
  fs.mkdirSync(path.join(dataDir, 'secrets'), { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(dataDir, 'secrets/session-secret'), 'secret-de-session-pour-le-test-0123456789', { mode: 0o600 });
}

/** Tables that carry a `source` column, and how many demo rows each holds. */
async function demoRows(db: DbHandle): Promise<Record<string, number>> {
  const tables = await db.db.introspection.getTables();
  const counts: Record<string, number> = {};
  for (const table of tables) {
    if (!table.columns.some((c) => c.name === 'source')) continue;
    const result = await sql<{ n: number }>`select count(*) as n from ${sql.table(table.name)} where source = 'demo'`.execute(db.db);
    counts[table.name] = Number(result.rows[0]?.n ?? 0);
  }
  return counts;
}

const PASSWORD_LINE = /Mot de passe \(affiché une seule fois\) : (\S+)/;

// Each test works in its own directories and database: they run side by side.
describe('maillage CLI without a database', { concurrency: 4 }, () => {
  test('an invalid PORT stops with exit code 1 and one line naming PORT', async () => {
    const dataDir = tmpDir('port');
    after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const res = await maillage(['migrate'], { DATA_DIR: dataDir, PORT: 'abc' });
    assert.equal(res.code, 1);
    const lines = res.stderr.split('\n').filter((l) => l.trim() !== '');
    assert.equal(lines.length, 1, `stderr: ${res.stderr}`);
    assert.match(lines[0]!, /\bPORT\b/);
    assert.equal(fs.readdirSync(dataDir).length, 0, 'nothing created');
  });

  test('every other invalid variable stops the start with one line naming it', async () => {
    const dataDir = tmpDir('env');
    after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    for (const [name, value] of [
      ['DATABASE_URL', 'mysql://localhost/db'],
      ['SMTP_URL', 'http://mail.example.org'],
      ['LOG_LEVEL', 'bavard'],
    ]) {
      const res = await maillage(['migrate'], { DATA_DIR: dataDir, [name!]: value! });
      assert.equal(res.code, 1, name);
      const lines = res.stderr.split('\n').filter((l) => l.trim() !== '');
      assert.equal(lines.length, 1, `${name}: ${res.stderr}`);
      assert.ok(lines[0]!.includes(name!), lines[0]);
    }
  });

  test('an unknown command prints the usage and exits with 1', async () => {
    const res = await maillage(['frobnicate'], { DATA_DIR: tmpDir('unknown') });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /Commande inconnue : frobnicate/);
    assert.match(res.stderr, /Usage : maillage <commande>/);
  });

  test('no command prints the usage and exits with 1', async () => {
    const res = await maillage([], {});
    assert.equal(res.code, 1);
    assert.match(res.stdout, /Usage : maillage <commande>/);
  });

  test('`npx maillage --help` runs bin/maillage.js and prints the usage', async () => {
    const res = await run('npx', ['--no-install', 'maillage', '--help'], { DATA_DIR: tmpDir('npx') });
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /Usage : maillage <commande>/);
    assert.match(res.stdout, /backup <fichier\.tar\.gz>/);
  });

  test('`maillage help` and `maillage -h` print the usage and succeed', async () => {
    for (const args of [['help'], ['-h']]) {
      const res = await maillage(args, {});
      assert.equal(res.code, 0, args.join(' '));
      assert.match(res.stdout, /Usage : maillage <commande>/);
    }
  });

  test('backup of a DATA_DIR without a database says so and writes no archive', async () => {
    const dataDir = tmpDir('nodb');
    after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const archive = path.join(dataDir, 'vide.tar.gz');
    const res = await maillage(['backup', archive], { DATA_DIR: path.join(dataDir, 'data') });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /Aucune base à sauvegarder/);
    assert.equal(fs.existsSync(archive), false);
    assert.equal(fs.existsSync(path.join(dataDir, 'data', 'maillage.db')), false, 'no empty database created');
  });

  test('restore of a file that is not a backup says so and leaves DATA_DIR alone', async () => {
    const dataDir = tmpDir('notbackup');
    after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const bogus = path.join(dataDir, 'photo.tar.gz');
    fs.writeFileSync(bogus, 'ceci n’est pas une archive');
    const res = await maillage(['restore', bogus], { DATA_DIR: path.join(dataDir, 'data') });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /n'est pas une sauvegarde Maillage lisible/);
    assert.doesNotMatch(res.stderr, /at .*\.ts:\d+/, 'no stack trace');
    assert.equal(fs.existsSync(path.join(dataDir, 'data')), false);
  });

  test('user:create without --role is a usage error', async () => {
    const res = await maillage(['user:create', '--email', 'x@example.org'], { DATA_DIR: tmpDir('usage') });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /user:create attend --email/);
  });
});

forEachDialect('maillage CLI', (dialect) => {
  const targets: Target[] = [];
  after(async () => {
    for (const t of targets) await t.close();
  });
  async function fresh(): Promise<Target> {
    const t = await target(dialect);
    targets.push(t);
    return t;
  }

  describe('commands', { concurrency: 3 }, () => {
    test('migrate creates the schema on an empty database, then says it is up to date', async () => {
      const t = await fresh();
      const first = await maillage(['migrate'], t.env);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /Migrations appliquées : .*foundation/);
      await withDb(t, async (db) => {
        const tables = (await db.db.introspection.getTables()).map((x) => x.name);
        for (const name of ['users', 'audit_log', 'settings', 'jobs', 'sessions', 'files']) assert.ok(tables.includes(name), name);
      });
      const second = await maillage(['migrate'], t.env);
      assert.equal(second.code, 0);
      assert.match(second.stdout, /La base est à jour/);
    });

    test('user:create prints a password once, and it signs in to the app', async () => {
      const t = await fresh();
      const res = await maillage(['user:create', '--email', 'Nadia.Benali@example.org', '--role', 'staff', '--name', 'Nadia Benali'], t.env);
      assert.equal(res.code, 0, res.stderr);
      const password = PASSWORD_LINE.exec(res.stdout)?.[1];
      assert.ok(password, res.stdout);
      const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', GEOCODER_URL: '', ...t.env });
      const kernel = createKernel(config);
      const app = await buildApp(config, { kernel });
      try {
        const client = new Client(app);
        const signIn = await client.post('/connexion', { email: 'nadia.benali@example.org', password });
        assert.equal(signIn.statusCode, 303);
        assert.equal(signIn.headers.location, '/admin');
      } finally {
        await app.close();
        await kernel.mail.close();
        await kernel.dbHandle.close();
      }
      const again = await maillage(['user:create', '--email', 'nadia.benali@example.org', '--role', 'member'], t.env);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /Un compte existe déjà/);
    });

    test('seed --demo adds demo rows; seed --purge-demo removes every one of them and nothing else', async () => {
      const t = await fresh();
      await prepare(t, { admins: ['reelle@example.org'] });
      const seeded = await maillage(['seed', '--demo'], t.env);
      assert.equal(seeded.code, 0, seeded.stderr);
      assert.match(seeded.stdout, /^[\d\s]+ enregistrements de démonstration ajoutés\.$/m);
      await withDb(t, async (db) => {
        const counts = await demoRows(db);
        assert.ok(Object.values(counts).reduce((a, b) => a + b, 0) > 0, 'some demo rows');
      });
      const purged = await maillage(['seed', '--purge-demo'], t.env);
      assert.equal(purged.code, 0, purged.stderr);
      assert.match(purged.stdout, /^[\d\s]+ enregistrements de démonstration retirés\.$/m);
      const none = await maillage(['seed', '--purge-demo'], t.env);
      assert.equal(none.code, 0, none.stderr);
      assert.match(none.stdout, /^0 enregistrement de démonstration retiré\.$/m);
      await withDb(t, async (db) => {
        const counts = await demoRows(db);
        assert.ok('users' in counts);
        for (const [table, n] of Object.entries(counts)) assert.equal(n, 0, `demo rows left in ${table}`);
        const real = await db.db.selectFrom('users').select('email').execute();
        assert.deepEqual(real.map((r) => r.email), ['reelle@example.org']);
      });
    });

    test('seed --demo is refused in production, in one line, and adds nothing', async () => {
      const t = await fresh();
      const res = await maillage(['seed', '--demo'], { ...t.env, NODE_ENV: 'production' });
      assert.equal(res.code, 1);
      const lines = res.stderr.split('\n').filter((l) => l.trim() !== '');
      assert.equal(lines.length, 1, res.stderr);
      assert.match(lines[0]!, /Pas de données de démonstration en production/);
      await withDb(t, async (db) => assert.equal((await demoRows(db))['users'], 0));
    });

    test('seed needs exactly one of --demo and --purge-demo', async () => {
      const t = await fresh();
      const res = await maillage(['seed'], t.env);
      assert.equal(res.code, 1);
      assert.match(res.stderr, /seed attend --demo ou --purge-demo/);
    });

    if (dialect === 'sqlite') {
      test('backup then restore into an empty DATA_DIR finds every row and every uploaded file', async () => {
        const source = await fresh();
        await prepare(source, { admins: ['sauvegarde@example.org'], demo: true });
        addFiles(source.dataDir);
        const archive = path.join(tmpDir('archive'), 'sauvegarde.tar.gz');
        const backup = await maillage(['backup', archive], source.env);
        assert.equal(backup.code, 0, backup.stderr);
        assert.ok(fs.statSync(archive).size > 0);
        const uploads = filesUnder(path.join(source.dataDir, 'uploads')).size;
        assert.ok(uploads >= 2);
        assert.ok(backup.stdout.includes(`Sauvegarde écrite : ${archive} (${uploads} fichiers téléversés)`), backup.stdout);

        const restored = await target(dialect, path.join(tmpDir('restore'), 'data'));
        targets.push(restored);
        const res = await maillage(['restore', archive], restored.env);
        assert.equal(res.code, 0, res.stderr);

        const [before, after] = [await withDb(source, (db) => countRows(db.db)), await withDb(restored, (db) => countRows(db.db))];
        assert.ok((before['users'] ?? 0) >= 4);
        assert.deepEqual(after, before);
        for (const dir of ['uploads', 'secrets']) {
          const expected = filesUnder(path.join(source.dataDir, dir));
          const actual = filesUnder(path.join(restored.dataDir, dir));
          assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), dir);
          for (const [name, bytes] of expected) assert.ok(actual.get(name)?.equals(bytes), `${dir}/${name} byte-equal`);
        }
        assert.equal(fs.statSync(path.join(restored.dataDir, 'secrets/session-secret')).mode & 0o077, 0, 'the secret stays private');
      });

      test('restore refuses a DATA_DIR that is not empty unless --force is given', async () => {
        const source = await fresh();
        await prepare(source, { admins: ['force@example.org'] });
        addFiles(source.dataDir);
        const archive = path.join(tmpDir('archive'), 'force.tar.gz');
        assert.equal((await maillage(['backup', archive], source.env)).code, 0);

        const busy = await fresh();
        await prepare(busy, { admins: ['autre@example.org'] });
        const refused = await maillage(['restore', archive], busy.env);
        assert.equal(refused.code, 1);
        assert.match(refused.stderr, /n'est pas vide.*--force/);
        await withDb(busy, async (db) => {
          const emails = (await db.db.selectFrom('users').select('email').execute()).map((r) => r.email);
          assert.deepEqual(emails, ['autre@example.org'], 'nothing touched');
        });
        const forced = await maillage(['restore', archive, '--force'], busy.env);
        assert.equal(forced.code, 0, forced.stderr);
        await withDb(busy, async (db) => {
          const emails = (await db.db.selectFrom('users').select('email').execute()).map((r) => r.email);
          assert.deepEqual(emails, ['force@example.org']);
        });
      });

      test('a backup taken while rows are being written restores to a consistent database', async () => {
        const source = await fresh();
        await prepare(source);
        const writer = source.open();
        let written = 0;
        let stop = false;
        // Each transaction writes a user and its audit row: a consistent copy has as many of each.
        const loop = (async () => {
          while (!stop) {
            const id = `00000000-0000-7000-8000-${String(written).padStart(12, '0')}`;
            const at = new Date().toISOString();
            await writer.db.transaction().execute(async (trx) => {
              await trx
                .insertInto('users')
                .values({ id, email: `u${written}@example.org`, email_lower: `u${written}@example.org`, display_name: `U ${written}`, role: 'member', status: 'active', password_hash: null, locale: 'fr', source: 'manual', created_at: at, updated_at: at })
                .execute();
              await trx
                .insertInto('audit_log')
                .values({ id, at, actor_id: null, actor_email: null, action: 'user.created', entity_type: 'user', entity_id: id, before: null, after: '{}', ip: null })
                .execute();
            });
            written++;
            await new Promise((resolve) => setImmediate(resolve));
          }
        })();
        try {
          while (written < 50) await new Promise((resolve) => setTimeout(resolve, 5));
          const archive = path.join(tmpDir('archive'), 'en-service.tar.gz');
          const backup = await maillage(['backup', archive], source.env);
          assert.equal(backup.code, 0, backup.stderr);
          assert.equal(filesUnder(path.join(source.dataDir, 'uploads')).size, 0, 'nothing uploaded');
          assert.ok(backup.stdout.includes(`Sauvegarde écrite : ${archive} (0 fichier téléversé)`), backup.stdout);
          const writtenAtEnd = written;
          stop = true;
          await loop;

          const restored = await target(dialect, path.join(tmpDir('restore'), 'data'));
          targets.push(restored);
          assert.equal((await maillage(['restore', archive], restored.env)).code, 0);
          await withDb(restored, async (db) => {
            assert.equal(db.sqlite!.pragma('integrity_check', { simple: true }), 'ok');
            const users = Number((await db.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
            const audit = Number((await db.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
            assert.equal(audit, users, 'every user has its audit row');
            assert.ok(users >= 50 && users <= writtenAtEnd + 1, `${users} rows restored, ${writtenAtEnd} written`);
          });
        } finally {
          stop = true;
          await loop;
          await writer.close();
        }
      });
    } else {
      test('on PostgreSQL, backup and restore carry the uploaded files and secrets and point to pg_dump/pg_restore for the database', async () => {
        const source = await fresh();
        await prepare(source);
        addFiles(source.dataDir);
        const archive = path.join(tmpDir('archive'), 'pg.tar.gz');
        const backup = await maillage(['backup', archive], source.env);
        assert.equal(backup.code, 0, backup.stderr);
        assert.match(backup.stdout, /pg_dump/);

        const restoredDir = path.join(tmpDir('restore'), 'data');
        targets.push({ dataDir: restoredDir, env: {}, open: source.open, close: async () => fs.rmSync(restoredDir, { recursive: true, force: true }) });
        const res = await maillage(['restore', archive], { ...source.env, DATA_DIR: restoredDir });
        assert.equal(res.code, 0, res.stderr);
        assert.match(res.stdout, /pg_restore/);
        for (const dir of ['uploads', 'secrets']) {
          const expected = filesUnder(path.join(source.dataDir, dir));
          const actual = filesUnder(path.join(restoredDir, dir));
          assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), dir);
          for (const [name, bytes] of expected) assert.ok(actual.get(name)?.equals(bytes), `${dir}/${name} byte-equal`);
        }
      });
    }
  });
});
