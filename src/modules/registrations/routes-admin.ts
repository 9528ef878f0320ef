import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Value } from '@sinclair/typebox/value';
import type { RegistrationStatus } from '../../db/schema.js';
import { AppError } from '../../kernel/errors.js';
import { actorOf, formBody } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { dateTimeFormat, type MessageKey } from '../../kernel/i18n/index.js';
import { isId } from '../../kernel/ids.js';
import { parseLocalDateTime, toLocalInputs } from '../../kernel/time/zoned.js';
import { formatMoment } from '../../kernel/time/clock-words.js';
import { parseForm, translateErrors } from '../../kernel/validation.js';
import { participationCounts } from './counts.js';
import { lastInstant } from '../events/index.js';
import { eventPlace, eventWhen } from './event-info.js';
import { participantTable, toCsv, toXlsx } from './exports.js';
import { formData } from './form-data.js';
import { registerParticipant } from './register.js';
import * as repo from './repo.js';
import { EraseForm, ListQuery, MoveForm, StatusForm, WorkshopForm } from './schemas.js';
import { applyQuestionAction, EMPTY_ROW, MAX_QUESTIONS, type QuestionRow, questionActionOf, questionRowsOf, readSettingsForm, rowsOfQuestions, saveSettings } from './settings.js';
import { addWorkshop, deleteWorkshop, eraseRegistrationsByEmail, moveRegistration, setStatus } from './staff.js';
import { questionsOf, validateParticipant } from './validate.js';
import { quotedTitle } from './quote.js';
import { type AdminEvent, EraseConfirmPage, ParticipantsPage, SettingsPage, type SettingsPageProps, SignInSheetPage, WorkshopsPage } from './views-admin.js';

type EventRow = NonNullable<Awaited<ReturnType<typeof repo.eventRow>>>;
type IdParams = { Params: { id: string } };
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function stringValues(raw: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(raw).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v.trim()]] : [])));
}

/** The participant form's messages speak to the attendee; staff adding someone by hand read these. */
const STAFF_WORDING: Partial<Record<MessageKey, MessageKey>> = {
  'registrations.error.firstName': 'registrations.error.staffFirstName',
  'registrations.error.lastName': 'registrations.error.staffLastName',
  'registrations.error.firstNameTooLong': 'registrations.error.staffFirstNameTooLong',
  'registrations.error.lastNameTooLong': 'registrations.error.staffLastNameTooLong',
  'registrations.error.organisation': 'registrations.error.staffOrganisation',
  'registrations.error.organisationOrIndividual': 'registrations.error.staffOrganisationOrIndividual',
  'registrations.error.organisationKind': 'registrations.error.staffOrganisationKind',
};
export const adminRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const staff = { config: { access: 'staff' as const } };

  async function eventOr404(id: string): Promise<EventRow> {
    const event = isId(id) ? await repo.eventRow(k.db, id) : undefined;
    if (!event) throw new AppError('not_found');
    return event;
  }

  const adminEvent = (event: EventRow, request: FastifyRequest): AdminEvent => ({ id: event.id, title: event.title, when: eventWhen(event, request.locale) });

  // ---------- Participants ----------

  async function listPage(
    request: FastifyRequest,
    reply: FastifyReply,
    event: EventRow,
    add: { values: Record<string, string>; errors: Record<string, string> },
    status = 200,
    erase?: { email: string; error: string },
  ) {
    const query = request.query as Record<string, unknown>;
    const filter = Value.Check(ListQuery, query) ? (query['status'] as RegistrationStatus | undefined) : undefined;
    const [all, counts, sessions, participation, data, targets] = await Promise.all([
      repo.listForEvent(k.db, event.id),
      repo.statusCounts(k.db, event.id),
      repo.sessionsOf(k.db, event.id),
      participationCounts(k, event.id, request.locale, { unknown: request.t('registrations.admin.unknown'), individual: request.t('registrations.individual') }),
      formData(k, event, request.locale, { q: '', chosenId: add.values['organisation_id'] }, false),
      repo.moveTargets(k.db, event.id, k.clock.now().toISOString()),
    ]);
    const rows = filter ? all.filter((r) => r.status === filter) : all;
    const choices = await repo.sessionChoices(
      k.db,
      rows.map((r) => r.id),
    );
    const title = new Map(sessions.map((s) => [s.id, s.title]));
    const ctx = await viewContext(request, reply);
    return sendPage(
      reply,
      ParticipantsPage({
        ctx,
        event: adminEvent(event, request),
        capacity: event.capacity,
        counts,
        filter: filter ?? '',
        rows: rows.map((r) => ({
          ...r,
          workshops: choices
            .filter((c) => c.registration_id === r.id && c.status !== 'cancelled')
            .map((c) => `${title.get(c.session_id) ?? ''} (${request.t(`registrations.sessionStatus.${c.status}`)})`)
            .join(', '),
        })),
        hasWorkshops: sessions.length > 0,
        participation,
        targets: targets.map((e) => ({ id: e.id, label: `${e.title} — ${formatMoment(e.starts_at, request.locale)}` })),
        add: { ...data.fields, values: add.values, errors: add.errors },
        ...(erase ? { erase } : {}),
      }),
      status,
    );
  }

  app.get<IdParams>('/admin/agenda/:id/inscriptions', staff, async (request, reply) => listPage(request, reply, await eventOr404(request.params.id), { values: {}, errors: {} }));

  app.post<IdParams>('/admin/agenda/:id/inscriptions', staff, async (request, reply) => {
    const event = await eventOr404(request.params.id);
    const raw = formBody(request);
    const data = await formData(k, event, request.locale, { q: '' }, false);
    // Staff may add someone without answering every question on their behalf.
    const checked = await validateParticipant(raw, { ...data.validation, questions: data.validation.questions.map((q) => ({ ...q, required: false })) });
    if (!checked.ok) {
      const errors = Object.fromEntries(Object.entries(checked.errors).map(([field, key]) => [field, request.t(STAFF_WORDING[key] ?? key)]));
      return listPage(request, reply, event, { values: stringValues(raw), errors }, 400);
    }
    const result = await registerParticipant(k, event.id, { ...checked.input, userId: null }, { byStaff: true, actor: actorOf(request) });
    const name = [checked.input.firstName, checked.input.lastName].filter(Boolean).join(' ');
    if (result.kind === 'refused') flash(request, 'error', request.t(`registrations.closed.${result.reason}`));
    else if (result.kind === 'existing') flash(request, 'info', request.t('registrations.admin.addedExisting'));
    else if (result.status === 'waitlisted') flash(request, 'success', request.t('registrations.admin.addedWaitlisted', { name, position: result.waitlistPosition ?? '' }));
    else flash(request, 'success', request.t('registrations.admin.addedRegistered', { name }));
    return reply.redirect(`/admin/agenda/${event.id}/inscriptions`, 303);
  });

  app.post<{ Params: { id: string; rid: string } }>('/admin/agenda/:id/inscriptions/:rid/statut', staff, async (request, reply) => {
    const event = await eventOr404(request.params.id);
    const r = isId(request.params.rid) ? await repo.findById(k.db, request.params.rid) : undefined;
    if (!r || r.event_id !== event.id) throw new AppError('not_found');
    const parsed = parseForm(StatusForm, formBody(request));
    if (!parsed.ok) throw new AppError('bad_request');
    const result = await setStatus(k, r.id, parsed.value.status, actorOf(request));
    const name = [r.first_name, r.last_name].filter(Boolean).join(' ');
    if (result.ok) {
      // What the person now is: with no seat left, someone who had cancelled is back on the waiting list.
      if (result.status !== parsed.value.status) flash(request, 'info', request.t('registrations.admin.statusWaitlisted', { name, position: result.position ?? '' }));
      else flash(request, 'success', request.t('registrations.admin.statusChanged', { name, status: request.t(`registrations.status.${result.status}`) }));
      const others = result.promoted.filter((id) => id !== r.id);
      if (others.length) flash(request, 'info', request.t('registrations.admin.promoted', { count: others.length }));
    } else if (result.reason === 'full') {
      // Said as it is: still waiting, or still cancelled (the event has no waiting list).
      flash(request, 'error', request.t(r.status === 'waitlisted' ? 'registrations.admin.statusFull' : 'registrations.admin.statusFullNoWaitlist', { name }));
    }
    else if (result.reason !== 'unchanged') flash(request, 'error', request.t('validation.choice'));
    // Back on the row just changed (highlighted, and where the keyboard goes on from), not at the top.
    return reply.redirect(`/admin/agenda/${event.id}/inscriptions#r-${r.id}`, 303);
  });

  app.post<{ Params: { id: string; rid: string } }>('/admin/agenda/:id/inscriptions/:rid/deplacer', staff, async (request, reply) => {
    const event = await eventOr404(request.params.id);
    const r = isId(request.params.rid) ? await repo.findById(k.db, request.params.rid) : undefined;
    if (!r || r.event_id !== event.id) throw new AppError('not_found');
    const parsed = parseForm(MoveForm, formBody(request));
    const name = [r.first_name, r.last_name].filter(Boolean).join(' ');
    if (!parsed.ok) {
      flash(request, 'error', request.t('registrations.admin.moveRefused', { reason: request.t('validation.choice') }));
      return reply.redirect(`/admin/agenda/${event.id}/inscriptions`, 303);
    }
    const target = await repo.eventRow(k.db, parsed.value.target);
    const result = await moveRegistration(k, r.id, parsed.value.target, actorOf(request));
    if (result.kind === 'created' && target) {
      const quoted = quotedTitle(target.title, request.locale);
      flash(
        request,
        'success',
        result.status === 'waitlisted'
          ? request.t('registrations.admin.movedWaitlisted', { name, quoted, position: result.waitlistPosition ?? '' })
          : request.t('registrations.admin.movedRegistered', { name, quoted }),
      );
    } else {
      const reason =
        result.kind === 'existing'
          ? request.t('registrations.admin.addedExisting')
          : result.kind === 'refused' && result.reason !== 'same'
            ? request.t(`registrations.closed.${result.reason}`)
            : request.t('validation.choice');
      flash(request, 'error', request.t('registrations.admin.moveRefused', { reason }));
    }
    return reply.redirect(`/admin/agenda/${event.id}/inscriptions`, 303);
  });

  // ---------- Exports and sign-in sheet ----------

  async function download(request: FastifyRequest<IdParams>, reply: FastifyReply, kind: 'csv' | 'xlsx') {
    const event = await eventOr404(request.params.id);
    const table = await participantTable(k, event.id, request.t);
    const day = k.clock.now().toISOString().slice(0, 10);
    const content = kind === 'csv' ? toCsv(table) : await toXlsx(table, request.t('registrations.export.sheet'));
    return reply
      .type(kind === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE)
      .header('content-disposition', `attachment; filename="inscriptions-${event.slug}-${day}.${kind}"`)
      .header('cache-control', 'no-store')
      .send(content);
  }

  app.get<IdParams>('/admin/agenda/:id/inscriptions.csv', staff, async (request, reply) => download(request, reply, 'csv'));
  app.get<IdParams>('/admin/agenda/:id/inscriptions.xlsx', staff, async (request, reply) => download(request, reply, 'xlsx'));

  app.get<IdParams>('/admin/agenda/:id/emargement', staff, async (request, reply) => {
    const event = await eventOr404(request.params.id);
    const rows = (await repo.listForEvent(k.db, event.id))
      .filter((r) => repo.SEATED.includes(r.status))
      .sort((a, b) => a.last_name.localeCompare(b.last_name, 'fr', { sensitivity: 'base' }) || (a.first_name ?? '').localeCompare(b.first_name ?? '', 'fr'));
    const ctx = await viewContext(request, reply);
    return sendPage(reply, SignInSheetPage({ ctx, event: adminEvent(event, request), place: eventPlace(event), rows }));
  });

  // ---------- Settings ----------

  function settingsValues(event: EventRow): Record<string, string> {
    const deadline = event.registration_deadline ? toLocalInputs(new Date(event.registration_deadline)) : null;
    return {
      registration_open: event.registration_open === 1 ? '1' : '',
      deadline_date: deadline?.date ?? '',
      deadline_time: deadline?.time ?? '',
      capacity: event.capacity === null ? '' : String(event.capacity),
      waitlist_enabled: event.waitlist_enabled === 1 ? '1' : '',
      account_required: event.account_required === 1 ? '1' : '',
      organisation_required: event.organisation_required === 1 ? '1' : '',
    };
  }

  /** The question rows shown: those given, and an empty one to type a new question in (up to the limit). */
  const withNewRow = (rows: QuestionRow[]) => (rows.length < MAX_QUESTIONS ? [...rows, { ...EMPTY_ROW }] : rows);

  async function settingsPage(request: FastifyRequest, reply: FastifyReply, event: EventRow, form: Omit<SettingsPageProps, 'ctx' | 'event'>, status = 200) {
    const ctx = await viewContext(request, reply);
    return sendPage(reply, SettingsPage({ ctx, event: adminEvent(event, request), ...form }), status);
  }

  app.get<IdParams>('/admin/agenda/:id/inscriptions/reglages', staff, async (request, reply) => {
    const event = await eventOr404(request.params.id);
    return settingsPage(request, reply, event, { values: settingsValues(event), rows: withNewRow(rowsOfQuestions(questionsOf(event.questions))), errors: {} });
  });

  app.post<IdParams>('/admin/agenda/:id/inscriptions/reglages', staff, async (request, reply) => {
    const event = await eventOr404(request.params.id);
    const raw = formBody(request);
    const values = stringValues(raw);
    const action = questionActionOf(raw);
    if (action.kind !== 'save') {
      // « Ajouter une question », « Monter », « Descendre », « Supprimer » without script: the same form
      // again, every typed value kept, nothing saved yet.
      const changed = applyQuestionAction(questionRowsOf(raw), action);
      return settingsPage(request, reply, event, { values, rows: changed.rows, errors: {}, notice: request.t(changed.notice.key, changed.notice.params), focus: changed.focus });
    }
    const allDay = Number(event.all_day) === 1;
    const startsAt = new Date(event.starts_at);
    const startLabel = allDay ? dateTimeFormat(request.locale, { dateStyle: 'long' }, event.time_zone).format(startsAt) : formatMoment(startsAt, request.locale, event.time_zone);
    const previousDeadline = event.registration_deadline ? new Date(event.registration_deadline) : null;
    const now = k.clock.now();
    const checked = readSettingsForm(raw, questionsOf(event.questions), { startsAt, allDay, timeZone: event.time_zone, startLabel, deadline: previousDeadline, now });
    if (!checked.ok) {
      const errors = Object.fromEntries(Object.entries(checked.errors).map(([field, p]) => [field, request.t(p.key, p.params)]));
      return settingsPage(request, reply, event, { values, rows: withNewRow(checked.rows), errors }, 400);
    }
    const promoted = await saveSettings(k, event.id, checked.input, actorOf(request));
    flash(request, 'success', request.t('registrations.settings.saved'));
    // The deadline saved before, left as it was, has passed since: said, not left to find on the public page.
    if (checked.input.open && checked.input.deadline && checked.input.deadline.getTime() <= now.getTime()) flash(request, 'info', request.t('registrations.settings.deadlinePassed'));
    if (promoted?.length) flash(request, 'info', request.t('registrations.admin.promoted', { count: promoted.length }));
    return reply.redirect(`/admin/agenda/${event.id}/inscriptions/reglages`, 303);
  });

  // ---------- Workshops ----------

  async function workshopsPage(request: FastifyRequest, reply: FastifyReply, event: EventRow, values: Record<string, string>, errors: Record<string, string>, status = 200) {
    const [sessions, counts] = await Promise.all([repo.sessionsOf(k.db, event.id), repo.sessionCounts(k.db, event.id)]);
    const n = (id: string, s: string) => counts.find((c) => c.session_id === id && c.status === s)?.n ?? 0;
    const ctx = await viewContext(request, reply);
    return sendPage(
      reply,
      WorkshopsPage({ ctx, event: adminEvent(event, request), sessions: sessions.map((s) => ({ ...s, registered: n(s.id, 'registered'), waitlisted: n(s.id, 'waitlisted') })), values, errors }),
      status,
    );
  }

  app.get<IdParams>('/admin/agenda/:id/ateliers', staff, async (request, reply) => {
    const event = await eventOr404(request.params.id);
    return workshopsPage(request, reply, event, { date: toLocalInputs(new Date(event.starts_at)).date }, {});
  });

  app.post<IdParams>('/admin/agenda/:id/ateliers', staff, async (request, reply) => {
    const event = await eventOr404(request.params.id);
    const raw = formBody(request);
    const parsed = parseForm(WorkshopForm, raw);
    const values = stringValues(raw);
    if (!parsed.ok) return workshopsPage(request, reply, event, values, translateErrors(parsed.errors, request.t), 400);
    const v = parsed.value;
    const start = parseLocalDateTime(v.date, v.start, event.time_zone);
    const end = parseLocalDateTime(v.date, v.end, event.time_zone);
    const capacity = v.capacity ? Number(v.capacity) : null;
    const errors: Record<string, string> = {};
    if (!start || !end || end.getTime() <= start.getTime()) errors['end'] = request.t('registrations.error.workshopTime');
    // On one of the event's days (in its time zone): a workshop of another day is a typo.
    const first = toLocalInputs(new Date(event.starts_at), event.time_zone).date;
    // `ends_at` is exclusive (an all-day event ends at the next midnight): its last instant is a millisecond before.
    const lastDay = lastInstant(event);
    const last = toLocalInputs(lastDay, event.time_zone).date;
    if (v.date < first || v.date > last) {
      const day = dateTimeFormat(request.locale, { dateStyle: 'long' }, event.time_zone);
      const days = { first: day.format(new Date(event.starts_at)), last: day.format(lastDay) };
      errors['date'] = request.t(first === last ? 'registrations.error.workshopDay' : 'registrations.error.workshopDays', days);
    }
    if (capacity !== null && (capacity < 1 || capacity > 100_000)) errors['capacity'] = request.t('registrations.error.capacity');
    if (Object.keys(errors).length || !start || !end) return workshopsPage(request, reply, event, values, errors, 400);
    await addWorkshop(k, event.id, { title: v.title, room: v.room ?? null, start, end, capacity }, actorOf(request));
    flash(request, 'success', request.t('registrations.workshops.added'));
    return reply.redirect(`/admin/agenda/${event.id}/ateliers`, 303);
  });

  app.post<{ Params: { id: string; sid: string } }>('/admin/agenda/:id/ateliers/:sid/supprimer', staff, async (request, reply) => {
    const event = await eventOr404(request.params.id);
    if (!isId(request.params.sid) || !(await deleteWorkshop(k, event.id, request.params.sid, actorOf(request)))) throw new AppError('not_found');
    flash(request, 'success', request.t('registrations.workshops.deleted'));
    return reply.redirect(`/admin/agenda/${event.id}/ateliers`, 303);
  });

  // ---------- RGPD ----------

  app.post('/admin/inscriptions/effacer', staff, async (request, reply) => {
    const raw = formBody(request);
    const parsed = parseForm(EraseForm, raw);
    const eventId = typeof raw['event'] === 'string' ? raw['event'] : '';
    const event = isId(eventId) ? await repo.eventRow(k.db, eventId) : undefined;
    // Back to the participants page that holds the form (not to this address, which only takes posts).
    const referer = typeof request.headers.referer === 'string' && /^https?:\/\/[^/]+\/admin\//.test(request.headers.referer) ? new URL(request.headers.referer).pathname : '/admin';
    const back = event ? `/admin/agenda/${event.id}/inscriptions` : referer === '/admin/inscriptions/effacer' ? '/admin' : referer;
    if (!parsed.ok) {
      const email = typeof raw['email'] === 'string' ? raw['email'] : '';
      // Shown next to the field, what was typed kept, on the page that holds the form.
      if (event) return listPage(request, reply, event, { values: {}, errors: {} }, 400, { email, error: request.t('validation.email') });
      flash(request, 'error', request.t('validation.email'));
      return reply.redirect(back, 303);
    }
    const email = parsed.value.email.trim();
    if (parsed.value.confirmer !== '1') {
      // Irreversible: first the page saying what will go, at which events, to confirm or cancel.
      const rows = await repo.registrationsByEmail(k.db, email.toLowerCase());
      if (rows.length === 0) {
        flash(request, 'info', request.t('registrations.admin.eraseNone'));
        return reply.redirect(back, 303);
      }
      const ctx = await viewContext(request, reply);
      return sendPage(reply, EraseConfirmPage({ ctx, email, eventId: event?.id ?? null, back, rows }));
    }
    const count = await eraseRegistrationsByEmail(k, email, actorOf(request));
    flash(request, 'success', request.t('registrations.admin.erased', { count }));
    return reply.redirect(back, 303);
  });
};
