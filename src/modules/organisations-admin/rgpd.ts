import { eraseContactFromMerges, type RecordOrigin, recordOrigins } from '../merge/index.js';
import { contactSortNameOf } from '../organisations/index.js';
import { recordAudit } from '../../kernel/audit/index.js';
import { storedJson } from '../../kernel/stored-json.js';
import type { Kernel } from '../../kernel/http/types.js';
import { erasePersonalDataOfEmails, personalDataOfEmails } from '../../kernel/rgpd/personal-data.js';
import type { StaffActor } from './deps.js';
import { type ContactDetail, fullName, loadContact } from './contacts.js';
import * as repo from './contacts-repo.js';

export const ERASED_NAME = 'Contact effacé';

/** What identifies the person in free text: full name and email addresses. */
function needlesOf(c: ContactDetail): string[] {
  return [fullName(c), ...c.emails.map((e) => e.email)].filter((n) => n.length >= 3);
}


/**
 * Where the record came from: how it was created and every import it came from — the file, its row
 * and reference, the import (batch, source, date) and the legal basis chosen for it at import —
 * its own and, once duplicates were merged into it, each duplicate's (`merged_from`: the record
 * and the merge), so that a person merged from two files is told both.
 */
function provenanceOf(source: string, origins: RecordOrigin[]) {
  return {
    source,
    imports: origins.map((o) => ({
      batch_id: o.batchId,
      source_name: o.batch?.sourceName ?? null,
      file: o.file,
      file_sha256: o.batch?.fileSha256 ?? null,
      row: o.row,
      source_ref: o.ref,
      imported_at: o.batch?.importedAt ?? null,
      batch_status: o.batch?.status ?? null,
      legal_basis: o.batch?.legalBasis ?? null,
      merged_from: o.mergeId ? { contact_id: o.recordId, merge_id: o.mergeId } : null,
    })),
  };
}

/**
 * Everything the network holds about a person (RGPD right of access), as one JSON document: the
 * back office's records and every module's section (kernel.personalData) found by their addresses.
 * The whole kernel is needed: the modules' sections read what they need of it.
 */
export async function exportContact(deps: Kernel, actor: StaffActor, id: string) {
  const contact = await loadContact(deps, id);
  if (!contact) return undefined;
  const [consents, interactions, audit, origins] = await Promise.all([
    repo.consentsOf(deps.db, id),
    contact.erased_at ? Promise.resolve([]) : repo.interactionsMentioning(deps.db, needlesOf(contact)),
    repo.auditAbout(deps.db, 'contact', id),
    recordOrigins(deps.db, 'contact', id),
  ]);
  const now = deps.clock.now();
  const document = {
    exported_at: now.toISOString(),
    contact: {
      id: contact.id,
      civility: contact.civility,
      first_name: contact.first_name,
      last_name: contact.last_name,
      phone: contact.phone,
      notes: contact.notes,
      public_profile: contact.public_profile === 1,
      source: contact.source,
      created_at: contact.created_at,
      updated_at: contact.updated_at,
      erased_at: contact.erased_at,
    },
    provenance: provenanceOf(contact.source, origins),
    emails: contact.emails.map((e) => ({ email: e.email, primary: e.is_primary === 1 })),
    roles: contact.roles.map((r) => ({ organisation_id: r.organisation_id, organisation: r.organisation_name, function: r.function, main_contact: r.is_main === 1 })),
    interests: { themes: contact.themes, countries: contact.countries },
    consents: consents.map((k) => ({ purpose: k.purpose, basis: k.basis, event: k.event, source: k.source, detail: k.detail, at: k.at, ip: k.ip, recorded_by: k.recorder_name ?? k.recorded_by })),
    interactions: interactions.map((i) => ({ organisation_id: i.organisation_id, kind: i.kind, occurred_on: i.occurred_on, text: i.text })),
    // What the modules hold about those addresses: event registrations (`event_registrations`),
    // newsletter subscriptions, interests, consent events and mailings received (`newsletter`),
    // call alerts (`call_alerts`), requests for a member account (`account_requests`)…
    ...(await personalDataOfEmails(deps, contact.emails.map((e) => e.email))),
    audit: audit.map((a) => ({ at: a.at, action: a.action, actor: a.actor_email, before: storedJson(a.before), after: storedJson(a.after) })),
  };
  await recordAudit(deps.db, actor, { action: 'contact.exported', entityType: 'contact', entityId: id }, now);
  return document;
}

function replaceAll(text: string, needles: string[]): string {
  let out = text;
  for (const n of needles) {
    const pattern = new RegExp(n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
    out = out.replace(pattern, `[${ERASED_NAME}]`);
  }
  return out;
}

/**
 * RGPD erasure: the person becomes "Contact effacé"; emails, phone, notes, functions and the
 * details of consent events are removed; mentions in interactions and in other audit entries are
 * blanked; the contact's own past audit entries lose their before/after. Interests and consent events stay as statistics.
 * What the modules hold about the person's addresses (newsletter, call alerts, event
 * registrations, account requests…) is erased by each module (kernel.personalData).
 */
export async function eraseContactData(deps: Kernel, actor: StaffActor, id: string): Promise<boolean> {
  const contact = await loadContact(deps, id);
  if (!contact) return false;
  if (contact.erased_at) return true;
  const needles = needlesOf(contact);
  // Before the addresses go: the modules find the person's records by them (the newsletter its
  // subscriptions, registrations their seats, which go to the waitlists…). Before the mentions are
  // read, too: a module blanking its own journal entries must not see them written back below.
  await erasePersonalDataOfEmails(deps, actor, contact.emails.map((e) => e.email));
  const [mentions, auditMentions] = await Promise.all([repo.interactionsMentioning(deps.db, needles), repo.auditMentioning(deps.db, needles)]);
  const now = deps.clock.now();
  await repo.eraseContact(
    deps.db,
    id,
    now.toISOString(),
    { last_name: ERASED_NAME, sort_name: contactSortNameOf({ first_name: null, last_name: ERASED_NAME }) },
    mentions.map((i) => ({ id: i.id, text: replaceAll(i.text, needles) })),
    auditMentions.map((a) => ({ id: a.id, before: a.before === null ? null : replaceAll(a.before, needles), after: a.after === null ? null : replaceAll(a.after, needles) })),
    (trx) => eraseContactFromMerges(trx, id),
  );
  await recordAudit(
    deps.db,
    actor,
    { action: 'contact.erased', entityType: 'contact', entityId: id, after: { erased: true, emails: contact.emails.length, roles: contact.roles.length, interactions: mentions.length } },
    now,
  );
  return true;
}
