import assert from 'node:assert/strict';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Dialect } from '../../src/kernel/db/create-db.js';
import { forEachDialect } from '../helpers/db.js';
import { sharedDir } from '../helpers/paths.js';
import { type CliTarget, cliTarget, runMaillage } from '../helpers/cli.js';
import { laterDuplicateRows } from '../helpers/predecessors.js';

/** `maillage <args>` quiet and without the national geocoder. */
function maillage(args: string[], env: Record<string, string>) {
  return runMaillage(args, { LOG_LEVEL: 'silent', GEOCODER_URL: '', ...env });
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-cli-imports-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

function scratchFile(name: string, content: string | Buffer): string {
  const target = path.join(scratch, name);
  fs.writeFileSync(target, content);
  return target;
}

/** A 10 MB line between two good rows. */
async function longLineFile(): Promise<string> {
  const target = path.join(scratch, 'ligne-10-mo.csv');
  const out = fs.createWriteStream(target);
  out.write('Nom structure;Ville;Notes\r\nEau Vive;Bordeaux;courte\r\nSolidarité;Pessac;');
  for (let i = 0; i < 10; i++) out.write('x'.repeat(1024 * 1024));
  out.end('\r\nAmitiés;Talence;fin\r\n');
  await once(out, 'finish');
  return target;
}

/** A file of `megabytes` MB: ordinary rows with long (ignored) notes. */
async function bigFile(megabytes: number): Promise<{ file: string; rows: number }> {
  const target = path.join(scratch, `${megabytes}-mo.csv`);
  const out = fs.createWriteStream(target);
  out.write('Réf;Nom structure;Type de structure;CP;Ville;Notes internes\r\n');
  const note = 'Compte rendu de la rencontre annuelle du réseau. '.repeat(400); // ~20 KB
  let bytes = 0;
  let rows = 0;
  while (bytes < megabytes * 1024 * 1024) {
    rows++;
    const line = `G${megabytes}-${rows};Association numéro ${rows} de Gironde;asso;33000;Bordeaux;${note}\r\n`;
    bytes += Buffer.byteLength(line);
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { file: target, rows };
}

type Target = CliTarget;

function target(dialect: Dialect): Promise<Target> {
  return cliTarget(dialect, fs.mkdtempSync(path.join(scratch, 'data-')), 'maillage_cli_imp');
}

async function counts(t: Target): Promise<{ organisations: number; contacts: number; consents: number }> {
  const db = t.open();
  try {
    const n = async (table: 'organisations' | 'contacts' | 'consents') => Number((await db.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { organisations: await n('organisations'), contacts: await n('contacts'), consents: await n('consents') };
  } finally {
    await db.close();
  }
}

const NOTHING = { organisations: 0, contacts: 0, consents: 0 };
/** French numbers use a narrow no-break space between thousands. */
const num = (value: number) => value.toLocaleString('fr-FR').replace(/\s/g, '\\s');

forEachDialect('maillage import', (dialect) => {
  let t: Target;
  before(async () => {
    t = await target(dialect);
  });
  after(() => t.close());

  test('a sample export with the guessed mapping: detection, mapping, report, progress and counts', async () => {
    // Chunks of 200 rows: on PostgreSQL the command's pool builds each chunk on one connection while
    // the previous one is written on another.
    const run = await maillage(['import', sharedDir('samples/predecessors/capcoop_export_2016.csv'), '--batch-size', '200', '--source', 'capcoop', '--legal-detail', 'Membre de CAP Coop, informé le 2016-09-01', '--legal-date', '2016-09-01'], t.env);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const out = run.stdout;
    assert.match(out, /Détection : CSV, encodage Windows-1252, séparateur « ; », aucun champ entre guillemets, fins de ligne CRLF/);
    assert.match(out, /Correspondance des colonnes \(devinée d’après les en-têtes\) :/);
    assert.match(out, /Nom structure +→ Nom de la structure\n/);
    assert.match(out, /Pays d'intervention → Pays d’intervention \(valeurs séparées par « \/ »\)/);
    // Kinds named as the wizard names them, not by their codes.
    assert.match(out, /Type de structure +→ Famille d’acteurs \(Association → Association, Collectivité territoriale → Collectivité territoriale, [^)]*Entreprise → Entreprise/);
    assert.doesNotMatch(out, /→ (local_authority|company)\b/);
    // Imported after 2016: each « oui » records its 2016 membership, and makes no current member.
    assert.match(out, /Adhérent 2016 +→ Adhérent \(oui → oui, non → non\u202f; adhésion 2016\u202f; pas adhérents du réseau aujourd’hui\)\n/);
    // The file lists one row per contact: every row whose organisation appeared on an earlier row
    // (per the sample's truth file) is flagged as a possible duplicate, and no other row is.
    const duplicates = laterDuplicateRows('CAP-');
    assert.equal(duplicates, 65);
    assert.match(out, new RegExp(`Validation : ${num(1418)} lignes, ${num(1418)} valides, 0 en erreur, 76 avec avertissement, ${duplicates} doublons possibles\n`));
    const reportPath = /Rapport de validation \(CSV, [\d\s]+ lignes\) : (.+\.csv)/.exec(out)?.[1];
    assert.ok(reportPath && fs.existsSync(reportPath), out);
    const report = fs.readFileSync(reportPath!, 'utf8');
    assert.ok(report.startsWith('\uFEFFligne;référence;niveau;champ;valeur lue;message'));
    assert.match(out, /Mode : tout ou rien ; base légale des contacts : intérêt légitime \(2016-09-01\) — « Membre de CAP Coop, informé le 2016-09-01 »/);
    assert.match(out, new RegExp(`Import : 100 % \\(${num(1418)} / ${num(1418)} lignes, [\\d\\s]+ lignes/s`));
    assert.match(out, new RegExp(`Terminé en .* : ${num(1418)} structures et ${num(1418)} contacts créés, 0 ligne déjà importée ignorée, 0 ligne en erreur écartée — [\\d\\s]+ lignes/s\n`));
    assert.match(out, /Durées : .* \([\d\s]+ lignes\/s\)\n/);
    // The phases are listed as French lists are: « ; » after a narrow no-break space.
    assert.match(out, /Durées\u00a0: détection [\d,]+ s\u202f; validation [\d,]+ s\u202f; écriture [\d,]+ s\u202f; /);
    assert.match(out, /Mémoire maximale : \d+ Mo/);
    assert.deepEqual(await counts(t), { organisations: 1418, contacts: 1418, consents: 1418 });
    const db = t.open();
    try {
      const members = await db.db.selectFrom('organisations').select('id').where('is_member', '=', 1).execute();
      const memberships = await db.db.selectFrom('memberships').select(['year', 'status']).execute();
      assert.deepEqual([members.length, memberships.length, new Set(memberships.map((m) => `${m.year} ${m.status}`))], [0, 552, new Set(['2016 paid'])]);
    } finally {
      await db.close();
    }

    const again = await maillage(['import', sharedDir('samples/predecessors/capcoop_export_2016.csv'), '--source', 'capcoop'], t.env);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /Ce fichier a déjà été importé le .+ \(lot [0-9a-f-]{36}, source capcoop\)\.\n/);
    assert.match(again.stdout, new RegExp(`Cet import a créé ${num(1418)} structures et ${num(1418)} contacts\\.\nVoir cet import\u00a0: http://localhost:\\d+/admin/imports/[0-9a-f-]{36}\nRien à faire\\.`));
    assert.deepEqual(await counts(t), { organisations: 1418, contacts: 1418, consents: 1418 });

    const batchId = /maillage import:undo ([0-9a-f-]{36})/.exec(out)![1]!;
    const list = await maillage(['import:list'], t.env);
    assert.match(list.stdout, new RegExp(`${batchId} .* committed +capcoop / capcoop_export_2016\\.csv +${num(1418)} structures, ${num(1418)} contacts\n`));
    const undo = await maillage(['import:undo', batchId], t.env);
    assert.equal(undo.code, 0, undo.stdout + undo.stderr);
    assert.match(undo.stdout, new RegExp(`Import ${batchId} annulé : ${num(1418)} structures et ${num(1418)} contacts retirés`));
    assert.deepEqual(await counts(t), NOTHING);
  });

  test('a mapping file, saved by name and used again; a dry run writes nothing', async () => {
    const mapping = scratchFile(
      `mapping-${dialect}.json`,
      JSON.stringify({ version: 1, columns: { id: { field: 'source_ref' }, organisation: { field: 'name' }, categorie: { field: 'kind' }, commune: { field: 'commune' }, code_postal: { field: 'postcode' } } }),
    );
    const resodi = sharedDir('samples/predecessors/resodi_export_2016.csv');
    const dry = await maillage(['import', resodi, '--mapping', mapping, '--save-mapping', 'resodi minimal', '--dry-run'], t.env);
    assert.equal(dry.code, 0, dry.stdout + dry.stderr);
    assert.match(dry.stdout, new RegExp(`Correspondance des colonnes \\(fichier ${mapping.replace(/[.\\/]/g, '\\$&')}\\)`));
    assert.match(dry.stdout, /acronyme +→ \(ignorée\)/);
    assert.match(dry.stdout, /Essai à blanc : rien n’a été écrit dans la base\./);
    assert.deepEqual(await counts(t), NOTHING);

    const saved = await maillage(['import', resodi, '--mapping', mapping, '--save-mapping', 'resodi minimal', '--mode', 'valid-only'], t.env);
    assert.equal(saved.code, 0, saved.stdout + saved.stderr);
    assert.match(saved.stdout, /Correspondance enregistrée sous « resodi minimal »/);
    assert.deepEqual(await counts(t), { organisations: 1151, contacts: 0, consents: 0 });
    const byName = await maillage(['import', resodi, '--mapping', 'resodi minimal', '--source', 'autre', '--dry-run'], t.env);
    assert.equal(byName.code, 0, byName.stdout + byName.stderr);
    assert.match(byName.stdout, /Correspondance des colonnes \(correspondance enregistrée « resodi minimal »\)/);
    // The file was imported (under another source): a dry run says so, and checks it all the same.
    assert.match(byName.stdout, /^Ce fichier a déjà été importé le .+ \(lot [0-9a-f-]{36}, source resodi_export_2016\)\.$/m);
    assert.match(byName.stdout, /^Essai à blanc\u00a0: le fichier est vérifié quand même/m);
    const batchId = /maillage import:undo ([0-9a-f-]{36})/.exec(saved.stdout)![1]!;
    assert.equal((await maillage(['import:undo', batchId], t.env)).code, 0);
  });

  test('bad files are refused in French with their row, exit code 1, nothing written', async () => {
    const header = 'Nom structure;CP;Ville\r\n';
    const cases: [string, string | Buffer, RegExp][] = [
      ['vide.csv', '', /^Le fichier est vide\.$/m],
      ['binaire.csv', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), /^Ce fichier n’est ni un CSV ni un classeur XLSX : son contenu est binaire\.$/m],
      ['entete.csv', header, /^Le fichier ne contient aucune ligne de données : seulement la ligne d’en-tête\.$/m],
      ['guillemets.csv', `${header}Eau Vive;33000;Bordeaux\r\n"Solidarité;33600;Pessac\r\nAmitiés;33400;Talence\r\n`, /^Ligne 3 : un guillemet ouvert n’est jamais fermé/m],
    ];
    for (const [name, content, message] of cases) {
      const run = await maillage(['import', scratchFile(name, content)], t.env);
      assert.equal(run.code, 1, `${name}: ${run.stdout}${run.stderr}`);
      assert.match(run.stderr, message, name);
    }
    const long = await maillage(['import', await longLineFile(), '--mode', 'valid-only'], t.env);
    assert.equal(long.code, 1, long.stdout + long.stderr);
    assert.match(long.stderr, /^Ligne 3 : cette ligne dépasse 1 Mo ; le fichier est sans doute mal formé .* Rien n’a été importé\.$/m);
    const wrong = scratchFile('sans-nom.json', JSON.stringify({ version: 1, columns: { Ville: { field: 'commune' } } }));
    const badMapping = await maillage(['import', scratchFile('ok.csv', `${header}Eau Vive;33000;Bordeaux\r\n`), '--mapping', wrong], t.env);
    assert.equal(badMapping.code, 1);
    assert.match(badMapping.stderr, /Aucune colonne ne donne le nom de la structure/);
    const missing = await maillage(['import', path.join(scratch, 'absent.csv')], t.env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Fichier introuvable/);
    assert.deepEqual(await counts(t), NOTHING);
  });

  test('rows in error: nothing in "all or nothing" (exit 2), the valid ones in "valid rows only" (exit 3)', async () => {
    const file = scratchFile('erreurs.csv', 'Nom structure;CP;Ville;Nom contact\r\nEau Vive;33000;Bordeaux;Awa Diop\r\n;33600;Pessac;Jean Martin\r\nAmitiés;33400;Talence;\r\n');
    const all = await maillage(['import', file], t.env);
    assert.equal(all.code, 2, all.stdout + all.stderr);
    assert.match(all.stdout, /1 ligne en erreur : en mode « tout ou rien », rien n’est importé/);
    assert.deepEqual(await counts(t), NOTHING);
    // A consent, as in the wizard, says when and where it was collected.
    const undated = await maillage(['import', file, '--mode', 'valid-only', '--legal-basis', 'consent', '--consent-source', 'forum 2016'], t.env);
    assert.equal(undated.code, 1, undated.stdout + undated.stderr);
    assert.match(undated.stderr, /Un consentement a une date/);
    const valid = await maillage(['import', file, '--mode', 'valid-only', '--legal-basis', 'consent', '--legal-date', '2016-06-01', '--consent-source', 'bulletin papier', '--legal-detail', 'Accord écrit lors du forum 2016'], t.env);
    assert.equal(valid.code, 3, valid.stdout + valid.stderr);
    assert.match(valid.stdout, /Terminé en .* : 2 structures et 1 contact créés, 0 ligne déjà importée ignorée, 1 ligne en erreur écartée/);
    assert.deepEqual(await counts(t), { organisations: 2, contacts: 1, consents: 1 });
    assert.match(valid.stdout, /base légale des contacts\u00a0: consentement \(2016-06-01\) — «\u00a0Accord écrit lors du forum 2016 \(source du consentement\u00a0: bulletin papier\)\u00a0»/);
    const bad = await maillage(['import', file, '--legal-basis', 'parce-que'], t.env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /Base légale inconnue : parce-que/);
    const batchId = /maillage import:undo ([0-9a-f-]{36})/.exec(valid.stdout)![1]!;
    assert.equal((await maillage(['import:undo', batchId], t.env)).code, 0);
  });

  test('--visibility chooses who sees the imported organisations (public unless said otherwise)', async () => {
    const file = scratchFile(`visibilite-${dialect}.csv`, 'Nom structure;CP;Ville\r\nEau Vive;33000;Bordeaux\r\nAmitiés;33400;Talence\r\n');
    const bad = await maillage(['import', file, '--visibility', 'secret'], t.env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /Visibilité « secret » inconnue : public, members ou staff\./);
    assert.deepEqual(await counts(t), NOTHING);
    const run = await maillage(['import', file, '--source', 'equipe', '--visibility', 'staff'], t.env);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /Visibilité des structures créées : Équipe seulement/);
    const db = t.open();
    try {
      const rows = await db.db.selectFrom('organisations').select('visibility').execute();
      assert.deepEqual(rows.map((r) => r.visibility), ['staff', 'staff']);
    } finally {
      await db.close();
    }
    const other = scratchFile(`publique-${dialect}.csv`, 'Nom structure;CP;Ville\r\nSolidarité;33600;Pessac\r\n');
    const plain = await maillage(['import', other, '--source', 'publique'], t.env);
    assert.equal(plain.code, 0, plain.stdout + plain.stderr);
    assert.match(plain.stdout, /Visibilité des structures créées : Publiques/);
    // One row: every count reads in the singular (French: 0 and 1).
    assert.match(plain.stdout, /^Validation : 1 ligne, 1 valide, 0 en erreur, 0 avec avertissement$/m);
    assert.match(plain.stdout, /^Import : 100 % \(1 \/ 1 ligne, /m);
    assert.match(plain.stdout, /^Terminé en .* : 1 structure et 0 contact créés, 0 ligne déjà importée ignorée, 0 ligne en erreur écartée/m);
    const plainBatch = /maillage import:undo ([0-9a-f-]{36})/.exec(plain.stdout)![1]!;
    assert.match((await maillage(['import:list'], t.env)).stdout, new RegExp(`^${plainBatch} .* publique / publique-${dialect}\\.csv +1 structure, 0 contact$`, 'm'));
    const plainAgain = await maillage(['import', other, '--source', 'publique'], t.env);
    assert.match(plainAgain.stdout, /\(lot [0-9a-f-]{36}, source publique\)\.\nCet import a créé 1 structure et 0 contact\.\n.*\nRien à faire\./);
    for (const [out, removed] of [[run.stdout, '2 structures et 0 contact'], [plain.stdout, '1 structure et 0 contact']] as const) {
      const batchId = /maillage import:undo ([0-9a-f-]{36})/.exec(out)![1]!;
      const undo = await maillage(['import:undo', batchId], t.env);
      assert.equal(undo.code, 0, undo.stdout + undo.stderr);
      assert.ok(undo.stdout.includes(`Import ${batchId} annulé : ${removed} retirés`), undo.stdout);
    }
    assert.deepEqual(await counts(t), NOTHING);
  });

  test('--encoding and --separator read the file as said, over the detection; a reading that leaves it unreadable is refused', async () => {
    // « ; » and « , » both split the header: the detection takes « ; », the file is in « , ».
    const file = scratchFile(`deux-separateurs-${dialect}.csv`, 'Nom structure,Thèmes;Zones;Pays,Ville\r\nAssociation Lune,Éducation;Europe;Sénégal,Bordeaux\r\nCollectif Soleil,Culture;Afrique;Mali,Agen\r\n');
    const pipe = await maillage(['import', file, '--separator', '|'], t.env);
    assert.equal(pipe.code, 1, pipe.stdout + pipe.stderr);
    assert.match(pipe.stderr, /^Avec le séparateur barre verticale \(\|\), le fichier n’a plus qu’une colonne : ce n’est sans doute pas son séparateur\. Choisissez-en un autre\.$/m);
    const unknown = await maillage(['import', file, '--encoding', 'ebcdic'], t.env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^Encodage inconnu : ebcdic \(attendu : utf-8, windows-1252, iso-8859-1, utf-16le ou utf-16be\)\.$/m);
    const latin1 = scratchFile(`latin1-${dialect}.csv`, Buffer.from('Nom structure;Ville\r\nCrèche Éveil;Bègles\r\n', 'latin1'));
    const utf8 = await maillage(['import', latin1, '--encoding', 'utf8'], t.env);
    assert.equal(utf8.code, 1);
    assert.match(utf8.stderr, /^Lu en UTF-8, le fichier a des caractères illisibles \(ligne 2\)/m);
    assert.deepEqual(await counts(t), NOTHING);

    const run = await maillage(['import', file, '--separator', ',', '--source', 'deux separateurs'], t.env);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^Lecture choisie : CSV, encodage UTF-8, séparateur « , », aucun champ entre guillemets, fins de ligne CRLF$/m);
    assert.match(run.stdout, /^ {2}\(détection : encodage UTF-8, séparateur « ; »,/m);
    assert.match(run.stdout, /^Colonnes \(3\) : Nom structure \| Thèmes;Zones;Pays \| Ville$/m);
    const db = t.open();
    try {
      const rows = await db.db.selectFrom('organisations').select('name').orderBy('name').execute();
      assert.deepEqual(rows.map((r) => r.name), ['Association Lune', 'Collectif Soleil']);
    } finally {
      await db.close();
    }
    const batchId = /maillage import:undo ([0-9a-f-]{36})/.exec(run.stdout)![1]!;

    // Interrupted after its rows were written: run again, it resumes reading the file as it began.
    const stopped = t.open();
    try {
      await stopped.db.updateTable('import_batches').set({ status: 'failed' }).where('id', '=', batchId).execute();
    } finally {
      await stopped.close();
    }
    const resumed = await maillage(['import', file, '--separator', ';', '--encoding', 'windows-1252', '--source', 'deux separateurs', '--dry-run'], t.env);
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    assert.match(resumed.stdout, new RegExp(`^Reprise de l’import interrompu ${batchId} après la ligne 3 `, 'm'));
    assert.match(resumed.stdout, /^Options --encoding et --separator ignorées\u00a0: l’import reprend en lisant le fichier comme à son début \(encodage UTF-8, séparateur «\u00a0,\u00a0»\)\.$/m);
    assert.equal((await maillage(['import:undo', batchId], t.env)).code, 0);
  });

  test('a 50 MB file is imported with the memory a 5 MB one needs', async () => {
    const peaks: number[] = [];
    let total = 0;
    for (const megabytes of [5, 50]) {
      const { file, rows } = await bigFile(megabytes);
      assert.ok(fs.statSync(file).size >= megabytes * 1024 * 1024);
      // A bounded heap makes the collector keep up, so peaks compare what the import holds, not
      // when V8 chose to collect; a file read whole (100 MB as a string) would not fit at all.
      const run = await maillage(['import', file, '--source', `gros-${megabytes}`], { ...t.env, NODE_OPTIONS: '--max-old-space-size=192' });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, new RegExp(`${num(rows)} structures et 0 contact créés`));
      peaks.push(Number(/Mémoire maximale : (\d+) Mo/.exec(run.stdout)![1]));
      total += rows;
    }
    // Read whole, 50 MB of text would take 100 MB more as a JavaScript string alone.
    assert.ok(peaks[1]! - peaks[0]! < 60, `peak memory ${peaks.join(' → ')} MB`);
    assert.ok(peaks[1]! < 400, `peak memory ${peaks[1]} MB`);
    assert.equal((await counts(t)).organisations, total);
  });
});

test('`maillage import --help` prints the options of an import, not the whole usage', async () => {
  for (const args of [['import', '--help'], ['help', 'import'], ['import:list', '--help']]) {
    const run = await maillage(args, { DATA_DIR: fs.mkdtempSync(path.join(scratch, 'aide-')) });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^Usage\u00a0: maillage import <fichier\.csv\|xlsx> \[options\]$/m, args.join(' '));
    for (const option of ['--again', '--consent-source TEXTE', '--legal-basis BASE', '--legal-date AAAA-MM-JJ', '--legal-detail TEXTE', '--batch-size N', '--encoding', '--separator', '--mapping', '--dry-run', '--mode']) {
      assert.ok(run.stdout.includes(`  ${option}`), `${args.join(' ')}: ${option}`);
    }
    // The default legal text, as the wizard records it; not the other commands.
    assert.match(run.stdout, /«\u00a0Contact importé du fichier … \(source …\)\.\u00a0»/);
    assert.doesNotMatch(run.stdout, /watch:add|mailing:send|user:create/);
  }
  const general = await maillage(['--help'], {});
  assert.match(general.stdout, /^Usage\u00a0: maillage <commande>/);
  assert.match(general.stdout, /toutes ses options\u00a0: maillage import --help/);
});
