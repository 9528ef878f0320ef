import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { findUserByEmail } from '../../kernel/auth/repo.js';
import type { Clock } from '../../kernel/clock.js';
import { flashesOf } from '../../../test/helpers/after-commit.js';
import { type Client, TEST_PASSWORD, type TestApp, testApp } from '../../../test/helpers/app.js';
import { auditLinesOf } from '../../../test/helpers/approval-failure.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { assertNoInternals, refuseWrites } from '../../../test/helpers/refuse-writes.js';
import { createActiveUser } from '../accounts/index.js';
import { createOrganisation, organisationsOfUser, taxonomies, taxonomyCodes, validateOrganisation } from '../organisations/index.js';
import { submitAccountRequest } from './account-requests.js';
import * as repo from './repo.js';

/** The staff messages, as the French catalogue shows them (no-break space before the colon). */
const APPROVED = 'Demande acceptée\u00a0: le compte est rattaché à la structure et l’invitation part par email.';
const APPROVED_EXISTING = 'Demande acceptée\u00a0: la personne avait déjà un compte, désormais rattaché à la structure. Aucun email ne lui est envoyé.';
const NOT_APPROVED = 'L’acceptation n’a pas abouti\u00a0: rien n’a été enregistré, la demande attend toujours. Vous pouvez réessayer.';
const INVITATION_JOB = 'accounts.invitation';
const CHOSEN_PASSWORD = 'la garonne déborde au printemps 2026';

/**
 * A mail server on 127.0.0.1 that takes connections and, as told: never says a word (`silent`, a
 * hung SMTP server), hangs up at once (`refuse`), or relays them to the test SMTP server (`forward`).
 */
class MailServerProxy {
  private mode: 'silent' | 'refuse' | 'forward' = 'silent';
  /** How many connections it was asked for. */
  connections = 0;
  port = 0;
  private readonly sockets = new Set<net.Socket>();
  private readonly server = net.createServer((socket) => {
    this.connections++;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    if (this.mode === 'refuse') {
      socket.destroy();
    } else if (this.mode === 'forward') {
      const upstream = net.connect(this.target(), '127.0.0.1');
      upstream.on('error', () => socket.destroy());
      socket.on('close', () => upstream.destroy());
      socket.pipe(upstream).pipe(socket);
    }
  });

  constructor(private readonly target: () => number) {}

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}?tls=off`;
  }

  /** From now on; the connections open so far are dropped (the mail client's pool must connect again). */
  set(mode: 'silent' | 'refuse' | 'forward'): void {
    this.mode = mode;
    for (const socket of this.sockets) socket.destroy();
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Real time plus an offset the tests move forward (to make the job's retries due). */
class MovableClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
  reset(): void {
    this.offsetMs = 0;
  }
}

forEachDialect('moderation: approving an account request is one transaction, its invitation email a job', (dialect) => {
  let t: TestApp;
  let proxy: MailServerProxy;
  let staff: Client;
  const clock = new MovableClock();

  before(async () => {
    proxy = await new MailServerProxy(() => t.smtp.port).start();
    t = await testApp(dialect, { env: { SMTP_URL: proxy.url }, clock });
    staff = await t.loginAs('staff', 'equipe@example.org');
  });
  after(async () => {
    await t.close();
    await proxy.close();
  });

  async function organisation(name: string) {
    const checked = validateOrganisation({ name, kind_code: 'association', commune: '33063', postcode: '33000' }, taxonomyCodes(await taxonomies(t.kernel.db)), { currentYear: 2026 });
    assert.ok(checked.ok);
    return createOrganisation(t.kernel, { id: null, email: 'seed@example.org' }, checked.draft);
  }

  async function request(name: string, email: string, organisationId: string) {
    return submitAccountRequest(t.kernel, { name, email, organisationId, newOrganisation: null, message: null, ip: '127.0.0.1' });
  }

  function invitationJobs() {
    return t.kernel.db.selectFrom('jobs').select(['id', 'payload', 'status']).where('name', '=', INVITATION_JOB).execute();
  }

  async function jobsOf(userId: string) {
    return (await invitationJobs()).filter((j) => (JSON.parse(j.payload) as { userId: string }).userId === userId);
  }

  /** The text the account's page gives about the invitation. */
  async function invitationOnAccountPage(userId: string): Promise<string | null> {
    const page = await staff.get(`/admin/comptes/${userId}`);
    assert.equal(page.statusCode, 200);
    return /<dt>Invitation<\/dt>\s*<dd>([^<]*)<\/dd>/.exec(page.body)?.[1] ?? null;
  }

  test('with a mail server that never answers, the approval answers at once; the job worker sends a working link once the server is back', async () => {
    proxy.set('silent');
    const org = await organisation('Lot-et-Garonne Solidarité Mali');
    const id = await request('Inès Moreau', 'ines.moreau@example.org', org.id);
    const connections = proxy.connections;

    const approved = await staff.post(`/admin/demandes-de-compte/${id}/approuver`);
    assert.equal(approved.statusCode, 303, approved.body.slice(0, 3000));
    assert.equal(approved.headers.location, '/admin/demandes-de-compte');
    assert.deepEqual(flashesOf((await staff.get('/admin/demandes-de-compte')).body), [{ kind: 'success', text: APPROVED }], 'staff are told the email is on its way, not that it went');
    assert.equal(proxy.connections, connections, 'the approval did not wait on the mail server');

    assert.equal((await repo.findAccountRequest(t.kernel.db, id))?.status, 'approved');
    const user = await findUserByEmail(t.kernel.db, 'ines.moreau@example.org');
    assert.ok(user);
    assert.equal(user.status, 'invited');
    assert.deepEqual((await organisationsOfUser(t.kernel.db, user.id)).map((o) => o.id), [org.id]);
    const jobs = await jobsOf(user.id);
    assert.equal(jobs.length, 1, 'the invitation email is queued');
    assert.deepEqual(Object.keys(JSON.parse(jobs[0]!.payload) as object).sort(), ['locale', 'userId'], 'the job holds no link nor token');
    const tokens = await t.kernel.db.selectFrom('user_tokens').select('id').where('user_id', '=', user.id).execute();
    assert.equal(tokens.length, 0, 'no link exists before the email goes');
    assert.match((await invitationOnAccountPage(user.id)) ?? '', /^L’email d’invitation part/);

    // The mail server answers again: the worker sends the invitation.
    proxy.set('forward');
    const mails = t.smtp.messages.length;
    await t.kernel.jobs.runDue();
    await t.smtp.waitFor(mails + 1);
    const mail = t.smtp.lastTo('ines.moreau@example.org');
    assert.ok(mail);
    assert.match(mail.parsed.subject ?? '', /votre compte vous attend/);
    assert.match(await invitationOnAccountPage(user.id) ?? '', /^Email d’invitation envoyé le /);

    const link = new URL(t.smtp.linkIn(mail, /http:\/\/localhost:3000\/invitation\/[A-Za-z0-9_-]+/)).pathname;
    const person = t.client();
    assert.equal((await person.get(link)).statusCode, 200, 'the link works');
    assert.equal((await person.post(link, { password: CHOSEN_PASSWORD, password_confirm: CHOSEN_PASSWORD })).statusCode, 303);
    assert.equal((await findUserByEmail(t.kernel.db, 'ines.moreau@example.org'))?.status, 'active');
    assert.equal((await t.client().post('/connexion', { email: 'ines.moreau@example.org', password: CHOSEN_PASSWORD })).statusCode, 303);
  });

  test('an invitation the mail server keeps refusing is shown as failed on the account’s page; sending it again from there works', async () => {
    proxy.set('refuse');
    const org = await organisation('Cités Unies Agenais');
    const id = await request('Paul Durand', 'paul.durand@example.org', org.id);
    assert.equal((await staff.post(`/admin/demandes-de-compte/${id}/approuver`)).statusCode, 303);
    const user = await findUserByEmail(t.kernel.db, 'paul.durand@example.org');
    assert.ok(user);

    await t.kernel.jobs.runDue();
    assert.match((await invitationOnAccountPage(user.id)) ?? '', /^L’email d’invitation n’est pas encore parti\u00a0: nouvel essai le /, 'a failed attempt is retried');
    try {
      // Every retry falls due, and fails, until none is left.
      for (let attempt = 0; attempt < 20 && (await jobsOf(user.id))[0]!.status !== 'failed'; attempt++) {
        clock.advance(2 * 3600);
        await t.kernel.jobs.runDue();
      }
    } finally {
      clock.reset();
    }
    assert.equal((await jobsOf(user.id))[0]!.status, 'failed');
    assert.match((await invitationOnAccountPage(user.id)) ?? '', /^L’email d’invitation n’a pas pu être envoyé \(dernier essai le .+\)\u00a0: renvoyez l’invitation\.$/);

    proxy.set('forward');
    const mails = t.smtp.messages.length;
    const resent = await staff.post(`/admin/comptes/${user.id}/renvoyer-invitation`);
    assert.equal(resent.statusCode, 303);
    await t.smtp.waitFor(mails + 1);
    assert.equal(await invitationOnAccountPage(user.id), null, 'the failure no longer stands once the invitation went');
    const link = new URL(t.smtp.linkIn(t.smtp.lastTo('paul.durand@example.org')!, /http:\/\/localhost:3000\/invitation\/[A-Za-z0-9_-]+/)).pathname;
    assert.equal((await t.client().get(link)).statusCode, 200);
  });

  test('when a write of the approval fails, nothing of it stays: no decision, account, link, log line nor email; it can be approved again', async (ctx) => {
    proxy.set('forward');
    const org = await organisation('Gironde Burkina Échanges');
    const id = await request('Awa Diallo', 'awa.diallo@example.org', org.id);
    const connections = proxy.connections;
    const audit = await auditLinesOf(t.kernel.db, id);
    const queued = (await invitationJobs()).length;
    // The organisation link comes after the decision, the account and its invitation job.
    const allow = await refuseWrites(ctx, t.kernel.db, dialect, 'user_organisations', `NEW.organisation_id = '${org.id}'`);

    const refused = await staff.post(`/admin/demandes-de-compte/${id}/approuver`);
    assert.equal(refused.statusCode, 303, refused.body.slice(0, 3000));
    const page = await staff.get('/admin/demandes-de-compte');
    assert.deepEqual(flashesOf(page.body), [{ kind: 'error', text: NOT_APPROVED }]);
    assertNoInternals(page.body);
    assert.equal((await repo.findAccountRequest(t.kernel.db, id))?.status, 'pending', 'the request waits again');
    assert.equal(await findUserByEmail(t.kernel.db, 'awa.diallo@example.org'), undefined, 'no account');
    assert.equal((await invitationJobs()).length, queued, 'no invitation job');
    assert.equal(await auditLinesOf(t.kernel.db, id), audit, 'no log line of the approval');
    const invitedLines = await t.kernel.db.selectFrom('audit_log').select('id').where('action', '=', 'user.invited').where('after', 'like', '%awa.diallo@example.org%').execute();
    assert.equal(invitedLines.length, 0, 'no log line of an invitation');
    await t.kernel.jobs.runDue();
    assert.equal(proxy.connections, connections, 'no email');

    await allow();
    assert.equal((await staff.post(`/admin/demandes-de-compte/${id}/approuver`)).statusCode, 303);
    assert.deepEqual(flashesOf((await staff.get('/admin/demandes-de-compte')).body), [{ kind: 'success', text: APPROVED }]);
    const user = await findUserByEmail(t.kernel.db, 'awa.diallo@example.org');
    assert.ok(user);
    assert.deepEqual((await organisationsOfUser(t.kernel.db, user.id)).map((o) => o.id), [org.id]);
    assert.equal((await invitationJobs()).length, queued + 1);
  });

  test('a request from someone who has an account already links it, and staff are not told an invitation went', async () => {
    const org = await organisation('Landes Madagascar');
    const existing = await createActiveUser(t.kernel, { email: 'lea.martin@example.org', role: 'member', password: TEST_PASSWORD, displayName: 'Léa Martin' });
    const id = await request('Léa Martin', 'lea.martin@example.org', org.id);
    const queued = (await invitationJobs()).length;

    assert.equal((await staff.post(`/admin/demandes-de-compte/${id}/approuver`)).statusCode, 303);
    assert.deepEqual(flashesOf((await staff.get('/admin/demandes-de-compte')).body), [{ kind: 'success', text: APPROVED_EXISTING }]);
    assert.deepEqual((await organisationsOfUser(t.kernel.db, existing.id)).map((o) => o.id), [org.id]);
    assert.equal((await invitationJobs()).length, queued, 'no invitation for an active account');
  });
});
