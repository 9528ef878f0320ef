import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { foldText } from '../../kernel/search/normalise.js';
import { contactSortNameOf } from '../organisations/index.js';
import type { Journal } from './journal.js';
import * as rows from './journal-repo.js';
import * as repo from './repo.js';
import { repointAll } from './repoint.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface ContactSide {
  id: string;
  civility: string | null;
  first_name: string | null;
  last_name: string;
  function: string | null;
  emails: string[];
  erased: boolean;
}

/** Two contacts that are the same person: `absorbed` merges into `survivor`. */
export interface ContactPair {
  absorbed: ContactSide;
  survivor: ContactSide;
  /** Why: a shared email (case-insensitively), or the same first and last name. */
  reason: 'email' | 'name';
}

export interface ContactPlan {
  survivorSide: ContactSide[];
  absorbedSide: ContactSide[];
  pairs: ContactPair[];
}

function folded(text: string | null): string {
  return foldText(text ?? '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** First and last name, folded (case, accents, punctuation); null without a last name. */
export function nameKey(c: { first_name: string | null; last_name: string }): string | null {
  const last = folded(c.last_name);
  return last ? `${folded(c.first_name)}|${last}` : null;
}

/**
 * Which contacts of the absorbed organisation are people the survivor already has: the same email
 * (case-insensitively) first, else the same first and last name. Erased contacts (RGPD) are never
 * merged; a person already in both organisations needs nothing.
 */
export async function planContactMerge(db: Db, survivorOrgId: string, absorbedOrgId: string): Promise<ContactPlan> {
  const roles = await repo.contactsOfOrganisations(db, [survivorOrgId, absorbedOrgId]);
  const emails = await repo.emailsOf(db, [...new Set(roles.map((r) => r.id))]);
  const side = (organisationId: string): ContactSide[] =>
    roles
      .filter((r) => r.organisation_id === organisationId)
      .map((r) => ({
        id: r.id,
        civility: r.civility,
        first_name: r.first_name,
        last_name: r.last_name,
        function: r.function,
        emails: (emails.get(r.id) ?? []).map((e) => e.email),
        erased: r.erased_at !== null,
      }));
  const survivorSide = side(survivorOrgId);
  const absorbedSide = side(absorbedOrgId);
  const inSurvivor = new Set(survivorSide.map((c) => c.id));
  const candidates = survivorSide.filter((c) => !c.erased);
  const pairs: ContactPair[] = [];
  for (const contact of absorbedSide) {
    if (contact.erased || inSurvivor.has(contact.id)) continue;
    const lower = new Set(contact.emails.map((e) => e.toLowerCase()));
    const byEmail = candidates.find((s) => s.emails.some((e) => lower.has(e.toLowerCase())));
    if (byEmail) {
      pairs.push({ absorbed: contact, survivor: byEmail, reason: 'email' });
      continue;
    }
    const key = nameKey(contact);
    const byName = key ? candidates.find((s) => nameKey(s) === key) : undefined;
    if (byName) pairs.push({ absorbed: contact, survivor: byName, reason: 'name' });
  }
  return { survivorSide, absorbedSide, pairs };
}

function joinNotes(a: unknown, b: unknown): string | null {
  const x = typeof a === 'string' ? a.trim() : '';
  const y = typeof b === 'string' ? b.trim() : '';
  if (!x) return y || null;
  if (!y || x === y) return x;
  return `${x}\n\n${y}`;
}

const blank = (v: unknown) => v === null || v === undefined || String(v).trim() === '';

/**
 * Merges one contact into another: the survivor's empty fields take the absorbed one's values,
 * notes are joined, the public profile stays only if both agreed to it; emails, roles, interests
 * and the whole consent history move to the survivor; the absorbed contact is deleted.
 */
export async function mergeContact(db: Db, journal: Journal, absorbedId: string, survivorId: string, at: string): Promise<void> {
  const [absorbed] = await rows.selectRows(db, 'contacts', { id: absorbedId });
  const [survivor] = await rows.selectRows(db, 'contacts', { id: survivorId });
  if (!absorbed || !survivor) throw new Error('Merge: a contact disappeared');
  const changes: Record<string, unknown> = { updated_at: at };
  for (const column of ['civility', 'first_name', 'phone']) {
    if (blank(survivor[column]) && !blank(absorbed[column])) changes[column] = absorbed[column];
  }
  // A first name taken from the absorbed contact moves the survivor in name order.
  if ('first_name' in changes) changes['sort_name'] = contactSortNameOf({ first_name: String(changes['first_name']), last_name: String(survivor['last_name']) });
  changes['notes'] = joinNotes(survivor['notes'], absorbed['notes']);
  changes['public_profile'] = Math.min(Number(survivor['public_profile']), Number(absorbed['public_profile']));
  await journal.update('contacts', survivor, changes);
  await repointAll(db, journal, 'contact', absorbedId, survivorId);
  await journal.delete('contacts', absorbed);
}
