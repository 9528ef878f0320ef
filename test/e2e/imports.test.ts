import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { describeWithBrowser, expectNoAxeViolations, expectNoHorizontalScroll } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';
import { SMALL_CSV } from '../helpers/import-batches.js';
import { sharedDir } from '../helpers/paths.js';
import { CAPCOOP_FILE, RESODI_FILE } from '../helpers/predecessors.js';

const STAFF = { email: 'camille.imports@example.org', password: 'Estuaire de la Gironde 2026!', displayName: 'Camille Imports' };

describeWithBrowser('imports: the wizard, the duplicate scan and merges in a real browser', () => {
  const e2e = useLiveBrowser({
    async seed(live) {
      await createActiveUser(live.kernel, { ...STAFF, role: 'staff' });
    },
  });
  const { freshPage, visit, signIn } = e2e;

  async function submit(p: Page, selector: string, url: RegExp | string) {
    await Promise.all([p.waitForURL(url), p.click(selector)]);
  }

  /** The words of these elements' text that the layout cut over two lines (« avertisseme / nt »). */
  function wordsCut(p: Page, selector: string): Promise<string[]> {
    // A string: the test's compiler would wrap a named function with a helper the page lacks.
    return p.evaluate(`(() => {
      const cut = [];
      for (const element of document.querySelectorAll(${JSON.stringify(selector)})) {
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (const word of node.data.matchAll(/\\S+/g)) {
            const range = document.createRange();
            range.setStart(node, word.index);
            range.setEnd(node, word.index + word[0].length);
            if (range.getClientRects().length > 1) cut.push(word[0]);
          }
        }
      }
      return cut;
    })()`) as Promise<string[]>;
  }

  /** Upload → detection → mapping (as guessed) → report → "valid rows only" → progress to the end. */
  async function importSample(p: Page, file: string, source: string, encoding: RegExp): Promise<string> {
    await visit(p, '/admin/imports');
    await expectNoAxeViolations(p);
    await p.setInputFiles('#f-fichier', sharedDir('samples/predecessors', file));
    await p.fill('#f-source', source);
    await submit(p, 'main form[action="/admin/imports"] button[type=submit]', /\/admin\/imports\/[0-9a-f-]{36}\/fichier$/);
    const id = p.url().split('/').at(-2)!;
    const detection = await p.locator('main').innerText();
    assert.match(detection, encoding);
    assert.match(detection, /Premières lignes \(10\)/);
    // The reading form (native selects): the detected encoding preselected and marked.
    const preselected = await p.locator('#f-encodage option:checked').innerText();
    assert.match(preselected, /\(détecté\)$/);
    assert.match(preselected, encoding);
    await expectNoAxeViolations(p);

    await submit(p, 'main a:text("Continuer : correspondance des colonnes")', e2e.url(`/admin/imports/${id}/correspondance`));
    assert.equal(await p.inputValue('main select[id^="f-col_"] >> nth=0'), source === 'capcoop' ? 'name' : 'source_ref', 'the guessed field is preselected');
    await expectNoAxeViolations(p);
    await submit(p, 'main button:text("Valider le fichier")', e2e.url(`/admin/imports/${id}/rapport`));
    // The file is checked by a job: the page shows its progress, polls it, and shows the report at the end.
    assert.match(await p.locator('.import-progress-text').innerText(), /Vérification en attente de démarrage/);
    await expectNoAxeViolations(p);
    await e2e.live.kernel.jobs.runDue();
    await p.waitForSelector('main :text("lignes valides")');
    const report = await p.locator('main').innerText();
    assert.match(report, /lignes valides/);
    assert.match(report, /Télécharger le rapport \(CSV\)/);
    // Both files repeat organisations (one contact per row; the second file overlaps the first).
    assert.match(report, /Doublon possible/);
    await expectNoAxeViolations(p);

    assert.ok(await p.isChecked('#f-mode-valid-only'), '"valid rows only" is the default');
    await p.fill('#f-date', '2016-09-01');
    await submit(p, 'main button:text("Importer")', e2e.url(`/admin/imports/${id}`));
    assert.match(await p.locator('.import-progress-text').innerText(), /0 % : 0 sur [\d\s\u202f]+ lignes/);
    assert.equal(await p.locator('.import-batch-status').innerText(), 'En attente');
    await expectNoAxeViolations(p);
    // A worker starting the batch: the polled page's badge follows, without a reload.
    const at = e2e.live.kernel.clock.now().toISOString();
    await e2e.live.kernel.db.updateTable('import_batches').set({ status: 'running', run_started_at: at, progress_at: at }).where('id', '=', id).execute();
    await p.waitForSelector('.import-batch-status.import-status-running:text("En cours")');
    // The worker of a real server; the page polls its progress meanwhile, then reloads at the end.
    await e2e.live.kernel.jobs.runDue();
    await p.waitForSelector('progress[value="100"]');
    await p.waitForSelector('main :text("structures créées")');
    assert.match(await p.locator('.import-progress-text').innerText(), /100 %/);
    await expectNoAxeViolations(p);
    return id;
  }

  test('staff import both predecessor exports, scan for duplicates, merge three pairs and undo one merge', async () => {
    const p = await freshPage();
    await signIn(p, STAFF.email, STAFF.password);
    await visit(p, '/admin');
    await submit(p, 'nav a[href="/admin/imports"]', e2e.url('/admin/imports'));

    await importSample(p, CAPCOOP_FILE, 'capcoop', /Windows-1252/);
    await importSample(p, RESODI_FILE, 'resodi', /UTF-8 avec BOM/);

    await submit(p, 'main button:text("Lancer l’analyse des doublons")', /\/admin\/imports\/[0-9a-f-]{36}$/);
    assert.match(await p.locator('main').innerText(), /Analyse des doublons lancée/);
    await expectNoAxeViolations(p);
    await e2e.live.kernel.jobs.runDue();

    await submit(p, 'main a:text("Examiner les doublons")', e2e.url('/admin/doublons'));
    await expectNoAxeViolations(p);
    const merges: string[] = [];
    for (let i = 0; i < 3; i++) {
      await visit(p, '/admin/doublons');
      await submit(p, 'main table a.button[href^="/admin/doublons/"] >> nth=0', /\/admin\/doublons\/[0-9a-f-]{36}$/);
      await expectNoAxeViolations(p);
      await submit(p, 'main form.merge-form button[type=submit]', /\/admin\/fusions\/[0-9a-f-]{36}$/);
      assert.match(await p.locator('main').innerText(), /Fusion effectuée/);
      await expectNoAxeViolations(p);
      merges.push(new URL(p.url()).pathname);
    }

    await visit(p, '/admin/fusions');
    await expectNoAxeViolations(p);
    await submit(p, `main a[href="${merges[0]}"]`, e2e.url(merges[0]!));
    await submit(p, 'main button:text("Annuler la fusion")', /\/admin\/doublons\/[0-9a-f-]{36}$/);
    assert.match(await p.locator('main').innerText(), /Fusion annulée/);
    await expectNoAxeViolations(p);
  });

  test('the wizard pages at 320 px, and an import undone with its confirmation', async () => {
    const p = await freshPage(320);
    await signIn(p, STAFF.email, STAFF.password);
    await visit(p, '/admin/imports');
    await expectNoHorizontalScroll(p, 320);
    // Two organisations and a row without a name (an error of the report).
    await p.setInputFiles('#f-fichier', { name: 'petit.csv', mimeType: 'text/csv', buffer: Buffer.from(`${SMALL_CSV};Association;33000;Bordeaux;\n`) });
    await submit(p, 'main form[action="/admin/imports"] button[type=submit]', /\/fichier$/);
    await expectNoHorizontalScroll(p, 320);
    await submit(p, 'main a:text("Continuer : correspondance des colonnes")', /\/correspondance$/);
    await expectNoHorizontalScroll(p, 320);
    // Each radio of the visibility sits beside the first line of its label, however many lines it takes.
    const offsets = await p.evaluate(() =>
      Array.from(document.querySelectorAll('#f-visibilite .field-check')).map((choice) => {
        const radio = choice.querySelector('input')!.getBoundingClientRect();
        const range = document.createRange();
        range.selectNodeContents(choice.querySelector('label')!);
        const line = range.getClientRects()[0]!;
        return Math.round(Math.abs(radio.top + radio.height / 2 - (line.top + line.height / 2)));
      }),
    );
    assert.ok(offsets.length === 3 && offsets.every((offset) => offset <= 3), `radios beside their label's first line (${offsets.join(', ')} px off)`);
    await submit(p, 'main button:text("Valider le fichier")', /\/rapport$/);
    await expectNoHorizontalScroll(p, 320);
    await e2e.live.kernel.jobs.runDue();
    await p.waitForSelector('main :text("lignes valides")');
    await expectNoHorizontalScroll(p, 320);
    assert.deepEqual(await wordsCut(p, 'main .stat-label'), [], 'the counts’ labels wrap between words');
    // The issue is a card: its message across the card, the whole of it a few lines high.
    const card = await p.evaluate(() => {
      const wrap = document.querySelector('main .import-table-wrap')!;
      const row = document.querySelector('main .import-issues tbody tr')!;
      return {
        overflow: wrap.scrollWidth - wrap.clientWidth,
        share: row.querySelector('.import-issue-message')!.getBoundingClientRect().width / wrap.clientWidth,
        height: row.getBoundingClientRect().height,
        row: getComputedStyle(row.querySelector('.import-issue-row')!, '::before').content,
        levelBeside: Math.abs(row.querySelector('.import-issue-row')!.getBoundingClientRect().top - row.querySelector('.import-issue-level')!.getBoundingClientRect().top),
      };
    });
    assert.equal(card.overflow, 0, 'nothing scrolls sideways');
    assert.ok(card.share > 0.8, `the message takes the card's width (${card.share})`);
    assert.match(card.row, /^"Ligne/, 'the row number is named');
    assert.ok(card.levelBeside < 4, 'the level sits beside the row number');
    assert.ok(card.height < 220, `a compact card, its value line left out when empty (${card.height} px)`);
    await expectNoAxeViolations(p);
    await submit(p, 'main button:text("Importer")', /\/admin\/imports\/[0-9a-f-]{36}$/);
    await e2e.live.kernel.jobs.runDue();
    await p.waitForSelector('main :text("structures créées")');
    await expectNoHorizontalScroll(p, 320);
    await expectNoAxeViolations(p);

    await submit(p, 'main a:text("Annuler cet import")', /\/annuler$/);
    assert.match(await p.locator('main').innerText(), /Les 2 structures/);
    await expectNoHorizontalScroll(p, 320);
    await expectNoAxeViolations(p);
    // Sent, the form says the undo is under way until the server answers (held back here: the
    // page's own submit handler runs, the navigation does not), and a second click sends nothing.
    // A string: the test's compiler would wrap a named function with a helper the page lacks.
    await p.evaluate(`(() => {
      const hold = (event) => event.preventDefault();
      window.addEventListener('submit', hold, true);
      window.releaseSubmit = () => window.removeEventListener('submit', hold, true);
    })()`);
    await p.click('main button:text("Oui, annuler l’import")');
    assert.match(await p.locator('.form-busy').innerText(), /^Annulation en cours : les fiches de cet import sont supprimées/);
    assert.equal(await p.getAttribute('main form[data-busy]', 'aria-busy'), 'true');
    await expectNoAxeViolations(p);
    await p.evaluate('window.releaseSubmit()');
    const sent: string[] = [];
    p.on('request', (request) => {
      if (request.method() === 'POST') sent.push(request.url());
    });
    await p.click('main button:text("Oui, annuler l’import")', { force: true });
    await p.waitForTimeout(300);
    assert.deepEqual(sent, [], 'a second click does not send the form again');
    // Unmarked (as a fresh page would be), the form is sent for real.
    await p.evaluate(`(() => {
      const form = document.querySelector('main form[data-busy]');
      form.removeAttribute('aria-busy');
      for (const button of form.querySelectorAll('button')) button.removeAttribute('aria-disabled');
    })()`);
    await submit(p, 'main button:text("Oui, annuler l’import")', /\/admin\/imports\/[0-9a-f-]{36}$/);
    assert.match(await p.locator('main').innerText(), /Import annulé : 2 structures/);
    await expectNoAxeViolations(p);
  });

  test('a refused mapping leads to its selects; an upload left as a draft is deleted after a confirmation', async () => {
    const p = await freshPage();
    await signIn(p, STAFF.email, STAFF.password);
    await visit(p, '/admin/imports');
    await p.setInputFiles('#f-fichier', { name: 'abandonne.csv', mimeType: 'text/csv', buffer: Buffer.from(SMALL_CSV) });
    await submit(p, 'main form[action="/admin/imports"] button[type=submit]', /\/fichier$/);
    await submit(p, 'main a:text("Continuer : correspondance des colonnes")', /\/correspondance$/);
    const cp = p.getByLabel('Champ pour « CP »', { exact: true });
    const cpId = (await cp.getAttribute('id'))!;
    await p.getByLabel('Champ pour « Ville »', { exact: true }).selectOption('postcode');
    await Promise.all([p.waitForResponse((r) => r.request().method() === 'POST' && r.status() === 400), p.click('main button:text("Valider le fichier")')]);
    await p.waitForFunction(() => document.activeElement?.classList.contains('error-summary'), undefined, { timeout: 5000 });
    assert.match(await p.locator('.error-summary').innerText(), /Colonne « CP » : le champ « Code postal » est aussi choisi pour « Ville »/);
    assert.equal(await cp.getAttribute('aria-invalid'), 'true');
    assert.equal(await p.locator(`#${await cp.getAttribute('aria-describedby')}`).innerText(), await p.locator(`.error-summary a[href="#${cpId}"]`).innerText());
    await expectNoAxeViolations(p);
    await p.click(`.error-summary a[href="#${cpId}"]`);
    await p.waitForFunction((id) => document.activeElement?.id === id, cpId, { timeout: 5000 });

    await visit(p, '/admin/imports');
    await submit(p, 'main a:has-text("Supprimer abandonne.csv")', /\/admin\/imports\/[0-9a-f-]{36}#supprimer$/);
    await expectNoAxeViolations(p);
    await Promise.all([p.waitForResponse((r) => r.request().method() === 'POST' && r.status() === 400), p.click('main button:text("Supprimer l’import")')]);
    assert.match(await p.locator('.error-summary').innerText(), /Cochez « Je confirme la suppression de cet import »/);
    await expectNoAxeViolations(p);
    await p.check('#f-confirmer');
    await submit(p, 'main button:text("Supprimer l’import")', e2e.url('/admin/imports'));
    const list = await p.locator('main').innerText();
    assert.match(list, /Import du fichier abandonne\.csv supprimé/);
    assert.equal(await p.locator('td.import-file-name:text-is("abandonne.csv")').count(), 0, 'gone from the list');
    await expectNoAxeViolations(p);
  });
});
