import type { MessageKey } from '../../kernel/i18n/index.js';
import { findDepartment } from '../../kernel/geo/communes.js';
import { type FormErrors, parseForm } from '../../kernel/validation.js';
import type { RegistrationQuestion } from '../events/index.js';
import type { ParticipantInput } from './register.js';
import * as repo from './repo.js';
import { ParticipantForm } from './schemas.js';

export const ANSWER_PREFIX = 'answer_';
const ORGANISATION_FIELDS = ['organisation_id', 'organisation_name', 'organisation_kind', 'organisation_department'];
export const WORKSHOP_PREFIX = 'workshop_';
const ANSWER_MAX = 1000;

/**
 * The participant form's errors as text. An answer's error names its question (« Atelier de
 * l’après-midi — Une réponse est obligatoire. »): an event may ask several, and the error summary
 * at the top of the page is read away from them.
 */
export function participantErrorTexts(errors: FormErrors, questions: readonly RegistrationQuestion[], t: (key: MessageKey, params?: Record<string, string>) => string): Record<string, string> {
  const labels = new Map(questions.map((q) => [`${ANSWER_PREFIX}${q.id}`, q.label]));
  return Object.fromEntries(
    Object.entries(errors).map(([field, key]) => {
      const label = labels.get(field);
      return [field, label === undefined ? t(key) : t('registrations.error.answerAbout', { label, problem: t(key) })];
    }),
  );
}

/** The event's questions (stored as JSON); anything malformed is left out. */
export function questionsOf(json: string): RegistrationQuestion[] {
  try {
    const list = JSON.parse(json) as unknown;
    if (!Array.isArray(list)) return [];
    return list.filter(
      (q): q is RegistrationQuestion =>
        typeof q === 'object' && q !== null && typeof (q as RegistrationQuestion).id === 'string' && typeof (q as RegistrationQuestion).label === 'string' && ['text', 'choice', 'checkbox'].includes((q as RegistrationQuestion).kind),
    );
  } catch {
    return [];
  }
}

/** A registration's stored answers (JSON) by question id; a damaged value reads as no answer. */
export function answersOf(json: string): Record<string, string> {
  try {
    const parsed = JSON.parse(json) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return {};
  }
}

/** Sessions grouped into time slots: sessions whose times overlap share a slot. */
export function timeSlots(sessions: repo.SessionRow[]): repo.SessionRow[][] {
  const sorted = [...sessions].sort((a, b) => a.starts_at.localeCompare(b.starts_at) || a.position - b.position);
  const slots: { end: string; sessions: repo.SessionRow[] }[] = [];
  for (const s of sorted) {
    const last = slots[slots.length - 1];
    if (last && new Date(s.starts_at).getTime() < new Date(last.end).getTime()) {
      last.sessions.push(s);
      if (s.ends_at > last.end) last.end = s.ends_at;
    } else slots.push({ end: s.ends_at, sessions: [s] });
  }
  return slots.map((s) => s.sessions);
}

function overlaps(a: repo.SessionRow, b: repo.SessionRow): boolean {
  return new Date(a.starts_at).getTime() < new Date(b.ends_at).getTime() && new Date(b.starts_at).getTime() < new Date(a.ends_at).getTime();
}

function strings(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

export interface ValidationContext {
  questions: RegistrationQuestion[];
  sessions: repo.SessionRow[];
  kinds: string[];
  /** One may register as an individual, without an organisation (the event does not require one). */
  individualAllowed: boolean;
  /** The participant must tick the consent box (public form). */
  consent: boolean;
  /** Resolves a directory organisation picked by id (null: unknown). */
  organisation: (id: string) => Promise<{ id: string; name: string; kind_code: string; department_code: string | null } | null>;
}

export type ParticipantResult = { ok: true; input: Omit<ParticipantInput, 'userId'> } | { ok: false; errors: FormErrors };

/**
 * Reads a registration form: person, organisation (picked or typed with its kind and département,
 * or none: « à titre individuel », when the event allows it), answers to the event's questions and
 * workshops (at most one per time slot). Errors are catalogue keys.
 */
export async function validateParticipant(body: unknown, ctx: ValidationContext): Promise<ParticipantResult> {
  const raw = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  // « Je viens à titre individuel »: the organisation's fields, whatever they hold, are left aside
  // (the box is the person's explicit choice; their recap then says « À titre individuel »). An
  // event that requires an organisation does not offer the box, and one sent anyway is not read.
  const individual = ctx.individualAllowed && strings(raw['individual'])[0] === '1';
  const parsed = parseForm(ParticipantForm, individual ? Object.fromEntries(Object.entries(raw).filter(([k]) => !ORGANISATION_FIELDS.includes(k))) : raw);
  const errors: FormErrors = parsed.ok ? {} : { ...parsed.errors };
  const v = parsed.ok ? parsed.value : null;

  // Organisation: checked even when another field is refused, so that every error shows at once.
  const values: Record<string, string | undefined> = v ?? (parsed.ok ? {} : parsed.values);
  const typed = (name: string): string | undefined => (errors[name] ? undefined : values[name] || undefined);
  let organisation: { id: string | null; name: string | null; kind: string | null; department: string | null } = { id: null, name: null, kind: null, department: null };
  const organisationId = typed('organisation_id');
  if (individual) {
    // No organisation: its fields were not read.
  } else if (organisationId) {
    const org = await ctx.organisation(organisationId);
    if (!org) errors['organisation_id'] = 'registrations.error.organisation';
    else organisation = { id: org.id, name: org.name, kind: org.kind_code, department: org.department_code };
  } else if (!errors['organisation_id']) {
    const name = typed('organisation_name');
    const kind = typed('organisation_kind');
    const department = typed('organisation_department');
    if (!name && !errors['organisation_name']) errors['organisation_name'] = ctx.individualAllowed ? 'registrations.error.organisationOrIndividual' : 'registrations.error.organisation';
    if ((!kind || !ctx.kinds.includes(kind)) && !errors['organisation_kind']) errors['organisation_kind'] = 'registrations.error.organisationKind';
    if (department && !findDepartment(department)) errors['organisation_department'] = 'registrations.error.organisationDepartment';
    organisation = { id: null, name: name ?? null, kind: kind ?? null, department: department ?? null };
  }

  // Answers
  const answers: Record<string, string> = {};
  for (const q of ctx.questions) {
    const field = `${ANSWER_PREFIX}${q.id}`;
    const value = (strings(raw[field])[0] ?? '').trim();
    let problem: MessageKey | null = null;
    if (q.kind === 'checkbox') {
      if (q.required && value !== '1') problem = 'registrations.error.answerRequired';
      answers[q.id] = value === '1' ? '1' : '';
    } else if (value === '') {
      if (q.required) problem = 'registrations.error.answerRequired';
    } else if (q.kind === 'choice' && !(q.options ?? []).includes(value)) problem = 'registrations.error.answerChoice';
    else if (value.length > ANSWER_MAX) problem = 'registrations.error.answerTooLong';
    else answers[q.id] = value;
    if (problem) errors[field] = problem;
  }

  // Workshops: one radio group per slot; a hostile form sending two of the same slot is refused.
  const byId = new Map(ctx.sessions.map((s) => [s.id, s]));
  const chosen: repo.SessionRow[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (!key.startsWith(WORKSHOP_PREFIX)) continue;
    for (const id of strings(value)) {
      if (id === '') continue;
      const session = byId.get(id);
      if (!session) errors[key] = 'registrations.error.workshopUnknown';
      else if (chosen.some((c) => c.id === id)) continue;
      else if (chosen.some((c) => overlaps(c, session))) errors[key] = 'registrations.error.workshopSlot';
      else chosen.push(session);
    }
  }

  if (ctx.consent && strings(raw['consent'])[0] !== '1') errors['consent'] = 'registrations.error.consent';
  if (!v || Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    input: {
      email: v.email,
      firstName: v.first_name,
      lastName: v.last_name,
      phone: v.phone ?? null,
      organisationId: organisation.id,
      organisationName: organisation.name,
      organisationKind: organisation.kind,
      organisationDepartment: organisation.department,
      individual,
      answers,
      sessionIds: chosen.map((s) => s.id),
    },
  };
}
