import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import type { CapturedMail } from '../../../test/helpers/smtp.js';
import { migrations } from '../../db/migrations/index.js';
import { newId } from '../../kernel/ids.js';
import { newsletterDeps } from './deps.js';
import { MONTHLY_LIST_ID } from './lists.js';
import { saveNewsletterSettings } from './settings.js';

// Staff choose per mailing whether the email opens with « Bonjour Prénom Nom, »: the box on the
// mailing's form (ticked for a new one), kept when the form is refused, and followed by the
// preview, the test send and the real send, in the HTML and the text part.

async function post(client: Client, url: string, fields: Array<[string, string]>) {
  const body = new URLSearchParams(fields);
  body.set('_csrf', await client.csrf());
  return client.request('POST', url, { payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

/** French spacing (no-break spaces before « : » and inside guillemets) read as plain spaces. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');
/** The greeting box's <input> tag on a page. */
const greetingBox = (body: string) => /<input type="checkbox" id="f-greeting"[^>]*>/.exec(body)?.[0] ?? '';
const ticked = (body: string) => {
  const box = greetingBox(body);
  assert.ok(box, 'the page has the greeting box');
  return /\schecked(\s|=|\/?>)/.test(box);
};
/** The form as a browser posts it: the hidden `greeting_shown`, and `greeting` when the box is ticked. */
const greetingFields = (tick: boolean): Array<[string, string]> => (tick ? [['greeting_shown', '1'], ['greeting', '1']] : [['greeting_shown', '1']]);

forEachDialect('newsletter: the greeting, chosen per mailing', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let listId = '';
  const db = () => t.kernel.db;
  const mailingRow = (id: string) => db().selectFrom('newsletter_mailings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  async function createMailing(fields: Array<[string, string]>): Promise<string> {
    const res = await post(staff, '/admin/lettres/nouvelle', [['from_name', 'Réseau Test'], ['lists', listId], ...fields]);
    assert.equal(res.statusCode, 303, plain(res.body.slice(0, 3000)));
    return String(res.headers.location).split('/').pop()!;
  }

  /** The message of mailing `id` received by `email` through the local SMTP server. */
  function received(id: string, email: string, test = false): CapturedMail {
    const found = t.smtp.messages.filter((m) => m.envelopeTo.includes(email) && m.parsed.headers.get('x-maillage-mailing') === id && (m.parsed.subject ?? '').startsWith('[TEST]') === test);
    assert.equal(found.length, 1, `one message of ${id} to ${email}`);
    return found[0]!;
  }

  async function send(id: string) {
    assert.equal((await post(staff, `/admin/lettres/${id}/envoyer`, [['when', 'now']])).statusCode, 303);
    await t.kernel.jobs.runDue();
    assert.equal((await mailingRow(id)).status, 'sent');
  }

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff');
    // The list every install has (migration 1630): public, double opt-in.
    listId = MONTHLY_LIST_ID;
    const at = new Date().toISOString();
    for (const [email, name] of [['awa.traore@example.org', 'Awa Traoré'], ['bruno@example.org', null]] as const) {
      const id = newId();
      await db().insertInto('newsletter_subscribers').values({ id, email, email_lower: email, name, organisation: null, contact_id: null, token: `jeton-${id.replace(/-/g, '')}`, created_at: at, updated_at: at }).execute();
      await db().insertInto('newsletter_subscriptions').values({ subscriber_id: id, list_id: listId, status: 'confirmed', created_at: at, updated_at: at }).execute();
    }
    await saveNewsletterSettings(newsletterDeps(t.kernel), { ratePerSecond: 0, ratePerHour: 0 });
  });
  after(() => t.close());

  test('the new mailing form has the box, ticked, with what a recipient without a known name reads', async () => {
    const page = await staff.get('/admin/lettres/nouvelle');
    assert.equal(page.statusCode, 200);
    assert.equal(ticked(page.body), true, 'ticked for a new mailing');
    assert.match(greetingBox(page.body), /name="greeting" value="1"/);
    assert.match(greetingBox(page.body), /aria-describedby="f-greeting-hint"/);
    assert.match(page.body, /<input type="hidden" name="greeting_shown" value="1"/);
    assert.match(plain(page.body), /<label for="f-greeting">Commencer par « Bonjour Prénom Nom, »<\/label>/);
    const hint = plain(/<p class="hint" id="f-greeting-hint">([^<]*)<\/p>/.exec(page.body)?.[1] ?? '');
    assert.match(hint, /une personne dont le nom n’est pas connu lit « Bonjour, »/);
    assert.match(hint, /commence déjà par sa propre salutation .*aucune n’est ajoutée/);
    // For staff reading English: the same box in English, quoting the (French) mailing's words.
    const english = (await staff.get('/admin/lettres/nouvelle', { 'accept-language': 'en' })).body;
    assert.match(english, /<label for="f-greeting">Start with “Bonjour First Last,”<\/label>/);
    assert.match(english, /someone whose name is unknown reads “Bonjour,”/);
  });

  test('unticked: the preview, the test send and the sent emails (HTML and text) have no greeting', async () => {
    const id = await createMailing([['subject', 'Sans salutation'], ['body', 'Voici les nouvelles du mois.'], ...greetingFields(false)]);
    assert.equal((await mailingRow(id)).greeting, 0, 'stored');
    const draft = (await staff.get(`/admin/lettres/${id}`)).body;
    assert.equal(ticked(draft), false, 'shown unticked on the draft');
    assert.match(plain(draft), /Aucune salutation ajoutée \(case décochée\) : le message commence directement par son contenu\./);
    assert.match(plain((await staff.get(`/admin/lettres/${id}/apercu`)).body), /Aucune salutation ajoutée/);
    assert.doesNotMatch((await staff.get(`/admin/lettres/${id}/apercu?format=courriel`)).body, /Bonjour/);
    assert.match(plain((await staff.get(`/admin/lettres/${id}/apercu?format=texte`)).body), /^Voir la version en ligne : \S+\n\nVoici les nouvelles du mois\./);

    assert.equal((await post(staff, `/admin/lettres/${id}/test`, [['addresses', 'awa.traore@example.org, relecture@example.org']])).statusCode, 303);
    for (const email of ['awa.traore@example.org', 'relecture@example.org']) {
      const mail = received(id, email, true);
      assert.doesNotMatch(String(mail.parsed.html), /Bonjour/, email);
      assert.doesNotMatch(mail.parsed.text ?? '', /Bonjour/, email);
    }

    await send(id);
    for (const email of ['awa.traore@example.org', 'bruno@example.org']) {
      const mail = received(id, email);
      assert.doesNotMatch(String(mail.parsed.html), /Bonjour|Awa Traoré/, email);
      assert.match(String(mail.parsed.html), /Voici les nouvelles du mois\./, email);
      assert.match(plain(mail.parsed.text ?? ''), /^Voir la version en ligne : \S+\n\nVoici les nouvelles du mois\./, email);
      assert.doesNotMatch(mail.parsed.text ?? '', /Bonjour/, email);
    }
  });

  test('ticked: each recipient is greeted, by name or « Bonjour, »; never twice when the text opens with its own', async () => {
    const id = await createMailing([['subject', 'Avec salutation'], ['body', 'Voici les nouvelles du mois.'], ...greetingFields(true)]);
    assert.equal((await mailingRow(id)).greeting, 1, 'stored');
    assert.equal(ticked((await staff.get(`/admin/lettres/${id}`)).body), true);
    assert.match((await staff.get(`/admin/lettres/${id}/apercu?format=courriel`)).body, /Bonjour Camille Exemple,/);
    assert.match((await staff.get(`/admin/lettres/${id}/apercu?format=texte`)).body, /\n\nBonjour Camille Exemple,\n\nVoici les nouvelles du mois\./);

    assert.equal((await post(staff, `/admin/lettres/${id}/test`, [['addresses', 'awa.traore@example.org, relecture@example.org']])).statusCode, 303);
    assert.match(received(id, 'awa.traore@example.org', true).parsed.text ?? '', /\n\nBonjour Awa Traoré,\n\nVoici/);
    // An address that is no subscriber: no name known.
    assert.match(received(id, 'relecture@example.org', true).parsed.text ?? '', /\n\nBonjour,\n\nVoici/);

    await send(id);
    const awa = received(id, 'awa.traore@example.org');
    assert.match(String(awa.parsed.html), /<p[^>]*>Bonjour Awa Traoré,<\/p>/);
    assert.match(awa.parsed.text ?? '', /\n\nBonjour Awa Traoré,\n\nVoici les nouvelles du mois\./);
    const bruno = received(id, 'bruno@example.org');
    assert.match(String(bruno.parsed.html), /<p[^>]*>Bonjour,<\/p>/);
    assert.match(bruno.parsed.text ?? '', /\n\nBonjour,\n\nVoici les nouvelles du mois\./);

    // Ticked, but the text opens with its own greeting: it stays alone.
    const own = await createMailing([['subject', 'Salutation du texte'], ['body', 'Bonjour à toutes et à tous,\n\nVoici le mois.'], ...greetingFields(true)]);
    assert.match(plain((await staff.get(`/admin/lettres/${own}`)).body), /Le contenu commence par sa propre salutation : le message n’en ajoute pas\./);
    await send(own);
    const mail = received(own, 'awa.traore@example.org');
    assert.equal(String(mail.parsed.html).match(/Bonjour/g)?.length, 1, 'one greeting in the HTML');
    assert.equal((mail.parsed.text ?? '').match(/Bonjour/g)?.length, 1, 'one greeting in the text');
  });

  test('the form refused for another field keeps the choice, new or edited; a post without the box keeps the stored one', async () => {
    for (const tick of [false, true]) {
      const res = await post(staff, '/admin/lettres/nouvelle', [['from_name', 'Réseau Test'], ['lists', listId], ['subject', ''], ['body', 'Texte'], ...greetingFields(tick)]);
      assert.equal(res.statusCode, 400);
      assert.match(plain(res.body), /Saisissez l’objet du message\./);
      assert.equal(ticked(res.body), tick, `new mailing, box ${tick ? 'ticked' : 'unticked'}`);
    }

    const id = await createMailing([['subject', 'À modifier'], ['body', 'Texte.'], ...greetingFields(true)]);
    const refused = await post(staff, `/admin/lettres/${id}`, [['from_name', 'Réseau Test'], ['lists', listId], ['subject', ''], ['body', 'Texte.'], ...greetingFields(false)]);
    assert.equal(refused.statusCode, 400);
    assert.equal(ticked(refused.body), false, 'the unticked box is shown again');
    assert.equal((await mailingRow(id)).greeting, 1, 'nothing saved');

    const saved = await post(staff, `/admin/lettres/${id}`, [['from_name', 'Réseau Test'], ['lists', listId], ['subject', 'À modifier'], ['body', 'Texte.'], ...greetingFields(false)]);
    assert.equal(saved.statusCode, 303);
    assert.equal((await mailingRow(id)).greeting, 0);
    assert.equal(ticked((await staff.get(`/admin/lettres/${id}`)).body), false);
    // A post without the form's box (another form, an older page) leaves the choice as it was.
    assert.equal((await post(staff, `/admin/lettres/${id}`, [['from_name', 'Réseau Test'], ['lists', listId], ['subject', 'Modifiée'], ['body', 'Texte.']])).statusCode, 303);
    assert.equal((await mailingRow(id)).greeting, 0);
    assert.equal((await post(staff, `/admin/lettres/${id}`, [['from_name', 'Réseau Test'], ['lists', listId], ['subject', 'Modifiée'], ['body', 'Texte.'], ...greetingFields(true)])).statusCode, 303);
    assert.equal((await mailingRow(id)).greeting, 1);
  });

  test('migration 1620: down removes the column; up brings it back, existing mailings greeted', async () => {
    const migration = migrations['2026-12-02T1620_newsletter_mailing_greeting']!;
    const columns = async () => (await db().introspection.getTables()).find((table) => table.name === 'newsletter_mailings')!.columns.map((c) => c.name);
    const id = await createMailing([['subject', 'Avant la migration'], ['body', 'Texte.'], ...greetingFields(false)]);
    await migration.down!(db());
    assert.ok(!(await columns()).includes('greeting'));
    await migration.up(db());
    assert.ok((await columns()).includes('greeting'));
    assert.equal((await mailingRow(id)).greeting, 1, 'a mailing from before the choice keeps its greeting');
  });
});
