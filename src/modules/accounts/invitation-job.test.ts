import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { findUserByEmail, findUserById, updateUser } from '../../kernel/auth/repo.js';
import { type AppWithoutMail, appWithoutMail, flashesOf, followUpsLogged } from '../../../test/helpers/after-commit.js';
import { type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { assertNoInternals } from '../../../test/helpers/refuse-writes.js';
import { createActiveUser } from './create-user.js';
import { INVITATION_JOB, inviteUserQueued } from './invitations.js';

/** The messages, as the French catalogue shows them (no-break space before the colon). */
const CREATED = 'Compte créé pour lea.martin@example.org.';
const NOT_MAILED = 'L’email d’invitation n’a pas pu être envoyé\u00a0: renvoyez l’invitation depuis la page du compte.';

forEachDialect('accounts: invitation emails', (dialect) => {
  describe('queued', () => {
    let t: TestApp;
    let staff: { id: string; email: string; displayName: string; role: 'staff' };

    before(async () => {
      t = await testApp(dialect);
      const created = await createActiveUser(t.kernel, { email: 'equipe@example.org', role: 'staff', displayName: 'Claire Petit' });
      staff = { id: created.id, email: 'equipe@example.org', displayName: 'Claire Petit', role: 'staff' };
    });
    after(() => t.close());

    async function jobOf(userId: string) {
      const jobs = await t.kernel.db.selectFrom('jobs').select(['payload', 'status']).where('name', '=', INVITATION_JOB).execute();
      return jobs.find((j) => (JSON.parse(j.payload) as { userId: string }).userId === userId);
    }

    test('the job names the inviter as the account reads when the email goes, from ids; the link in the email works', async () => {
      const invited = await inviteUserQueued(t.kernel, staff, { email: 'moussa.kone@example.org', displayName: 'Moussa Koné', role: 'member', locale: 'fr', byStaff: { organisation: 'Cités Unies Agenais' } });
      assert.ok(invited.ok);
      assert.equal(invited.mailed, false, 'queued, not sent');
      const job = await jobOf(invited.userId);
      assert.ok(job);
      assert.deepEqual(JSON.parse(job.payload), { userId: invited.userId, locale: 'fr', byStaff: { inviterId: staff.id, organisation: 'Cités Unies Agenais' } }, 'ids, no link, no token, no name');

      await updateUser(t.kernel.db, staff.id, { display_name: 'Claire Petit-Laurent' });
      const mails = t.smtp.messages.length;
      await t.kernel.jobs.runDue();
      await t.smtp.waitFor(mails + 1);
      const mail = t.smtp.lastTo('moussa.kone@example.org');
      assert.ok(mail);
      assert.match(mail.parsed.text ?? '', /^Claire Petit-Laurent, de l’équipe de .+, vous invite à rejoindre le site du réseau pour la structure Cités Unies Agenais\./m);
      const link = new URL(t.smtp.linkIn(mail, /http:\/\/localhost:3000\/invitation\/[A-Za-z0-9_-]+/)).pathname;
      assert.equal((await t.client().get(link)).statusCode, 200);
      assert.equal((await jobOf(invited.userId))?.status, 'done');
    });

    test('an account that no longer waits for its invitation when the job runs gets no email', async () => {
      const invited = await inviteUserQueued(t.kernel, staff, { email: 'ines.moreau@example.org', displayName: 'Inès Moreau', role: 'member', locale: 'fr' });
      assert.ok(invited.ok);
      await updateUser(t.kernel.db, invited.userId, { status: 'deactivated' });
      const mails = t.smtp.messages.length;
      await t.kernel.jobs.runDue();
      assert.equal((await jobOf(invited.userId))?.status, 'done', 'ended quietly, not retried');
      assert.equal(t.smtp.messages.length, mails);
      const tokens = await t.kernel.db.selectFrom('user_tokens').select('id').where('user_id', '=', invited.userId).execute();
      assert.equal(tokens.length, 0, 'no link drawn');
    });
  });

  describe('sent by staff at once, with the mail server down', () => {
    let t: AppWithoutMail;

    before(async () => {
      t = await appWithoutMail(dialect);
    });
    after(() => t.close());

    test('the account is created, and staff read that its email did not go and how to send it again', async () => {
      const admin = await t.loginAs('admin', 'admin@example.org');
      await admin.get('/admin/comptes/inviter');
      const logFrom = t.logLines.length;
      const res = await admin.post('/admin/comptes/inviter', { email: 'lea.martin@example.org', display_name: 'Léa Martin', role: 'member' });
      assert.equal(res.statusCode, 303, res.body.slice(0, 3000));
      const user = await findUserByEmail(t.kernel.db, 'lea.martin@example.org');
      assert.ok(user);
      assert.equal(res.headers.location, `/admin/comptes/${user.id}`);
      assert.equal((await findUserById(t.kernel.db, user.id))?.status, 'invited');
      const page = await admin.get(`/admin/comptes/${user.id}`);
      assert.deepEqual(flashesOf(page.body), [
        { kind: 'success', text: CREATED },
        { kind: 'error', text: NOT_MAILED },
      ]);
      assertNoInternals(page.body);
      assert.ok(page.body.includes(`action="/admin/comptes/${user.id}/renvoyer-invitation"`), 'the invitation can be sent again');
      const logged = followUpsLogged(t.logLines, logFrom);
      assert.equal(logged.length, 1);
      assert.match(logged[0]!.cause, /ECONNREFUSED/);
    });
  });
});
