// `maillage import:list`: its times in Europe/Paris, as the web shows them (not UTC unsaid), and an
// undone import listed with what its undo removed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { seedBatch } from '../../../test/helpers/import-batches.js';
import { importDeps, runListCommand, undoBatch } from './index.js';

forEachDialect('maillage import:list', (dialect) => {
  let t: TestApp;

  before(async () => {
    t = await testApp(dialect);
  });
  after(() => t.close());

  async function list(): Promise<string[]> {
    const lines: string[] = [];
    assert.equal(await runListCommand(t.kernel, { log: (line) => lines.push(line) }), 0);
    return lines;
  }

  test('times in Paris time, said so; an undone import with what its undo removed', async () => {
    const summer = await seedBatch(t.kernel, 'ete.csv', 'committed');
    const winter = await seedBatch(t.kernel, 'hiver.csv', 'committed', 'Nom structure;CP;Ville\nAmicale Neige;33000;Bordeaux\n');
    // 12:39 UTC is 14:39 in Paris in summer, 13:39 in winter.
    await t.kernel.db.updateTable('import_batches').set({ created_at: '2026-06-15T12:39:00.000Z' }).where('id', '=', summer.id).execute();
    await t.kernel.db.updateTable('import_batches').set({ created_at: '2026-01-15T12:39:00.000Z' }).where('id', '=', winter.id).execute();
    await undoBatch(importDeps(t.kernel), { id: null, email: null }, winter.id);

    const lines = await list();
    assert.equal(lines[0], 'Lot, date (heure de Paris), état, source / fichier, comptes\u00a0:');
    const line = (id: string) => lines.find((l) => l.startsWith(id)) ?? '';
    assert.match(line(summer.id), /^\S+ {2}2026-06-15 14:39 {2}committed +ete \/ ete\.csv {2}2 structures, 0 contact$/);
    assert.match(line(winter.id), /^\S+ {2}2026-01-15 13:39 {2}undone +hiver \/ hiver\.csv {2}1 structure retirée, 0 contact retiré$/);
  });
});
