import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type AppWithoutMail, appWithoutMail, flashesOf } from '../../../test/helpers/after-commit.js';
import type { Client } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { seedOrganisation } from '../../../test/helpers/duplicate-warning.js';
import { assertNoInternals, refuseWrites } from '../../../test/helpers/refuse-writes.js';
import { findUserByEmail } from '../../kernel/auth/repo.js';
import { usersOfOrganisation } from '../organisations/index.js';

/** The staff messages as the French catalogue shows them (no-break space before the colon). */
const INVITED = (email: string) => `Compte créé pour ${email} et rattaché à la structure\u00a0: l’invitation part par email (la page du compte dit où en est l’envoi).`;
const NOT_SAVED = 'L’invitation n’a pas abouti\u00a0: rien n’a été enregistré, aucun compte n’a été créé. Vous pouvez réessayer.';
const INVITATION_JOB = 'accounts.invitation';

forEachDialect('back office: inviting a person from an organisation is one write, its email a job', (dialect) => {
  let t: AppWithoutMail;
  let staff: Client;
  let orgId: string;

  before(async () => {
    // The mail server is down: every email fails.
    t = await appWithoutMail(dialect);
    staff = await t.loginAs('staff', 'equipe@example.org');
    orgId = (await seedOrganisation(t.kernel, { name: 'Eau Vive Dordogne', kind_code: 'association', commune: 'Périgueux', postcode: '24000', visibility: 'public' })).id;
    await staff.get(`/admin/organisations/${orgId}`);
  });
  after(() => t.close());

  const jobsOf = async (userId: string) =>
    (await t.kernel.db.selectFrom('jobs').select(['payload', 'status']).where('name', '=', INVITATION_JOB).execute()).filter((j) => (JSON.parse(j.payload) as { userId: string }).userId === userId);
  const linkLines = () => t.kernel.db.selectFrom('audit_log').select('id').where('action', '=', 'organisation.account_linked').where('entity_id', '=', orgId).execute();

  test('with the mail server down, the account is created and linked, its invitation queued; staff read it is on its way, not an error page', async () => {
    const res = await staff.post(`/admin/organisations/${orgId}/inviter`, { display_name: 'Awa Diallo', email: 'awa.diallo@example.org' });
    assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
    assert.equal(res.headers.location, `/admin/organisations/${orgId}#comptes`);
    const page = await staff.get(`/admin/organisations/${orgId}`);
    assert.deepEqual(flashesOf(page.body), [{ kind: 'success', text: INVITED('awa.diallo@example.org') }]);

    const user = await findUserByEmail(t.kernel.db, 'awa.diallo@example.org');
    assert.ok(user);
    assert.equal(user.status, 'invited');
    assert.deepEqual((await usersOfOrganisation(t.kernel.db, orgId)).map((u) => u.id), [user.id], 'the account is linked to the organisation');
    assert.equal((await linkLines()).length, 1, 'and the link is in the journal');
    const jobs = await jobsOf(user.id);
    assert.equal(jobs.length, 1, 'the invitation email waits in the queue');
    assert.deepEqual(JSON.parse(jobs[0]!.payload), { userId: user.id, locale: 'fr', byStaff: { inviterId: (await findUserByEmail(t.kernel.db, 'equipe@example.org'))!.id, organisation: 'Eau Vive Dordogne' } });

    // The worker tries, fails, and will try again; the account's page says so.
    await t.kernel.jobs.runDue();
    assert.equal((await jobsOf(user.id))[0]!.status, 'queued', 'retried later');
    const account = await staff.get(`/admin/comptes/${user.id}`);
    assert.match(account.body, /L’email d’invitation n’est pas encore parti\u00a0: nouvel essai le /);
  });

  test('when the database refuses the link, nothing stays: no account, no job, no journal line; the form comes back as typed, and a new try works', async (ctx) => {
    const allow = await refuseWrites(ctx, t.kernel.db, dialect, 'user_organisations', `NEW.organisation_id = '${orgId}'`);
    const queued = (await t.kernel.db.selectFrom('jobs').select('id').where('name', '=', INVITATION_JOB).execute()).length;
    const lines = (await linkLines()).length;

    const refused = await staff.post(`/admin/organisations/${orgId}/inviter`, { display_name: 'Kofi Mensah', email: 'kofi.mensah@example.org' });
    assert.equal(refused.statusCode, 503);
    assertNoInternals(refused.body);
    assert.deepEqual(flashesOf(refused.body), [{ kind: 'error', text: NOT_SAVED }]);
    assert.match(refused.body, /value="Kofi Mensah"/);
    assert.match(refused.body, /value="kofi\.mensah@example\.org"/);
    assert.equal(await findUserByEmail(t.kernel.db, 'kofi.mensah@example.org'), undefined, 'no account without its organisation');
    assert.equal((await t.kernel.db.selectFrom('jobs').select('id').where('name', '=', INVITATION_JOB).execute()).length, queued, 'no invitation job');
    assert.equal((await linkLines()).length, lines, 'no journal line');

    await allow();
    const again = await staff.post(`/admin/organisations/${orgId}/inviter`, { display_name: 'Kofi Mensah', email: 'kofi.mensah@example.org' });
    assert.equal(again.statusCode, 303);
    const user = await findUserByEmail(t.kernel.db, 'kofi.mensah@example.org');
    assert.ok(user);
    assert.ok((await usersOfOrganisation(t.kernel.db, orgId)).some((u) => u.id === user.id));
  });
});
