import { recordAudit } from '../../kernel/audit/index.js';
import type { Locale } from '../../kernel/i18n/index.js';
import type { Actor, RegistrationDeps } from './deps.js';
import type { ParticipantInput } from './register.js';
import * as repo from './repo.js';
import { fillWorkshops, seatWorkshops } from './seats.js';

/**
 * A participant changes their details, answers or workshops (the email stays: it identifies the
 * registration). Workshops kept keep their place; new ones queue behind, in commit order. `locale`:
 * the language of the personal page the person saved from, which their next emails then speak.
 */
export async function updateParticipant(
  deps: RegistrationDeps,
  registrationId: string,
  input: Omit<ParticipantInput, 'userId' | 'email'> & { locale?: Locale },
  actor: Actor | null,
): Promise<boolean> {
  const before = await repo.findById(deps.db, registrationId);
  if (!before || before.status === 'cancelled') return false;
  await repo.withEventLock(deps.db, deps.dbHandle.dialect, before.event_id, async (db) => {
    const at = deps.clock.now().toISOString();
    await repo.updateRegistration(db, registrationId, {
      first_name: input.firstName,
      last_name: input.lastName,
      phone: input.phone,
      organisation_id: input.organisationId,
      organisation_name: input.organisationName,
      organisation_kind: input.organisationKind,
      organisation_department: input.organisationDepartment,
      individual: input.individual ? 1 : 0,
      answers: JSON.stringify(input.answers),
      ...(input.locale ? { locale: input.locale } : {}),
      updated_at: at,
    });
    const sessions = new Map((await repo.sessionsOf(db, before.event_id)).map((s) => [s.id, s]));
    const current = await repo.sessionChoices(db, [registrationId]);
    const wanted = new Set(input.sessionIds.filter((id) => sessions.has(id)));
    let freed = false;
    for (const c of current) {
      if (wanted.has(c.session_id) && c.status !== 'cancelled') continue;
      if (!wanted.has(c.session_id) && c.status !== 'cancelled') {
        await repo.setSessionChoiceStatus(db, registrationId, c.session_id, 'cancelled');
        freed = true;
      }
    }
    for (const id of wanted) {
      const existing = current.find((c) => c.session_id === id);
      if (existing && existing.status !== 'cancelled') continue;
      if (existing) await repo.setSessionChoiceStatus(db, registrationId, id, 'waitlisted');
      else await repo.insertSessionChoice(db, { registration_id: registrationId, session_id: id, status: 'waitlisted', sequence: await repo.nextSessionSequence(db, id) });
    }
    if (freed) await fillWorkshops(db, before.event_id);
    if (repo.SEATED.includes(before.status)) await seatWorkshops(db, registrationId, sessions);
  });
  await recordAudit(
    deps.db,
    // No personal values in the log: it outlives an erasure of the registration. The participant
    // acting through their link is named by their address, which that erasure blanks.
    actor ?? { id: null, email: null },
    { action: 'registration.updated', entityType: 'registration', entityId: registrationId, after: { workshops: input.sessionIds.length, answers: Object.keys(input.answers).length } },
    deps.clock.now(),
  );
  return true;
}
