import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { flashesOf } from '../../../test/helpers/after-commit.js';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { proposalStatus } from '../../../test/helpers/approval-failure.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { createOrganisation, organisationFormValues, taxonomies, taxonomyCodes, validateOrganisation } from '../organisations/index.js';
import { proposersPersonalData } from './personal-data.js';
import { propose } from './proposals.js';
import * as repo from './repo.js';

/** The messages, as the French catalogue shows them (no-break space before the colon). */
const APPROVED_UNTOLD = 'Proposition acceptée et appliquée. Personne n’a été prévenu\u00a0: la proposition ne porte pas d’adresse email.';
const REJECTED_UNTOLD = 'Proposition refusée. Votre message n’a pas été envoyé\u00a0: la proposition ne porte pas d’adresse email.';
const APPROVED_TOLD = 'Proposition acceptée et appliquée\u00a0: l’email qui prévient la personne part.';

forEachDialect('moderation: a decision on a proposal without an address tells nobody, and staff read so', (dialect) => {
  let t: TestApp;
  let staff: Client;

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff', 'equipe@example.org');
  });
  after(() => t.close());

  async function organisation(name: string) {
    const checked = validateOrganisation({ name, kind_code: 'association', commune: '33063', postcode: '33000' }, taxonomyCodes(await taxonomies(t.kernel.db)), { currentYear: 2026 });
    assert.ok(checked.ok);
    return createOrganisation(t.kernel, { id: null, email: 'seed@example.org' }, checked.draft);
  }

  /** A change proposed by `email`, who then had their data erased (RGPD): the proposal keeps no address. */
  async function proposalOf(org: Awaited<ReturnType<typeof organisation>>, name: string, email: string, erased: boolean) {
    const proposed = await propose(t.kernel, {
      type: 'organisation',
      entityId: org.id,
      payload: { ...organisationFormValues(org), name },
      proposer: { userId: null, name: 'Awa Diallo', email },
    });
    assert.ok(proposed.ok);
    if (erased) {
      await proposersPersonalData.erase(t.kernel, { id: null, email: 'equipe@example.org' }, [email]);
      assert.equal((await repo.findProposal(t.kernel.db, proposed.id))?.proposer_email, null);
    }
    return proposed.id;
  }

  test('staff accept a proposal whose proposer was erased: no email, and the message does not say the person was told', async () => {
    const org = await organisation('Solidarité Dordogne Burkina');
    const id = await proposalOf(org, 'Solidarité Dordogne Burkina Faso', 'awa.diallo@example.org', true);
    const mails = t.smtp.messages.length;

    const accepted = await staff.post(`/admin/moderation/${id}/approuver`);
    assert.equal(accepted.statusCode, 303, accepted.body.slice(0, 3000));
    assert.deepEqual(flashesOf((await staff.get('/admin/moderation')).body), [{ kind: 'success', text: APPROVED_UNTOLD }]);
    assert.equal(await proposalStatus(t.kernel.db, id), 'approved');
    await t.kernel.jobs.runDue();
    assert.equal(t.smtp.messages.length, mails, 'no email, not even queued');
  });

  test('staff reject a proposal whose proposer was erased: the message is kept, and staff read it was not sent', async () => {
    const org = await organisation('Gironde Madagascar Échanges');
    const id = await proposalOf(org, 'Gironde Madagascar', 'moussa.kone@example.org', true);
    const mails = t.smtp.messages.length;

    const rejected = await staff.post(`/admin/moderation/${id}/rejeter`, { message: 'Le nom officiel reste inchangé.' });
    assert.equal(rejected.statusCode, 303, rejected.body.slice(0, 3000));
    assert.deepEqual(flashesOf((await staff.get('/admin/moderation')).body), [{ kind: 'success', text: REJECTED_UNTOLD }]);
    assert.equal(await proposalStatus(t.kernel.db, id), 'rejected');
    assert.equal((await repo.findProposal(t.kernel.db, id))?.message, 'Le nom officiel reste inchangé.');
    await t.kernel.jobs.runDue();
    assert.equal(t.smtp.messages.length, mails, 'no email, not even queued');
  });

  test('with an address, the proposer is emailed (through the job queue) and staff read so', async () => {
    const org = await organisation('Réseau Sud Gironde');
    const id = await proposalOf(org, 'Réseau Sud-Gironde', 'lea.martin@example.org', false);
    const mails = t.smtp.messages.length;

    assert.equal((await staff.post(`/admin/moderation/${id}/approuver`)).statusCode, 303);
    assert.deepEqual(flashesOf((await staff.get('/admin/moderation')).body), [{ kind: 'success', text: APPROVED_TOLD }]);
    await t.kernel.jobs.runDue();
    await t.smtp.waitFor(mails + 1);
    assert.ok(t.smtp.lastTo('lea.martin@example.org'));
  });
});
