import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { insertTestEvent } from '../../src/modules/registrations/test-fixtures-repo.js';
import { describeWithBrowser, expectNoAxeViolations, expectNoHorizontalScroll, expectNoScrollingTables } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';
import { repoRoot } from '../helpers/paths.js';

const SCREENSHOTS = path.join(repoRoot, '.tmp', 'screenshots');

const STAFF = { email: 'nadia.inscriptions@example.org', password: 'Inscriptions du réseau 2026 !', displayName: 'Nadia Inscriptions' };

describeWithBrowser('registrations in a real browser', () => {
  let slug = '';
  /** Another event, for the back office: several people registered, another event to move them to. */
  let listed = { id: '', slug: '' };
  /** An event without questions yet: staff add them in its registration settings. */
  let asking = { id: '', slug: '' };
  /** An event someone registers for from the English site. */
  let english = { id: '', slug: '' };
  /** An event someone comes to on their own, without an organisation. */
  let alone = { id: '', slug: '' };
  /** An event whose participant staff start to erase (RGPD), then cancel at the confirmation. */
  let erasing = { id: '', slug: '' };
  const e2e = useLiveBrowser({
    async seed(live) {
      const event = await insertTestEvent(live.kernel.db, { capacity: 1, title: 'Journée de la solidarité internationale' });
      slug = event.slug;
      await createActiveUser(live.kernel, { ...STAFF, role: 'staff' });
      listed = await insertTestEvent(live.kernel.db, { capacity: 2, title: 'Formation : monter un projet de coopération' });
      await insertTestEvent(live.kernel.db, { title: 'Assemblée générale du réseau régional' });
      asking = await insertTestEvent(live.kernel.db, { title: 'Forum des associations de solidarité' });
      english = await insertTestEvent(live.kernel.db, { title: 'Rencontre eau et assainissement' });
      alone = await insertTestEvent(live.kernel.db, { title: 'Journée régionale multi-acteurs' });
      erasing = await insertTestEvent(live.kernel.db, { title: 'Atelier : données personnelles et associations' });
    },
  });
  const { freshPage, visit, signIn } = e2e;

  async function register(p: Page, first: string, last: string, email: string, at = slug): Promise<string> {
    await visit(p, `/agenda/${at}/inscription`);
    await p.fill('#f-first_name', first);
    await p.fill('#f-last_name', last);
    await p.fill('#f-email', email);
    await p.fill('#f-organisation_name', 'Eau Vive Gironde');
    await p.selectOption('#f-organisation_kind', 'association');
    await p.selectOption('#f-organisation_department', '33');
    await p.check('#f-consent');
    // Answered at the confirmation page's own address (POST-redirect-GET).
    await Promise.all([p.waitForURL(e2e.url(`/agenda/${at}/inscription/confirmation`)), p.click('#registration-form button[type=submit]:not([form])')]);
    await p.waitForSelector('main [role=status]');
    return p.locator('main').innerText();
  }

  async function mailTo(address: string, subject: RegExp) {
    for (let i = 0; i < 50; i++) {
      await e2e.live.kernel.jobs.runDue();
      const found = e2e.live.smtp.messages.find((m) => m.envelopeTo.some((a) => a.toLowerCase() === address) && subject.test(m.parsed.subject ?? ''));
      if (found) return found;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no mail "${subject}" to ${address}`);
  }

  test('register, get the confirmation, cancel through the link: the waitlisted person is promoted', async () => {
    const p = await freshPage();
    // The event page says the seats left before anyone registers.
    await visit(p, `/agenda/${slug}`);
    assert.match(await p.locator('main .event-registration').innerText(), /1 place restante/);
    assert.equal((await p.locator('main .event-registration a.button').innerText()).trim(), 'S’inscrire');
    await visit(p, `/agenda/${slug}/inscription`);
    await expectNoAxeViolations(p);
    // A mistake first: the message is tied to its field.
    await p.click('#registration-form button[type=submit]:not([form])');
    await p.waitForSelector('#f-email-error');
    await expectNoAxeViolations(p);

    assert.match(await register(p, 'Awa', 'Diallo', 'awa@example.org'), /Votre place est réservée/);
    await expectNoAxeViolations(p);
    const other = await freshPage(375);
    assert.match(await register(other, 'Marc', 'Lopez', 'marc@example.org'), /liste d’attente \(position 1\)/);
    await expectNoHorizontalScroll(other, 375);
    // Full now: the event page says so at once (its cached copy ends with the registration), and its button leads to the waiting list.
    await visit(other, `/agenda/${slug}`);
    assert.match(await other.locator('main .event-registration').innerText(), /Complet — inscription en liste d’attente/);
    assert.doesNotMatch(await other.locator('main .event-registration').innerText(), /place restante/);
    assert.equal((await other.locator('main .event-registration a.button').innerText()).trim(), 'S’inscrire en liste d’attente');
    await expectNoAxeViolations(other);
    await expectNoHorizontalScroll(other, 375);
    await visit(other, '/agenda');
    assert.equal((await other.locator('main .event-card', { hasText: 'Journée de la solidarité internationale' }).locator('.badge-full').innerText()).trim(), 'Complet');

    const confirmation = await mailTo('awa@example.org', /Inscription confirmée/);
    assert.equal(confirmation.parsed.attachments[0]?.contentType, 'text/calendar');
    const link = e2e.live.smtp.linkIn(confirmation, /http:\/\/127\.0\.0\.1:\d+\/inscriptions\/[A-Za-z0-9_-]+/);

    const owner = await freshPage();
    await owner.goto(link);
    assert.match(await owner.locator('main').innerText(), /Inscrit·e/);
    await expectNoAxeViolations(owner);
    // The save button and the cancel panel stand apart.
    const gap = await owner.evaluate(() => {
      const save = document.querySelector('#modify-title')!.closest('section')!.querySelector('button[type=submit]')!.getBoundingClientRect();
      return document.querySelector('#cancel-title')!.closest('section')!.getBoundingClientRect().top - save.bottom;
    });
    assert.ok(gap >= 24, `${gap} px between « Enregistrer les modifications » and the cancel panel`);
    // Cancelling asks to confirm, on a page of its own; « Non » goes back, nothing changed.
    await Promise.all([owner.waitForURL(/\/annuler$/), owner.click('main .reg-cancel a.button-danger')]);
    assert.equal(await owner.locator('main h1').innerText(), 'Confirmer l’annulation : Journée de la solidarité internationale');
    await expectNoAxeViolations(owner);
    await Promise.all([owner.waitForURL(link), owner.click('text=Non, garder mon inscription')]);
    assert.match(await owner.locator('main').innerText(), /Inscrit·e/);
    // With the keyboard only: Tab to the cancel link, Enter, Tab to « Oui, annuler », Enter.
    const tabTo = async (text: RegExp) => {
      for (let i = 0; i < 60; i++) {
        await owner.keyboard.press('Tab');
        if (text.test(await owner.evaluate(() => document.activeElement?.textContent?.trim() ?? ''))) return;
      }
      assert.fail(`${text} cannot be reached with Tab`);
    };
    await tabTo(/^Annuler mon inscription$/);
    await Promise.all([owner.waitForURL(/\/annuler$/), owner.keyboard.press('Enter')]);
    await tabTo(/^Oui, annuler mon inscription$/);
    await Promise.all([owner.waitForURL(/annulation=faite/), owner.keyboard.press('Enter')]);
    await owner.waitForSelector('main .flash-success');
    assert.match(await owner.locator('main').innerText(), /Votre inscription est annulée/);
    await expectNoAxeViolations(owner);

    const promoted = await mailTo('marc@example.org', /Une place s’est libérée/);
    assert.match(promoted.parsed.text ?? '', /Journée de la solidarité internationale/);
    const marcLink = e2e.live.smtp.linkIn(promoted, /http:\/\/127\.0\.0\.1:\d+\/inscriptions\/[A-Za-z0-9_-]+/);
    await owner.goto(marcLink);
    assert.match(await owner.locator('main').innerText(), /Inscrit·e/);
  });

  test('someone registering from the English site gets their confirmation in English, date and summary included', async () => {
    const p = await freshPage();
    await visit(p, `/agenda/${english.slug}/inscription`);
    await Promise.all([p.waitForSelector('html[lang="en"]'), p.click('form[action="/langue"] button[value="en"]')]);
    assert.match(await register(p, 'Grace', 'Hopper', 'grace@example.org', english.slug), /Your seat is booked/);
    const mail = await mailTo('grace@example.org', /^Registration confirmed: Rencontre eau et assainissement$/);
    const text = mail.parsed.text ?? '';
    assert.match(text, /^Hello Grace Hopper,/);
    assert.match(text, /\nDate: (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \d+ [A-Z][a-z]+ \d{4}, /);
    for (const line of ['Summary of your registration', '- Name: Grace Hopper', '- Organisation: Eau Vive Gironde', '- Status: Registered']) {
      assert.ok(text.includes(line), `the email has « ${line} »:\n${text}`);
    }
    assert.doesNotMatch(text, /Bonjour|Récapitulatif|Inscrit·e/);
  });

  test('searching the directory for one’s organisation keeps what was typed; no match says so', async () => {
    const p = await freshPage();
    await visit(p, `/agenda/${slug}/inscription`);
    await p.fill('#f-first_name', 'Léa');
    await p.fill('#f-last_name', 'Martin');
    await p.fill('#f-email', 'lea@example.org');
    await p.selectOption('#f-organisation_kind', 'association');
    await p.check('#f-consent');
    await p.fill('#f-find-q', 'Zzzyx introuvable');
    await Promise.all([p.waitForURL(/q=Zzzyx/), p.click('main [role="search"] button[type=submit]')]);
    await p.waitForLoadState('load');
    assert.match(await p.locator('main').innerText(), /Aucune structure de l’annuaire ne correspond à « Zzzyx introuvable » : indiquez son nom ci-dessous/);
    assert.deepEqual(
      [await p.inputValue('#f-first_name'), await p.inputValue('#f-last_name'), await p.inputValue('#f-email'), await p.inputValue('#f-organisation_kind')],
      ['Léa', 'Martin', 'lea@example.org', 'association'],
      'the details typed before the search are still there',
    );
    assert.equal(await p.isChecked('#f-consent'), false, 'consent is never ticked for the person');
    await expectNoAxeViolations(p);
  });

  test('someone coming on their own ticks « Je viens à titre individuel » and registers without an organisation', async () => {
    const p = await freshPage(375);
    await visit(p, `/agenda/${alone.slug}/inscription`);
    // Said before sending: the group is required, and how to come without an organisation.
    const fieldset = p.locator('#f-organisation_id');
    assert.match(await fieldset.locator('legend').innerText(), /^Votre structure\s\*$/);
    assert.match(await p.locator('#f-organisation_id-hint').innerText(), /^Obligatoire\s:\s.*Cochez\s«\sJe viens à titre individuel\s»\.$/);
    await p.fill('#f-first_name', 'Inès');
    await p.fill('#f-last_name', 'Bernard');
    await p.fill('#f-email', 'ines.bernard@example.org');
    await p.fill('#f-organisation_name', 'Association à oublier');
    await p.check('#f-individual');
    assert.ok(await p.locator('#f-organisation_name').isDisabled(), 'ticked, the structure fields are greyed out');
    assert.ok(await p.locator('#f-organisation_kind').isDisabled());
    await p.uncheck('#f-individual');
    assert.equal(await p.inputValue('#f-organisation_name'), 'Association à oublier', 'unticked, they come back as typed');
    await p.fill('#f-organisation_name', '');
    await p.check('#f-individual');
    // The directory search stands in the structure's group: greyed out with it, nothing to search for.
    assert.ok(await p.locator('#f-find-q').isDisabled(), 'ticked, the directory search is greyed out too');
    assert.ok(await p.locator('main [role="search"] button[type=submit]').isDisabled());
    await p.check('#f-consent');
    await expectNoAxeViolations(p);
    await expectNoHorizontalScroll(p, 375);
    await Promise.all([p.waitForURL(e2e.url(`/agenda/${alone.slug}/inscription/confirmation`)), p.click('#registration-form button[type=submit]:not([form])')]);
    await p.waitForSelector('main [role=status]');
    assert.match(await p.locator('main .reg-recap').innerText(), /Structure\s+À titre individuel/);
    await expectNoAxeViolations(p);
  });

  test('reloading the confirmation sends nothing again and shows the same page', async () => {
    const p = await freshPage();
    const text = await register(p, 'Lina', 'Ndiaye', 'lina@example.org', listed.slug);
    assert.match(text, /Votre place est réservée/);
    assert.equal(await p.locator('main h1').innerText(), 'Inscription enregistrée : Formation : monter un projet de coopération');
    assert.match(await p.title(), /^Inscription enregistrée : Formation : monter un projet de coopération · /);
    await expectNoAxeViolations(p);
    const posts: string[] = [];
    p.on('request', (r) => {
      if (r.method() !== 'GET') posts.push(`${r.method()} ${r.url()}`);
    });
    for (let i = 0; i < 2; i++) {
      const res = await p.reload();
      assert.equal(res?.status(), 200);
      assert.equal(await p.locator('main').innerText(), text, 'the same confirmation, not « déjà inscrite »');
    }
    assert.deepEqual(posts, [], 'reloading does not send the form again');
    await mailTo('lina@example.org', /Inscription confirmée/);
    await e2e.live.kernel.jobs.runDue();
    assert.equal(e2e.live.smtp.messages.filter((m) => m.envelopeTo.some((a) => a.toLowerCase() === 'lina@example.org')).length, 1, 'one email');
    const rows = await e2e.live.kernel.db.selectFrom('registrations').select('id').where('event_id', '=', listed.id).where('email_lower', '=', 'lina@example.org').execute();
    assert.equal(rows.length, 1);

    // The same address again: the page a new registration gets, never « déjà inscrite » (the link goes by email).
    const again = await freshPage(375);
    assert.doesNotMatch(await register(again, 'Lina', 'Ndiaye', 'LINA@example.org', listed.slug), /déjà inscrite/);
    assert.equal(await again.locator('main h1').innerText(), 'Inscription enregistrée : Formation : monter un projet de coopération');
    await expectNoAxeViolations(again);
    await expectNoHorizontalScroll(again, 375);
    // Another visitor opening the address gets the form, not someone else’s confirmation.
    const stranger = await freshPage();
    await visit(stranger, `/agenda/${listed.slug}/inscription/confirmation`);
    assert.equal(new URL(stranger.url()).pathname, `/agenda/${listed.slug}/inscription`);
    assert.ok(await stranger.isVisible('#registration-form'));
  });

  test('a past event: the tab’s title and the heading agree', async () => {
    const past = await insertTestEvent(e2e.live.kernel.db, {
      title: 'Rencontre de l’an passé',
      starts_at: new Date(Date.now() - 5 * 86_400_000).toISOString(),
      ends_at: new Date(Date.now() - 5 * 86_400_000 + 3_600_000).toISOString(),
    });
    const p = await freshPage();
    await visit(p, `/agenda/${past.slug}/inscription`);
    const heading = await p.locator('main h1').innerText();
    assert.equal(heading, 'Inscriptions fermées : Rencontre de l’an passé');
    assert.ok((await p.title()).startsWith(`${heading} · `), await p.title());
    assert.match(await p.locator('main').innerText(), /Cet événement est terminé\./);
    await expectNoAxeViolations(p);
  });

  test('back office: the move form fits its cell, the sign-in sheet fits a phone and prints its last line', async () => {
    // Two more people at the event: its list then holds three rows.
    for (const [first, last, email] of [
      ['Marc', 'Martin-Lefebvre de la Tour', 'marc.martin@example.org'],
      ['Sophie', 'Sow', 'sophie@example.org'],
    ] as const) {
      await register(await freshPage(), first, last, email, listed.slug);
    }
    const p = await freshPage();
    await signIn(p, STAFF.email, STAFF.password);
    const moveForm = () =>
      p.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLSelectElement>('.reg-participants select[name=target]')).map((select) => {
          const button = select.form!.querySelector('button')!;
          // The width the chosen option's text needs, in the select's own font.
          const probe = document.createElement('span');
          probe.style.cssText = `position:absolute;white-space:pre;font:${getComputedStyle(select).font}`;
          probe.textContent = select.options[select.selectedIndex]!.text;
          document.body.append(probe);
          const needed = probe.getBoundingClientRect().width;
          probe.remove();
          const style = getComputedStyle(select);
          const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          const range = document.createRange();
          range.selectNodeContents(button);
          return { text: select.options[select.selectedIndex]!.text, needed, room, buttonLines: new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size };
        }),
      );
    // A phone, a small tablet, a small laptop, a laptop: the list fits its frame at each.
    for (const width of [375, 800, 1024, 1280]) {
      await p.setViewportSize({ width, height: 900 });
      await visit(p, `/admin/agenda/${listed.id}/inscriptions`);
      await p.screenshot({ path: path.join(SCREENSHOTS, `registrations-participants-${width}.png`), fullPage: true });
      const forms = await moveForm();
      assert.equal(forms.length, 3);
      for (const f of forms) {
        assert.equal(f.buttonLines, 1, `« Déplacer » on one line at ${width} px`);
        // The arrow is drawn inside the content box: it needs about 16 px beside the text.
        assert.ok(f.needed + 16 <= f.room, `« ${f.text} » fits its select at ${width} px (${f.needed} px of text, ${f.room} px of room)`);
      }
      await expectNoHorizontalScroll(p, width);
      await expectNoScrollingTables(p);
      // An address wraps only where it may (after « @ », before a dot, after a hyphen), never mid-word.
      const addresses = await p.evaluate(() =>
        Array.from(document.querySelectorAll('.reg-participants td.email')).map((td) => {
          let shown = '';
          let last: number | null = null;
          const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (let i = 0; i < node.textContent!.length; i++) {
              const range = document.createRange();
              range.setStart(node, i);
              range.setEnd(node, i + 1);
              const top = Math.round(range.getClientRects()[0]!.top);
              if (last !== null && top !== last) shown += '\n';
              shown += node.textContent![i];
              last = top;
            }
          }
          return shown;
        }),
      );
      assert.ok(addresses.length >= 3);
      for (const shown of addresses) {
        for (const cut of shown.split('\n').slice(1).map((_, i) => shown.split('\n').slice(0, i + 1).join(''))) {
          const next = shown.replace(/\n/g, '')[cut.length];
          assert.ok(/[@-]$/.test(cut) || next === '.', `« ${shown.replace(/\n/g, '⏎')} » breaks mid-word at ${width} px`);
        }
      }
      if (width === 1280) assert.deepEqual(addresses.filter((a) => a.length <= 20 && a.includes('\n')), [], 'short addresses hold on one line on a laptop');
      await expectNoAxeViolations(p);
    }

    await p.setViewportSize({ width: 375, height: 900 });
    await visit(p, `/admin/agenda/${listed.id}/emargement`);
    await expectNoHorizontalScroll(p, 375);
    const spill = await p.evaluate(() => {
      const table = document.querySelector('.reg-sheet table')!;
      return table.getBoundingClientRect().right - table.parentElement!.getBoundingClientRect().right;
    });
    assert.ok(spill <= 0, `the sheet spills ${spill} px past its container at 375 px`);
    await expectNoAxeViolations(p);
    await p.emulateMedia({ media: 'print' });
    const lastRow = await p.evaluate(() =>
      Array.from(document.querySelectorAll('.reg-sheet tbody tr:last-child td')).map((td) => {
        const style = getComputedStyle(td);
        return `${style.borderBottomWidth} ${style.borderBottomStyle}`;
      }),
    );
    assert.deepEqual(lastRow, ['1px solid', '1px solid', '1px solid', '1px solid'], 'the last line is closed on paper');
    await p.emulateMedia({ media: 'screen' });
  });

  test('staff build two registration questions with the keyboard; a visitor then answers them on the form', async () => {
    const p = await freshPage();
    await signIn(p, STAFF.email, STAFF.password);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const settings = `/admin/agenda/${asking.id}/inscriptions/reglages`;
    await visit(p, settings);
    await expectNoAxeViolations(p);
    const focused = () => p.evaluate(() => document.activeElement?.id ?? '');
    const tabTo = async (id: string, key = 'Tab') => {
      for (let i = 0; i < 40; i++) {
        await p.keyboard.press(key);
        if ((await focused()) === id) return;
      }
      assert.fail(`#${id} cannot be reached with ${key}`);
    };
    const requests: string[] = [];
    p.on('request', (r) => {
      if (r.method() !== 'GET') requests.push(`${r.method()} ${r.url()}`);
    });

    // Question 1, in the empty row the page offers: free text (the default), required.
    await tabTo('f-q0_kind');
    await p.keyboard.press('Tab');
    assert.equal(await focused(), 'f-q0_label');
    await p.keyboard.type('Vos attentes pour ce forum');
    await p.keyboard.press('Tab');
    await p.keyboard.press('Space');
    assert.equal(await p.isChecked('#f-q0_required'), true);
    assert.equal(await p.isVisible('#f-q0_options'), false, 'no choices to type for a free-text question');

    // « Ajouter une question » adds a row in place: no request, the keyboard in its label.
    await tabTo('add-question');
    await p.keyboard.press('Enter');
    await p.waitForSelector('#f-q1_label');
    assert.equal(await focused(), 'f-q1_label');
    assert.deepEqual(requests, [], 'the row is added without reloading');
    assert.equal(await p.locator('.reg-questions-status').innerText(), 'Question 2 ajoutée : remplissez-la, puis enregistrez les réglages.');
    assert.equal(await p.locator('.reg-question').nth(1).locator('legend').innerText(), 'Question 2');

    // Question 2: a choice from a list, typed one choice a line.
    await p.keyboard.type('Repas du midi');
    await p.keyboard.press('Shift+Tab');
    assert.equal(await focused(), 'f-q1_kind');
    await p.keyboard.press('ArrowDown');
    assert.equal(await p.inputValue('#f-q1_kind'), 'choice');
    assert.equal(await p.isVisible('#f-q1_options'), true, 'the choices show for a choice question');
    await tabTo('f-q1_options');
    await p.keyboard.type('Végétarien');
    await p.keyboard.press('Enter');
    await p.keyboard.type('Sans porc');
    await p.keyboard.press('Enter');
    await p.keyboard.type('Sans régime particulier');
    await p.screenshot({ path: path.join(SCREENSHOTS, 'registrations-questions-typed-1280.png'), fullPage: true });
    await expectNoAxeViolations(p);

    // « Monter » on question 2 (the page comes back with it first, the keyboard still on its buttons).
    await tabTo('q1-up');
    await Promise.all([p.waitForURL(e2e.url(settings)), p.waitForEvent('load'), p.keyboard.press('Enter')]);
    assert.equal(await focused(), 'q0-down', 'after the move, the keyboard is on the moved question’s « Descendre »');
    assert.deepEqual(await p.locator('.reg-question input[name$="_label"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)), ['Repas du midi', 'Vos attentes pour ce forum']);
    assert.equal(await p.inputValue('#f-q0_options'), 'Végétarien\nSans porc\nSans régime particulier', 'typed choices kept');
    assert.equal(await p.isChecked('#f-q1_required'), true);
    assert.match(await p.locator('.reg-questions-status').innerText(), /Question déplacée en position 1/);
    await expectNoAxeViolations(p);

    // Enter in a field saves the settings (it does not move a question).
    await tabTo('f-q1_label');
    await Promise.all([p.waitForURL(e2e.url(settings)), p.waitForEvent('load'), p.keyboard.press('Enter')]);
    await p.waitForSelector('main .flash-success');
    assert.match(await p.locator('main .flash-success').innerText(), /Les réglages des inscriptions sont enregistrés/);
    assert.deepEqual(await p.locator('.reg-question input[name$="_label"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)), ['Repas du midi', 'Vos attentes pour ce forum', '']);
    await expectNoAxeViolations(p);
    await p.screenshot({ path: path.join(SCREENSHOTS, 'registrations-questions-1280.png'), fullPage: true });

    // A mistake: the summary links to the field, the values stay.
    await p.fill('#f-q2_label', '');
    await p.selectOption('#f-q2_kind', 'choice');
    await p.fill('#f-q2_label', 'Atelier préféré');
    await p.fill('#f-q2_options', 'Un seul choix');
    await Promise.all([p.waitForEvent('load'), p.click('main form.reg-settings > button.button-primary')]);
    assert.equal(await p.locator('.error-summary a').innerText(), 'Question 3 : une question à choix demande au moins deux choix.');
    assert.equal(await p.inputValue('#f-q2_label'), 'Atelier préféré');
    await p.screenshot({ path: path.join(SCREENSHOTS, 'registrations-questions-error-1280.png'), fullPage: true });
    await p.click('.error-summary a');
    assert.equal(await focused(), 'f-q2_options');
    await expectNoAxeViolations(p);

    await p.setViewportSize({ width: 375, height: 900 });
    await visit(p, settings);
    await expectNoAxeViolations(p);
    await expectNoHorizontalScroll(p, 375);
    await p.screenshot({ path: path.join(SCREENSHOTS, 'registrations-questions-375.png'), fullPage: true });

    // The visitor's form asks both questions, in that order; the required one is said so.
    const visitor = await freshPage();
    await visit(visitor, `/agenda/${asking.slug}/inscription`);
    const text = await visitor.locator('main').innerText();
    assert.ok(text.indexOf('Repas du midi') > 0 && text.indexOf('Repas du midi') < text.indexOf('Vos attentes pour ce forum'), text);
    const meal = visitor.getByLabel('Repas du midi');
    assert.deepEqual(await meal.locator('option').allInnerTexts(), ['— Choisir —', 'Végétarien', 'Sans porc', 'Sans régime particulier']);
    assert.equal(await visitor.getByLabel('Vos attentes pour ce forum').getAttribute('required'), '');
    await meal.selectOption('Sans porc');
    await visitor.getByLabel('Vos attentes pour ce forum').fill('Rencontrer des partenaires au Sénégal');
    await visitor.fill('#f-first_name', 'Fatou');
    await visitor.fill('#f-last_name', 'Sarr');
    await visitor.fill('#f-email', 'fatou@example.org');
    await visitor.fill('#f-organisation_name', 'Eau Vive Gironde');
    await visitor.selectOption('#f-organisation_kind', 'association');
    await visitor.check('#f-consent');
    await Promise.all([visitor.waitForURL(e2e.url(`/agenda/${asking.slug}/inscription/confirmation`)), visitor.click('#registration-form button[type=submit]:not([form])')]);
    assert.match(await visitor.locator('main').innerText(), /Votre place est réservée/);
    // The confirmation recaps the answers as given, each beside its question, readable on a phone.
    const recap = await visitor.locator('main .reg-recap').innerText();
    assert.match(recap, /Repas du midi\s+Sans porc/);
    assert.match(recap, /Vos attentes pour ce forum\s+Rencontrer des partenaires au Sénégal/);
    await expectNoAxeViolations(visitor);
    await visitor.setViewportSize({ width: 375, height: 800 });
    await expectNoHorizontalScroll(visitor, 375);
    await visitor.screenshot({ path: path.join(SCREENSHOTS, 'registrations-recap-375.png'), fullPage: true });
    const answers = await e2e.live.kernel.db.selectFrom('registrations').select('answers').where('event_id', '=', asking.id).executeTakeFirstOrThrow();
    assert.deepEqual(Object.values(JSON.parse(answers.answers) as Record<string, string>).sort(), ['Rencontrer des partenaires au Sénégal', 'Sans porc']);
  });

  test('without script, « Ajouter une question » posts the form and brings it back with one more row, nothing typed lost', async () => {
    const p = await freshPage();
    await signIn(p, STAFF.email, STAFF.password);
    await p.route('**/assets/registrations-settings.js', (route) => route.abort());
    const settings = `/admin/agenda/${listed.id}/inscriptions/reglages`;
    await visit(p, settings);
    await p.fill('#f-capacity', '12');
    await p.fill('#f-q0_label', 'Comment avez-vous connu le réseau ?');
    await Promise.all([p.waitForEvent('load'), p.click('#add-question')]);
    assert.equal(await p.inputValue('#f-capacity'), '12');
    assert.equal(await p.inputValue('#f-q0_label'), 'Comment avez-vous connu le réseau ?');
    assert.equal(await p.inputValue('#f-q1_label'), '');
    assert.equal(await p.evaluate(() => document.activeElement?.id), 'f-q1_label', 'the keyboard is in the new row');
    assert.match(await p.locator('.reg-questions-status').innerText(), /Question 2 ajoutée/);
    const stored = await e2e.live.kernel.db.selectFrom('events').select(['questions', 'capacity']).where('id', '=', listed.id).executeTakeFirstOrThrow();
    assert.deepEqual([stored.questions, stored.capacity], ['[]', 2], 'nothing saved yet');
    await expectNoAxeViolations(p);
  });
  test('erasing a person’s registrations first shows what will go, and « Annuler » erases nothing', async () => {
    await register(await freshPage(), 'Inès', 'Effacement', 'ines.effacement@example.org', erasing.slug);
    const p = await freshPage();
    await signIn(p, STAFF.email, STAFF.password);
    const participants = `/admin/agenda/${erasing.id}/inscriptions`;
    await visit(p, participants);
    await p.fill('#f-erase-email', 'Ines.Effacement@example.org');
    await Promise.all([p.waitForEvent('load'), p.locator('form[action="/admin/inscriptions/effacer"] button[type=submit]').click()]);
    assert.match(await p.locator('main h1').innerText(), /^Effacer les inscriptions de cette personne\s\?$/);
    assert.match(await p.locator('main .reg-erase-list').innerText(), /Atelier\s: données personnelles et associations/);
    assert.equal(await p.locator('main button[type=submit]').innerText(), 'Effacer définitivement cette inscription');
    await expectNoAxeViolations(p);
    await p.screenshot({ path: path.join(SCREENSHOTS, 'registrations-erase-confirm-1280.png'), fullPage: true });
    await Promise.all([p.waitForURL(e2e.url(participants)), p.click('text=Annuler, ne rien effacer')]);
    assert.match(await p.locator('main').innerText(), /Effacement/, 'nothing erased: the person is still listed');
    const kept = await e2e.live.kernel.db.selectFrom('registrations').select('id').where('event_id', '=', erasing.id).execute();
    assert.equal(kept.length, 1);
  });
});
