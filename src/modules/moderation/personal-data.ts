import type { PersonalDataSource } from '../../kernel/module.js';
import * as repo from './repo.js';

/**
 * The requests for a member account made with a person's addresses (name, address, message);
 * erased, the rows go and their journal entries no longer hold the person's name nor address.
 */
export const accountRequestsPersonalData: PersonalDataSource = {
  key: 'account_requests',
  export: (kernel, emails) => repo.accountRequestsOfEmails(kernel.db, emails),
  async erase(kernel, _actor, emails) {
    const requests = await repo.accountRequestsOfEmails(kernel.db, emails);
    return repo.eraseAccountRequests(
      kernel.db,
      requests.map((r) => r.id),
    );
  },
};

/**
 * Proposals sent under a person's address, or by their account (new organisation, correction,
 * event…): erased, they keep what they propose but no longer say who sent them.
 */
export const proposersPersonalData: PersonalDataSource = {
  key: 'proposals',
  async export(kernel, emails) {
    const rows = await repo.proposalsOfProposerEmails(kernel.db, emails);
    return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as unknown }));
  },
  async erase(kernel, _actor, emails) {
    const rows = await repo.proposalsOfProposerEmails(kernel.db, emails);
    return repo.eraseProposers(
      kernel.db,
      rows.map((r) => r.id),
    );
  },
};
