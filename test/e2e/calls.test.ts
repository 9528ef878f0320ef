import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { addCall, callDraft } from '../../src/modules/calls/test-fixtures.js';
import { describeWithBrowser, expectNoAxeViolations } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';

const STAFF = { email: 'paul.appels@example.org', password: 'Appels du réseau 2026 !', displayName: 'Paul Appels' };
const SOURCE_ID = '01900000-0000-7000-8000-0000000002b1';
const ITEM_ID = '01900000-0000-7000-8000-0000000002c1';
const TITLE = 'Fonds Jeunesse et solidarité internationale 2027';

/** A date in Paris `days` from today, as a date input takes it. */
function parisDate(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + days * 86_400_000));
}

describeWithBrowser('calls for projects in a real browser: from the watch inbox to visitors', () => {
  const e2e = useLiveBrowser({
    async seed(live) {
      await createActiveUser(live.kernel, { ...STAFF, role: 'staff' });
      const at = new Date().toISOString();
      const db = live.kernel.db;
      await db
        .insertInto('watch_sources')
        .values({ id: SOURCE_ID, url: 'https://region.example/aides.xml', name: 'Région Bretagne', category: 'funding', site_url: null, etag: null, last_modified: null, last_fetched_at: null, last_success_at: null, last_error: null, next_fetch_at: '2999-01-01T00:00:00.000Z', created_by: null, created_at: at, updated_at: at })
        .execute();
      await db
        .insertInto('watch_items')
        .values({
          id: ITEM_ID,
          source_id: SOURCE_ID,
          guid: ITEM_ID,
          link_key: null,
          title_key: 'fonds|',
          link: 'https://region.example/aides/fonds-jeunesse-2027',
          title: TITLE,
          summary_html: '<p>La Région soutient les projets de <strong>jeunes</strong> engagés à l’international.</p>',
          excerpt: 'La Région soutient les projets de jeunes engagés à l’international.',
          author: null,
          published_at: at,
          date_missing: 0,
          content_hash: 'h',
          status: 'new',
          category: 'funding',
          note: null,
          decided_by: null,
          decided_at: null,
          search_text: 'fonds jeunesse solidarite internationale',
          first_seen_at: at,
          updated_at: at,
        })
        .execute();
      await db.insertInto('watch_item_themes').values({ item_id: ITEM_ID, theme_code: 'youth_mobility' }).execute();
      await db.insertInto('watch_item_countries').values({ item_id: ITEM_ID, country_code: 'SN' }).execute();
    },
  });
  const { freshPage, visit, signIn } = e2e;

  test('staff keep a watch item, promote it to a call and publish it; a visitor finds it in the list, on the home page and in search', async () => {
    const p = await freshPage();
    await signIn(p, STAFF.email, STAFF.password);

    // Triage: the item is kept from the inbox.
    await visit(p, '/admin/veille');
    await expectNoAxeViolations(p);
    await p.click(`[data-item="${ITEM_ID}"] button[data-action="keep"]`);
    await p.waitForSelector(`[data-item="${ITEM_ID}"]`, { state: 'detached' });

    // Promotion: from the item's page to the prefilled form of a new call.
    await visit(p, `/admin/veille/elements/${ITEM_ID}`);
    await expectNoAxeViolations(p);
    await Promise.all([p.waitForURL((u) => u.pathname === '/admin/appels-a-projets/nouveau'), p.click('button:has-text("En faire un appel à projets")')]);
    assert.equal(new URL(p.url()).searchParams.get('veille'), ITEM_ID);
    assert.equal(await p.inputValue('#f-title'), TITLE);
    assert.equal(await p.inputValue('#f-funder'), 'Région Bretagne');
    assert.equal(await p.inputValue('#f-link_url'), 'https://region.example/aides/fonds-jeunesse-2027');
    assert.equal(await p.inputValue('#f-countries'), 'Sénégal (SN)');
    // The item's text, not its markup, once: a short text is the summary, the description stays empty
    // (the public page would read it twice otherwise).
    assert.equal(await p.inputValue('#f-summary'), 'La Région soutient les projets de jeunes engagés à l’international.');
    assert.equal(await p.inputValue('#f-description'), '');
    assert.ok(await p.isChecked('input[name="themes"][value="youth_mobility"]'));
    await expectNoAxeViolations(p);

    // Staff complete the form (deadline in ten days, amounts, who may apply, a PDF) and publish.
    await p.fill('#f-closes_on', parisDate(10));
    await p.fill('#f-amount_min', '5 000');
    await p.fill('#f-amount_max', '30 000');
    await p.fill('#f-cofinancing_rate', '70');
    await p.check('input[name="kinds"][value="association"]');
    await p.check('input[name="regions"][value="53"]');
    const pdfPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-calls-')), 'reglement.pdf');
    fs.writeFileSync(pdfPath, '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    await p.setInputFiles('#f-documents', pdfPath);
    await p.fill('#f-document_title', 'Règlement du fonds');
    await Promise.all([p.waitForURL((u) => /^\/admin\/appels-a-projets\/[0-9a-f-]{36}$/.test(u.pathname)), p.click('button[value="publish"]')]);
    fs.rmSync(path.dirname(pdfPath), { recursive: true, force: true });
    const flash = await p.locator('main').innerText();
    assert.match(flash, /publié/);
    assert.match(flash, /Créé depuis un élément de la veille/);
    await expectNoAxeViolations(p);
    const row = await e2e.live.kernel.db.selectFrom('calls').select(['slug', 'watch_item_id', 'status']).where('title', '=', TITLE).executeTakeFirstOrThrow();
    assert.equal(row.watch_item_id, ITEM_ID);
    assert.equal(row.status, 'published');

    // A visitor finds it in the list, filtered by theme, then on its page.
    const visitor = await freshPage();
    await visit(visitor, '/appels-a-projets');
    await expectNoAxeViolations(visitor);
    await visitor.selectOption('#f-theme', 'youth_mobility');
    await Promise.all([visitor.waitForURL((u) => u.searchParams.get('theme') === 'youth_mobility'), visitor.click('form.call-filters button[type="submit"]')]);
    const list = await visitor.locator('main').innerText();
    assert.match(list, new RegExp(TITLE));
    assert.match(list, /Ferme bientôt/);
    assert.match(list, /Plus que 10 jours/);
    await Promise.all([visitor.waitForURL((u) => u.pathname === `/appels-a-projets/${row.slug}`), visitor.click(`a:has-text("${TITLE}")`)]);
    const page = (await visitor.locator('main').innerText()).replace(/[\u00a0\u202f]/g, ' ');
    assert.match(page, /De 5 000 € à 30 000 €/);
    assert.match(page, /Taux de cofinancement\s+70 %/);
    assert.doesNotMatch(page, /Cofinancement : 70 %/);
    assert.match(page, /Règlement du fonds/);
    assert.equal(page.split('La Région soutient les projets de jeunes engagés').length - 1, 1, 'the item’s text reads once on the public page');
    await expectNoAxeViolations(visitor);

    // The home page's "closing soon" block.
    await visit(visitor, '/');
    const home = await visitor.locator('main').innerText();
    assert.match(home, /Appels à projets qui ferment bientôt/);
    assert.match(home, new RegExp(TITLE));
    await expectNoAxeViolations(visitor);

    // The site-wide search, when present.
    if (e2e.live.kernel.searchSections.length) {
      await visit(visitor, '/recherche?q=fonds+jeunesse');
      assert.match(await visitor.locator('main').innerText(), new RegExp(TITLE));
      await expectNoAxeViolations(visitor);
    }
  });

  test('a visitor filters by région and département, switches language with the filters kept, and finds the email alerts', async () => {
    const deps = { db: e2e.live.kernel.db, clock: e2e.live.kernel.clock };
    await addCall(deps, callDraft({ title: 'Appel national pour tous', funder: 'Ministère', closes_on: parisDate(40) }));
    await addCall(deps, callDraft({ title: 'Appel des Girondins', funder: 'Département de la Gironde', closes_on: parisDate(45), links: { departments: ['33'] } }));
    await addCall(deps, callDraft({ title: 'Appel néo-aquitain', funder: 'Région Nouvelle-Aquitaine', closes_on: parisDate(50), links: { regions: ['75'] } }));
    const visitor = await freshPage();
    const titles = async () => (await visitor.locator('.call-card-title').allInnerTexts()).filter((x) => /^Appel (national|des Girondins|néo-aquitain)/.test(x));
    await visit(visitor, '/appels-a-projets');
    // Région: the calls open there, a national one included; not another région's.
    await visitor.selectOption('#f-region', '75');
    await Promise.all([visitor.waitForURL((u) => u.searchParams.get('region') === '75'), visitor.click('form.call-filters button[type="submit"]')]);
    assert.deepEqual(await titles(), ['Appel national pour tous', 'Appel des Girondins', 'Appel néo-aquitain']);
    await expectNoAxeViolations(visitor);
    await visit(visitor, '/appels-a-projets?departement=87');
    assert.deepEqual(await titles(), ['Appel national pour tous', 'Appel néo-aquitain'], 'Haute-Vienne: the national and the regional calls, not Gironde’s');
    await visit(visitor, '/appels-a-projets?region=53');
    assert.deepEqual(await titles(), ['Appel national pour tous']);

    // The language switch keeps the filters.
    await visit(visitor, '/appels-a-projets?departement=87');
    await Promise.all([visitor.waitForURL((u) => u.searchParams.get('departement') === '87' && u.pathname === '/appels-a-projets'), visitor.click('form[action="/langue"] button')]);
    assert.equal(await visitor.getAttribute('html', 'lang'), 'en');
    assert.equal(await visitor.inputValue('#f-departement'), '87');
    assert.deepEqual(await titles(), ['Appel national pour tous', 'Appel néo-aquitain']);
    await expectNoAxeViolations(visitor);
    await Promise.all([visitor.waitForURL((u) => u.searchParams.get('departement') === '87'), visitor.click('form[action="/langue"] button')]);
    assert.equal(await visitor.getAttribute('html', 'lang'), 'fr');

    // The email alerts: from the list, the subscription form with the alerts' list.
    await Promise.all([visitor.waitForURL((u) => u.pathname === '/lettre'), visitor.getByRole('link', { name: 'Recevoir les nouveaux appels par email' }).first().click()]);
    assert.equal(await visitor.getByRole('checkbox', { name: /Alertes appels à projets/ }).count(), 1);
    await expectNoAxeViolations(visitor);
  });
});
