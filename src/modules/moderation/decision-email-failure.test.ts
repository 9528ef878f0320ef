import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type AppWithoutMail, appWithoutMail, flashesOf, followUpsLogged } from '../../../test/helpers/after-commit.js';
import type { Client } from '../../../test/helpers/app.js';
import { auditLinesOf, proposalStatus } from '../../../test/helpers/approval-failure.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { assertNoInternals } from '../../../test/helpers/refuse-writes.js';
import { createOrganisation, findOrganisationById, organisationFormValues, taxonomies, taxonomyCodes, validateOrganisation } from '../organisations/index.js';
import { submitAccountRequest } from './account-requests.js';
import { ACCOUNT_REJECTION_JOB, PROPOSAL_DECISION_JOB } from './decision-mails.js';
import { propose } from './proposals.js';
import * as repo from './repo.js';

/** The messages, as the French catalogue shows them (no-break space before the colon): the email is on its way, not sent. */
const APPROVED = 'Proposition acceptée et appliquée\u00a0: l’email qui prévient la personne part.';
const REJECTED = 'Proposition refusée\u00a0: l’email qui transmet votre message à la personne part.';
const REQUEST_REJECTED = 'Demande refusée\u00a0: l’email qui transmet votre message à la personne part.';

/** The form a browser would post for an organisation: every field, lists joined by commas. */
function formOf(values: object, changes: Record<string, string> = {}): Record<string, string> {
  const form: Record<string, string> = {};
  for (const [k, v] of Object.entries(organisationFormValues(values))) form[k] = Array.isArray(v) ? v.join(',') : v;
  return { ...form, ...changes };
}

forEachDialect('moderation: a decision stands when its email cannot be sent yet, and the email is tried again', (dialect) => {
  let t: AppWithoutMail;
  let staff: Client;

  before(async () => {
    t = await appWithoutMail(dialect);
    staff = await t.loginAs('staff', 'equipe@example.org');
  });
  after(() => t.close());

  async function organisation(name: string) {
    const checked = validateOrganisation({ name, kind_code: 'association', commune: '33063', postcode: '33000' }, taxonomyCodes(await taxonomies(t.kernel.db)), { currentYear: 2026 });
    assert.ok(checked.ok);
    return createOrganisation(t.kernel, { id: null, email: 'seed@example.org' }, checked.draft);
  }

  async function proposalOf(org: Awaited<ReturnType<typeof organisation>>, name: string) {
    const proposed = await propose(t.kernel, {
      type: 'organisation',
      entityId: org.id,
      payload: { ...organisationFormValues(org), name },
      proposer: { userId: null, name: 'Awa Diallo', email: 'awa.diallo@example.org' },
    });
    assert.ok(proposed.ok);
    return proposed.id;
  }

  /**
   * The page after the redirect: the success alone (no warning: nothing failed yet), no mail server
   * error in the log. Then the worker's attempt fails and the job waits for another one; the
   * decision stands.
   */
  async function assertDoneAndRetried(location: string, success: string, logFrom: number, job: string, key: string, id: string) {
    const page = await staff.get(location);
    assert.equal(page.statusCode, 200);
    assert.deepEqual(flashesOf(page.body), [{ kind: 'success', text: success }]);
    assertNoInternals(page.body);
    assert.deepEqual(followUpsLogged(t.logLines, logFrom), [], 'nothing followed the commit, nothing failed after it');

    await t.kernel.jobs.runDue();
    const jobs = (await t.kernel.db.selectFrom('jobs').select(['payload', 'status', 'attempts', 'last_error']).where('name', '=', job).execute()).filter(
      (j) => (JSON.parse(j.payload) as Record<string, unknown>)[key] === id,
    );
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]!.status, 'queued', 'waiting for its next attempt');
    assert.equal(jobs[0]!.attempts, 1);
    assert.match(jobs[0]!.last_error ?? '', /ECONNREFUSED/);
  }

  test('staff reject a proposal while no email can go: rejected as usual, told the email is on its way, which the worker tries again', async () => {
    const org = await organisation('Solidarité Dordogne Burkina');
    const proposalId = await proposalOf(org, 'Solidarité Dordogne Burkina Faso');
    const logFrom = t.logLines.length;

    const rejected = await staff.post(`/admin/moderation/${proposalId}/rejeter`, { message: 'Le nom officiel reste inchangé.' });
    assert.equal(rejected.statusCode, 303, rejected.body.slice(0, 3000));
    assert.equal(rejected.headers.location, '/admin/moderation', 'the usual redirect');
    await assertDoneAndRetried('/admin/moderation', REJECTED, logFrom, PROPOSAL_DECISION_JOB, 'proposalId', proposalId);
    assert.equal(await proposalStatus(t.kernel.db, proposalId), 'rejected', 'the rejection is saved');
    assert.equal((await repo.findProposal(t.kernel.db, proposalId))?.message, 'Le nom officiel reste inchangé.');
    assert.equal(await auditLinesOf(t.kernel.db, proposalId), 2, 'proposed, then rejected, in the log');
    assert.equal((await findOrganisationById(t.kernel.db, org.id))?.name, 'Solidarité Dordogne Burkina');
  });

  test('staff edit then accept a proposal while no email can go: accepted as usual, told the email is on its way, which the worker tries again', async () => {
    const org = await organisation('Gironde Madagascar Échanges');
    const proposalId = await proposalOf(org, 'Gironde Madagascar');
    const logFrom = t.logLines.length;

    const accepted = await staff.post(`/admin/moderation/${proposalId}/modifier`, formOf(org, { name: 'Gironde–Madagascar', decision_message: 'Tiret ajouté.' }));
    assert.equal(accepted.statusCode, 303, accepted.body.slice(0, 3000));
    assert.equal(accepted.headers.location, '/admin/moderation', 'the usual redirect');
    await assertDoneAndRetried('/admin/moderation', APPROVED, logFrom, PROPOSAL_DECISION_JOB, 'proposalId', proposalId);
    assert.equal(await proposalStatus(t.kernel.db, proposalId), 'approved', 'the approval is saved');
    assert.equal((await findOrganisationById(t.kernel.db, org.id))?.name, 'Gironde–Madagascar', 'with the staff’s edit');
  });

  test('staff reject an account request while no email can go: rejected as usual, told the email is on its way, which the worker tries again', async () => {
    const org = await organisation('Réseau Sud Gironde');
    const id = await submitAccountRequest(t.kernel, { name: 'Paul Durand', email: 'paul@example.org', organisationId: org.id, newOrganisation: null, message: null, ip: '127.0.0.1' });
    const logFrom = t.logLines.length;

    const rejected = await staff.post(`/admin/demandes-de-compte/${id}/rejeter`, { message: 'Nous ne connaissons pas ce contact.' });
    assert.equal(rejected.statusCode, 303, rejected.body.slice(0, 3000));
    assert.equal(rejected.headers.location, '/admin/demandes-de-compte');
    await assertDoneAndRetried('/admin/demandes-de-compte', REQUEST_REJECTED, logFrom, ACCOUNT_REJECTION_JOB, 'requestId', id);
    assert.equal((await repo.findAccountRequest(t.kernel.db, id))?.status, 'rejected', 'the refusal is saved');
    assert.equal(await auditLinesOf(t.kernel.db, id), 2, 'requested, then rejected, in the log');
  });
});
