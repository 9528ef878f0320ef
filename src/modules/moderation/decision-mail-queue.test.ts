import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { updateUser } from '../../kernel/auth/repo.js';
import { flashesOf } from '../../../test/helpers/after-commit.js';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { auditLinesOf, proposalStatus } from '../../../test/helpers/approval-failure.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { assertNoInternals, refuseWrites } from '../../../test/helpers/refuse-writes.js';
import { createActiveUser } from '../accounts/index.js';
import { createOrganisation, findOrganisationById, organisationFormValues, taxonomies, taxonomyCodes, validateOrganisation } from '../organisations/index.js';
import { submitAccountRequest } from './account-requests.js';
import { ACCOUNT_REJECTION_JOB, PROPOSAL_DECISION_JOB } from './decision-mails.js';
import { accountRequestsPersonalData, proposersPersonalData } from './personal-data.js';
import { propose } from './proposals.js';
import * as repo from './repo.js';

/** The staff messages, as the French catalogue shows them (no-break space before the colon). */
const APPROVED = 'Proposition acceptée et appliquée\u00a0: l’email qui prévient la personne part.';
const REJECTED = 'Proposition refusée\u00a0: l’email qui transmet votre message à la personne part.';
const REQUEST_REJECTED = 'Demande refusée\u00a0: l’email qui transmet votre message à la personne part.';
const ALREADY = 'Cette demande a déjà été traitée.';
const NOT_REJECTED = 'Le refus n’a pas abouti\u00a0: rien n’a été enregistré, la proposition attend toujours. Vous pouvez réessayer.';
const REQUEST_NOT_REJECTED = 'Le refus n’a pas abouti\u00a0: rien n’a été enregistré, la demande attend toujours. Vous pouvez réessayer.';
const NOT_CHANGED = 'L’acceptation n’a pas abouti\u00a0: rien n’a été modifié. Vous pouvez réessayer.';

forEachDialect('moderation: a decision’s email is a job of the decision’s transaction', (dialect) => {
  let t: TestApp;
  let staff: Client;

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff', 'equipe-decisions@example.org');
  });
  after(() => t.close());

  async function organisation(name: string) {
    const checked = validateOrganisation({ name, kind_code: 'association', commune: '33063', postcode: '33000' }, taxonomyCodes(await taxonomies(t.kernel.db)), { currentYear: 2026 });
    assert.ok(checked.ok);
    return createOrganisation(t.kernel, { id: null, email: 'seed@example.org' }, checked.draft);
  }

  /** A change of `org`'s name proposed by `proposer` (an account's id, or a visitor). */
  async function proposalOf(org: Awaited<ReturnType<typeof organisation>>, name: string, proposer: { email: string; userId?: string }) {
    const proposed = await propose(t.kernel, {
      type: 'organisation',
      entityId: org.id,
      payload: { ...organisationFormValues(org), name },
      proposer: { userId: proposer.userId ?? null, name: 'Awa Diallo', email: proposer.email },
    });
    assert.ok(proposed.ok);
    return proposed.id;
  }

  /** The queued jobs of `name` whose payload names `key` = `id`. */
  async function jobsFor(name: string, key: string, id: string) {
    const rows = await t.kernel.db.selectFrom('jobs').select(['payload', 'status', 'max_attempts']).where('name', '=', name).execute();
    return rows.filter((r) => (JSON.parse(r.payload) as Record<string, unknown>)[key] === id);
  }

  const proposalJobs = (id: string) => jobsFor(PROPOSAL_DECISION_JOB, 'proposalId', id);
  const requestJobs = (id: string) => jobsFor(ACCOUNT_REJECTION_JOB, 'requestId', id);
  const mailsTo = (address: string) => t.smtp.messages.filter((m) => m.envelopeTo.includes(address)).length;

  test('an approval commits its email’s job (ids and message only); nothing is sent until the worker runs it, in the proposer’s language; a second approval queues nothing', async () => {
    const address = 'lea.martin@example.org';
    const account = await createActiveUser(t.kernel, { email: address, role: 'member', displayName: 'Léa Martin' });
    await updateUser(t.kernel.db, account.id, { locale: 'en' });
    const org = await organisation('Solidarité Dordogne Burkina');
    const id = await proposalOf(org, 'Solidarité Dordogne Burkina Faso', { email: address, userId: account.id });

    const approved = await staff.post(`/admin/moderation/${id}/approuver`);
    assert.equal(approved.statusCode, 303, approved.body.slice(0, 3000));
    assert.deepEqual(flashesOf((await staff.get('/admin/moderation')).body), [{ kind: 'success', text: APPROVED }], 'staff read the email is on its way, not that it went');
    assert.equal(mailsTo(address), 0, 'the approval did not send the email itself');
    const jobs = await proposalJobs(id);
    assert.equal(jobs.length, 1, 'the email is queued with the decision');
    assert.deepEqual(JSON.parse(jobs[0]!.payload), { proposalId: id, decision: 'approved', message: null }, 'ids and the message: no address, no name');
    assert.equal(jobs[0]!.max_attempts, 12, 'tried again as long as an invitation');

    await t.kernel.jobs.runDue();
    assert.equal(mailsTo(address), 1);
    const mail = t.smtp.lastTo(address)!;
    assert.match(mail.parsed.subject ?? '', /your proposal “Solidarité Dordogne Burkina Faso” is approved/, 'in the language of the proposer’s account');
    assert.match(mail.parsed.text ?? '', /the record is now up to date/);
    const slug = (await findOrganisationById(t.kernel.db, org.id))!.slug;
    assert.match(mail.parsed.text ?? '', new RegExp(`http://localhost:3000/acteurs/${slug}`));
    assert.equal((await proposalJobs(id))[0]!.status, 'done');

    const again = await staff.post(`/admin/moderation/${id}/approuver`);
    assert.equal(again.statusCode, 303);
    assert.deepEqual(flashesOf((await staff.get(`/admin/moderation/${id}`)).body), [{ kind: 'info', text: ALREADY }]);
    assert.equal((await proposalJobs(id)).length, 1, 'a decision that did not happen queues nothing');
    await t.kernel.jobs.runDue();
    assert.equal(mailsTo(address), 1);
  });

  test('a rejection commits its email’s job with staff’s message; the worker sends it in French to a visitor; rejecting again queues nothing', async () => {
    const address = 'moussa.kone@example.org';
    const org = await organisation('Gironde Madagascar Échanges');
    const id = await proposalOf(org, 'Gironde Madagascar', { email: address });
    const message = 'Le nom officiel reste inchangé.';

    const rejected = await staff.post(`/admin/moderation/${id}/rejeter`, { message });
    assert.equal(rejected.statusCode, 303, rejected.body.slice(0, 3000));
    assert.deepEqual(flashesOf((await staff.get('/admin/moderation')).body), [{ kind: 'success', text: REJECTED }]);
    assert.equal(mailsTo(address), 0);
    const jobs = await proposalJobs(id);
    assert.equal(jobs.length, 1);
    assert.deepEqual(JSON.parse(jobs[0]!.payload), { proposalId: id, decision: 'rejected', message });

    await t.kernel.jobs.runDue();
    const mail = t.smtp.lastTo(address)!;
    assert.match(mail.parsed.subject ?? '', /votre proposition «\u00a0Gironde Madagascar\u00a0» n’a pas été retenue/);
    assert.match(mail.parsed.text ?? '', /Le nom officiel reste inchangé\./);

    assert.equal((await staff.post(`/admin/moderation/${id}/rejeter`, { message: 'Encore ?' })).statusCode, 303);
    assert.deepEqual(flashesOf((await staff.get(`/admin/moderation/${id}`)).body), [{ kind: 'info', text: ALREADY }]);
    assert.equal((await proposalJobs(id)).length, 1, 'a second rejection queues nothing');
    assert.equal((await repo.findProposal(t.kernel.db, id))?.message, message);
  });

  test('an account request’s refusal commits its email’s job; the worker sends it; refusing again queues nothing', async () => {
    const org = await organisation('Réseau Sud Gironde');
    const address = 'paul.durand@example.org';
    const id = await submitAccountRequest(t.kernel, { name: 'Paul Durand', email: address, organisationId: org.id, newOrganisation: null, message: null, ip: '127.0.0.1' });
    const message = 'Nous ne connaissons pas ce contact.';

    const rejected = await staff.post(`/admin/demandes-de-compte/${id}/rejeter`, { message });
    assert.equal(rejected.statusCode, 303, rejected.body.slice(0, 3000));
    assert.deepEqual(flashesOf((await staff.get('/admin/demandes-de-compte')).body), [{ kind: 'success', text: REQUEST_REJECTED }]);
    assert.equal(mailsTo(address), 0);
    const jobs = await requestJobs(id);
    assert.equal(jobs.length, 1);
    assert.deepEqual(JSON.parse(jobs[0]!.payload), { requestId: id, message }, 'ids and the message: no address, no name');

    await t.kernel.jobs.runDue();
    assert.equal(mailsTo(address), 1);
    assert.match(t.smtp.lastTo(address)!.parsed.text ?? '', /n’a pas donné suite à votre demande de compte[\s\S]*Nous ne connaissons pas ce contact\./);

    assert.equal((await staff.post(`/admin/demandes-de-compte/${id}/rejeter`, { message: 'Encore ?' })).statusCode, 303);
    assert.deepEqual(flashesOf((await staff.get('/admin/demandes-de-compte')).body), [{ kind: 'info', text: ALREADY }]);
    assert.equal((await requestJobs(id)).length, 1, 'a second refusal queues nothing');
  });

  test('of two proposals decided, the one without an address (its proposer erased) queues nothing', async () => {
    const org = await organisation('Landes Madagascar');
    const told = await proposalOf(org, 'Landes–Madagascar', { email: 'ines.moreau@example.org' });
    const other = await organisation('Lot Solidarité Mali');
    const untold = await proposalOf(other, 'Lot–Solidarité Mali', { email: 'jules.ndiaye@example.org' });
    await proposersPersonalData.erase(t.kernel, { id: null, email: 'equipe-decisions@example.org' }, ['jules.ndiaye@example.org']);

    assert.equal((await staff.post(`/admin/moderation/${told}/approuver`)).statusCode, 303);
    assert.equal((await staff.post(`/admin/moderation/${untold}/rejeter`, { message: 'Le nom reste.' })).statusCode, 303);
    assert.equal(await proposalStatus(t.kernel.db, untold), 'rejected');
    assert.equal((await proposalJobs(told)).length, 1);
    assert.equal((await proposalJobs(untold)).length, 0, 'nobody to write to: no job');
  });

  test('a proposer or a request erased before the email goes: the job ends quietly, and nothing is sent', async () => {
    const org = await organisation('Cités Unies Agenais');
    const address = 'fatou.sow@example.org';
    const id = await proposalOf(org, 'Cités Unies Agen', { email: address });
    const requestId = await submitAccountRequest(t.kernel, { name: 'Fatou Sow', email: address, organisationId: org.id, newOrganisation: null, message: null, ip: '127.0.0.1' });
    assert.equal((await staff.post(`/admin/moderation/${id}/approuver`)).statusCode, 303);
    assert.equal((await staff.post(`/admin/demandes-de-compte/${requestId}/rejeter`, { message: 'Déjà membre ailleurs.' })).statusCode, 303);
    assert.equal((await proposalJobs(id)).length, 1);
    assert.equal((await requestJobs(requestId)).length, 1);

    const actor = { id: null, email: 'equipe-decisions@example.org' };
    await proposersPersonalData.erase(t.kernel, actor, [address]);
    await accountRequestsPersonalData.erase(t.kernel, actor, [address]);
    await t.kernel.jobs.runDue();
    assert.equal(mailsTo(address), 0);
    assert.equal((await proposalJobs(id))[0]!.status, 'done', 'ended, not retried');
    assert.equal((await requestJobs(requestId))[0]!.status, 'done');
  });

  test('when the email’s job cannot be queued, the decision does not stand: nothing is saved, staff read so and may try again', async (ctx) => {
    const org = await organisation('Périgord Bénin');
    const address = 'awa.diallo@example.org';
    const rejectedId = await proposalOf(org, 'Périgord–Bénin', { email: address });
    const other = await organisation('Médoc Togo');
    const approvedId = await proposalOf(other, 'Médoc–Togo', { email: address });
    const requestId = await submitAccountRequest(t.kernel, { name: 'Awa Diallo', email: address, organisationId: org.id, newOrganisation: null, message: null, ip: '127.0.0.1' });
    await staff.get('/admin/moderation'); // the messages of the decisions before
    const audit = { rejected: await auditLinesOf(t.kernel.db, rejectedId), approved: await auditLinesOf(t.kernel.db, approvedId), request: await auditLinesOf(t.kernel.db, requestId) };
    const allow = await refuseWrites(ctx, t.kernel.db, dialect, 'jobs', `NEW.name IN ('${PROPOSAL_DECISION_JOB}', '${ACCOUNT_REJECTION_JOB}')`);

    const rejected = await staff.post(`/admin/moderation/${rejectedId}/rejeter`, { message: 'Le nom reste.' });
    assert.equal(rejected.statusCode, 503);
    assert.deepEqual(flashesOf(rejected.body), [{ kind: 'error', text: NOT_REJECTED }]);
    assert.match(rejected.body, /<textarea[^>]*name="message"[^>]*>Le nom reste\.<\/textarea>/, 'staff’s message is kept to try again');
    assertNoInternals(rejected.body);
    assert.equal(await proposalStatus(t.kernel.db, rejectedId), 'pending');
    assert.equal(await auditLinesOf(t.kernel.db, rejectedId), audit.rejected, 'no log line of the refusal');

    const approved = await staff.post(`/admin/moderation/${approvedId}/approuver`);
    assert.equal(approved.statusCode, 303);
    assert.deepEqual(flashesOf((await staff.get(`/admin/moderation/${approvedId}`)).body), [{ kind: 'error', text: NOT_CHANGED }]);
    assert.equal(await proposalStatus(t.kernel.db, approvedId), 'pending');
    assert.equal((await findOrganisationById(t.kernel.db, other.id))?.name, 'Médoc Togo', 'the record did not change');
    assert.equal(await auditLinesOf(t.kernel.db, approvedId), audit.approved);

    const refused = await staff.post(`/admin/demandes-de-compte/${requestId}/rejeter`, { message: 'Déjà membre ailleurs.' });
    assert.equal(refused.statusCode, 503);
    assert.deepEqual(flashesOf(refused.body), [{ kind: 'error', text: REQUEST_NOT_REJECTED }]);
    assert.match(refused.body, /<textarea[^>]*name="message"[^>]*>Déjà membre ailleurs\.<\/textarea>/);
    assertNoInternals(refused.body);
    assert.equal((await repo.findAccountRequest(t.kernel.db, requestId))?.status, 'pending');
    assert.equal(await auditLinesOf(t.kernel.db, requestId), audit.request);
    assert.equal((await proposalJobs(rejectedId)).length + (await proposalJobs(approvedId)).length + (await requestJobs(requestId)).length, 0, 'no job');

    await allow();
    assert.equal((await staff.post(`/admin/moderation/${rejectedId}/rejeter`, { message: 'Le nom reste.' })).statusCode, 303);
    assert.equal((await staff.post(`/admin/moderation/${approvedId}/approuver`)).statusCode, 303);
    assert.equal((await staff.post(`/admin/demandes-de-compte/${requestId}/rejeter`, { message: 'Déjà membre ailleurs.' })).statusCode, 303);
    const mails = mailsTo(address);
    await t.kernel.jobs.runDue();
    assert.equal(mailsTo(address), mails + 3, 'once decided, each email goes');
  });
});
