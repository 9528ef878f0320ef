import type { AuditEntityNamer } from '../../kernel/module.js';
import { toRecord } from './proposals.js';
import { moderatedEntity } from './registry.js';

/**
 * Proposals in the journal, by the name of the record they propose (as the moderation queue shows
 * it), never by their proposer's; one whose kind gives no title is left out.
 */
export const proposalNamer: AuditEntityNamer = {
  type: 'proposal',
  async names({ db }, ids) {
    const proposals = (await db.selectFrom('proposals').selectAll().where('id', 'in', ids).execute()).map(toRecord);
    return new Map(
      proposals.flatMap((p) => {
        const title = moderatedEntity(p.entityType)?.title?.(p.payload)?.trim();
        return title ? [[p.id, { name: title, href: `/admin/moderation/${encodeURIComponent(p.id)}` }] as const] : [];
      }),
    );
  },
};

/**
 * Account requests in the journal, by the name the person gave, as the list of requests shows it;
 * linked to that list, filtered on the request's state (requests have no page of their own).
 */
export const accountRequestNamer: AuditEntityNamer = {
  type: 'account_request',
  async names({ db }, ids) {
    const requests = await db.selectFrom('account_requests').select(['id', 'name', 'status']).where('id', 'in', ids).execute();
    return new Map(requests.map((r) => [r.id, { name: r.name, href: `/admin/demandes-de-compte?status=${r.status}` }]));
  },
};
