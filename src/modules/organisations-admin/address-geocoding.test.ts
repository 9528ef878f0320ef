import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { seedBatch } from '../../../test/helpers/import-batches.js';
import { organisationForm } from '../../../test/helpers/organisation-form.js';
import { importDeps, undoBatch } from '../imports/index.js';
import { GEOCODE_JOB } from '../map/index.js';
import { findOrganisationById } from '../organisations/index.js';

const ACTOR = { id: null, email: 'equipe@example.org' };

forEachDialect('organisations: a change of address and its geocoding job are written together', (dialect) => {
  test('staff change an imported organisation’s address while the import is undone: no geocoding is left for the deleted organisation', async (t) => {
    const app = await testApp(dialect);
    t.after(() => app.close());
    const staff = await app.loginAs('staff');
    const { db, jobs } = app.kernel;
    const batch = await seedBatch(app.kernel, 'adresse.csv', 'committed');
    const imported = (await db.selectFrom('organisations').select('id').where('import_batch_id', '=', batch.id).orderBy('name').execute()).map((o) => o.id);
    const lune = (await findOrganisationById(db, imported[0]!))!;

    // Staff undo the import just as the edit queues the geocoding of the new address: the undo is
    // given time to end before the edit goes on (it ends at once unless it has to wait for the edit).
    const undoing: { run?: Promise<{ organisations: number; contacts: number }> } = {};
    const enqueue = jobs.enqueue.bind(jobs);
    jobs.enqueue = async (name, ...rest) => {
      if (name === GEOCODE_JOB) {
        undoing.run ??= undoBatch(importDeps(app.kernel), ACTOR, batch.id);
        await Promise.race([undoing.run.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 300))]);
      }
      return enqueue(name, ...rest);
    };
    t.after(() => {
      jobs.enqueue = enqueue;
    });

    const res = await staff.post(`/admin/organisations/${lune.id}`, organisationForm(lune, { address: '12 rue du Port' }));
    assert.ok(undoing.run, 'the edit queued the geocoding of the new address');
    assert.equal((await undoing.run).organisations, 2, 'the undo went through');
    // Saved then deleted (303), or found deleted (the form says so): never an error page.
    assert.ok([303, 400].includes(res.statusCode), `${res.statusCode}`);
    assert.equal(await findOrganisationById(db, lune.id), undefined);
    const left = await db.selectFrom('jobs').select(['payload', 'status']).where('name', '=', GEOCODE_JOB).where('status', '=', 'queued').execute();
    assert.deepEqual(
      left.filter((j) => imported.includes((JSON.parse(j.payload) as { id: string }).id)),
      [],
      'no geocoding waits for an organisation the undo deleted',
    );

    await jobs.runDue();
    const ended = await db.selectFrom('jobs').select(['name', 'status', 'last_error']).execute();
    assert.deepEqual(ended.filter((j) => j.status !== 'done' || j.last_error !== null), [], 'every job ran to its end without error');
  });

  test('the geocoding job cannot be queued: no new address, new organisation or position given back to the geocoder is saved without it', async (t) => {
    const app = await testApp(dialect);
    t.after(() => app.close());
    const staff = await app.loginAs('staff');
    const { db, jobs } = app.kernel;
    const batch = await seedBatch(app.kernel, 'adresse.csv', 'committed');
    const id = (await db.selectFrom('organisations').select('id').where('import_batch_id', '=', batch.id).orderBy('name').executeTakeFirstOrThrow()).id;
    const before = (await findOrganisationById(db, id))!;
    const geocodingOf = async () =>
      (await db.selectFrom('jobs').select('payload').where('name', '=', GEOCODE_JOB).execute()).filter((j) => (JSON.parse(j.payload) as { id: string }).id === id);
    assert.deepEqual(await geocodingOf(), []);

    const enqueue = jobs.enqueue.bind(jobs);
    jobs.enqueue = async (name, ...rest) => {
      if (name === GEOCODE_JOB) throw new Error('jobs table unavailable');
      return enqueue(name, ...rest);
    };
    t.after(() => {
      jobs.enqueue = enqueue;
    });

    const failed = await staff.post(`/admin/organisations/${id}`, organisationForm(before, { address: '12 rue du Port' }));
    assert.equal(failed.statusCode, 500);
    assert.doesNotMatch(failed.body, /jobs table unavailable|at .*\.ts:\d+/, 'no technical detail shown');
    const unchanged = (await findOrganisationById(db, id))!;
    assert.equal(unchanged.address, before.address, 'the address is not changed without its geocoding');
    assert.equal(unchanged.updated_at, before.updated_at);

    // The same for a new organisation, and for a position given back to the geocoder.
    const created = await staff.post('/admin/organisations/nouvelle', organisationForm(before, { name: 'Maison des Peuples Unis', address: '5 rue Neuve' }));
    assert.equal(created.statusCode, 500);
    assert.equal((await db.selectFrom('organisations').select('id').where('name', '=', 'Maison des Peuples Unis').execute()).length, 0, 'no organisation left unplaced');
    jobs.enqueue = enqueue;
    assert.equal((await staff.post(`/admin/organisations/${id}/position`, { action: 'manual', latitude: '44,84', longitude: '-0,57' })).statusCode, 303);
    jobs.enqueue = async (name, ...rest) => {
      if (name === GEOCODE_JOB) throw new Error('jobs table unavailable');
      return enqueue(name, ...rest);
    };
    assert.equal((await staff.post(`/admin/organisations/${id}/position`, { action: 'auto' })).statusCode, 500);
    assert.equal((await findOrganisationById(db, id))!.geo_precision, 'manual', 'the position placed by hand stays until its geocoding is queued');
    assert.deepEqual(await geocodingOf(), []);

    // Once jobs can be queued again, the same edit is saved with its geocoding.
    jobs.enqueue = enqueue;
    const saved = await staff.post(`/admin/organisations/${id}`, organisationForm(before, { address: '12 rue du Port' }));
    assert.equal(saved.statusCode, 303);
    assert.equal((await findOrganisationById(db, id))!.address, '12 rue du Port');
    assert.equal((await geocodingOf()).length, 1);
  });
});
