// Newsletter sending (SQLite): NEWSLETTER_BENCH_RECIPIENTS (50,000) confirmed subscribers are sent
// one mailing by `maillage mailing:send` (its own process, 4 messages in flight, no rate ceiling)
// to a local SMTP sink; the throughput is compared with a bare nodemailer loop (a pool of 4
// connections) sending as many copies of the message the application hands to nodemailer (the
// mailing rendered and personalised for one recipient: same HTML, text and headers) to the same
// sink in the same run. Then
// NEWSLETTER_BENCH_LIMITED (3,000) messages under a ceiling of 50 messages per second: the achieved
// rate, and the largest number of messages the sink received within any one second (never above).
// Peak memory: the resident peak (VmHWM) of `mailing:send`, whose goal is the import's (below).
import path from 'node:path';
import nodemailer from 'nodemailer';
import { createDb, type DbHandle } from '../../src/kernel/db/create-db.js';
import { newId, newIds } from '../../src/kernel/ids.js';
import { SettingsStore } from '../../src/kernel/settings/index.js';
import * as mailingRepo from '../../src/modules/newsletter/mailing-repo.js';
import { personalise, prepareMailing } from '../../src/modules/newsletter/render-mailing.js';
import { saveNewsletterSettings } from '../../src/modules/newsletter/settings.js';
import type { OutgoingMessage } from '../../src/kernel/mail/index.js';
import { SmtpSink } from '../../src/modules/newsletter/testing/smtp-sink.js';
import { prepareDataDir } from '../lib/app.js';
import { exitedWithPeakRss, spawnTracked } from '../lib/processes.js';
import { formatBytes, formatNumber, round } from '../lib/report.js';
import type { Scenario } from '../lib/scenario.js';

const RECIPIENTS = Number(process.env['NEWSLETTER_BENCH_RECIPIENTS'] ?? 50_000);
const LIMITED = Number(process.env['NEWSLETTER_BENCH_LIMITED'] ?? 3000);
const RATE = 50;
const CONCURRENCY = 4;
/**
 * Peak RSS: a send is a bulk run of one process like an import, so the same ceiling, the issue's
 * 300 MB decimal (286.1 MiB as printed): its memory must not depend on the audience's size.
 */
const GOALS = { throughputRatio: 0.7, rateTolerance: 0.05, peakRssBytes: 300_000_000 };
const BODY = `<p>Bonjour à toutes et à tous,</p>${'<p>Ce mois-ci, le réseau vous propose des rencontres, des appels à projets et des ressources pour vos projets de coopération.</p>'.repeat(12)}`;
const CLI = ['--import', 'tsx', 'src/cli.ts'];
const BASE_URL = 'http://127.0.0.1:3000';
const FROM = 'Réseau <reseau@example.org>';

async function seedMailing(handle: DbHandle, recipients: number, prefix: string): Promise<string> {
  const db = handle.db;
  const at = new Date().toISOString();
  const listId = newId();
  await db.insertInto('newsletter_lists').values({ id: listId, name: `Lettre ${prefix}`, description: '', is_public: 1, double_opt_in: 1, is_default: 0, created_by: null, created_at: at, updated_at: at }).execute();
  const ids = newIds(recipients);
  for (let i = 0; i < recipients; i += 500) {
    const chunk = ids.slice(i, i + 500);
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('newsletter_subscribers')
        .values(chunk.map((id, j) => ({ id, email: `${prefix}${i + j}@example.org`, email_lower: `${prefix}${i + j}@example.org`, name: `Personne ${i + j}`, organisation: null, contact_id: null, token: `jeton-${id.replace(/-/g, '')}`, created_at: at, updated_at: at })))
        .execute();
      await trx
        .insertInto('newsletter_subscriptions')
        .values(chunk.map((id) => ({ subscriber_id: id, list_id: listId, status: 'confirmed' as const, created_at: at, updated_at: at })))
        .execute();
    });
  }
  const mailingId = newId();
  await db
    .insertInto('newsletter_mailings')
    .values({ id: mailingId, slug: `bench-${prefix}-${mailingId}`, subject: 'La lettre du réseau', from_name: 'Réseau', reply_to: null, blocks: JSON.stringify([{ type: 'text', html: BODY }]), segment_id: null, created_by: null, created_at: at, updated_at: at })
    .execute();
  await db.insertInto('newsletter_mailing_lists').values({ mailing_id: mailingId, list_id: listId }).execute();
  return mailingId;
}

/** `maillage mailing:send` to the sink; its peak memory read from /proc while it runs. */
async function sendWithCli(dataDir: string, sink: SmtpSink, mailingId: string): Promise<{ peakRssBytes: number; output: string }> {
  // NEWSLETTER_BENCH_PROFILE=<dir> writes a CPU profile of each mailing:send there.
  const profile = process.env['NEWSLETTER_BENCH_PROFILE'];
  const tracked = spawnTracked(process.execPath, [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), ...CLI, 'mailing:send', mailingId], {
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', DATA_DIR: dataDir, DATABASE_URL: `sqlite:${path.join(dataDir, 'maillage.db')}`, SMTP_URL: sink.url, BASE_URL, MAIL_FROM: FROM, JOBS: 'off' },
  });
  const peak = await exitedWithPeakRss(tracked, 'mailing:send');
  return { peakRssBytes: peak, output: tracked.output() };
}

/** The message the application sends to one recipient of `mailingId`, as handed to nodemailer. */
async function renderedMessage(handle: DbHandle, mailingId: string): Promise<OutgoingMessage> {
  const clock = { now: () => new Date() };
  const mailing = (await mailingRepo.findMailing(handle.db, mailingId))!;
  const deps = { config: { baseUrl: BASE_URL, mailFrom: FROM }, settings: new SettingsStore(handle.db, clock) };
  const prepared = await prepareMailing(deps, mailing, ['Lettre'], 'desinscription@example.org');
  return personalise(deps, prepared, { email: 'p0@example.org', name: 'Personne 0', token: 'jeton-0123456789abcdef0123456789abcdef', via: 'list', trackToken: null });
}

/** The same number of messages through a plain nodemailer pool: the reference throughput. */
async function bareLoop(sink: SmtpSink, count: number, message: OutgoingMessage): Promise<number> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true, pool: true, maxConnections: CONCURRENCY, maxMessages: Infinity });
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++;
        await transport.sendMail({ from: { name: message.fromName ?? 'Réseau', address: 'reseau@example.org' }, to: `bare${i}@example.org`, subject: message.subject, html: message.html, text: message.text, headers: message.headers });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  return count / seconds;
}

/** Messages per second between the first and the last arrival in `times`. */
function rateOf(times: number[]): number {
  if (times.length < 2) return 0;
  return (times.length - 1) / ((times[times.length - 1]! - times[0]!) / 1000);
}

/** The most messages received within any window of one second. */
function busiestSecond(times: number[]): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= 1000) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

const scenario: Scenario = {
  name: 'newsletter',
  description: `Newsletter: ${formatNumber(RECIPIENTS)} recipients to a local SMTP sink vs a bare nodemailer loop; ${formatNumber(LIMITED)} messages under a 50/s ceiling`,
  async run({ log }) {
    const dataDir = await prepareDataDir();
    const handle = createDb(`sqlite:${path.join(dataDir, 'maillage.db')}`);
    const sink = await new SmtpSink().start();
    try {
      const clock = { now: () => new Date() };
      log(`seeding ${formatNumber(RECIPIENTS)} + ${formatNumber(LIMITED)} subscribers…`);
      const big = await seedMailing(handle, RECIPIENTS, 'p');
      const limited = await seedMailing(handle, LIMITED, 'r');
      await saveNewsletterSettings({ db: handle.db, clock }, { ratePerSecond: 0, ratePerHour: 0, concurrency: CONCURRENCY });

      log(`mailing:send of ${formatNumber(RECIPIENTS)} messages…`);
      const sent = await sendWithCli(dataDir, sink, big);
      const appTimes = [...sink.times];
      const appRate = rateOf(appTimes);
      const sample = sink.total;
      if (sample !== RECIPIENTS) throw new Error(`the sink received ${sample} of ${RECIPIENTS} messages`);

      log(`bare nodemailer loop of ${formatNumber(RECIPIENTS)} messages…`);
      const message = await renderedMessage(handle, big);
      const bareRate = await bareLoop(sink, RECIPIENTS, message);

      log(`${formatNumber(LIMITED)} messages under a ${RATE}/s ceiling…`);
      await saveNewsletterSettings({ db: handle.db, clock }, { ratePerSecond: RATE, ratePerHour: 0 });
      const before = sink.times.length;
      const limitedRun = await sendWithCli(dataDir, sink, limited);
      const limitedTimes = sink.times.slice(before);
      const limitedRate = rateOf(limitedTimes);
      const busiest = busiestSecond(limitedTimes);

      const ratio = round(appRate / bareRate, 2);
      const deviation = round((limitedRate - RATE) / RATE, 3);
      return {
        dataSize: { recipients: RECIPIENTS, limitedRecipients: LIMITED, bodyBytes: BODY.length, htmlBytes: message.html?.length ?? 0, textBytes: message.text.length },
        settings: { concurrency: CONCURRENCY, rateCeilingPerSecond: RATE, dialect: 'sqlite', smtp: 'local smtp-server sink, no TLS' },
        figures: {
          appMessagesPerSecond: round(appRate, 1),
          bareMessagesPerSecond: round(bareRate, 1),
          throughputRatio: ratio,
          appPeakRssMiB: round(sent.peakRssBytes / 1048576, 1),
          peakRssGoalMet: sent.peakRssBytes < GOALS.peakRssBytes,
          limited: { messages: limitedTimes.length, achievedPerSecond: round(limitedRate, 2), deviation, busiestSecond: busiest, peakRssMiB: round(limitedRun.peakRssBytes / 1048576, 1) },
          goals: GOALS,
        },
        tables: [
          {
            title: `Throughput, ${formatNumber(RECIPIENTS)} messages, ${CONCURRENCY} in flight`,
            columns: ['sender', 'msg/s', 'peak RSS (MiB)'],
            rows: [
              ['maillage mailing:send', round(appRate, 1), `${round(sent.peakRssBytes / 1048576, 1)} (goal < ${formatBytes(GOALS.peakRssBytes)})`],
              ['bare nodemailer pool', round(bareRate, 1), null],
            ],
          },
          {
            title: `Rate ceiling ${RATE}/s, ${formatNumber(LIMITED)} messages`,
            columns: ['achieved msg/s', 'deviation', 'most in one second', 'peak RSS (MiB)'],
            rows: [[round(limitedRate, 2), `${round(deviation * 100, 1)} %`, busiest, round(limitedRun.peakRssBytes / 1048576, 1)]],
          },
          {
            title: 'Goals',
            columns: ['figure', 'value', 'goal'],
            rows: [
              ['throughput ÷ bare nodemailer', ratio, `≥ ${GOALS.throughputRatio}`],
              ['achieved rate vs 50/s', `${round(deviation * 100, 1)} %`, '± 5 %'],
              ['most messages in any second', busiest, `≤ ${RATE}`],
              [`peak RSS of mailing:send, ${formatNumber(RECIPIENTS)} recipients`, formatBytes(sent.peakRssBytes), `< ${formatBytes(GOALS.peakRssBytes)}`],
            ],
          },
        ],
      };
    } finally {
      await sink.close();
      await handle.close();
    }
  },
};

export default scenario;
