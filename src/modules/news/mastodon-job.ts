import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../../kernel/clock.js';
import type { Kernel } from '../../kernel/http/types.js';
import type { JobContext, Jobs } from '../../kernel/jobs/index.js';
import { MastodonError, postStatus } from './mastodon-client.js';
import { recordMastodonOutcome } from './mastodon-repo.js';
import { mastodonAccount } from './mastodon-settings.js';
import * as repo from './repo.js';
import { type Article, articleHref } from './types.js';

export const MASTODON_JOB = 'news.mastodon';
/** Mastodon's default limit of a status, in characters. */
const STATUS_MAX = 500;

export interface MastodonPayload {
  articleId: string;
}

/** The status posted for an article: its title and its address (the title shortened if need be). */
export function statusText(title: string, url: string): string {
  const room = STATUS_MAX - url.length - 2;
  const shown = title.length > room ? `${title.slice(0, Math.max(0, room - 1)).trimEnd()}…` : title;
  return `${shown}\n\n${url}`;
}

function wantsPost(a: Pick<Article, 'mastodon_post' | 'status' | 'published_at' | 'mastodon_status_url'>): boolean {
  return a.mastodon_post === 1 && a.status === 'published' && a.published_at !== null && !a.mastodon_status_url;
}

/**
 * Queues the post of an article that asks for one and is (or will be) public: a durable job run at
 * its publication date. The key names the article and the date, so saving the article again queues
 * nothing more, and a new date queues a job of its own (the old one then finds nothing to do).
 */
export async function scheduleMastodonPost(deps: { clock: Clock; jobs: Pick<Jobs, 'enqueue'> }, a: Article, options: { retry?: boolean } = {}): Promise<boolean> {
  if (!wantsPost(a)) return false;
  const now = deps.clock.now();
  const at = new Date(a.published_at!);
  const key = `${MASTODON_JOB}:${a.id}:${a.published_at}${options.retry ? `:retry:${now.getTime()}` : ''}`;
  const id = await deps.jobs.enqueue(MASTODON_JOB, { articleId: a.id } satisfies MastodonPayload, { runAt: at > now ? at : now, idempotencyKey: key, maxAttempts: 3 });
  return id !== null;
}

/** Posts the article if it still asks for it and is public; records the status address, or the error staff will see. */
export async function runMastodonPost(
  kernel: Pick<Kernel, 'clock' | 'config'> & { db: Kysely<Database> },
  payload: MastodonPayload,
  context: Pick<JobContext, 'attempt' | 'signal'>,
  maxAttempts = 3,
): Promise<void> {
  const a = await repo.findArticle(kernel.db, payload.articleId);
  if (!a || !wantsPost(a)) return;
  // Moved to a later date: the job queued for that date posts it.
  if (new Date(a.published_at!).getTime() > kernel.clock.now().getTime()) return;
  const account = await mastodonAccount(kernel.db);
  if (!account) {
    await recordMastodonOutcome(kernel.db, a.id, { error: 'no Mastodon account is configured' });
    return;
  }
  const url = `${kernel.config.baseUrl.replace(/\/+$/, '')}${articleHref(a.slug)}`;
  try {
    const posted = await postStatus(account.instanceUrl, account.token, statusText(a.title, url), `maillage-news-${a.id}`, {
      allowlist: kernel.config.fetchAllowlist,
      signal: context.signal,
    });
    await recordMastodonOutcome(kernel.db, a.id, { url: posted.url, at: kernel.clock.now().toISOString() });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await recordMastodonOutcome(kernel.db, a.id, { error: message.slice(0, 500) });
    // Worth another attempt (network, server error, rate limit): the job runs again after a backoff.
    if (error instanceof MastodonError && error.retry && context.attempt < maxAttempts) throw error;
  }
}

export function defineNewsJobs(jobs: Jobs, kernel: Kernel): void {
  jobs.define<MastodonPayload>({
    name: MASTODON_JOB,
    maxAttempts: 3,
    handler: (payload, context) => runMastodonPost(kernel, payload, context),
  });
}
