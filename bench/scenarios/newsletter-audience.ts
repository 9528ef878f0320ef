// Newsletter audience on a realistic base, SQLite and PostgreSQL: both files of
// ../shared/samples/predecessors-large/ (~51,000 organisations, one contact each, their legal basis
// recorded) imported by `maillage import`, a list of NEWSLETTER_AUDIENCE_BENCH_SUBSCRIBERS
// subscribers (a fifth of them also contacts) and 1 % of the addresses on the suppression list.
// Through the real HTTP server, signed in as staff: the audience page of a mailing to the whole
// audience (the list and a segment of every organisation) and of a mailing to one segment
// (Gironde), NEWSLETTER_AUDIENCE_BENCH_REQUESTS requests each, one at a time, over pages from the
// first to the last: p50/p95. Then that segment's mailing sent by `maillage mailing:send` (its own
// process, 4 messages in flight, no rate ceiling) to a local SMTP sink: messages/s and peak RSS.
import path from 'node:path';
import { createDb, type Dialect } from '../../src/kernel/db/create-db.js';
import { newId, newIds } from '../../src/kernel/ids.js';
import { saveNewsletterSettings } from '../../src/modules/newsletter/settings.js';
import { SmtpSink } from '../../src/modules/newsletter/testing/smtp-sink.js';
import { emailHash } from '../../src/modules/newsletter/tokens.js';
import { sharedDir } from '../../test/helpers/paths.js';
import { type AppProcess, prepareDataDir, runCli, startApp } from '../lib/app.js';
import { sqliteSize } from '../lib/data.js';
import { createScratchDatabase, postgresReachable, postgresSize, type ScratchDatabase } from '../lib/postgres.js';
import { exitedWithPeakRss, spawnTracked } from '../lib/processes.js';
import { formatBytes, formatNumber, round } from '../lib/report.js';
import type { Scenario, Table } from '../lib/scenario.js';

const FILES = ['capcoop_export_2016.csv', 'resodi_export_2016.csv'];
const SUBSCRIBERS = Number(process.env['NEWSLETTER_AUDIENCE_BENCH_SUBSCRIBERS'] ?? 10_000);
const REQUESTS = Math.max(2, Number(process.env['NEWSLETTER_AUDIENCE_BENCH_REQUESTS'] ?? 20));
/** One subscriber in five has the address of a contact (the address is then reached via both). */
const SHARED_EVERY = 5;
/** One address in a hundred is on the suppression list. */
const SUPPRESSED_EVERY = 100;
const SEGMENT = { name: 'Gironde', query: 'departement=33' };
const EVERYONE = { name: 'Tout le réseau', query: '' };
const CONCURRENCY = 4;
const CLI = ['--import', 'tsx', 'src/cli.ts'];
const STAFF_EMAIL = 'nlaudience-staff@example.org';
const BODY = `<p>Bonjour à toutes et à tous,</p>${'<p>Ce mois-ci, le réseau vous propose des rencontres, des appels à projets et des ressources pour vos projets de coopération.</p>'.repeat(12)}`;

/** A browser for the real server: keeps cookies, carries the last page's CSRF token. */
class Browser {
  private readonly cookies = new Map<string, string>();
  private token: string | null = null;

  constructor(private readonly base: string) {}

  async request(method: 'GET' | 'POST', url: string, form?: Record<string, string | string[]>): Promise<{ status: number; location: string | null; body: string }> {
    let body: string | undefined;
    if (form) {
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries(form)) for (const v of Array.isArray(value) ? value : [value]) params.append(name, v);
      params.set('_csrf', this.token ?? '');
      body = params.toString();
    }
    const res = await fetch(`${this.base}${url}`, {
      method,
      redirect: 'manual',
      body,
      headers: { ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}) },
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    const text = await res.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    if (token) this.token = token;
    return { status: res.status, location: res.headers.get('location'), body: text };
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.request('GET', '/connexion');
    const res = await this.request('POST', '/connexion', { email, password });
    if (res.status !== 303) throw new Error(`sign-in as ${email} answered ${res.status}`);
    await this.request('GET', '/admin');
  }

  /** Posts a back-office form; the redirect it answers (303) is required. */
  async submit(url: string, form: Record<string, string | string[]>): Promise<string> {
    const res = await this.request('POST', url, form);
    if (res.status !== 303 || !res.location) throw new Error(`POST ${url} answered ${res.status}: ${res.body.slice(0, 500)}`);
    await this.request('GET', res.location);
    return res.location;
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** "12 345" as the page writes it (narrow no-break spaces) → 12345. */
const frNumber = (text: string) => Number(text.replace(/[\s\u202f\u00a0]/g, ''));

interface PageFigures {
  recipients: number;
  pages: number;
  requests: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** The first request (page 1), not counted in the percentiles. */
  firstMs: number;
  bytes: number;
}

/** The audience page of a mailing: one request to learn its size, then `REQUESTS` over pages first to last. */
async function measurePage(browser: Browser, mailingId: string): Promise<PageFigures> {
  const url = `/admin/lettres/${mailingId}/destinataires`;
  const started = performance.now();
  const first = await browser.request('GET', url);
  const firstMs = performance.now() - started;
  const count = /([\d\s\u202f\u00a0]+) destinataires? si le message partait maintenant/.exec(first.body);
  if (first.status !== 200 || !count) throw new Error(`GET ${url} answered ${first.status}: ${first.body.slice(0, 500)}`);
  const recipients = frNumber(count[1]!);
  const pages = Math.max(1, Math.ceil(recipients / 50));
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const page = 1 + Math.round((i * (pages - 1)) / (REQUESTS - 1));
    const t0 = performance.now();
    const res = await browser.request('GET', `${url}?page=${page}`);
    times.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`GET ${url}?page=${page} answered ${res.status}`);
  }
  return { recipients, pages, requests: times.length, p50Ms: round(percentile(times, 50), 1), p95Ms: round(percentile(times, 95), 1), maxMs: round(Math.max(...times), 1), firstMs: round(firstMs, 1), bytes: first.body.length };
}

/** `maillage mailing:send` to the sink; its peak memory read from /proc while it runs. */
async function sendWithCli(dataDir: string, env: Record<string, string>, sink: SmtpSink, mailingId: string) {
  const started = performance.now();
  const startedAt = Date.now();
  const before = sink.times.length;
  const tracked = spawnTracked(process.execPath, [...CLI, 'mailing:send', mailingId], {
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], NODE_ENV: 'production', LOG_LEVEL: 'warn', JOBS: 'off', DATA_DIR: dataDir, SMTP_URL: sink.url, BASE_URL: 'http://127.0.0.1:3000', MAIL_FROM: 'Réseau <reseau@example.org>', ...env },
  });
  const peak = await exitedWithPeakRss(tracked, 'mailing:send');
  const times = sink.times.slice(before);
  const processSeconds = (performance.now() - started) / 1000;
  // Between the first and the last message received: the sending itself, the start (audience walk) left out.
  const sendingSeconds = times.length > 1 ? (times[times.length - 1]! - times[0]!) / 1000 : NaN;
  return {
    messages: times.length,
    messagesPerSecond: round((times.length - 1) / sendingSeconds, 1),
    processSeconds: round(processSeconds, 2),
    /** Spawn to the first message: tsx start-up and the start of the send (the audience walked, the recipients written). */
    firstMessageAfterSeconds: times.length ? round((times[0]! - startedAt) / 1000, 2) : null,
    peakRssMiB: round(peak / 1048576, 1),
  };
}

/** The list, its subscribers (some of them contacts' addresses), the suppression list and the sending settings, written directly. */
async function seedNewsletter(databaseUrl: string): Promise<{ listId: string; contactAddresses: number; suppressed: number }> {
  const handle = createDb(databaseUrl);
  try {
    const db = handle.db;
    const at = new Date().toISOString();
    // Every other contact address (one row per address: contacts may share one).
    const byAddress = new Map((await db.selectFrom('contact_emails').select(['email', 'email_lower']).orderBy('email_lower').execute()).map((a) => [a.email_lower, a]));
    const contactAddresses = [...byAddress.values()].filter((_, i) => i % 2 === 0);
    const listId = newId();
    await db.insertInto('newsletter_lists').values({ id: listId, name: 'Lettre du réseau', description: '', is_public: 1, double_opt_in: 1, is_default: 1, created_by: null, created_at: at, updated_at: at }).execute();
    const ids = newIds(SUBSCRIBERS);
    const addressOf = (i: number) => (i % SHARED_EVERY === 0 && contactAddresses[i / SHARED_EVERY] ? contactAddresses[i / SHARED_EVERY]! : { email: `abonne${i}@example.org`, email_lower: `abonne${i}@example.org` });
    for (let i = 0; i < SUBSCRIBERS; i += 500) {
      const chunk = ids.slice(i, i + 500);
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('newsletter_subscribers')
          .values(chunk.map((id, j) => ({ id, ...addressOf(i + j), name: `Abonné ${i + j}`, organisation: null, contact_id: null, token: `jeton-${id.replace(/-/g, '')}`, created_at: at, updated_at: at })))
          .execute();
        await trx
          .insertInto('newsletter_subscriptions')
          .values(chunk.map((id) => ({ subscriber_id: id, list_id: listId, status: 'confirmed' as const, created_at: at, updated_at: at })))
          .execute();
      });
    }
    const addresses = [...new Set([...byAddress.keys(), ...Array.from({ length: SUBSCRIBERS }, (_, i) => addressOf(i).email_lower)])].sort();
    const suppressed = addresses.filter((_, i) => i % SUPPRESSED_EVERY === 0);
    for (let i = 0; i < suppressed.length; i += 500) {
      await db
        .insertInto('newsletter_suppressions')
        .values(suppressed.slice(i, i + 500).map((email) => ({ email_hash: emailHash(email), reason: 'unsubscribed', detail: null, created_at: at })))
        .execute();
    }
    await saveNewsletterSettings({ db, clock: { now: () => new Date() } }, { ratePerSecond: 0, ratePerHour: 0, concurrency: CONCURRENCY });
    return { listId, contactAddresses: contactAddresses.length, suppressed: suppressed.length };
  } finally {
    await handle.close();
  }
}

interface DialectFigures {
  dialect: Dialect;
  importSeconds: number;
  dataSize: unknown;
  whole: PageFigures;
  segment: PageFigures;
  send: Awaited<ReturnType<typeof sendWithCli>>;
  appPeakRssMiB: number | null;
}

async function measureDialect(dialect: Dialect, env: Record<string, string>, log: (m: string) => void): Promise<DialectFigures> {
  const dataDir = await prepareDataDir(env);
  const databaseUrl = env['DATABASE_URL'] ?? `sqlite:${path.join(dataDir, 'maillage.db')}`;
  const started = performance.now();
  for (const file of FILES) {
    log(`${dialect}: maillage import ${file}`);
    await runCli(['import', sharedDir('samples', 'predecessors-large', file), '--mode', 'valid-only'], { dataDir, env: { GEOCODER_URL: '', ...env } });
  }
  const importSeconds = (performance.now() - started) / 1000;
  const seeded = await seedNewsletter(databaseUrl);
  const created = await runCli(['user:create', '--email', STAFF_EMAIL, '--role', 'staff'], { dataDir, env });
  const password = /Mot de passe[^:]*:\s*(\S+)/.exec(created)?.[1];
  if (!password) throw new Error(`no password in the output of user:create:\n${created}`);
  const dataSize = dialect === 'sqlite' ? sqliteSize(dataDir) : await postgresSize(databaseUrl);

  let app: AppProcess | null = null;
  const handle = createDb(databaseUrl);
  try {
    app = await startApp({ dataDir, env });
    const browser = new Browser(app.url);
    await browser.signIn(STAFF_EMAIL, password);
    const saveSegment = async (s: { name: string; query: string }) => {
      await browser.submit('/admin/organisations/filtres', s);
      return (await handle.db.selectFrom('saved_filters').select('id').where('name', '=', s.name).executeTakeFirstOrThrow()).id;
    };
    const everyone = await saveSegment(EVERYONE);
    const gironde = await saveSegment(SEGMENT);
    const newMailing = async (subject: string, lists: string[], segmentId: string) =>
      (await browser.submit('/admin/lettres/nouvelle', { from_name: 'Réseau', subject, body: BODY, lists, segment: segmentId })).split('/').pop()!.split(/[?#]/)[0]!;
    const wholeMailing = await newMailing('La lettre du réseau', [seeded.listId], everyone);
    const segmentMailing = await newMailing('Rencontre en Gironde', [], gironde);
    log(`${dialect}: audience page of the whole audience, ${REQUESTS} requests`);
    const whole = await measurePage(browser, wholeMailing);
    log(`${dialect}: ${formatNumber(whole.recipients)} recipients, p50 ${whole.p50Ms} ms, p95 ${whole.p95Ms} ms`);
    log(`${dialect}: audience page of the segment ${SEGMENT.query}, ${REQUESTS} requests`);
    const segment = await measurePage(browser, segmentMailing);
    log(`${dialect}: ${formatNumber(segment.recipients)} recipients, p50 ${segment.p50Ms} ms, p95 ${segment.p95Ms} ms`);
    const memory = app.memory();
    const appPeakRssMiB = memory ? round(memory.peakRssBytes / 1048576, 1) : null;
    // The server stopped before the send: it would only share the two cores.
    await app.stop();
    app = null;

    log(`${dialect}: maillage mailing:send of the segment (${formatNumber(segment.recipients)} recipients)`);
    const sink = await new SmtpSink().start();
    try {
      const send = await sendWithCli(dataDir, env, sink, segmentMailing);
      if (send.messages !== segment.recipients) throw new Error(`the sink received ${send.messages} messages, the audience page counted ${segment.recipients}`);
      log(`${dialect}: ${send.messagesPerSecond} msg/s, peak RSS ${send.peakRssMiB} MiB`);
      return { dialect, importSeconds: round(importSeconds, 1), dataSize, whole, segment, send, appPeakRssMiB };
    } finally {
      await sink.close();
    }
  } finally {
    await app?.stop();
    await handle.close();
  }
}

function tables(results: DialectFigures[]): Table[] {
  return [
    {
      title: `Audience page through HTTP, signed in as staff (${REQUESTS} requests one at a time, pages first to last)`,
      columns: ['dialect', 'audience', 'recipients', 'pages', 'p50 ms', 'p95 ms', 'max ms', 'first ms'],
      rows: results.flatMap((r) => [
        [r.dialect, 'list + every organisation', formatNumber(r.whole.recipients), formatNumber(r.whole.pages), r.whole.p50Ms, r.whole.p95Ms, r.whole.maxMs, r.whole.firstMs],
        [r.dialect, `segment ${SEGMENT.query}`, formatNumber(r.segment.recipients), formatNumber(r.segment.pages), r.segment.p50Ms, r.segment.p95Ms, r.segment.maxMs, r.segment.firstMs],
      ]),
    },
    {
      title: `Segment send by maillage mailing:send to a local SMTP sink (${CONCURRENCY} in flight, no ceiling)`,
      columns: ['dialect', 'messages', 'msg/s', 'first message after (s)', 'process s', 'peak RSS (MiB)', 'server peak RSS, pages (MiB)'],
      rows: results.map((r) => [r.dialect, formatNumber(r.send.messages), r.send.messagesPerSecond, r.send.firstMessageAfterSeconds, r.send.processSeconds, r.send.peakRssMiB, r.appPeakRssMiB]),
    },
    {
      title: 'Data',
      columns: ['dialect', 'import (s)', 'database', 'organisations', 'contacts', 'subscribers'],
      rows: results.map((r) => {
        const size = r.dataSize as { fileBytes?: number; bytes?: number; rows?: Record<string, number> };
        return [r.dialect, r.importSeconds, formatBytes(size.fileBytes ?? size.bytes), formatNumber(size.rows?.['organisations']), formatNumber(size.rows?.['contacts']), formatNumber(SUBSCRIBERS)];
      }),
    },
  ];
}

const scenario: Scenario = {
  name: 'newsletter-audience',
  description: `Newsletter audience page (p50/p95 through HTTP) and a segment send (msg/s, peak RSS) on predecessors-large (~51,000 organisations) + ${formatNumber(SUBSCRIBERS)} subscribers, SQLite and PostgreSQL`,
  async run({ log }) {
    const results: DialectFigures[] = [];
    let scratch: ScratchDatabase | null = null;
    try {
      results.push(await measureDialect('sqlite', {}, log));
      if (await postgresReachable()) {
        scratch = await createScratchDatabase(`maillage_bench_nlaudience_${process.pid}`);
        results.push(await measureDialect('postgres', { DATABASE_URL: scratch.url }, log));
      } else {
        log('PostgreSQL is not reachable on 127.0.0.1:5432: measured on SQLite only');
      }
      return {
        dataSize: Object.fromEntries(results.map((r) => [r.dialect, r.dataSize])),
        settings: { files: FILES, subscribers: SUBSCRIBERS, sharedEvery: SHARED_EVERY, suppressedEvery: SUPPRESSED_EVERY, segmentQuery: SEGMENT.query, requests: REQUESTS, concurrency: CONCURRENCY, smtp: 'local smtp-server sink, no TLS', nodeEnv: 'production' },
        figures: Object.fromEntries(results.map(({ dataSize: _size, ...r }) => [r.dialect, r])),
        tables: tables(results),
      };
    } finally {
      await scratch?.drop();
    }
  },
};

export default scenario;
