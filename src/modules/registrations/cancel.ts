import { recordAudit } from '../../kernel/audit/index.js';
import type { Actor, RegistrationDeps } from './deps.js';
import { enqueueRegistrationMail } from './notify.js';
import * as repo from './repo.js';
import { fillSeats } from './seats.js';

export type CancelResult = { ok: true; promoted: string[] } | { ok: false; reason: 'not_found' | 'already_cancelled' };

/**
 * Cancels a registration: its seat (and its workshops' seats) go to the first waitlisted people,
 * who are told by email. `actor`: the staff member, or the participant through their personal
 * link (`participantActor`).
 */
export async function cancelRegistration(deps: RegistrationDeps, registrationId: string, actor: Actor | null): Promise<CancelResult> {
  const found = await repo.findById(deps.db, registrationId);
  if (!found) return { ok: false, reason: 'not_found' };
  const result = await repo.withEventLock(deps.db, deps.dbHandle.dialect, found.event_id, async (db): Promise<CancelResult> => {
    const r = await repo.findById(db, registrationId);
    if (!r) return { ok: false, reason: 'not_found' };
    if (r.status === 'cancelled') return { ok: false, reason: 'already_cancelled' };
    const now = deps.clock.now();
    const at = now.toISOString();
    await repo.updateRegistration(db, r.id, { status: 'cancelled', cancelled_at: at, updated_at: at });
    for (const choice of await repo.sessionChoices(db, [r.id])) await repo.setSessionChoiceStatus(db, r.id, choice.session_id, 'cancelled');
    const event = await repo.eventRow(db, r.event_id);
    const promoted = event ? await fillSeats(db, event, now) : [];
    return { ok: true, promoted };
  });
  if (!result.ok) return result;
  await recordAudit(
    deps.db,
    // The participant through their link is named by their address (participantActor), which an
    // erasure of their registrations blanks (repo.deleteRegistrations).
    actor ?? { id: null, email: null },
    { action: 'registration.cancelled', entityType: 'registration', entityId: registrationId, before: { status: found.status }, after: { status: 'cancelled' } },
    deps.clock.now(),
  );
  // One email per cancellation (the lock above refuses a second one): a registration taken again
  // after a cancellation may be cancelled again, and is told so again.
  await enqueueRegistrationMail(deps, registrationId, 'cancelled', { round: deps.clock.now().getTime() });
  for (const id of result.promoted) await enqueueRegistrationMail(deps, id, 'promoted');
  return result;
}
