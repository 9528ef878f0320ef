import { randomBytes } from 'node:crypto';
import { recordAudit } from '../../kernel/audit/index.js';
import { type Locale, type MessageKey, type Translate } from '../../kernel/i18n/index.js';
import { slugify } from '../../kernel/identifiers.js';
import { newId } from '../../kernel/ids.js';
import { EMAIL_PATTERN } from '../../kernel/validation.js';
import { listSegments } from '../organisations-admin/index.js';
import { isComposed, type MailingBlock, textBlocks } from './blocks.js';
import type { NewsletterActor, NewsletterDeps } from './deps.js';
import * as mailingRepo from './mailing-repo.js';
import { personalise, prepareMailing } from './render-mailing.js';
import * as repo from './repo.js';
import { newsletterSettings } from './settings.js';
import { classifySendError } from './smtp-errors.js';
import { isSuppressed } from './suppression.js';
import { lowerEmail, SAMPLE_TOKEN } from './tokens.js';

export interface MailingInput {
  subject: string;
  fromName: string;
  replyTo: string | null;
  /** HTML (or plain text) of the text block. */
  body: string;
  /** Blocks composed elsewhere (the bulletin's editor): when given, `body` is not used. */
  blocks?: MailingBlock[];
  listIds: string[];
  segmentId: string | null;
  /** Open and click tracking: off unless asked for (privacy). */
  track?: boolean;
  /** The language it is written in (default French): the email's own words follow it. */
  locale?: Locale;
  /** Open with « Bonjour Prénom Nom, » (default); a draft saved without it keeps its choice. */
  greeting?: boolean;
}

export type MailingResult = { ok: true; id: string } | { ok: false; field: string; key: MessageKey };

/** The web version's address: readable, with a random end so that a private mailing's cannot be guessed. */
export function mailingSlug(subject: string, now: Date): string {
  return `${now.toISOString().slice(0, 7)}-${slugify(subject).slice(0, 60)}-${randomBytes(5).toString('hex')}`;
}

async function checkAudience(deps: Pick<NewsletterDeps, 'db'>, input: MailingInput): Promise<MailingResult | null> {
  const lists = await repo.listsByIds(deps.db, input.listIds);
  if (lists.length !== new Set(input.listIds).size) return { ok: false, field: 'lists', key: 'newsletter.error.listUnknown' };
  if (input.segmentId && !(await listSegments(deps.db)).some((s) => s.id === input.segmentId)) return { ok: false, field: 'segment', key: 'newsletter.error.segmentUnknown' };
  return null;
}

export async function createMailing(deps: Pick<NewsletterDeps, 'db' | 'clock'>, actor: NewsletterActor, input: MailingInput): Promise<MailingResult> {
  const problem = await checkAudience(deps, input);
  if (problem) return problem;
  const now = deps.clock.now();
  const at = now.toISOString();
  const id = newId(now.getTime());
  const row = {
    id,
    slug: mailingSlug(input.subject, now),
    subject: input.subject,
    from_name: input.fromName,
    reply_to: input.replyTo,
    blocks: JSON.stringify(input.blocks ?? textBlocks(input.body)),
    segment_id: input.segmentId,
    tracking: input.track ? 1 : 0,
    locale: input.locale ?? 'fr',
    greeting: input.greeting === false ? 0 : 1,
    created_by: actor.id,
    created_at: at,
    updated_at: at,
  };
  await mailingRepo.insertMailing(deps.db, row, [...new Set(input.listIds)]);
  await recordAudit(deps.db, actor, { action: 'newsletter_mailing.created', entityType: 'newsletter_mailing', entityId: id, after: { ...row, lists: input.listIds } }, now);
  return { ok: true, id };
}

export async function saveMailing(deps: Pick<NewsletterDeps, 'db' | 'clock'>, actor: NewsletterActor, mailing: mailingRepo.MailingRow, input: MailingInput): Promise<MailingResult> {
  const problem = await checkAudience(deps, input);
  if (problem) return problem;
  const now = deps.clock.now();
  const patch = {
    subject: input.subject,
    from_name: input.fromName,
    reply_to: input.replyTo,
    // A mailing composed with blocks keeps them: its form has no body (the block editor changes them).
    blocks: isComposed(mailing.blocks) ? mailing.blocks : JSON.stringify(textBlocks(input.body)),
    segment_id: input.segmentId,
    tracking: input.track ? 1 : 0,
    locale: input.locale ?? mailing.locale,
    greeting: input.greeting === undefined ? mailing.greeting : input.greeting ? 1 : 0,
    updated_at: now.toISOString(),
  };
  if (!(await mailingRepo.updateDraft(deps.db, mailing.id, patch, [...new Set(input.listIds)]))) return { ok: false, field: 'subject', key: 'newsletter.error.notDraft' };
  await recordAudit(deps.db, actor, { action: 'newsletter_mailing.updated', entityType: 'newsletter_mailing', entityId: mailing.id, before: mailing, after: { ...patch, lists: input.listIds } }, now);
  return { ok: true, id: mailing.id };
}

export async function deleteMailing(deps: Pick<NewsletterDeps, 'db' | 'clock'>, actor: NewsletterActor, mailing: mailingRepo.MailingRow): Promise<boolean> {
  if (!(await mailingRepo.deleteDraft(deps.db, mailing.id))) return false;
  await recordAudit(deps.db, actor, { action: 'newsletter_mailing.deleted', entityType: 'newsletter_mailing', entityId: mailing.id, before: mailing }, deps.clock.now());
  return true;
}

const isEmail = (text: string) => text.length <= 254 && EMAIL_PATTERN.test(text);

/**
 * Addresses typed for a test send: valid ones, and what was not an address. Commas, semicolons
 * and line breaks separate entries; spaces too, when each word of an entry is an address (« a@x b@y »),
 * otherwise the entry is kept whole to be named as typed (« pas une adresse »).
 */
export function parseTestAddresses(text: string): { emails: string[]; invalid: string[] } {
  const emails: string[] = [];
  const invalid: string[] = [];
  for (const entry of text.split(/[,;\n\r]+/).map((p) => p.trim().replace(/\s+/g, ' '))) {
    if (!entry) continue;
    const words = entry.split(' ');
    if (words.every(isEmail)) emails.push(...words.map((w) => w.toLowerCase()));
    else invalid.push(entry);
  }
  return { emails: [...new Set(emails)], invalid: [...new Set(invalid)] };
}

export const MAX_TEST_ADDRESSES = 10;

/** Where a test was sent: to an SMTP server, or written as files when there is none (`outbox`). */
export interface TestSendResult {
  sent: string[];
  failed: { email: string; reason: string }[];
  problems: MessageKey[];
  /** The folder the messages were written to instead of being sent (no SMTP server configured). */
  outbox?: string;
}

/**
 * Sends the mailing as it is now to a few addresses, marked as a test. Nothing is recorded: an
 * address tested does not become a subscriber (no basis to keep it). A subscriber tested gets their
 * own greeting and links; anyone else the sample ones of the preview. `t` speaks the staff member's
 * language, for the reasons of failures.
 */
export async function testSend(deps: NewsletterDeps, mailing: mailingRepo.MailingRow, emails: string[], t: Translate): Promise<TestSendResult> {
  const settings = await newsletterSettings(deps);
  const lists = await repo.listsByIds(deps.db, await mailingRepo.listIdsOfMailing(deps.db, mailing.id));
  const prepared = await prepareMailing(deps, mailing, lists.map((l) => l.name), settings.unsubscribeMailto, { test: true });
  if (prepared.problems.length) return { sent: [], failed: [], problems: prepared.problems.map((p) => p.key) };
  const sent: string[] = [];
  const failed: { email: string; reason: string }[] = [];
  for (const email of emails.slice(0, MAX_TEST_ADDRESSES)) {
    // The suppression list holds for tests too: someone who left is never written to.
    if (await isSuppressed(deps.db, email)) {
      failed.push({ email, reason: t('newsletter.error.testSuppressed') });
      continue;
    }
    const subscriber = await repo.findSubscriberByEmail(deps.db, lowerEmail(email));
    try {
      await deps.mail.send(personalise(deps, prepared, { email, name: subscriber?.name ?? null, token: subscriber?.token ?? SAMPLE_TOKEN, via: 'test' }));
      sent.push(email);
    } catch (error) {
      failed.push({ email, reason: classifySendError(error).reason });
    }
  }
  return { sent, failed, problems: [], ...(deps.mail.outbox ? { outbox: deps.mail.outbox } : {}) };
}
