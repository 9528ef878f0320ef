import type { FastifyPluginAsync } from 'fastify';
import type { FeatureModule } from '../../kernel/module.js';
import { eventNamer, eventSeriesNamer } from './audit-names-repo.js';
import { registerEventModeration } from './event-entity.js';
import { defineEventGeocodeJobs } from './geocode.js';
import { adminRoutes } from './routes-admin.js';
import { mediaRoutes } from './routes-media.js';
import { memberRoutes } from './routes-member.js';
import { seriesRoutes } from './routes-series.js';

export * from './types.js';
export { agendaVersion, agendaPageCache, agendaSeatsPageCache } from './version.js';
export { findEventById, findEventBySlug, eventsByIds, seatedCounts, withEventLinks } from './repo.js';
export { EVENT_IMAGE_BOX, EVENT_IMAGE_FIELDS, EVENT_IMAGE_PURPOSE, eventImageHref, findEventImageFile } from './image.js';
export { proposeEvent, type ProposeEventResult } from './propose.js';
export { type CancellationNotice, type CancellationReach, type ReachOfEvent, cancellationRecipients, registerCancellationNotice } from './cancellation.js';
export { createEvent, updateEvent, changeEventStatus, cancelEvent, STATUS_ACTIONS as EVENT_STATUS_ACTIONS, checkEvent, draftOfEvent, eventTypes, eventTaxonomies, searchTextOf, type EventsDeps, type EventTypeLabels } from './service.js';
export { createSeries, cancelFollowing, followingDates } from './series-service.js';
export { parseRule, formatRule, expandRule, type RecurrenceRule } from './series.js';
export { validateEvent, draftFormValues, type EventDraft, type EventFormValues } from './validate.js';
export { communeName, eventPlace, eventWhen, lastInstant } from './when.js';
export { EVENT_GEOCODE_JOB, eventsAwaitingPlace } from './geocode.js';
export { registrationClosedReason, registrationOpen, seatState, SEATED_STATUSES, type ClosedReason, type SeatState } from './registration-state.js';

// Members' and feeds' events are moderated like organisations.
registerEventModeration();

const routes: FastifyPluginAsync = async (app) => {
  await app.register(adminRoutes);
  await app.register(seriesRoutes);
  await app.register(memberRoutes);
  await app.register(mediaRoutes);
};

/** The agenda's events: domain, staff back office, member proposals through moderation, series. */
export const eventsModule: FeatureModule = {
  name: 'events',
  routes,
  // In-person events are placed on the agenda's map by the geocoder, as organisations are.
  jobs: defineEventGeocodeJobs,
  adminNav: [{ href: '/admin/agenda', label: 'events.nav' }],
  auditEntities: [eventNamer, eventSeriesNamer],
  memberCards: [{ href: '/mon-espace/evenements', title: 'events.memberHome.title', text: 'events.memberHome.text', link: 'events.memberHome.link' }],
};
