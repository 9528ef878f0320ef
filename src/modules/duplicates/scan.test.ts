import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { repoRoot } from '../../../test/helpers/paths.js';
import { systemClock } from '../../kernel/clock.js';
import { luhnValid } from '../../kernel/identifiers.js';
import { translator } from '../../kernel/i18n/index.js';
import { createOrganisation, draftOf, type Organisation, taxonomies, taxonomyCodes, updateOrganisation, validateOrganisation } from '../organisations/index.js';
import { undoMerge } from '../merge/index.js';
import { runDedupeCommand } from './command.js';
import { DUPLICATE_SCAN_JOB, REPORT_COLUMNS } from './index.js';
import { findLikelyDuplicates, forgetDraftStats } from './match-draft.js';
import { countPairs, findPair, pairsByStatus, setPairStatus } from './repo.js';
import { scanDuplicates } from './scan.js';

const actor = { id: null, email: null };

/** Identifiers with a valid Luhn key, from their first digits. */
function luhn(base: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(`${base}${d}`)) return `${base}${d}`;
  throw new Error('unreachable');
}

const SIREN = luhn('79615478');
const SIRET = luhn(`${SIREN}0001`);

forEachDialect('duplicates: full scan, review queue, report, CLI and manual creation', (dialect) => {
  let t: TestApp;
  const orgs: Record<string, Organisation> = {};
  const deps = () => ({ db: t.kernel.db, clock: systemClock });

  async function add(key: string, raw: Record<string, unknown>, source?: { file: string; ref: string }) {
    const result = validateOrganisation({ kind_code: 'association', ...raw }, taxonomyCodes(await taxonomies(t.kernel.db)), { currentYear: 2026, lenientIdentifiers: true });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    orgs[key] = await createOrganisation(deps(), actor, result.draft, { source: source ? 'import' : 'manual' });
    // Imported records keep their file and reference (set by the importer).
    if (source) await t.kernel.db.updateTable('organisations').set({ source_file: source.file, source_ref: source.ref }).where('id', '=', orgs[key]!.id).execute();
  }

  const pairOf = (x: string, y: string) => findPair(t.kernel.db, orgs[x]!.id, orgs[y]!.id);

  before(async () => {
    t = await testApp(dialect);
    await add('mairie', { name: 'Mairie de Talence', kind_code: 'local_authority', postcode: '33400', commune: 'Talence', siren: SIREN }, { file: 'capcoop_export_2016.csv', ref: 'CAP-01037' });
    await add('ville', { name: 'VILLE DE TALENCE', kind_code: 'local_authority', postcode: '33400', commune: 'Talence', siret: SIRET, phone: '05 88 68 44 16' }, { file: 'resodi_export_2016.csv', ref: 'R00830' });
    await add('vienne', { name: 'Eau sans frontières Vienne', postcode: '86000', commune: 'Poitiers' });
    await add('hauteVienne', { name: 'Eau sans frontières Haute-Vienne', postcode: '87000', commune: 'Limoges' });
    await add('karite', { name: 'Collectif Karité Bizanos', postcode: '64320', commune: 'Bizanos', email: 'ACCUEIL@COLLECTIF-KARITE-BIZANOS.ASSO.FR' });
    await add('karite2', { name: 'Collectif Karite Bizanos', postcode: '64320', commune: 'Bizanos', website: 'http://www.collectif-karite-bizanos.asso.fr' });
    await add('amis', { name: 'Association Les Amis de Kpalimé', postcode: '33600', commune: 'Pessac' });
    await add('amis2', { name: 'Asso Les Amis de Kpalime', postcode: '33600', commune: 'Pessac' });
    await add('gmail1', { name: 'Partage Bénin', postcode: '33600', commune: 'Pessac', email: 'partage.benin@gmail.com' });
    await add('gmail2', { name: 'Solidarité Sahel', postcode: '33600', commune: 'Pessac', email: 'solidarite.sahel@gmail.com' });
  });
  after(() => t.close());

  test('the scan job finds the duplicates, stores them with score and reasons, and leaves namesakes elsewhere alone', async () => {
    await t.kernel.jobs.enqueue(DUPLICATE_SCAN_JOB, {});
    assert.equal(await t.kernel.jobs.runOne(), true);
    const queue = await pairsByStatus(t.kernel.db, 'pending', 50);
    assert.equal(queue.length, 3, JSON.stringify(queue.map((p) => p.reasons)));
    for (let i = 1; i < queue.length; i++) assert.ok(queue[i - 1]!.score >= queue[i]!.score, 'highest score first');
    const talence = await pairOf('mairie', 'ville');
    assert.ok(talence && talence.status === 'pending' && talence.auto_mergeable === 1);
    assert.deepEqual(
      (JSON.parse(talence.reasons) as { code: string }[]).map((r) => r.code).slice(0, 3),
      ['same_siren', 'same_name', 'same_commune'],
    );
    assert.ok(await pairOf('karite', 'karite2'));
    assert.ok(await pairOf('amis', 'amis2'));
    assert.equal(await pairOf('vienne', 'hauteVienne'), undefined, 'Vienne and Haute-Vienne are two organisations');
    assert.equal(await pairOf('gmail1', 'gmail2'), undefined, 'a webmail domain is no evidence');
  });

  test('"not a duplicate" is remembered: a new scan never proposes the pair again', async () => {
    const pair = (await pairOf('karite', 'karite2'))!;
    await setPairStatus(t.kernel.db, pair.id, 'dismissed', null, new Date().toISOString());
    const result = await scanDuplicates(deps());
    assert.equal(result.dismissed, 1);
    assert.equal(result.inserted, 0);
    assert.equal(result.updated, 2);
    assert.equal((await pairOf('karite', 'karite2'))!.status, 'dismissed');
    assert.ok(!result.pairs.some((p) => p.id === pair.id), 'not in the report either');
    assert.deepEqual(await countPairs(t.kernel.db), { pending: 2, auto_merged: 0, merged: 0, dismissed: 1 });
  });

  test('a pending pair no longer found (the record changed) leaves the queue', async () => {
    const amis2 = orgs['amis2']!;
    await updateOrganisation(deps(), actor, amis2.id, { ...draftOf(amis2), name: 'Partage Caravane Quinçay', commune_name: 'Pessac' });
    const result = await scanDuplicates(deps());
    assert.equal(result.removed, 1);
    assert.equal(await pairOf('amis', 'amis2'), undefined);
    await updateOrganisation(deps(), actor, amis2.id, draftOf(amis2));
  });

  test('maillage dedupe --auto-merge merges the sure pairs (undoably), keeps the others queued, and writes the report', async () => {
    const lines: string[] = [];
    const report = path.join(t.config.dataDir, 'paires.csv');
    assert.equal(await runDedupeCommand(t.kernel, { autoMerge: true, report }, (l) => lines.push(l)), 0);
    const output = lines.join('\n');
    assert.match(output, /^10 structures comparées : 2 paires candidates, dont 1 au-dessus du seuil de fusion automatique \([\d,]+ s\)\.$/m);
    assert.match(output, /^File d’examen : 1 nouvelle paire, 1 mise à jour, 1 déjà écartée \(« pas un doublon »\)\.$/m);
    assert.match(output, /^Fusion automatique : 1 paire fusionnée \(annulable dans \/admin\/fusions\) :$/m);
    assert.match(output, /^Rapport écrit : .*paires\.csv \(2 paires\)\.$/m);
    assert.match(output, /Mairie de Talence \(CAP-01037\) = VILLE DE TALENCE \(R00830\) : même SIREN, noms identiques, même commune/);
    const talenceIds = [orgs['mairie']!.id, orgs['ville']!.id];
    const left = await t.kernel.db.selectFrom('organisations').select('id').where('id', 'in', talenceIds).execute();
    assert.equal(left.length, 1, 'one Talence record survives the automatic merge');
    assert.equal((await pairOf('amis', 'amis2'))!.status, 'pending', 'a pair without a shared identifier stays queued');
    const merge = await t.kernel.db.selectFrom('merges').select('id').executeTakeFirstOrThrow();
    await undoMerge(deps(), actor, merge.id);
    assert.equal((await t.kernel.db.selectFrom('organisations').select('id').where('id', 'in', talenceIds).execute()).length, 2, 'undone');

    const text = fs.readFileSync(report, 'utf8');
    assert.ok(text.startsWith('\uFEFF'), 'a BOM for spreadsheets');
    assert.equal(
      text.slice(1, text.indexOf('\r\n')),
      'Score;Poids des indices (bits);Décision;Raisons;A : identifiant;A : nom;A : commune;A : fichier d’origine;A : référence d’origine;B : identifiant;B : nom;B : commune;B : fichier d’origine;B : référence d’origine',
      'a French header, as the import report has, with plain spaces for scripts (no no-break space)',
    );
    const rows = parse(text, { delimiter: ';', columns: [...REPORT_COLUMNS], from_line: 2, bom: true }) as Record<string, string>[];
    assert.equal(rows.length, 2);
    const talence = rows.find((r) => r['a_source_ref'] === 'CAP-01037' || r['b_source_ref'] === 'CAP-01037')!;
    assert.deepEqual(
      [talence['a_source_file'], talence['b_source_file']].sort(),
      ['capcoop_export_2016.csv', 'resodi_export_2016.csv'],
    );
    assert.equal(talence['decision'], 'fusion automatique');
    assert.match(talence['score']!, /^(0|1),\d{3}$/);
    assert.match(talence['evidence_bits']!, /^\d+,\d$/);
    const amisPair = rows.find((r) => r['a_name']!.includes('Kpalim'))!;
    assert.ok(Number(talence['evidence_bits']!.replace(',', '.')) > Number(amisPair['evidence_bits']!.replace(',', '.')), 'a shared SIREN weighs more than names alone');
    assert.match(talence['reasons']!, /^même SIREN ; noms identiques ; même commune/);
    const amis = rows.find((r) => r['a_name']!.includes('Kpalim'))!;
    assert.equal(amis['decision'], 'à examiner');
    assert.equal(amis['a_source_file'], '');
  });

  test('the command line runs the same scan', async () => {
    const report = path.join(t.config.dataDir, 'cli-paires.csv');
    const env = { PATH: process.env['PATH'], HOME: process.env['HOME'], NODE_ENV: 'test', DATA_DIR: t.config.dataDir, DATABASE_URL: t.config.databaseUrl, LOG_LEVEL: 'silent' };
    // Exits with 0, or execFile rejects with the output.
    const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'dedupe', '--report', report], { cwd: repoRoot, env });
    assert.match(run.stdout, /10 structures comparées : 2 paires candidates/);
    assert.match(run.stdout, /Fusion automatique désactivée/);
    assert.match(run.stdout, /^Rapport écrit : .*cli-paires\.csv \(2 paires\)\.$/m);
    const rows = parse(fs.readFileSync(report, 'utf8'), { delimiter: ';', columns: [...REPORT_COLUMNS], from_line: 2, bom: true }) as Record<string, string>[];
    const talence = rows.find((r) => r['a_source_ref'] === 'CAP-01037' || r['b_source_ref'] === 'CAP-01037')!;
    assert.equal(talence['decision'], 'à examiner (fusion automatique possible)', 'sure enough to merge, but --auto-merge was not given');
  });

  test('manual creation: "this organisation may already exist", with the reasons', async () => {
    forgetDraftStats(t.kernel.db);
    const byName = await findLikelyDuplicates(t.kernel.db, { name: 'Association Les Amis de Kpalimé', postcode: '33600', commune_name: 'Pessac', commune_code: '33318' });
    assert.deepEqual(
      byName.map((m) => m.record.id).sort(),
      [orgs['amis']!.id, orgs['amis2']!.id].sort(),
    );
    assert.ok(byName[0]!.reasons.some((r) => r.code === 'same_commune'));

    // A SIREN typed with a typo still finds the local authority.
    const typo = `${SIREN.slice(0, 8)}${(Number(SIREN[8]) + 1) % 10}`;
    const bySiren = await findLikelyDuplicates(t.kernel.db, { name: 'Commune de Talence', kind_code: 'local_authority', siren: typo, postcode: '33400', commune_name: 'Talence' });
    assert.deepEqual(bySiren.map((m) => m.record.id).sort(), [orgs['mairie']!.id, orgs['ville']!.id].sort());

    const byDomain = await findLikelyDuplicates(t.kernel.db, { name: 'Collectif Karité - Bizanos', email: 'contact@collectif-karite-bizanos.asso.fr', postcode: '64320', commune_name: 'Bizanos' });
    assert.ok(byDomain.some((m) => m.record.id === orgs['karite2']!.id && m.reasons.some((r) => r.code === 'email_domain_matches_website')));

    assert.deepEqual(await findLikelyDuplicates(t.kernel.db, { name: 'Eau sans frontières Haute-Vienne', postcode: '87000', commune_name: 'Limoges' }, { excludeId: orgs['hauteVienne']!.id }), []);
  });
});

test('the lines of maillage dedupe agree with their counts: French singular for 0 and 1, plural from 2', () => {
  const fr = translator('fr');
  assert.equal(
    fr('duplicates.cli.scanned', { records: 1, pairs: 0, auto: 0, seconds: '0,1' }),
    '1 structure comparée : 0 paire candidate, dont 0 au-dessus du seuil de fusion automatique (0,1 s).',
  );
  assert.equal(
    fr('duplicates.cli.stored', { inserted: '1\u202f204', updated: 2, dismissed: 3 }),
    'File d’examen : 1\u202f204 nouvelles paires, 2 mises à jour, 3 déjà écartées (« pas un doublon »).',
  );
  assert.equal(fr('duplicates.cli.autoMerged', { count: 12 }), 'Fusion automatique : 12 paires fusionnées (annulables dans /admin/fusions) :');
  assert.equal(fr('duplicates.cli.report', { file: '/tmp/paires.csv', pairs: 1 }), 'Rapport écrit : /tmp/paires.csv (1 paire).');
});
