import { addEvent } from '../../../src/modules/agenda/test-fixtures.js';
import type { RouteArea, Statuses } from './types.js';

const everyone: Statuses = { visitor: 200, member: 200, staff: 200, admin: 200 };

/** Routes of the public agenda (hand-written; see types.ts). All public: the status of events filters rows, not routes. */
export const agendaRoutes: RouteArea = {
  expected: {
    'GET /agenda': everyone,
    'GET /agenda/archives': everyone,
    'GET /agenda/:slug': everyone,
    'GET /agenda.ics': everyone,
    'GET /agenda/:slug.ics': everyone,
    'GET /agenda/widget': everyone,
    'GET /agenda/widget.json': everyone,
    'GET /assets/js/agenda-map.js': everyone,
  },
  async samples(t) {
    const event = await addEvent(t.kernel.db, {
      title: 'Rencontre publique de la matrice',
      starts_at: '2030-06-01T08:00:00.000Z',
      ends_at: '2030-06-01T10:00:00.000Z',
    });
    return {
      'GET /agenda/:slug': { params: { slug: event.slug } },
      'GET /agenda/:slug.ics': { params: { slug: event.slug } },
    };
  },
};
