import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { newId } from '../../kernel/ids.js';
import { IMPORT_MAX_BYTES } from './import-csv.js';
import { MONTHLY_LIST_ID } from './lists.js';
import { emailHash } from './tokens.js';

async function post(client: Client, url: string, fields: Array<[string, string]>) {
  const body = new URLSearchParams(fields);
  body.set('_csrf', await client.csrf());
  return client.request('POST', url, { payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

forEachDialect('newsletter: CSV import with consent history, subscribers, RGPD export and erasure, settings', (dialect) => {
  let t: TestApp;
  let staff: Client;
  const lists: Record<string, string> = {};
  const db = () => t.kernel.db;
  const subscriberOf = (email: string) => db().selectFrom('newsletter_subscribers').selectAll().where('email_lower', '=', email).executeTakeFirst();
  const statuses = async (email: string) => {
    const s = await subscriberOf(email);
    if (!s) return {};
    const rows = await db().selectFrom('newsletter_subscriptions as x').innerJoin('newsletter_lists as l', 'l.id', 'x.list_id').select(['l.name', 'x.status']).where('x.subscriber_id', '=', s.id).execute();
    return Object.fromEntries(rows.map((r) => [r.name, r.status]));
  };
  const upload = (csv: string | Buffer, fields: Record<string, string> = {}) =>
    staff.postMultipart('/admin/lettres/import', fields, [{ field: 'fichier', filename: 'abonnes.csv', content: Buffer.isBuffer(csv) ? csv : Buffer.from(csv), type: 'text/csv' }]);

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff');
    // « Lettre mensuelle » is the list every install has (migration 1630), public and double opt-in like this one.
    lists['Lettre mensuelle'] = MONTHLY_LIST_ID;
    for (const name of ['Alertes appels']) {
      assert.equal((await post(staff, '/admin/lettres/listes', [['name', name], ['is_public', '1'], ['double_opt_in', '1']])).statusCode, 303);
      lists[name] = (await db().selectFrom('newsletter_lists').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
    }
    // Someone who unsubscribed earlier, and an address suppressed after a hard bounce.
    const at = new Date().toISOString();
    const gone = newId();
    await db().insertInto('newsletter_subscribers').values({ id: gone, email: 'parti@example.org', email_lower: 'parti@example.org', name: null, organisation: null, contact_id: null, token: `jeton-${gone.replace(/-/g, '')}`, created_at: at, updated_at: at }).execute();
    await db().insertInto('newsletter_subscriptions').values({ subscriber_id: gone, list_id: lists['Lettre mensuelle']!, status: 'unsubscribed', created_at: at, updated_at: at }).execute();
    await db().insertInto('newsletter_suppressions').values({ email_hash: emailHash('rebond@example.org'), reason: 'hard_bounce', detail: null, created_at: at }).execute();
  });
  after(() => t.close());

  const GOOD = ['email;nom;listes;date_consentement;source_consentement', 'marie.curie@example.org;Marie Curie;Lettre mensuelle | Alertes appels;15/03/2021;Formulaire papier, forum des associations', 'Paul.Langevin@Example.org;Paul Langevin;;2022-01-10;Ancien site (Mailchimp)', 'parti@example.org;Parti;Lettre mensuelle;2020-01-01;Mailchimp', 'rebond@example.org;Rebond;Alertes appels;2020-01-01;Mailchimp'].join('\n');

  test('an import with an error is refused whole, with a report per line; nothing is written', async () => {
    const bad = `${GOOD}\npas-une-adresse;X;Lettre mensuelle;2021-01-01;papier\nx@example.org;X;Liste fantôme;2021-01-01;papier\ny@example.org;Y;Lettre mensuelle;31/02/2021;papier`;
    const res = await upload(bad, { lists: lists['Lettre mensuelle']! });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Import refusé : 3 lignes en erreur sur 7/);
    assert.match(res.body, /Adresse email invalide : « pas-une-adresse »/);
    assert.match(res.body, /Liste inconnue : « Liste fantôme »/);
    assert.match(res.body, /Date de consentement illisible : « 31\/02\/2021 »/);
    assert.equal(await subscriberOf('marie.curie@example.org'), undefined);
    const check = await staff.postMultipart('/admin/lettres/import', { mode: 'verifier' }, [{ field: 'fichier', filename: 'a.csv', content: Buffer.from(GOOD), type: 'text/csv' }]);
    assert.equal(check.statusCode, 400, 'no default list: the line without lists is an error');
    assert.match(check.body, /Aucune liste/);
  });

  test('a file over the cap is refused with the cap in the reader’s units; the form’s hint gives the same', async () => {
    const res = await upload(Buffer.alloc(IMPORT_MAX_BYTES + 1, 'a'), { lists: lists['Lettre mensuelle']! });
    assert.equal(res.statusCode, 413);
    assert.match(res.body, /Fichier trop gros\s:\s5\sMo au plus\./);
    assert.match(res.body, /<p class="hint" id="f-fichier-hint">5\sMo au plus\.<\/p>/);
  });

  test('a valid file imports subscribers with their original consent, no re-consent, never re-subscribing who left', async () => {
    const res = await upload(GOOD, { lists: lists['Alertes appels']! });
    assert.equal(res.statusCode, 200, res.body.slice(0, 3000));
    assert.match(res.body, /Import terminé : 4 lignes, 3 nouvelles personnes abonnées, 3 abonnements ajoutés/);
    assert.match(res.body, /parti@example\.org s’était désinscrite de « Lettre mensuelle »/);
    assert.match(res.body, /rebond@example\.org est exclue des envois/);
    assert.deepEqual(await statuses('marie.curie@example.org'), { 'Lettre mensuelle': 'confirmed', 'Alertes appels': 'confirmed' });
    assert.deepEqual(await statuses('paul.langevin@example.org'), { 'Alertes appels': 'confirmed' });
    assert.deepEqual(await statuses('parti@example.org'), { 'Lettre mensuelle': 'unsubscribed' });
    assert.deepEqual(await statuses('rebond@example.org'), {});
    const marie = (await subscriberOf('marie.curie@example.org'))!;
    const events = await db().selectFrom('newsletter_consent_events').selectAll().where('subscriber_id', '=', marie.id).execute();
    assert.equal(events.length, 2);
    for (const e of events) {
      assert.equal(e.action, 'subscribed');
      assert.equal(e.source, 'import');
      assert.equal(e.at.slice(0, 10), '2021-03-15');
      assert.match(e.detail ?? '', /Consentement d’origine : Formulaire papier, forum des associations — importé le \d{4}-\d{2}-\d{2} \(abonnes\.csv, ligne 2\)/);
    }
    // No confirmation email: an imported consent is not asked again.
    await t.kernel.jobs.runDue();
    assert.equal(t.smtp.messages.length, 0);
    // Importing again changes nothing.
    const again = await upload(GOOD, { lists: lists['Alertes appels']! });
    assert.match(again.body, /0 nouvelle personne abonnée, 0 abonnement ajouté/);
  });

  test('a Windows-1252 file with commas is read', async () => {
    const csv = Buffer.from('email,name,lists\r\nhelene@example.org,H\xe9l\xe8ne \x96 Tr\xe9sor,Lettre mensuelle\r\n', 'latin1');
    const res = await upload(csv);
    assert.equal(res.statusCode, 200);
    assert.equal((await subscriberOf('helene@example.org'))?.name, 'Hélène – Trésor');
  });

  test('staff see a subscriber’s subscriptions and consent history, and change a subscription', async () => {
    const marie = (await subscriberOf('marie.curie@example.org'))!;
    const list = await staff.get('/admin/lettres/abonnes?q=curie');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /marie\.curie@example\.org/);
    assert.match(list.body, /1 personne\b/);
    await upload('email;listes\njean_dupont@example.org;Lettre mensuelle\njeanxdupont@example.org;Lettre mensuelle\n');
    const underscore = await staff.get('/admin/lettres/abonnes?q=jean_d');
    assert.match(underscore.body, /1 personne\b/, 'an underscore is a character, not a wildcard');
    assert.match(underscore.body, /jean_dupont@example\.org/);
    const page = await staff.get(`/admin/lettres/abonnes/${marie.id}`);
    assert.match(page.body, /Historique des consentements/);
    assert.match(page.body, /Formulaire papier/);
    const res = await post(staff, `/admin/lettres/abonnes/${marie.id}/abonnement`, [['list', lists['Alertes appels']!], ['action', 'unsubscribe']]);
    assert.equal(res.statusCode, 303);
    assert.deepEqual(await statuses('marie.curie@example.org'), { 'Lettre mensuelle': 'confirmed', 'Alertes appels': 'unsubscribed' });
    const rebond = await subscriberOf('rebond@example.org');
    const refused = await post(staff, `/admin/lettres/abonnes/${rebond!.id}/abonnement`, [['list', lists['Alertes appels']!], ['action', 'subscribe']]);
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /seule la personne peut se réabonner/);
  });

  test('a subscriber’s page labels what it shows as read: « Structure », « Événement », « Par quel moyen »', async () => {
    const marie = (await subscriberOf('marie.curie@example.org'))!;
    const page = await staff.get(`/admin/lettres/abonnes/${marie.id}`);
    assert.match(page.body, /<dt>Structure<\/dt>/);
    assert.doesNotMatch(page.body, /facultatif/);
    assert.match(page.body, /<th scope="col">Événement<\/th>/);
    assert.match(page.body, /<th scope="col">Par quel moyen<\/th>/);
    assert.doesNotMatch(page.body, /vènement|>Comment</);
    const at = new Date().toISOString();
    const id = newId();
    await db().insertInto('newsletter_subscribers').values({ id, email: 'sans.historique@example.org', email_lower: 'sans.historique@example.org', name: null, organisation: null, contact_id: null, token: `jeton-${id.replace(/-/g, '')}`, created_at: at, updated_at: at }).execute();
    const empty = await staff.get(`/admin/lettres/abonnes/${id}`);
    assert.match(empty.body, /Aucun événement\./);
  });

  test('RGPD: the export holds subscriptions and consent events; erasure removes them and keeps only a hash', async () => {
    const marie = (await subscriberOf('marie.curie@example.org'))!;
    const exported = await post(staff, `/admin/lettres/abonnes/${marie.id}/export`, []);
    assert.equal(exported.statusCode, 200);
    const doc = JSON.parse(exported.body) as { newsletter: { email: string; subscriptions: { list: string; status: string }[]; consent_events: { action: string; source: string; at: string }[] }[] };
    assert.equal(doc.newsletter[0]?.email, 'marie.curie@example.org');
    assert.deepEqual(doc.newsletter[0]?.subscriptions.map((s) => [s.list, s.status]).sort(), [['Alertes appels', 'unsubscribed'], ['Lettre mensuelle', 'confirmed']]);
    assert.ok(doc.newsletter[0]!.consent_events.some((e) => e.source === 'import' && e.at.startsWith('2021-03-15')));
    assert.ok(doc.newsletter[0]!.consent_events.some((e) => e.source === 'staff' && e.action === 'unsubscribed'));

    assert.equal((await post(staff, `/admin/lettres/abonnes/${marie.id}/effacer`, [])).statusCode, 303);
    assert.equal(await subscriberOf('marie.curie@example.org'), undefined);
    assert.equal((await db().selectFrom('newsletter_consent_events').select('id').where('subscriber_id', '=', marie.id).execute()).length, 0);
    const dump = JSON.stringify(await db().selectFrom('newsletter_suppressions').selectAll().execute());
    assert.doesNotMatch(dump, /marie/);
    assert.match(dump, new RegExp(emailHash('marie.curie@example.org')));
    // Never mailed again: an import does not bring the address back.
    const res = await upload('email;listes\nmarie.curie@example.org;Lettre mensuelle\n');
    assert.match(res.body, /marie\.curie@example\.org est exclue des envois/);
    assert.deepEqual(await statuses('marie.curie@example.org'), {});
  });

  test('sending settings and the bounce token are for admins; numbers out of bounds are refused', async () => {
    assert.equal((await staff.get('/admin/lettres/reglages')).statusCode, 403);
    const admin = await t.loginAs('admin');
    const page = await admin.get('/admin/lettres/reglages');
    assert.equal(page.statusCode, 200);
    const url = /http:\/\/localhost:3000\/api\/v1\/bounces\/[A-Za-z0-9_-]+/.exec(page.body)?.[0];
    assert.ok(url);
    const fields: Array<[string, string]> = [['ratePerSecond', '30'], ['ratePerHour', '5000'], ['concurrency', '4'], ['errorThresholdPercent', '10'], ['errorThresholdMinimum', '50'], ['maxAttempts', '5'], ['retryBaseSeconds', '60'], ['claimLeaseSeconds', '60'], ['softBounceLimit', '3']];
    const bad = await post(admin, '/admin/lettres/reglages', fields.map(([k, v]) => [k, k === 'concurrency' ? '500' : v]));
    assert.equal(bad.statusCode, 400);
    assert.equal((await post(admin, '/admin/lettres/reglages', fields)).statusCode, 303);
    assert.equal((await db().selectFrom('newsletter_settings').select('value').where('key', '=', 'ratePerSecond').executeTakeFirstOrThrow()).value, '30');
    assert.equal((await post(admin, '/admin/lettres/reglages/jeton', [])).statusCode, 303);
    const renewed = await admin.get('/admin/lettres/reglages');
    assert.doesNotMatch(renewed.body, new RegExp(url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
  });
});
