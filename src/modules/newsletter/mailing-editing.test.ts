import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { newId } from '../../kernel/ids.js';
import { parseLocalDateTime } from '../../kernel/time/zoned.js';
import { opensWithGreeting, paragraphed, textBlocks } from './blocks.js';
import { newsletterDeps } from './deps.js';
import { MONTHLY_LIST_ID } from './lists.js';
import { saveNewsletterSettings } from './settings.js';

// What staff writing a mailing meet: the greeting the email adds, paragraphs of text mixed with a
// few tags, the test email's link to the online version, the end of a send, the form's errors.

async function post(client: Client, url: string, fields: Array<[string, string]>) {
  const body = new URLSearchParams(fields);
  body.set('_csrf', await client.csrf());
  return client.request('POST', url, { payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

/** French spacing (no-break spaces before « : » and inside guillemets) read as plain spaces. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');
const summaryOf = (body: string) => /<div class="error-summary"[^>]*>([\s\S]*?)<\/div>/.exec(body)?.[1] ?? '';

test('a mailing opening with its own greeting is recognised, in French and English, from its first written block only', () => {
  const text = (html: string) => [{ type: 'text', html }];
  for (const opening of ['<p>Bonjour,</p>', '<p>Bonjour à toutes et à tous.</p>', '<p><strong>Chères et chers membres</strong>,</p>', '<p>Cher·e·s adhérent·e·s,</p>', '<p>Madame, Monsieur,</p>', '<p>« Bonjour »</p>', '<p>Dear friends,</p>', 'Bonsoir\n\nSuite']) {
    assert.equal(opensWithGreeting(text(opening)), true, opening);
  }
  for (const opening of ['<p>Agenda du mois</p>', '<p>Hiver au Sénégal</p>', '<p>Cherbourg accueille la rencontre.</p>', '<h2>Rencontre</h2><p>Bonjour à tous</p>', '']) {
    assert.equal(opensWithGreeting(text(opening)), false, opening);
  }
  // The bulletin's editorial counts (any block whose content is written text), but only first.
  assert.equal(opensWithGreeting([{ type: 'editorial', title: 'Édito', html: 'Bonjour,\n\nVoici le mois.' }]), true);
  assert.equal(opensWithGreeting([{ type: 'news', title: 'À la une', items: [] }, { type: 'editorial', title: 'Édito', html: 'Bonjour,' }]), false);
});

test('text typed with blank lines and a few inline tags keeps its paragraphs; block HTML stays as written', () => {
  assert.deepEqual(textBlocks('Bonjour à tous.\n\nLa <b>rencontre</b> a lieu jeudi.\nSalle 2.\n\nÀ bientôt.'), [{ type: 'text', html: '<p>Bonjour à tous.</p><p>La <b>rencontre</b> a lieu jeudi.<br />Salle 2.</p><p>À bientôt.</p>' }]);
  assert.deepEqual(textBlocks('<h2>Agenda</h2><p>Un</p>\n\n<p>Deux</p>'), [{ type: 'text', html: '<h2>Agenda</h2><p>Un</p>\n\n<p>Deux</p>' }]);
  assert.deepEqual(textBlocks('3 < 5 &amp; 6'), [{ type: 'text', html: '<p>3 &lt; 5 &amp;amp; 6</p>' }]);
  // Stored without any block (an editorial, an older draft): paragraphs at render, nothing escaped twice.
  assert.equal(paragraphed('<b>Agenda</b> du mois\n\nTom &amp; Jerry\nà 18 h'), '<p><b>Agenda</b> du mois</p><p>Tom &amp; Jerry<br>à 18 h</p>');
  assert.equal(paragraphed('<p>Déjà</p>\n\n<p>fait</p>'), '<p>Déjà</p>\n\n<p>fait</p>');
});

forEachDialect('newsletter: writing a mailing (greeting, paragraphs, test link, end of send, errors)', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let listId = '';
  const db = () => t.kernel.db;
  const mailingRow = (id: string) => db().selectFrom('newsletter_mailings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  async function createMailing(fields: Array<[string, string]>): Promise<string> {
    const res = await post(staff, '/admin/lettres/nouvelle', [['from_name', 'Réseau Test'], ['lists', listId], ...fields]);
    assert.equal(res.statusCode, 303, res.body.slice(0, 3000));
    return String(res.headers.location).split('/').pop()!;
  }

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff');
    // The list every install has (migration 1630): public, double opt-in.
    listId = MONTHLY_LIST_ID;
    const at = new Date().toISOString();
    for (const [email, name] of [['awa.traore@example.org', 'Awa Traoré'], ['bruno@example.org', null], ['chantal@example.org', 'Chantal Martin']] as const) {
      const id = newId();
      await db().insertInto('newsletter_subscribers').values({ id, email, email_lower: email, name, organisation: null, contact_id: null, token: `jeton-${id.replace(/-/g, '')}`, created_at: at, updated_at: at }).execute();
      await db().insertInto('newsletter_subscriptions').values({ subscriber_id: id, list_id: listId, status: 'confirmed', created_at: at, updated_at: at }).execute();
    }
    await saveNewsletterSettings(newsletterDeps(t.kernel), { ratePerSecond: 0, ratePerHour: 0 });
  });
  after(() => t.close());

  test('the new mailing form answers at /nouveau and /nouvel too, the query kept', async () => {
    for (const guessed of ['nouveau', 'nouvel']) {
      const res = await staff.get(`/admin/lettres/${guessed}?liste=${listId}`);
      assert.equal(res.statusCode, 301, guessed);
      assert.equal(res.headers.location, `/admin/lettres/nouvelle?liste=${listId}`);
    }
  });

  test('the form says the email adds « Bonjour Prénom Nom, » and what it says without a name', async () => {
    const page = await staff.get('/admin/lettres/nouvelle');
    assert.equal(page.statusCode, 200);
    // Said by the greeting's box (greeting.test.ts), next to the content's field.
    const hint = plain(/<p class="hint" id="f-greeting-hint">([^<]*)<\/p>/.exec(page.body)?.[1] ?? '');
    assert.match(plain(page.body), /<label for="f-greeting">Commencer par « Bonjour Prénom Nom, »<\/label>/);
    assert.match(hint, /une personne dont le nom n’est pas connu lit « Bonjour, »/);
    assert.match(hint, /aucune n’est ajoutée/);
    assert.match(page.body, /<textarea id="f-body" name="body"[^>]*aria-describedby="f-body-hint"/);
  });

  test('a body opening with « Bonjour, » is not greeted a second time; one without a greeting gets it, with the fallback said', async () => {
    const own = await createMailing([['subject', 'Lettre avec salutation'], ['body', 'Bonjour,\n\nVoici les nouvelles du mois.']]);
    const html = (await staff.get(`/admin/lettres/${own}/apercu?format=courriel`)).body;
    assert.doesNotMatch(html, /Bonjour Camille Exemple/);
    assert.equal(html.match(/Bonjour/g)?.length, 1, 'a single greeting');
    const text = plain((await staff.get(`/admin/lettres/${own}/apercu?format=texte`)).body);
    assert.match(text, /^Voir la version en ligne : http:\/\/localhost:3000\/lettre\/\S+\n\nBonjour,\n\nVoici les nouvelles du mois\./);
    assert.match(plain((await staff.get(`/admin/lettres/${own}/apercu`)).body), /Le contenu commence par sa propre salutation : le message n’en ajoute pas\./);
    assert.match((await staff.get(`/admin/lettres/${own}`)).body, /Le contenu commence par sa propre salutation/);

    const unGreeted = await createMailing([['subject', 'Lettre sans salutation'], ['body', 'Voici les nouvelles du mois.']]);
    assert.match((await staff.get(`/admin/lettres/${unGreeted}/apercu?format=courriel`)).body, /Bonjour Camille Exemple,/);
    const preview = plain((await staff.get(`/admin/lettres/${unGreeted}/apercu`)).body);
    assert.match(preview, /Salutation ajoutée en tête du message : « Bonjour Prénom Nom, », ou « Bonjour, » quand le nom n’est pas connu\./);

    // A mailing in English: its own « Dear friends » is kept alone; the note quotes the English words.
    const english = await createMailing([['subject', 'Spring letter'], ['body', 'Dear friends,\n\nNews from the network.'], ['locale', 'en']]);
    const englishHtml = (await staff.get(`/admin/lettres/${english}/apercu?format=courriel`)).body;
    assert.doesNotMatch(englishHtml, /Hello Camille/);
    const news = await createMailing([['subject', 'Summer letter'], ['body', 'News from the network.'], ['locale', 'en']]);
    assert.match(plain((await staff.get(`/admin/lettres/${news}/apercu`)).body), /« Hello Prénom Nom, », ou « Hello, »/);

    // The bulletin's editorial written « Bonjour, » (first block): no second greeting either.
    const bulletin = await createMailing([['subject', 'Bulletin de mars'], ['body', 'x']]);
    await db()
      .updateTable('newsletter_mailings')
      .set({ blocks: JSON.stringify([{ type: 'editorial', key: 'b1', title: 'Édito', html: 'Bonjour,\n\nLe mois a été <b>riche</b>.' }]) })
      .where('id', '=', bulletin)
      .execute();
    const editorial = (await staff.get(`/admin/lettres/${bulletin}/apercu?format=texte`)).body;
    assert.doesNotMatch(editorial, /Bonjour Camille Exemple/);
    assert.match(editorial, /Bonjour,\n\nLe mois a été riche\./, 'the editorial keeps its paragraphs too');

    // Sent: each recipient gets one greeting, theirs or the text's.
    assert.equal((await post(staff, `/admin/lettres/${own}/envoyer`, [['when', 'now']])).statusCode, 303);
    await t.kernel.jobs.runDue();
    const awa = t.smtp.lastTo('awa.traore@example.org')!;
    assert.doesNotMatch(awa.parsed.text ?? '', /Awa Traoré/);
    assert.equal((awa.parsed.text ?? '').match(/Bonjour/g)?.length, 1);
  });

  test('blank-line paragraphs survive one <b> tag: in the stored draft, the email, its text part and the web version', async () => {
    const id = await createMailing([['subject', 'Paragraphes'], ['body', 'Premier paragraphe.\n\nLa <b>rencontre</b> a lieu jeudi.\n\nDernier paragraphe.']]);
    const blocks = JSON.parse((await mailingRow(id)).blocks) as { html: string }[];
    assert.equal(blocks[0]!.html, '<p>Premier paragraphe.</p><p>La <b>rencontre</b> a lieu jeudi.</p><p>Dernier paragraphe.</p>');
    const html = (await staff.get(`/admin/lettres/${id}/apercu?format=courriel`)).body;
    assert.match(html, /<p style="[^"]*">Premier paragraphe\.<\/p>\s*<p style="[^"]*">La <b>rencontre<\/b> a lieu jeudi\.<\/p>\s*<p style="[^"]*">Dernier paragraphe\.<\/p>/);
    const text = (await staff.get(`/admin/lettres/${id}/apercu?format=texte`)).body;
    assert.match(text, /Premier paragraphe\.\n\nLa rencontre a lieu jeudi\.\n\nDernier paragraphe\./);
    const slug = (await mailingRow(id)).slug;
    const web = (await staff.get(`/lettre/${slug}`)).body;
    assert.match(web, /<p>Premier paragraphe\.<\/p>\s*<p>La <b>rencontre<\/b> a lieu jeudi\.<\/p>\s*<p>Dernier paragraphe\.<\/p>/);
    // A draft saved before (its text stored as typed, one run of text): shown with its paragraphs too.
    await db()
      .updateTable('newsletter_mailings')
      .set({ blocks: JSON.stringify([{ type: 'text', html: 'Ancien brouillon.\n\nAvec <b>gras</b>.' }]) })
      .where('id', '=', id)
      .execute();
    assert.match((await staff.get(`/admin/lettres/${id}/apercu?format=texte`)).body, /Ancien brouillon\.\n\nAvec gras\./);
  });

  test('the draft’s text area shows the text as typed, a link included, not the HTML stored', async () => {
    const typed = 'Chers amis,\n\nVoici les nouvelles du réseau.\n<a href="https://example.org/agenda">Voir l’agenda</a>';
    const id = await createMailing([['subject', 'Texte tapé'], ['body', typed]]);
    const page = (await staff.get(`/admin/lettres/${id}`)).body;
    const area = /<textarea[^>]*name="body"[^>]*>([\s\S]*?)<\/textarea>/.exec(page)?.[1] ?? '';
    const shown = area.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    assert.equal(shown, typed);
  });

  test('a test email’s « Voir la version en ligne » leads staff to the draft’s online version through sign-in, never to a 404', async () => {
    const id = await createMailing([['subject', 'Lettre à tester'], ['body', 'Rencontre régionale le 12 mars.']]);
    const { slug } = await mailingRow(id);
    assert.equal((await post(staff, `/admin/lettres/${id}/test`, [['addresses', 'essai@example.org']])).statusCode, 303);
    const mail = t.smtp.lastTo('essai@example.org')!;
    const expected = `http://localhost:3000/connexion?suite=%2Flettre%2F${slug}`;
    assert.ok(String(mail.parsed.html).includes(`href="${expected}"`), 'the HTML link');
    assert.match(plain(String(mail.parsed.html)), /Voir la version en ligne \(réservée à l’équipe jusqu’à l’envoi\)/);
    assert.ok(plain(mail.parsed.text ?? '').startsWith(`Voir la version en ligne (réservée à l’équipe jusqu’à l’envoi) : ${expected}\n`));
    const link = new URL(expected);
    // Opened where nobody is signed in: the sign-in page, which leads back there.
    const visitor = t.client();
    const signIn = await visitor.get(`${link.pathname}${link.search}`);
    assert.equal(signIn.statusCode, 200);
    assert.match(signIn.body, new RegExp(`name="suite" value="/lettre/${slug}"`));
    const colleague = await t.loginAs('staff', 'redactrice@example.org');
    // Opened where staff are signed in: straight to the draft's online version.
    const straight = await colleague.get(`${link.pathname}${link.search}`);
    assert.equal(straight.statusCode, 303);
    assert.equal(straight.headers.location, `/lettre/${slug}`);
    const page = await colleague.get(`/lettre/${slug}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Rencontre régionale le 12 mars/);
    // The preview (staff, signed in) and the real send keep the online version's own address.
    assert.match(plain((await staff.get(`/admin/lettres/${id}/apercu?format=texte`)).body), new RegExp(`^Voir la version en ligne : http://localhost:3000/lettre/${slug}\\n`));
    assert.equal((await post(staff, `/admin/lettres/${id}/envoyer`, [['when', 'now']])).statusCode, 303);
    await t.kernel.jobs.runDue();
    assert.ok(plain(t.smtp.lastTo('bruno@example.org')!.parsed.text ?? '').startsWith(`Voir la version en ligne : http://localhost:3000/lettre/${slug}\n`));
  });

  test('a finished send shows its final figures: no rate nor estimated end, but its duration and average rate', async () => {
    const id = await createMailing([['subject', 'Lettre terminée'], ['body', 'Bonjour.']]);
    assert.equal((await post(staff, `/admin/lettres/${id}/envoyer`, [['when', 'now']])).statusCode, 303);
    await t.kernel.jobs.runDue();
    const row = await mailingRow(id);
    assert.equal(row.status, 'sent');
    // Two seconds from start to end, three messages sent.
    const started = new Date(row.started_at!).getTime();
    await db()
      .updateTable('newsletter_mailings')
      .set({ finished_at: new Date(started + 2000).toISOString() })
      .where('id', '=', id)
      .execute();
    const page = (await staff.get(`/admin/lettres/${id}`)).body;
    assert.doesNotMatch(page, /Fin estimée|Restants|<dt>Débit<\/dt>/);
    assert.match(page, /<h2 id="nl-progress-title">Bilan de l’envoi<\/h2>/);
    assert.match(page, /<dt>Envoyés<\/dt><dd data-progress="sent">3<\/dd>/);
    assert.match(page, /<dt>En échec<\/dt><dd data-progress="failed">0<\/dd>/);
    assert.match(page, /<dt>Terminé le<\/dt><dd data-progress="finished">[^<]*\d{4}[^<]*<\/dd>/);
    assert.match(page, /<dt>Durée<\/dt><dd data-progress="duration">2\u00a0s<\/dd>/);
    assert.match(page, /<dt>Débit moyen<\/dt><dd data-progress="average">1,5 messages\/s<\/dd>/);
    await db()
      .updateTable('newsletter_mailings')
      .set({ finished_at: new Date(started + 125_000).toISOString() })
      .where('id', '=', id)
      .execute();
    assert.match((await staff.get(`/admin/lettres/${id}`)).body, /<dd data-progress="duration">2\u00a0min 05\u00a0s<\/dd>/);
    const json = JSON.parse((await staff.get(`/admin/lettres/${id}/progression`)).body) as { final: { durationSeconds: number } | null };
    assert.equal(json.final?.durationSeconds, 125);

    // A scheduled mailing cancelled before it started: no duration to give.
    const later = await createMailing([['subject', 'Jamais partie'], ['body', 'Bonjour.']]);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    assert.equal((await post(staff, `/admin/lettres/${later}/envoyer`, [['when', 'later'], ['date', tomorrow], ['time', '09:30']])).statusCode, 303);
    assert.equal((await post(staff, `/admin/lettres/${later}/annuler`, [])).statusCode, 303);
    const cancelled = (await staff.get(`/admin/lettres/${later}`)).body;
    assert.match(cancelled, /<dd data-progress="duration">—<\/dd>/);
    assert.doesNotMatch(cancelled, /Fin estimée/);
  });

  test('a send is scheduled at a time typed the French way (« 9 h 30 », « 14h »); an impossible time is named on its field', async () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    for (const [typed, kept] of [['9 h 30', '09:30'], ['14h', '14:00']] as const) {
      const id = await createMailing([['subject', `Programmée à ${typed}`], ['body', 'Bonjour.']]);
      const res = await post(staff, `/admin/lettres/${id}/envoyer`, [['when', 'later'], ['date', tomorrow], ['time', typed]]);
      assert.equal(res.statusCode, 303, plain(summaryOf(res.body)));
      assert.equal(new Date((await mailingRow(id)).scheduled_at!).toISOString(), parseLocalDateTime(tomorrow, kept)!.toISOString(), typed);
    }
    const id = await createMailing([['subject', 'Heure impossible'], ['body', 'Bonjour.']]);
    // A text box with its hint (a browser's time picker could not take « 9 h 30 »).
    const form = (await staff.get(`/admin/lettres/${id}`)).body;
    assert.match(form, /<input id="f-send-time" name="time" type="text"[^>]*aria-describedby="f-send-time-hint"/);
    assert.match(plain(form), /Heure de Paris, par exemple 9 h 30, 9h30 ou 09:30\./);
    for (const typed of ['25 h', 'midi']) {
      const res = await post(staff, `/admin/lettres/${id}/envoyer`, [['when', 'later'], ['date', tomorrow], ['time', typed]]);
      assert.equal(res.statusCode, 400, typed);
      assert.match(plain(res.body), /Saisissez une heure valide, par exemple 9 h 30, 9h30 ou 09:30\./, typed);
      assert.match(res.body, /id="f-send-time-error"/, typed);
      assert.match(res.body, new RegExp(`name="time"[^>]*value="${typed}"|value="${typed}"[^>]*name="time"`), typed);
      assert.equal((await mailingRow(id)).status, 'draft');
    }
  });

  test('an empty subject or sender name is named in the error summary, not « Ce champ est obligatoire. »', async () => {
    const res = await post(staff, '/admin/lettres/nouvelle', [['from_name', ''], ['subject', ''], ['body', 'Texte'], ['lists', listId]]);
    assert.equal(res.statusCode, 400);
    const summary = plain(summaryOf(res.body));
    assert.match(summary, /Le formulaire contient 2 erreurs/);
    assert.match(summary, /<a href="#f-subject">Saisissez l’objet du message\.<\/a>/);
    assert.match(summary, /<a href="#f-from_name">Saisissez le nom de l’expéditeur\.<\/a>/);
    assert.doesNotMatch(res.body, /Ce champ est obligatoire/);
    // A subject too long is said so, and kept whole in its field: nothing typed is lost.
    const long = `Lettre ${'très '.repeat(150)}longue`;
    const tooLong = await post(staff, '/admin/lettres/nouvelle', [['from_name', 'Réseau'], ['subject', long], ['body', 'Texte'], ['lists', listId]]);
    assert.equal(tooLong.statusCode, 400);
    assert.match(plain(summaryOf(tooLong.body)), /200 caractères/);
    assert.ok(tooLong.body.includes(`value="${long}"`), 'the whole subject is shown again');
    const list = await post(staff, '/admin/lettres/listes', [['name', '']]);
    assert.equal(list.statusCode, 400);
    assert.match(summaryOf(list.body), /Saisissez le nom de la liste\./);
    const longName = `Liste ${'des partenaires '.repeat(10)}`;
    const longList = await post(staff, '/admin/lettres/listes', [['name', longName]]);
    assert.equal(longList.statusCode, 400);
    assert.ok(longList.body.includes(`value="${longName}"`), 'the whole list name is shown again');
  });
});
