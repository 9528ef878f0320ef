import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Dialect } from '../../kernel/db/create-db.js';
import { AppError } from '../../kernel/errors.js';
import { segmentOrganisations } from '../organisations-admin/index.js';
import * as audienceRepo from './audience-repo.js';
import type { NewsletterDeps } from './deps.js';
import { suppressedEmails } from './suppression.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface AudienceMember {
  email: string;
  emailLower: string;
  name: string | null;
  /** The subscriber row, when the address has one already. */
  subscriberId: string | null;
  contactId: string | null;
  via: 'list' | 'segment' | 'both';
}

/** People left out, by reason. */
export interface AudienceExcluded {
  suppressed: number;
  noLegalBasis: number;
  noEmail: number;
}

/** What a mailing targets: its lists and its segment (a saved filter of organisations). */
export interface AudienceTarget {
  listIds: string[];
  segmentId: string | null;
}

/** The target resolved: the segment's organisations as a subquery, evaluated by each query of the audience. */
export interface ResolvedTarget {
  source: audienceRepo.AudienceSource;
  /** The segment no longer exists (deleted saved filter). */
  segmentMissing: boolean;
}

/**
 * Addresses read per window of the walk: what it holds at once (a few megabytes at most), whatever
 * the audience's size. Measured on 50,000 subscribers (SQLite), the start's peak resident memory
 * did not move between 500 and 5,000; on PostgreSQL each window's query is planned anew (~20 ms
 * with a segment of 5,000 organisations), so larger windows walk a large segment 2–3 times faster.
 */
export const AUDIENCE_WINDOW = 5000;

/**
 * Whether a contact's recorded legal basis allows mailing them: the last `newsletter` consent
 * event is not a withdrawal, and there is a consent given or a person informed (legitimate
 * interest) for the newsletter or for the contact database, not withdrawn since.
 */
export function legalBasisAllows(events: { purpose: string; event: string }[]): boolean {
  const last = (purpose: string) => [...events].reverse().find((e) => e.purpose === purpose)?.event;
  const newsletter = last('newsletter');
  if (newsletter === 'withdrawn') return false;
  if (newsletter === 'given' || newsletter === 'informed') return true;
  const database = last('contact_database');
  return database === 'given' || database === 'informed';
}

/**
 * The organisations the mailing's segment matches (none when it has no segment, or it was deleted),
 * as a subquery: the segment's filter is read and its dates fixed now, and the set is left to the
 * database, so no list of organisations is held, however many the segment matches.
 */
export async function resolveTarget(deps: Pick<NewsletterDeps, 'db' | 'dialect' | 'clock'>, target: AudienceTarget): Promise<ResolvedTarget> {
  let segment: audienceRepo.AudienceSource['segment'] = null;
  let segmentMissing = false;
  if (target.segmentId) {
    try {
      segment = await segmentOrganisations(deps.db, target.segmentId, deps.dialect, deps.clock.now());
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'not_found') throw error;
      segmentMissing = true;
    }
  }
  return { source: { listIds: target.listIds, segment }, segmentMissing };
}

/** The member at an address: its list row (the subscriber), else its first allowed contact; none when neither. */
function memberOf(emailLower: string, list: audienceRepo.AudienceRow | undefined, contact: audienceRepo.AudienceRow | undefined): AudienceMember | null {
  if (list) return { email: list.email, emailLower, name: list.name, subscriberId: list.subscriber_id, contactId: list.contact_id ?? contact?.contact_id ?? null, via: contact ? 'both' : 'list' };
  if (!contact) return null;
  const name = [contact.first_name, contact.last_name].filter(Boolean).join(' ') || null;
  return { email: contact.email, emailLower, name, subscriberId: null, contactId: contact.contact_id, via: 'segment' };
}

/**
 * One member per address of rows in address order (an address's rows consecutive), of its list
 * row and its first contact `allowed` keeps. `allowed` is asked about every contact row.
 */
function membersByAddress(rows: audienceRepo.AudienceRow[], allowed: (contact: audienceRepo.AudienceRow) => boolean): AudienceMember[] {
  const members: AudienceMember[] = [];
  for (let i = 0; i < rows.length; ) {
    const emailLower = rows[i]!.email_lower;
    let list: audienceRepo.AudienceRow | undefined;
    let contact: audienceRepo.AudienceRow | undefined;
    for (; i < rows.length && rows[i]!.email_lower === emailLower; i++) {
      const row = rows[i]!;
      if (row.source === 'list') list = row;
      else if (allowed(row)) contact ??= row;
    }
    const member = memberOf(emailLower, list, contact);
    if (member) members.push(member);
  }
  return members;
}

/** The rows of one window, one member per address (an address's rows are consecutive), minus the suppression list. */
async function membersOf(db: Db, rows: audienceRepo.AudienceRow[], excluded: AudienceExcluded): Promise<AudienceMember[]> {
  const contactIds = rows.filter((r) => r.source === 'segment').map((r) => r.contact_id!);
  const eventsOf = new Map<string, { purpose: string; event: string }[]>();
  for (const c of contactIds.length ? await audienceRepo.consentsOfContacts(db, contactIds, ['newsletter', 'contact_database']) : []) {
    const events = eventsOf.get(c.contact_id);
    if (events) events.push(c);
    else eventsOf.set(c.contact_id, [c]);
  }
  const members = membersByAddress(rows, (contact) => {
    if (legalBasisAllows(eventsOf.get(contact.contact_id!) ?? [])) return true;
    excluded.noLegalBasis++;
    return false;
  });
  const suppressed = await suppressedEmails(
    db,
    members.map((m) => m.emailLower),
  );
  excluded.suppressed += suppressed.size;
  return suppressed.size ? members.filter((m) => !suppressed.has(m.emailLower)) : members;
}

/**
 * Walks the recipients of a mailing in address order, a window of addresses at a time: people
 * confirmed on its lists, plus the contacts of the organisations its segment matches (with an
 * address and a legal basis that allows it), one per address, minus the suppression list. `onPage`
 * gets each window's members (never empty); only one window is held at a time, and each is a
 * bounded range of the address indexes (`windowSize` addresses of the subscribers and contacts
 * tables at most), so the walk reads each address once whatever the audience's share of them.
 * Returns how many members there were and who was left out. `db` may be a transaction: every read
 * goes through it.
 */
export async function walkAudience(
  db: Db,
  dialect: Dialect,
  source: audienceRepo.AudienceSource,
  onPage: (members: AudienceMember[]) => Promise<void> | void,
  windowSize = AUDIENCE_WINDOW,
): Promise<{ total: number; excluded: AudienceExcluded }> {
  const excluded: AudienceExcluded = { suppressed: 0, noLegalBasis: 0, noEmail: await audienceRepo.countContactsWithoutEmail(db, dialect, source.segment) };
  let total = 0;
  if (source.listIds.length === 0 && !source.segment) return { total, excluded };
  for (let after: string | null = null; ; ) {
    const upto = await audienceRepo.windowEnd(db, source, after, windowSize);
    const members = await membersOf(db, await audienceRepo.audienceRows(db, dialect, source, after, upto), excluded);
    total += members.length;
    if (members.length) await onPage(members);
    if (upto === null) break;
    after = upto;
  }
  return { total, excluded };
}

/** What the audience page shows: the counts, and the members of one page (`offset`, `limit`). */
export interface AudiencePreview {
  total: number;
  excluded: AudienceExcluded;
  segmentMissing: boolean;
  members: AudienceMember[];
}

/**
 * What the audience page shows, in two queries whatever the audience's size (`audiencePage`): the
 * counts and the addresses of the page asked in one walk of the whole audience (the database counts
 * it as the walk of a send would, and pages the members in address order), then the page's rows. The
 * same people, in the same order, as the start of a send writes (`walkAudience`).
 */
export async function previewAudience(deps: Pick<NewsletterDeps, 'db' | 'dialect' | 'clock'>, target: AudienceTarget, window: { offset: number; limit: number }): Promise<AudiencePreview> {
  const { source, segmentMissing } = await resolveTarget(deps, target);
  const { counts, rows } = await audienceRepo.audiencePage(deps.db, deps.dialect, source, window);
  const { total, ...excluded } = counts;
  // The page's rows are only members' rows (list rows, allowed contacts).
  return { total, excluded, segmentMissing, members: membersByAddress(rows, () => true) };
}
