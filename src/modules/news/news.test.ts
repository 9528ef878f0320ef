import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseAtomFeed, parseRssFeed } from 'feedsmith';
import sharp from 'sharp';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { refuseWrites } from '../../../test/helpers/refuse-writes.js';
import { listAudit } from '../../kernel/audit/index.js';
import { findUserByEmail } from '../../kernel/auth/repo.js';
import { toLocalInputs } from '../../kernel/time/zoned.js';
import { createOrganisation, linkUserToOrganisation, taxonomies, taxonomyCodes, validateOrganisation } from '../organisations/index.js';
import { findArticle, findArticleBySlug, latestNews, newsVersion } from './index.js';
import { newsSearchSection } from './search-section.js';

const HOUR = 3_600_000;
const png = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#1f6f8b' } }).png().toBuffer();
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const idFrom = (location: unknown) => String(location).split('/').pop()!;
/** The error summary's lines as « field: message », in order. */
const summaryOf = (html: string) =>
  [...(/<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '').matchAll(/<li><a href="#f-([\w-]+)">([^<]*)<\/a><\/li>/g)].map((m) => `${m[1]}: ${m[2]}`);

forEachDialect('news: back office, scheduling, sanitising, slugs, member proposals, feeds, watch promotion, search', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let orgId: string;
  let offset = 0;
  const now = () => new Date(Date.now() + offset);

  before(async () => {
    t = await testApp(dialect, { clock: { now } });
    staff = await t.loginAs('staff', 'redaction@example.org');
    const checked = validateOrganisation({ name: 'Cinéma du Sud', kind_code: 'association', commune: '33063', postcode: '33000', visibility: 'public' }, taxonomyCodes(await taxonomies(t.kernel.db)), { currentYear: 2026 });
    assert.ok(checked.ok);
    orgId = (await createOrganisation(t.kernel, { id: null, email: 'seed@example.org' }, checked.draft)).id;
  });
  after(() => t.close());

  const visitor = () => t.client();

  test('a draft is invisible to visitors; published, it is listed, read and in the feeds; deleting it is audit-logged', async () => {
    const v0 = await newsVersion(t.kernel);
    const res = await staff.post('/admin/actualites/nouveau', { title: 'Assemblée générale du réseau', summary: 'Le rendez-vous annuel des membres.', body: 'Premier paragraphe.\n\nSecond paragraphe.', themes: 'education_training', countries: 'SN, Mali', intent: 'draft' });
    assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
    const id = idFrom(res.headers.location);
    const draft = (await findArticle(t.kernel.db, id))!;
    assert.equal(draft.status, 'draft');
    assert.equal(draft.slug, 'assemblee-generale-du-reseau');
    assert.equal(draft.body_html, '<p>Premier paragraphe.</p><p>Second paragraphe.</p>');
    assert.deepEqual(draft.countries, ['ML', 'SN']);
    // Countries read as in the calls' and the watch's forms, and are read back so.
    const form = await staff.get(`/admin/actualites/${id}`);
    assert.match(form.body, /name="countries" type="text" value="Mali \(ML\), Sénégal \(SN\)"/);
    const copy = await staff.post('/admin/actualites/nouveau', { title: 'Pays relus', countries: 'Mali (ML), Sénégal (SN), Burkina Faso', intent: 'draft' });
    assert.equal(copy.statusCode, 303, copy.body.slice(0, 1000));
    assert.deepEqual((await findArticle(t.kernel.db, idFrom(copy.headers.location)))!.countries, ['BF', 'ML', 'SN']);
    await staff.post(`/admin/actualites/${idFrom(copy.headers.location)}/supprimer`, {});
    assert.notEqual(await newsVersion(t.kernel), v0);

    assert.equal((await visitor().get('/actualites/assemblee-generale-du-reseau')).statusCode, 404);
    assert.doesNotMatch((await visitor().get('/actualites')).body, /Assemblée générale du réseau/);
    assert.doesNotMatch((await visitor().get('/actualites/flux.rss')).body, /Assemblée générale/);

    assert.equal((await staff.post(`/admin/actualites/${id}/statut`, { action: 'publish' })).statusCode, 303);
    const list = await visitor().get('/actualites');
    assert.match(list.body, /<a href="\/actualites\/assemblee-generale-du-reseau">Assemblée générale du réseau<\/a>/);
    assert.match(list.body, /<link rel="alternate" type="application\/rss\+xml" title="Actualités \(RSS\)" href="\/actualites\/flux.rss"/);
    const page = await visitor().get('/actualites/assemblee-generale-du-reseau');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<p class="lead">Le rendez-vous annuel des membres.<\/p>/);
    assert.match(page.body, /<meta property="og:type" content="article"/);
    assert.match(page.body, /<meta property="article:published_time" content="\d{4}-/);
    assert.match(page.body, /par redaction@example.org|par staff/, 'the network news is signed by its author');
    assert.match(page.body, /href="\/actualites\?theme=education_training"/);
    assert.match(page.body, /Sénégal/);

    // Back to draft: gone again.
    assert.equal((await staff.post(`/admin/actualites/${id}/statut`, { action: 'unpublish' })).statusCode, 303);
    assert.equal((await visitor().get('/actualites/assemblee-generale-du-reseau')).statusCode, 404);
    assert.equal((await staff.post(`/admin/actualites/${id}/supprimer`)).statusCode, 303);
    assert.equal(await findArticle(t.kernel.db, id), undefined);
    const audit = await listAudit(t.kernel.db, { entityType: 'news', entityId: id, limit: 10, offset: 0 });
    assert.deepEqual(audit.rows.map((r) => r.action).reverse(), ['news.created', 'news.publish', 'news.unpublish', 'news.deleted']);
    assert.match(String(audit.rows[0]!.before), /Assemblée générale du réseau/, 'the deletion keeps what the article was');
  });

  test('a future publication date schedules the article: invisible until the date passes', async () => {
    // Two hours from now, as Paris wall-clock time.
    const soon = toLocalInputs(new Date(Date.now() + offset + 2 * HOUR));
    const res = await staff.post('/admin/actualites/nouveau', { title: 'Lancement du festival', summary: 'Bientôt.', publish_date: soon.date, publish_time: soon.time, intent: 'publish' });
    assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
    const id = idFrom(res.headers.location);
    assert.equal((await findArticle(t.kernel.db, id))!.status, 'published');
    const admin = await staff.get(`/admin/actualites/${id}`);
    assert.match(admin.body, /Programmé/);
    // The message after « Publier » says when it will appear, not that it is out.
    assert.match(admin.body, new RegExp(`Article «\\s*Lancement du festival\\s*» programmé pour le [^<]*${soon.time}`));
    assert.doesNotMatch(admin.body, /Lancement du festival\s*» publié/);
    // A draft with a date to come, published from its page: scheduled too, and said so.
    const later = toLocalInputs(new Date(Date.now() + offset + 26 * HOUR));
    const draft = await staff.post('/admin/actualites/nouveau', { title: 'Rencontre à venir', publish_date: later.date, publish_time: later.time, intent: 'draft' });
    const draftId = idFrom(draft.headers.location);
    assert.equal((await staff.post(`/admin/actualites/${draftId}/statut`, { action: 'publish' })).statusCode, 303);
    const scheduled = await staff.get(`/admin/actualites/${draftId}`);
    assert.match(scheduled.body, new RegExp(`Article «\\s*Rencontre à venir\\s*» programmé pour le [^<]*${later.time}`));
    assert.doesNotMatch(scheduled.body, /Article publié/);
    // Without a date, « Publier » says published.
    const plain = await staff.post('/admin/actualites/nouveau', { title: 'Brève sans date', intent: 'draft' });
    await staff.post(`/admin/actualites/${idFrom(plain.headers.location)}/statut`, { action: 'publish' });
    assert.match((await staff.get(`/admin/actualites/${idFrom(plain.headers.location)}`)).body, /Article «\s*Brève sans date\s*» publié\./);
    await staff.post(`/admin/actualites/${draftId}/supprimer`, {});
    await staff.post(`/admin/actualites/${idFrom(plain.headers.location)}/supprimer`, {});

    assert.equal((await visitor().get('/actualites/lancement-du-festival')).statusCode, 404);
    assert.doesNotMatch((await visitor().get('/actualites')).body, /Lancement du festival/);
    assert.equal((await latestNews(t.kernel.db, { limit: 10, now: now() })).some((a) => a.title === 'Lancement du festival'), false);
    const before = await newsVersion(t.kernel);

    offset += 3 * HOUR;
    assert.notEqual(await newsVersion(t.kernel), before, 'the cached pages are dropped when the article comes out');
    assert.equal((await visitor().get('/actualites/lancement-du-festival')).statusCode, 200);
    assert.match((await visitor().get('/actualites')).body, /Lancement du festival/);
    const latest = await latestNews(t.kernel.db, { limit: 10, now: now() });
    assert.equal(latest[0]?.title, 'Lancement du festival');
    const home = await visitor().get('/');
    assert.match(home.body, /<h2 id="news-home-title">Dernières actualités<\/h2>/);
    assert.match(home.body, /<h3 class="news-card-title"><a href="\/actualites\/lancement-du-festival">Lancement du festival<\/a><\/h3>/);
    assert.equal(latest[0]?.path, '/actualites/lancement-du-festival');
  });

  test('the new article form: Enter saves a draft (the first submit button), and an impossible time is named', async () => {
    // A browser submits a form with its first submit button when Enter is pressed in a field.
    const page = await staff.get('/admin/actualites/nouveau');
    const form = /<form[^>]*action="\/admin\/actualites\/nouveau"[\s\S]*?<\/form>/.exec(page.body)?.[0] ?? '';
    const first = /<button[^>]*type="submit"[^>]*>/.exec(form)?.[0] ?? '';
    assert.match(first, /name="intent"/);
    assert.match(first, /value="draft"/, 'Enter must not publish the article');

    for (const [fields, message] of [
      [{ publish_date: '2026-12-01', publish_time: '25:61' }, /L’heure « 25:61 » n’existe pas : indiquez une heure entre 00:00 et 23:59\./],
      [{ publish_time: '25:61' }, /L’heure « 25:61 » n’existe pas/],
      [{ publish_date: '2026-12-01', publish_time: 'midi' }, /L’heure « midi » n’est pas lisible : indiquez-la comme 9 h 30, 9h30 ou 09:30\./],
      [{ publish_date: '2026-12-01', publish_time: '14 h 75' }, /L’heure « 14 h 75 » n’existe pas/],
    ] as const) {
      const res = await staff.post('/admin/actualites/nouveau', { title: 'Heure impossible', ...fields, intent: 'draft' });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, message);
      assert.match(res.body, /id="f-publish_time-error"/, 'the message is tied to the time field');
    }
    const badDate = await staff.post('/admin/actualites/nouveau', { title: 'Date impossible', publish_date: '2026-02-30', publish_time: '10:00', intent: 'draft' });
    assert.equal(badDate.statusCode, 400);
    assert.match(badDate.body, /id="f-publish_date-error"[^>]*>Cette date n’existe pas/);
  });

  test('the publication time is typed the French way too (« 9 h 30 », « 14h »), as the hint says', async () => {
    assert.match((await staff.get('/admin/actualites/nouveau')).body, /Heure de Paris, par exemple 9 h 30, 9h30 ou 09:30\. Vide\u00a0: minuit\./);
    for (const [typed, iso] of [['9 h 30', '2026-12-01T08:30:00.000Z'], ['14h', '2026-12-01T13:00:00.000Z'], ['9:05', '2026-12-01T08:05:00.000Z']] as const) {
      const res = await staff.post('/admin/actualites/nouveau', { title: `Heure à la française ${typed}`, publish_date: '2026-12-01', publish_time: typed, intent: 'draft' });
      assert.equal(res.statusCode, 303, `${typed}: ${res.body.slice(0, 200)}`);
      assert.equal(new Date((await findArticle(t.kernel.db, idFrom(res.headers.location)))!.published_at!).toISOString(), iso, typed);
    }
  });

  test('rich text is sanitised; a renamed address redirects from the old one', async () => {
    const res = await staff.post('/admin/actualites/nouveau', {
      title: 'Texte riche',
      body: '<h2>Intertitre</h2><p onclick="steal()">Bonjour <a href="javascript:alert(1)">piège</a> <a href="https://exemple.org">lien</a></p><script>alert(1)</script><img src=x onerror=alert(1)>',
      intent: 'publish',
    });
    assert.equal(res.statusCode, 303);
    const id = idFrom(res.headers.location);
    const stored = (await findArticle(t.kernel.db, id))!;
    assert.doesNotMatch(stored.body_html ?? '', /script|onclick|onerror|javascript|<img/i);
    assert.match(stored.body_html ?? '', /<h2>Intertitre<\/h2>/);
    assert.match(stored.body_html ?? '', /<a href="https:\/\/exemple.org" rel="noopener noreferrer">lien<\/a>/);
    const page = await visitor().get('/actualites/texte-riche');
    assert.doesNotMatch(page.body, /<script>alert|onclick=|onerror=|javascript:/);

    const renamed = await staff.post(`/admin/actualites/${id}`, { title: 'Texte riche', slug: 'texte-enrichi', body: '<p>Bonjour</p>' });
    assert.equal(renamed.statusCode, 303, renamed.body.slice(0, 2000));
    const old = await visitor().get('/actualites/texte-riche');
    assert.equal(old.statusCode, 301);
    assert.equal(old.headers.location, '/actualites/texte-enrichi');
    assert.equal((await visitor().get('/actualites/texte-enrichi')).statusCode, 200);
    assert.equal((await findArticleBySlug(t.kernel.db, 'texte-riche'))?.redirectTo, 'texte-enrichi');

    // Another article cannot take either address.
    const clash = await staff.post('/admin/actualites/nouveau', { title: 'Autre', slug: 'texte-riche', intent: 'draft' });
    assert.equal(clash.statusCode, 400);
    assert.match(clash.body, /déjà celle d’un autre article/);
  });

  test('staff upload an image with its alternative text: shown on the page, in the list and in link previews', async () => {
    const res = await staff.postMultipart('/admin/actualites/nouveau', { title: 'Projection au Sahel', image_alt: 'Un puits au soleil couchant', intent: 'publish' }, [
      { field: 'image_file', filename: 'puits.png', content: await png(1600, 900), type: 'image/png' },
    ]);
    assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
    const a = (await findArticle(t.kernel.db, idFrom(res.headers.location)))!;
    assert.ok(a.image_file_id);
    const src = `/media/actualites/${a.id}/image?v=${a.image_file_id}`;
    const page = await visitor().get('/actualites/projection-au-sahel');
    assert.match(page.body, new RegExp(`<img src="${escape(src)}" alt="Un puits au soleil couchant"`));
    assert.match(page.body, new RegExp(`<meta property="og:image" content="http://localhost:3000${escape(src)}"`));
    assert.match(page.body, /<meta property="og:image:alt" content="Un puits au soleil couchant"/);
    assert.match((await visitor().get('/actualites')).body, new RegExp(`<img class="news-card-image" src="${escape(src)}" alt="Un puits au soleil couchant"`));
    const image = await visitor().get(src);
    assert.equal(image.statusCode, 200);
    assert.equal(image.headers['content-type'], 'image/webp');
    const meta = await sharp(image.rawPayload).metadata();
    assert.ok((meta.width ?? 0) <= 1200, 'resized to the box');

    // A draft's image is not public; a file that is not an image is refused.
    assert.equal((await staff.post(`/admin/actualites/${a.id}/statut`, { action: 'unpublish' })).statusCode, 303);
    assert.equal((await visitor().get(src)).statusCode, 404);
    const bad = await staff.postMultipart('/admin/actualites/nouveau', { title: 'Mauvais fichier', intent: 'draft' }, [{ field: 'image_file', filename: 'x.png', content: Buffer.from('<svg onload="x()"/>'), type: 'image/png' }]);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /n’est pas une image PNG, JPEG, WebP ou GIF/);
  });

  test('a member proposes news of their organisation; staff approve it; it is published as a member’s news', async () => {
    const member = await t.loginAs('member', 'awa@example.org');
    const user = (await findUserByEmail(t.kernel.db, 'awa@example.org'))!;
    await linkUserToOrganisation(t.kernel.db, user.id, orgId, new Date().toISOString());
    assert.match((await member.get('/mon-espace')).body, /href="\/mon-espace\/actualites"/);
    const form = await member.get('/mon-espace/actualites/nouveau');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, new RegExp(`<option value="${orgId}" selected>Cinéma du Sud</option>`));
    // An empty title asks for one, as the event form does; a title too short gives the length.
    const untitled = await member.post('/mon-espace/actualites/nouveau', { title: '   ', organisation: orgId });
    assert.equal(untitled.statusCode, 400);
    assert.deepEqual(summaryOf(untitled.body), ['title: Indiquez un titre de 3 à 200 caractères.']);
    const short = await member.post('/mon-espace/actualites/nouveau', { title: 'Ok', organisation: orgId });
    assert.equal(short.statusCode, 400);
    assert.deepEqual(summaryOf(short.body), ['title: Le titre compte de 3 à 200 caractères.']);
    const foreign = await member.post('/mon-espace/actualites/nouveau', { title: 'Pas la mienne', organisation: '01900000-0000-7000-8000-000000000000' });
    assert.equal(foreign.statusCode, 400);
    assert.match(foreign.body, /parmi les vôtres/);
    const sent = await member.post('/mon-espace/actualites/nouveau', { title: 'Ciné-débat au Sahel', summary: 'Une soirée avec les réalisateurs.', body: 'Venez nombreux.', organisation: orgId, themes: 'education_training' });
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 2000));
    assert.equal((await visitor().get('/actualites/cine-debat-au-sahel')).statusCode, 404, 'nothing is published before moderation');
    const mine = (await member.get('/mon-espace/actualites')).body;
    assert.match(mine, /Ciné-débat au Sahel/);
    assert.match(mine, /Proposition en attente/, 'the status says what it qualifies, as on the other Mon espace lists');
    // On a phone each proposal is a card (.table-stack): its state under the column's name.
    assert.match(mine, /<table class="table-stack">/);
    assert.match(mine, /<td data-label="État">Proposition en attente<\/td>/);

    const queue = await staff.get('/admin/moderation?type=news');
    const proposalId = /href="\/admin\/moderation\/([0-9a-f-]{36})">Ciné-débat au Sahel</.exec(queue.body)?.[1];
    assert.ok(proposalId, 'the proposal waits in the moderation queue');
    const detail = await staff.get(`/admin/moderation/${proposalId}`);
    assert.match(detail.body, /Cinéma du Sud/);
    const edit = await staff.get(`/admin/moderation/${proposalId}/modifier`);
    assert.equal(edit.statusCode, 200);
    assert.match(edit.body, /value="Ciné-débat au Sahel"/);
    assert.equal((await staff.post(`/admin/moderation/${proposalId}/approuver`)).statusCode, 303);

    const page = await visitor().get('/actualites/cine-debat-au-sahel');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Actualité d’un membre<\/span> <a href="\/acteurs\/[^"]+">Cinéma du Sud<\/a>/);
    assert.match((await visitor().get('/actualites')).body, /news-card news-card-member/);
    const article = (await findArticleBySlug(t.kernel.db, 'cine-debat-au-sahel'))!.article;
    assert.equal(article.organisation_id, orgId);
    assert.equal(article.source, 'member');
    const members = await latestNews(t.kernel.db, { limit: 5, membersOnly: true, now: now() });
    assert.deepEqual(members.map((a) => [a.title, a.organisationName]), [['Ciné-débat au Sahel', 'Cinéma du Sud']]);
    await t.kernel.jobs.runDue(); // the decision's email is a job (decision 0031)
    const mail = t.smtp.lastTo('awa@example.org');
    assert.match(String(mail?.parsed.text), /cine-debat-au-sahel/, 'the proposer is told where the news is');

    // The member proposes a change to it from their space.
    const change = await member.post(`/mon-espace/actualites/${article.id}/modifier`, { title: 'Ciné-débat au Sahel (complet)', organisation: orgId, image: '' });
    assert.equal(change.statusCode, 303);
    assert.equal((await member.get('/mon-espace/actualites/01900000-0000-7000-8000-000000000000/modifier')).statusCode, 403);
  });

  test('RSS and Atom parse back with absolute links and dates; the theme filter narrows the list', async () => {
    const rss = await visitor().get('/actualites/flux.rss');
    assert.equal(rss.statusCode, 200);
    assert.match(String(rss.headers['content-type']), /application\/rss\+xml/);
    const parsedRss = parseRssFeed(rss.body);
    const titles = (parsedRss.items ?? []).map((i) => i.title);
    assert.ok(titles.includes('Ciné-débat au Sahel'));
    assert.ok(titles.includes('Lancement du festival'));
    for (const item of parsedRss.items ?? []) {
      assert.match(String(item.link), /^http:\/\/localhost:3000\/actualites\/[a-z0-9-]+$/);
      assert.ok(!Number.isNaN(Date.parse(String(item.pubDate))));
      assert.doesNotMatch(String(item.description ?? ''), /<script/);
    }
    const atom = await visitor().get('/actualites/flux.atom');
    const parsedAtom = parseAtomFeed(atom.body);
    const textOf = (value: unknown) => (typeof value === 'object' && value !== null && 'value' in value ? String(value.value) : String(value));
    assert.ok((parsedAtom.entries ?? []).some((e) => textOf(e.title) === 'Ciné-débat au Sahel' && e.authors?.[0]?.name === 'Cinéma du Sud'));
    for (const entry of parsedAtom.entries ?? []) {
      assert.match(String(entry.links?.[0]?.href), /^http:\/\/localhost:3000\/actualites\//);
      assert.match(String(entry.published), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    }

    const filtered = await visitor().get('/actualites?theme=education_training');
    assert.match(filtered.body, /Ciné-débat au Sahel/);
    assert.doesNotMatch(filtered.body, /Lancement du festival/);
    assert.match(filtered.body, /<h1>Actualités : /);
    const themedFeed = parseRssFeed((await visitor().get('/actualites/flux.rss?theme=education_training')).body);
    assert.deepEqual((themedFeed.items ?? []).map((i) => i.title), ['Ciné-débat au Sahel']);
  });

  test('the list is paginated; the site-wide search finds articles (not drafts) and pages; the sitemap lists them', async () => {
    for (let i = 1; i <= 13; i++) {
      assert.equal((await staff.post('/admin/actualites/nouveau', { title: `Brève numéro ${i}`, intent: 'publish' })).statusCode, 303);
    }
    const first = await visitor().get('/actualites');
    assert.match(first.body, /Page 1 sur 2/);
    assert.match(first.body, /href="\/actualites\?page=2"/);
    assert.match((await visitor().get('/actualites?page=2')).body, /Page 2 sur 2/);
    // A page past the last leads to the last, the other parameters kept; an empty list to its address without page.
    const beyond = await visitor().get('/actualites?page=999');
    assert.equal(beyond.statusCode, 302);
    assert.equal(beyond.headers.location, '/actualites?page=2');
    const oneThemed = await visitor().get('/actualites?theme=education_training&page=3');
    assert.equal(oneThemed.headers.location, '/actualites?theme=education_training', 'a list of one page: no page number');
    const emptyAdmin = await staff.get('/admin/actualites?statut=scheduled&page=4');
    assert.equal(emptyAdmin.statusCode, 302);
    assert.equal(emptyAdmin.headers.location, '/admin/actualites?statut=scheduled');
    const adminBeyond = await staff.get('/admin/actualites?page=3&q=breve');
    assert.equal(adminBeyond.headers.location, '/admin/actualites?q=breve');
    const admin = await staff.get('/admin/actualites?q=breve&statut=published');
    assert.match(admin.body, /13 articles/, 'staff find articles by the words of their title');
    assert.match((await staff.get('/admin/actualites?statut=scheduled')).body, /0 article\b/);

    await staff.post('/admin/actualites/nouveau', { title: 'Brouillon secret sur les jumelages', intent: 'draft' });
    await staff.post('/admin/pages/nouveau', { title: 'Nos jumelages', body: 'Les jumelages du réseau.', status: 'published', menu: 'none' });
    const found = await newsSearchSection.search(t.kernel, 'jumelages', { role: null, locale: 'fr', limit: 10, offset: 0 });
    assert.deepEqual(found.hits.map((h) => h.url), ['/pages/nos-jumelages'], 'the draft is not found, the page is');
    const cine = await newsSearchSection.search(t.kernel, 'cine debat', { role: null, locale: 'fr', limit: 10, offset: 0 });
    assert.equal(cine.hits[0]?.url, '/actualites/cine-debat-au-sahel');
    assert.match(String(cine.hits[0]?.detail), /Actualité d’un membre · Cinéma du Sud/);
    const paged = await newsSearchSection.search(t.kernel, 'breve', { role: null, locale: 'fr', limit: 10, offset: 10 });
    assert.equal(paged.total, 13);
    assert.equal(paged.hits.length, 3);

    const sitemap = await visitor().get('/sitemap.xml');
    if (sitemap.statusCode === 200) {
      assert.match(sitemap.body, /<loc>http:\/\/localhost:3000\/actualites\/cine-debat-au-sahel<\/loc>/);
      assert.match(sitemap.body, /<loc>http:\/\/localhost:3000\/pages\/nos-jumelages<\/loc>/);
      assert.doesNotMatch(sitemap.body, /brouillon-secret/);
    }
  });

  test('a watch item promoted to news opens a prefilled form with a link to its source; the saved article keeps the item', async (ctx) => {
    const at = new Date().toISOString();
    const sourceId = '01900000-0000-7000-8000-0000000000d1';
    const itemId = '01900000-0000-7000-8000-0000000000d2';
    await t.kernel.db
      .insertInto('watch_sources')
      .values({ id: sourceId, url: 'https://ministere.example/flux.xml', name: 'Ministère', category: null, site_url: null, etag: null, last_modified: null, last_fetched_at: null, last_success_at: null, last_error: null, next_fetch_at: '2999-01-01T00:00:00.000Z', created_by: null, created_at: at, updated_at: at })
      .execute();
    await t.kernel.db
      .insertInto('watch_items')
      .values({ id: itemId, source_id: sourceId, guid: 'g1', link_key: null, title_key: 'k', link: 'https://ministere.example/apd-2026', title: 'Hausse de l’APD en 2026', summary_html: '<p>Le budget augmente.</p>', excerpt: 'Le budget augmente.', author: null, published_at: at, date_missing: 0, content_hash: 'h', status: 'new', category: null, note: null, decided_by: null, decided_at: null, search_text: 'apd', first_seen_at: at, updated_at: at })
      .execute();
    await t.kernel.db.insertInto('watch_item_themes').values({ item_id: itemId, theme_code: 'health' }).execute();

    const item = await staff.get(`/admin/veille/elements/${itemId}`);
    assert.match(item.body, /Promouvoir en actualité/);
    const promoted = await staff.post(`/admin/veille/elements/${itemId}/promouvoir/news`);
    assert.equal(promoted.statusCode, 303);
    assert.equal(promoted.headers.location, `/admin/actualites/nouveau?veille=${itemId}`);
    const form = await staff.get(String(promoted.headers.location));
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /value="Hausse de l’APD en 2026"/);
    assert.match(form.body, /<a href="https:\/\/ministere.example\/apd-2026" rel="noopener noreferrer">Hausse de l’APD en 2026<\/a>/);
    assert.match(form.body, /name="source_url" type="url" value="https:\/\/ministere.example\/apd-2026"/);
    assert.match(form.body, /value="health" checked/);
    const statusOf = async () => (await t.kernel.db.selectFrom('watch_items').select('status').where('id', '=', itemId).executeTakeFirstOrThrow()).status;
    const articles = async () => Number((await t.kernel.db.selectFrom('news_articles').select((eb) => eb.fn.countAll<number>().as('n')).where('watch_item_id', '=', itemId).executeTakeFirstOrThrow()).n);
    // Keeping the item is part of saving the article: refused, neither stays.
    const stop = await refuseWrites(ctx, t.kernel.db, dialect, 'watch_items', "NEW.status = 'kept'", 'UPDATE');
    const refused = await staff.post('/admin/actualites/nouveau', { title: 'Hausse de l’APD en 2026', source_url: 'https://ministere.example/apd-2026', watch_item_id: itemId, intent: 'publish' });
    assert.equal(refused.statusCode, 503);
    assert.equal(await articles(), 0);
    assert.equal(await statusOf(), 'new');
    await stop();
    const created = await staff.post('/admin/actualites/nouveau', { title: 'Hausse de l’APD en 2026', source_url: 'https://ministere.example/apd-2026', watch_item_id: itemId, intent: 'publish' });
    assert.equal(created.statusCode, 303);
    const a = (await findArticle(t.kernel.db, idFrom(created.headers.location)))!;
    assert.equal(a.watch_item_id, itemId);
    assert.equal(a.source, 'watch');
    // The item is kept (out of « À trier »), its page links to the article, and promoting it again warns first.
    assert.equal(await statusOf(), 'kept');
    assert.doesNotMatch((await staff.get('/admin/veille')).body, new RegExp(`data-item="${itemId}"`));
    const itemPage = (await staff.get(`/admin/veille/elements/${itemId}`)).body;
    assert.match(itemPage, new RegExp(`<a href="/admin/actualites/${a.id}">Actualité «\\s*Hausse de l’APD en 2026\\s*» \\(publiée\\)</a>`));
    const again = await staff.post(`/admin/veille/elements/${itemId}/promouvoir/news`);
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /Cet élément a déjà donné une actualité/);
    assert.match(again.body, new RegExp(`id="promote-again"[\\s\\S]*<a href="/admin/actualites/${a.id}">`));
    assert.match(again.body, /Créer quand même une autre actualité/);
    assert.equal((await staff.post(`/admin/veille/elements/${itemId}/promouvoir/news`, { confirmer: '1' })).headers.location, `/admin/actualites/nouveau?veille=${itemId}`);
    assert.match((await visitor().get(`/actualites/${a.slug}`)).body, /Source :<\/span> <a href="https:\/\/ministere.example\/apd-2026"/);
    assert.equal((await staff.get('/admin/actualites/nouveau?veille=01900000-0000-7000-8000-000000000000')).statusCode, 404);
  });
});
