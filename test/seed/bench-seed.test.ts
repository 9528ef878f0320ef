import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createDb } from '../../src/kernel/db/create-db.js';
import { departmentsOfRegion } from '../../src/kernel/geo/communes.js';
import { parseDirectoryQuery, searchDirectory } from '../../src/modules/organisations/index.js';
import { BenchSeedError, seedBench } from '../../src/setup/bench-seed.js';
import { testApp } from '../helpers/app.js';
import { runMaillage } from '../helpers/cli.js';
import { forEachDialect } from '../helpers/db.js';

forEachDialect('seed --bench', (dialect) => {
  test('2000 organisations and 6000 contacts, spread over the region with coordinates, found by the search', async (t) => {
    const app = await testApp(dialect);
    t.after(() => app.close());
    const progress: number[] = [];
    const result = await seedBench(app.kernel, 2000, { progress: (done) => progress.push(done) });
    assert.deepEqual({ organisations: result.organisations, contacts: result.contacts }, { organisations: 2000, contacts: 6000 });
    assert.equal(progress.at(-1), 2000);
    const db = app.kernel.db;
    const orgs = await db.selectFrom('organisations').select(['id', 'name', 'slug', 'department_code', 'latitude', 'longitude', 'search_text', 'source']).execute();
    assert.equal(orgs.length, 2000);
    assert.ok(orgs.every((o) => o.source === 'bench' && o.latitude !== null && o.longitude !== null && o.search_text.length > 0));
    assert.equal(new Set(orgs.map((o) => o.slug)).size, 2000);
    assert.deepEqual([...new Set(orgs.map((o) => o.department_code))].sort(), departmentsOfRegion('75').map((d) => d.code).sort());
    const contacts = await db.selectFrom('contacts').select('id').where('source', '=', 'bench').execute();
    assert.equal(contacts.length, 6000);
    assert.equal((await db.selectFrom('contact_emails').select('contact_id').execute()).length, 6000);
    assert.equal((await db.selectFrom('contact_roles').select('contact_id').execute()).length, 6000);

    // Any organisation is found by the words of its name, with the public directory's query.
    for (const o of [orgs[0]!, orgs[777]!, orgs[1999]!]) {
      const query = parseDirectoryQuery({ q: o.name }, 'admin', 2000);
      const found = await searchDirectory(db, dialect, query.filter, query.tokens);
      assert.ok(found.rows.some((r) => r.id === o.id), `${o.name} found`);
    }
    const water = parseDirectoryQuery({ q: 'eau', famille: 'association' }, 'admin');
    assert.ok((await searchDirectory(db, dialect, water.filter, water.tokens)).total > 10);

    await assert.rejects(seedBench(app.kernel, 10), (error: unknown) => error instanceof BenchSeedError && /--force/.test(error.message));
    const again = await seedBench(app.kernel, 50, { force: true });
    assert.equal(again.organisations, 50);
    assert.equal((await db.selectFrom('organisations').select('id').execute()).length, 50);
    assert.equal((await db.selectFrom('contacts').select('id').execute()).length, 150);
  });
});

test('maillage seed --bench N prints its progress and refuses a second run without --force', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-bench-seed-'));
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const maillage = (args: string[]) => runMaillage(args, { LOG_LEVEL: 'silent', DATA_DIR: dataDir, GEOCODER_URL: '' });
  const first = await maillage(['seed', '--bench', '120']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /120 \/ 120 organisations/);
  assert.match(first.stdout, /120 organisations et 360 contacts de benchmark ajoutés en [\d.]+ s/);
  const second = await maillage(['seed', '--bench', '120']);
  assert.equal(second.code, 1);
  assert.match(second.stderr, /déjà des données de benchmark.*--force/);
  const forced = await maillage(['seed', '--bench', '30', '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  const handle = createDb(`sqlite:${path.join(dataDir, 'maillage.db')}`);
  try {
    assert.equal((await handle.db.selectFrom('organisations').select('id').execute()).length, 30);
  } finally {
    await handle.close();
  }
});
