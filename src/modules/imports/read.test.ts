import assert from 'node:assert/strict';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { type TestDb, testDb } from '../../../test/helpers/db.js';
import { sharedDir } from '../../../test/helpers/paths.js';
import { splitFullName } from './contact.js';
import { loadContext } from './context.js';
import { detectDialect } from './detect-dialect.js';
import { decoderFor, detectEncoding } from './detect-encoding.js';
import { batchFailure, batchFailureText, ImportError } from './errors.js';
import { guessMapping, guessTarget } from './guess-mapping.js';
import { checkMappingAgainst, mappingProblems, parseMapping } from './mapping.js';
import { resolvePlace } from './places.js';
import { dataRows, detectFile } from './read.js';
import type { MappingDocument } from './types.js';
import type { Vocabulary } from './vocabulary.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-import-read-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

let count = 0;
function file(content: string | Buffer, ext = 'csv'): string {
  const target = path.join(dir, `f${++count}.${ext}`);
  fs.writeFileSync(target, content);
  return target;
}

async function allRows(target: string) {
  const detection = await detectFile(target);
  const rows = [];
  for await (const batch of dataRows(target, detection)) rows.push(...batch);
  return { detection, rows };
}

/** The French message and row of a refused file. */
async function refusal(promise: Promise<unknown>): Promise<ImportError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ImportError, `an ImportError, got ${String(error)}`);
    return error;
  }
  assert.fail('the file was accepted');
}

// The taxonomies as the migrations seed them.
let vocabulary: Vocabulary;
let db: TestDb;
before(async () => {
  db = await testDb('sqlite');
  vocabulary = (await loadContext(db.db)).vocabulary;
});
after(() => db.close());

describe('encoding detection', () => {
  test('UTF-8 with and without BOM, Windows-1252 (bytes 0x80–0x9F), ISO-8859-1, UTF-16 with BOM', () => {
    assert.deepEqual(detectEncoding(Buffer.from('\uFEFFnom;ville\nÉcole;Pessac\n'), true), { kind: 'text', encoding: 'utf-8', bom: true, bomLength: 3 });
    assert.deepEqual(detectEncoding(Buffer.from('nom;ville\nÉcole;Pessac\n'), true), { kind: 'text', encoding: 'utf-8', bom: false, bomLength: 0 });
    const cp1252 = Buffer.from(new Uint8Array([...Buffer.from('nom;fonction\nL'), 0x92, ...Buffer.from('eau ; tr'), 0xe9, 0x73, 0x6f, 0x72, 0x69, 0x65, 0x72, 0x20, 0x96, 0x20, 0x9c, 0x0a]));
    assert.equal((detectEncoding(cp1252, true) as { encoding: string }).encoding, 'windows-1252');
    const latin1 = Buffer.from('nom;ville\nÉcole;Pézenas\n', 'latin1');
    assert.equal((detectEncoding(latin1, true) as { encoding: string }).encoding, 'iso-8859-1');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('nom\tville\n', 'utf16le')]);
    assert.deepEqual(detectEncoding(utf16, true), { kind: 'text', encoding: 'utf-16le', bom: true, bomLength: 2 });
  });

  test('Windows-1252 bytes 0x80–0x9F decode to their characters (not C1 controls), chunk by chunk', () => {
    const bytes = Buffer.from([0xab, 0x20, 0x96, 0x20, 0x92, 0x20, 0x80, 0x20, 0x9c, 0x20, 0x8c, 0x20, 0x93, 0x94, 0x20, 0x85, 0x20, 0xbb, 0x20, 0xe9]);
    const expected = '« – ’ € œ Œ “” … » é';
    assert.equal(decoderFor('windows-1252').decode(bytes), expected);
    const decoder = decoderFor('windows-1252');
    let streamed = '';
    for (let i = 0; i < bytes.length; i += 3) streamed += decoder.decode(bytes.subarray(i, i + 3), { stream: true });
    streamed += decoder.decode();
    assert.equal(streamed, expected);
    // ISO-8859-1 files are read as Windows-1252 (WHATWG): the same letters, and the typographic characters if any.
    assert.equal(decoderFor('iso-8859-1').decode(Buffer.from([0xc9, 0x63, 0x6f, 0x6c, 0x65, 0x20, 0x96])), 'École –');
  });

  test('a UTF-8 character cut by the end of the sample is still UTF-8; NUL bytes make a binary file', () => {
    const cut = Buffer.from('nom\nÉcole', 'utf8').subarray(0, 5);
    assert.equal((detectEncoding(cut, false) as { encoding: string }).encoding, 'utf-8');
    assert.deepEqual(detectEncoding(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0x01, 0x02, 0x03, 0xff, 0x00]), true), { kind: 'binary' });
  });
});

describe('separator and quoting', () => {
  test('the separator that splits every row like the header, among ; , tab |', () => {
    assert.equal(detectDialect('a;b;c\n1;2,5;3\n4;5;6\n', true).delimiter, ';');
    assert.equal(detectDialect('a,b,c\n1,"2;5",3\n4,5,6\n', true).delimiter, ',');
    assert.equal(detectDialect('a\tb\tc\n1\t2\t3\n', true).delimiter, '\t');
    assert.equal(detectDialect('a|b|c\n1|2|3\n', true).delimiter, '|');
    // Themes separated by commas inside a ;-separated file.
    assert.equal(detectDialect('nom;themes\nA;Eau, Santé, Énergie\nB;Santé\n', true).delimiter, ';');
  });

  test('double quotes are found, a quoted field may hold the separator and a line break', () => {
    const d = detectDialect('nom,ville\r\n"Eau, Vie","Pessac"\r\n"Ligne\r\ncoupée",Talence\r\n', true);
    assert.deepEqual(d, { delimiter: ',', quote: '"', lineEnding: 'crlf' });
    assert.equal(detectDialect('nom;ville\nA;B\n', true).quote, null);
  });
});

describe('reading the sample exports', () => {
  test('capcoop: Windows-1252, ";", CRLF, 19 columns, French accents decoded', async () => {
    const detection = await detectFile(sharedDir('samples/predecessors/capcoop_export_2016.csv'));
    assert.equal(detection.format, 'csv');
    assert.deepEqual({ ...detection.text }, { encoding: 'windows-1252', bom: false, delimiter: ';', quote: null, lineEnding: 'crlf' });
    assert.equal(detection.headers.length, 19);
    assert.deepEqual(detection.headers.slice(0, 7), ['Nom structure', 'Sigle', 'Type de structure', 'Adresse', 'CP', 'Ville', 'Tél']);
    assert.ok(detection.headers.includes('Pays d\'intervention') && detection.headers.includes('Réf') && detection.headers.includes('N° RNA'));
    assert.equal(detection.preview.length, 10);
    assert.equal(detection.preview[0]!.row, 2);
    assert.ok(detection.preview.some((r) => r.values.some((v) => /[éèà]/.test(v))), 'accents decoded');
    assert.ok(!detection.preview.some((r) => r.values.some((v) => v.includes('\uFFFD'))));
  });

  test('resodi: UTF-8 with BOM, ",", 18 columns, the BOM not in the first header', async () => {
    const detection = await detectFile(sharedDir('samples/predecessors/resodi_export_2016.csv'));
    assert.deepEqual({ ...detection.text }, { encoding: 'utf-8', bom: true, delimiter: ',', quote: null, lineEnding: 'lf' });
    assert.equal(detection.headers[0], 'id');
    assert.equal(detection.headers.length, 18);
  });

  test('every record is read, numbered as spreadsheet rows', async () => {
    const { rows } = await allRows(sharedDir('samples/predecessors/capcoop_export_2016.csv'));
    assert.equal(rows.length, 1418);
    assert.equal(rows[0]!.row, 2);
    assert.equal(rows.at(-1)!.row, 1419);
    assert.ok(rows.every((r) => r.values.length === 19));
  });

  test('quoted fields with separators, quotes and line breaks; blank lines count as rows', async () => {
    const target = file('nom;ville;note\n"Eau; Vie";Pessac;"dit ""bonjour"""\n\n"Deux\nlignes";Talence;x\n');
    const { detection, rows } = await allRows(target);
    assert.equal(detection.text!.quote, '"');
    assert.deepEqual(rows.map((r) => [r.row, ...r.values]), [
      [2, 'Eau; Vie', 'Pessac', 'dit "bonjour"'],
      [4, 'Deux\nlignes', 'Talence', 'x'],
    ]);
  });

  test('an XLSX workbook is read from its first sheet, dates and numbers as text', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Acteurs');
    sheet.addRow(['Nom structure', 'CP', 'Ville', 'Création', 'Site web']);
    sheet.addRow(['Eau Vive', 33000, 'Bordeaux', new Date(Date.UTC(1998, 4, 12)), { text: 'eauvive.org', hyperlink: 'http://eauvive.org' }]);
    sheet.addRow(['Solidarité Limousin', '87000', 'Limoges', null, null]);
    const target = path.join(dir, 'acteurs.xlsx');
    await workbook.xlsx.writeFile(target);
    const { detection, rows } = await allRows(target);
    assert.equal(detection.format, 'xlsx');
    assert.deepEqual(detection.headers, ['Nom structure', 'CP', 'Ville', 'Création', 'Site web']);
    assert.deepEqual(rows.map((r) => r.values), [
      ['Eau Vive', '33000', 'Bordeaux', '1998-05-12', 'eauvive.org'],
      ['Solidarité Limousin', '87000', 'Limoges', '', ''],
    ]);
  });
});

describe('bad files are refused in French, with the row', () => {
  test('an empty file, a file of blank lines', async () => {
    assert.match((await refusal(detectFile(file('')))).message, /Le fichier est vide/);
    assert.match((await refusal(detectFile(file('\n\n  \n')))).message, /Le fichier est vide/);
  });

  test('a binary file, an old .xls workbook', async () => {
    const binary = Buffer.alloc(4096);
    for (let i = 0; i < binary.length; i++) binary[i] = (i * 7919) % 256;
    assert.match((await refusal(detectFile(file(binary, 'csv')))).message, /contenu est binaire/);
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    assert.match((await refusal(detectFile(file(xls, 'xls')))).message, /97-2003/);
  });

  test('a header without any data row', async () => {
    assert.match((await refusal(detectFile(file('Nom structure;CP;Ville\r\n')))).message, /aucune ligne de données/);
    assert.match((await refusal(detectFile(file('Nom structure;CP;Ville\r\n;;\r\n\r\n')))).message, /aucune ligne de données/);
  });

  test('an unbalanced quote names the row where the field opens', async () => {
    const target = file('nom;ville\nA;Pessac\nB;Talence\n"C;Bègles\nD;Cenon\n');
    const error = await refusal(allRows(target));
    assert.equal(error.row, 4);
    assert.match(error.message, /^Ligne 4 : un guillemet ouvert n’est jamais fermé/);
  });

  test('a quote closed rows further down is refused at its row, not read as one cell holding those rows', async () => {
    const target = file('Nom;Ville;Email\n"Asso A;Bordeaux;a@a.fr\nAsso B;Pau;b@b.fr\nAsso C;"Dax;c@c.fr\n');
    const error = await refusal(allRows(target));
    assert.equal(error.row, 2);
    assert.match(error.message, /^Ligne 2 : un guillemet ouvert sur cette ligne ne se ferme que plus bas/);
    // A real multi-line cell, even with a separator in it, is still read.
    const { rows } = await allRows(file('Nom;Adresse;Email\nAsso A;"12 rue Neuve; bât. B\n33000 Bordeaux";a@a.fr\n'));
    assert.deepEqual(rows.map((r) => r.values), [['Asso A', '12 rue Neuve; bât. B\n33000 Bordeaux', 'a@a.fr']]);
  });

  test('a 10 MB line is refused without reading it whole, with its row', async () => {
    const target = path.join(dir, 'long-line.csv');
    const out = fs.createWriteStream(target);
    out.write('nom;description\nA;courte\nB;');
    for (let i = 0; i < 10; i++) out.write('x'.repeat(1024 * 1024));
    out.end('\nC;fin\n');
    await once(out, 'finish');
    const error = await refusal(allRows(target));
    assert.equal(error.row, 3);
    assert.match(error.message, /^Ligne 3 : cette ligne dépasse 1 Mo/);
  });
});

describe('guessed mappings', () => {
  test('French and English header synonyms', () => {
    const cases: [string, string | null][] = [
      ['Nom structure', 'name'], ['organisation', 'name'], ['Organization name', 'name'], ['Sigle', 'acronym'], ['acronyme', 'acronym'],
      ['Type de structure', 'kind'], ['categorie', 'kind'], ['CP', 'postcode'], ['code_postal', 'postcode'], ['Ville', 'commune'], ['commune', 'commune'],
      ['Tél.', 'phone'], ['telephone', 'phone'], ['courriel', 'email'], ['E-mail', 'email'], ['Site web', 'website'], ['url', 'website'],
      ["Pays d'intervention", 'countries'], ['pays', 'countries'], ['Thématiques', 'themes'], ['domaines', 'themes'],
      ['Nom contact', 'contact_last_name'], ['Prénom contact', 'contact_first_name'], ['contact', 'contact_name'], ['Fonction', 'contact_function'],
      ['role', 'contact_function'], ['Mail contact', 'contact_email'], ['mail_contact', 'contact_email'], ['SIRET/SIREN', 'siren_siret'], ['siren', 'siren_siret'],
      ['N° RNA', 'rna'], ['rna', 'rna'], ['Adhérent 2016', 'is_member'], ['cotisation_a_jour', 'is_member'], ['Réf', 'source_ref'], ['id', 'source_ref'],
      ['Couleur préférée', null],
    ];
    for (const [header, target] of cases) assert.equal(guessTarget(header), target, header);
  });

  test('capcoop: every column, its separators, kinds and membership year', async () => {
    const target = sharedDir('samples/predecessors/capcoop_export_2016.csv');
    const { detection, rows } = await allRows(target);
    const m = guessMapping(detection.headers, rows.slice(0, 200).map((r) => r.values), vocabulary);
    assert.equal(m.columns['Pays d\'intervention']!.split, '/');
    assert.equal(m.columns['Thématiques']!.split, ',');
    assert.deepEqual(m.columns['Type de structure']!.values, {
      Association: 'association', 'Collectivité territoriale': 'local_authority', Entreprise: 'company', 'Etablissement public': 'public_body',
      'Etablissement scolaire/universitaire': 'education_research', 'Education populaire': 'popular_education',
    });
    assert.deepEqual(m.columns['Adhérent 2016']!.values, { oui: '1', non: '0' });
    assert.equal(m.membershipYear, 2016);
    assert.equal(m.columns['Nom contact']!.field, 'contact_last_name');
    assert.equal(m.columns['Réf']!.field, 'source_ref');
    assert.ok(Object.values(m.columns).every((c) => c.field !== 'ignore'), 'no column left out');
    checkMappingAgainst(parseMapping(JSON.parse(JSON.stringify(m))), detection.headers);
  });

  test('resodi: other headers, codes and separators', async () => {
    const target = sharedDir('samples/predecessors/resodi_export_2016.csv');
    const { detection, rows } = await allRows(target);
    const m = guessMapping(detection.headers, rows.slice(0, 200).map((r) => r.values), vocabulary);
    assert.equal(m.columns['pays']!.split, ';');
    assert.equal(m.columns['domaines']!.split, '|');
    assert.deepEqual(m.columns['categorie']!.values, {
      asso: 'association', collectivite: 'local_authority', 'secteur-prive': 'company', 'etab-public': 'public_body',
      'enseignement-recherche': 'education_research', 'educ-pop': 'popular_education',
    });
    assert.equal(m.columns['contact']!.field, 'contact_name');
    assert.equal(m.columns['id']!.field, 'source_ref');
    assert.equal(m.membershipYear, null);
  });

  test('a mapping without a name column, naming an absent column, or malformed is refused', () => {
    const headers = ['Ville', 'CP'];
    assert.throws(() => checkMappingAgainst({ version: 1, columns: { Ville: { field: 'commune' } } }, headers), /Aucune colonne ne donne le nom de la structure/);
    assert.throws(() => checkMappingAgainst({ version: 1, columns: { Nom: { field: 'name' } } }, headers), /colonne absente du fichier : « Nom »/);
    assert.throws(() => checkMappingAgainst({ version: 1, columns: { Ville: { field: 'name' }, CP: { field: 'name' } } }, headers), /plusieurs colonnes/);
    assert.throws(() => parseMapping({ version: 1, columns: { Ville: { field: 'nom' } } }), /Correspondance de colonnes invalide/);
  });

  test('a field given by several columns is named by its label, in the reader’s language and once kept on a batch', () => {
    const headers = ['Nom', 'CP', 'Code postal'];
    const mapping: MappingDocument = { version: 1, columns: { Nom: { field: 'name' }, CP: { field: 'postcode' }, 'Code postal': { field: 'postcode' } } };
    assert.deepEqual(mappingProblems(mapping, headers), [{ kind: 'duplicate', field: 'postcode', columns: ['CP', 'Code postal'] }]);
    const refusal = (() => {
      try {
        checkMappingAgainst(mapping, headers);
      } catch (error) {
        return error;
      }
      return null;
    })();
    assert.ok(refusal instanceof ImportError, 'the mapping is refused');
    assert.equal(refusal.message, 'Le champ « Code postal » est associé à plusieurs colonnes : « CP », « Code postal ».');
    assert.equal(refusal.text('fr'), refusal.message);
    assert.equal(refusal.text('en'), 'The field “Postcode” is mapped from several columns: “CP”, “Code postal”.', 'columns quoted as English does');
    // A refusal met by the validation job is kept on the batch, then shown to each reader in their language.
    const kept = batchFailure(refusal);
    assert.equal(batchFailureText(kept, 'fr'), 'Le champ « Code postal » est associé à plusieurs colonnes : « CP », « Code postal ».');
    assert.equal(batchFailureText(kept, 'en'), 'The field “Postcode” is mapped from several columns: “CP”, “Code postal”.');
  });
});

describe('values', () => {
  test('kinds: codes, labels, abbreviations, accents and case', () => {
    for (const [value, code] of [
      ['asso', 'association'], ['ASSOCIATION', 'association'], ['Collectivité territoriale', 'local_authority'], ['collectivite', 'local_authority'],
      ['educ-pop', 'popular_education'], ['Education populaire', 'popular_education'], ['etab-public', 'public_body'], ['secteur-prive', 'company'],
      ['Etablissement scolaire/universitaire', 'education_research'], ['enseignement-recherche', 'education_research'], ['Fondation', null],
    ] as const) {
      assert.equal(vocabulary.kinds.match(value), code, value);
    }
  });

  test('countries by their French names and the short forms exports use', () => {
    for (const [value, code] of [['Sénégal', 'SN'], ["Côte d'Ivoire", 'CI'], ['RD Congo', 'CD'], ['Palestine', 'PS'], ['Vietnam', 'VN'], ['Bolivie', 'BO'], ['Haïti', 'HT'], ['ML', 'ML'], ['Atlantide', null]] as const) {
      assert.equal(vocabulary.country(value), code, value);
    }
  });

  test('themes: labels without accents or case, other networks\' labels, acronyms', () => {
    for (const [value, code] of [
      ['eau et assainissement', 'water_sanitation'], ['Genre et égalité', 'gender_equality'], ['Éducation à la citoyenneté (ECSI)', 'global_citizenship'],
      ['ECSI', 'global_citizenship'], ['Energie', 'energy'], ['Éducation et formation', 'education_training'], ['Astronomie', null],
    ] as const) {
      assert.equal(vocabulary.themes.match(value), code, value);
    }
  });

  test('full names split into first and last names', () => {
    assert.deepEqual(splitFullName('Inès Traoré'), { civility: null, first: 'Inès', last: 'Traoré' });
    assert.deepEqual(splitFullName('DUPONT Marie-Claire'), { civility: null, first: 'Marie-Claire', last: 'DUPONT' });
    assert.deepEqual(splitFullName('Mme Awa DIALLO'), { civility: 'Mme', first: 'Awa', last: 'DIALLO' });
    assert.deepEqual(splitFullName('Martin, Jean'), { civility: null, first: 'Jean', last: 'Martin' });
    assert.deepEqual(splitFullName('Jean-Pierre De La Fontaine'), { civility: null, first: 'Jean-Pierre', last: 'De La Fontaine' });
    assert.deepEqual(splitFullName('Madonna'), { civility: null, first: null, last: 'Madonna' });
  });

  test('communes: found by name and postcode, postcode corrected, inferred, or kept as written', () => {
    assert.equal(resolvePlace('LE TEMPLE', '33680').communeCode, '33528');
    const fixed = resolvePlace('Pessac', '33700');
    assert.equal(fixed.communeCode, '33318');
    assert.equal(fixed.postcode, '33600');
    assert.equal(fixed.issues[0]!.key, 'imports.issue.postcodeFixed');
    const inferred = resolvePlace('', '87920');
    assert.equal(inferred.communeCode, '87048');
    assert.equal(inferred.issues[0]!.key, 'imports.issue.communeFromPostcode');
    const unknown = resolvePlace('Atlantis-sur-Mer', '33680');
    assert.equal(unknown.communeCode, null);
    assert.equal(unknown.unknownCommune, 'Atlantis-sur-Mer');
    assert.equal(unknown.issues[0]!.key, 'imports.issue.communeUnknown');
    assert.equal(resolvePlace('Bordeaux', '33-A').issues[0]!.key, 'imports.issue.postcodeInvalid');
    assert.equal(resolvePlace('Ambérieu-en-Bugey', '1500').postcode, '01500');
  });
});
