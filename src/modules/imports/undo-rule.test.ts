import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { seedBatch } from '../../../test/helpers/import-batches.js';
import { GEOCODE_IMPORTED_JOB, GEOCODE_JOB } from '../map/index.js';
import { createOrganisation, draftOf, findOrganisationById, updateOrganisation } from '../organisations/index.js';
import { undoRefusal, undoable } from './batch-data.js';
import { type BatchRow, findBatch, ImportError, importDeps, queueCommit, runCommit, runUndoCommand, undoBatch } from './index.js';

const ACTOR = { id: null, email: 'equipe@example.org' };
const LEGAL = { basis: 'legitimate_interest' as const, detail: 'Test' };
/** Three organisations: written one a chunk, a commit can fail after its first. */
const THREE = 'Nom structure;CP;Ville\nAssociation Lune;33000;Bordeaux\nCollectif Soleil;47000;Agen\nRéseau Étoile;33600;Pessac\n';

function decode(html: string): string {
  return html.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

forEachDialect('imports: one rule says whether a batch can be undone, for the button, the routes, undoBatch and the command line', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let seeded = 0;

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff');
  });
  after(() => t.close());

  const name = () => `etat-${++seeded}.csv`;
  const setBatch = async (batch: BatchRow, patch: Partial<BatchRow>) => {
    await t.kernel.db.updateTable('import_batches').set(patch).where('id', '=', batch.id).execute();
    return (await findBatch(t.kernel.db, batch.id))!;
  };
  const queued = async () => {
    const batch = await seedBatch(t.kernel, name(), 'validated');
    return queueCommit(importDeps(t.kernel), batch.id, { mode: 'valid-only', legalBasis: LEGAL, inline: true });
  };
  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

  /** Each state, and whether it can be undone (null) or the refusal's key. */
  const states: { state: string; make: () => Promise<BatchRow>; refusal: ImportError['key'] | null }[] = [
    { state: 'draft', make: () => seedBatch(t.kernel, name(), 'draft'), refusal: 'imports.error.undoNothingWritten' },
    { state: 'validated', make: () => seedBatch(t.kernel, name(), 'validated'), refusal: 'imports.error.undoNothingWritten' },
    {
      state: 'validating',
      make: async () => setBatch(await seedBatch(t.kernel, name(), 'draft'), { status: 'validating', progress_at: new Date().toISOString() }),
      refusal: 'imports.error.cannotUndo',
    },
    // Undoing a batch not yet begun stops its commit: the way to call it off.
    { state: 'queued', make: queued, refusal: null },
    { state: 'running', make: async () => setBatch(await queued(), { status: 'running', progress_at: minutesAgo(1) }), refusal: 'imports.error.undoRunning' },
    { state: 'running, taken for dead', make: async () => setBatch(await queued(), { status: 'running', progress_at: minutesAgo(11) }), refusal: null },
    { state: 'committed', make: () => seedBatch(t.kernel, name(), 'committed'), refusal: null },
    {
      state: 'failed at checkpoint 0 (nothing written)',
      make: async () => {
        const batch = await queued();
        // The file went away before the first chunk.
        fs.rmSync(batch.file_path);
        await assert.rejects(runCommit(importDeps(t.kernel), ACTOR, batch.id), /n’est plus disponible/);
        return (await findBatch(t.kernel.db, batch.id))!;
      },
      refusal: 'imports.error.undoNothingWritten',
    },
    {
      state: 'failed after its first chunk',
      make: async () => {
        const batch = await seedBatch(t.kernel, name(), 'validated', THREE);
        await queueCommit(importDeps(t.kernel), batch.id, { mode: 'valid-only', legalBasis: LEGAL, inline: true });
        const stop = (i: number) => {
          if (i === 1) throw new Error('arrêt');
        };
        await assert.rejects(runCommit(importDeps(t.kernel), ACTOR, batch.id, { chunkRows: 1, afterChunkWrite: stop }), /arrêt/);
        return (await findBatch(t.kernel.db, batch.id))!;
      },
      refusal: null,
    },
    {
      state: 'undone',
      make: async () => {
        const batch = await seedBatch(t.kernel, name(), 'committed');
        await undoBatch(importDeps(t.kernel), ACTOR, batch.id);
        return (await findBatch(t.kernel.db, batch.id))!;
      },
      refusal: 'imports.error.alreadyUndone',
    },
  ];

  for (const { state, make, refusal } of states) {
    test(`${state}: ${refusal ? 'not undone' : 'undone'}, the same everywhere`, async () => {
      const batch = await make();
      if (state.startsWith('failed')) assert.equal(batch.status, 'failed');
      if (state === 'failed after its first chunk') assert.ok(batch.checkpoint_row > 0, 'it wrote a chunk');
      if (state.includes('nothing written')) assert.equal(batch.checkpoint_row, 0);
      const can = refusal === null;
      assert.equal(undoRefusal(batch, new Date())?.key ?? null, refusal, 'the rule');
      assert.equal(undoable(batch, new Date()), can);

      // The button of the batch's page.
      const page = await staff.get(`/admin/imports/${batch.id}`);
      assert.equal(page.statusCode, 200);
      assert.equal(page.body.includes('>Annuler cet import<'), can, 'the page offers the undo only when it would go through');

      // The confirmation page.
      const confirm = await staff.get(`/admin/imports/${batch.id}/annuler`);
      const why = refusal ? new ImportError(refusal, refusal === 'imports.error.cannotUndo' ? { status: { key: 'importWizard.status.validating' } } : { minutes: 10 }) : null;
      if (can) {
        assert.equal(confirm.statusCode, 200);
        assert.match(confirm.body, /Oui, annuler l’import/);
      } else {
        assert.equal(confirm.statusCode, 303);
        assert.equal(confirm.headers['location'], `/admin/imports/${batch.id}`);
        assert.ok(decode((await staff.get(`/admin/imports/${batch.id}`)).body).includes(why!.message), `says why: ${why!.message}`);
      }

      // The command line refuses in French what the page does not offer.
      if (!can) {
        const lines: string[] = [];
        await assert.rejects(runUndoCommand(t.kernel, batch.id, { log: (line: string) => void lines.push(line) }), (e: unknown) => e instanceof ImportError && e.key === refusal && e.message === why!.message);
        assert.deepEqual(lines, []);
      }

      // The undo itself (undoBatch, through the route).
      const posted = await staff.post(`/admin/imports/${batch.id}/annuler`);
      assert.equal(posted.statusCode, 303);
      const after = (await findBatch(t.kernel.db, batch.id))!;
      if (can) {
        assert.equal(after.status, 'undone');
        assert.match(decode((await staff.get(`/admin/imports/${batch.id}`)).body), /Import annulé/);
        assert.equal((await t.kernel.db.selectFrom('organisations').select('id').where('import_batch_id', '=', batch.id).execute()).length, 0);
      } else {
        assert.equal(after.status, batch.status, 'nothing changed');
        assert.ok(decode((await staff.get(`/admin/imports/${batch.id}`)).body).includes(why!.message));
      }
    });
  }

  test('the refusal of a batch that wrote nothing reads in English too', async () => {
    const error = undoRefusal({ status: 'failed', checkpoint_row: 0, progress_at: null, created_organisations: 0, created_contacts: 0 }, new Date())!;
    assert.equal(error.message, 'Cet import n’a rien écrit dans la base : il n’y a rien à annuler. Supprimez-le plutôt, depuis sa page dans Imports (/admin/imports).');
    assert.match(error.text('en'), /^This import wrote nothing to the database: there is nothing to undo\. Delete it instead/);
  });
});

forEachDialect('imports: undoing an import cancels the geocoding queued by later address changes', (dialect) => {
  test('an imported organisation whose address staff changed: its geocoding goes with it, another organisation’s stays', async (t) => {
    const app = await testApp(dialect);
    t.after(() => app.close());
    const batch = await seedBatch(app.kernel, 'adresses.csv', 'committed');
    const [lune, soleil] = await app.kernel.db.selectFrom('organisations').select('id').where('import_batch_id', '=', batch.id).orderBy('name').execute();
    // Staff change the address of an imported organisation: a geocoding job is queued for it.
    const before = (await findOrganisationById(app.kernel.db, lune!.id))!;
    await updateOrganisation(app.kernel, ACTOR, before.id, { ...draftOf(before), address: '12 rue du Port' });
    // An organisation created by hand, with its own geocoding queued, whose id the others' do not share.
    const other = await createOrganisation(app.kernel, ACTOR, { ...draftOf(before), name: 'Association Hors Import', address: '3 place du Marché' });
    const queuedFor = async (ids: string[]) =>
      (await app.kernel.db.selectFrom('jobs').select(['payload']).where('name', '=', GEOCODE_JOB).where('status', '=', 'queued').execute())
        .map((j) => (JSON.parse(j.payload) as { id: string }).id)
        .filter((id) => ids.includes(id));
    assert.deepEqual(await queuedFor([lune!.id]), [lune!.id], 'the address change queued a geocoding job');
    assert.deepEqual(await queuedFor([other.id]), [other.id]);

    const removed = await undoBatch(importDeps(app.kernel), ACTOR, batch.id);
    assert.equal(removed.organisations, 2);
    assert.deepEqual(await queuedFor([lune!.id, soleil!.id]), [], 'no queued geocoding refers to an organisation the undo deleted');
    assert.deepEqual(await queuedFor([other.id]), [other.id], 'the other organisation’s geocoding stays');
  });
});

forEachDialect('imports: a batch undone while its organisations are handed to geocoding', (dialect) => {
  test('no geocoding waits for an organisation the undo deleted, and the worker then runs every job without error', async (t) => {
    const app = await testApp(dialect);
    t.after(() => app.close());
    const jobs = app.kernel.jobs;
    const batch = await seedBatch(app.kernel, 'pendant.csv', 'committed', THREE);
    const deleted = (await app.kernel.db.selectFrom('organisations').select('id').where('import_batch_id', '=', batch.id).execute()).map((o) => o.id);
    assert.equal(deleted.length, 3);
    const queuedGeocoding = async () =>
      (await app.kernel.db.selectFrom('jobs').select(['name', 'payload']).where('name', 'in', [GEOCODE_JOB, GEOCODE_IMPORTED_JOB]).where('status', '=', 'queued').execute()).map(
        (j) => (JSON.parse(j.payload) as { id: string }).id,
      );
    assert.deepEqual(await queuedGeocoding(), [], 'the commit queued the fan-out of its chunk, not yet each organisation');

    // Staff undo the batch just as the fan-out hands its first organisation to geocoding: the undo
    // is given time to end before the fan-out goes on (it ends at once unless it has to wait for it).
    const undoing: { run?: Promise<{ organisations: number; contacts: number }> } = {};
    const undoMeanwhile = async (name: string) => {
      if (name !== GEOCODE_IMPORTED_JOB) return;
      undoing.run ??= undoBatch(importDeps(app.kernel), ACTOR, batch.id);
      await Promise.race([undoing.run.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 300))]);
    };
    const enqueue = jobs.enqueue.bind(jobs);
    const enqueueMany = jobs.enqueueMany.bind(jobs);
    jobs.enqueue = async (name, ...rest) => (await undoMeanwhile(name), enqueue(name, ...rest));
    jobs.enqueueMany = async (name, ...rest) => (await undoMeanwhile(name), enqueueMany(name, ...rest));
    t.after(() => {
      jobs.enqueue = enqueue;
      jobs.enqueueMany = enqueueMany;
    });

    assert.equal(await jobs.runDue(1), 1, 'the fan-out ran');
    assert.ok(undoing.run, 'the fan-out handed organisations over');
    assert.equal((await undoing.run).organisations, 3);
    assert.deepEqual((await queuedGeocoding()).filter((id) => deleted.includes(id)), [], 'no queued geocoding refers to an organisation the undo deleted');

    await jobs.runDue();
    const ended = await app.kernel.db.selectFrom('jobs').select(['name', 'status', 'last_error']).execute();
    assert.deepEqual(ended.filter((j) => j.status !== 'done' || j.last_error !== null), [], 'every job ran to its end without error');
  });
});
