import { recordAudit } from '../../kernel/audit/index.js';
import { findUserByEmail } from '../../kernel/auth/repo.js';
import { inTransaction } from '../../kernel/db/transaction.js';
import { newId } from '../../kernel/ids.js';
import type { Locale } from '../../kernel/i18n/index.js';
import { queueingIn } from '../../kernel/jobs/index.js';
import { isCalendarDay } from '../../kernel/time/date-only.js';
import { inviteUserQueued } from '../accounts/index.js';
import {
  createOrganisation,
  findOrganisationById,
  linkUserToOrganisation,
  type Organisation,
  type OrganisationDraft,
  resolveLogoField,
  taxonomies,
  taxonomyCodes,
  updateOrganisation,
  validateOrganisation,
} from '../organisations/index.js';
import type { AdminDeps, Problems, StaffActor } from './deps.js';
import { MEMBERSHIP_STATUSES, type MembershipStatus } from './query.js';
import * as repo from './repo.js';
import { flaggedFields } from './source-flags.js';

export interface MembershipInput {
  year: number;
  status: MembershipStatus;
  fee_cents: number | null;
}

/** "120", "120,50", "1 200,00 €" → cents; null when empty; undefined when invalid. */
export function euroToCents(raw: string): number | null | undefined {
  const text = raw.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.');
  if (text === '') return null;
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(text)) return undefined;
  return Math.round(Number(text) * 100);
}

/** "12000" → "120,00" (form value, French decimal comma). */
export function centsToEuro(cents: number | null): string {
  if (cents === null) return '';
  return `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;
}

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** Membership rows of the form: membership_year_N, membership_status_N, membership_fee_N. */
export function parseMemberships(raw: Record<string, unknown>, currentYear: number): { rows: MembershipInput[]; errors: Problems } {
  const errors: Problems = {};
  const rows: MembershipInput[] = [];
  const indexes = new Set(Object.keys(raw).map((k) => /^membership_(?:year|status|fee)_(\d{1,3})$/.exec(k)?.[1]).filter((x): x is string => x !== undefined));
  const seen = new Set<number>();
  for (const i of [...indexes].sort((a, b) => Number(a) - Number(b))) {
    const yearText = str(raw[`membership_year_${i}`]);
    const statusText = str(raw[`membership_status_${i}`]);
    const feeText = str(raw[`membership_fee_${i}`]);
    if (!yearText && !statusText && !feeText) continue;
    const year = Number(yearText);
    if (!/^\d{4}$/.test(yearText) || year < 1950 || year > currentYear + 1) {
      errors[`membership_year_${i}`] = { key: 'backofficeOrganisations.error.membershipYear', params: { max: currentYear + 1 } };
    } else if (seen.has(year)) {
      errors[`membership_year_${i}`] = { key: 'backofficeOrganisations.error.membershipDuplicate', params: { year } };
    }
    seen.add(year);
    if (!(MEMBERSHIP_STATUSES as readonly string[]).includes(statusText)) errors[`membership_status_${i}`] = { key: 'backofficeOrganisations.error.membershipStatus' };
    const fee = euroToCents(feeText);
    if (fee === undefined) errors[`membership_fee_${i}`] = { key: 'backofficeOrganisations.error.fee' };
    if (!errors[`membership_year_${i}`] && !errors[`membership_status_${i}`] && fee !== undefined) {
      rows.push({ year, status: statusText as MembershipStatus, fee_cents: fee });
    }
  }
  return { rows: rows.sort((a, b) => b.year - a.year), errors };
}

export type SaveResult = { ok: true; organisation: Organisation } | { ok: false; errors: Problems; held?: boolean };

export interface SaveOptions {
  /** Called with the valid draft before anything is written; true holds the save (e.g. a likely duplicate to confirm). */
  hold?: (draft: OrganisationDraft) => Promise<boolean>;
}

/** Creates (id absent) or updates an organisation from the staff form, with its memberships. */
export async function saveOrganisation(deps: AdminDeps, actor: StaffActor, raw: Record<string, unknown>, id?: string, options: SaveOptions = {}): Promise<SaveResult> {
  const now = deps.clock.now();
  const codes = taxonomyCodes(await taxonomies(deps.db));
  const result = validateOrganisation(raw, codes, { currentYear: now.getUTCFullYear() });
  const memberships = parseMemberships(raw, now.getUTCFullYear());
  // A new logo is stored even when another field is refused: `raw` then carries it to the redisplayed form.
  const logo = await resolveLogoField(deps, raw, actor.id);
  const errors: Problems = { ...(result.ok ? {} : result.errors), ...memberships.errors, ...(logo.ok ? {} : { [logo.field]: logo.problem }) };
  if (!result.ok || !logo.ok || Object.keys(errors).length) return { ok: false, errors };
  const draft = { ...result.draft, logo_file_id: logo.logo };
  if (options.hold && (await options.hold(draft))) return { ok: false, errors: {}, held: true };
  const isMember = str(raw['is_member']) === '1';
  const auditActor = { id: actor.id, email: actor.email, ip: actor.ip };
  let organisation: Organisation | undefined;
  if (id) {
    const before = await findOrganisationById(deps.db, id);
    organisation = await updateOrganisation(deps, auditActor, id, draft, { isMember });
    if (!organisation) return { ok: false, errors: { name: { key: 'backofficeOrganisations.error.gone' } } };
    if (before) organisation = await clearCorrectedFlags(deps, before, organisation);
  } else {
    organisation = await createOrganisation(deps, auditActor, draft, { isMember, source: 'manual' });
  }
  await saveMemberships(deps, actor, organisation.id, memberships.rows);
  return { ok: true, organisation };
}

/** A flagged identifier (kept raw by an import) that staff changed is no longer flagged. */
async function clearCorrectedFlags(deps: AdminDeps, before: Organisation, after: Organisation): Promise<Organisation> {
  const flags = flaggedFields(before);
  if (!flags.length) return after;
  const was = before as unknown as Record<string, unknown>;
  const now = after as unknown as Record<string, unknown>;
  const kept = flags.filter((f) => (was[f] ?? null) === (now[f] ?? null));
  if (kept.length === flags.length) return after;
  const value = kept.length ? JSON.stringify(kept) : null;
  await repo.setSourceFlags(deps.db, after.id, value);
  return { ...after, source_flags: value };
}

async function saveMemberships(deps: AdminDeps, actor: StaffActor, organisationId: string, rows: MembershipInput[]): Promise<void> {
  const before = ((await repo.membershipsOf(deps.db, [organisationId])).get(organisationId) ?? []).map((m) => ({ year: m.year, status: m.status, fee_cents: m.fee_cents }));
  const same = JSON.stringify(before) === JSON.stringify(rows);
  if (same) return;
  const now = deps.clock.now();
  await repo.replaceMemberships(
    deps.db,
    organisationId,
    rows.map((r, i) => ({ id: newId(now.getTime() + i), organisation_id: organisationId, year: r.year, status: r.status, fee_cents: r.fee_cents, created_at: now.toISOString() })),
  );
  await recordAudit(deps.db, actor, { action: 'organisation.memberships_updated', entityType: 'organisation', entityId: organisationId, before: { memberships: before }, after: { memberships: rows } }, now);
}

export async function markReviewed(deps: AdminDeps, actor: StaffActor, id: string): Promise<boolean> {
  const org = await findOrganisationById(deps.db, id);
  if (!org) return false;
  const now = deps.clock.now();
  await repo.setReviewed(deps.db, id, now.toISOString());
  await recordAudit(deps.db, actor, { action: 'organisation.reviewed', entityType: 'organisation', entityId: id, before: { reviewed_at: org.reviewed_at }, after: { reviewed_at: now.toISOString() } }, now);
  return true;
}

export const INTERACTION_KINDS = ['call', 'meeting', 'email', 'advice'] as const;

export async function addInteraction(
  deps: AdminDeps,
  actor: StaffActor,
  organisationId: string,
  raw: Record<string, unknown>,
): Promise<{ ok: true } | { ok: false; errors: Problems }> {
  const errors: Problems = {};
  const kind = str(raw['kind']);
  const day = str(raw['occurred_on']);
  const text = str(raw['text']);
  if (!(INTERACTION_KINDS as readonly string[]).includes(kind)) errors['kind'] = { key: 'validation.choice' };
  if (!isCalendarDay(day)) errors['occurred_on'] = { key: 'validation.date' };
  if (!text) errors['text'] = { key: 'backofficeOrganisations.error.interactionText' };
  else if (text.length > 5000) errors['text'] = { key: 'backofficeOrganisations.error.interactionTextTooLong' };
  if (Object.keys(errors).length) return { ok: false, errors };
  const now = deps.clock.now();
  const row = { id: newId(now.getTime()), organisation_id: organisationId, kind, occurred_on: day, author_id: actor.id, text, created_at: now.toISOString() };
  await repo.insertInteraction(deps.db, row);
  await recordAudit(deps.db, actor, { action: 'interaction.created', entityType: 'organisation', entityId: organisationId, after: { interaction: { kind, occurred_on: day, text } } }, now);
  return { ok: true };
}

export type InvitePersonResult = { ok: true; userId: string; existing: boolean } | { ok: false; errors: Problems };

/**
 * Gives a person an account tied to the organisation: a new member account is invited by email;
 * an existing member account is linked (one account may hold several organisations).
 *
 * The account and its log line, the link to the organisation, its log line and the invitation
 * email's job are one transaction (as an approved account request, decision 0029): when the
 * database refuses any of it, nothing stays and staff may try again. The email is not sent here:
 * the job worker sends it (and retries it), so staff never wait on the mail server and a failed
 * email never leaves an account without its organisation; the account's page says where it stands.
 */
export async function invitePerson(
  deps: AdminDeps,
  actor: StaffActor,
  organisationId: string,
  input: { email: string; displayName: string; locale: Locale },
): Promise<InvitePersonResult> {
  // Inside the transaction only `trx` may be used (SQLite has one connection), jobs included.
  return inTransaction(deps.db, async (trx): Promise<InvitePersonResult> => {
    const now = deps.clock.now();
    const existing = await findUserByEmail(trx, input.email);
    let userId: string;
    if (existing) {
      if (existing.role !== 'member') return { ok: false, errors: { email: { key: 'backofficeOrganisations.error.notMemberAccount' } } };
      userId = existing.id;
    } else {
      const organisation = await findOrganisationById(trx, organisationId);
      const invited = await inviteUserQueued({ db: trx, clock: deps.clock, jobs: queueingIn(deps.jobs, trx) }, actor, {
        email: input.email,
        displayName: input.displayName,
        role: 'member',
        locale: input.locale,
        byStaff: organisation ? { organisation: organisation.name } : {},
      });
      if (!invited.ok) return { ok: false, errors: { [invited.field]: { key: invited.error } } };
      userId = invited.userId;
    }
    await linkUserToOrganisation(trx, userId, organisationId, now.toISOString());
    await recordAudit(trx, actor, { action: 'organisation.account_linked', entityType: 'organisation', entityId: organisationId, after: { user_id: userId, email: input.email } }, now);
    return { ok: true, userId, existing: existing !== undefined };
  });
}
