import { isLocale, type Locale, translator } from '../../kernel/i18n/index.js';
import type { OutgoingMessage } from '../../kernel/mail/index.js';
import { personalLink, type RegistrationDeps } from './deps.js';
import { cancellationIcs, eventIcs, eventPlace, eventWhen, icsFileName, senderAddress } from './event-info.js';
import { type RegistrationMailKind, registrationMail, seriesCancellationMail } from './mails.js';
import { recapWorkshops, registrationRecap } from './recap.js';
import * as repo from './repo.js';

export const REGISTRATION_MAIL_JOB = 'registrations.mail';

/**
 * What triggers a mail; `confirmation` becomes "waitlisted" when the person got no seat;
 * `eventCancelled`: staff cancelled the event itself; `seriesCancelled`: staff cancelled several
 * dates of a series at once, and the person was registered to more than one (event-cancelled.ts).
 */
export type MailTrigger = 'confirmation' | 'promoted' | 'cancelled' | 'reminder' | 'link' | 'eventCancelled' | 'seriesCancelled';

export interface RegistrationMailPayload {
  id: string;
  trigger: MailTrigger;
  /** The link sent again: in the language of the form that asked for it, not the registration's. */
  locale?: Locale;
  /** What staff wrote to the people registered when they cancelled the event. */
  message?: string;
  /** `seriesCancelled`: the person's registrations to the dates cancelled (`id` is the first). */
  ids?: string[];
}

/** The language a registration's emails are written in: the one the person registered in. */
export function registrationLocale(r: { locale: string }): Locale {
  return isLocale(r.locale) ? r.locale : 'fr';
}

/**
 * Queues a participant's email (durable job, retried). Idempotent: one confirmation, one
 * cancellation and one reminder per registration and `round` (a registration cancelled then taken
 * again gets a new round); promotions per promotion; the link re-sent at most once an hour
 * (someone registering again with the same address).
 */
export async function enqueueRegistrationMail(
  deps: Pick<RegistrationDeps, 'jobs' | 'clock'>,
  id: string,
  trigger: MailTrigger,
  options: { round?: number; locale?: Locale } = {},
): Promise<void> {
  const now = deps.clock.now().getTime();
  const { round, locale } = options;
  const slot = trigger === 'link' ? `:${Math.floor(now / 3_600_000)}` : trigger === 'promoted' ? `:${now}` : round !== undefined ? `:${round}` : '';
  const payload: RegistrationMailPayload = locale ? { id, trigger, locale } : { id, trigger };
  await deps.jobs.enqueue(REGISTRATION_MAIL_JOB, payload, { idempotencyKey: `registration:${id}:${trigger}${slot}` });
}

/**
 * The emails that recap what the person gave: the answer to the form (seat or waiting list), the
 * promotion (possibly weeks later: the status now says the seat) and the reminder two days before
 * (answers and workshops to bring to mind, still editable through the link until the event ends).
 * Not the cancellation, nor the link sent again to an address someone else may have typed.
 */
const RECAP_KINDS: readonly RegistrationMailKind[] = ['confirmation', 'waitlisted', 'promoted', 'reminder'];

/**
 * The job's handler: renders and sends the email, with the .ics when the person holds a seat, and
 * the .ics that takes the event out of their calendar when it, or their registration, is cancelled.
 */
export async function sendRegistrationMail(deps: RegistrationDeps, payload: RegistrationMailPayload): Promise<void> {
  if (payload.trigger === 'seriesCancelled') return sendSeriesCancellation(deps, payload);
  const r = await repo.findById(deps.db, payload.id);
  if (!r) return;
  const event = await repo.eventRow(deps.db, r.event_id);
  if (!event) return;
  // Published again before the email left, or the person cancelled in between (and got their own): nothing to say.
  if (payload.trigger === 'eventCancelled' && (event.status !== 'cancelled' || r.status === 'cancelled')) return;
  const seated = repo.SEATED.includes(r.status);
  let kind: RegistrationMailKind;
  if (payload.trigger === 'confirmation') kind = r.status === 'waitlisted' ? 'waitlisted' : 'confirmation';
  else if (payload.trigger === 'reminder' && !seated) return;
  else kind = payload.trigger;
  const settings = await deps.settings.get();
  const position = r.status === 'waitlisted' ? await repo.waitlistPosition(deps.db, r.event_id, r.sequence) : null;
  // In the person's language (the one they registered in); what they gave, as it stands now, to their address only.
  const locale = payload.locale && isLocale(payload.locale) ? payload.locale : registrationLocale(r);
  const t = translator(locale);
  const recap = RECAP_KINDS.includes(kind) ? registrationRecap(t, r, event, { position, workshops: await recapWorkshops(deps.db, t, r.id, r.event_id) }) : undefined;
  const cancelling = kind === 'eventCancelled' || kind === 'cancelled';
  const name = [r.first_name, r.last_name].filter(Boolean).join(' ');
  const mail = registrationMail({
    kind,
    locale,
    networkName: settings.networkName,
    name,
    title: event.title,
    when: eventWhen(event, locale),
    place: eventPlace(event),
    onlineUrl: seated && !cancelling ? event.online_url : null,
    position,
    link: personalLink(deps, r.id),
    recap,
    message: kind === 'eventCancelled' ? (payload.message ?? null) : null,
  });
  const message: OutgoingMessage = { to: r.email, ...mail };
  const filename = icsFileName(event, locale);
  // The registration cancelled (and still so: not taken again since), or the event: the copy that removes it.
  if (kind === 'eventCancelled' || (kind === 'cancelled' && r.status === 'cancelled')) {
    const content = cancellationIcs(event, deps.config.baseUrl, locale, {
      changedAt: r.updated_at,
      organizer: { email: senderAddress(deps.config.mailFrom), name: settings.networkName },
      attendee: { email: r.email, name: name || null },
    });
    await deps.mail.send({ ...message, attachments: [{ filename, content, contentType: 'text/calendar; charset=utf-8; method=CANCEL' }] });
    return;
  }
  if (seated && kind !== 'cancelled') {
    const content = eventIcs(event, deps.config.baseUrl, true, locale, r.updated_at);
    await deps.mail.send({ ...message, attachments: [{ filename, content, contentType: 'text/calendar; charset=utf-8; method=PUBLISH' }] });
    return;
  }
  await deps.mail.send(message);
}

/**
 * The email of several dates of a series cancelled at once, to a person registered to more than one
 * of them: the dates still cancelled (published again before the email left, or the person's own
 * registration cancelled since, a date drops out), each with its .ics that removes it from their
 * calendar. In the language of the registration to the first of them. Down to one date, it is that
 * date's ordinary email; down to none, nothing is sent.
 */
async function sendSeriesCancellation(deps: RegistrationDeps, payload: RegistrationMailPayload): Promise<void> {
  const dates: { r: repo.RegistrationRow; event: NonNullable<Awaited<ReturnType<typeof repo.eventRow>>> }[] = [];
  for (const r of await repo.findByIds(deps.db, payload.ids ?? [payload.id])) {
    if (r.status === 'cancelled') continue;
    const event = await repo.eventRow(deps.db, r.event_id);
    if (event?.status === 'cancelled') dates.push({ r, event });
  }
  if (!dates.length) return;
  if (dates.length === 1) return sendRegistrationMail(deps, { id: dates[0]!.r.id, trigger: 'eventCancelled', ...(payload.message ? { message: payload.message } : {}) });
  dates.sort((a, b) => (a.event.starts_at < b.event.starts_at ? -1 : a.event.starts_at > b.event.starts_at ? 1 : 0));
  const first = dates[0]!;
  const locale = registrationLocale(first.r);
  const settings = await deps.settings.get();
  const nameOf = (r: repo.RegistrationRow) => [r.first_name, r.last_name].filter(Boolean).join(' ');
  const mail = seriesCancellationMail({
    locale,
    networkName: settings.networkName,
    name: nameOf(first.r),
    title: first.event.title,
    dates: dates.map(({ r, event }) => ({ title: event.title, when: eventWhen(event, locale), place: eventPlace(event), link: personalLink(deps, r.id) })),
    message: payload.message ?? null,
  });
  const organizer = { email: senderAddress(deps.config.mailFrom), name: settings.networkName };
  await deps.mail.send({
    to: first.r.email,
    ...mail,
    attachments: dates.map(({ r, event }) => ({
      filename: icsFileName(event, locale),
      content: cancellationIcs(event, deps.config.baseUrl, locale, { changedAt: r.updated_at, organizer, attendee: { email: r.email, name: nameOf(r) || null } }),
      contentType: 'text/calendar; charset=utf-8; method=CANCEL',
    })),
  });
}
