import { Type } from '@sinclair/typebox';

const url = Type.String({ minLength: 8, maxLength: 2000, 'x-message': 'eventFeeds.error.url', 'x-required': 'eventFeeds.error.urlRequired' });

/** A member registers an agenda for one of their organisations. */
export const MemberFeedForm = Type.Object({
  organisation: Type.String({ minLength: 1, maxLength: 40, 'x-message': 'eventFeeds.error.organisation', 'x-required': 'eventFeeds.error.organisation' }),
  url,
});

/** Staff register an agenda for any organisation, named by its exact name or page address. */
export const AdminFeedForm = Type.Object({
  structure: Type.String({ minLength: 1, maxLength: 300, 'x-message': 'eventFeeds.error.structureUnknown', 'x-required': 'eventFeeds.error.structureRequired' }),
  url,
});
