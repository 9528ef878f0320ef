// The consent form's date (« Enregistrer un événement », /admin/contacts/:id) and how consent and
// legal-basis dates are shown: a day in the future is refused for what it is (not « badly
// written »), and a day given without a time — typed in the form, or an import's legal-basis date —
// is shown as a day alone, never with a time nobody entered.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { toLocalInputs } from '../../kernel/time/zoned.js';
import { runImportCommand } from '../imports/index.js';

/** The dates of the consent table, in its order (its first column). */
function consentDates(html: string): string[] {
  return [...html.matchAll(/<tr><td class="nowrap">([^<]*)<\/td><td data-label="Finalité">/g)].map((m) => m[1]!);
}

forEachDialect('consent dates', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let contactId: string;

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff', 'camille@example.org');
    // An imported contact whose legal basis was given for a day (2016-06-01), without a time.
    const file = path.join(t.config.dataDir, 'adherents.csv');
    fs.writeFileSync(file, 'Nom structure;CP;Ville;Nom contact;Prénom contact;Mail contact\r\nEau Vive;33000;Bordeaux;DIOP;Awa;awa@eauvive.org\r\n');
    const code = await runImportCommand(t.kernel, { file, source: 'capcoop', mode: 'valid-only', legalDate: '2016-06-01' }, { log: () => undefined });
    assert.equal(code, 0);
    contactId = (await t.kernel.db.selectFrom('contacts').select('id').where('last_name', '=', 'DIOP').executeTakeFirstOrThrow()).id;
  });
  after(() => t.close());

  const event = (at: string) => ({ purpose: 'newsletter', basis: 'consent', event: 'given', source: 'paper', detail: 'Bulletin papier', at });

  test('a date after today is refused as in the future, the other fields kept', async () => {
    await staff.get(`/admin/contacts/${contactId}`);
    const tomorrow = new Date(`${toLocalInputs(new Date()).date}T12:00:00Z`);
    tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
    for (const day of ['2030-01-01', tomorrow.toISOString().slice(0, 10)]) {
      const res = await staff.post(`/admin/contacts/${contactId}/consentements`, event(day));
      assert.equal(res.statusCode, 400, day);
      assert.match(res.body, /La date ne peut pas être dans le futur\./, day);
      assert.doesNotMatch(res.body, /Saisissez une date au format/, day);
      assert.match(res.body, /Bulletin papier/, 'what was typed is kept');
    }
    // A badly written date is still said to be one.
    const wrong = await staff.post(`/admin/contacts/${contactId}/consentements`, event('2026-02-30'));
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /Saisissez une date au format AAAA-MM-JJ/);
    const stored = await t.kernel.db.selectFrom('consents').select('id').where('contact_id', '=', contactId).execute();
    assert.equal(stored.length, 1, 'only the import’s legal basis');
  });

  test('days given without a time are shown as days, events recorded now with their time', async () => {
    assert.equal((await staff.post(`/admin/contacts/${contactId}/consentements`, event('2020-03-14'))).statusCode, 303);
    assert.equal((await staff.post(`/admin/contacts/${contactId}/consentements`, { ...event(''), purpose: 'events' })).statusCode, 303);
    const page = await staff.get(`/admin/contacts/${contactId}`);
    const dates = consentDates(page.body);
    assert.equal(dates.length, 3, page.body);
    // The import's legal basis (2016-06-01) and the day typed (2020-03-14): days alone, no « 14:00 ».
    assert.ok(dates.includes('1 juin 2016') || dates.includes('1er juin 2016'), dates.join(' | '));
    assert.ok(dates.includes('14 mars 2020'), dates.join(' | '));
    // Recorded without a day: now, with its time (Europe/Paris).
    assert.equal(dates.filter((d) => /\d{2}:\d{2}/.test(d)).length, 1, dates.join(' | '));
    const english = consentDates((await staff.get(`/admin/contacts/${contactId}`, { 'accept-language': 'en' })).body.replace(/data-label="Purpose"/g, 'data-label="Finalité"'));
    assert.ok(english.includes('1 Jun 2016'), english.join(' | '));
  });
});
