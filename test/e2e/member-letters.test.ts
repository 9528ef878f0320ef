import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { createActiveUser, inviteUser } from '../../src/modules/accounts/index.js';
import { MONTHLY_LIST_ID } from '../../src/modules/newsletter/index.js';
import { describeWithBrowser, expectNoAxeViolations, expectNoHorizontalScroll } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';

const MEMBER = { email: 'mariam.toure@example.org', password: 'Marée haute sur l’estuaire 2026', displayName: 'Mariam Touré' };
/** « Lettre mensuelle », the list every install has (migration 1630). */
const MONTHLY = MONTHLY_LIST_ID;
const ALERTS = '01970000-0000-7000-8000-0000000e2e52';
const PAGE = '/mon-espace/lettres';
const FOOTER_LINK = 'footer a:text-is("Choisir ses lettres et centres d’intérêt")';

describeWithBrowser('« Mon espace » › Mes lettres d’information in a real browser', () => {
  const e2e = useLiveBrowser({
    async seed(live) {
      const at = new Date().toISOString();
      const list = (id: string, name: string, doubleOptIn: number) => ({ id, name, description: `Description de ${name}`, is_public: 1, double_opt_in: doubleOptIn, is_default: 0, created_by: null, created_at: at, updated_at: at });
      await live.kernel.db.insertInto('newsletter_lists').values([list(ALERTS, 'Alertes appels', 0)]).execute();
      await live.kernel.db.insertInto('themes').values({ code: 'tst_e2e_eau', label_fr: 'Eau (essai)', label_en: 'Water (test)', position: 999 }).execute();
      // Staff invite the member: the link mailed to the address proves it once she chooses her password.
      const admin = await createActiveUser(live.kernel, { email: 'admin.lettres@example.org', role: 'admin' });
      const invited = await inviteUser(live.kernel, { id: admin.id, email: 'admin.lettres@example.org', displayName: 'Admin', role: 'admin' }, { email: MEMBER.email, displayName: MEMBER.displayName, role: 'member', locale: 'fr' });
      assert.ok(invited.ok);
    },
  });
  const { freshPage, visit, signIn } = e2e;
  const db = () => e2e.live.kernel.db;
  const statusOf = async (listId: string) => {
    const s = await db().selectFrom('newsletter_subscribers').select('id').where('email_lower', '=', MEMBER.email).executeTakeFirst();
    if (!s) return undefined;
    return (await db().selectFrom('newsletter_subscriptions').select('status').where('subscriber_id', '=', s.id).where('list_id', '=', listId).executeTakeFirst())?.status;
  };
  /** Presses Tab until `selector` has the focus (at most `max` times): the control is reachable by keyboard. */
  async function tabTo(p: Page, selector: string, max = 60) {
    for (let i = 0; i < max; i++) {
      await p.keyboard.press('Tab');
      if (await p.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    }
    assert.fail(`${selector} never took the focus with Tab`);
  }

  test('at 1280 px, the member reaches her letters from « Mon espace » and changes them with the keyboard only', async () => {
    await e2e.live.kernel.jobs.runDue();
    const mail = e2e.live.smtp.lastTo(MEMBER.email);
    assert.ok(mail, 'the invitation');
    const p = await freshPage(1280);
    await visit(p, new URL(e2e.live.smtp.linkIn(mail, /http:\/\/127\.0\.0\.1:\d+\/invitation\/[A-Za-z0-9_-]+/)).pathname);
    await p.fill('#f-password', MEMBER.password);
    await p.fill('#f-password_confirm', MEMBER.password);
    // Choosing her password signs her in and opens « Mon espace ».
    await Promise.all([p.waitForURL(e2e.url('/mon-espace')), p.click('main form button[type=submit]')]);
    await expectNoAxeViolations(p);

    // Her organisations first, her account last, her letters among the tiles.
    const tiles = await p.locator('main .card-grid > li h2').allInnerTexts();
    assert.equal(tiles[0], 'Mes structures');
    assert.equal(tiles.at(-1), 'Mon compte');
    assert.equal(tiles.at(-2), 'Mes lettres d’information');

    await tabTo(p, `main a[href="${PAGE}"]`);
    await Promise.all([p.waitForURL(e2e.url(PAGE)), p.keyboard.press('Enter')]);
    assert.equal(await p.locator('h1').innerText(), 'Mes lettres d’information');
    assert.match(await p.locator('main .lead').innerText(), /mariam\.toure@example\.org/);
    await expectNoAxeViolations(p);

    // The monthly letter ticked with the space bar, the interests unfolded with Enter, a theme ticked, then saved with Enter.
    await tabTo(p, `input[name="lists"][value="${MONTHLY}"]`);
    await p.keyboard.press('Space');
    assert.equal(await p.isChecked(`input[name="lists"][value="${MONTHLY}"]`), true);
    await tabTo(p, 'details.nl-interests > summary');
    await p.keyboard.press('Enter');
    await tabTo(p, 'input[name="themes"][value="tst_e2e_eau"]');
    await p.keyboard.press('Space');
    await expectNoAxeViolations(p);
    await tabTo(p, 'main form[action="/mon-espace/lettres"] button[type=submit]');
    await Promise.all([p.waitForLoadState('load'), p.keyboard.press('Enter')]);
    await p.waitForSelector('text=Vos choix sont enregistrés.');
    assert.equal(await statusOf(MONTHLY), 'confirmed', 'her address is proven: no confirmation email to wait for');
    assert.equal(await p.isChecked(`input[name="lists"][value="${MONTHLY}"]`), true);
    assert.match(await p.locator(`label[for="${await p.getAttribute(`input[name="lists"][value="${MONTHLY}"]`, 'id')}"]`).innerText(), /abonné·e depuis le/);
    await expectNoAxeViolations(p);

    // From a public page, the footer's link leads her back to her own letters.
    await visit(p, '/lettre');
    await Promise.all([p.waitForURL(e2e.url(PAGE)), p.click(FOOTER_LINK)]);
  });

  test('at 360 px, the page fits the screen and passes axe; a visitor’s footer link still opens the public form, empty', async () => {
    const visitor = await freshPage(360);
    await visit(visitor, '/');
    await Promise.all([visitor.waitForURL(e2e.url('/lettre')), visitor.click(FOOTER_LINK)]);
    assert.equal(await visitor.inputValue('#f-email'), '', 'nothing pre-filled');
    assert.equal(await visitor.inputValue('#nl-footer-email'), '');
    await visit(visitor, PAGE);
    assert.equal(new URL(visitor.url()).pathname, '/connexion', 'a visitor is asked to sign in');

    const p = await freshPage(360);
    await signIn(p, MEMBER.email, MEMBER.password);
    await visit(p, '/mon-espace');
    await expectNoHorizontalScroll(p, 360);
    await expectNoAxeViolations(p);
    await visit(p, PAGE);
    await expectNoHorizontalScroll(p, 360);
    await expectNoAxeViolations(p);
    // Unticked with the keyboard, saved: unsubscribed, and said so beside the letter.
    await tabTo(p, `input[name="lists"][value="${MONTHLY}"]`);
    await p.keyboard.press('Space');
    await tabTo(p, 'main form[action="/mon-espace/lettres"] button[type=submit]');
    await Promise.all([p.waitForLoadState('load'), p.keyboard.press('Enter')]);
    await p.waitForSelector('text=Vos choix sont enregistrés.');
    assert.equal(await statusOf(MONTHLY), 'unsubscribed');
    assert.match(await p.locator('main form[action="/mon-espace/lettres"]').innerText(), /désabonné·e le/);
    await expectNoHorizontalScroll(p, 360);
    await expectNoAxeViolations(p);
  });
});
