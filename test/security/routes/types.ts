import type { Role } from '../../../src/db/schema.js';
import type { TestApp } from '../../helpers/app.js';

export type Who = Role | 'visitor';
export type Statuses = Record<Who, number>;

export interface Sample {
  /** Concrete values for the URL's parameters (`:id`, `:token`, `*`). */
  params?: Record<string, string>;
  /** The form posted (a CSRF token is always added); empty when absent. */
  body?: Record<string, string>;
  /** The request ends the session: each role uses a freshly signed-in client. */
  fresh?: boolean;
}

/**
 * One area's part of the HAND-WRITTEN route table: every route it registers with the status each
 * role gets, and how each route is exercised (`samples` may create the records it needs).
 */
export interface RouteArea {
  expected: Record<string, Statuses>;
  samples?: (t: TestApp) => Promise<Record<string, Sample>>;
}
