import { AppError } from '../../kernel/errors.js';
import { resolveSegment } from '../organisations-admin/index.js';
import * as audienceRepo from './audience-repo.js';
import type { NewsletterDeps } from './deps.js';
import { suppressedEmails } from './suppression.js';

export interface AudienceMember {
  email: string;
  emailLower: string;
  name: string | null;
  /** The subscriber row, when the address has one already. */
  subscriberId: string | null;
  contactId: string | null;
  via: 'list' | 'segment' | 'both';
}

export interface Audience {
  members: AudienceMember[];
  /** People left out, by reason. */
  excluded: { suppressed: number; noLegalBasis: number; noEmail: number };
  /** The segment no longer exists (deleted saved filter). */
  segmentMissing: boolean;
}

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
 * The recipients of a mailing: people confirmed on its lists, plus the contacts of the
 * organisations its segment matches (with an address and a legal basis that allows it), one per
 * address, minus the suppression list.
 */
export async function computeAudience(deps: Pick<NewsletterDeps, 'db' | 'dialect' | 'clock'>, target: { listIds: string[]; segmentId: string | null }): Promise<Audience> {
  const byEmail = new Map<string, AudienceMember>();
  for (const m of await audienceRepo.confirmedMembers(deps.db, target.listIds)) {
    byEmail.set(m.email_lower, { email: m.email, emailLower: m.email_lower, name: m.name, subscriberId: m.id, contactId: m.contact_id, via: 'list' });
  }
  const excluded = { suppressed: 0, noLegalBasis: 0, noEmail: 0 };
  let segmentMissing = false;
  if (target.segmentId) {
    let organisationIds: string[] = [];
    try {
      organisationIds = await resolveSegment(deps.db, target.segmentId, deps.dialect, deps.clock.now());
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'not_found') throw error;
      segmentMissing = true;
    }
    const rows = await audienceRepo.contactsOfOrganisations(deps.db, organisationIds);
    const consents = await audienceRepo.consentsOfContacts(
      deps.db,
      rows.map((r) => r.contact_id),
      ['newsletter', 'contact_database'],
    );
    const eventsOf = new Map<string, { purpose: string; event: string }[]>();
    for (const c of consents) eventsOf.set(c.contact_id, [...(eventsOf.get(c.contact_id) ?? []), c]);
    // One address per contact: the primary one, else the first.
    const best = new Map<string, audienceRepo.SegmentPerson>();
    for (const r of rows) {
      const seen = best.get(r.contact_id);
      if (!seen || (!seen.email && r.email) || (r.email && r.is_primary === 1 && seen.is_primary !== 1)) best.set(r.contact_id, r);
    }
    for (const person of best.values()) {
      if (!person.email || !person.email_lower) {
        excluded.noEmail++;
        continue;
      }
      if (!legalBasisAllows(eventsOf.get(person.contact_id) ?? [])) {
        excluded.noLegalBasis++;
        continue;
      }
      const existing = byEmail.get(person.email_lower);
      if (existing) {
        if (existing.via === 'list') existing.via = 'both';
        existing.contactId ??= person.contact_id;
        continue;
      }
      const name = [person.first_name, person.last_name].filter(Boolean).join(' ') || null;
      byEmail.set(person.email_lower, { email: person.email, emailLower: person.email_lower, name, subscriberId: null, contactId: person.contact_id, via: 'segment' });
    }
  }
  const suppressed = await suppressedEmails(deps.db, [...byEmail.keys()]);
  excluded.suppressed = suppressed.size;
  const members = [...byEmail.values()].filter((m) => !suppressed.has(m.emailLower)).sort((a, b) => a.emailLower.localeCompare(b.emailLower));
  return { members, excluded, segmentMissing };
}
