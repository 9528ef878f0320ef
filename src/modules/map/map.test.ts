import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { type TestApp, testApp } from '../../../test/helpers/app.js';
import { ShiftedClock } from '../../../test/helpers/clock.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { GeocoderServer } from '../../../test/helpers/geocoder-server.js';
import { systemClock } from '../../kernel/clock.js';
import { DEPARTMENT_CENTRES } from '../../kernel/geo/department-centres.js';
import { createOrganisation, taxonomies, taxonomyCodes, validateOrganisation } from '../organisations/index.js';
import { setPosition } from './repo.js';

const actor = { id: null, email: null };

interface Feature {
  geometry: { coordinates: [number, number] };
  properties: { cluster?: boolean; count?: number; zoom?: number; name?: string; slug?: string; kind?: string; approx?: boolean };
}
interface Collection {
  type: string;
  features: Feature[];
  total: number;
  located: number;
}

const FRANCE = '-6,41,10,52';
const BORDEAUX_CENTRE = '-0.61,44.82,-0.585,44.86';

forEachDialect('the map: clusters, world view, geocoding, manual position', (dialect) => {
  let t: TestApp;
  let geocoder: GeocoderServer;
  const ids: Record<string, string> = {};
  const clock = new ShiftedClock();

  async function add(raw: Record<string, unknown>, position?: [number, number]) {
    const codes = taxonomyCodes(await taxonomies(t.kernel.db));
    const result = validateOrganisation(raw, codes, { currentYear: 2026 });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const organisation = await createOrganisation({ db: t.kernel.db, clock: systemClock, jobs: t.kernel.jobs }, actor, result.draft);
    if (position) await setPosition(t.kernel.db, organisation.id, { latitude: position[0], longitude: position[1], precision: 'address' });
    return organisation;
  }

  async function clusters(url: string, client = t.client()): Promise<Collection> {
    const res = await client.get(url);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /application\/geo\+json/);
    return JSON.parse(res.body) as Collection;
  }

  const names = (c: Collection) => c.features.filter((f) => !f.properties.cluster).map((f) => f.properties.name).sort();
  const sum = (c: Collection) => c.features.reduce((n, f) => n + (f.properties.cluster ? f.properties.count! : 1), 0);

  before(async () => {
    geocoder = await new GeocoderServer(
      [
        { contains: '12 rue Sainte-Catherine', lat: 44.8411, lng: -0.5735, citycode: '33063' },
        { contains: '3 place du Capitole', lat: 43.6045, lng: 1.4442, citycode: '31555' },
      ],
      [{ citycode: '33318', name: 'Pessac', lat: 44.8067, lng: -0.6311 }],
    ).start();
    t = await testApp(dialect, { env: { GEOCODER_URL: geocoder.url }, clock });
    // Thirty organisations in central Bordeaux: one cluster seen from afar, single points up close.
    for (let i = 0; i < 30; i++) {
      await add(
        { name: `Association bordelaise ${String(i).padStart(2, '0')}`, kind_code: 'association', commune: '33063', postcode: '33000', countries: i < 3 ? ['SN'] : ['ML'] },
        [44.83 + (i % 6) * 0.004, -0.6 + Math.floor(i / 6) * 0.008],
      );
    }
    ids['lyon'] = (await add({ name: 'Comité lyonnais', kind_code: 'association', commune: '69123', countries: ['BF'], themes: ['health'] }, [45.764, 4.836])).id;
    ids['staff'] = (await add({ name: 'Dossier interne', kind_code: 'association', commune: '33063', postcode: '33000', visibility: 'staff' }, [44.84, -0.58])).id;
    ids['members'] = (await add({ name: 'Réservé aux membres', kind_code: 'association', commune: '33063', postcode: '33000', visibility: 'members', countries: ['SN'] }, [44.845, -0.57])).id;
    // Created but never placed (its geocoding job is not run yet).
    ids['nowhere'] = (await add({ name: 'Pas encore placée', kind_code: 'association', commune: '87085' })).id;
    await t.kernel.db.deleteFrom('jobs').execute();
  });
  after(async () => {
    await t?.close();
    await geocoder?.close();
  });

  test('seen from afar the region is a few clusters whose counts add up to every located public organisation', async () => {
    const c = await clusters(`/carte/clusters.json?bbox=${FRANCE}&zoom=5`);
    assert.equal(c.type, 'FeatureCollection');
    const cluster = c.features.find((f) => f.properties.cluster);
    assert.ok(cluster, 'at least one cluster');
    assert.ok(cluster.properties.count! >= 30, 'the Bordeaux organisations are one cluster');
    assert.ok(cluster.properties.zoom! > 5, 'a cluster says which zoom opens it');
    assert.equal(sum(c), 31, '30 in Bordeaux and one in Lyon; staff-only, members-only and unplaced ones are absent');
    assert.equal(c.total, 32, 'the filtered set has 32 public organisations');
    assert.equal(c.located, 31);
  });

  test('zoomed in on a city the same organisations are single points with name, page and kind', async () => {
    const c = await clusters(`/carte/clusters.json?bbox=${BORDEAUX_CENTRE}&zoom=17`);
    assert.ok(c.features.every((f) => !f.properties.cluster), 'no cluster at street level');
    assert.ok(c.features.length > 0 && c.features.length < 30, 'only the points inside the viewport');
    const point = c.features[0]!;
    assert.match(point.properties.name!, /^Association bordelaise \d\d$/);
    assert.match(point.properties.slug!, /^association-bordelaise-\d\d/);
    assert.equal(point.properties.kind, 'association');
    const all = await clusters(`/carte/clusters.json?bbox=-0.7,44.7,-0.5,44.9&zoom=17`);
    assert.equal(all.features.length, 30);
  });

  test('members and staff see the organisations visible to them, visitors do not', async () => {
    const url = `/carte/clusters.json?bbox=-0.7,44.7,-0.5,44.9&zoom=17`;
    const visitor = names(await clusters(url));
    assert.ok(!visitor.includes('Dossier interne') && !visitor.includes('Réservé aux membres'));
    const member = names(await clusters(url, await t.loginAs('member')));
    assert.ok(member.includes('Réservé aux membres') && !member.includes('Dossier interne'));
    const staff = names(await clusters(url, await t.loginAs('staff')));
    assert.ok(staff.includes('Réservé aux membres') && staff.includes('Dossier interne'));
  });

  test('the directory filters narrow the map: a country, a text query, a kind', async () => {
    const senegal = await clusters(`/carte/clusters.json?bbox=${FRANCE}&zoom=17&pays=SN`);
    assert.deepEqual(names(senegal), ['Association bordelaise 00', 'Association bordelaise 01', 'Association bordelaise 02']);
    const text = await clusters(`/carte/clusters.json?bbox=${FRANCE}&zoom=17&q=lyonnais`);
    assert.deepEqual(names(text), ['Comité lyonnais']);
    const none = await clusters(`/carte/clusters.json?bbox=${FRANCE}&zoom=5&famille=local_authority`);
    assert.equal(none.features.length, 0);
    assert.equal(none.total, 0);
  });

  test('a new organisation shows on the map at the next request (the index is rebuilt)', async () => {
    const before = await clusters(`/carte/clusters.json?bbox=${FRANCE}&zoom=17&q=toulousain`);
    assert.equal(before.features.length, 0);
    const o = await add({ name: 'Collectif toulousain', kind_code: 'association', commune: '31555' }, [43.6, 1.44]);
    const afterAdd = await clusters(`/carte/clusters.json?bbox=${FRANCE}&zoom=17&q=toulousain`);
    assert.deepEqual(names(afterAdd), ['Collectif toulousain']);
    await t.kernel.db.deleteFrom('organisations').where('id', '=', o.id).execute();
    await t.kernel.db.deleteFrom('jobs').execute();
  });

  test('a bad bbox or zoom gets a French 400 in JSON', async () => {
    for (const query of ['', 'bbox=1,2,3&zoom=5', 'bbox=a,b,c,d&zoom=5', 'bbox=-200,40,0,50&zoom=5', 'bbox=0,50,1,40&zoom=5']) {
      const res = await t.client().get(`/carte/clusters.json?${query}`);
      assert.equal(res.statusCode, 400, query);
      assert.match(String(res.headers['content-type']), /application\/json/);
      assert.match(JSON.parse(res.body).message, /bbox invalide/, query);
    }
    for (const zoom of ['', '19', '-1', '2.5', 'x']) {
      const res = await t.client().get(`/carte/clusters.json?bbox=${FRANCE}&zoom=${zoom}`);
      assert.equal(res.statusCode, 400, zoom);
      assert.match(JSON.parse(res.body).message, /zoom invalide/);
    }
  });

  test('the world view counts the filtered organisations per country of intervention', async () => {
    const res = await t.client().get('/carte/monde.json', { 'accept-encoding': 'gzip' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-encoding'], 'gzip');
    const world = JSON.parse(gunzipSync(res.rawPayload).toString('utf8')) as { features: { properties: { code: string | null; name: string; count: number } }[] };
    const country = (code: string) => world.features.find((f) => f.properties.code === code)?.properties;
    assert.ok(world.features.length > 200, 'every country of the 50m atlas');
    assert.equal(country('SN')?.count, 3, 'the members-only one is not counted for a visitor');
    assert.equal(country('SN')?.name, 'Sénégal');
    assert.equal(country('ML')?.count, 27);
    assert.equal(country('BF')?.count, 1);
    assert.equal(country('FR')?.count, 0);
    const filtered = JSON.parse((await t.client().get('/carte/monde.json?theme=health')).body) as typeof world;
    assert.equal(filtered.features.find((f) => f.properties.code === 'BF')?.properties.count, 1);
    assert.equal(filtered.features.find((f) => f.properties.code === 'ML')?.properties.count, 0);
  });

  test('/carte lists the same results, links to the directory with the same filters, and is in the menu', async () => {
    const res = await t.client().get('/carte?pays=SN');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<a href="\/carte" aria-current="page">Carte<\/a>/);
    assert.match(res.body, /href="\/annuaire\?pays=SN"/);
    assert.match(res.body, /3 acteurs correspondent, dont 3 placés sur la carte/);
    const anyLabel = (name: string) => new RegExp(`<select id="[^"]*" name="${name}"[^>]*><option value=""[^>]*>([^<]*)</option>`).exec(res.body)?.[1];
    assert.deepEqual(
      ['famille', 'departement', 'theme', 'pays', 'adherent'].map(anyLabel),
      ['Toutes les familles', 'Tous les départements', 'Toutes les thématiques', 'Tous les pays', 'Tous les acteurs'],
    );
    assert.match(res.body, /Association bordelaise 02/);
    assert.doesNotMatch(res.body, /Comité lyonnais/);
    assert.match(res.body, /data-clusters-url="\/carte\/clusters.json\?pays=SN"/);
    assert.match(res.body, /<script src="\/assets\/js\/map.js" defer><\/script>/);
  });

  test('the country filter offers the countries the set names, not all 250, and keeps a country asked for', async () => {
    const options = async (path: string) => {
      const body = (await t.client().get(path)).body;
      const select = /<select id="[^"]*" name="pays"[^>]*>([\s\S]*?)<\/select>/.exec(body)?.[1] ?? '';
      return [...select.matchAll(/<option value="([^"]*)"( selected)?/g)].map((m) => `${m[1]}${m[2] ? '*' : ''}`);
    };
    assert.deepEqual(await options('/carte'), ['*', 'BF', 'ML', 'SN'], 'Burkina Faso, Mali, Sénégal in name order');
    assert.deepEqual(await options('/carte?theme=health'), ['*', 'BF'], 'narrowed by the other filters');
    assert.deepEqual(await options('/carte?pays=SN'), ['', 'BF', 'ML', 'SN*'], 'its own choice does not narrow it');
    assert.deepEqual(await options('/carte?pays=FR'), ['', 'BF', 'FR*', 'ML', 'SN'], 'a country with nobody stays chosen');
  });

  test('the browser module is bundled at run time and Leaflet’s files are served', async () => {
    const js = await t.client().get('/assets/js/map.js');
    assert.equal(js.statusCode, 200);
    assert.match(String(js.headers['content-type']), /text\/javascript/);
    assert.match(String(js.headers['cache-control']), /max-age/);
    assert.ok(js.body.length > 50_000, 'Leaflet is inside');
    assert.match(js.body, /data-mini-map|miniMap|mini-map/);
    const again = await t.client().get('/assets/js/map.js', { 'if-none-match': String(js.headers.etag) });
    assert.equal(again.statusCode, 304);
    const css = await t.client().get('/assets/vendor/leaflet/leaflet.css');
    assert.equal(css.statusCode, 200);
    assert.match(css.body, /\.leaflet-container/);
    assert.equal((await t.client().get('/assets/vendor/leaflet/images/marker-icon.png')).statusCode, 200);
    assert.equal((await t.client().get('/assets/vendor/leaflet/../package.json')).statusCode, 404);
    assert.equal((await t.client().get('/assets/vendor/leaflet/leaflet.js')).statusCode, 404);
  });

  test('geocoding: an address becomes a point, otherwise the commune’s centre', async () => {
    const street = await add({ name: 'Maison de la solidarité', kind_code: 'association', address: '12 rue Sainte-Catherine', commune: '33063', postcode: '33000' });
    const commune = await add({ name: 'Pessac Coopération', kind_code: 'association', address: '99 impasse Inconnue', commune: '33318', postcode: '33600' });
    await t.kernel.jobs.runDue();
    const rows = await t.kernel.db.selectFrom('organisations').select(['id', 'latitude', 'longitude', 'geo_precision']).where('id', 'in', [street.id, commune.id]).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    assert.deepEqual({ ...byId.get(street.id) }, { id: street.id, latitude: 44.8411, longitude: -0.5735, geo_precision: 'address' });
    assert.deepEqual({ ...byId.get(commune.id) }, { id: commune.id, latitude: 44.8067, longitude: -0.6311, geo_precision: 'commune' });
    const communeQuery = geocoder.requests.find((u) => u.searchParams.get('type') === 'municipality' && u.searchParams.get('citycode') === '33318');
    assert.ok(communeQuery, 'the commune was asked for with type=municipality');
    const jobs = await t.kernel.db.selectFrom('jobs').select(['status']).where('name', '=', 'organisations.geocode').execute();
    assert.ok(jobs.every((j) => j.status === 'done'), JSON.stringify(jobs));
  });

  test('geocoder unreachable: the département’s centre, marked approximate, and the job is tried again later', async () => {
    geocoder.failWith = 503;
    try {
      const o = await add({ name: 'Limoges Afrique', kind_code: 'association', address: '1 place de la République', commune: '87085', postcode: '87000' });
      await t.kernel.jobs.runDue();
      const row = await t.kernel.db.selectFrom('organisations').select(['latitude', 'longitude', 'geo_precision']).where('id', '=', o.id).executeTakeFirstOrThrow();
      assert.deepEqual({ ...row }, { latitude: DEPARTMENT_CENTRES['87']!.lat, longitude: DEPARTMENT_CENTRES['87']!.lng, geo_precision: 'department' });
      const job = await t.kernel.db
        .selectFrom('jobs')
        .select(['status', 'attempts', 'run_at', 'last_error'])
        .where('name', '=', 'organisations.geocode')
        .where('payload', 'like', `%${o.id}%`)
        .executeTakeFirstOrThrow();
      assert.equal(job.status, 'queued', 'waiting for another attempt');
      assert.equal(Number(job.attempts), 1);
      assert.ok(new Date(job.run_at).getTime() > Date.now(), 'later');
      assert.match(String(job.last_error), /injoignable/);
      const dashboard = (await (await t.loginAs('staff')).get('/admin')).body;
      assert.match(dashboard, /en attente de géocodage/, 'the organisation counts as waiting');
      assert.doesNotMatch(dashboard, /Le géocodeur ne répond pas/, 'one failure, tried again in seconds, is no outage to warn about');
      const approx = await clusters(`/carte/clusters.json?bbox=${FRANCE}&zoom=17&q=limoges`);
      assert.equal(approx.features[0]?.properties.approx, true, 'the map shows it as approximate');

      // The geocoder is back: the retry places it at its address… once the server knows it.
      geocoder.failWith = null;
      geocoder.addresses.push({ contains: '1 place de la République', lat: 45.8296, lng: 1.2596, citycode: '87085' });
      await t.kernel.db.updateTable('jobs').set({ run_at: new Date(Date.now() - 1000).toISOString() }).where('status', '=', 'queued').execute();
      await t.kernel.jobs.runDue();
      const placed = await t.kernel.db.selectFrom('organisations').select(['latitude', 'geo_precision']).where('id', '=', o.id).executeTakeFirstOrThrow();
      assert.deepEqual({ ...placed }, { latitude: 45.8296, geo_precision: 'address' });
    } finally {
      geocoder.failWith = null;
    }
  });

  test('a geocoder down again and again is left alone: the jobs wait for it, keeping their attempts, then are placed', async () => {
    geocoder.failWith = 503;
    const asked = geocoder.requests.length;
    try {
      const created: string[] = [];
      for (let i = 1; i <= 8; i++) {
        created.push((await add({ name: `Coopération en panne ${i}`, kind_code: 'association', address: `${i} rue de la Panne`, commune: '87085', postcode: '87000' })).id);
      }
      const jobs = async () =>
        (await t.kernel.db.selectFrom('jobs').select(['payload', 'status', 'attempts', 'run_at']).where('name', '=', 'organisations.geocode').execute()).filter((j) =>
          created.some((id) => j.payload.includes(id)),
        );
      const positions = async () => (await t.kernel.db.selectFrom('organisations').select('geo_precision').where('id', 'in', created).execute()).map((o) => o.geo_precision);
      const attempts = async () => (await jobs()).reduce((n, j) => n + Number(j.attempts), 0);

      const staff = await t.loginAs('staff');
      const dashboard = async () => (await staff.get('/admin')).body;
      await t.kernel.jobs.runDue();
      assert.equal(geocoder.requests.length - asked, 5, 'five failures in a row, then no more requests');
      const warned = await dashboard();
      const times = /Le géocodeur ne répond pas : 8 structures attendent d’être placées à leur adresse et restent d’ici là à une position approximative sur la carte \(dernier échec : ([^;]+) ; prochain essai : (\d{1,2}(?:er)? [^ ]+ \d{4}, \d{2}:\d{2}(?::\d{2})?)\)\. Si cela dure, vérifiez le réglage GEOCODER_URL/.exec(warned);
      assert.ok(times, 'the warning with both times');
      assert.notEqual(times[1], times[2], 'the failure and the next try read apart, even within one minute');
      assert.match(warned, /<span class="stat-value">8<\/span>\s*<span class="stat-label">structures en attente de géocodage/, 'the staff dashboard says so');
      assert.deepEqual(new Set((await jobs()).map((j) => j.status)), new Set(['queued']));
      assert.equal(await attempts(), 4, 'only the failures before the breaker opened use an attempt');
      assert.deepEqual(await positions(), Array(8).fill('department'), 'each waits at its département’s centre');

      // The first retries come due during the cooldown: still not asked, still no attempt used.
      clock.offset = 10_000;
      await t.kernel.jobs.runDue();
      assert.equal(geocoder.requests.length - asked, 5);
      assert.equal(await attempts(), 4);

      // Back after the cooldown: one probe, then every organisation is placed.
      geocoder.failWith = null;
      geocoder.addresses.push({ contains: 'rue de la Panne', lat: 45.83, lng: 1.26, citycode: '87085' });
      clock.offset = 31_000;
      await t.kernel.jobs.runDue();
      assert.deepEqual(await positions(), Array(8).fill('address'));
      assert.deepEqual(new Set((await jobs()).map((j) => j.status)), new Set(['done']));
      assert.doesNotMatch(await dashboard(), /Le géocodeur ne répond pas|en attente de géocodage/, 'and no more once they are placed');
    } finally {
      geocoder.failWith = null;
      clock.offset = 0;
    }
  });

  test('staff move a marker by hand: kept as manual, logged, and never overwritten by the geocoder', async () => {
    const staff = await t.loginAs('staff');
    const page = await staff.get(`/admin/organisations/${ids['lyon']}/position`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /value="45,764"/);
    assert.match(page.body, /data-position-map/);

    const bad = await staff.post(`/admin/organisations/${ids['lyon']}/position`, { action: 'manual', latitude: '95', longitude: 'est' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Indiquez une latitude entre −90 et 90/);
    assert.match(bad.body, /Indiquez une longitude entre −180 et 180/);
    assert.match(bad.body, /value="est"/, 'what was typed is kept');

    const ok = await staff.post(`/admin/organisations/${ids['lyon']}/position`, { action: 'manual', latitude: '45,7578', longitude: '4,8320' });
    assert.equal(ok.statusCode, 303);
    const row = await t.kernel.db.selectFrom('organisations').select(['latitude', 'longitude', 'geo_precision']).where('id', '=', ids['lyon']!).executeTakeFirstOrThrow();
    assert.deepEqual({ ...row }, { latitude: 45.7578, longitude: 4.832, geo_precision: 'manual' });
    const audit = await t.kernel.db.selectFrom('audit_log').select(['action', 'before', 'after', 'actor_email']).where('entity_id', '=', ids['lyon']!).where('action', '=', 'organisation.position').executeTakeFirstOrThrow();
    assert.match(String(audit.before), /45\.764/);
    assert.match(String(audit.after), /"manual"/);
    assert.match(String(audit.actor_email), /^staff/);

    const moved = await clusters(`/carte/clusters.json?bbox=4.8,45.7,4.9,45.8&zoom=17&q=lyonnais`);
    assert.deepEqual(moved.features[0]?.geometry.coordinates, [4.832, 45.7578]);

    await t.kernel.jobs.enqueue('organisations.geocode', { id: ids['lyon'] });
    await t.kernel.jobs.runDue();
    const still = await t.kernel.db.selectFrom('organisations').select(['geo_precision']).where('id', '=', ids['lyon']!).executeTakeFirstOrThrow();
    assert.equal(still.geo_precision, 'manual');

    const member = await t.loginAs('member');
    const refused = await member.post(`/admin/organisations/${ids['lyon']}/position`, { action: 'manual', latitude: '1', longitude: '1' });
    assert.equal(refused.statusCode, 403);
  });
});
