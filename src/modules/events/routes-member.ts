import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { formBody, signedInUser } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { findPendingProposalOf, memberProposalItems, propose } from '../moderation/index.js';
import { organisationsOfUser } from '../organisations/index.js';
import { eventValues } from './event-entity.js';

import { proposeEvent } from './propose.js';
import { formatRule, repeatFormValues } from './series.js';
import { checkEventWithRepetition } from './series-service.js';
import * as repo from './repo.js';
import { eventFormLabels } from './service.js';
import { draftFormValues, type EventDraft, list, type Problems, submittedFormValues } from './validate.js';
import { MyEventsPage, ProposeEventPage } from './views-member.js';
import { writeRefused } from '../../kernel/http/write-refused.js';
import { redirectNewFormAliases } from '../../kernel/http/new-form-aliases.js';
import { isId } from '../../kernel/ids.js';
import { DEFAULT_TIME_ZONE, toLocalInputs } from '../../kernel/time/zoned.js';

/**
 * The types of event only the network organises (its own meetings, its country groups' meetings):
 * a member's form never offers them, and a member's proposal naming one is refused. Event types are
 * seeded codes with no admin page yet: a list here is enough; a type added later is open to members
 * unless listed. A change keeps the type the event already has (staff may have set one of these).
 */
export const NETWORK_ONLY_EVENT_TYPES: readonly string[] = ['network_meeting', 'country_group_meeting'];

/** A member may give an event this type: any but the network's own, or the one the event already has. */
function memberMayUse(type: string, keep?: string): boolean {
  return !NETWORK_ONLY_EVENT_TYPES.includes(type) || type === keep;
}

/** Members propose their organisations' events (and changes to them) through moderation. */
export const memberRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const member = { config: { access: 'member' as const } };

  app.get('/mon-espace/evenements', member, async (request, reply) => {
    const user = signedInUser(request);
    const organisations = await organisationsOfUser(k.db, user.id);
    const [proposals, events] = await Promise.all([
      memberProposalItems(k.db, user.id, 'event'),
      repo.eventsOfOrganisations(
        k.db,
        organisations.map((o) => o.id),
      ),
    ]);
    return sendPage(reply, MyEventsPage({ ctx: await viewContext(request, reply), proposals, events, hasOrganisations: organisations.length > 0 }));
  });

  /**
   * What the member sends: checked against the directory as members see it, with one of their
   * organisations among the organisers, starting today or later (by the app's clock; a change may
   * keep the day the event already has); a new event may repeat (the staff form's fields and limits).
   */
  async function checkProposal(raw: Record<string, unknown>, ownIds: string[], uploaderId: string, options: { repetition?: boolean; keepDay?: string; keepType?: string } = {}) {
    const ownAmongOrganisers = (draft: EventDraft): Problems =>
      ownIds.length && !draft.links.organisers.some((id) => ownIds.includes(id)) ? { organisers: { key: 'events.error.organiserRequired' } } : {};
    const startRule = { today: toLocalInputs(k.clock.now(), DEFAULT_TIME_ZONE).date, keep: options.keepDay };
    const checked = await checkEventWithRepetition(k, raw, { visibility: ['public', 'members'], uploaderId, repetition: options.repetition ?? false, also: ownAmongOrganisers, startRule });
    // A type of the network's own (sent by hand: the form does not offer it) is refused with the other errors.
    const type = typeof raw['type_code'] === 'string' ? raw['type_code'].trim() : '';
    if (memberMayUse(type, options.keepType)) return checked;
    return { ok: false as const, errors: { ...(checked.ok ? {} : checked.errors), type_code: { key: 'events.error.typeNetworkOnly' as const } } };
  }

  async function formPage(
    request: FastifyRequest,
    reply: FastifyReply,
    p: { action: string; edit?: { title: string; pendingSince: string | null; inSeries: boolean; type: string }; values: Record<string, unknown>; errors: Record<string, string> },
    status = 200,
  ) {
    const user = signedInUser(request);
    const own = await organisationsOfUser(k.db, user.id);
    const all = await eventFormLabels(k.db, [...own.map((o) => o.id), ...list(p.values, 'organisers')]);
    // The types a member may organise (and, for a change, the one the event has).
    const labels = { ...all, types: all.types.filter((x) => memberMayUse(x.code, p.edit?.type)) };
    const t = request.t;
    return sendPage(
      reply,
      ProposeEventPage({
        ctx: await viewContext(request, reply),
        action: p.action,
        title: p.edit ? t('events.member.editTitle', { title: p.edit.title }) : t('events.member.proposeTitle'),
        intro: t('events.member.proposeIntro'),
        submit: t(p.edit ? 'events.member.submitChange' : 'events.member.submit'),
        values: p.values,
        errors: p.errors,
        labels,
        pendingSince: p.edit?.pendingSince ?? null,
        // A new event may repeat; a change concerns the one date edited (each date of a series is an event of its own).
        repetition: !p.edit,
        inSeries: p.edit?.inSeries ?? false,
      }),
      status,
    );
  }

  const translate = (request: FastifyRequest, errors: Problems) => Object.fromEntries(Object.entries(errors).map(([f, e]) => [f, request.t(e.key, e.params)]));

  redirectNewFormAliases(app, '/mon-espace/evenements', 'nouveau', 'member');

  app.get('/mon-espace/evenements/nouveau', member, async (request, reply) => {
    const user = signedInUser(request);
    const own = await organisationsOfUser(k.db, user.id);
    // No type in advance: a member's event is as often a webinar, a training or a screening as « Événement d’un membre », and the
    // agenda is filtered by type; an untouched form is refused on the type, not filed under a guess.
    return formPage(request, reply, { action: '/mon-espace/evenements/nouveau', values: { organisers: own.length === 1 ? [own[0]!.id] : [], repeat_interval: '1' }, errors: {} });
  });

  app.post('/mon-espace/evenements/nouveau', member, async (request, reply) => {
    const user = signedInUser(request);
    const raw = formBody(request);
    const own = await organisationsOfUser(k.db, user.id);
    const checked = await checkProposal(
      raw,
      own.map((o) => o.id),
      user.id,
      { repetition: true },
    );
    if (!checked.ok) {
      const values = { ...submittedFormValues(raw), ...repeatFormValues(raw) };
      return formPage(request, reply, { action: '/mon-espace/evenements/nouveau', values, errors: translate(request, checked.errors) }, 400);
    }
    const repeat = checked.rule ? formatRule(checked.rule) : '';
    try {
      // The proposal and its log line are one transaction: refused, nothing stays, and the form comes back as typed.
      await proposeEvent(k, { ...draftFormValues(checked.draft), repeat, source: 'member' }, { userId: user.id, name: user.displayName, email: user.email, ip: request.ip });
    } catch (error) {
      writeRefused(request, error, 'events.flash.notSent');
      const values = { ...submittedFormValues(raw), ...repeatFormValues(raw) };
      return formPage(request, reply, { action: '/mon-espace/evenements/nouveau', values, errors: {} }, 503);
    }
    flash(request, 'success', request.t('events.flash.proposed'));
    return reply.redirect('/mon-espace/evenements', 303);
  });

  /** An event one of the member's organisations organises; any other id is refused without saying whether it exists. */
  async function ownEvent(request: FastifyRequest) {
    const user = signedInUser(request);
    const { id } = request.params as { id: string };
    if (!isId(id)) throw new AppError('forbidden');
    const own = (await organisationsOfUser(k.db, user.id)).map((o) => o.id);
    const event = await repo.findEventById(k.db, id);
    if (!event || !event.organisers.some((o) => own.includes(o))) throw new AppError('forbidden');
    return { user, event, own };
  }

  app.get('/mon-espace/evenements/:id/modifier', member, async (request, reply) => {
    const { user, event } = await ownEvent(request);
    const pending = await findPendingProposalOf(k.db, 'event', event.id, user.id);
    let values: Record<string, unknown> = eventValues(event);
    if (pending) {
      try {
        values = JSON.parse(pending.payload) as Record<string, unknown>;
      } catch {
        // A payload that cannot be read: the event as it is.
      }
    }
    return formPage(request, reply, {
      action: `/mon-espace/evenements/${event.id}/modifier`,
      edit: { title: event.title, pendingSince: pending?.created_at ?? null, inSeries: Boolean(event.series_id), type: event.type_code },
      values,
      errors: {},
    });
  });

  app.post('/mon-espace/evenements/:id/modifier', member, async (request, reply) => {
    const { user, event, own } = await ownEvent(request);
    const raw = formBody(request);
    const checked = await checkProposal(raw, own, user.id, { keepDay: toLocalInputs(new Date(event.starts_at), event.time_zone).date, keepType: event.type_code });
    const again = async (errors: Record<string, string>, status: number) => {
      const pending = await findPendingProposalOf(k.db, 'event', event.id, user.id);
      return formPage(
        request,
        reply,
        {
          action: `/mon-espace/evenements/${event.id}/modifier`,
          edit: { title: event.title, pendingSince: pending?.created_at ?? null, inSeries: Boolean(event.series_id), type: event.type_code },
          values: submittedFormValues(raw),
          errors,
        },
        status,
      );
    };
    if (!checked.ok) return again(translate(request, checked.errors), 400);
    // Members change the event's content; its status (cancelled or not) stays the staff's.
    const payload = { ...draftFormValues(checked.draft), cancelled: event.status === 'cancelled' ? '1' : '' };
    let result: Awaited<ReturnType<typeof propose>>;
    try {
      // The proposal (or its new payload) and its log line are one transaction: refused, nothing changes.
      result = await propose(k, { type: 'event', entityId: event.id, payload, proposer: { userId: user.id, name: user.displayName, email: user.email, ip: request.ip } });
    } catch (error) {
      writeRefused(request, error, 'events.flash.notSent');
      return again({}, 503);
    }
    if (!result.ok) flash(request, 'info', request.t('events.flash.unchanged'));
    else flash(request, 'success', request.t(result.updated ? 'events.flash.proposalUpdated' : 'events.flash.proposed'));
    return reply.redirect('/mon-espace/evenements', 303);
  });
};

