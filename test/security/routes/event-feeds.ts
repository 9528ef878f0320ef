import { systemClock } from '../../../src/kernel/clock.js';
import { createOrganisation, taxonomies, taxonomyCodes, validateOrganisation } from '../../../src/modules/organisations/index.js';
import type { RouteArea } from './types.js';

const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000';

/** Members' iCal feeds (event-feeds module; hand-written, see types.ts). */
export const eventFeedRoutes: RouteArea = {
  expected: {
    // Any signed-in account sees its page (with no organisation, no form).
    'GET /mon-espace/evenements/flux': { visitor: 302, member: 200, staff: 200, admin: 200 },
    // The sample organisation is linked to none of these accounts: the form is re-shown with an error.
    'POST /mon-espace/evenements/flux': { visitor: 403, member: 400, staff: 400, admin: 400 },
    // Only a feed of one's own organisations; any other id is refused alike.
    'POST /mon-espace/evenements/flux/:id/supprimer': { visitor: 403, member: 403, staff: 403, admin: 403 },
    'GET /admin/agenda/flux': { visitor: 302, member: 403, staff: 200, admin: 200 },
    // An unknown organisation name: the form is re-shown with an error.
    'POST /admin/agenda/flux': { visitor: 403, member: 403, staff: 400, admin: 400 },
    // The sample feed points at a private address: the read is refused and recorded, then back to the list.
    'POST /admin/agenda/flux/:id/actualiser': { visitor: 403, member: 403, staff: 303, admin: 303 },
    'POST /admin/agenda/flux/:id/supprimer': { visitor: 403, member: 403, staff: 404, admin: 404 },
  },
  async samples(t) {
    const codes = taxonomyCodes(await taxonomies(t.kernel.db));
    const result = validateOrganisation({ name: 'Agendas sans frontières', kind_code: 'association', commune: '33063', postcode: '33000' }, codes, { currentYear: 2026 });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const organisation = await createOrganisation({ db: t.kernel.db, clock: systemClock }, { id: null, email: null }, result.draft);
    const feedId = '01900000-0000-7000-8000-0000000000fe';
    await t.kernel.db
      .insertInto('event_feeds')
      .values({ id: feedId, organisation_id: organisation.id, url: 'http://127.0.0.1:9/agenda.ics', active: 1, item_count: 0, created_at: new Date().toISOString() })
      .execute();
    return {
      'POST /mon-espace/evenements/flux': { body: { organisation: organisation.id, url: 'https://exemple.org/agenda.ics' } },
      'POST /mon-espace/evenements/flux/:id/supprimer': { params: { id: feedId } },
      'POST /admin/agenda/flux': { body: { structure: 'Structure inconnue du réseau', url: 'https://exemple.org/agenda.ics' } },
      'POST /admin/agenda/flux/:id/actualiser': { params: { id: feedId } },
      'POST /admin/agenda/flux/:id/supprimer': { params: { id: UNKNOWN_ID } },
    };
  },
};
