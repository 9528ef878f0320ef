import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { newId } from '../../kernel/ids.js';
import { MONTHLY_LIST_ID, parseBlocks } from '../newsletter/index.js';
import type { BulletinBlock } from './block-shapes.js';
import { moveBlock } from './editor.js';
import { bulletinDeps } from './http.js';
import { findMailingBlocks } from './repo.js';
import { comingMonth, monthChoices, monthName } from './template.js';
import {
  addFixtureArticle,
  addFixtureCall,
  addFixtureEvent,
  addFixtureOrganisation,
  addFixtureResource,
  addFixtureWatchItems,
  setFixtureArticleStatus,
} from './test-fixtures-repo.js';

const DAY = 86_400_000;
const BASE = 'http://localhost:3000';

async function post(client: Client, url: string, fields: Array<[string, string]>) {
  const body = new URLSearchParams(fields);
  body.set('_csrf', await client.csrf());
  return client.request('POST', url, { payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

/** Every href of an HTML text. */
const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);

forEachDialect('bulletin: blocks from the site’s content, the monthly template, the block editor', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let mailingId = '';
  let listId = '';
  const ids: Record<string, string> = {};
  const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();
  const day = (days: number) => at(days).slice(0, 10);

  const blocks = async () => parseBlocks((await findMailingBlocks(t.kernel.db, mailingId))!.blocks) as BulletinBlock[];
  const blockOf = async (type: string) => (await blocks()).find((b) => b.type === type)!;
  const titles = (block: BulletinBlock) => (block.type === 'editorial' ? [] : block.items.map((i) => i.title));

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff');
    const db = t.kernel.db;
    // The monthly letter's list every install has (migration 1630).
    listId = MONTHLY_LIST_ID;
    const now = new Date().toISOString();
    const subscriber = newId();
    await db.insertInto('newsletter_subscribers').values({ id: subscriber, email: 'abonnee@example.org', email_lower: 'abonnee@example.org', name: 'Awa Abonnée', organisation: null, contact_id: null, token: `jeton-${subscriber.replace(/-/g, '')}`, created_at: now, updated_at: now }).execute();
    await db.insertInto('newsletter_subscriptions').values({ subscriber_id: subscriber, list_id: listId, status: 'confirmed', created_at: now, updated_at: now }).execute();

    // News: one of the network's this month, one member's; others that must never appear.
    ids['ag'] = (await addFixtureArticle(db, { title: 'Assemblée générale du réseau', publishedAt: at(-5), summary: 'Le bilan de l’année.' })).id;
    ids['second'] = (await addFixtureArticle(db, { title: 'Portrait d’une bénévole', publishedAt: at(-8) })).id;
    await addFixtureArticle(db, { title: 'Brouillon secret', publishedAt: null, status: 'draft' });
    await addFixtureArticle(db, { title: 'Article programmé plus tard', publishedAt: at(3) });
    await addFixtureArticle(db, { title: 'Nouvelle d’il y a deux mois', publishedAt: at(-62) });
    const kora = await addFixtureOrganisation(db, 'Association Kora');
    await addFixtureArticle(db, { title: 'Festival solidaire à Limoges', publishedAt: at(-3), organisationId: kora });
    await addFixtureArticle(db, { title: 'Brouillon d’un membre', publishedAt: null, status: 'draft', organisationId: kora });
    // Events: one in the coming weeks; cancelled, draft, far and past ones must not appear.
    await addFixtureEvent(db, { title: 'Rencontre régionale', startsAt: at(10), endsAt: at(10.2), venue: 'Maison des associations' });
    await addFixtureEvent(db, { title: 'Atelier annulé', startsAt: at(5), endsAt: at(5.1), status: 'cancelled' });
    await addFixtureEvent(db, { title: 'Événement en brouillon', startsAt: at(5), endsAt: at(5.1), status: 'draft' });
    await addFixtureEvent(db, { title: 'Forum dans dix semaines', startsAt: at(70), endsAt: at(70.2) });
    await addFixtureEvent(db, { title: 'Événement passé', startsAt: at(-2), endsAt: at(-1.9) });
    // Calls: closing soon, newly published; draft and closed ones must not appear.
    await addFixtureCall(db, { title: 'Appel Jeunesse', closesOn: day(10), closesTime: '12:30', publishedAt: at(-40) });
    await addFixtureCall(db, { title: 'Appel Santé', closesOn: day(80), publishedAt: at(-3) });
    await addFixtureCall(db, { title: 'Appel en brouillon', closesOn: day(5), publishedAt: at(-3), status: 'draft' });
    await addFixtureCall(db, { title: 'Appel déjà clos', closesOn: day(-2), publishedAt: at(-10) });
    // Resources of the last month only, published.
    await addFixtureResource(db, { title: 'Guide de la coopération', publishedAt: at(-4) });
    await addFixtureResource(db, { title: 'Vieux guide', publishedAt: at(-90) });
    await addFixtureResource(db, { title: 'Ressource en brouillon', publishedAt: at(-2), status: 'draft' });
    // Watch: kept items only.
    const watch = await addFixtureWatchItems(db, [
      { title: 'Rapport de l’OCDE sur l’aide', status: 'kept', publishedAt: at(-2) },
      { title: 'Élément à trier', status: 'new', publishedAt: at(-1) },
      { title: 'Élément écarté', status: 'ignored', publishedAt: at(-1) },
      { title: 'Étude gardée le mois dernier', status: 'kept', publishedAt: at(-20), link: 'javascript:alert(1)' },
    ]);
    ids['report'] = watch[0]!;
    ids['ignored'] = watch[2]!;
  });
  after(() => t.close());

  test('« Nouveau bulletin mensuel » creates a draft with the standard blocks, each showing the right items and nothing unpublished', async () => {
    const list = await staff.get('/admin/lettres');
    assert.match(list.body, /href="\/admin\/lettres\/bulletin-mensuel"/, 'the mailings page offers the monthly bulletin');
    const form = await staff.get('/admin/lettres/bulletin-mensuel');
    assert.equal(form.statusCode, 200);
    assert.deepEqual([...form.body.matchAll(/name="lists" value="([^"]+)" checked/g)].map((m) => m[1]), [listId], 'the monthly letter’s list alone is ticked');
    assert.match(form.body, /<span>Lettre mensuelle<\/span>/);
    assert.match(form.body, /<span>Alertes appels à projets<\/span>/);
    const month = comingMonth(new Date());
    const res = await post(staff, '/admin/lettres/bulletin-mensuel', [['month', month], ['subject', ''], ['lists', listId]]);
    assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
    mailingId = /\/admin\/lettres\/([0-9a-f-]{36})\/blocs$/.exec(String(res.headers.location))![1]!;
    const row = (await t.kernel.db.selectFrom('newsletter_mailings').selectAll().where('id', '=', mailingId).executeTakeFirstOrThrow());
    assert.equal(row.subject, `Lettre d’information — ${monthName(month)}`);
    assert.equal(row.status, 'draft');
    assert.deepEqual((await t.kernel.db.selectFrom('newsletter_mailing_lists').select('list_id').where('mailing_id', '=', mailingId).execute()).map((r) => r.list_id), [MONTHLY_LIST_ID]);

    const all = await blocks();
    assert.deepEqual(all.map((b) => b.type), ['editorial', 'news', 'events', 'calls', 'watch', 'resources', 'member_news']);
    assert.deepEqual(titles(all[1]!), ['Assemblée générale du réseau', 'Portrait d’une bénévole'], 'the network’s published news of the last month, preselected');
    assert.deepEqual(titles(all[2]!), ['Rencontre régionale'], 'published events of the next six weeks only');
    assert.deepEqual(titles(all[3]!), ['Appel Jeunesse', 'Appel Santé'], 'open calls closing soon or new, by deadline');
    assert.deepEqual(all[3]!.type === 'calls' && all[3]!.items.map((i) => i.tag), [null, 'Nouveau']);
    assert.match(all[3]!.type === 'calls' ? all[3]!.items[0]!.meta[0]! : '', /à 12\u00a0h\u00a030$/, 'a closing time in French words');
    assert.deepEqual(titles(all[4]!), ['Rapport de l’OCDE sur l’aide', 'Étude gardée le mois dernier'], 'kept watch items only');
    assert.deepEqual(titles(all[5]!), ['Guide de la coopération']);
    assert.deepEqual(titles(all[6]!), ['Festival solidaire à Limoges']);
    assert.equal(all[4]!.type === 'watch' && all[4]!.items[1]!.href, '/veille', 'a link that is not http(s) is never sent');

    const editor = await staff.get(`/admin/lettres/${mailingId}/blocs`);
    assert.equal(editor.statusCode, 200);
    assert.match(editor.body, /Bloc 1 sur 7 : Édito/);
    assert.match(editor.body, /Bloc 1 : l’édito est vide/, 'the empty editorial is flagged');
    assert.match(editor.body, /<iframe src="\/admin\/lettres\/[^"]+\/apercu\?format=courriel" title="Aperçu du message sur ordinateur \(600 pixels de large\)"/);
    assert.match(editor.body, /title="Aperçu du message sur mobile \(375 pixels de large\)"/);
    // One breadcrumb: a single link up to the mailing (the tabs already lead to « Lettres et envois »).
    const crumbs = [...editor.body.matchAll(/<p class="breadcrumb">([\s\S]*?)<\/p>/g)].map((m) => m[1]!);
    assert.equal(crumbs.length, 1);
    assert.deepEqual([...crumbs[0]!.matchAll(/<a href="([^"]+)">([^<]*)<\/a>/g)].map((m) => [m[1], m[2]]), [[`/admin/lettres/${mailingId}`, Html(row.subject)]]);
    assert.doesNotMatch(crumbs[0]!, /›/);
  });

  test('the empty editorial stops the test send with a clear message; once written, the email has every block, absolute links, no script, and a text part', async () => {
    const refused = await post(staff, `/admin/lettres/${mailingId}/test`, [['addresses', 'relecture@example.org']]);
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /l’édito est vide/);

    const editorial = await blockOf('editorial');
    const saved = await post(staff, `/admin/lettres/${mailingId}/blocs/${editorial.key}`, [['title', 'Édito'], ['html', '<p>Chères et chers membres, voici <a href="/agenda">l’agenda</a>.</p><script>alert(1)</script>']]);
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 2000));
    assert.equal(saved.headers.location, `/admin/lettres/${mailingId}/blocs#bloc-${editorial.key}`);

    const html = (await staff.get(`/admin/lettres/${mailingId}/apercu?format=courriel`)).body;
    for (const title of ['Chères et chers membres', 'Assemblée générale du réseau', 'Rencontre régionale', 'Maison des associations', 'Appel Jeunesse', 'Date limite', 'Rapport de l’OCDE sur l’aide', 'Guide de la coopération', 'Festival solidaire à Limoges', 'Association Kora']) {
      assert.ok(html.includes(Html(title)), `the email shows « ${title} »`);
    }
    for (const absent of ['Brouillon secret', 'Article programmé', 'deux mois', 'Atelier annulé', 'Événement en brouillon', 'Forum dans dix semaines', 'Événement passé', 'Appel en brouillon', 'Appel déjà clos', 'Vieux guide', 'Ressource en brouillon', 'Élément à trier', 'Élément écarté', 'Brouillon d’un membre']) {
      assert.ok(!html.includes(Html(absent)), `the email never shows « ${absent} »`);
    }
    assert.doesNotMatch(html, /<script/i);
    const links = hrefs(html);
    assert.ok(links.length > 10);
    for (const href of links) assert.match(href, /^(https?:\/\/|mailto:)/, `absolute link: ${href}`);
    assert.ok(links.includes(`${BASE}/agenda`), 'the editorial’s relative link is made absolute');
    assert.ok(links.some((h) => h.startsWith(`${BASE}/actualites/assemblee-generale-du-reseau`)));
    assert.ok(links.some((h) => h.startsWith('https://example.org/veille/')), 'a watch item links to its original');

    const text = (await staff.get(`/admin/lettres/${mailingId}/apercu?format=texte`)).body;
    assert.match(text, /ÉDITO/);
    assert.match(text, /AGENDA\n\n- Rencontre régionale\n/);
    assert.match(text, new RegExp(`${BASE}/agenda/rencontre-regionale-`));
    assert.match(text, /\[Nouveau\] Appel Santé/);
    assert.match(text, new RegExp(`\nTout l’agenda : ${BASE}/agenda\n`), 'the block’s “see everything” link, after its label and a French colon');
    assert.doesNotMatch(text, /<[a-z]/i, 'no markup in the text part');
  });

  test('blocks move up and down (the order persists), are removed, added and edited; bad parameters are refused with French messages', async () => {
    const events = await blockOf('events');
    const up = await post(staff, `/admin/lettres/${mailingId}/blocs/${events.key}/monter`, []);
    assert.equal(up.statusCode, 303);
    assert.deepEqual((await blocks()).map((b) => b.type), ['editorial', 'events', 'news', 'calls', 'watch', 'resources', 'member_news']);
    const editor = await staff.get(`/admin/lettres/${mailingId}/blocs`);
    assert.match(editor.body, /Bloc 2 sur 7 : Agenda/);
    const html = (await staff.get(`/admin/lettres/${mailingId}/apercu?format=courriel`)).body;
    assert.ok(html.indexOf('Rencontre régionale') < html.indexOf('Assemblée générale du réseau'), 'the email follows the new order');

    // The first block cannot go higher; the last cannot go lower.
    const first = (await blocks())[0]!;
    await post(staff, `/admin/lettres/${mailingId}/blocs/${first.key}/monter`, []);
    assert.equal((await blocks())[0]!.key, first.key);

    const watch = await blockOf('watch');
    assert.equal((await post(staff, `/admin/lettres/${mailingId}/blocs/${watch.key}/supprimer`, [])).statusCode, 303);
    assert.equal((await blocks()).length, 6);
    assert.equal((await post(staff, `/admin/lettres/${mailingId}/blocs/ajouter`, [['type', 'watch']])).statusCode, 303);
    const all = await blocks();
    assert.equal(all.at(-1)!.type, 'watch');
    assert.deepEqual(titles(all.at(-1)!), ['Rapport de l’OCDE sur l’aide', 'Étude gardée le mois dernier']);
    assert.equal((await post(staff, `/admin/lettres/${mailingId}/blocs/ajouter`, [['type', 'script']])).statusCode, 400);

    const shorter = await post(staff, `/admin/lettres/${mailingId}/blocs/${events.key}`, [['title', 'Agenda'], ['weeks', '99'], ['limit', '5']]);
    assert.equal(shorter.statusCode, 400);
    assert.match(shorter.body, /Saisissez un nombre de semaines de 1 à 26/);
    const far = await post(staff, `/admin/lettres/${mailingId}/blocs/${events.key}`, [['title', 'Agenda des trois mois'], ['weeks', '12'], ['limit', '5']]);
    assert.equal(far.statusCode, 303);
    assert.deepEqual(titles(await blockOf('events')), ['Rencontre régionale', 'Forum dans dix semaines'], 'the block found the events of its new period');
    assert.equal((await blockOf('events')).title, 'Agenda des trois mois');

    const calls = await blockOf('calls');
    const onlyNew = await post(staff, `/admin/lettres/${mailingId}/blocs/${calls.key}`, [['title', 'Appels'], ['mode', 'new'], ['days', '30'], ['since', day(-7)], ['limit', '5']]);
    assert.equal(onlyNew.statusCode, 303);
    assert.deepEqual(titles(await blockOf('calls')), ['Appel Santé']);
  });

  test('chosen items that are unpublished or set aside leave the block; when none is left, the send is refused with a clear message', async () => {
    const watch = await blockOf('watch');
    const chosen = await post(staff, `/admin/lettres/${mailingId}/blocs/${watch.key}`, [['title', 'Veille'], ['mode', 'selected'], ['limit', '5'], ['ids', ids['report']!], ['ids', ids['ignored']!]]);
    assert.equal(chosen.statusCode, 303);
    assert.deepEqual(titles(await blockOf('watch')), ['Rapport de l’OCDE sur l’aide'], 'an ignored watch item is never shown');
    const page = await staff.get(`/admin/lettres/${mailingId}/blocs`);
    assert.match(page.body, /1 contenu choisi n’est plus publié/);

    const news = await blockOf('news');
    const one = await post(staff, `/admin/lettres/${mailingId}/blocs/${news.key}`, [['title', 'À la une'], ['ids', ids['ag']!]]);
    assert.equal(one.statusCode, 303);
    await setFixtureArticleStatus(t.kernel.db, ids['ag']!, 'draft');
    assert.deepEqual(titles(await blockOf('news')), ['Assemblée générale du réseau'], 'until refreshed, the block keeps what was previewed');
    // Starting the send resolves the blocks again: the unpublished article is not sent.
    const send = await post(staff, `/admin/lettres/${mailingId}/envoyer`, [['when', 'now']]);
    assert.equal(send.statusCode, 400);
    assert.match(send.body, /les contenus choisis ont été supprimés ou dépubliés/);
    assert.deepEqual(titles(await blockOf('news')), []);
    assert.equal((await post(staff, `/admin/lettres/${mailingId}/blocs/actualiser`, [])).statusCode, 303);
    const editor = await staff.get(`/admin/lettres/${mailingId}/blocs`);
    assert.match(editor.body, /Bloc \d \(À la une\) : les contenus choisis ont été supprimés ou dépubliés/);

    await setFixtureArticleStatus(t.kernel.db, ids['ag']!, 'published');
    await post(staff, `/admin/lettres/${mailingId}/blocs/actualiser`, []);
    assert.deepEqual(titles(await blockOf('news')), ['Assemblée générale du réseau']);
  });

  test('the mailing’s form keeps the composed blocks; two editors of the same version cannot overwrite each other', async () => {
    const before = (await findMailingBlocks(t.kernel.db, mailingId))!;
    const page = await staff.get(`/admin/lettres/${mailingId}`);
    assert.match(page.body, /Composé de blocs : modifier les blocs/);
    assert.doesNotMatch(page.body, /name="body"/, 'no text area that would replace the blocks');
    const saved = await post(staff, `/admin/lettres/${mailingId}`, [['subject', 'Lettre de mars'], ['from_name', 'Réseau Test'], ['lists', listId]]);
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 2000));
    const after = (await findMailingBlocks(t.kernel.db, mailingId))!;
    assert.equal(after.blocks, before.blocks);
    assert.equal(after.subject, 'Lettre de mars');

    const stale = { ...after, updated_at: before.updated_at };
    const key = String(parseBlocks(after.blocks)[2]!['key']);
    const result = await moveBlock(bulletinDeps(t.kernel), { id: null, email: null }, stale, key, -1);
    assert.deepEqual(result, { ok: false, key: 'bulletin.error.changedMeanwhile', status: 409 });
    assert.equal((await findMailingBlocks(t.kernel.db, mailingId))!.blocks, after.blocks);
  });

  test('the test send and the send carry the blocks; the web version shows the same blocks; a sent mailing’s blocks no longer change', async () => {
    const sentBefore = t.smtp.messages.length;
    const test1 = await post(staff, `/admin/lettres/${mailingId}/test`, [['addresses', 'relecture@example.org']]);
    assert.equal(test1.statusCode, 303, test1.body.slice(0, 2000));
    await t.smtp.waitFor(sentBefore + 1);
    const mail = t.smtp.messages.at(-1)!.parsed;
    assert.match(String(mail.subject), /^\[TEST\] Lettre de mars/);
    const html = String(mail.html);
    assert.ok(html.includes('Rencontre régionale') && html.includes('Rapport de l’OCDE sur l’aide'));
    for (const href of hrefs(html)) assert.match(href, /^(https?:\/\/|mailto:)/, `absolute link: ${href}`);
    assert.doesNotMatch(html, /<script/i);
    assert.match(String(mail.text), /- Rencontre régionale/);

    const send = await post(staff, `/admin/lettres/${mailingId}/envoyer`, [['when', 'now']]);
    assert.equal(send.statusCode, 303, send.body.slice(0, 2000));
    await t.kernel.jobs.runDue();
    await t.smtp.waitFor(sentBefore + 2);
    const row = await findMailingBlocks(t.kernel.db, mailingId);
    assert.equal(row!.status, 'sent');

    const web = await t.client().get(`/lettre/${row!.slug}`);
    assert.equal(web.statusCode, 200);
    for (const title of ['Chères et chers membres', 'Agenda des trois mois', 'Rencontre régionale', 'Assemblée générale du réseau', 'Appel Santé', 'Guide de la coopération', 'Festival solidaire à Limoges']) {
      assert.ok(web.body.includes(Html(title)), `the web version shows « ${title} »`);
    }
    assert.match(web.body, new RegExp(`href="${BASE}/agenda/rencontre-regionale-`));

    const events = await blockOf('events');
    const refused = await post(staff, `/admin/lettres/${mailingId}/blocs/${events.key}/descendre`, []);
    assert.equal(refused.statusCode, 303);
    assert.equal((await findMailingBlocks(t.kernel.db, mailingId))!.blocks, row!.blocks);
    const readOnly = await staff.get(`/admin/lettres/${mailingId}/blocs`);
    assert.match(readOnly.body, /Cet envoi est parti : son contenu ne change plus/);
    assert.doesNotMatch(readOnly.body, /\/monter"/);
  });

  test('« Nouveau bulletin mensuel » says why next month is offered; the subject left empty, and its hint, follow the month chosen', async () => {
    const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');
    const [current, next, after] = monthChoices(new Date()) as [string, string, string];
    const form = plain((await staff.get('/admin/lettres/bulletin-mensuel')).body);
    assert.match(form, new RegExp(`<option value="${current}">${monthName(current)} \\(mois en cours\\)</option>`));
    assert.match(form, new RegExp(`<option value="${next}" selected>${monthName(next)} \\(mois prochain\\)</option>`));
    assert.match(form, new RegExp(`<option value="${after}">${monthName(after)}</option>`));
    assert.match(form, /Le mois prochain est proposé, car le bulletin se prépare d’ordinaire le mois d’avant/);
    assert.match(form, new RegExp(`<p class="hint" id="f-subject-hint">Laissez vide pour « Lettre d’information — ${monthName(next)} »\\.</p>`));
    // Each month's hint, for the page's script to show the one chosen.
    const hints = JSON.parse(/data-subject-hints="([^"]*)"/.exec(form)![1]!.replace(/&#34;|&quot;/g, '"')) as Record<string, string>;
    assert.deepEqual(Object.keys(hints).sort(), [current, next, after]);
    assert.match(hints[current]!, new RegExp(`Lettre d’information — ${monthName(current)}`));
    assert.match(form, /<script src="\/assets\/bulletin-monthly\.js" defer><\/script>/);
    // The current month chosen, the subject left empty: the current month's subject.
    const res = await post(staff, '/admin/lettres/bulletin-mensuel', [['month', current], ['subject', ''], ['lists', listId]]);
    assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
    const id = /\/admin\/lettres\/([0-9a-f-]{36})\/blocs$/.exec(String(res.headers.location))![1]!;
    assert.equal((await findMailingBlocks(t.kernel.db, id))!.subject, `Lettre d’information — ${monthName(current)}`);
    // A refused form shows the hint of the month it was sent with.
    const refused = plain((await post(staff, '/admin/lettres/bulletin-mensuel', [['month', after], ['subject', 'x'.repeat(201)], ['lists', listId]])).body);
    assert.match(refused, new RegExp(`id="f-subject-hint">Laissez vide pour « Lettre d’information — ${monthName(after)} »`));
    // No month sent: the month is named, not « Ce champ est obligatoire. ».
    const monthless = await post(staff, '/admin/lettres/bulletin-mensuel', [['month', ''], ['subject', ''], ['lists', listId]]);
    assert.equal(monthless.statusCode, 400);
    assert.match(monthless.body, /<li><a href="#f-month">Choisissez un mois de la liste\.<\/a><\/li>/);
    assert.doesNotMatch(monthless.body, /Ce champ est obligatoire/);
  });

  test('an editorial typed as text with blank lines and one <b> keeps its paragraphs, stored and sent', async () => {
    const res = await post(staff, '/admin/lettres/bulletin-mensuel', [['month', comingMonth(new Date())], ['subject', 'Paragraphes de l’édito'], ['lists', listId]]);
    const id = /\/admin\/lettres\/([0-9a-f-]{36})\/blocs$/.exec(String(res.headers.location))![1]!;
    const editorial = parseBlocks((await findMailingBlocks(t.kernel.db, id))!.blocks).find((b) => b.type === 'editorial')!;
    const saved = await post(staff, `/admin/lettres/${id}/blocs/${String(editorial['key'])}`, [['title', 'Édito'], ['html', 'Un mois <b>riche</b>.\n\nMerci à toutes et à tous.']]);
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 2000));
    const stored = parseBlocks((await findMailingBlocks(t.kernel.db, id))!.blocks).find((b) => b.type === 'editorial')!;
    assert.equal(stored['html'], '<p>Un mois <b>riche</b>.</p><p>Merci à toutes et à tous.</p>');
  });
});

/** Text as it appears in the HTML (apostrophes and accents are left as they are; & < > " escaped). */
function Html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
