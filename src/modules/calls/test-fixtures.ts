// Test data shared by the calls' tests (integration, browser, route table); not used by the app.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../../kernel/clock.js';
import { createCall } from './service.js';
import { type Call, type CallDraft, EMPTY_LINKS } from './types.js';

export const SEED_ACTOR = { id: null, email: 'seed@example.org' };

/** A valid draft of a call, with the given fields. */
export function callDraft(fields: Partial<Omit<CallDraft, 'links'>> & { title: string; closes_on: string; links?: Partial<CallDraft['links']> }): CallDraft {
  const { links, ...rest } = fields;
  return {
    funder: 'Région Bretagne',
    funder_organisation_id: null,
    summary: null,
    description_html: null,
    opens_on: null,
    closes_time: null,
    amount_min_cents: null,
    amount_max_cents: null,
    cofinancing_rate: null,
    link_url: null,
    watch_item_id: null,
    ...rest,
    links: { ...EMPTY_LINKS, ...links },
  };
}

/** Adds a call (published unless told otherwise) as staff would. */
export function addCall(deps: { db: Kysely<Database>; clock: Clock }, draft: CallDraft, status: 'draft' | 'published' = 'published'): Promise<Call> {
  return createCall(deps, SEED_ACTOR, draft, status);
}
