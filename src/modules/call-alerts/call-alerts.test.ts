import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import type { CapturedMail } from '../../../test/helpers/smtp.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import type { Mailer } from '../../kernel/mail/index.js';
import { erasePersonalDataOfEmails, personalDataOfEmails } from '../../kernel/rgpd/personal-data.js';
import { parseLocalDateTime } from '../../kernel/time/zoned.js';
import { parisToday } from '../calls/index.js';
import { eraseNewsletterOfEmails } from '../newsletter/index.js';
import { createOrganisation, taxonomies, taxonomyCodes, validateOrganisation } from '../organisations/index.js';
import { callAlertsDeps } from './deps.js';
import { CALL_ALERTS_LIST_ID, ensureAlertList } from './list.js';
import { callAlertsOfEmails } from './rgpd.js';
import { runCallAlerts } from './run.js';
import { digestRows, insertCall, insertContact, insertDigestRow, insertSubscriber, insertSuppression } from './test-fixtures-repo.js';

const DAY_MS = 86_400_000;
const TODAY = parisToday(new Date());
/** `YYYY-MM-DD` n days after today (Paris). */
const day = (n: number) => new Date(Date.parse(`${TODAY}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
/** The instant of a wall-clock time in Paris, n days after today. */
const at = (n: number, time: string) => parseLocalDateTime(day(n), time)!;

const rawHeader = (raw: string, name: string) => (raw.match(new RegExp(`^${name}:(.*(?:\\r\\n[ \\t].*)*)`, 'im'))?.[1] ?? '').replace(/\r\n[ \t]+/g, ' ').trim();

forEachDialect('call alerts: daily digest of new calls matching each subscriber', (dialect) => {
  let t: TestApp;
  let offset = 0;
  /** The app's clock, moved to chosen instants (it keeps running from there). */
  const clock = { now: () => new Date(Date.now() + offset) };
  const setNow = (instant: Date) => {
    offset = instant.getTime() - Date.now();
  };
  const db = () => t.kernel.db;
  const run = () => runCallAlerts(callAlertsDeps(t.kernel));
  const people: Record<string, { id: string; token: string }> = {};
  const slugs: Record<string, string> = {};
  let mark = 0;
  /** Messages received since the last call, by recipient (lower case). */
  const newMail = () => {
    const fresh = t.smtp.messages.slice(mark);
    mark = t.smtp.messages.length;
    const out = new Map<string, CapturedMail>();
    for (const m of fresh) out.set(m.envelopeTo[0]!.toLowerCase(), m);
    assert.equal(out.size, fresh.length, 'never two messages to one person in a run');
    return out;
  };

  before(async () => {
    setNow(at(0, '10:00'));
    t = await testApp(dialect, { clock });
    const deps = { db: db(), clock };
    const codes = taxonomyCodes(await taxonomies(db()));
    const organisation = async (raw: Record<string, unknown>) => {
      const valid = validateOrganisation({ commune: '33063', postcode: '33000', ...raw }, codes, { currentYear: 2026 });
      if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
      return createOrganisation(deps, { id: null, email: null }, valid.draft);
    };
    const association = await organisation({ name: 'Eau vive Gironde', kind_code: 'association' });
    const consultancy = await organisation({ name: 'Sahel Conseil', kind_code: 'company', countries: ['ML'] });
    const alice = await insertContact(db(), { organisationId: association.id, email: 'alice@example.org', lastName: 'Martin' });
    await insertContact(db(), { organisationId: consultancy.id, email: 'Carol@Example.org', lastName: 'Keita' });

    const since = at(0, '10:00').toISOString();
    const subscriber = (email: string, extra: Partial<Parameters<typeof insertSubscriber>[1]> = {}) =>
      insertSubscriber(db(), { email, listId: CALL_ALERTS_LIST_ID, status: 'confirmed', subscribedAt: since, ...extra });
    // Alice: through her linked contact, whose organisation is an association.
    people['alice'] = await subscriber('alice@example.org', { name: 'Alice Martin', contactId: alice });
    // Bob: his own interest, health.
    people['bob'] = await subscriber('bob@example.org', { themes: ['health'] });
    // Carol: not linked, but her address is a contact's of an organisation working in Mali.
    people['carol'] = await subscriber('carol@example.org');
    // Dave: interested in digital only: nothing matches him the first day.
    people['dave'] = await subscriber('dave@example.org', { themes: ['digital'] });
    // Erin bounced (suppressed), Frank unsubscribed from the alerts, Gina never confirmed.
    people['erin'] = await subscriber('erin@example.org', { themes: ['health'] });
    await insertSuppression(db(), createHash('sha256').update('erin@example.org').digest('hex'), since);
    people['frank'] = await subscriber('frank@example.org', { themes: ['health'], status: 'unsubscribed' });
    people['gina'] = await subscriber('gina@example.org', { themes: ['health'], status: 'unconfirmed' });

    const published = at(1, '05:00').toISOString();
    slugs['kind'] = (await insertCall(db(), { title: 'Fonds pour les associations', funder: 'Département de la Gironde', publishedAt: published, closesOn: day(21), kinds: ['association'] })).slug;
    slugs['theme'] = (await insertCall(db(), { title: 'Santé communautaire', funder: 'Agence régionale de santé', publishedAt: published, closesOn: day(6), closesTime: '12:00', themes: ['health'] })).slug;
    slugs['zone'] = (await insertCall(db(), { title: 'Coopération en Afrique de l’Ouest', funder: 'AFD', publishedAt: published, closesOn: day(41), zones: ['west_africa'] })).slug;
    // Not sent: published before the first window, already closed, or a draft.
    await insertCall(db(), { title: 'Ancien appel associatif', publishedAt: at(-3, '09:00').toISOString(), closesOn: day(30), kinds: ['association'] });
    await insertCall(db(), { title: 'Appel déjà clos', publishedAt: at(1, '04:00').toISOString(), closesOn: day(0), themes: ['health'] });
    await insertCall(db(), { title: 'Brouillon santé', publishedAt: null, closesOn: day(30), themes: ['health'] });
    mark = t.smtp.messages.length;
  });
  after(() => t.close());

  test('the list is offered on /lettre like the other public lists', async () => {
    const page = await t.client().get('/lettre');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`value="${CALL_ALERTS_LIST_ID}"`));
    assert.match(page.body, /Alertes appels à projets/);
    const english = t.client();
    await english.get('/lettre');
    await english.post('/langue', { lang: 'en', suite: '/lettre' });
    const englishPage = (await english.get('/lettre')).body;
    assert.match(englishPage, /Calls for projects alerts/);
    assert.doesNotMatch(englishPage, /Alertes appels à projets/);
  });


  test('nothing goes out before the send hour (7:00, Paris time)', async () => {
    setNow(at(1, '06:30'));
    assert.equal(await run(), null);
    assert.equal(newMail().size, 0);
  });

  test('from 7:00, each person gets the new calls matching them: organisation kind, interest theme, country through a zone', async () => {
    setNow(at(1, '07:05'));
    const result = await run();
    assert.equal(result?.outcomes.sent, 3);
    assert.equal(result?.outcomes.empty, 1, 'Dave: nothing matched, nothing sent');
    const mail = newMail();
    assert.deepEqual([...mail.keys()].sort(), ['alice@example.org', 'bob@example.org', 'carol@example.org']);

    const alice = mail.get('alice@example.org')!;
    assert.equal(alice.parsed.subject, '1 nouvel appel à projets pour vous');
    assert.equal(alice.parsed.from?.value[0]?.address, 'reseau@example.org');
    const aliceText = alice.parsed.text ?? '';
    assert.match(aliceText, /^Bonjour Alice Martin,/);
    assert.match(aliceText, /- Fonds pour les associations\n {2}Financeur : Département de la Gironde\n {2}Date limite : .+ · plus que 20 jours\n {2}http:\/\/localhost:3000\/appels-a-projets\//);
    assert.ok(aliceText.includes(`http://localhost:3000/appels-a-projets/${slugs['kind']}`));
    assert.doesNotMatch(aliceText, /Santé communautaire|Ancien appel|Appel déjà clos|Brouillon/);

    const bobText = mail.get('bob@example.org')!.parsed.text ?? '';
    assert.match(bobText, /^Bonjour,/);
    assert.match(bobText, /Santé communautaire/);
    assert.match(bobText, /Date limite : .+ à 12\u00a0h · plus que 5 jours/);
    assert.doesNotMatch(bobText, /Fonds pour les associations|Afrique de l’Ouest|Appel déjà clos|Brouillon/);

    const carolText = mail.get('carol@example.org')!.parsed.text ?? '';
    assert.match(carolText, /Coopération en Afrique de l’Ouest/);
    assert.match(carolText, /Financeur : AFD/);
    assert.doesNotMatch(carolText, /Fonds pour les associations|Santé communautaire/);
  });

  test('the email: HTML and text parts, absolute links, the unsubscribe headers of RFC 8058', async () => {
    const raw = t.smtp.messages.find((m) => m.envelopeTo[0] === 'alice@example.org')!;
    const token = people['alice']!.token;
    assert.match(raw.raw, /Content-Type: multipart\/alternative/i);
    assert.match(raw.raw, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    assert.match(rawHeader(raw.raw, 'List-Unsubscribe'), new RegExp(`^<mailto:contact@example\\.org\\?subject=D%C3%A9sinscription%20${token}>, <http://localhost:3000/desinscription/${token}\\?liste=${CALL_ALERTS_LIST_ID}>$`));
    const html = String(raw.parsed.html);
    const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(hrefs.length >= 5);
    for (const href of hrefs) assert.match(href, /^(http:\/\/localhost:3000\/|mailto:)/, `absolute link: ${href}`);
    assert.ok(hrefs.includes(`http://localhost:3000/appels-a-projets/${slugs['kind']}`));
    // The alerts' « Se désinscrire » leaves the alerts only (not the monthly letter).
    assert.ok(hrefs.includes(`http://localhost:3000/desinscription/${token}?liste=${CALL_ALERTS_LIST_ID}`));
    assert.ok(hrefs.includes(`http://localhost:3000/preferences/${token}`));
    assert.match(html, /<table role="presentation"/);
    assert.match(html, /Fonds pour les associations/);
    assert.match(raw.parsed.text ?? '', new RegExp(`Se désinscrire : http://localhost:3000/desinscription/${token}\\?liste=${CALL_ALERTS_LIST_ID}\n`));
    assert.match(raw.parsed.text ?? '', /liste « Alertes appels à projets »/);
  });

  test('a second run the same day sends nothing, even with a new call for everyone', async () => {
    slugs['all'] = (await insertCall(db(), { title: 'Appel ouvert à tous', publishedAt: at(1, '07:20').toISOString(), closesOn: day(31) })).slug;
    setNow(at(1, '07:30'));
    await run();
    setNow(at(1, '18:00'));
    await run();
    assert.equal(newMail().size, 0);
    const rows = await digestRows(db());
    assert.equal(rows.filter((r) => r.day === day(1)).length, 4, 'one row per person handled that day');
  });

  test('the next day: a call without criteria reaches every subscriber once (two workers at once), never the suppressed or unsubscribed', async () => {
    setNow(at(2, '07:01'));
    await Promise.all([run(), run()]);
    const mail = newMail();
    assert.deepEqual([...mail.keys()].sort(), ['alice@example.org', 'bob@example.org', 'carol@example.org', 'dave@example.org']);
    for (const m of mail.values()) {
      assert.equal(m.parsed.subject, '1 nouvel appel à projets pour vous');
      assert.match(m.parsed.text ?? '', /Appel ouvert à tous/);
      // Yesterday's calls are not sent again.
      assert.doesNotMatch(m.parsed.text ?? '', /Fonds pour les associations|Santé communautaire|Coopération en Afrique/);
    }
  });

  test('an unsubscribed address (one click from the email) gets nothing more', async () => {
    const res = await t.app.inject({ method: 'POST', url: `/desinscription/${people['bob']!.token}`, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(res.statusCode, 200);
    await insertCall(db(), { title: 'Santé et climat', publishedAt: at(2, '15:00').toISOString(), closesOn: day(40), themes: ['health', 'environment_climate'] });
    await insertCall(db(), { title: 'Programme jeunesse', publishedAt: at(2, '16:00').toISOString(), closesOn: day(50), kinds: ['association'] });
    setNow(at(3, '07:10'));
    await run();
    const mail = newMail();
    assert.deepEqual([...mail.keys()], ['alice@example.org']);
    assert.equal(mail.get('alice@example.org')!.parsed.subject, '1 nouvel appel à projets pour vous');
    assert.match(mail.get('alice@example.org')!.parsed.text ?? '', /Programme jeunesse/);
  });

  test('several calls in one digest: « N nouveaux appels à projets pour vous »', async () => {
    await insertCall(db(), { title: 'Premier appel', publishedAt: at(3, '10:00').toISOString(), closesOn: day(20), kinds: ['association'] });
    await insertCall(db(), { title: 'Second appel', publishedAt: at(3, '11:00').toISOString(), closesOn: day(25) });
    setNow(at(4, '07:00'));
    await run();
    const mail = newMail();
    const alice = mail.get('alice@example.org')!;
    assert.equal(alice.parsed.subject, '2 nouveaux appels à projets pour vous');
    assert.match(alice.parsed.text ?? '', /Premier appel[\s\S]+Second appel/);
    assert.equal(mail.get('dave@example.org')?.parsed.subject, '1 nouvel appel à projets pour vous');
  });

  test('staff see the runs; only admins change the send hour, which then holds the run back', async () => {
    const staff: Client = await t.loginAs('staff');
    const page = await staff.get('/admin/lettres/alertes');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Derniers envois/);
    assert.match(page.body, new RegExp(`<time datetime="${day(1)}"`));
    // Day 1: 4 people handled, 3 alerts sent, 1 without a matching call.
    assert.match(page.body, new RegExp(`datetime="${day(1)}"[\\s\\S]*?<td>4</td><td>3</td><td>1</td><td>0</td>`));
    assert.doesNotMatch(page.body, /name="sendHour"/);
    assert.equal((await staff.post('/admin/lettres/alertes', { sendHour: '9' })).statusCode, 403);

    const admin = await t.loginAs('admin');
    assert.equal((await admin.post('/admin/lettres/alertes', { sendHour: '25' })).statusCode, 400);
    assert.equal((await admin.post('/admin/lettres/alertes', { sendHour: '9' })).statusCode, 303);
    assert.match((await admin.get('/admin/lettres/alertes')).body, /Heure d’envoi \(heure de Paris\) : 09:00/);
    await insertCall(db(), { title: 'Appel du matin', publishedAt: at(4, '10:00').toISOString(), closesOn: day(20) });
    setNow(at(5, '08:30'));
    assert.equal(await run(), null);
    setNow(at(5, '09:00'));
    await run();
    assert.ok(newMail().has('alice@example.org'));
  });

  test('a crash after the hand-over to SMTP never sends twice that day; the calls come again the next day', async () => {
    await insertCall(db(), { title: 'Appel du jour six', publishedAt: at(5, '12:00').toISOString(), closesOn: day(30) });
    // Carol's digest of day 6 was being sent when the worker died: its row stays `sending`.
    const crashed = at(6, '09:00').toISOString();
    await insertDigestRow(db(), { subscriberId: people['carol']!.id, day: day(6), status: 'sending', from: at(5, '09:00').toISOString(), to: crashed });
    setNow(at(6, '09:05'));
    await run();
    let mail = newMail();
    assert.deepEqual([...mail.keys()].sort(), ['alice@example.org', 'dave@example.org']);
    await insertCall(db(), { title: 'Appel du jour sept', publishedAt: at(6, '12:00').toISOString(), closesOn: day(30) });
    setNow(at(7, '09:05'));
    await run();
    mail = newMail();
    assert.equal(mail.get('carol@example.org')?.parsed.subject, '2 nouveaux appels à projets pour vous');
    assert.match(mail.get('carol@example.org')?.parsed.text ?? '', /Appel du jour six[\s\S]+Appel du jour sept/);
    assert.equal(mail.get('alice@example.org')?.parsed.subject, '1 nouvel appel à projets pour vous');
  });

  test('a temporary SMTP refusal is tried again later the same day, once', async () => {
    await insertCall(db(), { title: 'Appel du jour huit', publishedAt: at(7, '12:00').toISOString(), closesOn: day(30) });
    const refuseOnce = new Set(['dave@example.org']);
    const flaky: Mailer = {
      async send(message) {
        if (refuseOnce.delete(String(message.to).toLowerCase())) throw Object.assign(new Error('451 4.7.1 Greylisted, try again later'), { responseCode: 451 });
        return t.kernel.mail.send(message);
      },
      async close() {},
    };
    const runFlaky = () => runCallAlerts({ ...callAlertsDeps(t.kernel), mail: flaky });
    setNow(at(8, '09:05'));
    const first = await runFlaky();
    assert.equal(first?.outcomes.retry, 1);
    assert.deepEqual([...newMail().keys()].sort(), ['alice@example.org', 'carol@example.org']);
    const dave = async () => (await digestRows(db())).find((r) => r.subscriber_id === people['dave']!.id && r.day === day(8))!;
    assert.equal((await dave()).status, 'retry');
    assert.match((await dave()).error ?? '', /Greylisted/);
    setNow(at(8, '09:15'));
    await runFlaky();
    assert.equal(newMail().size, 0, 'not before its wait is over');
    setNow(at(8, '09:21'));
    await runFlaky();
    assert.deepEqual([...newMail().keys()], ['dave@example.org']);
    assert.equal((await dave()).status, 'sent');
    assert.equal((await dave()).attempts, 2);
    setNow(at(8, '12:00'));
    await runFlaky();
    assert.equal(newMail().size, 0);
  });

  test('a visitor who subscribes on /lettre with an interest and confirms gets the matching calls from then on', async () => {
    offset = 0;
    const visitor = t.client();
    await visitor.get('/lettre');
    const form = new URLSearchParams([
      ['email', 'Hugo@Example.org'],
      ['name', 'Hugo'],
      ['lists', CALL_ALERTS_LIST_ID],
      ['themes', 'energy'],
      ['_csrf', await visitor.csrf()],
    ]);
    const res = await visitor.request('POST', '/lettre', { payload: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(res.statusCode, 200);
    await t.kernel.jobs.runDue();
    const confirmation = newMail().get('hugo@example.org');
    assert.ok(confirmation, 'confirmation mail');
    assert.match(confirmation.parsed.text ?? '', /Alertes appels à projets/);
    const path = new URL(t.smtp.linkIn(confirmation, /http:\/\/localhost:3000\/lettre\/confirmer\/[A-Za-z0-9_-]+/)).pathname;
    assert.equal((await visitor.post(path)).statusCode, 200);

    await insertCall(db(), { title: 'Énergies renouvelables', publishedAt: at(9, '08:00').toISOString(), closesOn: day(40), themes: ['energy'] });
    setNow(at(9, '09:05'));
    await run();
    const mail = newMail();
    assert.deepEqual([...mail.keys()], ['hugo@example.org']);
    assert.match(mail.get('hugo@example.org')!.parsed.text ?? '', /^Bonjour Hugo,[\s\S]+Énergies renouvelables/);
  });

  test('RGPD: the alerts received are in the person’s data, and go with the erasure of the address', async () => {
    const deps = callAlertsDeps(t.kernel);
    const received = await callAlertsOfEmails(deps, ['Alice@Example.org']);
    const first = received.find((r) => r.day === day(1));
    assert.equal(first?.status, 'sent');
    assert.equal(first?.calls.length, 1);
    assert.ok(received.length >= 5);
    await eraseNewsletterOfEmails({ db: db(), clock }, { id: null, email: null }, ['alice@example.org']);
    assert.deepEqual(await callAlertsOfEmails(deps, ['alice@example.org']), []);

    // Through the registry of personal data: the section is in the person's data, and its rows go
    // even when the newsletter (whose subscriber they would go with) is left out of the erasure.
    const hugo = await personalDataOfEmails(t.kernel, ['Hugo@Example.org']);
    assert.equal((hugo['call_alerts'] as unknown[]).length, 1);
    const counts = await erasePersonalDataOfEmails(t.kernel, { id: null, email: null }, ['hugo@example.org'], { except: ['newsletter'] });
    assert.equal(counts['call_alerts'], 1);
    assert.deepEqual(await callAlertsOfEmails(deps, ['hugo@example.org']), []);
    assert.equal(((await personalDataOfEmails(t.kernel, ['hugo@example.org']))['newsletter'] as unknown[]).length, 1, 'his subscription stays');
  });

  test('deleted, the list comes back at the next run with its French and English names', async () => {
    // The migrations named it in both languages; deleted (with its subscriptions: this test comes last), it is made again.
    const made = await db().selectFrom('newsletter_lists').selectAll().where('id', '=', CALL_ALERTS_LIST_ID).executeTakeFirstOrThrow();
    assert.equal(made.name_en, 'Calls for projects alerts');
    await db().deleteFrom('newsletter_lists').where('id', '=', CALL_ALERTS_LIST_ID).execute();
    await ensureAlertList({ db: db(), clock: t.kernel.clock });
    const back = await db().selectFrom('newsletter_lists').selectAll().where('id', '=', CALL_ALERTS_LIST_ID).executeTakeFirstOrThrow();
    assert.deepEqual([back.name, back.name_en], ['Alertes appels à projets', 'Calls for projects alerts']);
  });
});
