// The duplicate warnings of an import's validation no longer read and prepare the whole base each
// time (the fixed cost of checking a small file): the base is prepared once per process, reused
// while the directory's change counter stands, and only what changed is prepared again — with the
// warnings of the base as it is now.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { systemClock } from '../../kernel/clock.js';
import { runImportCommand } from '../imports/index.js';
import { createOrganisation, taxonomies, taxonomyCodes, validateOrganisation } from '../organisations/index.js';
import { baseRecordsPrepared } from './import-finder.js';

forEachDialect('the base prepared for duplicate warnings, kept between validations', (dialect) => {
  let t: TestApp;
  const ids: string[] = [];

  before(async () => {
    t = await testApp(dialect);
    const codes = taxonomyCodes(await taxonomies(t.kernel.db));
    for (const raw of [
      { name: 'Association Les Amis de Kpalimé', postcode: '33600', commune: 'Pessac' },
      { name: 'Eau sans frontières Vienne', postcode: '86000', commune: 'Poitiers' },
      { name: 'Collectif Karité Bizanos', postcode: '64320', commune: 'Bizanos' },
    ]) {
      const result = validateOrganisation({ kind_code: 'association', ...raw }, codes, { currentYear: 2026, lenientIdentifiers: true });
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      ids.push((await createOrganisation({ db: t.kernel.db, clock: systemClock }, { id: null, email: null }, result.draft, { source: 'manual' })).id);
    }
  });
  after(() => t.close());

  /** `maillage import --dry-run` of one row: what its validation says of duplicates, and how many base records it prepared. */
  async function check(name: string): Promise<{ duplicates: number; prepared: number }> {
    const file = path.join(t.config.dataDir, `${name.replace(/\W+/g, '-')}.csv`);
    fs.writeFileSync(file, `Nom structure;CP;Ville\r\n${name};33600;Pessac\r\n`);
    const lines: string[] = [];
    const before = baseRecordsPrepared();
    const code = await runImportCommand(t.kernel, { file, source: 'essai', dryRun: true, mode: 'valid-only' }, { log: (line) => lines.push(line) });
    assert.equal(code, 0, lines.join('\n'));
    const validation = lines.find((l) => l.startsWith('Validation'))!;
    return { duplicates: Number(/(\d+) doublons? possibles?/.exec(validation)?.[1] ?? 0), prepared: baseRecordsPrepared() - before };
  }

  test('the first validation prepares the base; the next ones only what changed, and warn of the base as it is', async () => {
    assert.deepEqual(await check('Asso Les Amis de Kpalime'), { duplicates: 1, prepared: 3 });
    // Nothing changed: nothing prepared again, the same warning.
    assert.deepEqual(await check('Asso Les Amis de Kpalime'), { duplicates: 1, prepared: 0 });
    // Renamed meanwhile (by any process): prepared again, and no longer a match.
    await t.kernel.db.updateTable('organisations').set({ name: 'Comité Sahel Solidarité' }).where('id', '=', ids[0]!).execute();
    assert.deepEqual(await check('Asso Les Amis de Kpalime'), { duplicates: 0, prepared: 1 });
    assert.deepEqual(await check('Comite Sahel Solidarite'), { duplicates: 1, prepared: 0 });
    // Deleted: gone from the warnings, nothing to prepare.
    await t.kernel.db.deleteFrom('organisations').where('id', '=', ids[0]!).execute();
    assert.deepEqual(await check('Comite Sahel Solidarite'), { duplicates: 0, prepared: 0 });
  });
});
