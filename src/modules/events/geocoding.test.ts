import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { ShiftedClock } from '../../../test/helpers/clock.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { EVENT_FORM } from '../../../test/helpers/events.js';
import { GeocoderServer } from '../../../test/helpers/geocoder-server.js';
import { findUserByEmail } from '../../kernel/auth/repo.js';
import { DEPARTMENT_CENTRES } from '../../kernel/geo/department-centres.js';
import { createOrganisation, linkUserToOrganisation, taxonomies, taxonomyCodes, validateOrganisation } from '../organisations/index.js';
import { EVENT_GEOCODE_JOB, findEventById, findEventBySlug } from './index.js';

interface Point {
  title: string;
  href: string;
  lat: number;
  lng: number;
  approximate?: boolean;
}

function decode(text: string): string {
  return text.replace(/&#39;/g, "'").replace(/&#34;/g, '"').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const idFrom = (location: unknown) => String(location).split('/').pop()!.split('#')[0]!;

const SAINTE_CATHERINE = { lat: 44.8411, lng: -0.5735 };
const CAPITOLE = { lat: 43.6045, lng: 1.4442 };
const BORDEAUX = { lat: 44.8378, lng: -0.5792 };

forEachDialect('events: in-person events are geocoded by a job and shown on the agenda map', (dialect) => {
  let t: TestApp, staff: Client, geocoder: GeocoderServer, orgId: string;
  const clock = new ShiftedClock();

  before(async () => {
    geocoder = await new GeocoderServer(
      [
        { contains: '12 rue Sainte-Catherine', ...SAINTE_CATHERINE, citycode: '33063' },
        { contains: '3 place du Capitole', ...CAPITOLE, citycode: '31555' },
      ],
      [{ citycode: '33063', name: 'Bordeaux', ...BORDEAUX }],
    ).start();
    t = await testApp(dialect, { env: { GEOCODER_URL: geocoder.url }, clock });
    staff = await t.loginAs('staff', 'equipe@example.org');
    const checked = validateOrganisation({ name: 'Eau Vive Gironde', kind_code: 'association', commune: '33063', postcode: '33000', visibility: 'public' }, taxonomyCodes(await taxonomies(t.kernel.db)), { currentYear: 2030 });
    if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
    orgId = (await createOrganisation({ db: t.kernel.db, clock, jobs: t.kernel.jobs }, { id: null, email: null }, checked.draft)).id;
    // Its own geocoding is not this file's business.
    await t.kernel.db.deleteFrom('jobs').execute();
  });
  after(async () => {
    await t?.close();
    await geocoder?.close();
  });

  async function mapPoints(): Promise<{ points: Point[]; list: string }> {
    const res = await t.client().get('/agenda?vue=carte');
    assert.equal(res.statusCode, 200);
    const points = JSON.parse(decode(/data-points="([^"]*)"/.exec(res.body)?.[1] ?? '[]')) as Point[];
    return { points, list: res.body.slice(res.body.indexOf('id="agenda-map-list"')) };
  }

  async function create(form: Record<string, string>): Promise<string> {
    const res = await staff.post('/admin/agenda/nouveau', { ...EVENT_FORM, intent: 'publish', ...form });
    assert.equal(res.statusCode, 303, res.body.slice(0, 3000));
    return idFrom(res.headers.location);
  }

  const queuedGeocodings = async () =>
    (await t.kernel.db.selectFrom('jobs').select('payload').where('name', '=', EVENT_GEOCODE_JOB).where('status', '=', 'queued').execute()).map(
      (j) => (JSON.parse(j.payload) as { ids: string[] }).ids,
    );
  /** The dashboard's count of events to come waiting for their place, with its words; null when it does not show. */
  const awaitingOnDashboard = async () => {
    const tile = /<span class="stat-value">([^<]*)<\/span>\s*<span class="stat-label">([^<]*à venir en attente de géocodage)</.exec((await staff.get('/admin')).body);
    return tile ? `${tile[1]} ${tile[2]}` : null;
  };
  const positionStatus = async (id: string) => decode(/<p data-position-status>([^<]*)<\/p>/.exec((await staff.get(`/admin/agenda/${id}`)).body)?.[1] ?? '');

  test('an event created in the back office with an address is placed by a job, then shown on the agenda map and in its list', async () => {
    const id = await create({ title: 'Forum eau Sainte-Catherine', address: '12 rue Sainte-Catherine' });
    // The request does not ask the geocoder: the job does.
    assert.equal(geocoder.requests.length, 0);
    assert.deepEqual(await queuedGeocodings(), [[id]]);
    assert.equal((await findEventById(t.kernel.db, id))!.latitude, null);
    assert.equal(await positionStatus(id), 'Recherche de la position d’après l’adresse en cours\u00a0: l’événement apparaîtra sur la carte de l’agenda dans quelques instants.');
    assert.ok(!(await mapPoints()).points.some((p) => p.title === 'Forum eau Sainte-Catherine'));

    await t.kernel.jobs.runDue();
    const event = (await findEventById(t.kernel.db, id))!;
    assert.deepEqual([Number(event.latitude), Number(event.longitude), event.geo_precision], [SAINTE_CATHERINE.lat, SAINTE_CATHERINE.lng, 'address']);
    const { points, list } = await mapPoints();
    const point = points.find((p) => p.title === 'Forum eau Sainte-Catherine');
    assert.deepEqual(point && [point.lat, point.lng, point.href, point.approximate], [SAINTE_CATHERINE.lat, SAINTE_CATHERINE.lng, `/agenda/${event.slug}`, undefined]);
    assert.match(list, /Forum eau Sainte-Catherine/, 'the list under the map names it too');
    assert.equal(await positionStatus(id), 'Position trouvée\u00a0: 44,8411, -0,5735 (d’après l’adresse).');
    // The edit form leaves the found position to the geocoder: its coordinates are not typed ones.
    assert.match((await staff.get(`/admin/agenda/${id}`)).body, /name="latitude"[^>]*value=""/);
  });

  test('an address the geocoder does not know: the commune’s centre; an unknown commune: the département’s, approximate; online only: none', async () => {
    const unknownStreet = await create({ title: 'Atelier rue inconnue', address: '99 impasse des Nulle-Part' });
    const unknownCommune = await create({ title: 'Atelier à Pessac', address: '1 avenue Inconnue', commune: 'Pessac', postcode: '33600' });
    const online = await create({ title: 'Webinaire financements', venue: '', commune: '', postcode: '', online_url: 'https://visio.example.org/salle' });
    assert.deepEqual((await queuedGeocodings()).flat().sort(), [unknownStreet, unknownCommune].sort(), 'nothing to place online');
    await t.kernel.jobs.runDue();

    const street = (await findEventById(t.kernel.db, unknownStreet))!;
    assert.deepEqual([Number(street.latitude), Number(street.longitude), street.geo_precision], [BORDEAUX.lat, BORDEAUX.lng, 'commune']);
    assert.equal(await positionStatus(unknownStreet), 'Adresse non trouvée sur la carte\u00a0: l’événement est placé au centre de la commune (44,8378, -0,5792).');
    const pessac = (await findEventById(t.kernel.db, unknownCommune))!;
    const gironde = DEPARTMENT_CENTRES['33']!;
    assert.deepEqual([Number(pessac.latitude), Number(pessac.longitude), pessac.geo_precision], [gironde.lat, gironde.lng, 'department']);
    assert.match(await positionStatus(unknownCommune), /^Adresse non trouvée sur la carte\u00a0: l’événement est placé au centre du département, position approximative/);
    assert.equal((await findEventById(t.kernel.db, online))!.latitude, null);
    assert.equal(await positionStatus(online), 'Événement en ligne\u00a0: il n’apparaît pas sur la carte.');

    const { points, list } = await mapPoints();
    assert.deepEqual(
      points.filter((p) => p.title.startsWith('Atelier')).map((p) => [p.title, p.approximate ?? false]),
      [
        ['Atelier rue inconnue', false],
        ['Atelier à Pessac', true],
      ],
    );
    assert.match(list, /Webinaire financements/, 'the online event stays in the list');
    // Not a département's centre in calendars: no GEO in the event's .ics.
    const pessacIcs = await t.client().get(`/agenda/${pessac.slug}.ics`);
    assert.doesNotMatch(pessacIcs.body, /^GEO:/m);
    assert.match((await t.client().get(`/agenda/${street.slug}.ics`)).body, /^GEO:44\.837800;-0\.579200/m);
    // Sites embedding the agenda are told the same.
    const widget = JSON.parse((await t.client().get('/agenda/widget.json?nombre=20')).body) as { events: { title: string; approximate: boolean }[] };
    assert.deepEqual(
      widget.events.filter((e) => e.title.startsWith('Atelier')).map((e) => [e.title, e.approximate]).sort(),
      [
        ['Atelier rue inconnue', false],
        ['Atelier à Pessac', true],
      ],
    );
  });

  test('changing the address geocodes the event again; a change elsewhere keeps its position without asking', async () => {
    const id = await create({ title: 'Rencontre mobile', address: '12 rue Sainte-Catherine' });
    await t.kernel.jobs.runDue();
    const asked = geocoder.requests.length;

    const renamed = await staff.post(`/admin/agenda/${id}`, { ...EVENT_FORM, title: 'Rencontre mobile 2030', address: '12 rue Sainte-Catherine' });
    assert.equal(renamed.statusCode, 303, renamed.body.slice(0, 3000));
    assert.deepEqual(await queuedGeocodings(), [], 'same place: nothing to look up');
    assert.equal((await findEventById(t.kernel.db, id))!.geo_precision, 'address', 'the found position stays');

    const moved = await staff.post(`/admin/agenda/${id}`, { ...EVENT_FORM, title: 'Rencontre mobile 2030', address: '3 place du Capitole', commune: 'Toulouse', postcode: '31000' });
    assert.equal(moved.statusCode, 303, moved.body.slice(0, 3000));
    assert.deepEqual(await queuedGeocodings(), [[id]]);
    await t.kernel.jobs.runDue();
    assert.ok(geocoder.requests.length > asked);
    const event = (await findEventById(t.kernel.db, id))!;
    assert.deepEqual([Number(event.latitude), Number(event.longitude), event.geo_precision], [CAPITOLE.lat, CAPITOLE.lng, 'address']);
    const point = (await mapPoints()).points.find((p) => p.title === 'Rencontre mobile 2030');
    assert.deepEqual(point && [point.lat, point.lng], [CAPITOLE.lat, CAPITOLE.lng]);

    // Online only now: no point any more.
    const online = await staff.post(`/admin/agenda/${id}`, { ...EVENT_FORM, title: 'Rencontre mobile 2030', venue: '', commune: '', postcode: '', online_url: 'https://visio.example.org/mobile' });
    assert.equal(online.statusCode, 303, online.body.slice(0, 3000));
    assert.deepEqual(await queuedGeocodings(), []);
    assert.equal((await findEventById(t.kernel.db, id))!.latitude, null);
    assert.ok(!(await mapPoints()).points.some((p) => p.title === 'Rencontre mobile 2030'));
  });

  test('coordinates typed by staff are kept as typed; emptied, the address is looked up again', async () => {
    const id = await create({ title: 'Visite de chantier', address: '12 rue Sainte-Catherine', latitude: '44,85', longitude: '-0,56' });
    assert.deepEqual(await queuedGeocodings(), [], 'a typed position is not looked up');
    assert.equal(await positionStatus(id), 'Position saisie à la main\u00a0: 44,85, -0,56.');
    assert.match((await staff.get(`/admin/agenda/${id}`)).body, /name="latitude"[^>]*value="44.85"/);

    const emptied = await staff.post(`/admin/agenda/${id}`, { ...EVENT_FORM, title: 'Visite de chantier', address: '12 rue Sainte-Catherine', latitude: '', longitude: '' });
    assert.equal(emptied.statusCode, 303, emptied.body.slice(0, 3000));
    await t.kernel.jobs.runDue();
    const event = (await findEventById(t.kernel.db, id))!;
    assert.deepEqual([Number(event.latitude), Number(event.longitude), event.geo_precision], [SAINTE_CATHERINE.lat, SAINTE_CATHERINE.lng, 'address']);
  });

  test('the dates of a series share one geocoding; a member’s proposal is placed once approved', async () => {
    const asked = geocoder.requests.length;
    const first = await create({ title: 'Groupe pays Mali', type_code: 'country_group_meeting', start_date: '2030-01-08', address: '12 rue Sainte-Catherine', repeat_freq: 'monthly_weekday', repeat_count: '3' });
    const event = (await findEventById(t.kernel.db, first))!;
    assert.deepEqual((await queuedGeocodings()).map((ids) => ids.length), [3], 'one job for the three dates');
    await t.kernel.jobs.runDue();
    assert.equal(geocoder.requests.length - asked, 1, 'their place asked once');
    const dates = await t.kernel.db.selectFrom('events').select(['latitude', 'geo_precision']).where('series_id', '=', event.series_id).execute();
    assert.deepEqual(
      dates.map((d) => [Number(d.latitude), d.geo_precision]),
      dates.map(() => [SAINTE_CATHERINE.lat, 'address']),
    );

    const member = await t.loginAs('member', 'awa@example.org');
    await linkUserToOrganisation(t.kernel.db, (await findUserByEmail(t.kernel.db, 'awa@example.org'))!.id, orgId, new Date().toISOString());
    const sent = await member.post('/mon-espace/evenements/nouveau', { ...EVENT_FORM, title: 'Projection au Capitole', type_code: 'conference', address: '3 place du Capitole', commune: 'Toulouse', postcode: '31000', organisers: orgId });
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 3000));
    assert.deepEqual(await queuedGeocodings(), [], 'a proposal is not placed before it is approved');
    const queue = await staff.get('/admin/moderation?type=event');
    const proposalId = /href="\/admin\/moderation\/([0-9a-f-]{36})">Projection au Capitole</.exec(queue.body)?.[1];
    assert.ok(proposalId);
    assert.equal((await staff.post(`/admin/moderation/${proposalId}/approuver`)).statusCode, 303);
    await t.kernel.jobs.runDue();
    const approved = (await findEventBySlug(t.kernel.db, 'projection-au-capitole-2030-06-12'))!.event;
    assert.deepEqual([Number(approved.latitude), Number(approved.longitude), approved.geo_precision], [CAPITOLE.lat, CAPITOLE.lng, 'address']);
    assert.ok((await mapPoints()).points.some((p) => p.title === 'Projection au Capitole'));
  });

  test('the geocoder down: the département’s centre meanwhile, the address once it answers; events never placed are found by the daily sweep', async () => {
    geocoder.failWith = 503;
    try {
      const id = await create({ title: 'Rencontre pendant la panne', address: '12 rue Sainte-Catherine' });
      await t.kernel.jobs.runDue();
      const during = (await findEventById(t.kernel.db, id))!;
      const gironde = DEPARTMENT_CENTRES['33']!;
      assert.deepEqual([Number(during.latitude), Number(during.longitude), during.geo_precision], [gironde.lat, gironde.lng, 'department']);
      assert.deepEqual(await queuedGeocodings(), [[id]], 'tried again later');
      assert.equal(await awaitingOnDashboard(), '1 événement à venir en attente de géocodage', 'the dashboard counts it, in the singular');
      geocoder.failWith = null;
      clock.offset += 60_000;
      await t.kernel.jobs.runDue();
      const afterwards = (await findEventById(t.kernel.db, id))!;
      assert.deepEqual([Number(afterwards.latitude), afterwards.geo_precision], [SAINTE_CATHERINE.lat, 'address']);
      assert.equal(await awaitingOnDashboard(), null, 'placed, it is no longer counted');
    } finally {
      geocoder.failWith = null;
    }

    // Events written before events were geocoded: no position, none looked up, no job.
    const capitole = { address: '3 place du Capitole', commune: 'Toulouse', postcode: '31000' };
    const old = await create({ title: 'Événement d’avant', ...capitole });
    const past = await create({ title: 'Événement passé', start_date: '2020-09-01', ...capitole });
    await t.kernel.db.deleteFrom('jobs').where('name', '=', EVENT_GEOCODE_JOB).execute();
    await t.kernel.db.updateTable('events').set({ latitude: null, longitude: null, geo_precision: null }).where('id', 'in', [old, past]).execute();
    await t.kernel.jobs.enqueue('events.geocode-sweep', {});
    await t.kernel.jobs.runDue();
    const placed = (await findEventById(t.kernel.db, old))!;
    assert.deepEqual([Number(placed.latitude), Number(placed.longitude), placed.geo_precision], [CAPITOLE.lat, CAPITOLE.lng, 'address']);
    assert.equal((await findEventById(t.kernel.db, past))!.latitude, null, 'past events are left as they are');
  });
});
