import type { Translate } from '../../kernel/i18n/index.js';
import * as repo from './repo.js';
import { answersOf, questionsOf } from './validate.js';

/**
 * A participant's organisation as the staff list, exports, sign-in sheet and recap show it: its
 * name, « À titre individuel » for someone who came without one, or nothing when none was given.
 */
export function organisationOf(t: Translate, r: Pick<repo.RegistrationRow, 'individual' | 'organisation_name'>): string | null {
  return r.individual === 1 ? t('registrations.individual') : r.organisation_name;
}

/** One line of a registration's recap: a label (a question's own, or the catalogue's) and its value. */
export interface RecapLine {
  label: string;
  value: string;
}

/**
 * What a participant told us, as they gave it: name, address, phone, organisation (or « À titre
 * individuel »), every question
 * of the event with its answer (a box in words, « Oui » or « Non »; a question left empty,
 * « (sans réponse) »), the workshops chosen and, on the waiting list, the position. Shown only to
 * that person: their confirmation, waiting-list, promotion and reminder emails, and the confirmation
 * page of the browser that sent the form.
 */
export function registrationRecap(
  t: Translate,
  r: Pick<repo.RegistrationRow, 'first_name' | 'last_name' | 'email' | 'phone' | 'organisation_name' | 'individual' | 'answers' | 'status'>,
  event: { questions: string },
  extra: { position: number | null; workshops: { title: string; status: string }[] },
): RecapLine[] {
  const lines: RecapLine[] = [
    { label: t('registrations.recap.name'), value: [r.first_name, r.last_name].filter(Boolean).join(' ') },
    { label: t('registrations.recap.email'), value: r.email },
  ];
  if (r.phone) lines.push({ label: t('registrations.recap.phone'), value: r.phone });
  const organisation = organisationOf(t, r);
  if (organisation) lines.push({ label: t('registrations.recap.organisation'), value: organisation });
  const answers = answersOf(r.answers);
  for (const q of questionsOf(event.questions)) {
    const answer = answers[q.id]?.trim() ?? '';
    const value = q.kind === 'checkbox' ? t(answer === '1' ? 'registrations.recap.yes' : 'registrations.recap.no') : answer || t('registrations.recap.noAnswer');
    lines.push({ label: q.label, value });
  }
  if (extra.workshops.length) lines.push({ label: t('registrations.recap.workshops'), value: extra.workshops.map((w) => t('registrations.recap.workshop', { title: w.title, status: w.status })).join('\n') });
  const status = r.status === 'waitlisted' && extra.position ? t('registrations.recap.waitlisted', { position: extra.position }) : t(`registrations.status.${r.status}`);
  lines.push({ label: t('registrations.recap.status'), value: status });
  return lines;
}

/** The workshops a registration holds or waits for, with their status in words. */
export async function recapWorkshops(db: repo.Db, t: Translate, registrationId: string, eventId: string): Promise<{ title: string; status: string }[]> {
  const [choices, sessions] = await Promise.all([repo.sessionChoices(db, [registrationId]), repo.sessionsOf(db, eventId)]);
  const byId = new Map(sessions.map((s) => [s.id, s]));
  return choices
    .filter((c) => c.status !== 'cancelled' && byId.has(c.session_id))
    .sort((a, b) => byId.get(a.session_id)!.starts_at.localeCompare(byId.get(b.session_id)!.starts_at))
    .map((c) => ({ title: byId.get(c.session_id)!.title, status: t(`registrations.sessionStatus.${c.status}`) }));
}

/**
 * A label followed by its colon, as the language writes it (« Régime : », "Diet:"); a question that
 * already ends with « ? », « : » or « ! » keeps its own mark.
 */
export function labelled(t: Translate, label: string): string {
  const trimmed = label.trim();
  return /[?:!]$/.test(trimmed) ? trimmed : t('label.colon', { label: trimmed });
}
