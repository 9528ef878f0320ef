import type { RouteArea } from './types.js';

/** The alerts on calls (call-alerts module; hand-written, see types.ts). */
export const callAlertRoutes: RouteArea = {
  expected: {
    // The runs, in the newsletter's back office.
    'GET /admin/lettres/alertes': { visitor: 302, member: 403, staff: 200, admin: 200 },
    // The send hour: admins only; an empty form comes back with its error.
    'POST /admin/lettres/alertes': { visitor: 403, member: 403, staff: 403, admin: 400 },
  },
};
