import { recordAudit } from '../../kernel/audit/index.js';
import type { MessageKey, Params } from '../../kernel/i18n/index.js';
import { newId } from '../../kernel/ids.js';
import { parseLocalDateTime } from '../../kernel/time/zoned.js';
import type { RegistrationQuestion } from '../events/index.js';
import type { Actor, RegistrationDeps } from './deps.js';
import { enqueueRegistrationMail } from './notify.js';
import * as repo from './repo.js';
import { fillSeats } from './seats.js';

const KINDS: Record<string, RegistrationQuestion['kind']> = { texte: 'text', text: 'text', choix: 'choice', choice: 'choice', case: 'checkbox', checkbox: 'checkbox' };
const YES = new Set(['oui', 'yes', 'o', 'y', '1', 'obligatoire', 'required']);
const MAX_QUESTIONS = 20;

export type Problem = { key: MessageKey; params?: Params };

/** Questions as staff edit them: one per line, `kind | label | required | choice; choice`. */
export function questionsToText(questions: RegistrationQuestion[]): string {
  const kind = { text: 'texte', choice: 'choix', checkbox: 'case' } as const;
  return questions.map((q) => [kind[q.kind], q.label, q.required ? 'oui' : 'non', ...(q.kind === 'choice' ? [(q.options ?? []).join('; ')] : [])].join(' | ')).join('\n');
}

/** Reads the questions' text; a question keeps its id while its label stays (answers follow it). */
export function parseQuestions(text: string, previous: RegistrationQuestion[]): { ok: true; questions: RegistrationQuestion[] } | { ok: false; problem: Problem } {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length > MAX_QUESTIONS) return { ok: false, problem: { key: 'registrations.error.questions', params: { line: MAX_QUESTIONS + 1, problem: 'registrations.error.questionCount' } } };
  const questions: RegistrationQuestion[] = [];
  for (const [i, line] of lines.entries()) {
    const [kindText = '', label = '', required = '', options = ''] = line.split('|').map((p) => p.trim());
    const fail = (problem: MessageKey) => ({ ok: false as const, problem: { key: 'registrations.error.questions' as const, params: { line: i + 1, problem } } });
    const kind = KINDS[kindText.toLowerCase()];
    if (!kind) return fail('registrations.error.questionKind');
    if (!label || label.length > 200) return fail('registrations.error.questionLabel');
    const choices = options
      .split(';')
      .map((o) => o.trim())
      .filter(Boolean)
      .slice(0, 30);
    if (kind === 'choice' && choices.length < 2) return fail('registrations.error.questionOptions');
    const id = previous.find((q) => q.label === label && !questions.some((x) => x.id === q.id))?.id ?? `q${newId().replace(/-/g, '').slice(-10)}`;
    questions.push({ id, label, kind, required: YES.has(required.toLowerCase()), ...(kind === 'choice' ? { options: choices } : {}) });
  }
  return { ok: true, questions };
}

export interface SettingsInput {
  open: boolean;
  deadline: { date: string; time: string } | null;
  capacity: number | null;
  waitlist: boolean;
  accountRequired: boolean;
  questions: RegistrationQuestion[];
}

/** Deadline from the form (Paris time); null when empty, 'invalid' when unreadable. */
export function parseDeadline(date: string | undefined, time: string | undefined): Date | null | 'invalid' {
  if (!date) return time ? 'invalid' : null;
  return parseLocalDateTime(date, time || '23:59') ?? 'invalid';
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
      before: { open: before.registration_open, deadline: before.registration_deadline, capacity: before.capacity, waitlist: before.waitlist_enabled, account: before.account_required, questions: before.questions },
      after: { open: input.open, deadline: input.deadline?.toISOString() ?? null, capacity: input.capacity, waitlist: input.waitlist, account: input.accountRequired, questions: input.questions },
    },
    deps.clock.now(),
  );
  for (const id of result.promoted) await enqueueRegistrationMail(deps, id, 'promoted');
  return result.promoted;
}
