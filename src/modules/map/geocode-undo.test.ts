import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testApp } from '../../../test/helpers/app.js';
import { ShiftedClock } from '../../../test/helpers/clock.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { GeocoderServer } from '../../../test/helpers/geocoder-server.js';
import { seedBatch } from '../../../test/helpers/import-batches.js';
import { importDeps, undoBatch } from '../imports/index.js';
import { createOrganisation, draftOf, findOrganisationById } from '../organisations/index.js';
import { GEOCODE_IMPORTED_JOB, GEOCODE_JOB } from './jobs.js';
import { geocoderOf } from './state.js';

const ACTOR = { id: null, email: 'equipe@example.org' };
/** Three organisations without a street address: each is looked up by its commune. */
const THREE = 'Nom structure;CP;Ville\nAssociation Lune;33000;Bordeaux\nCollectif Soleil;47000;Agen\nRéseau Étoile;33600;Pessac\n';

forEachDialect('the geocoding of an organisation deleted while its job runs (an import undone meanwhile)', (dialect) => {
  for (const geocoderState of ['failing now (the job would be tried again)', 'known to be down (the job would wait for it)'] as const) {
    test(`geocoder ${geocoderState}: the job of a deleted organisation ends quietly, the others are placed`, async (t) => {
      const server = await new GeocoderServer([{ contains: '3 place du Marché', lat: 44.8378, lng: -0.5792, citycode: '33063' }]).start();
      const clock = new ShiftedClock();
      const app = await testApp(dialect, { env: { GEOCODER_URL: server.url }, clock });
      t.after(async () => {
        await app.close();
        await server.close();
      });
      const { db, jobs } = app.kernel;
      const batch = await seedBatch(app.kernel, 'carte.csv', 'committed', THREE);
      const deleted = (await db.selectFrom('organisations').select('id').where('import_batch_id', '=', batch.id).execute()).map((o) => o.id);
      assert.equal(deleted.length, 3);
      assert.equal(await jobs.runDue(1), 1, 'the chunk is handed to geocoding');
      // An organisation created by hand, outside the import: its own geocoding job.
      const lune = (await findOrganisationById(db, deleted[0]!))!;
      const other = await createOrganisation(app.kernel, ACTOR, { ...draftOf(lune), name: 'Association Hors Import', address: '3 place du Marché' });

      const geocodingJobs = async () =>
        (await db.selectFrom('jobs').select(['name', 'payload', 'status', 'last_error']).where('name', 'in', [GEOCODE_JOB, GEOCODE_IMPORTED_JOB]).execute()).map((j) => ({
          id: (JSON.parse(j.payload) as { id: string }).id,
          status: j.status,
          error: j.last_error,
        }));
      assert.deepEqual((await geocodingJobs()).filter((j) => deleted.includes(j.id)).map((j) => j.status), ['queued', 'queued', 'queued']);

      server.failWith = 503;
      const geocoder = geocoderOf(app.kernel);
      const search = geocoder.search.bind(geocoder);
      if (geocoderState === 'known to be down (the job would wait for it)') {
        // Five failures in a row: the geocoder is left alone for a while, each job waits for it.
        for (let i = 0; i < 5; i++) await search({ q: 'essai' });
        assert.ok(geocoder.unavailableUntil, 'the breaker is open');
      }
      // Staff undo the import while the geocoder is asked about one of its organisations.
      let undone: Promise<{ organisations: number; contacts: number }> | undefined;
      geocoder.search = async (query) => {
        if (!query.q.includes('Marché')) undone ??= undoBatch(importDeps(app.kernel), ACTOR, batch.id);
        await undone;
        return search(query);
      };
      t.after(() => {
        geocoder.search = search;
      });

      await jobs.runDue();
      assert.ok(undone, 'an imported organisation’s job was running when the import was undone');
      assert.equal((await undone).organisations, 3);
      const ofDeleted = (await geocodingJobs()).filter((j) => deleted.includes(j.id));
      assert.deepEqual(
        ofDeleted.filter((j) => j.status !== 'done' || j.error !== null),
        [],
        'no geocoding waits, fails or is tried again for an organisation that no longer exists',
      );
      assert.deepEqual(
        (await geocodingJobs()).filter((j) => j.id === other.id).map((j) => j.status),
        ['queued'],
        'the other organisation waits for the geocoder',
      );

      // The geocoder is back: the other organisation is placed at its address, and nothing else runs.
      server.failWith = null;
      clock.offset = 10 * 60_000;
      await jobs.runDue();
      const placed = await db.selectFrom('organisations').select(['latitude', 'longitude', 'geo_precision']).where('id', '=', other.id).executeTakeFirstOrThrow();
      assert.deepEqual({ ...placed }, { latitude: 44.8378, longitude: -0.5792, geo_precision: 'address' });
      assert.deepEqual(
        (await geocodingJobs()).filter((j) => j.status !== 'done' || j.error !== null),
        [],
        'every geocoding job ended without error',
      );
    });
  }
});
