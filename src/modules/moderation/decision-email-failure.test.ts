import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type AppWithoutMail, appWithoutMail, flashesOf, followUpsLogged } from '../../../test/helpers/after-commit.js';
import type { Client } from '../../../test/helpers/app.js';
import { auditLinesOf, proposalStatus } from '../../../test/helpers/approval-failure.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { assertNoInternals } from '../../../test/helpers/refuse-writes.js';
import { createOrganisation, findOrganisationById, organisationFormValues, taxonomies, taxonomyCodes, validateOrganisation } from '../organisations/index.js';
import { submitAccountRequest } from './account-requests.js';
import { propose } from './proposals.js';
import * as repo from './repo.js';

/** The messages, as the French catalogue shows them (no-break space before the colon). */
const APPROVED = 'Proposition acceptée et appliquée.';
const APPROVAL_NOT_EMAILED = 'L’email annonçant l’acceptation n’a pas pu être envoyé à la personne qui a fait la proposition\u00a0: prévenez-la autrement.';
const REJECTED = 'Proposition refusée.';
const REJECTION_NOT_EMAILED = 'L’email annonçant le refus, avec votre message, n’a pas pu être envoyé à la personne qui a fait la proposition\u00a0: prévenez-la autrement.';
const REQUEST_REJECTED = 'Demande refusée.';
const REQUEST_REJECTION_NOT_EMAILED = 'L’email annonçant le refus, avec votre message, n’a pas pu être envoyé à la personne qui a fait la demande\u00a0: prévenez-la autrement.';

/** The form a browser would post for an organisation: every field, lists joined by commas. */
function formOf(values: object, changes: Record<string, string> = {}): Record<string, string> {
  const form: Record<string, string> = {};
  for (const [k, v] of Object.entries(organisationFormValues(values))) form[k] = Array.isArray(v) ? v.join(',') : v;
  return { ...form, ...changes };
}

forEachDialect('moderation: a decision stands when its email cannot be sent', (dialect) => {
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

  /** The page after the redirect: the success, then the warning (once, with no internals); the cause in the log under the request's id. */
  async function assertDoneWithWarning(location: string, success: string, warning: string, logFrom: number) {
    const page = await staff.get(location);
    assert.equal(page.statusCode, 200);
    assert.deepEqual(flashesOf(page.body), [
      { kind: 'success', text: success },
      { kind: 'error', text: warning },
    ]);
    assertNoInternals(page.body);
    assert.doesNotMatch(page.body, /ECONNREFUSED|127\.0\.0\.1/, 'the mail server’s error stays in the log');
    const logged = followUpsLogged(t.logLines, logFrom);
    assert.equal(logged.length, 1);
    assert.match(logged[0]!.reference, /\S/, 'logged with the request’s id');
    assert.match(logged[0]!.cause, /ECONNREFUSED/);
    assert.deepEqual(flashesOf((await staff.get(location)).body), [], 'the messages are shown once');
  }

  test('staff reject a proposal while no email can go: rejected as usual, told the proposer was not emailed', async () => {
    const org = await organisation('Solidarité Dordogne Burkina');
    const proposalId = await proposalOf(org, 'Solidarité Dordogne Burkina Faso');
    const logFrom = t.logLines.length;

    const rejected = await staff.post(`/admin/moderation/${proposalId}/rejeter`, { message: 'Le nom officiel reste inchangé.' });
    assert.equal(rejected.statusCode, 303, rejected.body.slice(0, 3000));
    assert.equal(rejected.headers.location, '/admin/moderation', 'the usual redirect');
    await assertDoneWithWarning('/admin/moderation', REJECTED, REJECTION_NOT_EMAILED, logFrom);
    assert.equal(await proposalStatus(t.kernel.db, proposalId), 'rejected', 'the rejection is saved');
    assert.equal((await repo.findProposal(t.kernel.db, proposalId))?.message, 'Le nom officiel reste inchangé.');
    assert.equal(await auditLinesOf(t.kernel.db, proposalId), 2, 'proposed, then rejected, in the log');
    assert.equal((await findOrganisationById(t.kernel.db, org.id))?.name, 'Solidarité Dordogne Burkina');
  });

  test('staff edit then accept a proposal while no email can go: accepted as usual, told the proposer was not emailed', async () => {
    const org = await organisation('Gironde Madagascar Échanges');
    const proposalId = await proposalOf(org, 'Gironde Madagascar');
    const logFrom = t.logLines.length;

    const accepted = await staff.post(`/admin/moderation/${proposalId}/modifier`, formOf(org, { name: 'Gironde–Madagascar', decision_message: 'Tiret ajouté.' }));
    assert.equal(accepted.statusCode, 303, accepted.body.slice(0, 3000));
    assert.equal(accepted.headers.location, '/admin/moderation', 'the usual redirect');
    await assertDoneWithWarning('/admin/moderation', APPROVED, APPROVAL_NOT_EMAILED, logFrom);
    assert.equal(await proposalStatus(t.kernel.db, proposalId), 'approved', 'the approval is saved');
    assert.equal((await findOrganisationById(t.kernel.db, org.id))?.name, 'Gironde–Madagascar', 'with the staff’s edit');
  });

  test('staff reject an account request while no email can go: rejected as usual, told the person was not emailed', async () => {
    const org = await organisation('Réseau Sud Gironde');
    const id = await submitAccountRequest(t.kernel, { name: 'Paul Durand', email: 'paul@example.org', organisationId: org.id, newOrganisation: null, message: null, ip: '127.0.0.1' });
    const logFrom = t.logLines.length;

    const rejected = await staff.post(`/admin/demandes-de-compte/${id}/rejeter`, { message: 'Nous ne connaissons pas ce contact.' });
    assert.equal(rejected.statusCode, 303, rejected.body.slice(0, 3000));
    assert.equal(rejected.headers.location, '/admin/demandes-de-compte');
    await assertDoneWithWarning('/admin/demandes-de-compte', REQUEST_REJECTED, REQUEST_REJECTION_NOT_EMAILED, logFrom);
    assert.equal((await repo.findAccountRequest(t.kernel.db, id))?.status, 'rejected', 'the refusal is saved');
    assert.equal(await auditLinesOf(t.kernel.db, id), 2, 'requested, then rejected, in the log');
  });
});
