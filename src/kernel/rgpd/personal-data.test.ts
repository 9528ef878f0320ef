import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { erasePersonalDataOfEmails, personalDataOfEmails, personalEmails } from './personal-data.js';

const STAFF = { id: null, email: 'rgpd-test@example.org' };

test('addresses are looked up trimmed, in lower case, each once', () => {
  assert.deepEqual(personalEmails([' Awa@Example.org ', 'awa@example.org', '', '  ', 'b@x.org']), ['awa@example.org', 'b@x.org']);
});

forEachDialect('personal data of every module', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await testApp(dialect);
  });
  after(() => t.close());

  test('the modules register their sections, each key once', () => {
    const keys = t.kernel.personalData.map((s) => s.key);
    for (const key of ['newsletter', 'call_alerts', 'account_requests', 'proposals', 'event_registrations']) assert.ok(keys.includes(key), `${key} is registered`);
    assert.equal(new Set(keys).size, keys.length);
  });

  test('an unknown address has nothing anywhere, and its erasure changes nothing', async () => {
    const keys = t.kernel.personalData.map((s) => s.key);
    const data = await personalDataOfEmails(t.kernel, ['nobody@example.org']);
    assert.deepEqual(data, Object.fromEntries(keys.map((k) => [k, []])));
    const counts = await erasePersonalDataOfEmails(t.kernel, STAFF, ['nobody@example.org']);
    assert.deepEqual(counts, Object.fromEntries(keys.map((k) => [k, 0])));
    assert.deepEqual(await erasePersonalDataOfEmails(t.kernel, STAFF, ['', '  ']), {}, 'no address, nothing to erase');
  });

  test('a newsletter subscription is found whatever the case, left out on request, then erased', async () => {
    const list = await t.kernel.db.selectFrom('newsletter_lists').select('id').where('is_public', '=', 1).executeTakeFirstOrThrow();
    assert.equal((await t.client().post('/lettre', { email: 'Awa.Diop@Example.org', lists: list.id })).statusCode, 200);
    const data = await personalDataOfEmails(t.kernel, [' AWA.DIOP@example.org ']);
    assert.deepEqual((data['newsletter'] as { email: string }[]).map((s) => s.email), ['Awa.Diop@Example.org']);
    assert.deepEqual(data['account_requests'], []);
    assert.equal('newsletter' in (await personalDataOfEmails(t.kernel, ['awa.diop@example.org'], { except: ['newsletter'] })), false);

    const counts = await erasePersonalDataOfEmails(t.kernel, STAFF, ['awa.diop@example.org']);
    assert.equal(counts['newsletter'], 1);
    assert.deepEqual((await personalDataOfEmails(t.kernel, ['awa.diop@example.org']))['newsletter'], []);
  });

  test('a visitor who proposed an organisation finds the proposal; erased, it stays without their name or address', async () => {
    const visitor = t.client();
    await visitor.get('/proposer-une-structure');
    const sent = await visitor.post('/proposer-une-structure', { proposer_name: 'Binta Camara', proposer_email: 'Binta.Camara@example.org', name: 'Jardins du Sahel Limousin', kind_code: 'association', commune: '87085' });
    assert.equal(sent.statusCode, 303);
    const found = (await personalDataOfEmails(t.kernel, ['binta.camara@example.org']))['proposals'] as { id: string; proposer_name: string; payload: { name?: string } }[];
    assert.equal(found.length, 1);
    assert.equal(found[0]!.proposer_name, 'Binta Camara');
    assert.equal(found[0]!.payload.name, 'Jardins du Sahel Limousin');

    const journalOf = () => t.kernel.db.selectFrom('audit_log').select(['actor_email', 'ip']).where('entity_type', '=', 'proposal').where('entity_id', '=', found[0]!.id).execute();
    assert.ok((await journalOf()).some((e) => e.actor_email?.toLowerCase() === 'binta.camara@example.org'), 'the journal names the sender until the erasure');

    const counts = await erasePersonalDataOfEmails(t.kernel, STAFF, ['BINTA.CAMARA@example.org']);
    assert.equal(counts['proposals'], 1);
    const kept = await t.kernel.db.selectFrom('proposals').selectAll().where('id', '=', found[0]!.id).executeTakeFirstOrThrow();
    assert.equal(kept.proposer_name, null);
    assert.equal(kept.proposer_email, null);
    assert.equal(kept.status, 'pending', 'the proposal itself is still to be reviewed');
    const journal = await journalOf();
    assert.ok(journal.length > 0);
    for (const entry of journal) assert.deepEqual(entry, { actor_email: null, ip: null });
    assert.deepEqual((await personalDataOfEmails(t.kernel, ['binta.camara@example.org']))['proposals'], []);
  });
});
