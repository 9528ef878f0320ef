import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newId } from '../../src/kernel/ids.js';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { monthChoices, monthName } from '../../src/modules/bulletin/template.js';
import { MONTHLY_LIST_ID } from '../../src/modules/newsletter/index.js';
import { addFixtureArticle, addFixtureCall, addFixtureEvent, addFixtureOrganisation, addFixtureResource, addFixtureWatchItems } from '../../src/modules/bulletin/test-fixtures-repo.js';
import { describeWithBrowser, expectNoAxeViolations } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';

const STAFF = { email: 'ines.bulletin@example.org', password: 'Bulletin du réseau 2026 !', displayName: 'Inès Bulletin' };
const REVIEWER = 'relecture.bulletin@example.org';
const READERS = ['awa.diallo@example.org', 'jean.morel@example.org'];
const DAY = 86_400_000;

describeWithBrowser('the monthly bulletin in a real browser', () => {
  const e2e = useLiveBrowser({
    async seed(live) {
      const db = live.kernel.db;
      await createActiveUser(live.kernel, { ...STAFF, role: 'staff' });
      const now = new Date().toISOString();
      const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();
      // « Lettre mensuelle », the list every install has (migration 1630): the monthly bulletin's by default.
      const listId = MONTHLY_LIST_ID;
      for (const email of READERS) {
        const id = newId();
        await db.insertInto('newsletter_subscribers').values({ id, email, email_lower: email, name: null, organisation: null, contact_id: null, token: `jeton-bulletin-${id.replace(/-/g, '')}`, created_at: now, updated_at: now }).execute();
        await db.insertInto('newsletter_subscriptions').values({ subscriber_id: id, list_id: listId, status: 'confirmed', created_at: now, updated_at: now }).execute();
      }
      await addFixtureArticle(db, { title: 'Assemblée générale du réseau', publishedAt: at(-5), summary: 'Le bilan de l’année et les projets.' });
      await addFixtureArticle(db, { title: 'Brouillon à ne pas envoyer', publishedAt: null, status: 'draft' });
      await addFixtureArticle(db, { title: 'Festival solidaire à Limoges', publishedAt: at(-3), organisationId: await addFixtureOrganisation(db, 'Association Kora') });
      await addFixtureEvent(db, { title: 'Rencontre régionale des acteurs', startsAt: at(12), endsAt: at(12.2), venue: 'Maison des associations' });
      await addFixtureCall(db, { title: 'Appel Jeunesse et solidarité', closesOn: at(9).slice(0, 10), publishedAt: at(-30) });
      await addFixtureResource(db, { title: 'Guide de la coopération décentralisée', publishedAt: at(-4) });
      await addFixtureWatchItems(db, [{ title: 'Rapport sur l’aide publique au développement', status: 'kept', publishedAt: at(-2) }]);
    },
  });
  const { freshPage, visit, signIn } = e2e;

  /** The heading of each block in the editor, in order. */
  const headings = async () => (await e2e.page.locator('.bl-block h3').allInnerTexts()).map((h) => h.replace(/\s+/g, ' ').trim());

  test('staff create the monthly bulletin, write the editorial, move a block up, preview it, send a test, then send it with progress', async () => {
    const p = await freshPage();
    await signIn(p, STAFF.email, STAFF.password);
    await visit(p, '/admin/lettres');
    await expectNoAxeViolations(p);
    await Promise.all([p.waitForURL(/\/admin\/lettres\/bulletin-mensuel$/), p.click('text=Nouveau bulletin mensuel')]);
    await expectNoAxeViolations(p);
    // Next month is offered, and said so; the subject's hint follows the month chosen.
    const [current, next] = monthChoices(new Date()) as [string, string];
    assert.equal(await p.inputValue('#f-month'), next);
    assert.match(await p.locator('#f-month option:checked').innerText(), /\(mois prochain\)$/);
    const subjectHint = p.locator('#f-subject-hint');
    assert.equal(await subjectHint.innerText(), `Laissez vide pour «\u00a0Lettre d’information — ${monthName(next)}\u00a0».`);
    await p.selectOption('#f-month', current);
    assert.equal(await subjectHint.innerText(), `Laissez vide pour «\u00a0Lettre d’information — ${monthName(current)}\u00a0».`);
    await expectNoAxeViolations(p);
    await p.selectOption('#f-month', next);
    assert.match(await subjectHint.innerText(), new RegExp(monthName(next)));
    await Promise.all([p.waitForURL(/\/admin\/lettres\/[0-9a-f-]{36}\/blocs$/), p.click('main form button[type=submit]')]);
    await p.waitForSelector('text=Bulletin créé en brouillon');
    await expectNoAxeViolations(p);
    const editorUrl = new URL(p.url()).pathname;
    // One breadcrumb, one link up: the mailing (the tabs lead to « Lettres et envois »).
    assert.deepEqual(await p.locator('main .breadcrumb a').allInnerTexts(), [await p.locator('main a[href$="' + editorUrl.replace(/\/blocs$/, '') + '"]').first().innerText()]);
    assert.match((await p.locator('main .breadcrumb').allInnerTexts()).join('|'), /^Lettre d’information — [^|›]+$/);
    assert.deepEqual((await headings()).map((h) => h.replace(/ \(.*\)$/, '')), [
      'Bloc 1 sur 7 : Édito',
      'Bloc 2 sur 7 : Actualités du réseau',
      'Bloc 3 sur 7 : Agenda',
      'Bloc 4 sur 7 : Appels à projets',
      'Bloc 5 sur 7 : Repéré par notre veille',
      'Bloc 6 sur 7 : Nouvelles ressources',
      'Bloc 7 sur 7 : Nouvelles des membres',
    ]);
    const main = await p.locator('main').innerText();
    for (const title of ['Assemblée générale du réseau', 'Rencontre régionale des acteurs', 'Appel Jeunesse et solidarité', 'Rapport sur l’aide publique au développement', 'Guide de la coopération décentralisée', 'Festival solidaire à Limoges']) {
      assert.ok(main.includes(title), `the editor lists « ${title} »`);
    }
    assert.ok(!main.includes('Brouillon à ne pas envoyer'));
    assert.match(main, /Bloc 1 : l’édito est vide/);

    // The editorial, written in its block's form.
    const editorial = p.locator('.bl-block').first();
    // Its form is already open, since the editorial still has to be written.
    assert.equal(await editorial.locator('details').getAttribute('open'), '');
    await editorial.locator('textarea[name="html"]').fill('Chères et chers membres,\n\nvoici les nouvelles du mois.');
    await Promise.all([p.waitForURL(/\/blocs(#bloc-[0-9a-f]{8})?$/), editorial.locator('button:has-text("Enregistrer")').click()]);
    // The URL already matched before the click: the flash, then the whole new page, mark the answer.
    await p.waitForSelector('text=Bloc enregistré.');
    await p.waitForLoadState('load');
    assert.doesNotMatch(await p.locator('main').innerText(), /l’édito est vide/);
    await expectNoAxeViolations(p);

    // The agenda goes above the news, with the form's button (no script involved).
    const agenda = p.locator('.bl-block', { has: p.locator('h3', { hasText: 'Agenda' }) });
    await Promise.all([p.waitForURL(/\/blocs#bloc-[0-9a-f]{8}$/), agenda.locator('button:has-text("Monter")').click()]);
    await p.waitForSelector('text=Bloc déplacé.');
    await p.waitForLoadState('load');
    assert.equal((await headings())[1]!.replace(/ \(.*\)$/, ''), 'Bloc 2 sur 7 : Agenda');
    await visit(p, editorUrl);
    assert.equal((await headings())[1]!.replace(/ \(.*\)$/, ''), 'Bloc 2 sur 7 : Agenda', 'the new order is kept');
    await expectNoAxeViolations(p);

    // The preview: the email at desktop and mobile widths, in the new order.
    for (const title of ['Aperçu du message sur ordinateur (600 pixels de large)', 'Aperçu du message sur mobile (375 pixels de large)']) {
      const frame = p.locator(`iframe[title="${title}"]`);
      await frame.scrollIntoViewIfNeeded();
      const body = p.frameLocator(`iframe[title="${title}"]`).locator('body');
      await body.locator('text=Rencontre régionale des acteurs').waitFor();
      const text = await body.innerText();
      assert.ok(text.indexOf('Rencontre régionale des acteurs') < text.indexOf('Assemblée générale du réseau'), `${title}: the agenda comes before the news`);
      assert.match(text, /Chères et chers membres/);
    }
    const widths = await p.locator('.nl-previews iframe').evaluateAll((frames) => frames.map((f) => Math.round(f.getBoundingClientRect().width)));
    assert.deepEqual(widths, [640, 375]);

    // The test send, from the mailing's page, reaches the SMTP server with the blocks.
    await Promise.all([p.waitForURL(/\/admin\/lettres\/[0-9a-f-]{36}$/), p.click('text=Retour à l’envoi')]);
    await expectNoAxeViolations(p);
    await p.fill('#f-test-addresses', REVIEWER);
    await Promise.all([p.waitForLoadState('load'), p.click('section[aria-labelledby="nl-test-title"] button[type=submit]')]);
    await p.waitForSelector(`text=${REVIEWER}`);
    await expectNoAxeViolations(p);
    await e2e.live.smtp.waitFor(1);
    const mail = e2e.live.smtp.lastTo(REVIEWER);
    assert.ok(mail, 'the test message arrived');
    assert.match(String(mail.parsed.subject), /^\[TEST\] Lettre d’information — /);
    const html = String(mail.parsed.html);
    const text = String(mail.parsed.text);
    for (const title of ['Rencontre régionale des acteurs', 'Assemblée générale du réseau', 'Appel Jeunesse et solidarité', 'Guide de la coopération décentralisée']) {
      assert.ok(html.includes(title) && text.includes(title), `the message carries « ${title} » in both parts`);
    }
    assert.ok(text.indexOf('AGENDA') < text.indexOf('ACTUALITÉS DU RÉSEAU'), 'the text part follows the new order');
    for (const [, href] of html.matchAll(/href="([^"]*)"/g)) assert.match(href!, /^(https?:\/\/|mailto:)/, `absolute link: ${href}`);
    assert.match(text, new RegExp(`${e2e.live.baseUrl}/agenda/rencontre-regionale-des-acteurs-`));
    assert.doesNotMatch(html, /<script/i);

    // The real send, to the monthly list's subscribers, followed on the mailing's page.
    await p.click('text=Lancer l’envoi');
    await p.waitForSelector(`text=Envoi lancé vers ${READERS.length} destinataires.`);
    assert.match(await p.locator('[data-progress="status"]').innerText(), /En cours d’envoi/);
    await expectNoAxeViolations(p);
    await e2e.live.kernel.jobs.runDue();
    await p.waitForSelector('[data-progress="status"]:has-text("Envoyé")', { timeout: 15_000 });
    assert.equal(await p.locator('[data-progress="sent"]').innerText(), String(READERS.length));
    await expectNoAxeViolations(p);
    for (const reader of READERS) {
      const letter = e2e.live.smtp.lastTo(reader);
      assert.ok(letter, `the bulletin reached ${reader}`);
      assert.doesNotMatch(String(letter.parsed.subject), /TEST/);
      assert.ok(String(letter.parsed.html).includes('Rencontre régionale des acteurs') && String(letter.parsed.text).includes('Chères et chers membres'));
    }
  });
});
