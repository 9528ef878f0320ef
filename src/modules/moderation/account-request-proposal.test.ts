import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { flashesOf } from '../../../test/helpers/after-commit.js';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { findUserByEmail } from '../../kernel/auth/repo.js';
import { forgetDraftStats } from '../duplicates/index.js';

/** A visitor asks for an account for an organisation they propose at the same time. */
function requestFor(person: string, email: string, organisation: string): Record<string, string> {
  return { mode: 'new', person_name: person, person_email: email, message: 'Je coordonne nos projets.', name: organisation, kind_code: 'association', commune: 'Lormont', postcode: '33310' };
}

const CHOSEN_PASSWORD = 'les carrelets de la Garonne 2026';

forEachDialect('account requests with a proposed organisation: refusal, its form, and the member’s pending organisation', (dialect) => {
  let t: TestApp;
  let visitor: Client;
  let staff: Client;

  before(async () => {
    t = await testApp(dialect);
    visitor = t.client();
    await visitor.get('/demande-de-compte?nouvelle=1');
    staff = await t.loginAs('staff', 'equipe@example.org');
    forgetDraftStats(t.kernel.db);
  });
  after(() => t.close());

  async function sendRequest(person: string, email: string, organisation: string) {
    const sent = await visitor.post('/demande-de-compte', requestFor(person, email, organisation));
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 2000));
    const row = await t.kernel.db.selectFrom('account_requests').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
    assert.ok(row.proposal_id);
    return { id: row.id, proposalId: row.proposal_id };
  }

  const proposalStatus = async (id: string) => (await t.kernel.db.selectFrom('proposals').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

  test('refused without a message, the request comes back with the standard error summary, worded for a request, which the form posts to', async () => {
    const { id } = await sendRequest('Jules Ndiaye', 'jules.ndiaye@example.org', 'Jardins partagés de Lormont');
    const page = await staff.get('/admin/demandes-de-compte');
    assert.match(page.body, new RegExp(`<form method="post" action="/admin/demandes-de-compte/${id}/rejeter#erreurs-demande-${id}"`));

    const refused = await staff.post(`/admin/demandes-de-compte/${id}/rejeter`, { message: '  ' });
    assert.equal(refused.statusCode, 400);
    const message = 'Expliquez à la personne pourquoi sa demande de compte est refusée.';
    assert.match(
      refused.body,
      new RegExp(`<div class="error-summary" id="erreurs-demande-${id}" role="alert" tabindex="-1"><h2>Le formulaire contient 1 erreur\u00a0:</h2><ul><li><a href="#f-rej-${id}-message">${message}</a></li></ul></div>`),
    );
    assert.match(refused.body, new RegExp(`<p class="field-error" id="f-rej-${id}-message-error">${message}</p>`));
    assert.match(refused.body, new RegExp(`<textarea id="f-rej-${id}-message" name="message"[^>]* aria-invalid="true"`));
    assert.doesNotMatch(refused.body, /sa proposition est refusée/, 'not the words of a proposal');
    assert.equal((await t.kernel.db.selectFrom('account_requests').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'pending');
  });

  test('refusing the request refuses the organisation proposed with it, in one go and one email; accepting that proposal later is no longer possible', async () => {
    const email = 'ines.moreau@example.org';
    const { id, proposalId } = await sendRequest('Inès Moreau', email, 'Solidarité Lormont Bénin');
    const page = await staff.get('/admin/demandes-de-compte');
    assert.match(page.body, /Refuser la demande refuse aussi la structure «\u00a0Solidarité Lormont Bénin\u00a0» proposée avec elle\u202f; la personne reçoit un seul email, avec votre message\./);
    const mails = t.smtp.messages.length;

    const refused = await staff.post(`/admin/demandes-de-compte/${id}/rejeter`, { message: 'Votre structure n’agit pas à l’international.' });
    assert.equal(refused.statusCode, 303);
    assert.deepEqual(flashesOf((await staff.get('/admin/demandes-de-compte')).body), [
      { kind: 'success', text: 'Demande refusée, ainsi que la structure «\u00a0Solidarité Lormont Bénin\u00a0» proposée avec elle\u00a0: l’email qui transmet votre message à la personne part.' },
    ]);
    assert.equal(await proposalStatus(proposalId), 'rejected', 'the proposal is refused with the request');
    const decided = await t.kernel.db.selectFrom('proposals').select(['message', 'decided_by']).where('id', '=', proposalId).executeTakeFirstOrThrow();
    assert.equal(decided.message, 'Votre structure n’agit pas à l’international.');
    const line = await t.kernel.db.selectFrom('audit_log').selectAll().where('entity_id', '=', proposalId).where('action', '=', 'proposal.rejected').executeTakeFirstOrThrow();
    assert.equal((JSON.parse(line.after!) as { account_request_id: string }).account_request_id, id);

    // The email leaves through the job queue.
    await t.kernel.jobs.runDue();
    await t.smtp.waitFor(mails + 1);
    const sent = t.smtp.messages.slice(mails).filter((m) => m.envelopeTo.includes(email));
    assert.equal(sent.length, 1, 'one email for both decisions');
    const text = sent[0]!.parsed.text ?? '';
    assert.match(text, /n’a pas donné suite à votre demande de compte/);
    assert.match(text, /La structure «\u00a0Solidarité Lormont Bénin\u00a0» que vous proposiez avec cette demande n’est donc pas ajoutée à l’annuaire\./);
    assert.match(text, /Votre structure n’agit pas à l’international\./);

    // Not in the queue any more; accepting it by its address does nothing and sends nothing.
    assert.doesNotMatch((await staff.get('/admin/moderation')).body, /Solidarité Lormont Bénin/);
    const approve = await staff.post(`/admin/moderation/${proposalId}/approuver`);
    assert.equal(approve.statusCode, 303);
    assert.deepEqual(flashesOf((await staff.get(`/admin/moderation/${proposalId}`)).body), [{ kind: 'info', text: 'Cette demande a déjà été traitée.' }]);
    assert.equal(await t.kernel.db.selectFrom('organisations').select('id').where('name', '=', 'Solidarité Lormont Bénin').executeTakeFirst(), undefined);
    // An approval's email would have been queued with it.
    await t.kernel.jobs.runDue();
    assert.equal(t.smtp.messages.filter((m) => m.envelopeTo.includes(email)).length, 1, 'no « acceptée » email after the refusal');
  });

  test('a member whose proposed organisation still waits sees it on « Mes structures », with its date, and is not told to write to the team', async () => {
    const email = 'awa.diallo@example.org';
    const { id } = await sendRequest('Awa Diallo', email, 'Lormont Solidarité Sahel');
    assert.equal((await staff.post(`/admin/demandes-de-compte/${id}/approuver`)).statusCode, 303);
    // The invitation leaves through the job queue; the person chooses a password and is signed in.
    const mails = t.smtp.messages.length;
    await t.kernel.jobs.runDue();
    await t.smtp.waitFor(mails + 1);
    const link = new URL(t.smtp.linkIn(t.smtp.lastTo(email)!, /http:\/\/localhost:3000\/invitation\/[A-Za-z0-9_-]+/)).pathname;
    const member = t.client();
    await member.get(link);
    assert.equal((await member.post(link, { password: CHOSEN_PASSWORD, password_confirm: CHOSEN_PASSWORD })).statusCode, 303);
    assert.equal((await findUserByEmail(t.kernel.db, email))?.status, 'active');

    const mine = await member.get('/mon-espace/structures');
    assert.equal(mine.statusCode, 200);
    assert.doesNotMatch(mine.body, /Écrivez à l’équipe du réseau/, 'nothing to write about: the proposal waits');
    assert.match(mine.body, /Votre compte sera rattaché à la structure que vous avez proposée dès que l’équipe du réseau l’aura validée\./);
    const section = /<section aria-labelledby="my-proposed"[\s\S]*?<\/section>/.exec(mine.body)?.[0] ?? '';
    assert.match(section, /<h2 id="my-proposed">Structures proposées<\/h2>/);
    assert.match(section, /<h3>Lormont Solidarité Sahel<\/h3>/);
    assert.match(section, /Proposée le \d{1,2} \S+ \d{4}[^<]*, en attente de validation par l’équipe\./);

    // Once staff accept it, the account is linked and the organisation is listed as the member’s.
    const proposal = await t.kernel.db.selectFrom('account_requests').select('proposal_id').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal((await staff.post(`/admin/moderation/${proposal.proposal_id}/approuver`)).statusCode, 303);
    const linked = await member.get('/mon-espace/structures');
    assert.doesNotMatch(linked.body, /my-proposed/);
    assert.match(linked.body, /<h2>Lormont Solidarité Sahel<\/h2>/);
  });
});
