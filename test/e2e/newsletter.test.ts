import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newId } from '../../src/kernel/ids.js';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { MONTHLY_LIST_ID } from '../../src/modules/newsletter/index.js';
import { emailHash } from '../../src/modules/newsletter/tokens.js';
import { describeWithBrowser, expectNoAxeViolations } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';

const STAFF = { email: 'nadia.lettres@example.org', password: 'Lettre du réseau 2026 !', displayName: 'Nadia Lettres' };
const VISITOR = 'Fatou.Sarr@example.org';
/** « Lettre mensuelle », the list every install has (migration 1630), ticked by default. */
const LIST_ID = MONTHLY_LIST_ID;

describeWithBrowser('the newsletter in a real browser', () => {
  const e2e = useLiveBrowser({
    async seed(live) {
      await createActiveUser(live.kernel, { ...STAFF, role: 'staff' });
      const at = new Date().toISOString();
      // Someone subscribed long ago, so the mailing has more than one recipient.
      const id = newId();
      await live.kernel.db.insertInto('newsletter_subscribers').values({ id, email: 'ancienne@example.org', email_lower: 'ancienne@example.org', name: 'Ancienne Abonnée', organisation: null, contact_id: null, token: `jeton-e2e-${id.replace(/-/g, '')}`, created_at: at, updated_at: at }).execute();
      await live.kernel.db.insertInto('newsletter_subscriptions').values({ subscriber_id: id, list_id: LIST_ID, status: 'confirmed', created_at: at, updated_at: at }).execute();
    },
  });
  const { freshPage, visit, signIn } = e2e;
  const statusOf = async () => {
    const s = await e2e.live.kernel.db.selectFrom('newsletter_subscribers').select('id').where('email_lower', '=', VISITOR.toLowerCase()).executeTakeFirst();
    if (!s) return undefined;
    return (await e2e.live.kernel.db.selectFrom('newsletter_subscriptions').select('status').where('subscriber_id', '=', s.id).where('list_id', '=', LIST_ID).executeTakeFirst())?.status;
  };
  /** A link of the last mail sent to an address, made relative to the live app. */
  const linkTo = (address: string, pattern: RegExp) => {
    const mail = e2e.live.smtp.lastTo(address);
    assert.ok(mail, `a mail to ${address}`);
    return new URL(e2e.live.smtp.linkIn(mail, pattern)).pathname;
  };

  test('a visitor subscribes on /lettre, confirms from the email, and opens the preference centre', async () => {
    const p = await freshPage();
    await visit(p, '/lettre');
    await expectNoAxeViolations(p);
    await p.fill('#f-email', VISITOR);
    await p.fill('#f-name', 'Fatou Sarr');
    assert.equal(await p.isChecked(`input[name="lists"][value="${LIST_ID}"]`), true, 'the default list is ticked');
    await p.click('main form button[type=submit]');
    await p.waitForSelector('h1:has-text("Merci")');
    await expectNoAxeViolations(p);
    assert.equal(await statusOf(), 'unconfirmed');

    await e2e.live.kernel.jobs.runDue();
    const confirm = linkTo(VISITOR, /http:\/\/127\.0\.0\.1:\d+\/lettre\/confirmer\/[A-Za-z0-9_-]+/);
    await visit(p, confirm);
    await expectNoAxeViolations(p);
    await Promise.all([p.waitForLoadState('load'), p.click('main form button[type=submit]')]);
    await p.waitForSelector('h1:has-text("Abonnement confirmé")');
    await expectNoAxeViolations(p);
    assert.equal(await statusOf(), 'confirmed');

    await Promise.all([p.waitForURL(/\/preferences\//), p.click('text=Gérer mes abonnements et centres d’intérêt')]);
    await expectNoAxeViolations(p);
    assert.equal(await p.isChecked(`input[name="lists"][value="${LIST_ID}"]`), true);
  });

  test('staff create a mailing, preview its audience and send it with progress; a recipient unsubscribes from its link', async () => {
    const p = await freshPage();
    await signIn(p, STAFF.email, STAFF.password);
    await visit(p, '/admin/lettres');
    await expectNoAxeViolations(p);
    await Promise.all([p.waitForURL(/\/admin\/lettres\/nouvelle$/), p.click('text=Nouvel envoi')]);
    await expectNoAxeViolations(p);
    await p.fill('#f-subject', 'Lettre de décembre');
    await p.check(`input[name="lists"][value="${LIST_ID}"]`);
    // Plain text with a blank line and one inline tag: two paragraphs; it opens with its own greeting.
    await p.fill('#f-body', 'Bonjour à toutes et à tous.\n\nRencontre <b>régionale</b> le 12 décembre.');
    await Promise.all([p.waitForURL(/\/admin\/lettres\/[0-9a-f-]{36}$/), p.click('main form button[type=submit]')]);
    await expectNoAxeViolations(p);
    const mailingUrl = new URL(p.url()).pathname;

    // A refused test send: its summary, at the head of the test form, takes the focus and links to
    // the field, which keeps what was typed; nothing goes out.
    const mailsBefore = e2e.live.smtp.messages.length;
    await p.fill('#f-test-addresses', 'pas-une-adresse, test@example.org');
    await Promise.all([p.waitForLoadState('load'), p.click('button:text-is("Envoyer le test")')]);
    const summary = p.locator('#f-test-addresses >> xpath=ancestor::section[1]').locator('.error-summary');
    await summary.waitFor();
    assert.equal(await p.evaluate(() => document.activeElement?.className), 'error-summary', 'the summary has the focus');
    assert.equal(await summary.locator('h2').innerText(), 'Le formulaire contient 1 erreur\u00a0:');
    assert.equal(await summary.locator('a').innerText(), '«\u00a0pas-une-adresse\u00a0» n’est pas une adresse email valide.');
    assert.ok(await p.evaluate(() => { const r = document.querySelector('.error-summary')!.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }), 'the summary is scrolled into view');
    await summary.locator('a').click();
    assert.equal(await p.evaluate(() => document.activeElement?.id), 'f-test-addresses', 'its link leads to the field');
    assert.equal(await p.inputValue('#f-test-addresses'), 'pas-une-adresse, test@example.org');
    await expectNoAxeViolations(p);
    assert.equal(e2e.live.smtp.messages.length, mailsBefore, 'no test message sent');
    await visit(p, mailingUrl);

    // The preview: a back-office page with its heading, the email framed under a title.
    await Promise.all([p.waitForURL(/\/apercu$/), p.click('main a:text-is("Voir le message")')]);
    await p.waitForSelector('h1:has-text("Aperçu : Lettre de décembre")');
    const email = p.frameLocator('iframe[title="Aperçu sur ordinateur"]');
    await email.locator('text=Rencontre régionale le 12 décembre').waitFor();
    assert.equal(await email.locator('p', { hasText: 'Bonjour à toutes et à tous.' }).count(), 1);
    assert.equal(await email.locator('p', { hasText: 'Rencontre régionale' }).innerText(), 'Rencontre régionale le 12 décembre.', 'a paragraph of its own');
    assert.equal((await email.locator('body').innerText()).match(/Bonjour/g)?.length, 1, 'no greeting added before the text’s own');
    assert.match(await p.locator('main .nl-greeting').innerText(), /Le contenu commence par sa propre salutation/);
    await expectNoAxeViolations(p);
    // Its « Voir la version en ligne » opens the draft's online version for staff, marked as such.
    const online = await email.locator('a:has-text("Voir la version en ligne")').getAttribute('href');
    await visit(p, new URL(online!).pathname);
    assert.match(await p.locator('main').innerText(), /Brouillon : cette version en ligne n’est visible que par l’équipe/);
    assert.match(await p.locator('main').innerText(), /Rencontre régionale le 12 décembre/);
    await expectNoAxeViolations(p);
    // Without the staff member's session (the browser's tabs share it), the draft is not found.
    assert.equal((await fetch(e2e.url(new URL(online!).pathname))).status, 404, 'visitors cannot see a draft');

    await visit(p, mailingUrl);
    await Promise.all([p.waitForURL(/\/destinataires$/), p.click('text=Voir les destinataires')]);
    assert.match(await p.locator('main').innerText(), /2 destinataires si le message partait maintenant/);
    assert.match(await p.locator('main').innerText(), /fatou\.sarr@example\.org/i);
    await expectNoAxeViolations(p);

    await visit(p, mailingUrl);
    await p.click('text=Lancer l’envoi');
    await p.waitForSelector('text=Envoi lancé vers 2 destinataires.');
    assert.match(await p.locator('[data-progress="status"]').innerText(), /En cours d’envoi/);
    await expectNoAxeViolations(p);
    await e2e.live.kernel.jobs.runDue();
    // The page follows the send by itself and shows the end: its final figures, no rate nor estimated end.
    await p.waitForSelector('[data-progress="status"]:has-text("Envoyé")', { timeout: 15_000 });
    await p.waitForSelector('h2:has-text("Bilan de l’envoi")', { timeout: 15_000 });
    assert.equal(await p.locator('[data-progress="sent"]').innerText(), '2');
    const facts = await p.locator('#nl-progress-title + div').innerText();
    assert.match(facts, /Durée/);
    assert.match(facts, /Débit moyen/);
    assert.doesNotMatch(facts, /Fin estimée|Restants/);
    await expectNoAxeViolations(p);

    // The recipient unsubscribes from the link of the mailing: its list only, in one button; the
    // page then offers to leave everything, or to manage the subscriptions.
    const link = new URL(e2e.live.smtp.linkIn(e2e.live.smtp.lastTo(VISITOR)!, /http:\/\/127\.0\.0\.1:\d+\/desinscription\/[A-Za-z0-9_-]+\?liste=[0-9a-f,-]+/));
    assert.equal(link.searchParams.get('liste'), LIST_ID);
    const visitor = await freshPage();
    await visit(visitor, link.pathname + link.search);
    assert.match(await visitor.locator('main .lead').innerText(), /Ne plus recevoir «\s?Lettre mensuelle\s?»/);
    await expectNoAxeViolations(visitor);
    await Promise.all([visitor.waitForLoadState('load'), visitor.getByRole('button', { name: 'Me désinscrire', exact: true }).click()]);
    await visitor.waitForSelector('h1:has-text("Désinscription enregistrée")');
    assert.equal(await statusOf(), 'unsubscribed');
    const suppressed = () => e2e.live.kernel.db.selectFrom('newsletter_suppressions').select('reason').where('email_hash', '=', emailHash(VISITOR)).executeTakeFirst();
    assert.equal(await suppressed(), undefined, 'only the list is left');
    assert.equal(await visitor.getByRole('link', { name: 'Gérer mes abonnements' }).count(), 1);
    await expectNoAxeViolations(visitor);
    await Promise.all([visitor.waitForLoadState('load'), visitor.getByRole('button', { name: 'Me désinscrire de tout' }).click()]);
    await visitor.waitForSelector('h1:has-text("Désinscription enregistrée")');
    assert.match(await visitor.locator('main .lead').innerText(), /ne recevra plus de messages de/);
    assert.equal((await suppressed())?.reason, 'unsubscribed');

    // The archive shows the sent letter, and its web version opens.
    await visit(visitor, '/lettre');
    await Promise.all([visitor.waitForURL(/\/lettre\/.+/), visitor.click('text=Lettre de décembre')]);
    assert.match(await visitor.locator('main').innerText(), /Rencontre régionale le 12 décembre/);
    await expectNoAxeViolations(visitor);
  });

  test('staff leaving the subject empty are told which field; the greeting box, unticked, stays so and leaves the greeting out; a test email’s online link leads through sign-in to the draft', async () => {
    const p = await freshPage();
    await signIn(p, STAFF.email, STAFF.password);
    await visit(p, '/admin/lettres/nouvelle');
    // The greeting's box, ticked for a new mailing, says what a recipient without a known name reads.
    assert.equal(await p.isChecked('#f-greeting'), true);
    assert.equal(await p.locator('label[for="f-greeting"]').innerText(), 'Commencer par «\u00a0Bonjour Prénom Nom,\u00a0»');
    assert.match(await p.locator('#f-greeting-hint').innerText(), /une personne dont le nom n’est pas connu lit «\u00a0Bonjour,\u00a0»/);
    assert.match(String(await p.getAttribute('#f-greeting', 'aria-describedby')), /f-greeting-hint/);
    await expectNoAxeViolations(p);
    await p.uncheck('#f-greeting');
    await p.check(`input[name="lists"][value="${LIST_ID}"]`);
    await p.fill('#f-body', 'Les nouvelles de janvier.');
    await Promise.all([p.waitForLoadState('load'), p.click('main form button[type=submit]')]);
    const summary = p.locator('.error-summary');
    await summary.waitFor();
    assert.equal(await summary.locator('a').innerText(), 'Saisissez l’objet du message.');
    await summary.locator('a').click();
    assert.equal(await p.evaluate(() => document.activeElement?.id), 'f-subject');
    assert.equal(await p.isChecked('#f-greeting'), false, 'the refused form keeps the box unticked');
    await expectNoAxeViolations(p);
    await p.fill('#f-subject', 'Lettre de janvier');
    await Promise.all([p.waitForURL(/\/admin\/lettres\/[0-9a-f-]{36}$/), p.click('main form button[type=submit]')]);
    assert.equal(await p.isChecked('#f-greeting'), false);
    assert.match(await p.locator('main .nl-greeting').innerText(), /Aucune salutation ajoutée \(case décochée\)\u00a0: le message commence directement par son contenu/);
    await expectNoAxeViolations(p);

    await p.fill('#f-test-addresses', STAFF.email);
    await Promise.all([p.waitForLoadState('load'), p.click('button:text-is("Envoyer le test")')]);
    await p.waitForSelector(`text=Test envoyé à ${STAFF.email}`);
    const tested = e2e.live.smtp.lastTo(STAFF.email)!;
    assert.match(tested.parsed.text ?? '', /\n\nLes nouvelles de janvier\./);
    assert.doesNotMatch(`${tested.parsed.text ?? ''}${String(tested.parsed.html)}`, /Bonjour/, 'no greeting in the test email');
    const online = new URL(e2e.live.smtp.linkIn(e2e.live.smtp.lastTo(STAFF.email)!, /http:\/\/127\.0\.0\.1:\d+\/connexion\?suite=\S+/));
    // Read on another device, where nobody is signed in: the sign-in page, then the draft's online version.
    const elsewhere = await freshPage();
    await visit(elsewhere, `${online.pathname}${online.search}`);
    await expectNoAxeViolations(elsewhere);
    await elsewhere.fill('#f-email', STAFF.email);
    await elsewhere.fill('#f-password', STAFF.password);
    await Promise.all([elsewhere.waitForURL(/\/lettre\/[^/]+$/), elsewhere.click('main form button[type=submit]')]);
    assert.match(await elsewhere.locator('main').innerText(), /Brouillon\u00a0: cette version en ligne n’est visible que par l’équipe/);
    assert.match(await elsewhere.locator('main').innerText(), /Les nouvelles de janvier/);
    await expectNoAxeViolations(elsewhere);
  });

  test('someone subscribing from the English site manages their subscriptions in English, even from a French browser', async () => {
    const address = 'grace.hopper@example.org';
    const p = await freshPage();
    await visit(p, '/lettre');
    await Promise.all([p.waitForSelector('html[lang="en"]'), p.click('form[action="/langue"] button[value="en"]')]);
    await p.fill('#f-email', address);
    await p.click('main form button[type=submit]');
    await p.waitForSelector('h1:has-text("Thank you!")');

    // The email opened on another device: a French browser, without the switcher's cookie.
    await e2e.live.kernel.jobs.runDue();
    const confirm = linkTo(address, /http:\/\/127\.0\.0\.1:\d+\/lettre\/confirmer\/[A-Za-z0-9_-]+/);
    const other = await freshPage();
    await visit(other, confirm);
    await Promise.all([other.waitForLoadState('load'), other.click('main form button[type=submit]')]);
    await other.waitForSelector('h1:has-text("Subscription confirmed")');
    await Promise.all([other.waitForURL(/\/preferences\//), other.click('text=Manage my subscriptions and interests')]);
    assert.equal(await other.getAttribute('html', 'lang'), 'en');
    await other.waitForSelector('h1:has-text("Your subscriptions")');
    await expectNoAxeViolations(other);

    // The language switcher still works there.
    await Promise.all([other.waitForSelector('h1:has-text("Vos abonnements")'), other.click('form[action="/langue"] button[value="fr"]')]);
    assert.equal(await other.getAttribute('html', 'lang'), 'fr');
  });
});
