import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import PDFDocument from 'pdfkit';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { refuseWrites } from '../../../test/helpers/refuse-writes.js';
import { createOrganisation, taxonomies, taxonomyCodes, validateOrganisation } from '../organisations/index.js';
import { createCall } from './service.js';
import { callDraft } from './test-fixtures.js';

// Saturday 10 January 2026, 11:00 in Paris: a fixed clock in the past (sessions signed in now stay valid).
const NOW = new Date('2026-01-10T10:00:00Z');
const SOURCE_ID = '01900000-0000-7000-8000-0000000001a1';
const ITEM_ID = '01900000-0000-7000-8000-0000000001a2';

function decode(text: string): string {
  return text
    .replace(/&#39;/g, "'")
    .replace(/&#34;/g, '"')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

async function pdf(text: string): Promise<Buffer> {
  const doc = new PDFDocument();
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => doc.on('end', resolve));
  doc.text(text);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/** A form post with repeated fields (the test client's post takes one value per name). */
async function postFields(client: Client, url: string, fields: Array<[string, string]>) {
  const body = new URLSearchParams(fields);
  body.set('_csrf', await client.csrf());
  return client.request('POST', url, { payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

const BASE_FORM: Array<[string, string]> = [
  ['title', 'Fonds pour l’innovation sociale'],
  ['funder', 'Région Bretagne'],
  ['summary', 'Un fonds pour les projets innovants.'],
  ['description', 'Premier paragraphe.\n\n<script>alert(1)</script>Second.'],
  ['opens_on', '2027-01-01'],
  ['closes_on', '2027-02-15'],
  ['closes_time', '17:00'],
  ['amount_min', '10 000'],
  ['amount_max', '40000'],
  ['cofinancing_rate', '50'],
  ['kinds', 'association'],
  ['kinds', 'local_authority'],
  ['themes', 'health'],
  ['regions', '53'],
  ['departments', 'Finistère'],
  ['zones', 'west_africa'],
  ['countries', 'Mali, BF'],
  ['link_url', 'https://region.example/fonds'],
];

forEachDialect('calls for projects: back office, documents, promotion from the watch', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let visitor: Client;
  let callId = '';

  before(async () => {
    t = await testApp(dialect, { clock: { now: () => NOW } });
    staff = await t.loginAs('staff');
    visitor = t.client();
  });
  after(() => t.close());

  const callRow = (id: string) => t.kernel.db.selectFrom('calls').selectAll().where('id', '=', id).executeTakeFirst();

  test('staff create a draft: invisible to visitors until published, then taken back', async () => {
    const refused = await postFields(staff, '/admin/appels-a-projets/nouveau', [['title', 'x'], ['closes_on', '2027-02-30'], ['amount_min', 'beaucoup']]);
    assert.equal(refused.statusCode, 400);
    assert.match(decode(refused.body), /Le titre doit compter de 3 à 200 caractères/);
    assert.match(decode(refused.body), /Date invalide/);
    assert.match(decode(refused.body), /Montant invalide/);
    assert.match(refused.body, /aria-describedby="f-title-error"/);
    // A text too long names its field in the summary.
    const long = await postFields(staff, '/admin/appels-a-projets/nouveau', [['title', 'Appel trop bavard'], ['funder', 'Région'], ['closes_on', '2027-02-01'], ['summary', 'x'.repeat(601)]]);
    assert.equal(long.statusCode, 400);
    assert.match(decode(/<div class="error-summary"[\s\S]*?<\/div>/.exec(long.body)?.[0] ?? ''), /<a href="#f-summary">Le résumé compte 600 caractères au plus\.<\/a>/);
    // The date fields are date pickers, which show the browser's own format: no hint contradicts them.
    assert.match(refused.body, /name="closes_on" type="date"|type="date"[^>]*name="closes_on"/);
    assert.doesNotMatch(decode((await staff.get('/admin/appels-a-projets/nouveau')).body), /AAAA-MM-JJ/);

    const res = await postFields(staff, '/admin/appels-a-projets/nouveau', [...BASE_FORM, ['intent', 'draft']]);
    assert.equal(res.statusCode, 303);
    callId = String(res.headers.location).split('/').pop()!;
    const row = (await callRow(callId))!;
    assert.equal(row.status, 'draft');
    assert.equal(Number(row.amount_min_cents), 1_000_000);
    assert.equal(row.closes_at, '2027-02-15T16:00:00.000Z');
    assert.doesNotMatch(row.description_html ?? '', /script/);
    const links = await t.kernel.db.selectFrom('call_kinds').select('kind_code').where('call_id', '=', callId).orderBy('kind_code').execute();
    assert.deepEqual(links.map((l) => l.kind_code), ['association', 'local_authority']);
    const departments = await t.kernel.db.selectFrom('call_departments').select('department_code').where('call_id', '=', callId).execute();
    assert.deepEqual(departments.map((d) => d.department_code), ['29']);

    assert.equal((await visitor.get(`/appels-a-projets/${row.slug}`)).statusCode, 404);
    assert.doesNotMatch((await visitor.get('/appels-a-projets')).body, /innovation sociale/);
    // Staff preview it.
    const preview = await staff.get(`/appels-a-projets/${row.slug}`);
    assert.equal(preview.statusCode, 200);
    assert.match(decode(preview.body), /Brouillon : cet appel n’est visible que par l’équipe du réseau/);

    const list = await staff.get('/admin/appels-a-projets?publication=draft');
    assert.match(decode(list.body), /Fonds pour l’innovation sociale/);
    assert.match(decode(list.body), /Brouillon/);

    assert.equal((await staff.post(`/admin/appels-a-projets/${callId}/statut`, { action: 'publish' })).statusCode, 303);
    assert.equal((await callRow(callId))!.published_at, NOW.toISOString());
    assert.match(decode((await visitor.get('/appels-a-projets')).body), /Fonds pour l’innovation sociale/);
    assert.equal((await staff.post(`/admin/appels-a-projets/${callId}/statut`, { action: 'unpublish' })).statusCode, 303);
    assert.equal((await visitor.get(`/appels-a-projets/${row.slug}`)).statusCode, 404);
    assert.equal((await staff.post(`/admin/appels-a-projets/${callId}/statut`, { action: 'publish' })).statusCode, 303);
    assert.equal((await staff.post(`/admin/appels-a-projets/${callId}/statut`, { action: 'archive' })).statusCode, 400);
  });

  test('the edit form shows what was saved; a change is audit-logged with before and after', async () => {
    const page = await staff.get(`/admin/appels-a-projets/${callId}`);
    assert.equal(page.statusCode, 200);
    const body = decode(page.body);
    assert.match(body, /value="10000"/);
    assert.match(body, /value="Burkina Faso \(BF\), Mali \(ML\)"/);
    assert.match(body, /value="Finistère \(29\)"/);
    assert.match(body, /value="17:00"/);
    assert.match(body, /<input type="checkbox" name="kinds" value="local_authority" checked/);

    const res = await postFields(staff, `/admin/appels-a-projets/${callId}`, [...BASE_FORM.filter(([k]) => k !== 'amount_max'), ['amount_max', '45 000']]);
    assert.equal(res.statusCode, 303);
    const history = decode((await staff.get(`/admin/appels-a-projets/${callId}`)).body);
    const labels = { 'call.created': 'Appel à projets créé', 'call.publish': 'Appel à projets publié', 'call.unpublish': 'Appel à projets retiré de la publication', 'call.updated': 'Appel à projets modifié' };
    for (const [action, label] of Object.entries(labels)) assert.ok(history.includes(`data-action="${action}">${label}</td>`), `the history says « ${label} »`);
    const audit = await t.kernel.db.selectFrom('audit_log').selectAll().where('entity_id', '=', callId).where('action', '=', 'call.updated').executeTakeFirstOrThrow();
    assert.equal(JSON.parse(audit.before!).amount_max_cents, 4_000_000);
    assert.equal(JSON.parse(audit.after!).amount_max_cents, 4_500_000);
  });

  test('documents: PDF and office files by content, 10 MB each; images and oversized files refused; downloads', async () => {
    const page = await staff.get(`/admin/appels-a-projets/${callId}`);
    assert.equal(page.statusCode, 200);
    const fields = Object.fromEntries(BASE_FORM.filter(([k]) => !['kinds', 'themes', 'regions', 'zones'].includes(k)));
    const res = await staff.postMultipart(`/admin/appels-a-projets/${callId}`, { ...fields, document_title: '' }, [
      { field: 'documents', filename: 'Règlement de l’appel.pdf', content: await pdf('Règlement'), type: 'application/pdf' },
      { field: 'documents', filename: 'photo.pdf', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Buffer.alloc(64)]), type: 'application/pdf' },
      { field: 'documents', filename: 'enorme.pdf', content: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024)]), type: 'application/pdf' },
    ]);
    assert.equal(res.statusCode, 303);
    const after = decode((await staff.get(`/admin/appels-a-projets/${callId}`)).body);
    assert.match(after, /« photo\.pdf » n’a pas été ajouté : seuls les PDF et les fichiers bureautiques sont acceptés/);
    assert.match(after, /« enorme\.pdf » n’a pas été ajouté : il dépasse 10 Mo/);
    assert.match(after, /1 document ajouté\./);
    const docs = await t.kernel.db.selectFrom('call_documents').selectAll().where('call_id', '=', callId).execute();
    assert.equal(docs.length, 1);
    assert.equal(docs[0]!.title, 'Règlement de l’appel');

    const row = (await callRow(callId))!;
    const publicPage = decode((await visitor.get(`/appels-a-projets/${row.slug}`)).body);
    assert.match(publicPage, new RegExp(`href="/appels-a-projets/documents/${docs[0]!.id}">Règlement de l’appel</a> <span class="hint">\\(PDF, \\d+ ko\\)`));
    const download = await visitor.get(`/appels-a-projets/documents/${docs[0]!.id}`);
    assert.equal(download.statusCode, 200);
    assert.equal(download.headers['content-type'], 'application/pdf');
    assert.match(String(download.headers['content-disposition']), /^attachment; filename=".*\.pdf"; filename\*=UTF-8''/);
    assert.equal(download.headers['x-content-type-options'], 'nosniff');
    assert.equal(download.rawPayload.subarray(0, 5).toString(), '%PDF-');

    // A draft's documents are for staff only.
    await staff.post(`/admin/appels-a-projets/${callId}/statut`, { action: 'unpublish' });
    assert.equal((await visitor.get(`/appels-a-projets/documents/${docs[0]!.id}`)).statusCode, 404);
    assert.equal((await staff.get(`/appels-a-projets/documents/${docs[0]!.id}`)).statusCode, 200);
    await staff.post(`/admin/appels-a-projets/${callId}/statut`, { action: 'publish' });

    const file = await t.kernel.db.selectFrom('files').selectAll().where('id', '=', docs[0]!.file_id).executeTakeFirstOrThrow();
    const onDisk = path.join(t.config.dataDir, 'uploads', file.storage_path);
    assert.ok(fs.existsSync(onDisk));
    assert.equal((await staff.post(`/admin/appels-a-projets/${callId}/documents/${docs[0]!.id}/supprimer`)).statusCode, 303);
    assert.ok(!fs.existsSync(onDisk), 'the file is gone from the disk');
    assert.equal((await visitor.get(`/appels-a-projets/documents/${docs[0]!.id}`)).statusCode, 404);
  });

  test('the funder may be linked to the directory; the public page then links to its record', async () => {
    const valid = validateOrganisation({ name: 'Conseil régional de Bretagne', kind_code: 'local_authority', commune: '35238', postcode: '35000' }, taxonomyCodes(await taxonomies(t.kernel.db)), { currentYear: 2026 });
    if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
    const region = await createOrganisation({ db: t.kernel.db, clock: t.kernel.clock }, { id: null, email: null }, valid.draft);
    let res = await postFields(staff, `/admin/appels-a-projets/${callId}`, [...BASE_FORM, ['funder_organisation', 'Association inconnue du réseau']]);
    assert.equal(res.statusCode, 400);
    assert.match(decode(res.body), /Aucune fiche de l’annuaire ne s’appelle « Association inconnue du réseau »/);
    res = await postFields(staff, `/admin/appels-a-projets/${callId}`, [...BASE_FORM, ['funder_organisation', `http://localhost:3000/acteurs/${region.slug}`]]);
    assert.equal(res.statusCode, 303);
    assert.equal((await callRow(callId))!.funder_organisation_id, region.id);
    const row = (await callRow(callId))!;
    assert.match((await visitor.get(`/appels-a-projets/${row.slug}`)).body, new RegExp(`<a href="/acteurs/${region.slug}">Région Bretagne</a>`));
  });

  test('a watch item promoted to a call: the form is prefilled and the call remembers the item', async () => {
    const at = NOW.toISOString();
    const db = t.kernel.db;
    await db
      .insertInto('watch_sources')
      .values({ id: SOURCE_ID, url: 'https://afd.example/feed.xml', name: 'Agence française de développement', category: 'funding', site_url: null, etag: null, last_modified: null, last_fetched_at: null, last_success_at: null, last_error: null, next_fetch_at: '2999-01-01T00:00:00.000Z', created_by: null, created_at: at, updated_at: at })
      .execute();
    await db
      .insertInto('watch_items')
      .values({
        id: ITEM_ID,
        source_id: SOURCE_ID,
        guid: 'g1',
        link_key: null,
        title_key: 'k',
        link: 'https://afd.example/appels/fisong-2027',
        title: 'Appel FISONG 2027 « Santé communautaire »',
        summary_html: '<p>La facilité <em>FISONG</em> soutient les ONG.</p><script>alert(1)</script>',
        excerpt: 'La facilité FISONG soutient les ONG.',
        author: null,
        published_at: at,
        date_missing: 0,
        content_hash: 'h',
        status: 'new',
        category: 'funding',
        note: null,
        decided_by: null,
        decided_at: null,
        search_text: 'fisong',
        first_seen_at: at,
        updated_at: at,
      })
      .execute();
    await db.insertInto('watch_item_themes').values({ item_id: ITEM_ID, theme_code: 'health' }).execute();
    await db.insertInto('watch_item_countries').values([{ item_id: ITEM_ID, country_code: 'SN' }, { item_id: ITEM_ID, country_code: 'ML' }]).execute();

    const item = decode((await staff.get(`/admin/veille/elements/${ITEM_ID}`)).body);
    assert.match(item, /En faire un appel à projets/);
    const promoted = await staff.post(`/admin/veille/elements/${ITEM_ID}/promouvoir/call`);
    assert.equal(promoted.statusCode, 303);
    assert.equal(promoted.headers.location, `/admin/appels-a-projets/nouveau?veille=${ITEM_ID}`);

    const form = await staff.get(String(promoted.headers.location));
    assert.equal(form.statusCode, 200);
    const body = decode(form.body);
    assert.match(body, /Prérempli depuis un élément de la veille \(Agence française de développement\)/);
    assert.match(body, /name="title" type="text" value="Appel FISONG 2027 « Santé communautaire »"/);
    assert.match(body, /name="funder" type="text" value="Agence française de développement"/);
    assert.match(body, /name="link_url" type="url" value="https:\/\/afd.example\/appels\/fisong-2027"/);
    // A short text in one paragraph is the summary only (without its markup): the public page would
    // read it twice were it the description too.
    const summary = /<textarea[^>]*name="summary"[^>]*>([\s\S]*?)<\/textarea>/.exec(body)?.[1];
    assert.equal(summary, 'La facilité FISONG soutient les ONG.');
    const description = /<textarea[^>]*name="description"[^>]*>([\s\S]*?)<\/textarea>/.exec(body)?.[1];
    assert.equal(description, '', 'the same text is not in the description too');
    assert.match(body, /<input type="checkbox" name="themes" value="health" checked/);
    assert.match(body, /value="Mali \(ML\), Sénégal \(SN\)"/);
    assert.match(body, new RegExp(`<input type="hidden" name="watch_item_id" value="${ITEM_ID}"`));
    assert.doesNotMatch(form.body, /<script>alert/);
    assert.equal((await staff.get('/admin/appels-a-projets/nouveau?veille=01900000-0000-7000-8000-00000000ffff')).statusCode, 404);

    // Staff complete the deadline and publish.
    const fields: Array<[string, string]> = [
      ['title', 'Appel FISONG 2027 « Santé communautaire »'],
      ['funder', 'Agence française de développement'],
      ['summary', 'La facilité FISONG soutient les ONG.'],
      ['themes', 'health'],
      ['countries', 'Mali (ML), Sénégal (SN)'],
      ['link_url', 'https://afd.example/appels/fisong-2027'],
      ['watch_item_id', ITEM_ID],
      ['closes_on', '2026-01-22'],
      ['intent', 'publish'],
    ];
    const res = await postFields(staff, '/admin/appels-a-projets/nouveau', fields);
    assert.equal(res.statusCode, 303);
    const id = String(res.headers.location).split('/').pop()!;
    const row = (await callRow(id))!;
    assert.equal(row.watch_item_id, ITEM_ID);
    assert.equal(row.status, 'published');
    const edit = decode((await staff.get(`/admin/appels-a-projets/${id}`)).body);
    assert.match(edit, new RegExp(`Créé depuis un élément de la veille \\(Agence française de développement\\) :</span> <a href="/admin/veille/elements/${ITEM_ID}">`));
    // The item counts as kept: it left « À trier », its page links to the call, and a second
    // promotion names the call before anything else is created.
    const kept = await t.kernel.db.selectFrom('watch_items').select(['status', 'decided_at']).where('id', '=', ITEM_ID).executeTakeFirstOrThrow();
    assert.equal(kept.status, 'kept');
    assert.ok(kept.decided_at);
    assert.doesNotMatch((await staff.get('/admin/veille')).body, new RegExp(`data-item="${ITEM_ID}"`));
    const itemPage = decode((await staff.get(`/admin/veille/elements/${ITEM_ID}`)).body);
    assert.match(itemPage, new RegExp(`<h2 id="promoted-title">Ce que cet élément est devenu</h2>[\\s\\S]*<a href="/admin/appels-a-projets/${id}">Appel à projets «\\s*Appel FISONG 2027 « Santé communautaire »\\s*» \\(publié\\)</a>`));
    assert.match(itemPage, /<option value="kept" selected/);
    const again = await staff.post(`/admin/veille/elements/${ITEM_ID}/promouvoir/call`);
    assert.equal(again.statusCode, 409, 'nothing created yet: the page warns first');
    const warning = decode(again.body);
    assert.match(warning, /<section class="flash flash-info duplicate-warning" id="promote-again"[^>]*tabindex="-1">/);
    assert.match(warning, /Cet élément a déjà donné un appel à projets/);
    assert.match(warning, new RegExp(`id="promote-again"[\\s\\S]*<a href="/admin/appels-a-projets/${id}">Appel à projets «\\s*Appel FISONG`));
    assert.match(warning, /<input type="hidden" name="confirmer" value="1"\/>/);
    assert.match(warning, /Créer quand même un autre appel à projets/);
    const confirmed = await staff.post(`/admin/veille/elements/${ITEM_ID}/promouvoir/call`, { confirmer: '1' });
    assert.equal(confirmed.statusCode, 303);
    assert.equal(confirmed.headers.location, `/admin/appels-a-projets/nouveau?veille=${ITEM_ID}`);
    // Another target is no duplicate: promoting to news is not held up by the call.
    assert.equal((await staff.post(`/admin/veille/elements/${ITEM_ID}/promouvoir/news`)).statusCode, 303);
    const audit = await t.kernel.db.selectFrom('audit_log').select(['action', 'after']).where('entity_id', '=', ITEM_ID).execute();
    assert.deepEqual(audit.map((a) => [a.action, JSON.parse(a.after!)]), [['watch_item.promoted', { status: 'kept', target: 'call', id }]]);

    const home = decode((await visitor.get('/')).body);
    assert.match(home, /Appels à projets qui ferment bientôt[\s\S]*Appel FISONG 2027 « Santé communautaire »[\s\S]*Plus que 12 jours/);
  });

  test('a watch item from a source named by its host: no funder prefilled, the description in plain paragraphs', async () => {
    const at = NOW.toISOString();
    const db = t.kernel.db;
    const sourceId = '01900000-0000-7000-8000-0000000001b1';
    const itemId = '01900000-0000-7000-8000-0000000001b2';
    await db
      .insertInto('watch_sources')
      .values({ id: sourceId, url: 'http://127.0.0.1:8080/flux.xml', name: '127.0.0.1', category: 'funding', site_url: null, etag: null, last_modified: null, last_fetched_at: null, last_success_at: null, last_error: null, next_fetch_at: '2999-01-01T00:00:00.000Z', created_by: null, created_at: at, updated_at: at })
      .execute();
    await db
      .insertInto('watch_items')
      .values({
        id: itemId,
        source_id: sourceId,
        guid: 'g2',
        link_key: null,
        title_key: 'k2',
        link: 'https://fondation.example/appel-eau',
        title: 'Appel « Eau et assainissement »',
        summary_html: '<p>Premier <strong>paragraphe</strong> &amp; suite.</p><p>Second paragraphe.<br>Avec une ligne.</p>',
        excerpt: 'Premier paragraphe & suite.',
        author: null,
        published_at: at,
        date_missing: 0,
        content_hash: 'h2',
        status: 'kept',
        category: 'funding',
        note: null,
        decided_by: null,
        decided_at: null,
        search_text: 'eau',
        first_seen_at: at,
        updated_at: at,
      })
      .execute();
    const body = decode((await staff.get(`/admin/appels-a-projets/nouveau?veille=${itemId}`)).body);
    assert.match(body, /name="funder" type="text" value=""/, 'a bare host is no funder');
    const description = /<textarea[^>]*name="description"[^>]*>([\s\S]*?)<\/textarea>/.exec(body)?.[1];
    assert.equal(description, 'Premier paragraphe & suite.\n\nSecond paragraphe.\nAvec une ligne.');
    // Several paragraphs are the description only: the excerpt (its first lines) is not repeated as the summary.
    assert.equal(/<textarea[^>]*name="summary"[^>]*>([\s\S]*?)<\/textarea>/.exec(body)?.[1], '');
    assert.doesNotMatch(description ?? '', /<p>|<strong>/);

    // Saved as typed back (with the CRLF a browser posts), the paragraphs stay paragraphs.
    const res = await postFields(staff, '/admin/appels-a-projets/nouveau', [
      ['title', 'Appel « Eau et assainissement »'],
      ['funder', 'Fondation de l’eau'],
      ['description', description!.replace(/\n/g, '\r\n')],
      ['closes_on', '2026-03-01'],
      ['watch_item_id', itemId],
      ['intent', 'draft'],
    ]);
    assert.equal(res.statusCode, 303, res.body.slice(0, 1000));
    const row = (await callRow(String(res.headers.location).split('/').pop()!))!;
    assert.equal(row.description_html, '<p>Premier paragraphe &amp; suite.</p><p>Second paragraphe.<br />Avec une ligne.</p>');
  });

  test('saving a call made from a watch item and keeping the item are one transaction: refused, neither stays', async (ctx) => {
    const at = NOW.toISOString();
    const itemId = '01900000-0000-7000-8000-0000000001c2';
    await t.kernel.db
      .insertInto('watch_items')
      .values({ id: itemId, source_id: SOURCE_ID, guid: 'g3', link_key: null, title_key: 'k3', link: null, title: 'Appel « Climat »', summary_html: null, excerpt: '', author: null, published_at: at, date_missing: 0, content_hash: 'h3', status: 'new', category: null, note: null, decided_by: null, decided_at: null, search_text: 'climat', first_seen_at: at, updated_at: at })
      .execute();
    const calls = async () => Number((await t.kernel.db.selectFrom('calls').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await calls();
    const stop = await refuseWrites(ctx, t.kernel.db, dialect, 'watch_items', "NEW.status = 'kept'", 'UPDATE');
    await assert.rejects(createCall({ db: t.kernel.db, clock: t.kernel.clock }, { id: null, email: 'staff@example.org' }, callDraft({ title: 'Appel Climat', closes_on: '2026-06-01', watch_item_id: itemId })));
    assert.equal(await calls(), before, 'the call was not kept without its item');
    assert.equal((await t.kernel.db.selectFrom('watch_items').select('status').where('id', '=', itemId).executeTakeFirstOrThrow()).status, 'new');
    await stop();
    // A draft is enough: the item is kept once the call is saved, published or not.
    const draft = await createCall({ db: t.kernel.db, clock: t.kernel.clock }, { id: null, email: 'staff@example.org' }, callDraft({ title: 'Appel Climat', closes_on: '2026-06-01', watch_item_id: itemId }));
    assert.equal(draft.status, 'draft');
    assert.equal((await t.kernel.db.selectFrom('watch_items').select('status').where('id', '=', itemId).executeTakeFirstOrThrow()).status, 'kept');
    assert.match(decode((await staff.get(`/admin/veille/elements/${itemId}`)).body), new RegExp(`<a href="/admin/appels-a-projets/${draft.id}">Appel à projets «\\s*Appel Climat\\s*» \\(brouillon\\)</a>`));
  });

  test('the closing time is a text field that takes the French ways (« 17 h 30 »), kept and shown back as 17:30', async () => {
    const form = decode((await staff.get('/admin/appels-a-projets/nouveau')).body);
    assert.match(form, /<input[^>]*name="closes_time"[^>]*type="text"|<input[^>]*type="text"[^>]*name="closes_time"/);
    assert.match(form, /par exemple 12 h, 14 h 30, 14h30 ou 14:30/);
    const fields = BASE_FORM.map(([k, v]): [string, string] => [k, k === 'title' ? 'Fonds à l’heure française' : k === 'closes_time' ? '17 h 30' : v]);
    const res = await postFields(staff, '/admin/appels-a-projets/nouveau', [...fields, ['intent', 'draft']]);
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    const id = String(res.headers.location).split('/').pop()!;
    const row = (await callRow(id))!;
    assert.equal(row.closes_at, '2027-02-15T16:30:00.000Z');
    assert.match((await staff.get(`/admin/appels-a-projets/${id}`)).body, /name="closes_time"[^>]*value="17:30"|value="17:30"[^>]*name="closes_time"/);
    const refused = await postFields(staff, '/admin/appels-a-projets/nouveau', fields.map(([k, v]): [string, string] => [k, k === 'closes_time' ? '17 h 75' : v]));
    assert.equal(refused.statusCode, 400);
    assert.match(decode(refused.body), /Heure invalide\u00a0: indiquez une heure comme 14 h 30, 14h30 ou 14:30\./);
  });

  test('the new call form answers at /nouvelle and /nouvel too (a permanent redirect, the watch item kept)', async () => {
    for (const guessed of ['nouvelle', 'nouvel']) {
      const res = await staff.get(`/admin/appels-a-projets/${guessed}?veille=${ITEM_ID}`);
      assert.equal(res.statusCode, 301, guessed);
      assert.equal(res.headers.location, `/admin/appels-a-projets/nouveau?veille=${ITEM_ID}`);
    }
    assert.equal((await visitor.get('/admin/appels-a-projets/nouvelle')).statusCode, 302);
  });

  test('a plain description with a bare « < » is two paragraphs, shown with the sign, and edited back as typed', async () => {
    const typed = 'Budget : 3 < 5.\n\nSecond paragraphe.';
    const res = await postFields(staff, '/admin/appels-a-projets/nouveau', [
      ['title', 'Appel aux petits budgets'],
      ['funder', 'Fondation des budgets'],
      ['description', typed.replace(/\n/g, '\r\n')],
      ['closes_on', '2027-03-01'],
      ['intent', 'draft'],
    ]);
    assert.equal(res.statusCode, 303, res.body.slice(0, 1000));
    const id = String(res.headers.location).split('/').pop()!;
    const row = (await callRow(id))!;
    assert.equal(row.description_html, '<p>Budget : 3 &lt; 5.</p><p>Second paragraphe.</p>');
    assert.match((await staff.get(`/appels-a-projets/${row.slug}`)).body, /<div class="call-description rich-text"><p>Budget : 3 &lt; 5\.<\/p><p>Second paragraphe\.<\/p><\/div>/);
    const edit = decode((await staff.get(`/admin/appels-a-projets/${id}`)).body);
    assert.equal(/<textarea[^>]*name="description"[^>]*>([\s\S]*?)<\/textarea>/.exec(edit)?.[1], typed);
  });

  test('a call published with a closing date already past is kept, and staff are told it went to the archives', async () => {
    const fields = BASE_FORM.filter(([name]) => !['opens_on', 'closes_on', 'closes_time', 'title'].includes(name));
    const res = await postFields(staff, '/admin/appels-a-projets/nouveau', [...fields, ['title', 'Appel déjà clos à la création'], ['closes_on', '2020-05-01'], ['intent', 'publish']]);
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    const id = String(res.headers.location).split('/').pop()!;
    const page = decode((await staff.get(String(res.headers.location))).body);
    assert.match(page, /Appel «\s*Appel déjà clos à la création\s*» publié\./);
    assert.match(page, /<div class="flash flash-info" role="status">Attention\s*: cet appel est déjà clos \(clôture le 1er\s*mai\s*2020\)\. Il ne figure pas parmi les appels ouverts mais dans les archives des appels à projets\.<\/div>/);
    assert.match(page, /<a href="\/appels-a-projets\/archives">Voir les archives des appels à projets<\/a>/);
    assert.ok((await callRow(id))?.status === 'published', 'saved and published all the same');
    // Saved again, the notice comes again; a call still open gets none.
    await postFields(staff, `/admin/appels-a-projets/${id}`, [...fields, ['title', 'Appel déjà clos à la création'], ['closes_on', '2020-05-01']]);
    assert.match(decode((await staff.get(`/admin/appels-a-projets/${id}`)).body), /cet appel est déjà clos/);
    const open = await postFields(staff, '/admin/appels-a-projets/nouveau', [...BASE_FORM, ['intent', 'publish']]);
    const openPage = decode((await staff.get(String(open.headers.location))).body);
    assert.doesNotMatch(openPage, /déjà clos|Voir les archives des appels/);
    // A draft with a past date: told where it will go once published.
    const draft = await postFields(staff, '/admin/appels-a-projets/nouveau', [...fields, ['title', 'Brouillon déjà clos'], ['closes_on', '2020-05-01'], ['intent', 'draft']]);
    assert.match(decode((await staff.get(String(draft.headers.location))).body), /cet appel est déjà clos \(clôture le 1er\s*mai\s*2020\)\. Une fois publié, il figurera dans les archives/);
  });

  test('the publication filter’s « all » choice names the states', async () => {
    const page = (await staff.get('/admin/appels-a-projets')).body;
    assert.match(page, /<select id="f-publication" name="publication"><option value=""[^>]*>Tous les états<\/option>/);
  });

  test('deleting a call removes it, its documents and their files; the audit log keeps what it was', async () => {
    const row = (await callRow(callId))!;
    await staff.postMultipart(`/admin/appels-a-projets/${callId}`, Object.fromEntries(BASE_FORM.filter(([k]) => !['kinds'].includes(k))), [
      { field: 'documents', filename: 'budget.pdf', content: await pdf('Budget'), type: 'application/pdf' },
    ]);
    const file = await t.kernel.db
      .selectFrom('call_documents as d')
      .innerJoin('files as f', 'f.id', 'd.file_id')
      .select(['f.id', 'f.storage_path'])
      .where('d.call_id', '=', callId)
      .executeTakeFirstOrThrow();
    const onDisk = path.join(t.config.dataDir, 'uploads', file.storage_path);
    assert.ok(fs.existsSync(onDisk));
    assert.equal((await staff.post(`/admin/appels-a-projets/${callId}/supprimer`)).statusCode, 303);
    assert.equal(await callRow(callId), undefined);
    assert.ok(!fs.existsSync(onDisk));
    assert.equal(await t.kernel.db.selectFrom('files').select('id').where('id', '=', file.id).executeTakeFirst(), undefined);
    assert.equal((await visitor.get(`/appels-a-projets/${row.slug}`)).statusCode, 404);
    const audit = await t.kernel.db.selectFrom('audit_log').selectAll().where('entity_id', '=', callId).where('action', '=', 'call.deleted').executeTakeFirstOrThrow();
    assert.equal(JSON.parse(audit.before!).title, 'Fonds pour l’innovation sociale');
    assert.equal((await staff.post(`/admin/appels-a-projets/${callId}/supprimer`)).statusCode, 404);
  });

  test('members and visitors cannot reach the back office', async () => {
    const member = await t.loginAs('member');
    assert.equal((await member.get('/admin/appels-a-projets')).statusCode, 403);
    assert.equal((await member.post('/admin/appels-a-projets/nouveau', { title: 'Intrus' })).statusCode, 403);
    assert.equal((await visitor.get('/admin/appels-a-projets')).statusCode, 302);
  });
});
