import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { newId } from '../../kernel/ids.js';
import { runBounceImport } from './cli.js';
import { newsletterDeps } from './deps.js';
import { parseDsn } from './dsn.js';
import { newsletterSettings, saveNewsletterSettings } from './settings.js';
import { emailHash } from './tokens.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'bounces');
const sample = (name: string) => fs.readFileSync(path.join(FIXTURES, name));
const MAILING_ID = '01970000-0000-7000-8000-00000000b0a1';

describe('newsletter: reading delivery status notifications (RFC 3464)', () => {
  test('a Postfix bounce is a hard bounce, even with Auto-Submitted, and names the mailing', () => {
    const result = parseDsn(sample('01-postfix-user-unknown.eml'));
    assert.equal(result.kind, 'bounce');
    assert.equal(result.mailingId, MAILING_ID);
    assert.deepEqual(
      result.recipients.map((r) => [r.email, r.action, r.status, r.classification]),
      [['ancien.adherent@association-exemple.fr', 'failed', '5.1.1', 'hard']],
    );
    assert.match(result.recipients[0]!.diagnostic ?? '', /User unknown in virtual mailbox table/);
  });

  test('an Exchange report (base64 text part, message/rfc822 returned) is read too', () => {
    const result = parseDsn(sample('02-exchange-mailbox-gone-base64.eml'));
    assert.equal(result.kind, 'bounce');
    assert.equal(result.mailingId, MAILING_ID);
    assert.deepEqual(result.recipients.map((r) => [r.email, r.status, r.classification]), [['direction.ri@collectivite-exemple.fr', '5.2.1', 'hard']]);
  });

  test('a delay and a 4.x.x failure (mailbox full) are soft', () => {
    assert.deepEqual(parseDsn(sample('03-gmail-delayed.eml')).recipients.map((r) => [r.email, r.action, r.status, r.classification]), [['benevole@asso-lointaine.org', 'delayed', '4.4.1', 'soft']]);
    assert.deepEqual(parseDsn(sample('04-orange-mailbox-full.eml')).recipients.map((r) => [r.email, r.status, r.classification]), [['tresoriere.jumelage@orange.fr', '4.2.2', 'soft']]);
  });

  test('auto-replies are not bounces: "Réponse automatique", "Out of office", X-Autoreply', () => {
    assert.equal(parseDsn(sample('05-reponse-automatique.eml')).kind, 'auto_reply');
    assert.equal(parseDsn(sample('06-out-of-office.eml')).kind, 'auto_reply');
    assert.equal(parseDsn('From: a@b.fr\nSubject: Réponse automatique : absence\n\nJe suis absent.').kind, 'auto_reply');
  });

  test('one report for two recipients: only the failed one counts; a person’s reply is not a bounce', () => {
    assert.deepEqual(
      parseDsn(sample('07-two-recipients.eml')).recipients.map((r) => [r.email, r.classification]),
      [
        ['partie@exemple-ferme.fr', 'hard'],
        ['bien.arrive@example.org', 'none'],
      ],
    );
    assert.equal(parseDsn(sample('08-human-reply.eml')).kind, 'unrecognised');
    assert.equal(parseDsn('').kind, 'unrecognised');
  });
});

forEachDialect('newsletter: bounces by endpoint and by command', (dialect) => {
  let t: TestApp;
  let token: string;
  const db = () => t.kernel.db;
  const suppression = (email: string) => db().selectFrom('newsletter_suppressions').selectAll().where('email_hash', '=', emailHash(email)).executeTakeFirst();

  async function subscriber(email: string) {
    const at = new Date().toISOString();
    const id = newId();
    await db().insertInto('newsletter_subscribers').values({ id, email, email_lower: email.toLowerCase(), name: null, organisation: null, contact_id: null, token: `jeton-${id.replace(/-/g, '')}`, created_at: at, updated_at: at }).execute();
    return id;
  }

  before(async () => {
    t = await testApp(dialect);
    token = (await newsletterSettings(newsletterDeps(t.kernel))).bounceToken;
    await saveNewsletterSettings(newsletterDeps(t.kernel), { softBounceLimit: 2 });
    const at = new Date().toISOString();
    await db()
      .insertInto('newsletter_mailings')
      .values({ id: MAILING_ID, slug: 'lettre-de-mars-b0a1', subject: 'Lettre de mars', from_name: 'Réseau', reply_to: null, segment_id: null, status: 'sent', created_by: null, created_at: at, updated_at: at })
      .execute();
    const sid = await subscriber('ancien.adherent@association-exemple.fr');
    await db().insertInto('newsletter_recipients').values({ id: newId(), mailing_id: MAILING_ID, subscriber_id: sid, email: 'ancien.adherent@association-exemple.fr', name: null, via: 'list', status: 'sent' }).execute();
    await subscriber('tresoriere.jumelage@orange.fr');
  });
  after(() => t.close());

  const postBounce = (file: string, withToken = token) =>
    t.app.inject({ method: 'POST', url: `/api/v1/bounces/${withToken}`, payload: sample(file), headers: { 'content-type': 'message/rfc822' } });

  test('a hard bounce posted without cookie or CSRF token suppresses the address and is noted on the mailing', async () => {
    const res = await postBounce('01-postfix-user-unknown.eml');
    assert.equal(res.statusCode, 200, res.body);
    const body = JSON.parse(res.body) as { kind: string; recipients: { email: string; classification: string; suppressed: boolean }[] };
    assert.equal(body.kind, 'bounce');
    assert.deepEqual(body.recipients.map((r) => [r.email, r.classification, r.suppressed]), [['ancien.adherent@association-exemple.fr', 'hard', true]]);
    assert.equal((await suppression('ancien.adherent@association-exemple.fr'))?.reason, 'hard_bounce');
    const recipient = await db().selectFrom('newsletter_recipients').select('error').where('mailing_id', '=', MAILING_ID).executeTakeFirstOrThrow();
    assert.match(recipient.error ?? '', /Retour définitif : 5\.1\.1/);
    const event = await db().selectFrom('newsletter_consent_events').selectAll().where('action', '=', 'hard_bounce').executeTakeFirst();
    assert.equal(event?.source, 'bounce');
  });

  test('a wrong token is refused; an auto-reply changes nothing', async () => {
    assert.equal((await postBounce('01-postfix-user-unknown.eml', 'mauvais-jeton-mauvais-jeton')).statusCode, 404);
    const auto = await postBounce('05-reponse-automatique.eml');
    assert.equal(auto.statusCode, 200);
    assert.equal((JSON.parse(auto.body) as { kind: string }).kind, 'auto_reply');
    assert.equal(await suppression('marie.dupont@mairie-exemple.fr'), undefined);
  });

  test('soft bounces are counted; the configured number of them suppresses the address', async () => {
    await postBounce('04-orange-mailbox-full.eml');
    const first = await db().selectFrom('newsletter_subscribers').select(['soft_bounces']).where('email_lower', '=', 'tresoriere.jumelage@orange.fr').executeTakeFirstOrThrow();
    assert.equal(first.soft_bounces, 1);
    assert.equal(await suppression('tresoriere.jumelage@orange.fr'), undefined);
    await postBounce('04-orange-mailbox-full.eml');
    assert.equal((await suppression('tresoriere.jumelage@orange.fr'))?.reason, 'hard_bounce');
  });

  test('maillage newsletter:bounces reads a folder of messages and reports each one', async () => {
    const lines: string[] = [];
    const code = await runBounceImport(t.kernel, FIXTURES, { log: (m) => lines.push(m), error: (m) => lines.push(`ERR ${m}`) });
    assert.equal(code, 0);
    const text = lines.join('\n');
    assert.match(text, /02-exchange-mailbox-gone-base64\.eml : direction\.ri@collectivite-exemple\.fr 5\.2\.1 erreur définitive, adresse exclue des envois/);
    assert.match(text, /05-reponse-automatique\.eml : réponse automatique \(ignorée\)/);
    assert.match(text, /08-human-reply\.eml : pas un retour d’erreur \(ignoré\)/);
    assert.match(text, /^8 messages : 3 erreurs définitives, 2 temporaires, 2 réponses automatiques, 1 autre\.$/m, 'the counts agree with their words');
    assert.doesNotMatch(text, /\(s\)/);
    assert.equal((await suppression('partie@exemple-ferme.fr'))?.reason, 'hard_bounce');
    assert.equal(await suppression('bien.arrive@example.org'), undefined);
  });
});
