import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { listAudit } from '../../kernel/audit/index.js';
import type { PageNav } from '../../kernel/ui/context.js';
import { PageMenuSync } from './menu.js';
import { findPageBySlug } from './repo.js';

const idFrom = (location: unknown) => String(location).split('/').pop()!;

/** The links of the page's header menu and of its footer, as visitors see them. */
function menus(html: string): { header: string; footer: string } {
  const header = /<nav aria-label="Menu principal" class="main-nav[^"]*">(.*?)<\/nav>/s.exec(html)?.[1] ?? '';
  const footer = /<footer class="site-footer">(.*?)<\/footer>/s.exec(html)?.[1] ?? '';
  return { header, footer };
}

forEachDialect('pages: editable pages, their menus, the legal pages', (dialect) => {
  let t: TestApp;
  let staff: Client;

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff', 'equipe@example.org');
  });
  after(() => t.close());

  test('staff publish a page in the header menu and another in the footer; drafts are neither shown nor in menus', async () => {
    const about = await staff.post('/admin/pages/nouveau', { title: 'À propos du réseau', body: 'Le réseau rassemble les acteurs.\n\nIl est né en 2005.', status: 'published', menu: 'header', menu_order: '10', menu_label: 'À propos' });
    assert.equal(about.statusCode, 303, about.body.slice(0, 2000));
    const partners = await staff.post('/admin/pages/nouveau', { title: 'Nos partenaires', body: '<p>La Région.</p><script>x()</script>', status: 'published', menu: 'footer' });
    assert.equal(partners.statusCode, 303);
    const draft = await staff.post('/admin/pages/nouveau', { title: 'Page en travaux', body: 'Bientôt.', status: 'draft', menu: 'header' });
    assert.equal(draft.statusCode, 303);

    const page = await t.client().get('/pages/a-propos-du-reseau');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>À propos du réseau<\/h1><p>Le réseau rassemble les acteurs.<\/p><p>Il est né en 2005.<\/p>/);
    assert.doesNotMatch((await t.client().get('/pages/nos-partenaires')).body, /<script>x/);
    assert.equal((await t.client().get('/pages/page-en-travaux')).statusCode, 404);

    // Any public page carries the menus (the cached ones within their lifetime: this visitor has none yet).
    const home = menus((await t.client().get('/actualites')).body);
    assert.match(home.header, /<a href="\/pages\/a-propos-du-reseau">À propos<\/a>/);
    assert.doesNotMatch(home.header, /Page en travaux/);
    assert.match(home.footer, /<a href="\/pages\/nos-partenaires">Nos partenaires<\/a>/);
    assert.match(home.footer, /<a href="\/mentions-legales">Mentions légales<\/a>/);

    // Moved to the footer, then unpublished: the menus follow at once in this process.
    const id = idFrom(about.headers.location);
    assert.equal((await staff.post(`/admin/pages/${id}`, { title: 'À propos du réseau', slug: 'a-propos-du-reseau', body: 'Texte.', status: 'published', menu: 'footer', menu_order: '-5' })).statusCode, 303);
    const publicMenus = menus((await staff.get('/pages/nos-partenaires')).body);
    assert.doesNotMatch(publicMenus.header, /À propos/);
    assert.match(publicMenus.footer, /<a href="\/pages\/a-propos-du-reseau">À propos du réseau<\/a>.*<a href="\/pages\/nos-partenaires">/s, 'ordered by menu order, labelled by the title');
    assert.equal((await staff.post(`/admin/pages/${id}`, { title: 'À propos du réseau', slug: 'a-propos-du-reseau', body: 'Texte.', status: 'draft', menu: 'footer' })).statusCode, 303);
    const seen = menus((await staff.get('/pages/nos-partenaires')).body);
    assert.doesNotMatch(seen.footer, /À propos/);
  });

  test('a renamed page keeps redirecting from its old address; a slug taken or reserved is refused; deletion is audit-logged', async () => {
    const res = await staff.post('/admin/pages/nouveau', { title: 'Mobilité des jeunes', body: 'SO Mobilités.', status: 'published', menu: 'none' });
    const id = idFrom(res.headers.location);
    assert.equal((await staff.post(`/admin/pages/${id}`, { title: 'SO Mobilités', slug: 'so-mobilites', body: 'SO Mobilités.', status: 'published', menu: 'none' })).statusCode, 303);
    const old = await t.client().get('/pages/mobilite-des-jeunes');
    assert.equal(old.statusCode, 301);
    assert.equal(old.headers.location, '/pages/so-mobilites');
    const taken = await staff.post('/admin/pages/nouveau', { title: 'Autre', slug: 'mobilite-des-jeunes', status: 'draft', menu: 'none' });
    assert.equal(taken.statusCode, 400);
    assert.match(taken.body, /déjà celle d’une autre page/);
    const reserved = await staff.post('/admin/pages/nouveau', { title: 'Mentions', slug: 'mentions-legales', status: 'draft', menu: 'none' });
    assert.equal(reserved.statusCode, 400);
    assert.match(reserved.body, /celle d’une page légale/);
    assert.equal((await staff.post(`/admin/pages/${id}/supprimer`)).statusCode, 303);
    assert.equal((await t.client().get('/pages/so-mobilites')).statusCode, 404);
    const audit = await listAudit(t.kernel.db, { entityType: 'page', entityId: id, limit: 10, offset: 0 });
    assert.deepEqual(audit.rows.map((r) => r.action).reverse(), ['page.created', 'page.updated', 'page.deleted']);
  });

  test('a page left without an address takes its title’s, suffixed when another page has it; an address typed by staff is refused when taken', async () => {
    const first = await staff.post('/admin/pages/nouveau', { title: 'Qui sommes-nous', slug: '', body: 'Un.', status: 'published', menu: 'none' });
    assert.equal(first.statusCode, 303, first.body.slice(0, 2000));
    const second = await staff.post('/admin/pages/nouveau', { title: 'Qui sommes-nous', slug: '', body: 'Deux.', status: 'published', menu: 'none' });
    assert.equal(second.statusCode, 303, 'no address typed: nothing to refuse');
    const third = await staff.post('/admin/pages/nouveau', { title: 'Qui sommes-nous ?', body: 'Trois.', status: 'draft', menu: 'none' });
    assert.equal(third.statusCode, 303);
    assert.deepEqual(
      await Promise.all([first, second, third].map(async (r) => (await t.kernel.db.selectFrom('pages').select('slug').where('id', '=', idFrom(r.headers.location)).executeTakeFirstOrThrow()).slug)),
      ['qui-sommes-nous', 'qui-sommes-nous-2', 'qui-sommes-nous-3'],
    );
    assert.match((await t.client().get('/pages/qui-sommes-nous-2')).body, /Deux\./);
    // Saved again without an address, the second page keeps its own.
    assert.equal((await staff.post(`/admin/pages/${idFrom(second.headers.location)}`, { title: 'Qui sommes-nous', slug: '', body: 'Deux bis.', status: 'published', menu: 'none' })).statusCode, 303);
    assert.equal((await t.kernel.db.selectFrom('pages').select('slug').where('id', '=', idFrom(second.headers.location)).executeTakeFirstOrThrow()).slug, 'qui-sommes-nous-2');
    // A title that gives a legal page's address: suffixed too, rather than refused.
    const legal = await staff.post('/admin/pages/nouveau', { title: 'Mentions légales', status: 'draft', menu: 'none' });
    assert.equal(legal.statusCode, 303, legal.body.slice(0, 2000));
    assert.equal((await t.kernel.db.selectFrom('pages').select('slug').where('id', '=', idFrom(legal.headers.location)).executeTakeFirstOrThrow()).slug, 'mentions-legales-2');
    // Typed, the same address is refused: staff chose it.
    const typed = await staff.post('/admin/pages/nouveau', { title: 'Autre page', slug: 'qui-sommes-nous', status: 'draft', menu: 'none' });
    assert.equal(typed.statusCode, 400);
    assert.match(typed.body, /déjà celle d’une autre page/);
    for (const r of [first, second, third, legal]) await staff.post(`/admin/pages/${idFrom(r.headers.location)}/supprimer`);
  });

  test('an empty title is named in the error summary', async () => {
    const res = await staff.post('/admin/pages/nouveau', { title: '', status: 'draft', menu: 'none' });
    assert.equal(res.statusCode, 400);
    const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(res.body)?.[0] ?? '';
    assert.match(summary, /<a href="#f-title">Saisissez le titre de la page\.<\/a>/);
    assert.doesNotMatch(summary, /Ce champ est obligatoire/);
  });

  test('the new page form answers at /admin/pages/nouvelle and /nouvel too (a permanent redirect, the query kept)', async () => {
    for (const guessed of ['nouvelle', 'nouvel']) {
      const res = await staff.get(`/admin/pages/${guessed}`);
      assert.equal(res.statusCode, 301, guessed);
      assert.equal(res.headers.location, '/admin/pages/nouveau');
    }
    const legal = await staff.get('/admin/pages/nouvelle?legal=accessibilite');
    assert.equal(legal.headers.location, '/admin/pages/nouveau?legal=accessibilite');
    assert.equal((await t.client().get('/admin/pages/nouvelle')).statusCode, 302, 'visitors are asked to sign in, as for the form');
  });

  test('staff replace the text of a legal page at its own address; deleting it brings the built-in text back', async () => {
    const builtIn = await t.client().get('/mentions-legales');
    assert.equal(builtIn.statusCode, 200);
    assert.match(builtIn.body, /<h1>Mentions légales<\/h1>/);
    const list = await staff.get('/admin/pages');
    assert.match(list.body, /href="\/admin\/pages\/nouveau\?legal=mentions-legales"/);
    const form = await staff.get('/admin/pages/nouveau?legal=mentions-legales');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /value="Mentions légales"/);
    assert.match(form.body, /&lt;h2>Éditeur du site&lt;\/h2>/, 'the form starts from the built-in text');
    assert.match(form.body, /<input type="hidden" name="slug" value="mentions-legales"\/>/);

    const saved = await staff.post('/admin/pages/nouveau', { legal: 'mentions-legales', title: 'Mentions légales', body: '<h2>Éditeur</h2><p>Association Réseau Sud, 12 rue des Lilas, Bordeaux.</p>', status: 'published', menu: 'header' });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 2000));
    const page = await findPageBySlug(t.kernel.db, 'mentions-legales');
    assert.equal(page?.menu, 'none', 'a legal page stays out of the menus (the footer lists it)');
    const edited = await t.client().get('/mentions-legales');
    assert.match(edited.body, /Association Réseau Sud, 12 rue des Lilas/);
    assert.equal((await t.client().get('/pages/mentions-legales')).headers.location, '/mentions-legales');
    assert.equal((await staff.get('/admin/pages/nouveau?legal=mentions-legales')).statusCode, 409, 'edited already: staff edit that page');

    assert.equal((await staff.post(`/admin/pages/${page!.id}/supprimer`)).statusCode, 303);
    const back = await t.client().get('/mentions-legales');
    assert.doesNotMatch(back.body, /Association Réseau Sud/);
    assert.match(back.body, /<h1>Mentions légales<\/h1>/);
  });

  test('the built-in mentions légales name what the law asks for, « à compléter » until staff give it, and staff are warned meanwhile', async () => {
    const notice = (await t.client().get('/mentions-legales')).body;
    assert.match(notice, /Adresse du siège\u00a0: \[à compléter\]\. Téléphone\u00a0: \[à compléter\]\. Email\u00a0: contact@example\.org\./);
    assert.match(notice, /Directeur ou directrice de la publication\u00a0: \[à compléter\u00a0: nom et fonction\]\./);
    assert.match(notice, /Le site est hébergé par \[à compléter\u00a0: nom ou raison sociale de l’hébergeur\], \[à compléter\u00a0: adresse\], \[à compléter\u00a0: téléphone\]\./);
    assert.doesNotMatch(notice, /sur simple demande/);
    const english = t.client();
    await english.post('/langue', { lang: 'en', suite: '/mentions-legales' });
    assert.match((await english.get('/mentions-legales')).body, /Publication director: \[to be completed: name and position\]\./);

    const warned = async () => {
      const body = (await staff.get('/admin/pages')).body;
      const href = /<a href="([^"]+)">Compléter les mentions légales<\/a>/.exec(body)?.[1];
      return { warning: body.includes('Les mentions légales sont incomplètes'), href, badges: (body.match(/class="badge badge-invited">À compléter</g) ?? []).length };
    };
    assert.deepEqual(await warned(), { warning: true, href: '/admin/pages/nouveau?legal=mentions-legales', badges: 1 });
    // The form starts from the built-in text and says what to do with its gaps.
    const form = await staff.get('/admin/pages/nouveau?legal=mentions-legales');
    assert.match(form.body, /Remplacez chaque «\u00a0\[à compléter\u00a0: …\]\u00a0» par l’information demandée avant de publier\./);
    assert.match(form.body, /\[à compléter\u00a0: nom et fonction\]/);

    // Published with a gap left: still warned, the link leads to that text.
    const kept = await staff.post('/admin/pages/nouveau', { legal: 'mentions-legales', title: 'Mentions légales', body: '<p>Hébergeur : [à compléter : nom]</p>', status: 'published', menu: 'none' });
    assert.equal(kept.statusCode, 303, kept.body.slice(0, 2000));
    const id = idFrom(kept.headers.location);
    assert.deepEqual(await warned(), { warning: true, href: `/admin/pages/${id}`, badges: 1 });
    // Completed: no more warning. A draft leaves the built-in text shown, so the warning comes back.
    const done = { title: 'Mentions légales', slug: 'mentions-legales', body: '<p>Hébergeur : Hébergeur Exemple SAS, 1 rue de l’Exemple, 33000 Bordeaux, 05 00 00 00 00.</p>', menu: 'none' };
    assert.equal((await staff.post(`/admin/pages/${id}`, { ...done, status: 'published' })).statusCode, 303);
    assert.deepEqual(await warned(), { warning: false, href: undefined, badges: 0 });
    assert.equal((await staff.post(`/admin/pages/${id}`, { ...done, status: 'draft' })).statusCode, 303);
    assert.deepEqual(await warned(), { warning: true, href: `/admin/pages/${id}`, badges: 1 });
    assert.equal((await staff.post(`/admin/pages/${id}/supprimer`)).statusCode, 303);
  });

  test('the built-in personal data page says what the site processes, why, how long and how to act on it', async () => {
    const text = (await t.client().get('/donnees-personnelles')).body.replace(/&#39;/g, "'");
    for (const expected of [
      /Demandes de compte\u00a0: nom, adresse email, structure et message à l’équipe\./,
      /Inscriptions aux événements\u00a0: prénom, nom, adresse email, téléphone \(facultatif\), structure \(nom, type, département\), réponses aux questions/,
      /Lettres d’information et alertes appels à projets\u00a0: .*historique du consentement \(demande, confirmation, désinscription\u00a0: date, source et adresse IP\)/,
      /pour les alertes, les appels envoyés et leur date/,
      /Annuaire\u00a0: les personnes contacts des structures .*Elles ne sont jamais publiées, sauf une personne qui y a consenti/,
      /Journal des modifications\u00a0: .*adresse IP/,
      /sept jours \(invitation, confirmation d’un abonnement\)/,
      /après 30 jours/,
      /seule une empreinte de l’adresse est gardée/,
      /<h2>Destinataires<\/h2>/,
      /supprimez votre compte depuis votre espace/,
    ]) {
      assert.match(text, expected);
    }
  });

  test('another process’s change reaches this process’s menus at its next check', async () => {
    const pageNav: PageNav = { header: [], footer: [] };
    const sync = new PageMenuSync({ db: t.kernel.db, pageNav });
    await sync.refresh();
    const before = pageNav.header.length;
    // Written straight to the database, as another web process would.
    const at = new Date().toISOString();
    await t.kernel.db
      .insertInto('pages')
      .values({ id: '01900000-0000-7000-8000-0000000000e1', slug: 'adherer', title: 'Adhérer au réseau', body_html: '<p>Bulletin.</p>', status: 'published', menu: 'header', menu_order: 99, menu_label: null, search_text: 'adherer', created_by: null, created_at: at, updated_at: at })
      .execute();
    const headerArray = pageNav.header;
    await sync.refresh();
    assert.equal(pageNav.header.length, before + 1);
    assert.deepEqual(pageNav.header.at(-1), { href: '/pages/adherer', label: 'Adhérer au réseau' });
    assert.equal(pageNav.header, headerArray, 'changed in place: every view context shares the arrays');
  });
});
