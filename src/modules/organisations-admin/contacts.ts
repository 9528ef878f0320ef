import type { ContactsTable } from '../../db/schema.js';
import { recordAudit } from '../../kernel/audit/index.js';
import { countryCodeFromName, countryName, isCountryCode } from '../../kernel/geo/countries.js';
import { formatPhone, toE164 } from '../../kernel/identifiers.js';
import { newId } from '../../kernel/ids.js';
import { dateOnlyInstant, dayProblem } from '../../kernel/time/date-only.js';
import { toLocalInputs } from '../../kernel/time/zoned.js';
import { EMAIL_PATTERN } from '../../kernel/validation.js';
import { contactSortNameOf, taxonomies } from '../organisations/index.js';
import type { AdminDeps, Problems, StaffActor } from './deps.js';
import * as repo from './contacts-repo.js';

export const CIVILITIES = ['Mme', 'M.', 'Mx'] as const;
export const CONSENT_PURPOSES = ['contact_database', 'newsletter', 'public_profile', 'events'] as const;
export const CONSENT_BASES = ['consent', 'legitimate_interest', 'contract', 'legal_obligation'] as const;
export const CONSENT_EVENTS = ['given', 'withdrawn', 'informed'] as const;
export const CONSENT_SOURCES = ['staff', 'web_form', 'email', 'phone', 'paper', 'import'] as const;

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []).map((x) => x.trim()).filter(Boolean);

/** First and last name, as shown and as searched in free text. */
export function fullName(c: { first_name: string | null; last_name: string }): string {
  return [c.first_name, c.last_name].filter(Boolean).join(' ');
}

/** The contact form's values as typed, to show again on error. */
export type ContactValues = Record<string, string | string[]>;

type ContactDraft = Pick<ContactsTable, 'civility' | 'first_name' | 'last_name' | 'phone' | 'notes' | 'public_profile'> & Omit<repo.ContactWrite, 'row'>;

/** Role rows of the form: role_org_N (name, slug or id), role_function_N, role_main_N. */
async function validateContact(deps: AdminDeps, raw: Record<string, unknown>): Promise<{ draft?: ContactDraft; errors: Problems }> {
  const errors: Problems = {};
  const civility = str(raw['civility']) || null;
  if (civility && !(CIVILITIES as readonly string[]).includes(civility)) errors['civility'] = { key: 'validation.choice' };
  const firstName = str(raw['first_name']).replace(/\s+/g, ' ') || null;
  const lastName = str(raw['last_name']).replace(/\s+/g, ' ');
  if (!lastName) errors['last_name'] = { key: 'backofficeOrganisations.error.lastName' };
  else if (lastName.length > 100) errors['last_name'] = { key: 'backofficeOrganisations.error.lastNameTooLong' };
  if (firstName && firstName.length > 100) errors['first_name'] = { key: 'backofficeOrganisations.error.firstNameTooLong' };

  const emails: { email: string; is_primary: number }[] = [];
  const seen = new Set<string>();
  for (const line of str(raw['emails']).split(/[\n,;]+/).map((x) => x.trim()).filter(Boolean)) {
    if (line.length > 254 || !EMAIL_PATTERN.test(line)) {
      errors['emails'] = { key: 'backofficeOrganisations.error.contactEmail', params: { email: line } };
      break;
    }
    if (seen.has(line.toLowerCase())) continue;
    seen.add(line.toLowerCase());
    emails.push({ email: line, is_primary: emails.length === 0 ? 1 : 0 });
  }

  const phoneRaw = str(raw['phone']);
  const phone = phoneRaw ? toE164(phoneRaw) : null;
  if (phoneRaw && !phone) errors['phone'] = { key: 'org.error.phone' };

  const roles: ContactDraft['roles'] = [];
  const indexes = [...new Set(Object.keys(raw).map((k) => /^role_(?:org|function|main)_(\d{1,2})$/.exec(k)?.[1]).filter((x): x is string => x !== undefined))];
  // Rows are numbered as the form shows them: the rows with something typed, in order.
  const typed = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '');
  let shown = 0;
  for (const i of indexes.sort((a, b) => Number(a) - Number(b))) {
    if (typed(raw[`role_org_${i}`]) || typed(raw[`role_function_${i}`])) shown++;
    const ref = str(raw[`role_org_${i}`]);
    const fn = str(raw[`role_function_${i}`]) || null;
    if (!ref) continue;
    const found = await repo.findOrganisationsByRef(deps.db, ref);
    if (found.length !== 1) {
      errors[`role_org_${i}`] = { key: found.length ? 'backofficeOrganisations.error.roleAmbiguous' : 'backofficeOrganisations.error.roleUnknown', params: { name: ref } };
      continue;
    }
    if (fn && fn.length > 120) errors[`role_function_${i}`] = { key: 'backofficeOrganisations.error.roleFunctionTooLong', params: { n: shown } };
    if (roles.some((r) => r.organisation_id === found[0]!.id)) continue;
    roles.push({ organisation_id: found[0]!.id, function: fn, is_main: str(raw[`role_main_${i}`]) === '1' ? 1 : 0 });
  }

  const t = await taxonomies(deps.db);
  const themes = [...new Set(list(raw['themes']))];
  if (themes.some((x) => !t.themes.some((th) => th.code === x))) errors['themes'] = { key: 'org.error.themes' };
  const countries: string[] = [];
  for (const c of str(raw['countries']).split(/[,;\n]+/).map((x) => x.trim()).filter(Boolean)) {
    const code = isCountryCode(c.toUpperCase()) ? c.toUpperCase() : countryCodeFromName(c);
    if (!code) {
      errors['countries'] = { key: 'backofficeOrganisations.error.country', params: { name: c } };
      break;
    }
    if (!countries.includes(code)) countries.push(code);
  }
  const notes = str(raw['notes']) || null;
  if (notes && notes.length > 10_000) errors['notes'] = { key: 'backofficeOrganisations.error.notesTooLong' };
  if (Object.keys(errors).length) return { errors };
  return {
    errors,
    draft: { civility, first_name: firstName, last_name: lastName, phone, notes, public_profile: str(raw['public_profile']) === '1' ? 1 : 0, emails, roles, themes, countries },
  };
}

function snapshotOf(d: ContactDraft | (repo.ContactRow & repo.ContactLinks)) {
  return {
    civility: d.civility,
    first_name: d.first_name,
    last_name: d.last_name,
    phone: d.phone,
    notes: d.notes,
    public_profile: d.public_profile,
    emails: d.emails.map((e) => e.email),
    roles: d.roles.map((r) => ({ organisation_id: r.organisation_id, function: r.function, is_main: r.is_main })),
    themes: [...d.themes].sort(),
    countries: [...d.countries].sort(),
  };
}

export type ContactDetail = repo.ContactRow & repo.ContactLinks;

export async function loadContact(deps: Pick<AdminDeps, 'db'>, id: string): Promise<ContactDetail | undefined> {
  const row = await repo.findContact(deps.db, id);
  if (!row) return undefined;
  const links = (await repo.contactLinks(deps.db, [id])).get(id)!;
  return { ...row, ...links };
}

/** The form values of an existing contact. */
export function contactValues(c: ContactDetail, locale: 'fr' | 'en'): ContactValues {
  const values: ContactValues = {
    civility: c.civility ?? '',
    first_name: c.first_name ?? '',
    last_name: c.last_name,
    emails: c.emails.map((e) => e.email).join('\n'),
    phone: c.phone ? formatPhone(c.phone) : '',
    notes: c.notes ?? '',
    public_profile: c.public_profile ? '1' : '',
    themes: c.themes,
    countries: c.countries.map((code) => countryName(code, locale)).join(', '),
  };
  c.roles.forEach((r, i) => {
    values[`role_org_${i}`] = r.organisation_name;
    values[`role_function_${i}`] = r.function ?? '';
    values[`role_main_${i}`] = r.is_main ? '1' : '';
  });
  return values;
}

export type ContactSaveResult = { ok: true; id: string } | { ok: false; errors: Problems };

/** Creates (id absent) or updates a contact; a change of public-profile consent is recorded as a consent event. */
export async function saveContact(deps: AdminDeps, actor: StaffActor, raw: Record<string, unknown>, id?: string): Promise<ContactSaveResult> {
  const { draft, errors } = await validateContact(deps, raw);
  if (!draft) return { ok: false, errors };
  const now = deps.clock.now();
  const at = now.toISOString();
  const sortName = contactSortNameOf(draft);
  const write: repo.ContactWrite = {
    row: { civility: draft.civility, first_name: draft.first_name, last_name: draft.last_name, sort_name: sortName, phone: draft.phone, notes: draft.notes, public_profile: draft.public_profile, updated_at: at },
    emails: draft.emails,
    roles: draft.roles,
    themes: draft.themes,
    countries: draft.countries,
  };
  let before: ContactDetail | undefined;
  if (id) {
    before = await loadContact(deps, id);
    if (!before || before.erased_at) return { ok: false, errors: { last_name: { key: 'backofficeOrganisations.error.gone' } } };
    await repo.updateContact(deps.db, id, write);
  } else {
    id = newId(now.getTime());
    await repo.insertContact(
      deps.db,
      { id, civility: draft.civility, first_name: draft.first_name, last_name: draft.last_name, sort_name: sortName, phone: draft.phone, notes: draft.notes, public_profile: draft.public_profile, source: 'manual', created_at: at, updated_at: at },
      write,
    );
  }
  await recordAudit(deps.db, actor, { action: before ? 'contact.updated' : 'contact.created', entityType: 'contact', entityId: id, before: before ? snapshotOf(before) : undefined, after: snapshotOf(draft) }, now);
  const wasPublic = before ? before.public_profile : 0;
  if (wasPublic !== draft.public_profile) {
    await repo.insertConsent(deps.db, {
      id: newId(now.getTime()),
      contact_id: id,
      purpose: 'public_profile',
      basis: 'consent',
      event: draft.public_profile ? 'given' : 'withdrawn',
      source: 'staff',
      detail: null,
      ip: null,
      recorded_by: actor.id,
      at,
    });
  }
  return { ok: true, id };
}

/** Records a legal basis or consent event; public-profile consent also switches the profile. */
export async function recordConsent(deps: AdminDeps, actor: StaffActor, contactId: string, raw: Record<string, unknown>): Promise<{ ok: true } | { ok: false; errors: Problems }> {
  const errors: Problems = {};
  const purpose = str(raw['purpose']);
  const basis = str(raw['basis']);
  const event = str(raw['event']);
  const source = str(raw['source']);
  const detail = str(raw['detail']) || null;
  const day = str(raw['at']);
  if (!(CONSENT_PURPOSES as readonly string[]).includes(purpose)) errors['purpose'] = { key: 'validation.choice' };
  if (!(CONSENT_BASES as readonly string[]).includes(basis)) errors['basis'] = { key: 'validation.choice' };
  if (!(CONSENT_EVENTS as readonly string[]).includes(event)) errors['event'] = { key: 'validation.choice' };
  if (!(CONSENT_SOURCES as readonly string[]).includes(source)) errors['source'] = { key: 'validation.choice' };
  if (detail && detail.length > 1000) errors['detail'] = { key: 'backofficeOrganisations.error.consentDetailTooLong' };
  const now = deps.clock.now();
  let at = now.toISOString();
  if (day) {
    // The true reason: a date well written but after today is « in the future », not « badly written ».
    const problem = dayProblem(day, now);
    if (problem) errors['at'] = { key: problem === 'future' ? 'backofficeOrganisations.consent.futureDate' : 'validation.date' };
    // Today: the moment it is recorded. Another day: that day, without a time (shown as a day alone).
    else if (day !== toLocalInputs(now).date) at = dateOnlyInstant(day);
  }
  const contact = await repo.findContact(deps.db, contactId);
  if (!contact || contact.erased_at) return { ok: false, errors: { purpose: { key: 'backofficeOrganisations.error.gone' } } };
  if (Object.keys(errors).length) return { ok: false, errors };
  await repo.insertConsent(deps.db, { id: newId(now.getTime()), contact_id: contactId, purpose, basis, event, source, detail, ip: null, recorded_by: actor.id, at });
  if (purpose === 'public_profile' && event !== 'informed') await repo.setPublicProfile(deps.db, contactId, event === 'given' ? 1 : 0, now.toISOString());
  await recordAudit(deps.db, actor, { action: 'consent.recorded', entityType: 'contact', entityId: contactId, after: { purpose, basis, event, source, at } }, now);
  return { ok: true };
}
