import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import zlib from 'node:zlib';
import { parseAtomFeed, parseRssFeed } from 'feedsmith';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { FetchTestServer } from '../../../test/helpers/fetch-server.js';
import { sharedDir } from '../../../test/helpers/paths.js';
import { translator } from '../../kernel/i18n/index.js';
import { runWatchFetch, runWatchList } from './cli.js';
import { watchDeps } from './deps.js';
import { fetchSource } from './fetch-source.js';
import { exportOpml, importOpml } from './opml.js';
import * as repo from './repo.js';
import { addSource } from './sources.js';
import { inboxCountText, inboxStatusText } from './views-admin.js';

const sampleBody = (file: string) => fs.readFileSync(sharedDir('samples', 'feeds', file));
const SAMPLES: Array<[string, string, string]> = [
  ['/region.xml', 'region-actualites.rss.xml', 'application/rss+xml; charset=utf-8'],
  ['/ministere.atom', 'ministere-cooperation.atom.xml', 'application/atom+xml'],
  ['/agence.xml', 'agence-developpement.rss.xml', 'application/rss+xml'],
  ['/reseau.json', 'reseau-national.json', 'application/feed+json'],
  ['/europe.xml', 'collectif-europeen.rss.xml', 'application/rss+xml; charset=utf-8'],
];

/** A form post with repeated fields or extra headers (the test client's post takes neither). */
async function postRaw(client: Client, url: string, fields: Array<[string, string]>, headers: Record<string, string> = {}) {
  const body = new URLSearchParams(fields);
  body.set('_csrf', await client.csrf());
  return client.request('POST', url, { payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
}

function capture() {
  const lines: string[] = [];
  return { lines, out: { log: (m: string) => lines.push(m), error: (m: string) => lines.push(`ERR ${m}`) } };
}

test('watch inbox: a state’s count groups its thousands as the count of items under it does', () => {
  const ctx = { t: translator('fr'), locale: 'fr' as const };
  assert.equal(inboxStatusText(ctx, 'all', { new: 1000, kept: 240 }), 'Tous (1\u202f240)');
  assert.equal(inboxCountText(ctx, 1240), '1\u202f240 éléments');
});

forEachDialect('watch: sources, hardened fetching, dedupe, inbox, rules, public archive and feeds', (dialect) => {
  let t: TestApp;
  let staff: Client;
  const server = new FetchTestServer();
  const other = new FetchTestServer();
  const bodies = new Map<string, { body: Buffer | string; etag: string; type: string }>();
  const ACTOR = { id: null, email: 'staff@example.org' };

  before(async () => {
    await server.start();
    await other.start();
    for (const [path, file, type] of SAMPLES) bodies.set(path, { body: sampleBody(file), etag: '"1"', type });
    for (const path of bodies.keys()) {
      server.on(path, (req, res) => {
        const feed = bodies.get(path)!;
        if (req.headers['if-none-match'] === feed.etag) {
          res.writeHead(304).end();
          return;
        }
        res.writeHead(200, { 'content-type': feed.type, etag: feed.etag }).end(feed.body);
      });
    }
    const xml = (body: string) => (_req: unknown, res: import('node:http').ServerResponse) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body);
    server
      .on('/xxe.xml', xml('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>&xxe;</title><item><title>&xxe;</title></item></channel></rss>'))
      .on('/laughs.xml', xml(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><rss version="2.0"><channel><title>&lol9;</title></channel></rss>`))
      .on('/page.html', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><head><title>Accueil</title></head><body><p>Bienvenue</p></body></html>'))
      .on('/latin.xml', (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(Buffer.concat([Buffer.from('<rss version="2.0"><channel><title>Caf'), Buffer.from([0xe9, 0xff]), Buffer.from('</title></channel></rss>')])))
      .on('/bomb.xml', (_req, res) => res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/rss+xml' }).end(zlib.gzipSync(Buffer.alloc(60 * 1024 * 1024, 0x20), { level: 9 })))
      .on('/huge.xml', (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < 100 * 1024 * 1024) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('close', () => (sent = Number.POSITIVE_INFINITY));
        res.write('<rss version="2.0"><channel>');
        pump();
      })
      .on('/slow.xml', (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.write('<rss version="2.0"><channel>');
        const timer = setInterval(() => res.write(' '), 200);
        res.on('close', () => clearInterval(timer));
      })
      .on('/to-other-port.xml', (_req, res) => res.writeHead(302, { location: other.url('/region.xml') }).end())
      .on('/to-metadata.xml', (_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end())
      .on('/to-ipv6.xml', (_req, res) => res.writeHead(302, { location: `http://[::1]:${server.port}/region.xml` }).end())
      .on('/to-decimal.xml', (_req, res) => res.writeHead(302, { location: `http://2130706433:${other.port}/region.xml` }).end())
      .on('/to-metadata-decimal.xml', (_req, res) => res.writeHead(302, { location: 'http://2852039166/latest/meta-data/' }).end())
      .on('/to-loopback.xml', (_req, res) => res.writeHead(302, { location: `http://127.0.0.2:${server.port}/region.xml` }).end());
    other.on('/region.xml', (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(sampleBody('region-actualites.rss.xml')));
    t = await testApp(dialect, { env: { FETCH_ALLOWLIST: server.allow } });
    staff = await t.loginAs('staff');
  });
  after(async () => {
    await t.close();
    await server.stop();
    await other.stop();
  });

  test('public /veille with nothing kept yet and no filter: one empty-state sentence, no count, no « ne correspond », no reset', async () => {
    const res = await t.client().get('/veille');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /L’équipe du réseau n’a encore publié aucune information de veille\./);
    assert.doesNotMatch(res.body, /0 information/);
    assert.doesNotMatch(res.body, /ne correspond/);
    assert.doesNotMatch(res.body, /Tout effacer/);
    // A search that finds nothing still says so, and offers to clear it.
    const searched = await t.client().get('/veille?q=introuvablexyz');
    assert.match(searched.body, /Aucune information ne correspond/);
    assert.match(searched.body, /href="\/veille"[^>]*>Tout effacer</);
    assert.match(searched.body, />0 information</);
  });

  const deps = () => ({ ...watchDeps(t.kernel), fetchTimeoutMs: 1500 });
  const sourceRow = async (id: string) => (await repo.findSource(t.kernel.db, id))!;
  const itemsOf = (sourceId: string) => t.kernel.db.selectFrom('watch_items').selectAll().where('source_id', '=', sourceId).orderBy('published_at', 'desc').execute();

  test('keyword rules saved by staff; then sources added, read, deduplicated and updated in place', async () => {
    // No source yet: nothing to export, said instead of a broken download.
    assert.match((await staff.get('/admin/veille/sources')).body, /Aucune source à exporter pour l’instant/);
    let res = await staff.get('/admin/veille/sources/opml');
    assert.equal(res.statusCode, 303);
    const told = (await staff.get('/admin/veille/sources')).body;
    assert.equal(told.match(/Aucune source à exporter pour l’instant/g)?.length, 2, 'a message after the click, besides the section’s sentence');
    res = await staff.get('/admin/veille/regles');
    assert.equal(res.statusCode, 200);
    res = await staff.post('/admin/veille/regles', { keyword: 'x' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /de 2 à 100 caractères/);
    res = await staff.post('/admin/veille/regles', { keyword: 'Jeunesse', theme: 'education_training', auto_keep: '1' });
    assert.equal(res.statusCode, 303);
    res = await staff.post('/admin/veille/regles', { keyword: 'APD', category: 'institutional', country: 'SN' });
    assert.equal(res.statusCode, 303);

    // Added through the back office: read at once.
    res = await staff.post('/admin/veille/sources', { url: server.url('/ministere.atom'), name: 'Ministère', category: 'institutional', interval: '60', themes: 'health' });
    assert.equal(res.statusCode, 303);
    const ministere = (await repo.listSources(t.kernel.db)).find((s) => s.name === 'Ministère')!;
    assert.equal(ministere.item_count, 3);
    assert.ok(ministere.last_success_at);
    const items = await itemsOf(ministere.id);
    const apd = items.find((i) => i.title.startsWith('Télé-déclaration'))!;
    const jeunesse = items.find((i) => i.title.includes('Jeunesse IV'))!;
    assert.equal(apd.status, 'new');
    assert.equal(apd.category, 'institutional');
    assert.equal(jeunesse.status, 'kept', 'the "Jeunesse" rule keeps it');
    const tags = await repo.itemTags(t.kernel.db, [apd.id, jeunesse.id]);
    assert.deepEqual(tags.countries.get(apd.id), ['SN']);
    assert.deepEqual(tags.themes.get(jeunesse.id), ['education_training', 'health']);
    assert.deepEqual(tags.themes.get(apd.id), ['health'], 'the source’s default theme');

    // The other samples through the API and the CLI.
    for (const [path] of SAMPLES.filter(([p]) => p !== '/ministere.atom')) {
      const added = await addSource(deps(), ACTOR, { url: server.url(path), category: 'funding' });
      assert.ok(added.ok);
    }
    const duplicate = await addSource(deps(), ACTOR, { url: server.url('/region.xml') });
    assert.deepEqual(duplicate, { ok: false, field: 'url', key: 'watch.form.error.duplicate', params: { name: '127.0.0.1', url: server.url('/region.xml') } });
    // The same address written otherwise (https, « www. », a trailing slash) is the same feed.
    for (const variant of [server.url('/region.xml/'), server.url('/region.xml').replace('http:', 'https:')]) {
      assert.equal((await addSource(deps(), ACTOR, { url: variant })).ok, false, variant);
    }
    for (const bad of ['file:///etc/passwd', 'gopher://127.0.0.1:70/1', 'ftp://a.example/feed']) {
      const refused = await addSource(deps(), ACTOR, { url: bad });
      assert.equal(refused.ok, false, bad);
      assert.equal(!refused.ok && refused.key, 'watch.error.protocol');
    }

    // Added without a name: the host until the first read, then the feed's own title.
    assert.equal((await repo.listSources(t.kernel.db)).find((s) => s.url.endsWith('/region.xml'))?.name, '127.0.0.1');
    let cli = capture();
    assert.equal(await runWatchFetch(t.kernel, {}, cli.out), 0);
    assert.equal((await repo.listSources(t.kernel.db)).find((s) => s.url.endsWith('/region.xml'))?.name, 'Région – Europe et international : actualités');
    assert.equal((await repo.listSources(t.kernel.db)).find((s) => s.url.endsWith('/reseau.json'))?.name, 'Réseau national des acteurs de la solidarité internationale');
    assert.ok(cli.lines.some((l) => /region\.xml> : 3 nouveaux, 0 mis à jour, 0 inchangé$/.test(l)), cli.lines.join('\n'));
    assert.ok(cli.lines.some((l) => /ministere\.atom> : 0 nouveau, 0 mis à jour, inchangé \(304\)/.test(l)), cli.lines.join('\n'));
    assert.match(cli.lines.at(-1)!, /^Total : 5 sources, 11 nouveaux, 0 mis à jour, 0 inchangé, 0 en erreur\.$/);

    // Nothing changed: every source answers 304.
    cli = capture();
    await runWatchFetch(t.kernel, {}, cli.out);
    assert.equal(cli.lines.filter((l) => l.includes('inchangé (304)')).length, 5);

    // The region changes one item (same GUID), adds one, and serves its feed without validators.
    const region = (await repo.listSources(t.kernel.db)).find((s) => s.url.endsWith('/region.xml'))!;
    const changed = sampleBody('region-actualites.rss.xml')
      .toString('utf8')
      .replace('bilan du Festisol</title>', 'bilan du Festisol 2026</title>')
      .replace('<item>', '<item><title>Nouvel appel Europe</title><link>https://region.example/international/europe?utm_source=rss</link><guid>region-intl-4900</guid><pubDate>Fri, 27 Nov 2026 09:00:00 +0100</pubDate><description>Neuf.</description></item><item>');
    bodies.set('/region.xml', { body: changed, etag: '"2"', type: 'application/rss+xml; charset=utf-8' });
    cli = capture();
    await runWatchFetch(t.kernel, { source: region.id }, cli.out);
    assert.match(cli.lines[0]!, /region\.xml> : 1 nouveau, 1 mis à jour, 2 inchangés$/);
    assert.match(cli.lines.at(-1)!, /^Total : 1 source, 1 nouveau, 1 mis à jour, 2 inchangés, 0 en erreur\.$/);
    const regionItems = await itemsOf(region.id);
    assert.equal(regionItems.length, 4, 'updated in place, never duplicated');
    assert.ok(regionItems.some((i) => i.title.endsWith('Festisol 2026')));
    assert.equal(regionItems.find((i) => i.guid === 'region-intl-4900')?.link, 'https://region.example/international/europe');

    // An item without GUID is found again by its normalised link (tracking parameters changed).
    const agence = (await repo.listSources(t.kernel.db)).find((s) => s.url.endsWith('/agence.xml'))!;
    bodies.set('/agence.xml', { body: Buffer.from(sampleBody('agence-developpement.rss.xml').toString('latin1').replace('utm_medium=feed', 'utm_medium=mail'), 'latin1'), etag: '"2"', type: 'application/rss+xml; charset=iso-8859-1' });
    const outcome = await fetchSource(deps(), await sourceRow(agence.id));
    assert.deepEqual({ ...outcome }, { status: 'ok', new: 0, updated: 0, unchanged: 3 });
    const undated = (await itemsOf(agence.id)).find((i) => i.title.startsWith('Webinaire'))!;
    assert.equal(undated.date_missing, 1);

    const list = capture();
    await runWatchList(t.kernel, list.out);
    assert.equal(list.lines.length, 5);
    assert.match(list.lines.join('\n'), /Ministère/);
    assert.match(list.lines.find((l) => l.endsWith('/region.xml'))!, /\t4 éléments\t/);
  });

  test('hostile feeds each get a recorded error and the app stays up', async () => {
    const cases: Array<[string, string]> = [
      ['/xxe.xml', 'dtd'],
      ['/laughs.xml', 'dtd'],
      ['/huge.xml', 'too_large'],
      ['/bomb.xml', 'too_large'],
      ['/slow.xml', 'timeout'],
      ['/to-other-port.xml', 'blocked_address'],
      ['/to-metadata.xml', 'blocked_address'],
      ['/to-ipv6.xml', 'blocked_address'],
      ['/to-decimal.xml', 'blocked_address'],
      ['/to-metadata-decimal.xml', 'blocked_address'],
      ['/to-loopback.xml', 'blocked_address'],
      ['/page.html', 'not_feed'],
      ['/latin.xml', 'charset'],
    ];
    for (const [path, code] of cases) {
      const added = await addSource(deps(), ACTOR, { url: server.url(path), name: `Hostile ${path}` });
      assert.ok(added.ok, path);
      // The slow feed gets a short deadline; the others a long one, so only their own limit stops them.
      const outcome = await fetchSource({ ...deps(), fetchTimeoutMs: code === 'timeout' ? 1500 : 20_000 }, await sourceRow(added.id));
      assert.equal(outcome.status, 'error', path);
      const source = await sourceRow(added.id);
      assert.equal(JSON.parse(source.last_error!).code, code, `${path}: ${source.last_error}`);
      assert.equal(source.error_count, 1);
      assert.ok(source.next_fetch_at! > source.last_fetched_at!, 'backoff before the next read');
      assert.equal((await itemsOf(added.id)).length, 0);
    }
    // file: and gopher: rows written behind the form's back are refused at fetch time too.
    for (const [url, code] of [['file:///etc/passwd', 'protocol'], ['gopher://127.0.0.1:70/1', 'protocol']] as const) {
      const id = `01900000-0000-7000-8000-00000000${code === 'protocol' && url.startsWith('file') ? '0f01' : '0f02'}`;
      await t.kernel.db.insertInto('watch_sources').values({ id, url, name: url, category: null, site_url: null, etag: null, last_modified: null, last_fetched_at: null, last_success_at: null, last_error: null, next_fetch_at: null, created_by: null, created_at: new Date().toISOString(), updated_at: new Date().toISOString() }).execute();
      const outcome = await fetchSource(deps(), await sourceRow(id));
      assert.equal(outcome.status, 'error');
      assert.equal(JSON.parse((await sourceRow(id)).last_error!).code, code);
    }
    // Backoff grows with consecutive errors.
    const xxe = (await repo.listSources(t.kernel.db)).find((s) => s.url.endsWith('/xxe.xml'))!;
    await fetchSource(deps(), xxe);
    const again = await sourceRow(xxe.id);
    assert.equal(again.error_count, 2);
    assert.equal(new Date(again.next_fetch_at!).getTime() - new Date(again.last_fetched_at!).getTime(), 240 * 60_000);
    const list = capture();
    await runWatchList(t.kernel, list.out);
    assert.match(list.lines.find((l) => l.endsWith('/xxe.xml'))!, /\t0 élément\t.*\tdernière erreur : Document XML refusé/);

    const health = await t.client().get('/healthz');
    assert.equal(health.statusCode, 200);
    const page = await staff.get('/admin/veille/sources');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Document XML refusé : il déclare des entités/);
    assert.match(page.body, /réseau privé ou réservé/);
    assert.match(page.body, /Flux trop volumineux/);
    assert.match(page.body, /pas répondu à temps/);
    assert.match(page.body, /Ce n’est pas un flux RSS, Atom ou JSON Feed/);
    assert.match(page.body, /Encodage des caractères invalide/);
  });

  test('the inbox: keep and ignore in one click (or one request from the script), tags and note', async () => {
    let res = await staff.get('/admin/veille');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Festival ALIMENTERRE/);
    assert.match(res.body, /data-watch-inbox/);
    assert.match(res.body, /\/assets\/watch\.js/);
    const festival = (await t.kernel.db.selectFrom('watch_items').selectAll().where('title', 'like', 'Festival ALIMENTERRE%').execute())[0]!;
    const etude = (await t.kernel.db.selectFrom('watch_items').selectAll().where('title', 'like', 'Étude : l%').execute())[0]!;
    res = await postRaw(staff, `/admin/veille/elements/${festival.id}/garder`, [], { accept: 'application/json' });
    assert.equal(res.statusCode, 200);
    assert.equal(JSON.parse(res.body).status, 'kept');
    res = await staff.post(`/admin/veille/elements/${etude.id}/ignorer`, {});
    assert.equal(res.statusCode, 303);
    res = await staff.get('/admin/veille');
    assert.doesNotMatch(res.body, /Festival ALIMENTERRE/);
    assert.match(res.body, /Élément ignoré/);

    res = await staff.get(`/admin/veille/elements/${etude.id}`);
    assert.equal(res.statusCode, 200);
    res = await postRaw(staff, `/admin/veille/elements/${etude.id}`, [
      ['status', 'kept'],
      ['category', 'studies'],
      ['themes', 'education_training'],
      ['themes', 'health'],
      ['countries', 'Sénégal, ML'],
      ['note', 'À lire pour la commission jeunesse.'],
    ]);
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    const tags = await repo.itemTags(t.kernel.db, [etude.id]);
    assert.deepEqual(tags.countries.get(etude.id), ['ML', 'SN']);
    assert.deepEqual(tags.themes.get(etude.id), ['education_training', 'health']);
    res = await staff.post(`/admin/veille/elements/${etude.id}`, { status: 'kept', countries: 'Atlantide' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Pays inconnu : « Atlantide »/);
    res = await staff.post(`/admin/veille/elements/${etude.id}/promouvoir/inconnu`, {});
    assert.equal(res.statusCode, 404, 'no module offers that target');
    const audit = await t.kernel.db.selectFrom('audit_log').select('action').where('entity_id', '=', etude.id).execute();
    assert.deepEqual(audit.map((a) => a.action).sort(), ['watch_item.ignored', 'watch_item.tagged']);
  });

  test('public /veille: kept items only, filterable and searchable; RSS and Atom parse back', async () => {
    const visitor = t.client();
    let res = await visitor.get('/veille');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Festival ALIMENTERRE/);
    assert.match(res.body, /Jeunesse IV/);
    assert.doesNotMatch(res.body, /Télé-déclaration/, 'new items are not public');
    assert.match(res.body, /À lire pour la commission jeunesse/);
    res = await visitor.get('/veille?q=jeunes');
    assert.match(res.body, /Jeunesse IV/);
    assert.match(res.body, /engagement des jeunes/);
    assert.doesNotMatch(res.body, /ALIMENTERRE/);
    res = await visitor.get('/veille?q=cooperation+decentralisee');
    assert.match(res.body, /Jeunesse IV/);
    res = await visitor.get('/veille?country=ML');
    assert.match(res.body, /engagement des jeunes/);
    assert.doesNotMatch(res.body, /Jeunesse IV/);
    res = await visitor.get('/veille?category=studies&theme=health');
    assert.match(res.body, /1 information/);
    res = await visitor.get('/veille?q=introuvablexyz');
    assert.match(res.body, /Aucune information ne correspond/);

    // The country filter: « Tous » (un pays), and only the countries of public items (plus the one asked for).
    const countryOptions = (body: string) => {
      const select = /<select id="f-country" name="country">([\s\S]*?)<\/select>/.exec(body)?.[1] ?? '';
      return [...select.matchAll(/<option value="([A-Z]*)"( selected)?>([^<]*)<\/option>/g)].map((m) => `${m[1]}${m[2] ? '*' : ''}=${m[3]}`);
    };
    assert.deepEqual(countryOptions((await visitor.get('/veille')).body), ['=Tous', 'ML=Mali', 'SN=Sénégal']);
    assert.deepEqual(countryOptions((await visitor.get('/veille?country=JP')).body), ['=Tous', 'JP*=Japon', 'ML=Mali', 'SN=Sénégal']);
    assert.match((await visitor.get('/veille')).body, /<label for="f-theme">Thématique<\/label>\s*<select id="f-theme" name="theme">\s*<option value="">Toutes<\/option>/);

    const kept = await t.kernel.db.selectFrom('watch_items').select(['title', 'published_at', 'link']).where('status', '=', 'kept').orderBy('published_at', 'desc').execute();
    res = await visitor.get('/veille/flux.rss');
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /application\/rss\+xml/);
    const rss = parseRssFeed(res.body);
    assert.equal(rss.items?.length, kept.length);
    rss.items?.forEach((item, i) => {
      assert.equal(item.title, kept[i]!.title);
      assert.match(item.link ?? '', /^https?:\/\//);
      assert.equal(new Date(item.pubDate as string).toISOString(), new Date(kept[i]!.published_at).toISOString());
    });
    assert.match(rss.link ?? '', /^http:\/\/localhost:3000\/veille/);
    res = await visitor.get('/veille/flux.atom?q=jeunes');
    const atom = parseAtomFeed(res.body);
    assert.equal(atom.entries?.length, 2);
    for (const entry of atom.entries ?? []) {
      assert.match(entry.links?.[0]?.href ?? '', /^https?:\/\//);
      assert.match(String(entry.updated), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.ok(entry.title);
    }
    assert.doesNotMatch(res.body, /<script/);
  });

  test('OPML export and import', async () => {
    const xml = (await exportOpml(watchDeps(t.kernel), 'Veille')) ?? '';
    assert.match(xml, /<opml/);
    assert.match(xml, /region\.xml/);
    let res = await staff.get('/admin/veille/sources/opml');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /ministere\.atom/);
    // Folders named as staff read them (« Financements »), not by the internal codes.
    assert.match(res.body, /<outline text="Financements">/);
    assert.match(res.body, /<outline text="Institutionnel">/);
    assert.doesNotMatch(res.body, /<outline text="(funding|institutional)"/);
    const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
      <outline text="funding"><outline text="Fondation" type="rss" xmlUrl="https://fondation.example/feed.xml"/></outline>
      <outline text="Études"><outline text="Observatoire" type="rss" xmlUrl="https://observatoire.example/feed.xml"/></outline>
      <outline text="Région" type="rss" xmlUrl="${server.url('/region.xml')}"/>
      <outline text="Mauvais" type="rss" xmlUrl="gopher://x.example/"/>
      <outline text="Box" type="rss" xmlUrl="http://192.168.1.10/flux.xml"/></body></opml>`;
    const result = await importOpml(watchDeps(t.kernel), ACTOR, opml);
    assert.deepEqual(result, { added: 2, skipped: 1, invalid: 2 });
    const fondation = (await repo.listSources(t.kernel.db)).find((s) => s.url === 'https://fondation.example/feed.xml')!;
    assert.equal(fondation.category, 'funding');
    assert.equal((await repo.listSources(t.kernel.db)).find((s) => s.url === 'https://observatoire.example/feed.xml')?.category, 'studies', 'a folder named by its French label');
    // An export imports back: every category found again from its label.
    const exported = (await exportOpml(watchDeps(t.kernel), 'Veille')) ?? '';
    assert.match(exported, /<outline text="Études">/);
    res = await staff.post('/admin/veille/sources/opml', { opml: '<!DOCTYPE x [<!ENTITY a "b">]><opml/>' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /pas un fichier OPML lisible/);
  });

  test('source edit and removal; bad input re-shows the form in French', async () => {
    const source = (await repo.listSources(t.kernel.db)).find((s) => s.url === 'https://fondation.example/feed.xml')!;
    let res = await staff.post('/admin/veille/sources', { url: 'pas une adresse' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /adresse complète d’un flux/);
    res = await staff.get(`/admin/veille/sources/${source.id}`);
    assert.equal(res.statusCode, 200);
    res = await staff.post(`/admin/veille/sources/${source.id}`, { url: source.url, name: 'Fondation X', category: 'europe', interval: '1440' });
    assert.equal(res.statusCode, 303);
    const edited = await sourceRow(source.id);
    assert.equal(edited.name, 'Fondation X');
    assert.equal(edited.active, 0, 'the "read" box was not ticked');
    assert.equal(edited.interval_minutes, 1440);
    res = await staff.post(`/admin/veille/sources/${source.id}/supprimer`, {});
    assert.equal(res.statusCode, 303);
    assert.equal(await repo.findSource(t.kernel.db, source.id), undefined);
  });

  test('a source left unnamed takes its feed’s title (the host only for a feed without one)', async () => {
    server
      .on('/titled.xml', (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('<rss version="2.0"><channel><title>  Fondation  du Sahel : appels </title><item><title>Un</title><guid>t1</guid></item></channel></rss>'))
      .on('/untitled.xml', (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('<rss version="2.0"><channel><item><title>Deux</title><guid>u1</guid></item></channel></rss>'));
    let res = await staff.post('/admin/veille/sources', { url: server.url('/titled.xml'), name: '', interval: '60' });
    assert.equal(res.statusCode, 303);
    assert.match((await staff.get('/admin/veille/sources')).body, /Fondation du Sahel : appels/);
    assert.equal((await repo.listSources(t.kernel.db)).find((s) => s.url.endsWith('/titled.xml'))?.name, 'Fondation du Sahel : appels');
    res = await staff.post('/admin/veille/sources', { url: server.url('/untitled.xml'), interval: '60' });
    assert.equal(res.statusCode, 303);
    assert.equal((await repo.listSources(t.kernel.db)).find((s) => s.url.endsWith('/untitled.xml'))?.name, '127.0.0.1');
    // A name typed by staff is kept.
    server.on('/named.xml', (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('<rss version="2.0"><channel><title>Titre du flux</title></channel></rss>'));
    res = await staff.post('/admin/veille/sources', { url: server.url('/named.xml'), name: 'Ma source', interval: '60' });
    assert.equal(res.statusCode, 303);
    assert.equal((await repo.listSources(t.kernel.db)).find((s) => s.url.endsWith('/named.xml'))?.name, 'Ma source');
  });

  test('local and private addresses are refused at the form with the reason, unless FETCH_ALLOWLIST allows them', async () => {
    const before = (await repo.listSources(t.kernel.db)).length;
    await staff.get('/admin/veille/sources'); // the messages of earlier additions, shown once
    for (const url of ['http://192.168.1.10/flux.xml', 'http://10.0.0.5/rss', 'http://localhost:8080/feed', 'http://[::1]/feed.xml', 'http://169.254.169.254/latest/meta-data/', `http://127.0.0.1:${server.port + 1}/flux.xml`]) {
      const res = await staff.post('/admin/veille/sources', { url, interval: '60' });
      assert.equal(res.statusCode, 400, url);
      assert.match(res.body, /id="f-url-error"[^>]*>Cette adresse mène à une machine locale ou à un réseau privé/, url);
      assert.match(res.body, /FETCH_ALLOWLIST/);
      assert.doesNotMatch(res.body, /Source ajoutée/);
    }
    // A feed that sends its reader on to a private address is refused as well, and not kept.
    let res = await staff.post('/admin/veille/sources', { url: server.url('/to-metadata.xml?again'), interval: '60' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /réseau privé/);
    assert.equal((await repo.listSources(t.kernel.db)).length, before, 'nothing was added');
    const refused = await addSource(deps(), ACTOR, { url: 'http://192.168.1.10/flux.xml' });
    assert.deepEqual(refused, { ok: false, field: 'url', key: 'watch.form.error.private' });
    // Editing a source to a private address is refused too.
    const titled = (await repo.listSources(t.kernel.db)).find((s) => s.url.endsWith('/titled.xml'))!;
    res = await staff.post(`/admin/veille/sources/${titled.id}`, { url: 'http://192.168.1.10/flux.xml', name: titled.name, interval: '60', active: '1' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /réseau privé/);
    // The port FETCH_ALLOWLIST names is allowed (the test server's, on 127.0.0.1).
    const allowed = await addSource(deps(), ACTOR, { url: server.url('/allowed.xml') });
    assert.ok(allowed.ok);
  });

  test('keeping or ignoring from the script answers the inbox’s new counts', async () => {
    const fresh = await t.kernel.db.selectFrom('watch_items').select('id').where('status', '=', 'new').execute();
    assert.ok(fresh.length >= 2);
    const countsBefore = await repo.countByStatus(t.kernel.db);
    const res = await postRaw(staff, `/admin/veille/elements/${fresh[0]!.id}/garder?statut=new`, [], { accept: 'application/json' });
    assert.equal(res.statusCode, 200);
    const answer = JSON.parse(res.body) as { statusTexts: Record<string, string>; countText: string };
    const newCount = (countsBefore['new'] ?? 0) - 1;
    assert.equal(answer.statusTexts['new'], `Nouveaux (${newCount})`);
    assert.equal(answer.statusTexts['kept'], `Gardés (${(countsBefore['kept'] ?? 0) + 1})`);
    assert.equal(answer.countText, `${newCount} éléments`);
    // The page shows the same words.
    const page = await staff.get('/admin/veille');
    assert.match(page.body, new RegExp(`<a href="/admin/veille\\?statut=new" data-inbox-status="new" aria-current="page">Nouveaux \\(${newCount}\\)</a>`));
    assert.match(page.body, new RegExp(`id="watch-count">${newCount} éléments<`));
  });

  test('each back-office page of the watch marks its own section in the kernel’s tab bar (aria-current), the others as plain links', async () => {
    const sections = [
      ['/admin/veille', 'À trier'],
      ['/admin/veille/sources', 'Sources'],
      ['/admin/veille/regles', 'Règles par mot-clé'],
    ] as const;
    for (const [path, label] of sections) {
      const page = await staff.get(path);
      assert.equal(page.statusCode, 200);
      const nav = /<nav class="tab-nav tab-nav-sections" aria-label="Rubriques de la veille"><ul>[\s\S]*?<\/nav>/.exec(page.body)?.[0];
      assert.ok(nav, `${path}: the sections are the shared tab bar`);
      const links = [...nav.matchAll(/<a href="([^"]+)"( aria-current="page")?>([^<]*)<\/a>/g)].map((m) => `${m[3]} → ${m[1]}${m[2] ? ' (current)' : ''}`);
      assert.deepEqual(
        links,
        sections.map(([href, text]) => `${text} → ${href}${text === label ? ' (current)' : ''}`),
        `${path}: only « ${label} » is marked`,
      );
    }
  });
  test('the same feed under another address is refused, naming the source that follows it', async () => {
    const region = (await repo.listSources(t.kernel.db)).find((s) => s.url.endsWith('/region.xml'))!;
    assert.equal(region.self_url, 'https://region.example/international/feed', 'a read records the feed’s own address');
    const ministere = (await repo.listSources(t.kernel.db)).find((s) => s.name === 'Ministère')!;
    assert.equal(ministere.feed_key, 'tag:ministere.example,2026:/aect');
    const count = async () => (await repo.listSources(t.kernel.db)).length;
    const before = await count();
    await staff.get('/admin/veille/sources'); // the messages of earlier additions, shown once
    const atom = (id: string, self: string | null, entry: string) =>
      `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><id>${id}</id><title>Autre titre</title>${self ? `<link rel="self" href="${self}"/>` : ''}<updated>2026-11-20T10:00:00Z</updated><entry><id>${entry}</id><title>${entry}</title><link href="https://ailleurs.example/${entry}"/><updated>2026-11-20T10:00:00Z</updated></entry></feed>`;
    server
      // The region's feed at another address (as under another host name): its own address gives it away.
      .on('/alias-region.xml', (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(sampleBody('region-actualites.rss.xml')))
      // An address that redirects to a followed one (the agency's feed gives no address of its own).
      .on('/moved-agence.xml', (_req, res) => res.writeHead(301, { location: server.url('/agence.xml') }).end())
      // The ministry's Atom id without an address of its own, then with a different one (another feed of the site).
      .on('/same-id.atom', (_req, res) => res.writeHead(200, { 'content-type': 'application/atom+xml' }).end(atom('tag:ministere.example,2026:/aect', null, 'entree-a')))
      .on('/other-self.atom', (_req, res) => res.writeHead(200, { 'content-type': 'application/atom+xml' }).end(atom('tag:ministere.example,2026:/aect', 'https://ministere.example/spip.php?page=backend-atom&rubrique=7', 'entree-b')));
    const cases: Array<[string, RegExp]> = [
      ['/alias-region.xml', /Ce flux est déjà suivi\s*: c’est la source «\s*Région – Europe et international : actualités\s*»/],
      ['/moved-agence.xml', /Ce flux est déjà suivi\s*: c’est la source «\s*[^»]+»\s*\(http:\/\/127\.0\.0\.1:\d+\/agence\.xml\)/],
      ['/same-id.atom', /Ce flux est déjà suivi\s*: c’est la source «\s*Ministère\s*»/],
    ];
    for (const [path, message] of cases) {
      const res = await staff.post('/admin/veille/sources', { url: server.url(path), interval: '60' });
      assert.equal(res.statusCode, 400, path);
      assert.match(res.body, /id="f-url-error"/, path);
      assert.match(res.body, message, path);
      assert.doesNotMatch(res.body, /Source ajoutée/);
      assert.equal(await count(), before, `${path}: nothing was added`);
    }
    // The same id, but the feeds give different addresses of their own: two feeds of one site.
    const other = await staff.post('/admin/veille/sources', { url: server.url('/other-self.atom'), interval: '60' });
    assert.equal(other.statusCode, 303);
    assert.equal(await count(), before + 1);
    // Found by a sweep (an OPML import adds without reading): recorded as the source's error, nothing read.
    const imported = await addSource(deps(), ACTOR, { url: server.url('/alias-region.xml?from=opml') });
    assert.ok(imported.ok);
    const outcome = await fetchSource(deps(), await sourceRow(imported.id));
    assert.equal(outcome.status, 'error');
    assert.equal(JSON.parse((await sourceRow(imported.id)).last_error!).code, 'duplicate');
    assert.equal((await itemsOf(imported.id)).length, 0);
    assert.match((await staff.get('/admin/veille/sources')).body, /Même flux que la source «\s*Région – Europe et international : actualités\s*»/);
  });

  test('an article another source already brought is listed once (the same feed under another host name, or in two feeds)', async () => {
    const inbox = async () => Number((await t.kernel.db.selectFrom('watch_items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await inbox();
    // The agency's feed at http://localhost:…, as the tester added it beside http://127.0.0.1:… (it gives no address of its own).
    const localhost = server.url('/agence.xml').replace('127.0.0.1', 'localhost');
    const added = await addSource(deps(), ACTOR, { url: localhost, name: 'Agence (localhost)' });
    assert.ok(added.ok, JSON.stringify(added));
    const resolve = async () => [{ address: '127.0.0.1', family: 4 as const }];
    const outcome = await fetchSource({ ...deps(), resolve }, await sourceRow(added.id));
    assert.deepEqual({ ...outcome }, { status: 'ok', new: 0, updated: 0, unchanged: 3 });
    assert.equal(await inbox(), before, 'no article twice');
    assert.equal((await sourceRow(added.id)).item_count, 0);

    // Another feed relaying an article of the region (its link with tracking, upper-case host and a
    // trailing slash; its own GUID), one of the ministry (its URI GUID, another link), and one of its own.
    server.on('/relais.xml', (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(`<rss version="2.0"><channel><title>Relais</title><link>https://relais.example/</link>
        <item><title>Festisol relayé</title><link>https://REGION.example/international/bilan-festisol-2026/?utm_source=relais</link><guid>relais-1</guid></item>
        <item><title>APD relayée</title><link>https://relais.example/apd</link><guid>tag:ministere.example,2026:article-1182</guid></item>
        <item><title>Une information du relais</title><link>https://relais.example/propre</link><guid>relais-3</guid></item>
        <item><title>Accueil du relais</title><link>https://relais.example/</link><guid>relais-4</guid></item>
      </channel></rss>`),
    );
    const relay = await addSource(deps(), ACTOR, { url: server.url('/relais.xml') });
    assert.ok(relay.ok);
    const read = await fetchSource(deps(), await sourceRow(relay.id));
    assert.deepEqual({ ...read }, { status: 'ok', new: 2, updated: 0, unchanged: 2 });
    assert.deepEqual((await itemsOf(relay.id)).map((i) => i.title).sort(), ['Accueil du relais', 'Une information du relais']);
    assert.equal((await t.kernel.db.selectFrom('watch_items').select('id').where('link_key', '=', 'region.example/international/bilan-festisol-2026').execute()).length, 1);
    // Read again: still once.
    await fetchSource(deps(), await sourceRow(relay.id));
    assert.equal((await itemsOf(relay.id)).length, 2);
  });

  test('an undated item’s page says when it was read, as the inbox does, not a publication date', async () => {
    const undated = (await t.kernel.db.selectFrom('watch_items').selectAll().where('title', 'like', 'Webinaire%').execute())[0]!;
    assert.equal(undated.date_missing, 1);
    const day = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(new Date(undated.published_at));
    const page = await staff.get(`/admin/veille/elements/${undated.id}`);
    assert.match(page.body, new RegExp(`<p class="watch-item-meta"><span>[^<]*</span> · <span>vu le ${day} \\(sans date\\)</span>`));
    const dated = (await t.kernel.db.selectFrom('watch_items').selectAll().where('date_missing', '=', 0).execute())[0]!;
    assert.doesNotMatch((await staff.get(`/admin/veille/elements/${dated.id}`)).body, /sans date/);
    // Kept, it reads the same in the public archive.
    await staff.post(`/admin/veille/elements/${undated.id}/garder`, {});
    assert.match((await t.client().get('/veille?q=webinaire')).body, new RegExp(`<time datetime="[^"]+">vu le ${day} \\(sans date\\)</time>`));
  });

  test('an item’s countries read « Mali (ML), Sénégal (SN) », as in the calls’ form, and are read back so', async () => {
    const etude = (await t.kernel.db.selectFrom('watch_items').selectAll().where('title', 'like', 'Étude : l%').execute())[0]!;
    const page = await staff.get(`/admin/veille/elements/${etude.id}`);
    assert.match(page.body, /name="countries" type="text" value="Mali \(ML\), Sénégal \(SN\)"/);
    let res = await staff.post(`/admin/veille/elements/${etude.id}`, { status: 'kept', countries: 'Mali (ML), Sénégal (SN), Burkina Faso' });
    assert.equal(res.statusCode, 303);
    assert.deepEqual((await repo.itemTags(t.kernel.db, [etude.id])).countries.get(etude.id), ['BF', 'ML', 'SN']);
    res = await staff.post(`/admin/veille/elements/${etude.id}`, { status: 'kept', countries: 'Mali (ML), Atlantide' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Pays inconnu\s*: «\s*Atlantide\s*»/);
    await staff.post(`/admin/veille/elements/${etude.id}`, { status: 'kept', countries: 'ML, SN' });
  });

  test('an item’s form names every problem at once (a note too long and an unknown country), typed values kept', async () => {
    const etude = (await t.kernel.db.selectFrom('watch_items').selectAll().where('title', 'like', 'Étude : l%').execute())[0]!;
    const note = 'Note '.repeat(410);
    const res = await staff.post(`/admin/veille/elements/${etude.id}`, { status: 'kept', note, countries: 'Mali, Narnia' });
    assert.equal(res.statusCode, 400);
    const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(res.body)?.[0] ?? '';
    assert.match(summary, /La note fait au plus 2\s000 caractères\./);
    assert.match(summary, /Pays inconnu\s*: «\s*Narnia\s*»/);
    assert.match(res.body, /name="countries" type="text" value="Mali, Narnia"/);
    assert.ok(res.body.includes(note.trim()), 'the note typed is kept');
    assert.deepEqual((await repo.itemTags(t.kernel.db, [etude.id])).countries.get(etude.id), ['ML', 'SN'], 'nothing saved');
  });

  test('the inbox’s heading names the state shown, and each item offers only the decisions that change it', async () => {
    const [kept, ignored] = await t.kernel.db.selectFrom('watch_items').select('id').where('status', '=', 'new').orderBy('id').limit(2).execute();
    assert.ok(kept && ignored, 'two items to decide');
    await staff.post(`/admin/veille/elements/${kept.id}/garder`, {});
    await staff.post(`/admin/veille/elements/${ignored.id}/ignorer`, {});
    const heading = (body: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(body)?.[1];
    const keptPage = await staff.get('/admin/veille?statut=kept');
    assert.match(heading(keptPage.body) ?? '', /^Veille\s: éléments gardés$/);
    assert.match(keptPage.body, /<title>Veille\s: éléments gardés/);
    assert.doesNotMatch(keptPage.body, /data-action="keep"/, 'a kept item is not kept again');
    assert.match(keptPage.body, new RegExp(`action="/admin/veille/elements/${kept.id}/ignorer"`));
    const ignoredPage = await staff.get('/admin/veille?statut=ignored');
    assert.match(heading(ignoredPage.body) ?? '', /^Veille\s: éléments ignorés$/);
    assert.doesNotMatch(ignoredPage.body, /data-action="ignore"/);
    assert.match(ignoredPage.body, new RegExp(`action="/admin/veille/elements/${ignored.id}/garder"`));
    assert.match(heading((await staff.get('/admin/veille?statut=all')).body) ?? '', /^Veille\s: tous les éléments$/);
    const inbox = await staff.get('/admin/veille');
    assert.match(heading(inbox.body) ?? '', /^Veille\s: éléments à trier$/);
    const newItems = (inbox.body.match(/data-item="/g) ?? []).length;
    assert.equal((inbox.body.match(/data-action="keep"/g) ?? []).length, newItems);
    assert.equal((inbox.body.match(/data-action="ignore"/g) ?? []).length, newItems);
  });

  test('sources are listed as French readers order them: case and accents ignored, numbers first', async () => {
    const at = new Date().toISOString();
    const names = ['html listing', 'Réseau zèbre', '404', 'Action extérieure', 'éducation'];
    const ids = names.map((_, i) => `01900000-0000-7000-8000-0000000005a${i}`);
    await t.kernel.db
      .insertInto('watch_sources')
      .values(names.map((name, i) => ({ id: ids[i]!, url: `https://tri.example/${i}.xml`, name, category: null, site_url: null, etag: null, last_modified: null, last_fetched_at: null, last_success_at: null, last_error: null, next_fetch_at: '2999-01-01T00:00:00.000Z', created_by: null, created_at: at, updated_at: at })))
      .execute();
    try {
      const order = (body: string) => names.map((n) => ({ n, at: body.indexOf(`>${n}<`) })).sort((a, b) => a.at - b.at).map((x) => x.n);
      const expected = ['404', 'Action extérieure', 'éducation', 'html listing', 'Réseau zèbre'];
      const sourcesPage = await staff.get('/admin/veille/sources');
      assert.ok(names.every((n) => sourcesPage.body.includes(`>${n}<`)), 'every source is listed');
      assert.deepEqual(order(sourcesPage.body), expected);
      const inbox = await staff.get('/admin/veille');
      const filter = /<select id="f-source"[\s\S]*?<\/select>/.exec(inbox.body)?.[0] ?? '';
      assert.deepEqual(order(filter), expected, 'the source filter too');
    } finally {
      await t.kernel.db.deleteFrom('watch_sources').where('id', 'in', ids).execute();
    }
  });

  test('an empty keyword is named in the error summary, not « Ce champ est obligatoire. » alone', async () => {
    const res = await staff.post('/admin/veille/regles', { keyword: '', theme: 'health' });
    assert.equal(res.statusCode, 400);
    const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(res.body)?.[0] ?? '';
    assert.match(summary, /<a href="#f-keyword">Saisissez le mot-clé de la règle\.<\/a>/);
    assert.doesNotMatch(summary, /Ce champ est obligatoire/);
    const source = await staff.post('/admin/veille/sources', { url: '', interval: '60' });
    assert.match(/<div class="error-summary"[\s\S]*?<\/div>/.exec(source.body)?.[0] ?? '', /<a href="#f-url">Indiquez l’adresse du flux/);
  });
});
