import { recordAudit } from '../../kernel/audit/index.js';
import type { MessageKey, Params } from '../../kernel/i18n/index.js';
import { newId } from '../../kernel/ids.js';
import { normaliseTimeOfDay, parseLocalDateTime, parseTimeOfDay, toLocalInputs } from '../../kernel/time/zoned.js';
import { parseForm } from '../../kernel/validation.js';
import type { RegistrationQuestion } from '../events/index.js';
import type { Actor, RegistrationDeps } from './deps.js';
import { enqueueRegistrationMail } from './notify.js';
import * as repo from './repo.js';
import { QuestionRowForm, SettingsForm } from './schemas.js';
import { fillSeats } from './seats.js';

export const MAX_QUESTIONS = 20;
const MAX_CHOICES = 30;
const CHOICE_MAX_LENGTH = 200;

export type Problem = { key: MessageKey; params?: Params };

/** A question of the settings' editor as typed: what a re-shown form puts back in its fields. */
export interface QuestionRow {
  id: string;
  kind: string;
  label: string;
  required: boolean;
  /** One choice a line (stored choices are shown so); « ; » separates them too. */
  options: string;
}

export const EMPTY_ROW: QuestionRow = { id: '', kind: 'text', label: '', required: false, options: '' };

/** The editor's rows of stored questions, in their order. */
export function rowsOfQuestions(questions: RegistrationQuestion[]): QuestionRow[] {
  return questions.map((q) => ({ id: q.id, kind: q.kind, label: q.label, required: q.required, options: q.kind === 'choice' ? (q.options ?? []).join('\n') : '' }));
}

const ROW_FIELD = /^q(\d{1,2})_(id|kind|label|required|options)$/;

/** The question rows of a posted settings form (`q<row>_<field>`), in the order of their numbers. */
export function questionRowsOf(raw: Record<string, unknown>): QuestionRow[] {
  const rows = new Map<number, QuestionRow>();
  for (const [name, value] of Object.entries(raw)) {
    const match = ROW_FIELD.exec(name);
    if (!match) continue;
    const text = Array.isArray(value) ? value.find((v) => typeof v === 'string') : value;
    if (typeof text !== 'string') continue;
    const index = Number(match[1]);
    const row = rows.get(index) ?? { ...EMPTY_ROW, kind: '' };
    const field = match[2] as 'id' | 'kind' | 'label' | 'required' | 'options';
    if (field === 'required') row.required = text === '1';
    else row[field] = field === 'options' ? text : text.trim();
    rows.set(index, row);
  }
  return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, row]) => row);
}

/** A row left as the editor shows a new one: saving skips it. */
export function isEmptyRow(row: QuestionRow): boolean {
  return row.label === '' && row.options.trim() === '' && !row.required;
}

/** What a button of the question editor asks: save, or change the rows and show the form again. */
export type QuestionAction = { kind: 'save' } | { kind: 'add' } | { kind: 'up' | 'down' | 'remove'; row: number };

export function questionActionOf(raw: Record<string, unknown>): QuestionAction {
  const value = raw['question_action'];
  if (value === 'add') return { kind: 'add' };
  const match = typeof value === 'string' ? /^(up|down|remove):(\d{1,2})$/.exec(value) : null;
  return match ? { kind: match[1] as 'up' | 'down' | 'remove', row: Number(match[2]) } : { kind: 'save' };
}

/**
 * Applies « Ajouter », « Monter », « Descendre » or « Supprimer » to the rows (nothing is saved).
 * `focus` is the field or button the keyboard should find itself on in the form shown again;
 * `notice` says what changed.
 */
export function applyQuestionAction(rows: QuestionRow[], action: Exclude<QuestionAction, { kind: 'save' }>): { rows: QuestionRow[]; focus: string; notice: Problem } {
  const list = [...rows];
  if (action.kind === 'add') {
    if (list.length >= MAX_QUESTIONS) return { rows: list, focus: `f-q${list.length - 1}_label`, notice: { key: 'registrations.settings.questionsFull' } };
    list.push({ ...EMPTY_ROW });
    return { rows: list, focus: `f-q${list.length - 1}_label`, notice: { key: 'registrations.settings.added', params: { n: list.length } } };
  }
  const i = Math.min(action.row, list.length - 1);
  if (action.kind === 'remove') {
    list.splice(i, 1);
    const next = Math.min(i, list.length - 1);
    return { rows: list, focus: next < 0 ? 'add-question' : `f-q${next}_label`, notice: { key: 'registrations.settings.removed', params: { n: i + 1 } } };
  }
  const j = action.kind === 'up' ? i - 1 : i + 1;
  if (i >= 0 && j >= 0 && j < list.length) [list[i], list[j]] = [list[j]!, list[i]!];
  const at = j >= 0 && j < list.length ? j : i;
  // The same button again when it is still there (a question goes up several places in a row), else its twin.
  const button = (action.kind === 'up' && at > 0) || (action.kind === 'down' && at === list.length - 1) ? 'up' : 'down';
  return { rows: list, focus: `q${at}-${button}`, notice: { key: 'registrations.settings.moved', params: { n: at + 1 } } };
}

function choicesOf(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/\r?\n|;/)
        .map((o) => o.trim())
        .filter(Boolean),
    ),
  ];
}

/**
 * Reads the question rows (empty ones left out; each checked with `QuestionRowForm`) into questions.
 * A question keeps its id (its answers follow it) through its row's hidden field, or its label.
 * Errors are keyed by field (`q<row>_label`…), the row numbered as in the form shown again.
 */
export function readQuestionRows(rows: QuestionRow[], previous: RegistrationQuestion[]): { ok: true; questions: RegistrationQuestion[] } | { ok: false; errors: Record<string, Problem> } {
  const errors: Record<string, Problem> = {};
  const questions: RegistrationQuestion[] = [];
  const used = new Set<string>();
  for (const [i, row] of rows.entries()) {
    const n = i + 1;
    if (i >= MAX_QUESTIONS) {
      errors[`q${i}_label`] = { key: 'registrations.error.questionCount', params: { n } };
      continue;
    }
    const parsed = parseForm(QuestionRowForm, { kind: row.kind, label: row.label, options: row.options });
    if (!parsed.ok) {
      for (const [field, key] of Object.entries(parsed.errors)) errors[`q${i}_${field}`] = { key, params: { n } };
      continue;
    }
    const { kind, label } = parsed.value;
    const choices = kind === 'choice' ? choicesOf(row.options) : [];
    if (kind === 'choice') {
      const problem: MessageKey | null =
        choices.length < 2 ? 'registrations.error.questionOptions' : choices.length > MAX_CHOICES ? 'registrations.error.questionOptionsCount' : choices.some((c) => c.length > CHOICE_MAX_LENGTH) ? 'registrations.error.questionOptionTooLong' : null;
      if (problem) {
        errors[`q${i}_options`] = { key: problem, params: { n } };
        continue;
      }
    }
    const free = (q: RegistrationQuestion | undefined) => (q && !used.has(q.id) ? q.id : undefined);
    const id = free(previous.find((q) => q.id === row.id)) ?? free(previous.find((q) => q.label === label && !rows.some((r) => r.id === q.id))) ?? `q${newId().replace(/-/g, '').slice(-10)}`;
    used.add(id);
    questions.push({ id, label, kind, required: row.required, ...(kind === 'choice' ? { options: choices } : {}) });
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, questions };
}

const SETTINGS_FIELDS = ['registration_open', 'deadline_date', 'deadline_time', 'capacity', 'waitlist_enabled', 'account_required', 'organisation_required'];

/** The event whose settings are read: its start, and how people read it (« 28 mars 2027 à 14 h »). */
export interface SettingsEvent {
  startsAt: Date;
  allDay: boolean;
  timeZone: string;
  startLabel: string;
  /** The deadline saved before (its time is shown in the form: clearing the date alone clears it). */
  deadline?: Date | null;
  /** Now: a deadline already past, newly typed while registrations are opened, is refused. */
  now?: Date;
}

/**
 * The settings form as read, every mistake at once: what `saveSettings` takes, or problems by field.
 * A deadline after the event's start is refused (for an all-day event, a deadline on a later day).
 */
export function readSettingsForm(
  raw: Record<string, unknown>,
  previous: RegistrationQuestion[],
  event: SettingsEvent,
): { ok: true; input: Omit<SettingsInput, 'deadline'> & { deadline: Date | null } } | { ok: false; errors: Record<string, Problem>; rows: QuestionRow[] } {
  const parsed = parseForm(SettingsForm, raw);
  const errors: Record<string, Problem> = parsed.ok ? {} : Object.fromEntries(Object.entries(parsed.errors).map(([field, key]) => [field, { key }]));
  // Each field is read on its own: one refused by the schema does not hide the mistakes of the others.
  const typed = (field: keyof typeof SettingsForm.properties): string | undefined => {
    if (errors[field]) return undefined;
    const value = parsed.ok ? parsed.value[field] : parsed.values[field];
    return value || undefined;
  };
  const capacityText = typed('capacity');
  const capacity = capacityText ? Number(capacityText) : null;
  if (capacity !== null && (capacity < 1 || capacity > 100_000)) errors['capacity'] = { key: 'registrations.error.capacity' };
  const deadline = readDeadline(typed('deadline_date'), typed('deadline_time'), event, errors);
  // Opening registrations with a deadline already past would close them at once: refused, unless
  // it is the deadline saved before, left as it was (passed since; the page then says so).
  const open = (parsed.ok ? parsed.value.registration_open : parsed.values.registration_open) === '1';
  if (open && deadline && event.now && !errors['deadline_date'] && !errors['deadline_time'] && deadline.getTime() <= event.now.getTime() && deadline.getTime() !== event.deadline?.getTime()) {
    errors['deadline_date'] = { key: 'registrations.error.deadlinePast' };
  }
  const rows = questionRowsOf(raw).filter((row) => !isEmptyRow(row));
  const questions = readQuestionRows(rows, previous);
  if (!questions.ok) Object.assign(errors, questions.errors);
  if (!parsed.ok || !questions.ok || Object.keys(errors).length) {
    // In the order of the form, for the error summary.
    const order = (field: string) => SETTINGS_FIELDS.indexOf(field) + 1 || SETTINGS_FIELDS.length + 1 + Number(/^q(\d+)_/.exec(field)?.[1] ?? 0);
    return { ok: false, errors: Object.fromEntries(Object.entries(errors).sort((a, b) => order(a[0]) - order(b[0]))), rows };
  }
  return {
    ok: true,
    input: {
      open: parsed.value.registration_open === '1',
      deadline,
      capacity,
      waitlist: parsed.value.waitlist_enabled === '1',
      accountRequired: parsed.value.account_required === '1',
      organisationRequired: parsed.value.organisation_required === '1',
      questions: questions.questions,
    },
  };
}

export interface SettingsInput {
  open: boolean;
  deadline: { date: string; time: string } | null;
  capacity: number | null;
  waitlist: boolean;
  accountRequired: boolean;
  /** Registering needs an organisation (no « à titre individuel »). Absent: left as it is. */
  organisationRequired?: boolean;
  questions: RegistrationQuestion[];
}

/** A deadline after the event's start (for an all-day event: on a day after its first, in its zone). */
function afterStart(deadline: Date, event: SettingsEvent): boolean {
  if (!event.allDay) return deadline.getTime() > event.startsAt.getTime();
  return toLocalInputs(deadline, event.timeZone).date > toLocalInputs(event.startsAt, event.timeZone).date;
}

/** Deadline from the form (Paris time; « 12 h » as well as 12:00); null when empty, 'invalid' when unreadable. */
export function parseDeadline(date: string | undefined, time: string | undefined): Date | null | 'invalid' {
  if (!date) return time ? 'invalid' : null;
  return parseLocalDateTime(date, time || '23:59') ?? 'invalid';
}

/**
 * The deadline as typed (`date`, `time`: undefined when empty or already refused by the schema), its
 * mistakes added to `errors`: an unreadable time (« 99:00 ») on its field, a time without a date, an
 * impossible date, or a date after the event on the date's field — a date too late whatever the time
 * is said so even when the time is wrong. Null when there is no deadline or it is refused.
 */
function readDeadline(date: string | undefined, time: string | undefined, event: SettingsEvent, errors: Record<string, Problem>): Date | null {
  const timeOk = time === undefined || parseTimeOfDay(time) !== null;
  if (!timeOk) errors['deadline_time'] = { key: 'registrations.error.deadlineTime' };
  if (errors['deadline_date']) return null;
  if (date === undefined) {
    // The date cleared and the time shown with the saved deadline left as it was (or the 23:59 a
    // date alone means): no deadline. A time typed alone needs its day; a refused date is already said so.
    const shown = event.deadline ? toLocalInputs(event.deadline).time : null;
    const typedTime = time === undefined ? null : normaliseTimeOfDay(time);
    const leftAsShown = typedTime !== null && (typedTime === shown || typedTime === '23:59');
    if (time !== undefined && timeOk && !errors['deadline_time'] && !leftAsShown) errors['deadline_date'] = { key: 'registrations.error.deadlineDate' };
    return null;
  }
  // With an unreadable time, the day's first minute: a day after the event is too late at any hour.
  const deadline = parseDeadline(date, timeOk && !errors['deadline_time'] ? time : '00:00');
  if (deadline === 'invalid' || deadline === null) {
    errors['deadline_date'] = { key: 'registrations.error.deadline' };
    return null;
  }
  if (afterStart(deadline, event)) errors['deadline_date'] = { key: 'registrations.error.deadlineAfterStart', params: { start: event.startLabel } };
  return deadline;
}

/**
 * Saves an event's registration settings. A larger capacity (or a waitlist switched off) gives
 * the freed seats to the waitlist at once, in commit order; each promoted person is told.
 */
export async function saveSettings(deps: RegistrationDeps, eventId: string, input: Omit<SettingsInput, 'deadline'> & { deadline: Date | null }, actor: Actor): Promise<string[] | null> {
  const result = await repo.withEventLock(deps.db, deps.dbHandle.dialect, eventId, async (db) => {
    const before = await repo.eventRow(db, eventId);
    if (!before) return null;
    const now = deps.clock.now();
    await repo.updateEventSettings(db, eventId, {
      registration_open: input.open ? 1 : 0,
      registration_deadline: input.deadline ? input.deadline.toISOString() : null,
      capacity: input.capacity,
      waitlist_enabled: input.waitlist ? 1 : 0,
      account_required: input.accountRequired ? 1 : 0,
      ...(input.organisationRequired === undefined ? {} : { organisation_required: input.organisationRequired ? 1 : 0 }),
      questions: JSON.stringify(input.questions),
      updated_at: now.toISOString(),
    });
    const promoted = await fillSeats(db, { id: eventId, capacity: input.capacity }, now);
    return { before, promoted };
  });
  if (!result) return null;
  const { before } = result;
  await recordAudit(
    deps.db,
    actor,
    {
      action: 'event.registration_settings',
      entityType: 'event',
      entityId: eventId,
      before: { open: before.registration_open, deadline: before.registration_deadline, capacity: before.capacity, waitlist: before.waitlist_enabled, account: before.account_required, organisation: before.organisation_required, questions: before.questions },
      after: { open: input.open, deadline: input.deadline?.toISOString() ?? null, capacity: input.capacity, waitlist: input.waitlist, account: input.accountRequired, organisation: input.organisationRequired ?? before.organisation_required === 1, questions: input.questions },
    },
    deps.clock.now(),
  );
  for (const id of result.promoted) await enqueueRegistrationMail(deps, id, 'promoted');
  return result.promoted;
}
