import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';

async function post(client: Client, url: string, fields: Array<[string, string]>) {
  const body = new URLSearchParams(fields);
  body.set('_csrf', await client.csrf());
  return client.request('POST', url, { payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

/** Without SMTP_URL, mail is written to files in DATA_DIR/outbox: staff are told so wherever they send. */
forEachDialect('newsletter without an SMTP server', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let admin: Client;
  let mailingId = '';
  const outbox = () => path.join(t.config.dataDir, 'outbox');
  const warning = () => new RegExp(`Aucun serveur d’envoi \\(SMTP_URL\\) n’est configuré : les messages sont écrits dans ${outbox().replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/ au lieu d’être envoyés\\.`);

  before(async () => {
    t = await testApp(dialect, { env: { SMTP_URL: '' } });
    staff = await t.loginAs('staff');
    admin = await t.loginAs('admin');
    await staff.get('/admin/lettres');
    const created = await post(staff, '/admin/lettres/nouvelle', [['subject', 'Lettre de juin'], ['from_name', 'Réseau Test'], ['body', '<p>Les nouvelles de juin.</p>']]);
    assert.equal(created.statusCode, 303, created.body.slice(0, 2000));
    mailingId = String(created.headers.location).split('/').pop()!;
  });
  after(() => t.close());

  test('the mailing page says, before any send, that messages are written to files instead of being sent', async () => {
    const page = await staff.get(`/admin/lettres/${mailingId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, warning());
  });

  test('after a test send, the message says where the test was written, not that it was sent', async () => {
    const res = await post(staff, `/admin/lettres/${mailingId}/test`, [['addresses', 'moi@example.org']]);
    assert.equal(res.statusCode, 303);
    const page = await staff.get(`/admin/lettres/${mailingId}`);
    assert.doesNotMatch(page.body, /Test envoyé à/);
    assert.match(page.body, /Test écrit dans .*outbox\/ pour moi@example\.org : il n’est pas parti, faute de serveur d’envoi \(SMTP_URL\)\./);
    assert.equal(t.smtp.messages.length, 0, 'nothing reached an SMTP server');
    const files = fs.readdirSync(outbox()).filter((f) => f.endsWith('.eml'));
    assert.equal(files.length, 1);
    assert.match(fs.readFileSync(path.join(outbox(), files[0]!), 'utf8'), /Subject: \[TEST\] Lettre de juin/);
  });

  test('the sending settings say it too', async () => {
    const page = await admin.get('/admin/lettres/reglages');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, warning());
  });
});
