import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parseAtomFeed, parseRssFeed } from 'feedsmith';
import sharp from 'sharp';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { findUserByEmail } from '../../kernel/auth/repo.js';
import { listAudit } from '../../kernel/audit/index.js';
import { mergeOrganisations, undoMerge } from '../merge/index.js';
import { createOrganisation, linkUserToOrganisation, taxonomies, taxonomyCodes, validateOrganisation } from '../organisations/index.js';
import { uploadCap } from './file-field.js';
import { latestResources } from './index.js';
import * as repo from './repo.js';
import { resourcesSearchSection } from './search-section.js';
import { addResource, makePdf, storedFile } from './test-fixtures.js';

/** Every file under a folder (uploads and temporary files), relative paths. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

/** An organisation of the directory, as the back office would add it. */
async function addOrganisation(kernel: TestApp['kernel'], raw: Record<string, unknown>) {
  const checked = validateOrganisation({ visibility: 'public', ...raw }, taxonomyCodes(await taxonomies(kernel.db)), { currentYear: 2026 });
  assert.ok(checked.ok, JSON.stringify(checked));
  return createOrganisation(kernel, { id: null, email: 'seed@example.org' }, checked.draft);
}

const FORM = { title: 'Guide de la coopération décentralisée', kind: 'guide', summary: 'Un guide pratique pour les collectivités.', authors: 'Réseau régional', year: '2025', language: 'fr', countries: 'SN, Mali' };

forEachDialect('resources: uploads sniffed and capped, PDF text searched, downloads counted, drafts hidden, members propose, feeds', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let orgId: string;
  const uploads = () => filesUnder(path.join(t.config.dataDir, 'uploads'));
  const temporary = () => filesUnder(path.join(t.config.dataDir, 'tmp'));
  const bySlug = async (slug: string) => (await repo.findResourceBySlug(t.kernel.db, slug))?.resource;

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff');
    orgId = (await addOrganisation(t.kernel, { name: 'Eau Vive Gironde', kind_code: 'association', commune: 'Bordeaux', postcode: '33000' })).id;
  });
  after(() => t.close());

  test('a .pdf that is really HTML, and a file over the cap, are refused in French and leave no file', async () => {
    assert.match((await staff.get('/admin/ressources/nouvelle')).body, /image PNG, JPEG ou WebP ; 50 Mo au plus\./);
    const before = uploads();
    const html = Buffer.from('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>');
    let res = await staff.postMultipart('/admin/ressources/nouvelle', { ...FORM, intent: 'publish' }, [{ field: 'file_upload', filename: 'guide.pdf', content: html, type: 'application/pdf' }]);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Ce fichier n’est ni un PDF, ni un document Word, Excel, PowerPoint ou OpenDocument, ni une image PNG, JPEG ou WebP : son contenu a été vérifié/);
    assert.match(res.body, /value="Guide de la coopération décentralisée"/, 'what was typed stays');
    assert.deepEqual(uploads(), before);
    assert.deepEqual(temporary(), []);

    const saved = uploadCap.bytes;
    uploadCap.bytes = 2048;
    try {
      const big = Buffer.concat([await makePdf(['Gros document']), Buffer.alloc(8192, 0x20)]);
      res = await staff.postMultipart('/admin/ressources/nouvelle', { ...FORM, intent: 'publish' }, [{ field: 'file_upload', filename: 'gros.pdf', content: big, type: 'application/pdf' }]);
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Le fichier dépasse 2 ko : il n’a pas été enregistré/);
      assert.match(res.body, /image PNG, JPEG ou WebP ; 2 ko au plus\./, 'the hint gives the cap the form applies');
    } finally {
      uploadCap.bytes = saved;
    }
    assert.deepEqual(uploads(), before, 'no file kept');
    assert.deepEqual(temporary(), [], 'no temporary file left');
    assert.equal(await bySlug('guide-de-la-cooperation-decentralisee'), undefined);
  });

  test('staff publish a PDF: a word found only inside it finds the resource; the download is an attachment and is counted (HEAD is not)', async () => {
    const pdf = await makePdf(['Première page sans le mot.', 'Deuxième page : la méthode zorglubienne des jumelages.']);
    const res = await staff.postMultipart('/admin/ressources/nouvelle', { ...FORM, organisation: 'eau-vive-gironde', themes: 'water_sanitation', intent: 'publish' }, [
      { field: 'file_upload', filename: '../Guide coopération; v2.PDF', content: pdf, type: 'application/octet-stream' },
    ]);
    assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
    const resource = (await bySlug('guide-de-la-cooperation-decentralisee'))!;
    assert.equal(resource.status, 'published');
    assert.equal(resource.organisation_id, orgId);
    assert.deepEqual(resource.countries, ['ML', 'SN']);
    assert.equal(resource.extraction_status, 'pending');
    assert.equal(uploads().filter((f) => f.endsWith('.pdf')).length, 1);
    assert.ok(!uploads().some((f) => f.includes('Guide')), 'the stored name is never the uploader’s');

    assert.match((await t.client().get('/ressources?q=zorglubienne')).body, />0 ressource/, 'not before the text is read');
    await t.kernel.jobs.runDue();
    const read = (await repo.findResourceById(t.kernel.db, resource.id))!;
    assert.equal(read.extraction_status, 'done');
    assert.equal(read.extracted_pages, 2);

    const visitor = t.client();
    const list = await visitor.get('/ressources?q=zorglubienne');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, />1 ressource/);
    assert.match(list.body, /href="\/ressources\/guide-de-la-cooperation-decentralisee"/);
    assert.match(list.body, /Guide · 2025 · Eau Vive Gironde · PDF, \d+(,\d)? ko/);
    assert.match((await visitor.get('/ressources?q=jumelages+zorglub')).body, />1 ressource/, 'words as prefixes, all required');
    assert.match((await visitor.get('/ressources?q=zorglubienne+absent')).body, />0 ressource/);
    const hits = await resourcesSearchSection.search(t.kernel, 'méthode zorglubienne', { role: null, locale: 'fr', limit: 10, offset: 0 });
    assert.equal(hits.total, 1);
    assert.equal(hits.hits[0]?.url, '/ressources/guide-de-la-cooperation-decentralisee');

    const page = await visitor.get('/ressources/guide-de-la-cooperation-decentralisee');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<meta property="og:type" content="article"/);
    assert.match(page.body, /Télécharger<\/span><span> \(PDF, \d+(,\d)? ko\)/);
    assert.doesNotMatch(page.body, /Téléchargé|Consulté/, 'no « 0 fois » before the first download');
    assert.match(page.body, /href="\/acteurs\/eau-vive-gironde"/);

    const head = await visitor.request('HEAD', '/ressources/guide-de-la-cooperation-decentralisee/fichier');
    assert.equal(head.statusCode, 200);
    const file = await visitor.get('/ressources/guide-de-la-cooperation-decentralisee/fichier');
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-type'], 'application/pdf');
    assert.equal(file.headers['content-disposition'], `attachment; filename="Guide cooperation v2.pdf"; filename*=UTF-8''Guide%20coop%C3%A9ration%20v2.pdf`);
    assert.equal(file.headers['x-content-type-options'], 'nosniff');
    assert.match(String(file.headers['content-security-policy']), /^sandbox/);
    assert.equal(file.rawPayload.subarray(0, 5).toString(), '%PDF-');
    await visitor.get('/ressources/guide-de-la-cooperation-decentralisee/fichier');
    assert.equal((await repo.findResourceById(t.kernel.db, resource.id))!.download_count, 2, 'two downloads, HEAD not counted');
    assert.match((await visitor.get('/ressources/guide-de-la-cooperation-decentralisee')).body, /Téléchargé 2 fois/);
    const admin = await staff.get(`/admin/ressources/${resource.id}`);
    assert.match(admin.body, /Téléchargements : 2/);
    assert.match(admin.body, /Texte du PDF lu : 2 pages,/);
    const listed = await staff.get('/admin/ressources?extraction=done');
    assert.match(listed.body, /Guide de la coopération décentralisée<\/a><\/td><td data-label="Type de ressource">Guide<\/td><td data-label="État">Publiée<\/td><td data-label="Texte du PDF">Texte lu<\/td><td data-label="Téléchargements">2<\/td>/);
  });

  test('a broken PDF records an extraction error shown to staff, and the resource is still published and downloadable', async () => {
    const res = await staff.postMultipart('/admin/ressources/nouvelle', { ...FORM, title: 'Rapport abîmé', intent: 'publish' }, [
      { field: 'file_upload', filename: 'rapport.pdf', content: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nnot a real pdf at all'), type: 'application/pdf' },
    ]);
    assert.equal(res.statusCode, 303);
    await t.kernel.jobs.runDue();
    const resource = (await bySlug('rapport-abime'))!;
    assert.equal(resource.extraction_status, 'failed');
    assert.equal(resource.extraction_error, 'invalid');
    assert.equal(resource.status, 'published');
    const admin = await staff.get(`/admin/ressources/${resource.id}`);
    assert.match(admin.body, /Le texte du PDF n’a pas pu être lu : le fichier est endommagé ou n’est pas un PDF valide/);
    assert.match((await staff.get('/admin/ressources?extraction=failed')).body, /Rapport abîmé/);
    assert.equal((await t.client().get('/ressources/rapport-abime/fichier')).statusCode, 200);
    assert.match((await t.client().get('/ressources?q=rapport+abime')).body, />1 ressource/, 'found by its title');
  });

  test('drafts are invisible to visitors (page, file, list, search, feeds, sitemap, newsletter); publishing shows them; an old slug redirects', async () => {
    const fileId = await storedFile(t.kernel, await makePdf(['Brouillon secret']), 'brouillon.pdf');
    const draft = await addResource(t.kernel, { title: 'Étude en préparation', file_id: fileId }, 'draft');
    await t.kernel.jobs.runDue();
    const visitor = t.client();
    assert.equal((await visitor.get(`/ressources/${draft.slug}`)).statusCode, 404);
    assert.equal((await visitor.get(`/ressources/${draft.slug}/fichier`)).statusCode, 404);
    assert.doesNotMatch((await visitor.get('/ressources')).body, /Étude en préparation/);
    assert.match((await visitor.get('/ressources?q=secret')).body, />0 ressource/);
    assert.equal((await resourcesSearchSection.search(t.kernel, 'secret', { role: 'staff', locale: 'fr', limit: 10, offset: 0 })).total, 0);
    assert.doesNotMatch((await visitor.get('/ressources/flux.rss')).body, /Étude en préparation/);
    const { resourcesModule } = await import('./index.js');
    assert.ok(!(await resourcesModule.sitemap!(t.kernel)).some((e) => e.path.includes(draft.slug)));
    assert.ok(!(await latestResources(t.kernel.db, { limit: 50 })).some((r) => r.title === 'Étude en préparation'));
    // Staff see it, and its file.
    assert.equal((await staff.get(`/admin/ressources/fichiers/${fileId}`)).statusCode, 200);

    assert.equal((await staff.post(`/admin/ressources/${draft.id}/statut`, { action: 'publish' })).statusCode, 303);
    assert.equal((await visitor.get(`/ressources/${draft.slug}`)).statusCode, 200);
    assert.match((await visitor.get('/ressources?q=secret')).body, />1 ressource/);
    assert.ok((await resourcesModule.sitemap!(t.kernel)).some((e) => e.path === `/ressources/${draft.slug}`));
    const latest = await latestResources(t.kernel.db, { since: '2000-01-01T00:00:00.000Z', limit: 50 });
    assert.deepEqual(
      latest.find((r) => r.title === 'Étude en préparation'),
      { id: draft.id, title: 'Étude en préparation', path: `/ressources/${draft.slug}`, kind: 'study', summary: 'Résumé de « Étude en préparation ».', date: latest.find((r) => r.title === 'Étude en préparation')!.date },
    );

    // A new title: a new address, the old one redirects (page and file).
    const edit = await staff.postMultipart(`/admin/ressources/${draft.id}`, { ...FORM, title: 'Étude terminée', file: fileId }, []);
    assert.equal(edit.statusCode, 303, edit.body.slice(0, 1500));
    const old = await visitor.get(`/ressources/${draft.slug}`);
    assert.equal(old.statusCode, 301);
    assert.equal(old.headers.location, '/ressources/etude-terminee');
    assert.equal((await visitor.get(`/ressources/${draft.slug}/fichier`)).headers.location, '/ressources/etude-terminee/fichier');
    const history = await listAudit(t.kernel.db, { entityType: 'resource', entityId: draft.id, limit: 10, offset: 0 });
    assert.deepEqual(history.rows.map((h) => h.action).sort(), ['resource.created', 'resource.published', 'resource.updated']);

    // Back to draft, then deleted with its file.
    assert.equal((await staff.post(`/admin/ressources/${draft.id}/statut`, { action: 'unpublish' })).statusCode, 303);
    assert.equal((await visitor.get('/ressources/etude-terminee')).statusCode, 404);
    const stored = (await repo.findFile(t.kernel.db, fileId))!;
    assert.equal((await staff.post(`/admin/ressources/${draft.id}/supprimer`, { confirm: '1' })).statusCode, 303);
    assert.equal(await repo.findResourceById(t.kernel.db, draft.id), undefined);
    assert.equal(await repo.findFile(t.kernel.db, fileId), undefined);
    assert.ok(!fs.existsSync(path.join(t.config.dataDir, 'uploads', stored.storage_path)));
  });

  test('a member proposes a resource of their organisation with a file; staff approve it in moderation; it is published and searchable', async () => {
    const member = await t.loginAs('member', 'awa@example.org');
    const user = (await findUserByEmail(t.kernel.db, 'awa@example.org'))!;
    await linkUserToOrganisation(t.kernel.db, user.id, orgId, new Date().toISOString());
    const form = await member.get('/mon-espace/ressources/nouvelle');
    for (const guessed of ['nouveau', 'nouvel']) {
      const res = await member.get(`/mon-espace/ressources/${guessed}`);
      assert.equal(res.statusCode, 301, guessed);
      assert.equal(res.headers.location, '/mon-espace/ressources/nouvelle');
    }
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /enctype="multipart\/form-data"/);
    assert.match(form.body, new RegExp(`<option value="${orgId}" selected>Eau Vive Gironde</option>`));
    assert.match(form.body, /<option value="" selected>— Choisir —<\/option><option value="study">Étude<\/option>/, 'no kind is preselected');
    assert.doesNotMatch(form.body, /<option value="brochure" selected>/);
    const pdf = await makePdf(['Brochure de l’association', 'Nos actions de potabilisation à Kédougou.']);
    const noFile = await member.postMultipart('/mon-espace/ressources/nouvelle', { ...FORM, title: 'Brochure Eau Vive', kind: 'brochure', organisation: orgId }, []);
    assert.equal(noFile.statusCode, 400);
    assert.match(noFile.body, /Joignez un fichier ou indiquez un lien vers le document/);
    const sent = await member.postMultipart('/mon-espace/ressources/nouvelle', { ...FORM, title: 'Brochure Eau Vive', kind: 'brochure', organisation: orgId }, [
      { field: 'file_upload', filename: 'brochure.pdf', content: pdf, type: 'application/pdf' },
    ]);
    assert.equal(sent.statusCode, 303);
    assert.equal(await bySlug('brochure-eau-vive'), undefined, 'nothing published before review');
    const mine = await member.get('/mon-espace/ressources');
    assert.match(mine.body, /Brochure Eau Vive/);
    assert.match(mine.body, /Proposition en attente/);

    const queue = await staff.get('/admin/moderation?type=resource');
    const proposalId = /href="\/admin\/moderation\/([0-9a-f-]{36})">Brochure Eau Vive</.exec(queue.body)?.[1];
    assert.ok(proposalId, 'the proposal is in the moderation queue');
    const detail = await staff.get(`/admin/moderation/${proposalId}`);
    assert.match(detail.body, /brochure\.pdf \(PDF, \d+(,\d)? ko\)/);
    assert.match(detail.body, /Brochure d’un membre/);
    assert.match(detail.body, /Eau Vive Gironde/);
    // Staff open the proposed file from the proposal itself, before publishing it.
    const fileId = /<ins class="mod-value"><a href="\/admin\/ressources\/fichiers\/([0-9a-f-]{36})">brochure\.pdf \(PDF, \d+(,\d)? ko\)<\/a><\/ins>/.exec(detail.body)?.[1];
    assert.ok(fileId, 'the « Document » row links to the proposed file');
    const editForm = await staff.get(`/admin/moderation/${proposalId}/modifier`);
    assert.match(editForm.body, new RegExp(`href="/admin/ressources/fichiers/${fileId}"`), 'and so does the form of « Corriger puis accepter »');
    const opened = await staff.get(`/admin/ressources/fichiers/${fileId}`);
    assert.equal(opened.statusCode, 200);
    assert.equal(opened.headers['content-type'], 'application/pdf');
    assert.match(String(opened.headers['content-disposition']), /^attachment; filename="brochure\.pdf"/);
    assert.equal(opened.headers['x-content-type-options'], 'nosniff');
    assert.equal(opened.headers['cache-control'], 'private, no-store');
    assert.equal(opened.rawPayload.subarray(0, 5).toString(), '%PDF-');
    // Nobody else: the proposer, another member, a visitor.
    assert.equal((await member.get(`/admin/ressources/fichiers/${fileId}`)).statusCode, 403);
    assert.equal((await (await t.loginAs('member', 'autre-membre@example.org')).get(`/admin/ressources/fichiers/${fileId}`)).statusCode, 403);
    const visitor = await t.client().get(`/admin/ressources/fichiers/${fileId}`);
    assert.equal(visitor.statusCode, 302, 'a visitor is sent to the sign-in page');
    assert.doesNotMatch(visitor.body, /%PDF-/);
    assert.equal((await t.client().get(`/ressources/brochure-eau-vive/fichier`)).statusCode, 404, 'not public before it is accepted');

    assert.equal((await staff.post(`/admin/moderation/${proposalId}/approuver`)).statusCode, 303);
    const published = (await bySlug('brochure-eau-vive'))!;
    assert.equal(published.status, 'published');
    assert.equal(published.source, 'member');
    assert.equal(published.file_id, fileId);
    await t.kernel.jobs.runDue();
    assert.match((await t.client().get('/ressources?q=kedougou')).body, />1 ressource/);
    assert.equal((await t.client().get('/ressources/brochure-eau-vive/fichier')).statusCode, 200);
    assert.match((await member.get('/mon-espace/ressources')).body, /href="\/ressources\/brochure-eau-vive"/);
    assert.match(t.smtp.lastTo('awa@example.org')?.parsed.subject ?? '', /acceptée/);
  });

  test('a member cannot attach another organisation or someone else’s file', async () => {
    const member = await t.loginAs('member', 'moussa@example.org');
    const user = (await findUserByEmail(t.kernel.db, 'moussa@example.org'))!;
    const other = await addOrganisation(t.kernel, { name: 'Jumelage Pessac', kind_code: 'association', commune: 'Pessac', postcode: '33600' });
    await linkUserToOrganisation(t.kernel.db, user.id, other.id, new Date().toISOString());
    await member.get('/mon-espace/ressources/nouvelle');
    const foreignFile = await storedFile(t.kernel, await makePdf(['Document d’une autre structure']), 'autre.pdf');
    const res = await member.postMultipart('/mon-espace/ressources/nouvelle', { ...FORM, title: 'Emprunt', organisation: orgId, file: foreignFile }, []);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Choisissez une de vos structures/);
    assert.match(res.body, /Joignez un fichier ou indiquez un lien/);
  });

  test('office documents and images are accepted by content; the file name does not matter', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Budget').addRow(['Projet', 1200]);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    const res = await staff.postMultipart('/admin/ressources/nouvelle', { ...FORM, title: 'Budget type', kind: 'toolkit', intent: 'publish' }, [{ field: 'file_upload', filename: 'budget.bin', content: xlsx, type: 'application/octet-stream' }]);
    assert.equal(res.statusCode, 303);
    const resource = (await bySlug('budget-type'))!;
    assert.equal(resource.extraction_status, 'none');
    const file = await t.client().get('/ressources/budget-type/fichier');
    assert.equal(file.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.match(String(file.headers['content-disposition']), /filename="budget\.xlsx"/);
    assert.match((await t.client().get('/ressources/budget-type')).body, /Excel, \d+(,\d)? ko/);
  });

  test('a resource can be a link only; opening it is counted', async () => {
    const res = await staff.postMultipart('/admin/ressources/nouvelle', { ...FORM, title: 'Rapport annuel AFD', kind: 'report', external_url: 'https://www.afd.fr/rapport.pdf', intent: 'publish' }, []);
    assert.equal(res.statusCode, 303);
    const open = await t.client().get('/ressources/rapport-annuel-afd/fichier');
    assert.equal(open.statusCode, 303);
    assert.equal(open.headers.location, 'https://www.afd.fr/rapport.pdf');
    assert.equal((await bySlug('rapport-annuel-afd'))!.download_count, 1);
    const bad = await staff.postMultipart('/admin/ressources/nouvelle', { ...FORM, title: 'Lien douteux', external_url: 'javascript:alert(1)' }, []);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Indiquez une adresse complète commençant par https:\/\//);
  });

  test('countries are written « Sénégal (SN) » as in every form, and read in both orders, a name with a comma included', async () => {
    const res = await staff.postMultipart('/admin/ressources/nouvelle', { ...FORM, title: 'Atlas des partenariats', kind: 'report', external_url: 'https://exemple.org/atlas', countries: 'SN (Sénégal), Bonaire, Saint-Eustache et Saba (BQ), Côte d’Ivoire', intent: 'draft' }, []);
    assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
    const resource = (await bySlug('atlas-des-partenariats'))!;
    assert.deepEqual(resource.countries, ['BQ', 'CI', 'SN']);
    const edit = (await staff.get(`/admin/ressources/${resource.id}`)).body;
    assert.match(edit, /value="Bonaire, Saint-Eustache et Saba \(BQ\), Côte d’Ivoire \(CI\), Sénégal \(SN\)"/);
    assert.doesNotMatch(edit, /SN \(Sénégal\)/);
  });

  test('the new resource form answers at /nouveau and /nouvel too (a permanent redirect, the query kept)', async () => {
    for (const guessed of ['nouveau', 'nouvel']) {
      const res = await staff.get(`/admin/ressources/${guessed}?type=guide`);
      assert.equal(res.statusCode, 301, guessed);
      assert.equal(res.headers.location, '/admin/ressources/nouvelle?type=guide');
    }
    assert.equal((await t.client().get('/admin/ressources/nouveau')).statusCode, 302);
  });

  test('filters are in the query string; the RSS and Atom feeds parse back with absolute links and dates', async () => {
    const visitor = t.client();
    const filtered = await visitor.get('/ressources?kind=guide&country=SN&year=2025&organisation=eau-vive-gironde&theme=water_sanitation');
    assert.match(filtered.body, />1 ressource/);
    assert.match(filtered.body, /Guide de la coopération décentralisée/);
    assert.match(filtered.body, /<link rel="alternate" type="application\/rss\+xml"[^>]*href="\/ressources\/flux\.rss\?kind=guide&(amp;)?theme=water_sanitation&(amp;)?country=SN&(amp;)?year=2025&(amp;)?organisation=eau-vive-gironde"/);
    assert.match((await visitor.get('/ressources?kind=report')).body, /Rapport annuel AFD/);
    assert.doesNotMatch((await visitor.get('/ressources?kind=report')).body, /Guide de la coopération décentralisée/);

    const rssRes = await visitor.get('/ressources/flux.rss');
    assert.equal(rssRes.statusCode, 200);
    assert.match(String(rssRes.headers['content-type']), /application\/rss\+xml/);
    const rss = parseRssFeed(rssRes.body);
    const titles = rss.items?.map((i) => i.title) ?? [];
    assert.ok(titles.includes('Guide de la coopération décentralisée'));
    assert.ok(!titles.includes('Étude terminée'), 'no draft in the feed');
    for (const item of rss.items ?? []) {
      assert.match(item.link ?? '', /^http:\/\/localhost:3000\/ressources\/[a-z0-9-]+$/);
      assert.ok(!Number.isNaN(new Date(String(item.pubDate)).getTime()));
    }
    const atomRes = await visitor.get('/ressources/flux.atom?kind=guide&organisation=eau-vive-gironde');
    const atom = parseAtomFeed(atomRes.body);
    assert.deepEqual(
      atom.entries?.map((e) => (typeof e.title === 'object' ? e.title?.value : e.title)),
      ['Guide de la coopération décentralisée'],
    );
    for (const entry of atom.entries ?? []) {
      assert.match(entry.links?.[0]?.href ?? '', /^http:\/\/localhost:3000\/ressources\//);
      assert.match(String(entry.updated), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    }
  });

  test('a merge of organisations moves their resources to the survivor; the undo moves them back', async () => {
    const survivor = await addOrganisation(t.kernel, { name: 'Cités Unies Aquitaine', kind_code: 'association', commune: 'Bordeaux', postcode: '33000' });
    const absorbed = await addOrganisation(t.kernel, { name: 'Cites Unies Aquitaine (doublon)', kind_code: 'association', commune: 'Bordeaux', postcode: '33000' });
    const resource = await addResource(t.kernel, { title: 'Annuaire des jumelages', organisation_id: absorbed.id, external_url: 'https://example.org/annuaire.pdf' });
    const actor = { id: null, email: 'equipe@example.org' };
    const { mergeId } = await mergeOrganisations(t.kernel, actor, { survivorId: survivor.id, absorbedId: absorbed.id });
    assert.equal((await repo.findResourceById(t.kernel.db, resource.id))!.organisation_id, survivor.id);
    await undoMerge(t.kernel, actor, mergeId);
    assert.equal((await repo.findResourceById(t.kernel.db, resource.id))!.organisation_id, absorbed.id);
  });

  test('staff may edit a proposal before approving it: the proposed file is kept', async () => {
    const member = await t.loginAs('member', 'fatou@example.org');
    const user = (await findUserByEmail(t.kernel.db, 'fatou@example.org'))!;
    await linkUserToOrganisation(t.kernel.db, user.id, orgId, new Date().toISOString());
    await member.get('/mon-espace/ressources/nouvelle');
    const sent = await member.postMultipart('/mon-espace/ressources/nouvelle', { ...FORM, title: 'Fiche pratiqe', kind: 'toolkit', organisation: orgId }, [
      { field: 'file_upload', filename: 'fiche.png', content: await sharp({ create: { width: 8, height: 8, channels: 3, background: '#1f6f8b' } }).png().toBuffer(), type: 'image/png' },
    ]);
    assert.equal(sent.statusCode, 303);
    const queue = await staff.get('/admin/moderation?type=resource');
    const proposalId = /href="\/admin\/moderation\/([0-9a-f-]{36})">Fiche pratiqe</.exec(queue.body)?.[1];
    assert.ok(proposalId);
    const form = await staff.get(`/admin/moderation/${proposalId}/modifier`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="organisation"[^>]*value="eau-vive-gironde"/);
    const fileId = /name="file" value="([0-9a-f-]{36})"/.exec(form.body)?.[1];
    assert.ok(fileId);
    const res = await staff.post(`/admin/moderation/${proposalId}/modifier`, { ...FORM, title: 'Fiche pratique', kind: 'toolkit', organisation: 'eau-vive-gironde', file: fileId, decision_message: 'Titre corrigé.' });
    assert.equal(res.statusCode, 303, res.body.slice(0, 1500));
    const published = (await bySlug('fiche-pratique'))!;
    assert.equal(published.status, 'published');
    assert.equal(published.file_id, fileId);
    const image = await t.client().get('/ressources/fiche-pratique/fichier');
    assert.equal(image.headers['content-type'], 'image/png');
    assert.equal(image.headers['content-security-policy'] === undefined || !String(image.headers['content-security-policy']).startsWith('sandbox'), true, 'images are not sandboxed');
    assert.match(String(image.headers['content-disposition']), /^attachment; filename="fiche\.png"/);
  });

  // Last: it uploads a PDF, which earlier tests count.
  test('a new resource has no kind chosen in advance: sent without one, it is refused in French, keeping what was typed and the uploaded file', async () => {
    const form = await staff.get('/admin/ressources/nouvelle');
    assert.match(form.body, /<option value="" selected>— Choisir —<\/option><option value="study">Étude<\/option>/, 'no kind is preselected');
    assert.match(form.body, /<option value="">Non précisée<\/option><option value="fr" selected>Français<\/option>/, 'French is proposed, and may be left unspecified');
    const { kind: _kind, ...withoutKind } = FORM;
    const pdf = await makePdf(['Une étude sans type choisi.']);
    const res = await staff.postMultipart('/admin/ressources/nouvelle', { ...withoutKind, title: 'Étude sans type', intent: 'publish' }, [{ field: 'file_upload', filename: 'sans-type.pdf', content: pdf, type: 'application/pdf' }]);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /<h2>Le formulaire contient 1 erreur\u00a0:<\/h2><ul><li><a href="#f-kind">Choisissez le type de ressource\.<\/a>/);
    assert.match(res.body, /<p class="field-error" id="f-kind-error">Choisissez le type de ressource\.<\/p><select id="f-kind" name="kind" required aria-invalid="true"/);
    assert.match(res.body, /<option value="" selected>— Choisir —<\/option>/);
    assert.match(res.body, /value="Étude sans type"/, 'what was typed stays');
    assert.match(res.body, /Fichier joint\u00a0: sans-type\.pdf \(PDF, \d+(,\d)? ko\)\.<\/span> <span>Il est gardé\u00a0: inutile de le choisir à nouveau\.<\/span>/);
    assert.equal(await bySlug('etude-sans-type'), undefined, 'nothing saved');
    const fileId = /name="file" value="([0-9a-f-]{36})"/.exec(res.body)?.[1];
    assert.ok(fileId, 'the page carries the uploaded file');
    const sent = await staff.postMultipart('/admin/ressources/nouvelle', { ...withoutKind, title: 'Étude sans type', kind: 'study', file: fileId, intent: 'draft' }, []);
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 2000));
    const saved = (await bySlug('etude-sans-type'))!;
    assert.equal(saved.kind, 'study');
    assert.equal(saved.file_id, fileId, 'the file sent the first time is the resource’s');
  });
});
