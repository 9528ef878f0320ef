import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { hashToken } from '../../kernel/auth/tokens.js';
import { ICS_CONTENT_TYPE } from '../../kernel/calendar/ics.js';
import { attachmentDisposition } from '../../kernel/files/documents.js';
import { formBody } from '../../kernel/http/request.js';
import { sendPage, viewContext } from '../../kernel/http/view-context.js';
import { findEventBySlug } from '../events/index.js';
import { cancelRegistration } from './cancel.js';
import { participantActor } from './deps.js';
import { eventIcs, eventPlace, eventWhen, icsFileName } from './event-info.js';
import { formData, valuesOfRegistration } from './form-data.js';
import { registrationLocale } from './notify.js';
import { type RecapLine, recapWorkshops, registrationRecap } from './recap.js';
import { registerParticipant } from './register.js';
import * as repo from './repo.js';
import { seatsLeft } from './seats.js';
import { registrationClosedReason } from '../events/index.js';
import { updateParticipant } from './update.js';
import { participantErrorTexts, validateParticipant } from './validate.js';
import { CancelConfirmPage, ClosedPage, DonePage, PersonalPage, RegistrationFormPage } from './views-public.js';
import { redirectMoved } from '../../kernel/http/moved.js';

type EventRow = NonNullable<Awaited<ReturnType<typeof repo.eventRow>>>;

type Outcome = Parameters<typeof DonePage>[0]['outcome'];

/** What the confirmation page of a registration made from this browser shows (POST-redirect-GET). */
interface RegistrationDone {
  eventId: string;
  outcome: Outcome;
  position: number | null;
  at: string;
  /**
   * The registration made (not when the address was already registered: what is kept then is not
   * this browser's to see), its place in the queue and when it was written. Changed since (through
   * the personal link, whose owner may not be whoever typed the address here; by the staff; registered
   * again after a cancellation), it is no longer what this browser sent: its recap is not shown.
   */
  registration?: { id: string; sequence: number; updatedAt: string };
}

declare module 'fastify' {
  interface Session {
    /** The last registrations sent from this browser, one per event: only this session sees them. */
    registrationsDone?: RegistrationDone[];
  }
}

/** How long the confirmation page answers, reloaded or come back to, after the form was sent. */
const DONE_TTL_MS = 2 * 60 * 60 * 1000;
/**
 * How long that page also recaps what was typed (phone, health or diet answers…): long enough to
 * read it and reload it, short for the next person at a shared computer. The email keeps it.
 */
const RECAP_TTL_MS = 15 * 60 * 1000;
/** Registrations remembered per session (one per event, the most recent first). */
const DONE_KEPT = 5;

function stringValues(raw: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(raw).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v.trim()]] : Array.isArray(v) && typeof v[0] === 'string' ? [[k, v[0]]] : [])));
}

/** An account's one name as the form's two: "Marie Dupont" → Marie / Dupont (a single word is the surname). */
function splitName(displayName: string): { first_name: string; last_name: string } {
  const [first, ...rest] = displayName.trim().split(/\s+/);
  return rest.length ? { first_name: first!, last_name: rest.join(' ') } : { first_name: '', last_name: first ?? '' };
}

/** An event's registration form, and the confirmation page its answer redirects to. */
const formPath = (slug: string) => `/agenda/${encodeURIComponent(slug)}/inscription`;
const confirmationPath = (slug: string) => `${formPath(slug)}/confirmation`;

export const publicRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;

  const summary = (event: EventRow, request: FastifyRequest) => ({ title: event.title, slug: event.slug, when: eventWhen(event, request.locale), place: eventPlace(event) });

  async function loadEvent(slug: string): Promise<EventRow | undefined> {
    const found = await findEventBySlug(k.db, slug);
    return found ? await repo.eventRow(k.db, found.event.id) : undefined;
  }

  async function formPage(request: FastifyRequest, reply: FastifyReply, event: EventRow, input: { q: string; values: Record<string, string>; errors: Record<string, string> }, status = 200) {
    const ctx = await viewContext(request, reply);
    const data = await formData(k, event, request.locale, { q: input.q, chosenId: input.values['organisation_id'] }, true);
    const left = await seatsLeft(k.db, event);
    return sendPage(
      reply,
      RegistrationFormPage({ ctx, event: summary(event, request), seatsLeft: Number.isFinite(left) ? left : null, q: input.q, values: input.values, errors: input.errors, ...data.fields }),
      status,
    );
  }

  async function closedPage(request: FastifyRequest, reply: FastifyReply, event: EventRow | undefined, reason: Parameters<typeof ClosedPage>[0]['reason'], status: number) {
    const ctx = await viewContext(request, reply);
    return sendPage(reply, ClosedPage({ ctx, event: event ? summary(event, request) : null, reason }), status);
  }

  app.get<{ Params: { slug: string }; Querystring: { q?: string } }>('/agenda/:slug/inscription', { config: { access: 'public' } }, async (request, reply) => {
    const found = await findEventBySlug(k.db, request.params.slug);
    if (!found) return closedPage(request, reply, undefined, 'not_found', 404);
    if (found.redirectTo) return redirectMoved(reply, formPath(found.redirectTo));
    const event = (await repo.eventRow(k.db, found.event.id))!;
    const closed = registrationClosedReason(event, k.clock.now());
    if (closed === 'not_published') return closedPage(request, reply, undefined, 'not_found', 404);
    if (closed) return closedPage(request, reply, event, closed, 200);
    if (event.account_required === 1 && !request.user) return closedPage(request, reply, event, 'account', 200);
    // Full without a waiting list: said before anything is typed, not after sending.
    if (Number(event.waitlist_enabled) !== 1 && (await seatsLeft(k.db, event)) <= 0) return closedPage(request, reply, event, 'full', 200);
    const q = typeof request.query.q === 'string' ? request.query.q.slice(0, 200) : '';
    const values: Record<string, string> = request.user ? { email: request.user.email, ...splitName(request.user.displayName) } : {};
    return formPage(request, reply, event, { q, values, errors: {} });
  });

  app.post<{ Params: { slug: string } }>('/agenda/:slug/inscription', { config: { access: 'public' } }, async (request, reply) => {
    const event = await loadEvent(request.params.slug);
    const now = k.clock.now();
    const closed = registrationClosedReason(event, now);
    if (!event || closed === 'not_published') return closedPage(request, reply, undefined, 'not_found', 404);
    if (closed) return closedPage(request, reply, event, closed, 409);
    if (event.account_required === 1 && !request.user) return closedPage(request, reply, event, 'account', 403);
    const raw = formBody(request);
    const data = await formData(k, event, request.locale, { q: '' }, true);
    const checked = await validateParticipant(raw, data.validation);
    const values = stringValues(raw);
    if (!checked.ok) return formPage(request, reply, event, { q: '', values, errors: participantErrorTexts(checked.errors, data.validation.questions, request.t) }, 400);
    const result = await registerParticipant(k, event.id, { ...checked.input, userId: request.user?.id ?? null }, { locale: request.locale });
    if (result.kind === 'refused') return closedPage(request, reply, event, result.reason, 409);
    let outcome: Outcome = result.kind === 'existing' ? 'existing' : result.status === 'waitlisted' ? 'waitlisted' : 'registered';
    let position = result.kind === 'created' ? result.waitlistPosition : null;
    // An address already registered is not said so (anyone could learn who is): the page is the one
    // a new registration would get now; the address's owner receives their personal link by email.
    // Signed in with that very address, the person is told: it is their own registration.
    const own = request.user?.email.trim().toLowerCase() === checked.input.email.trim().toLowerCase();
    if (result.kind === 'existing' && !own) {
      const left = await seatsLeft(k.db, event);
      outcome = left > 0 ? 'registered' : 'waitlisted';
      position = left > 0 ? null : ((await repo.statusCounts(k.db, event.id))['waitlisted'] ?? 0) + 1;
    }
    // Kept in this browser's session, not in the address: the page tells nothing to anyone else,
    // and reloading it neither sends the form again nor changes what it says.
    const done: RegistrationDone = { eventId: event.id, outcome, position, at: now.toISOString(), ...(result.kind === 'created' ? { registration: { id: result.id, sequence: result.sequence, updatedAt: result.updatedAt } } : {}) };
    request.session.registrationsDone = [done, ...(request.session.registrationsDone ?? []).filter((d) => d.eventId !== event.id)].slice(0, DONE_KEPT);
    return reply.redirect(confirmationPath(event.slug), 303);
  });

  /** What this browser sent, for a short while, as long as the registration is still exactly that. */
  async function doneRecap(done: RegistrationDone, event: EventRow, request: FastifyRequest): Promise<RecapLine[] | null> {
    const sent = done.registration;
    if (!sent?.updatedAt || new Date(done.at).getTime() <= k.clock.now().getTime() - RECAP_TTL_MS) return null;
    const r = await repo.findById(k.db, sent.id);
    if (!r || r.event_id !== event.id || r.sequence !== sent.sequence || r.status === 'cancelled') return null;
    if (new Date(r.updated_at).getTime() !== new Date(sent.updatedAt).getTime()) return null;
    const position = r.status === 'waitlisted' ? await repo.waitlistPosition(k.db, event.id, r.sequence) : null;
    return registrationRecap(request.t, r, event, { position, workshops: await recapWorkshops(k.db, request.t, r.id, event.id) });
  }

  /** The confirmation of a registration sent from this browser; anyone else is sent to the form. */
  app.get<{ Params: { slug: string } }>('/agenda/:slug/inscription/confirmation', { config: { access: 'public' } }, async (request, reply) => {
    const found = await findEventBySlug(k.db, request.params.slug);
    if (!found) return closedPage(request, reply, undefined, 'not_found', 404);
    if (found.redirectTo) return redirectMoved(reply, confirmationPath(found.redirectTo));
    const event = await repo.eventRow(k.db, found.event.id);
    if (!event || registrationClosedReason(event, k.clock.now()) === 'not_published') return closedPage(request, reply, undefined, 'not_found', 404);
    const since = k.clock.now().getTime() - DONE_TTL_MS;
    const done = request.session.registrationsDone?.find((d) => d.eventId === event.id && new Date(d.at).getTime() > since);
    if (!done) return reply.redirect(formPath(event.slug), 303);
    reply.header('cache-control', 'private, no-store');
    const ctx = await viewContext(request, reply);
    return sendPage(reply, DonePage({ ctx, event: summary(event, request), outcome: done.outcome, position: done.position, recap: await doneRecap(done, event, request) }));
  });

  // ---------- The personal link ----------

  async function byToken(token: string) {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
    const r = await repo.findByTokenHash(k.db, hashToken(token));
    if (!r) return undefined;
    const event = await repo.eventRow(k.db, r.event_id);
    return event ? { r, event } : undefined;
  }

  /** A registration its participant may still change or cancel: not cancelled, not attended, the event not over. */
  function cancellable({ r, event }: NonNullable<Awaited<ReturnType<typeof byToken>>>): boolean {
    const open = r.status === 'registered' || r.status === 'waitlisted' || r.status === 'pending';
    return open && new Date(event.ends_at).getTime() > k.clock.now().getTime();
  }

  async function personalPage(request: FastifyRequest, reply: FastifyReply, token: string, found: NonNullable<Awaited<ReturnType<typeof byToken>>>, input?: { values: Record<string, string>; errors: Record<string, string> }, status = 200, notice?: { kind: 'success' | 'info'; message: string }) {
    const { r, event } = found;
    const base = await viewContext(request, reply);
    const ctx = notice ? { ...base, flash: [...base.flash, notice] } : base;
    const [data, choices, sessions] = await Promise.all([
      formData(k, event, request.locale, { q: '', chosenId: r.organisation_id ?? undefined }, false, r.individual === 1),
      repo.sessionChoices(k.db, [r.id]),
      repo.sessionsOf(k.db, event.id),
    ]);
    const seated = repo.SEATED.includes(r.status);
    const title = new Map(sessions.map((s) => [s.id, s.title]));
    return sendPage(
      reply,
      PersonalPage({
        ctx,
        event: summary(event, request),
        token,
        status: r.status,
        position: r.status === 'waitlisted' ? await repo.waitlistPosition(k.db, event.id, r.sequence) : null,
        online: seated ? event.online_url : null,
        workshops: choices.filter((c) => c.status !== 'cancelled').map((c) => ({ title: title.get(c.session_id) ?? '', status: request.t(`registrations.sessionStatus.${c.status}`) })),
        editable: cancellable(found),
        values: input?.values ?? valuesOfRegistration(r, choices, sessions),
        errors: input?.errors ?? {},
        ...data.fields,
      }),
      status,
    );
  }

  const unknownLink = async (request: FastifyRequest, reply: FastifyReply) => {
    const ctx = await viewContext(request, reply);
    return sendPage(reply, ClosedPage({ ctx, event: null, reason: 'unknown_link' }), 404);
  };

  app.get<{ Params: { token: string }; Querystring: { annulation?: string } }>('/inscriptions/:token', { config: { access: 'token' } }, async (request, reply) => {
    const found = await byToken(request.params.token);
    if (!found) return unknownLink(request, reply);
    // Following the link from the email confirms the address.
    if (!found.r.confirmed_at) await repo.updateRegistration(k.db, found.r.id, { confirmed_at: k.clock.now().toISOString() });
    reply.header('referrer-policy', 'no-referrer');
    // Just cancelled (the form below redirects here): said once more, only while it is still true.
    const cancelled = found.r.status === 'cancelled' ? request.query.annulation : undefined;
    const notice =
      cancelled === 'faite'
        ? { kind: 'success' as const, message: request.t('registrations.personal.cancelled') }
        : cancelled === 'deja'
          ? { kind: 'info' as const, message: request.t('registrations.personal.alreadyCancelled') }
          : undefined;
    return personalPage(request, reply, request.params.token, found, undefined, 200, notice);
  });

  app.get<{ Params: { token: string } }>('/inscriptions/:token/evenement.ics', { config: { access: 'token' } }, async (request, reply) => {
    const found = await byToken(request.params.token);
    if (!found || found.r.status === 'cancelled') return unknownLink(request, reply);
    const seated = repo.SEATED.includes(found.r.status);
    // In the registration's language, like the copy attached to its emails (and as recent: it
    // outranks a copy that removed the event before the person registered again); the address stays French.
    const locale = registrationLocale(found.r);
    return reply
      .type(ICS_CONTENT_TYPE)
      .header('content-disposition', attachmentDisposition(icsFileName(found.event, locale)))
      .send(eventIcs(found.event, k.config.baseUrl, seated, locale, found.r.updated_at));
  });

  app.post<{ Params: { token: string } }>('/inscriptions/:token', { config: { access: 'token' } }, async (request, reply) => {
    const found = await byToken(request.params.token);
    if (!found) return unknownLink(request, reply);
    const raw = { ...formBody(request), email: found.r.email };
    const data = await formData(k, found.event, request.locale, { q: '' }, false, found.r.individual === 1);
    const checked = await validateParticipant(raw, data.validation);
    if (!checked.ok) return personalPage(request, reply, request.params.token, found, { values: stringValues(raw), errors: participantErrorTexts(checked.errors, data.validation.questions, request.t) }, 400);
    const { email: _email, ...details } = checked.input;
    const saved = await updateParticipant(k, found.r.id, { ...details, locale: request.locale }, participantActor(found.r, request.ip));
    if (!saved) return personalPage(request, reply, request.params.token, found, undefined, 409);
    const again = (await byToken(request.params.token))!;
    return personalPage(request, reply, request.params.token, again, undefined, 200, { kind: 'success', message: request.t('registrations.personal.saved') });
  });

  const personalPath = (token: string) => `/inscriptions/${encodeURIComponent(token)}`;

  /** The confirmation step of a cancellation: nothing changes until its form is sent. */
  app.get<{ Params: { token: string } }>('/inscriptions/:token/annuler', { config: { access: 'token' } }, async (request, reply) => {
    const found = await byToken(request.params.token);
    if (!found) return unknownLink(request, reply);
    if (found.r.status === 'cancelled') return reply.redirect(`${personalPath(request.params.token)}?annulation=deja`, 303);
    if (!cancellable(found)) return reply.redirect(personalPath(request.params.token), 303);
    reply.header('referrer-policy', 'no-referrer');
    const ctx = await viewContext(request, reply);
    return sendPage(reply, CancelConfirmPage({ ctx, event: summary(found.event, request), token: request.params.token, status: found.r.status }));
  });

  app.post<{ Params: { token: string } }>('/inscriptions/:token/annuler', { config: { access: 'token' } }, async (request, reply) => {
    const found = await byToken(request.params.token);
    if (!found) return unknownLink(request, reply);
    // Only the confirmation page's form cancels; anything else (a page from before that step) is asked to confirm.
    if (formBody(request)['confirmer'] !== '1') return reply.redirect(`${personalPath(request.params.token)}/annuler`, 303);
    const result = await cancelRegistration(k, found.r.id, participantActor(found.r, request.ip));
    // To the personal page's own address: reloaded or bookmarked, it still answers.
    return reply.redirect(`${personalPath(request.params.token)}?annulation=${result.ok ? 'faite' : 'deja'}`, 303);
  });
};
