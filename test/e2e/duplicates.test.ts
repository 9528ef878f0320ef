import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { scanDuplicates } from '../../src/modules/duplicates/index.js';
import { runImportCommand } from '../../src/modules/imports/index.js';
import { QUEUE_PAGE_SIZE } from '../../src/modules/merge/views-queue.js';
import { addCandidate, addOrganisation, seedWorld, type World } from '../../src/modules/merge/test-world.js';
import { findOrganisationById } from '../../src/modules/organisations/index.js';
import { describeWithBrowser, expectNoAxeViolations, expectNoHorizontalScroll } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';
import { sharedDir } from '../helpers/paths.js';
import { CAPCOOP_FILE, RESODI_FILE } from '../helpers/predecessors.js';

const STAFF = { email: 'camille.doublons@example.org', password: 'Estuaire de la Gironde 2026!', displayName: 'Camille Équipe' };

describeWithBrowser('duplicates: review, merge and undo in a real browser', () => {
  let w: World;
  const e2e = useLiveBrowser({
    async seed(live) {
      await createActiveUser(live.kernel, { ...STAFF, role: 'staff' });
      // Candidate pairs stored directly, as the scan would store them.
      w = await seedWorld(live.kernel, 'Parcours');
      // Pairs enough, with low scores, for a second page of the queue.
      const base = await addOrganisation(live.kernel, { name: 'Association des ressortissants maliens de Saint-Médard-en-Jalles', commune: '33449' });
      for (let i = 0; i < 26; i++) {
        const other = await addOrganisation(live.kernel, { name: `Assoc. ressortissants maliens St-Médard ${i}`, commune: '33449' });
        await addCandidate(live.kernel, base.id, other.id, 'pending', 0.3 - i / 1000);
      }
    },
  });
  const { freshPage, visit, signIn } = e2e;

  test('staff open the queue, merge a pair with one field changed, see the public page, then undo', async () => {
    const p = await freshPage();
    await signIn(p, STAFF.email, STAFF.password);
    await visit(p, '/admin');
    assert.match(await p.locator('main').innerText(), /\d+\s+doublons à examiner/);

    await visit(p, '/admin/doublons');
    const queue = await p.locator('main').innerText();
    assert.match(queue, /Eau Vive Gironde Parcours/);
    assert.match(queue, /même téléphone/);
    await expectNoAxeViolations(p);

    await Promise.all([p.waitForURL(e2e.url(`/admin/doublons/${w.candidate}`)), p.click(`main a[href="/admin/doublons/${w.candidate}"]`)]);
    await expectNoAxeViolations(p);
    const absorbedSide = w.absorbed.id < w.survivor.id ? 'a' : 'b';
    const survivorSide = absorbedSide === 'a' ? 'b' : 'a';
    assert.ok(await p.isChecked(`#f-conserver-${survivorSide}`), 'the record created first is kept by default');
    // Both names are filled: the one that says more (more letters) is preselected; staff keep the other one.
    assert.ok(await p.isChecked(`#f-champ_name-${survivorSide}`));
    await p.check(`#f-champ_name-${absorbedSide}`);
    await Promise.all([p.waitForURL(/\/admin\/fusions\/[0-9a-f-]{36}$/), p.click('main form.merge-form button[type=submit]')]);
    const mergeUrl = p.url();
    assert.match(await p.locator('main').innerText(), /Fusion effectuée/);
    await expectNoAxeViolations(p);

    const survivor = (await findOrganisationById(e2e.live.kernel.db, w.survivor.id))!;
    assert.equal(survivor.name, w.absorbed.name, 'the name chosen in the form');
    assert.equal(survivor.slug, w.absorbed.slug, 'the address follows the name');
    assert.equal(survivor.website, w.absorbed.website, 'a default left alone');
    await Promise.all([p.waitForURL(e2e.url(`/acteurs/${survivor.slug}`)), p.click('main a:text("Voir la fiche publique")')]);
    const publicPage = await p.locator('main').innerText();
    assert.match(publicPage, new RegExp(w.absorbed.name));
    assert.match(publicPage, /Mali/, 'the united countries');
    await expectNoAxeViolations(p);
    for (const former of [w.survivor.slug, w.oldSlug]) {
      await p.goto(e2e.url(`/acteurs/${former}`));
      assert.equal(p.url(), e2e.url(`/acteurs/${survivor.slug}`), `the former address ${former} leads here`);
    }

    await visit(p, '/admin/fusions');
    assert.match(await p.locator('main').innerText(), /en vigueur/);
    await expectNoAxeViolations(p);

    await p.goto(mergeUrl);
    await Promise.all([p.waitForURL(e2e.url(`/admin/doublons/${w.candidate}`)), p.click('main button:text("Annuler la fusion")')]);
    assert.match(await p.locator('main').innerText(), /Fusion annulée/);
    await expectNoAxeViolations(p);
    const [absorbed, kept] = [await findOrganisationById(e2e.live.kernel.db, w.absorbed.id), await findOrganisationById(e2e.live.kernel.db, w.survivor.id)];
    assert.deepEqual([absorbed?.name, absorbed?.slug], [w.absorbed.name, w.absorbed.slug], 'both records are back, at their addresses');
    assert.deepEqual([kept?.name, kept?.slug], [w.survivor.name, w.survivor.slug]);
    // Asked of the server: the browser keeps the 301s it followed.
    for (const slug of [w.survivor.slug, w.absorbed.slug]) {
      assert.equal((await fetch(e2e.url(`/acteurs/${slug}`), { redirect: 'manual' })).status, 200, `${slug} is its record’s own address again`);
    }
  });

  test('"not a duplicate", and the comparison page at 320 px', async () => {
    const p = await freshPage(320);
    await signIn(p, STAFF.email, STAFF.password);
    await visit(p, '/admin/doublons');
    await expectNoHorizontalScroll(p, 320);
    await visit(p, `/admin/doublons/${w.candidate}`);
    await expectNoAxeViolations(p);
    await expectNoHorizontalScroll(p, 320);
    await Promise.all([p.waitForURL(e2e.url('/admin/doublons')), p.click('main button:text("Pas un doublon")')]);
    assert.match(await p.locator('main').innerText(), /Paire écartée/);
    await expectNoAxeViolations(p);
    await visit(p, '/admin/doublons?statut=dismissed');
    assert.match(await p.locator('main').innerText(), /Eau Vive Gironde Parcours/);
    await expectNoAxeViolations(p);
  });

  test('on a phone the queue is a list of cards, used with the keyboard; a pair opened from page 2 leads back there', async () => {
    const p = await freshPage(375);
    await signIn(p, STAFF.email, STAFF.password);
    await visit(p, '/admin/doublons?page=2');
    await expectNoHorizontalScroll(p, 375);
    // Each pair is a card as wide as the list, its cells one under the other, each named by its column.
    const card = await p.evaluate(() => {
      const wrap = document.querySelector('main .table-wrap')!;
      const cell = document.querySelector('main .merge-queue tbody td[data-label="Fiche A"]')!;
      return {
        overflow: wrap.scrollWidth - wrap.clientWidth,
        display: getComputedStyle(cell).display,
        label: getComputedStyle(cell, '::before').content,
        share: cell.getBoundingClientRect().width / wrap.clientWidth,
        header: document.querySelector('main .merge-queue thead')!.getBoundingClientRect().height,
      };
    });
    assert.equal(card.overflow, 0, 'nothing scrolls sideways');
    assert.equal(card.display, 'grid');
    assert.equal(card.label, '"Fiche A"');
    assert.ok(card.share > 0.8, `a cell takes the card’s width (${card.share})`);
    assert.ok(card.header <= 1, 'the column headers are left to screen readers');
    await expectNoAxeViolations(p);

    // The counts' labels wrap between words, never inside one (« Fusionnées automatique / ment »).
    const cutWords = await p.evaluate(() => {
      const cut: string[] = [];
      for (const label of Array.from(document.querySelectorAll('main .stats .stat-label'))) {
        const node = label.firstChild!;
        const text = node.textContent ?? '';
        for (const match of text.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const lines = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
          if (lines.size > 1) cut.push(match[0]);
        }
        if (label.scrollWidth > label.clientWidth + 1) cut.push(`${text} (overflows)`);
      }
      return cut;
    });
    assert.deepEqual(cutWords, [], 'no word of a count’s label is cut');

    // From the control before the list, Tab reaches the first pair's button, visibly, and Enter opens it.
    await p.focus('main .merge-scan button');
    await p.keyboard.press('Tab');
    const focused = await p.evaluate(() => {
      const el = document.activeElement!;
      return { href: el.getAttribute('href') ?? '', outline: getComputedStyle(el).outlineStyle };
    });
    assert.match(focused.href, /^\/admin\/doublons\/[0-9a-f-]{36}\?retour=%2Fadmin%2Fdoublons%3Fpage%3D2$/);
    assert.notEqual(focused.outline, 'none', 'the focus is visible');
    await Promise.all([p.waitForURL(e2e.url(focused.href)), p.keyboard.press('Enter')]);
    await expectNoHorizontalScroll(p, 375);
    await expectNoAxeViolations(p);
    assert.equal(await p.getAttribute('main .breadcrumb a', 'href'), '/admin/doublons?page=2');

    await Promise.all([p.waitForURL(e2e.url('/admin/doublons?page=2')), p.click('main button:text("Pas un doublon")')]);
    const back = await p.locator('main').innerText();
    assert.match(back, /Paire écartée/);
    assert.match(back, /Page 2 sur 2/, 'the page the pair was opened from');
    await expectNoAxeViolations(p);
  });

  test('the kept record’s history tells the merge in words; once a merged person is erased, the merge says it can no longer be undone', async () => {
    // Its own pair, seeded now: the tests before read the queue as seeded.
    const h = await seedWorld(e2e.live.kernel, 'Histoire');
    const p = await freshPage();
    await signIn(p, STAFF.email, STAFF.password);
    await visit(p, `/admin/doublons/${h.candidate}`);
    await Promise.all([p.waitForURL(/\/admin\/fusions\/[0-9a-f-]{36}$/), p.click('main form.merge-form button[type=submit]')]);
    const mergePath = new URL(p.url()).pathname;

    await visit(p, `/admin/organisations/${h.survivor.id}`);
    const history = (await p.locator('main #historique').innerText()).replace(/[\s\u00a0\u202f]+/g, ' ');
    assert.match(history, /Fusion avec « EAU VIVE Histoire » \(fiche absorbée\) : 2 contacts réunis\. Voir la fusion/);
    assert.doesNotMatch(history, /repointed|survivor|choices/);
    assert.equal(await p.getAttribute('main #historique a:text("Voir la fusion")', 'href'), mergePath);
    await expectNoAxeViolations(p);

    await visit(p, `/admin/contacts/${h.contacts.marieS}/effacer`);
    await Promise.all([p.waitForURL(e2e.url(`/admin/contacts/${h.contacts.marieS}`)), p.click('main button:text("Effacer définitivement")')]);
    await visit(p, mergePath);
    const main = (await p.locator('main').innerText()).replace(/[\s\u00a0\u202f]+/g, ' ');
    assert.match(main, /Annulation impossible Impossible d’annuler cette fusion : un contact fusionné a depuis été effacé/);
    assert.equal(await p.locator('main button:text("Annuler la fusion")').count(), 0, 'no undo button');
    await expectNoAxeViolations(p);
  });
});

interface ShownPair {
  id: string;
  /** The score cell as people read it (without the "may merge automatically" badge), spaces collapsed. */
  text: string;
}

/** The pairs of the queue page shown, in their order, with their score cell's text. */
async function shownPairs(p: Page): Promise<ShownPair[]> {
  return p.$$eval('main .merge-queue tbody tr', (rows) =>
    rows.map((row) => {
      const cell = row.querySelector('td')!.cloneNode(true) as HTMLElement;
      cell.querySelectorAll('.badge').forEach((badge) => badge.remove());
      const href = row.querySelector('a[href^="/admin/doublons/"]')!.getAttribute('href')!;
      return { id: href.split('?')[0]!.split('/').pop()!, text: (cell.textContent ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim() };
    }),
  );
}

/** Odds in bits: how the score (a probability) orders pairs when it is too close to 1 to read. */
function logOdds(score: number): number {
  return Math.log2(score / (1 - score));
}

/** "100 %" / "100%" / "100,0 %" / "100.0%" as a whole number. */
const HUNDRED = /(^|[^\d.,])100([.,]0+)? ?%/;

/**
 * Where a file name's lines break on screen: each break as the character before it. Read from the
 * characters' boxes, so it is what people see, whatever the markup.
 */
async function fileNameBreaks(p: Page, fileNames: string[]): Promise<{ name: string; lines: string[] }[]> {
  return p.evaluate((names) => {
    const found: { name: string; lines: string[] }[] = [];
    for (const cell of Array.from(document.querySelectorAll('main .merge-queue tbody td'))) {
      const chars: { char: string; top: number }[] = [];
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (let i = 0; i < text.length; i++) {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const rect = range.getClientRects()[0];
          chars.push({ char: text[i]!, top: rect ? Math.round(rect.top) : Number.NaN });
        }
      }
      const text = chars.map((c) => c.char).join('');
      for (const name of names) {
        for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
          const lines = [''];
          for (let i = at; i < at + name.length; i++) {
            if (i > at && chars[i]!.top > chars[i - 1]!.top) lines.push('');
            lines[lines.length - 1] += chars[i]!.char;
          }
          found.push({ name, lines });
        }
      }
    }
    return found;
  }, fileNames);
}

describeWithBrowser('duplicates: the queue of the predecessor networks’ sample, its scores and file names', () => {
  const staff = { email: 'sacha.scores@example.org', password: 'Dune du Pilat 2026 sable!', displayName: 'Sacha Équipe' };
  let scores = new Map<string, number>();
  let total = 0;
  const e2e = useLiveBrowser({
    async seed(live) {
      await createActiveUser(live.kernel, { ...staff, role: 'staff' });
      // Both exports through the importer, then the full scan: the queue staff get on their first day.
      for (const [file, source] of [[CAPCOOP_FILE, 'capcoop'], [RESODI_FILE, 'resodi']] as const) {
        const code = await runImportCommand(live.kernel, { file: sharedDir('samples', 'predecessors', file), source, mode: 'valid-only' }, { log: () => undefined });
        assert.ok(code === 0 || code === 3, `${file}: exit ${code}`);
      }
      await scanDuplicates({ db: live.kernel.db, clock: live.kernel.clock });
      const rows = await live.kernel.db.selectFrom('duplicate_candidates').select(['id', 'score']).where('status', '=', 'pending').execute();
      scores = new Map(rows.map((r) => [r.id, Number(r.score)]));
      total = rows.length;
    },
  });
  const { freshPage, visit, signIn } = e2e;

  test('each score tells its pair from the next, in the queue’s order, never “100 %” short of certainty; the pair page says the same', async () => {
    assert.ok(total > QUEUE_PAGE_SIZE, `the sample fills more than a page (${total} pairs)`);
    const p = await freshPage(1280);
    await signIn(p, staff.email, staff.password);
    const lastPage = Math.ceil(total / QUEUE_PAGE_SIZE);
    const shown: ShownPair[] = [];
    for (const page of [1, lastPage]) {
      await visit(p, page === 1 ? '/admin/doublons' : `/admin/doublons?page=${page}`);
      await expectNoHorizontalScroll(p, 1280);
      const overflow = await p.evaluate(() => {
        const wrap = document.querySelector('main .table-wrap')!;
        return wrap.scrollWidth - wrap.clientWidth;
      });
      assert.equal(overflow, 0, 'the list fits the screen');
      shown.push(...(await shownPairs(p)));
    }
    assert.ok(shown.length > QUEUE_PAGE_SIZE);
    for (const pair of shown) {
      const score = scores.get(pair.id)!;
      assert.ok(score !== undefined, pair.id);
      if (score < 1) assert.doesNotMatch(pair.text, HUNDRED, `a score of ${score} reads “${pair.text}”`);
    }
    // Pairs in the queue's order: a pair shown before another never reads lower, and two pairs
    // whose evidence differs by more than a tenth of a bit never read the same.
    for (let i = 0; i < shown.length; i++) {
      for (let j = i + 1; j < shown.length; j++) {
        const [x, y] = [scores.get(shown[i]!.id)!, scores.get(shown[j]!.id)!];
        assert.ok(x >= y, 'highest score first');
        if (logOdds(x) - logOdds(y) >= 0.15) assert.notEqual(shown[i]!.text, shown[j]!.text, `scores ${x} and ${y} read alike`);
        else if (x === y) assert.equal(shown[i]!.text, shown[j]!.text, 'equal scores read alike');
      }
    }
    const firstPage = shown.slice(0, QUEUE_PAGE_SIZE);
    assert.ok(new Set(firstPage.map((s) => s.text)).size >= 5, `the first page tells its pairs apart: ${firstPage.map((s) => s.text).join(' | ')}`);
    // French decimal comma on the probability (the lowest pairs) and on the evidence.
    assert.ok(shown.some((s) => /\d,\d ?%/.test(s.text)), shown.map((s) => s.text).join(' | '));
    assert.ok(shown.every((s) => !/\d\.\d/.test(s.text)));
    await expectNoAxeViolations(p);

    // The pair page says what its card said.
    const top = shown[0]!;
    await visit(p, `/admin/doublons/${top.id}`);
    const lead = (await p.locator('main .lead').first().innerText()).replace(/[\s\u00a0\u202f]+/g, ' ');
    for (const part of top.text.split(' ').filter((w) => /\d/.test(w))) assert.ok(lead.includes(part), `“${lead}” says ${part} as the queue does (${top.text})`);
    assert.doesNotMatch(lead, HUNDRED);

    // English: a decimal point.
    await p.context().addCookies([{ name: 'lang', value: 'en', url: e2e.url('/') }]);
    await visit(p, `/admin/doublons?page=${lastPage}`);
    const english = await shownPairs(p);
    assert.ok(english.some((s) => /\d\.\d%/.test(s.text)), english.map((s) => s.text).join(' | '));
    assert.ok(english.every((s) => !/\d,\d/.test(s.text) && !HUNDRED.test(s.text)));
  });

  test('the safe pairs are offered in one action, confirmed on a page that says how many and by which rule; an imported record names its file', async () => {
    const safe = await e2e.live.kernel.db.selectFrom('duplicate_candidates').select(['organisation_a_id']).where('status', '=', 'pending').where('auto_mergeable', '=', 1).execute();
    assert.ok(safe.length > 0, 'the sample has safe pairs');
    const p = await freshPage(1280);
    await signIn(p, staff.email, staff.password);
    await visit(p, '/admin/doublons');
    const label = `Fusionner les ${safe.length.toLocaleString('fr-FR')} paires sûres`.replace(/[\s\u00a0\u202f]+/g, ' ');
    const link = p.locator('main a[href="/admin/doublons/fusion-automatique"]');
    assert.equal((await link.innerText()).replace(/[\s\u00a0\u202f]+/g, ' '), label);
    await Promise.all([p.waitForURL(e2e.url('/admin/doublons/fusion-automatique')), link.click()]);
    const page = (await p.locator('main').innerText()).replace(/[\s\u00a0\u202f]+/g, ' ');
    assert.match(page, /remplissent la règle de la fusion automatique/);
    assert.match(page, /au moins 99,5 %/);
    assert.equal((await p.locator('main form button[type=submit]').innerText()).replace(/[\s\u00a0\u202f]+/g, ' '), label);
    await expectNoAxeViolations(p);

    // An imported record's page: its file, row, reference and import.
    await visit(p, `/admin/organisations/${safe[0]!.organisation_a_id}`);
    const origins = (await p.locator('main #provenance').innerText()).replace(/[\s\u00a0\u202f]+/g, ' ');
    assert.match(origins, new RegExp(`Fichier « (${CAPCOOP_FILE}|${RESODI_FILE}) », ligne \\d+, référence \\S+ · import « (capcoop|resodi) » du`));
    assert.match((await p.getAttribute('main #provenance li a', 'href')) ?? '', /^\/admin\/imports\/[0-9a-f-]{36}$/);
    await expectNoAxeViolations(p);
  });

  test('on a phone, source file names wrap after “_”, “-” or “.”, and no card scrolls sideways', async () => {
    const p = await freshPage(375);
    await signIn(p, staff.email, staff.password);
    await visit(p, '/admin/doublons');
    await expectNoHorizontalScroll(p, 375);
    const overflow = await p.evaluate(() => {
      const wrap = document.querySelector('main .table-wrap')!;
      const cards = Array.from(document.querySelectorAll('main .merge-queue tbody tr')).map((tr) => tr.scrollWidth - tr.clientWidth);
      return { wrap: wrap.scrollWidth - wrap.clientWidth, cards: Math.max(...cards) };
    });
    assert.deepEqual(overflow, { wrap: 0, cards: 0 }, 'nothing scrolls sideways');
    const breaks = await fileNameBreaks(p, [CAPCOOP_FILE, RESODI_FILE]);
    assert.ok(breaks.length >= QUEUE_PAGE_SIZE, `every card names its records’ files (${breaks.length})`);
    for (const { name, lines } of breaks) {
      assert.equal(lines.join(''), name);
      for (const line of lines.slice(0, -1)) assert.match(line, /[_.-]$/, `${name} breaks as ${lines.join(' / ')}`);
    }
    assert.ok(breaks.some((b) => b.lines.length > 1), 'the names are too long for one line of a card: the test sees them wrap');
    await expectNoAxeViolations(p);
  });
});
