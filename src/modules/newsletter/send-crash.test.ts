// Crash safety of sending, with real processes: `maillage mailing:send` is killed with SIGKILL at
// points drawn from a printed seed (replay a failure with NEWSLETTER_CRASH_SEED=<seed>) while it
// sends 2,000 messages to a local SMTP server, then started again, until the mailing is done.
// Counted per recipient at the server: nobody is missing, and the duplicates are at most the
// messages in flight when each kill landed (the worker's concurrency).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { forEachDialect } from '../../../test/helpers/db.js';
import { type TestDb, testDb } from '../../../test/helpers/db.js';
import { repoRoot } from '../../../test/helpers/paths.js';
import { newId, newIds } from '../../kernel/ids.js';
import { saveNewsletterSettings } from './settings.js';
import { SmtpSink } from './testing/smtp-sink.js';

const RECIPIENTS = 2000;
const KILLS = 10;
const CONCURRENCY = 4;
const SEED = Number(process.env['NEWSLETTER_CRASH_SEED'] ?? Math.floor(Math.random() * 2 ** 31));

/** mulberry32: a small seeded generator, so the kill points can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Increasing message counts at which the sender is killed, spread over the send. */
function killPoints(seed: number): number[] {
  const next = random(seed);
  const span = Math.floor((RECIPIENTS - 100) / KILLS);
  return Array.from({ length: KILLS }, (_, i) => 20 + i * span + Math.floor(next() * (span - 10)));
}

forEachDialect('newsletter: a send killed with SIGKILL at 10 points resumes without skipping anyone', (dialect) => {
  let db: TestDb;
  let sink: SmtpSink;
  let mailingId: string;
  let child: ChildProcess | null = null;

  before(async () => {
    db = await testDb(dialect);
    sink = await new SmtpSink().start();
    const at = new Date().toISOString();
    const listId = newId();
    await db.db.insertInto('newsletter_lists').values({ id: listId, name: 'Lettre', description: '', is_public: 1, double_opt_in: 1, is_default: 0, created_by: null, created_at: at, updated_at: at }).execute();
    const ids = newIds(RECIPIENTS);
    for (let i = 0; i < RECIPIENTS; i += 250) {
      const chunk = ids.slice(i, i + 250);
      await db.db
        .insertInto('newsletter_subscribers')
        .values(chunk.map((id, j) => ({ id, email: `p${String(i + j).padStart(4, '0')}@example.org`, email_lower: `p${String(i + j).padStart(4, '0')}@example.org`, name: `Personne ${i + j}`, organisation: null, contact_id: null, token: `jeton-crash-${id.replace(/-/g, '')}`, created_at: at, updated_at: at })))
        .execute();
      await db.db
        .insertInto('newsletter_subscriptions')
        .values(chunk.map((id) => ({ subscriber_id: id, list_id: listId, status: 'confirmed' as const, created_at: at, updated_at: at })))
        .execute();
    }
    mailingId = newId();
    await db.db
      .insertInto('newsletter_mailings')
      .values({ id: mailingId, slug: `crash-${mailingId}`, subject: 'Lettre de test de reprise', from_name: 'Réseau', reply_to: null, blocks: JSON.stringify([{ type: 'text', html: '<p>Bonjour à toutes et à tous.</p>' }]), segment_id: null, created_by: null, created_at: at, updated_at: at })
      .execute();
    await db.db.insertInto('newsletter_mailing_lists').values({ mailing_id: mailingId, list_id: listId }).execute();
    // No rate ceiling; a claim left by a killed process is taken again after one second.
    await saveNewsletterSettings({ db: db.db, clock: { now: () => new Date() } }, { ratePerSecond: 0, ratePerHour: 0, claimLeaseSeconds: 1, concurrency: CONCURRENCY });
  });
  after(async () => {
    child?.kill('SIGKILL');
    await sink.close();
    await db.close();
  });

  function start(): { process: ChildProcess; exited: Promise<number | null>; output: () => string } {
    let output = '';
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'mailing:send', mailingId], {
      cwd: repoRoot,
      env: {
        PATH: process.env['PATH'],
        HOME: process.env['HOME'],
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATA_DIR: db.dataDir,
        DATABASE_URL: db.url,
        SMTP_URL: sink.url,
        BASE_URL: 'http://localhost:3000',
        MAIL_FROM: 'Réseau test <reseau@example.org>',
        SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
        GEOCODER_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    proc.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    child = proc;
    return { process: proc, exited, output: () => output };
  }

  test(`kill points drawn from seed ${SEED}`, { timeout: 600_000 }, async (t) => {
    const points = killPoints(SEED);
    t.diagnostic(`seed ${SEED} (NEWSLETTER_CRASH_SEED=${SEED} to replay), kill points ${points.join(', ')}`);
    let kills = 0;
    for (const point of points) {
      const run = start();
      const reached = sink.waitFor(point, 300_000).then(() => 'reached' as const);
      const outcome = await Promise.race([reached, run.exited.then(() => 'exited' as const)]);
      if (outcome === 'exited') assert.fail(`the sender ended before the kill point ${point}: ${run.output()}`);
      run.process.kill('SIGKILL');
      await run.exited;
      kills++;
    }
    const last = start();
    const code = await last.exited;
    assert.equal(code, 0, last.output());
    assert.match(last.output(), /Envoi terminé/);

    const missing: string[] = [];
    let duplicates = 0;
    for (let i = 0; i < RECIPIENTS; i++) {
      const email = `p${String(i).padStart(4, '0')}@example.org`;
      const count = sink.received.get(email) ?? 0;
      if (count === 0) missing.push(email);
      duplicates += Math.max(0, count - 1);
    }
    t.diagnostic(`${kills} kills, ${sink.total} messages received, ${duplicates} duplicate(s), in-flight bound ${kills * CONCURRENCY}`);
    assert.deepEqual(missing, [], 'no recipient skipped');
    assert.ok(duplicates <= kills * CONCURRENCY, `duplicates ${duplicates} ≤ ${kills} kills × ${CONCURRENCY} in flight`);
    const rows = await db.db.selectFrom('newsletter_recipients').select(['status']).where('mailing_id', '=', mailingId).execute();
    assert.equal(rows.length, RECIPIENTS);
    assert.ok(rows.every((r) => r.status === 'sent'));
    const mailing = await db.db.selectFrom('newsletter_mailings').select(['status']).where('id', '=', mailingId).executeTakeFirstOrThrow();
    assert.equal(mailing.status, 'sent');
  });
});
