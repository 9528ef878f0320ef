// The moderation queue and the account requests, asked for at a page past their last one, lead to
// their last page (the filters kept), or to their address without `page` when they fit on one page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { flashesOf } from '../../../test/helpers/after-commit.js';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { newId } from '../../kernel/ids.js';
import { insertAccountRequest, insertProposal } from './repo.js';

/** How many times a page shows what the pattern matches (a proposal's title, a requester's name). */
const count = (html: string, pattern: RegExp) => [...html.matchAll(pattern)].length;

forEachDialect('moderation: a page past the last leads to the last', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let pendingRequest: string;

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff');
    // 51 rejected proposals of new organisations and 51 rejected account requests (two pages of 50
    // each), one pending account request; no pending proposal.
    const start = Date.parse('2026-01-05T09:00:00Z');
    for (let i = 0; i < 51; i++) {
      const at = new Date(start + i * 60_000).toISOString();
      const n = String(i).padStart(2, '0');
      await insertProposal(t.kernel.db, {
        id: newId(),
        entity_type: 'organisation',
        entity_id: null,
        status: 'rejected',
        payload: JSON.stringify({ name: `Structure refusée ${n}` }),
        base: null,
        proposer_user_id: null,
        proposer_name: `Proposant ${n}`,
        proposer_email: `proposant${n}@example.org`,
        message: 'Hors du territoire.',
        decided_by: null,
        decided_at: at,
        created_at: at,
      });
      await insertAccountRequest(t.kernel.db, {
        id: newId(),
        name: `Demandeur ${n}`,
        email: `demandeur${n}@example.org`,
        organisation_id: null,
        proposal_id: null,
        message: null,
        status: 'rejected',
        decided_by: null,
        decided_at: at,
        created_at: at,
      });
    }
    pendingRequest = newId();
    await insertAccountRequest(t.kernel.db, {
      id: pendingRequest,
      name: 'Demandeuse en attente',
      email: 'attente@example.org',
      organisation_id: null,
      proposal_id: null,
      message: null,
      status: 'pending',
      decided_by: null,
      decided_at: null,
      created_at: new Date(start).toISOString(),
    });
  });
  after(() => t.close());

  test('/admin/moderation: past the last page, the last page with the filters kept; an empty queue, its address', async () => {
    const last = await staff.get('/admin/moderation?status=rejected&type=organisation&page=2');
    assert.equal(last.statusCode, 200, 'the last page is shown');
    assert.match(last.body, /Page 2 sur 2/);
    assert.equal(count(last.body, /Structure refusée \d\d/g), 1, 'one proposal on the second page');

    const beyond = await staff.get('/admin/moderation?status=rejected&type=organisation&page=7');
    assert.equal(beyond.statusCode, 302);
    assert.equal(beyond.headers.location, '/admin/moderation?status=rejected&type=organisation&page=2');
    const capped = await staff.get('/admin/moderation?page=99999999999999999999&status=rejected');
    assert.equal(capped.headers.location, '/admin/moderation?page=2&status=rejected', 'the page keeps its place among the parameters');

    // No pending proposal: the queue is one (empty) page.
    const empty = await staff.get('/admin/moderation?page=3');
    assert.equal(empty.statusCode, 302);
    assert.equal(empty.headers.location, '/admin/moderation');
    const emptyOfType = await staff.get('/admin/moderation?type=organisation&page=2');
    assert.equal(emptyOfType.headers.location, '/admin/moderation?type=organisation');
    assert.equal((await staff.get('/admin/moderation?type=organisation')).statusCode, 200);
  });

  test('/admin/demandes-de-compte: past the last page, the last page; the flash message waits for the page it leads to', async () => {
    const last = await staff.get('/admin/demandes-de-compte?status=rejected&page=2');
    assert.equal(last.statusCode, 200, 'the last page is shown');
    assert.match(last.body, /Page 2 sur 2/);
    assert.equal(count(last.body, /Demandeur \d\d/g), 1, 'one request on the second page');

    const beyond = await staff.get('/admin/demandes-de-compte?status=rejected&page=9');
    assert.equal(beyond.statusCode, 302);
    assert.equal(beyond.headers.location, '/admin/demandes-de-compte?status=rejected&page=2');

    // One pending request: one page, whose address has no page number.
    const pending = await staff.get('/admin/demandes-de-compte?page=2');
    assert.equal(pending.statusCode, 302);
    assert.equal(pending.headers.location, '/admin/demandes-de-compte');
    assert.match((await staff.get('/admin/demandes-de-compte')).body, /Demandeuse en attente/);

    // A refused rejection (no message) is a posted form: its answer is the page with the errors, never a redirect.
    const refused = await staff.post(`/admin/demandes-de-compte/${pendingRequest}/rejeter?page=9`, { message: '' });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Demandeuse en attente/);

    // The redirect comes before the page takes its flash messages: the page it leads to shows them.
    const rejected = await staff.post(`/admin/demandes-de-compte/${pendingRequest}/rejeter`, { message: 'Nous ne connaissons pas cette structure.' });
    assert.equal(rejected.statusCode, 303);
    const afterDecision = await staff.get('/admin/demandes-de-compte?page=4');
    assert.equal(afterDecision.statusCode, 302);
    assert.equal(afterDecision.headers.location, '/admin/demandes-de-compte');
    const shown = await staff.get(afterDecision.headers.location);
    assert.equal(shown.statusCode, 200);
    const flashes = flashesOf(shown.body);
    assert.equal(flashes.length, 1);
    assert.equal(flashes[0]!.kind, 'success');
    assert.match(flashes[0]!.text, /^Demande refusée/);
  });
});
