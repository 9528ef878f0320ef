import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { registerParticipant } from './register.js';
import { insertTestEvent, testParticipant } from './test-fixtures-repo.js';

forEachDialect('registrations in a member’s data download (RGPD)', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await testApp(dialect);
  });
  after(async () => t.close());

  test('the answers are keyed by the question’s text, not by an internal id; the download is valid JSON', async () => {
    const email = 'export.reponses@example.org';
    const member = await t.loginAs('member', email);
    const questions = JSON.stringify([
      { id: 'qabe6df94be', label: 'Régime alimentaire ?', kind: 'text', required: true },
      { id: 'qphoto', label: 'J’accepte d’être photographié·e', kind: 'checkbox', required: false },
    ]);
    const event = await insertTestEvent(t.kernel.db, { title: 'Forum export', questions });
    const registered = await registerParticipant(t.kernel, event.id, { ...testParticipant(1, 'export'), email, answers: { qabe6df94be: 'Végétarien, sans arachides', qphoto: '1', qgone: 'Réponse à une question retirée' } });
    assert.equal(registered.kind, 'created');
    const res = await member.post('/mon-espace/compte/donnees');
    assert.equal(res.statusCode, 200);
    const doc = JSON.parse(res.body) as { sections: Record<string, { event: string; answers: Record<string, string> }[]> };
    const mine = doc.sections['event_registrations']?.find((r) => r.event === 'Forum export');
    assert.ok(mine, 'the registration is in the download');
    assert.deepEqual(mine.answers, { 'Régime alimentaire ?': 'Végétarien, sans arachides', 'J’accepte d’être photographié·e': '1', qgone: 'Réponse à une question retirée' });
    assert.doesNotMatch(res.body, /qabe6df94be/);
  });
});
