import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { SMALL_CSV, seedBatch } from '../../../test/helpers/import-batches.js';
import { sharedDir } from '../../../test/helpers/paths.js';
import { findBatch } from './index.js';
import { uploadCap } from './wizard-form.js';
import { uploadsDir } from '../../kernel/files/uploads.js';
import { newId } from '../../kernel/ids.js';

const RESODI = sharedDir('samples/predecessors/resodi_export_2016.csv');
const CAPCOOP = sharedDir('samples/predecessors/capcoop_export_2016.csv');
const CSV = 'text/csv';

function locationOf(res: { headers: Record<string, unknown> }): string {
  return String(res.headers['location']);
}

function decode(html: string): string {
  return html.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

/** The values a browser would send for a form of the page: selects (chosen option), text inputs, checked radios. */
function formValues(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`);
  assert.ok(start >= 0, `no form posting to ${action}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const values: Record<string, string> = {};
  for (const m of form.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const chosen = /<option value="([^"]*)" selected/.exec(m[2]!) ?? /<option value="([^"]*)"/.exec(m[2]!);
    values[m[1]!] = decode(chosen?.[1] ?? '');
  }
  for (const m of form.matchAll(/<input([^>]*)>/g)) {
    const attrs = m[1]!;
    const name = /name="([^"]+)"/.exec(attrs)?.[1];
    if (!name || name === '_csrf') continue;
    const value = decode(/value="([^"]*)"/.exec(attrs)?.[1] ?? '');
    if (/type="radio"/.test(attrs)) {
      if (/ checked/.test(attrs)) values[name] = value;
    } else if (!/type="file"/.test(attrs)) values[name] = value;
  }
  return values;
}

/** The id of the select of a file column, by its header. */
function columnField(html: string, header: string): string {
  const match = new RegExp(`<label for="f-(col_\\d+)"><span>Champ pour « ${header} »`).exec(html);
  assert.ok(match, `no select for the column ${header}`);
  return match[1]!;
}

forEachDialect('import wizard: upload, detection, mapping, report, import, undo', (dialect) => {
  let t: TestApp;
  let staff: Client;

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff', 'camille@example.org');
  });
  after(() => t.close());

  async function upload(filename: string, content: Buffer | string, source = '') {
    await staff.get('/admin/imports');
    return staff.postMultipart('/admin/imports', source ? { source } : {}, [{ field: 'fichier', filename, content: Buffer.from(content), type: CSV }]);
  }

  test('a predecessor export goes through every step, then is undone', async () => {
    const list = await staff.get('/admin/imports');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Nouvel import/);
    assert.match(list.body, /Taille maximale : 100 Mo/);
    assert.match((await staff.get('/admin/imports', { 'accept-language': 'en' })).body, /Maximum size: 100 MB\./, 'the unit in the page’s language');
    assert.match(list.body, /href="\/admin\/imports"[^>]*>Imports</, 'the back office menu leads here');

    const sent = await upload('resodi_export_2016.csv', fs.readFileSync(RESODI), 'resodi');
    assert.equal(sent.statusCode, 303);
    const step1 = locationOf(sent);
    assert.match(step1, /^\/admin\/imports\/[0-9a-f-]{36}\/fichier$/);
    const id = step1.split('/')[3]!;

    const detection = await staff.get(step1);
    assert.equal(detection.statusCode, 200);
    assert.match(detection.body, /UTF-8 avec BOM/);
    assert.match(detection.body, /virgule \(,\)/);
    assert.match(detection.body, /aucun champ entre guillemets|champs entre "/);
    assert.match(detection.body, /COMITÉ DE JUMELAGE LE TEMPLE–CUSCO/, 'the first rows are shown');
    assert.match(detection.body, /<th scope="col">organisation<\/th>/);

    const mappingUrl = `/admin/imports/${id}/correspondance`;
    const mapping = await staff.get(mappingUrl);
    assert.equal(mapping.statusCode, 200);
    const form = formValues(mapping.body, mappingUrl);
    assert.equal(form[columnField(mapping.body, 'organisation')], 'name', 'the guessed field is preselected');
    assert.equal(form[columnField(mapping.body, 'code_postal')], 'postcode');
    const domains = columnField(mapping.body, 'domaines');
    assert.equal(form[domains.replace('col_', 'sep_')], '|', 'the guessed separator');
    assert.match(mapping.body, /Valeur « asso »/, 'kind codes get a value map');
    const asso = /<label for="f-(val_\d+_\d+)"><span>Valeur « asso »/.exec(mapping.body)![1]!;
    assert.equal(form[asso], 'association');

    assert.equal(form['visibilite'], 'public', 'imported organisations are public unless chosen otherwise');
    assert.match(mapping.body, /Par défaut publiques, comme dans les annuaires des réseaux d’origine/);
    // Framed like the columns; a quotation and its colon never break from their words (no-break spaces).
    assert.match(mapping.body, /<fieldset class="field import-choices" id="f-visibilite"/);
    assert.ok(mapping.body.includes('réseaux d’origine\u00a0: les structures'), 'no line starts with « : »');
    assert.ok(mapping.body.includes('Choisissez «\u00a0équipe seulement\u00a0»'), 'the quotation marks hold to their words');
    assert.ok(mapping.body.includes('Publiques\u00a0: annuaire, carte et données ouvertes'));
    const checked = await staff.post(mappingUrl, { ...form, enregistrer_sous: 'Export RESODI' });
    assert.equal(checked.statusCode, 303);
    assert.equal(locationOf(checked), `/admin/imports/${id}/rapport`);
    // The file is read by a job, not in the request: the answer comes before any row is checked.
    const queued = (await findBatch(t.kernel.db, id))!;
    assert.deepEqual([queued.status, queued.total_rows, queued.validated_at], ['validating', 0, null]);
    const checking = await staff.get(locationOf(checked));
    assert.equal(checking.statusCode, 200);
    assert.match(checking.body, /Correspondance enregistrée sous le nom « Export RESODI »/);
    assert.match(checking.body, /<h1>Vérification de resodi_export_2016\.csv<\/h1>/);
    assert.match(checking.body, /<progress id="import-progress-bar" max="100"><\/progress>/, 'no percentage before the number of rows is known');
    assert.match(checking.body, /role="status" aria-live="polite">Vérification en attente de démarrage</);
    assert.match(checking.body, new RegExp(`href="/admin/imports/${id}/rapport" class="import-refresh">Actualiser<`), 'without JavaScript: a link reloading the page');
    assert.match(checking.body, /data-running="1"/, 'imports.js polls the progress');
    const polled = (await staff.get(`/admin/imports/${id}/progression`)).json();
    assert.deepEqual([polled.status, polled.statusLabel, polled.percent, polled.running], ['validating', 'Vérification en cours', null, true]);
    assert.equal((await staff.get(mappingUrl)).statusCode, 303, 'the mapping cannot change while the file is read');
    await t.kernel.jobs.runDue();
    const report = await staff.get(`/admin/imports/${id}/rapport`);
    assert.equal(report.statusCode, 200);
    assert.match(report.body, /lignes lues/);
    const batch = (await findBatch(t.kernel.db, id))!;
    assert.equal(batch.status, 'validated');
    assert.ok(batch.total_rows > 1000);
    assert.match(report.body, new RegExp(`${batch.total_rows.toLocaleString('fr-FR')}</span><span class="stat-label">lignes lues`));
    assert.match(report.body, /Télécharger le rapport \(CSV\)/);
    if (batch.warning_rows > 0) assert.match(report.body, /avertissement/);

    const csv = await staff.get(`/admin/imports/${id}/rapport.csv`);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    assert.match(String(csv.headers['content-disposition']), /attachment; filename="rapport-resodi.csv"/);
    assert.ok(csv.body.startsWith('\uFEFFligne;'), 'UTF-8 with BOM, French headers');

    const choices = formValues(report.body, `/admin/imports/${id}/importer`);
    assert.equal(choices['mode'], 'valid-only');
    const started = await staff.post(`/admin/imports/${id}/importer`, { ...choices, date: '2016-09-01' });
    assert.equal(started.statusCode, 303);
    assert.equal(locationOf(started), `/admin/imports/${id}`);
    const waiting = await staff.get(`/admin/imports/${id}`);
    assert.match(waiting.body, /<progress id="import-progress-bar" max="100" value="0">/);
    assert.match(waiting.body, /en attente de démarrage/);
    assert.match(waiting.body, /role="status" aria-live="polite"/);
    assert.match(waiting.body, />Actualiser</, 'without JavaScript: a link to reload');
    const json = await staff.get(`/admin/imports/${id}/progression`);
    assert.match(waiting.body, /class="badge import-batch-status import-status-queued">En attente</);
    assert.deepEqual([json.json().status, json.json().statusLabel, json.json().percent, json.json().running], ['queued', 'En attente', 0, true]);

    const uploaded = path.join(uploadsDir(t.config.dataDir), (await findBatch(t.kernel.db, id))!.file_path);
    assert.ok(fs.existsSync(uploaded));
    await t.kernel.jobs.runDue();
    const done = (await findBatch(t.kernel.db, id))!;
    assert.equal(done.status, 'committed');
    assert.ok(!fs.existsSync(uploaded), 'the uploaded file (personal data) is deleted once the batch is written');
    const replay = await staff.get(`/admin/imports/${id}/fichier`);
    assert.equal(replay.statusCode, 303, 'its steps can no longer be replayed');
    const autoScan = await t.kernel.db.selectFrom('jobs').select('name').where('idempotency_key', '=', `duplicates.scan:import:${id}`).executeTakeFirst();
    assert.ok(autoScan, 'the full duplicate scan is queued once the batch is written');
    // Written by a job, but started by a person: the journal credits her, not « Système ».
    const committedBy = await t.kernel.db.selectFrom('audit_log').select(['actor_id', 'actor_email']).where('entity_id', '=', id).where('action', '=', 'import.committed').executeTakeFirstOrThrow();
    assert.deepEqual(committedBy, { actor_id: done.created_by, actor_email: 'camille@example.org' });
    const result = await staff.get(`/admin/imports/${id}`);
    assert.match(result.body, /value="100"/);
    assert.match(result.body, new RegExp(`${done.created_organisations.toLocaleString('fr-FR')}</span><span class="stat-label">structures créées`));
    assert.match(result.body, /href="\/admin\/doublons"/);
    assert.match(result.body, new RegExp(`<a href="/admin/imports/${id}/rapport\\.csv">Télécharger le rapport \\(CSV\\)</a>`), 'the report stays at hand once imported');
    assert.doesNotMatch(result.body, new RegExp(`href="/admin/imports/${id}/(correspondance|rapport)"`), 'no step links back to a page that would only send back here');
    assert.doesNotMatch(result.body, />Actualiser</);
    const finished = (await staff.get(`/admin/imports/${id}/progression`)).json();
    assert.deepEqual([finished.status, finished.statusLabel, finished.percent, finished.running], ['committed', 'Terminé', 100, false]);

    const scan = await staff.post(`/admin/imports/${id}/analyse-doublons`);
    assert.equal(scan.statusCode, 303);
    assert.match((await staff.get(`/admin/imports/${id}`)).body, /Analyse des doublons lancée/);
    const job = await t.kernel.db.selectFrom('jobs').select('name').where('name', '=', 'duplicates.scan').executeTakeFirst();
    assert.ok(job, 'the scan is queued');

    const listed = await staff.get('/admin/imports');
    assert.match(listed.body, /resodi_export_2016\.csv/);
    assert.match(listed.body, /Terminé/);
    const me = await t.kernel.db.selectFrom('users').select('display_name').where('email', '=', 'camille@example.org').executeTakeFirstOrThrow();
    // On a phone each import is a card (.table-stack): its cells name their columns.
    assert.ok(listed.body.includes(`<td data-label="Par">${me.display_name}</td>`), 'who started it');
    assert.match(listed.body, /<table class="table-stack">/);

    const confirm = await staff.get(`/admin/imports/${id}/annuler`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, new RegExp(`Les ${done.created_organisations.toLocaleString('fr-FR')} structures`));
    const undone = await staff.post(`/admin/imports/${id}/annuler`);
    assert.equal(undone.statusCode, 303);
    const after = await staff.get(locationOf(undone));
    assert.match(after.body, new RegExp(`Import annulé : ${done.created_organisations.toLocaleString('fr-FR')} structures`));
    assert.match(after.body, /Annulé/);
    const left = await t.kernel.db.selectFrom('organisations').select('id').where('import_batch_id', '=', id).execute();
    assert.equal(left.length, 0);
    assert.match((await staff.get(locationOf(await staff.post(`/admin/imports/${id}/annuler`)))).body, /déjà été annulé/);
  });

  test('a saved mapping is offered and applied to the next file', async () => {
    const sent = await upload('resodi-bis.csv', fs.readFileSync(RESODI), 'resodi bis');
    const id = locationOf(sent).split('/')[3]!;
    const page = await staff.get(`/admin/imports/${id}/correspondance`);
    assert.match(page.body, /<option value="Export RESODI"/);
    // The guessed field of a column is changed, then the saved mapping puts it back.
    const form = formValues(page.body, `/admin/imports/${id}/correspondance`);
    const acronym = columnField(page.body, 'acronyme');
    const bad = await staff.post(`/admin/imports/${id}/correspondance`, { ...form, [columnField(page.body, 'organisation')]: 'ignore' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Aucune colonne ne donne le nom de la structure/);
    const wrong = await staff.post(`/admin/imports/${id}/correspondance`, { ...form, [acronym]: 'couleur' });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, new RegExp(`<p class="field-error" id="f-${acronym}-error">Choisissez un champ de la liste.</p>`));
    assert.match(wrong.body, new RegExp(`aria-describedby="f-${acronym}-error"`));
    const applied = await staff.post(`/admin/imports/${id}/modele`, { modele: 'Export RESODI' });
    assert.equal(applied.statusCode, 303);
    const again = await staff.get(locationOf(applied));
    assert.match(again.body, /Correspondance « Export RESODI » appliquée/);
    assert.equal(formValues(again.body, `/admin/imports/${id}/correspondance`)[acronym], 'acronym');
    // An unknown name: back to the mapping step by a redirect, the refusal said once.
    const unknown = await staff.post(`/admin/imports/${id}/modele`, { modele: 'inconnue' });
    assert.equal(unknown.statusCode, 303);
    assert.equal(locationOf(unknown), `/admin/imports/${id}/correspondance`);
    assert.match((await staff.get(locationOf(unknown))).body, /<div class="flash flash-error" role="alert">Choisissez une correspondance enregistrée\.<\/div>/);
    assert.doesNotMatch((await staff.get(locationOf(unknown))).body, /Choisissez une correspondance enregistrée/, 'said once: a reload does not repeat it');
  });

  test('a saved mapping made for another file is not claimed applied: the columns absent from this file are named', async () => {
    const other = await upload('autre-source.csv', 'Nom structure;CP;Ville\nMJC de Bruges;33520;Bruges\n', 'autre source');
    const otherId = locationOf(other).split('/')[3]!;
    const before = formValues((await staff.get(`/admin/imports/${otherId}/correspondance`)).body, `/admin/imports/${otherId}/correspondance`);
    // Post, redirect, get: the mapping step is shown at its own address (a reload sends nothing again).
    const refused = await staff.post(`/admin/imports/${otherId}/modele`, { modele: 'Export RESODI' });
    assert.equal(refused.statusCode, 303);
    assert.equal(locationOf(refused), `/admin/imports/${otherId}/correspondance`);
    const shown = await staff.get(locationOf(refused));
    assert.equal(shown.statusCode, 200);
    assert.doesNotMatch(shown.body, /Correspondance « Export RESODI » appliquée/);
    assert.match(
      shown.body,
      /<div class="flash flash-error" role="alert">La correspondance « Export RESODI » n’a pas été appliquée : aucune des colonnes qu’elle cite n’est dans ce fichier \(absentes : « id », « organisation », « acronyme », [^)]*\)/,
    );
    const reloaded = await staff.get(locationOf(refused));
    assert.doesNotMatch(reloaded.body, /n’a pas été appliquée/, 'said once');
    assert.deepEqual(formValues(reloaded.body, `/admin/imports/${otherId}/correspondance`), before, 'nothing changed');

    // Some columns in common: applied to those, and the others named.
    const some = await upload('en-partie.csv', 'organisation;code_postal;commune;Couleur\nMJC de Bruges;33520;Bruges;bleu\n', 'en partie');
    const someId = locationOf(some).split('/')[3]!;
    const partly = await staff.post(`/admin/imports/${someId}/modele`, { modele: 'Export RESODI' });
    assert.equal(partly.statusCode, 303);
    const page = (await staff.get(locationOf(partly))).body;
    assert.match(page, /Correspondance « Export RESODI » appliquée à 3 colonnes de ce fichier ; ces colonnes qu’elle cite sont absentes du fichier et ont été laissées de côté : « id », « acronyme », « categorie », [^.]*…\./);
  });

  /** Validates a batch with its mapping as shown, then imports its valid rows (the commit job reading the file, not the validation's spill). */
  /** The mapping step sent as shown (`choices` over it), the validation run, then the import. */
  async function validateAndImport(id: string, choices: Record<string, string> = {}) {
    const mappingUrl = `/admin/imports/${id}/correspondance`;
    assert.equal((await staff.post(mappingUrl, { ...formValues((await staff.get(mappingUrl)).body, mappingUrl), ...choices })).statusCode, 303);
    await t.kernel.jobs.runDue();
    const report = await staff.get(`/admin/imports/${id}/rapport`);
    assert.equal(report.statusCode, 200);
    fs.rmSync(path.join(t.config.dataDir, 'imports', 'records', `${id}.ndjson`), { force: true });
    assert.equal((await staff.post(`/admin/imports/${id}/importer`, formValues(report.body, `/admin/imports/${id}/importer`))).statusCode, 303);
    await t.kernel.jobs.runDue();
    assert.equal((await findBatch(t.kernel.db, id))!.status, 'committed');
    return t.kernel.db.selectFrom('organisations').select('name').where('import_batch_id', '=', id).orderBy('name').execute();
  }

  test('the encoding chosen on the file step reads the preview again, and the check and the import read the file so', async () => {
    // Windows-1252 whose first megabyte is plain ASCII: the detection sees UTF-8, the accents come later.
    const filler = 'x'.repeat(600 * 1024);
    const content = Buffer.concat([
      Buffer.from(`Nom structure;Ville;Notes internes\r\nAssociation Lune;Bordeaux;${filler}\r\nCollectif Soleil;Agen;${filler}\r\n`),
      Buffer.from('Crèche Éveil;Bègles;\r\n', 'latin1'),
    ]);
    const id = locationOf(await upload('accents-tardifs.csv', content, 'accents tardifs')).split('/')[3]!;
    const fileUrl = `/admin/imports/${id}/fichier`;
    const action = `/admin/imports/${id}/lecture`;
    const detected = await staff.get(fileUrl);
    assert.match(detected.body, /Cr\uFFFDche \uFFFDveil/, 'read as UTF-8, the accents are lost');
    assert.match(detected.body, /L’aperçu contient des caractères illisibles \(\uFFFD\) : le fichier n’est sans doute pas en UTF-8\./);
    assert.match(detected.body, /<h2 id="lecture">Lecture du fichier<\/h2>/);
    assert.match(detected.body, /<label for="f-encodage"><span>Encodage<\/span><\/label>/, 'each select has its label');
    assert.match(detected.body, /<option value="utf-8" selected>UTF-8 \(détecté\)<\/option>/);
    assert.match(detected.body, /<option value=";" selected>point-virgule \(;\) \(détecté\)<\/option>/);
    const form = formValues(detected.body, action);
    assert.deepEqual(form, { encodage: 'utf-8', separateur: ';', guillemets: 'double' });

    const chosen = await staff.post(action, { ...form, encodage: 'windows-1252' });
    assert.equal(chosen.statusCode, 303);
    assert.equal(locationOf(chosen), fileUrl);
    const reread = await staff.get(fileUrl);
    assert.match(reread.body, /Fichier relu : encodage Windows-1252, séparateur point-virgule \(;\)\./);
    assert.match(reread.body, /<td><div class="import-cell">Crèche Éveil<\/div><\/td><td><div class="import-cell">Bègles<\/div><\/td>/);
    assert.doesNotMatch(reread.body, /\uFFFD/);
    // A reload (or a later visit) reads the file the same way: the batch remembers the choice.
    const again = await staff.get(fileUrl);
    assert.doesNotMatch(again.body, /Fichier relu/, 'said once');
    assert.match(again.body, /Crèche Éveil/);
    assert.match(again.body, /<option value="utf-8">UTF-8 \(détecté\)<\/option>/, 'the detection is still marked');
    assert.match(again.body, /<option value="windows-1252" selected>Windows-1252 ou ISO-8859-1 \(Latin-1\)<\/option>/);
    assert.equal(formValues(again.body, action)['encodage'], 'windows-1252');
    assert.match((await staff.get(`/admin/imports/${id}/correspondance`)).body, /Crèche Éveil/, 'the mapping step’s samples too');

    const names = await validateAndImport(id);
    assert.deepEqual(names.map((o) => o.name), ['Association Lune', 'Collectif Soleil', 'Crèche Éveil']);
    assert.equal((await staff.get(fileUrl)).statusCode, 303, 'an imported batch’s file is gone: its reading no longer changes');
  });

  test('a reading that leaves the file unreadable is refused in French next to its select, and changes nothing', async () => {
    const sent = await upload('capcoop_export_2016.csv', fs.readFileSync(CAPCOOP), 'capcoop lecture');
    const id = locationOf(sent).split('/')[3]!;
    const fileUrl = `/admin/imports/${id}/fichier`;
    const action = `/admin/imports/${id}/lecture`;
    const page = await staff.get(fileUrl);
    // One choice for Windows-1252 and ISO-8859-1, which decode alike: two would differ in name only.
    assert.match(page.body, /<option value="windows-1252" selected>Windows-1252 ou ISO-8859-1 \(Latin-1\) \(détecté\)<\/option>/);
    assert.doesNotMatch(page.body, /<option value="iso-8859-1"/);
    const form = formValues(page.body, action);
    const stored = (await findBatch(t.kernel.db, id))!;

    const comma = await staff.post(action, { ...form, separateur: ',' });
    assert.equal(comma.statusCode, 400, 'the user stays on the file step');
    const commaError = 'Avec le séparateur virgule (,), le fichier n’a plus qu’une colonne : ce n’est sans doute pas son séparateur. Choisissez-en un autre.';
    assert.ok(comma.body.includes(`<p class="field-error" id="f-separateur-error">${commaError}</p>`), 'next to the separator');
    assert.ok(comma.body.includes(`<a href="#f-separateur">${commaError}</a>`), 'in the error summary');
    assert.match(comma.body, /<select id="f-separateur" name="separateur" aria-invalid="true" aria-describedby="f-separateur-error">/);
    assert.equal(formValues(comma.body, action)['separateur'], ',', 'the choice sent stays selected');
    assert.match(comma.body, /<th scope="col">Nom structure<\/th>/, 'the preview as the batch reads it');

    const utf8 = await staff.post(action, { ...form, encodage: 'utf-8' });
    assert.equal(utf8.statusCode, 400);
    assert.ok(
      utf8.body.includes('<p class="field-error" id="f-encodage-error">Lu en UTF-8, le fichier a des caractères illisibles (ligne 1) : ce n’est sans doute pas son encodage. Choisissez-en un autre.</p>'),
    );
    assert.equal((await staff.post(action, { ...form, encodage: 'ebcdic' })).statusCode, 400);
    assert.deepEqual((await findBatch(t.kernel.db, id))!.detection, stored.detection, 'the batch reads the file as before');

    // ISO-8859-1 sent all the same (a page from before): read as Windows-1252 is, so nothing changes, and the page says so.
    assert.equal((await staff.post(action, { ...form, encodage: 'iso-8859-1' })).statusCode, 303);
    assert.match((await staff.get(fileUrl)).body, /Le fichier était déjà lu ainsi : rien n’a changé\./);
    assert.deepEqual((await findBatch(t.kernel.db, id))!, stored, 'nothing written: not sent back to its mapping');
    // The same values again: nothing changes either.
    assert.equal((await staff.post(action, form)).statusCode, 303);
    assert.match((await staff.get(fileUrl)).body, /Le fichier était déjà lu ainsi : rien n’a changé\./);
  });

  test('a file that « ; » and « , » both split: choosing « , » gives other columns, a mapping guessed again and other names', async () => {
    const file = 'Nom structure,Thèmes;Zones;Pays,Ville\nAssociation Lune,Éducation;Europe;Sénégal,Bordeaux\nCollectif Soleil,Culture;Afrique;Mali,Agen\n';
    const id = locationOf(await upload('deux-separateurs.csv', file, 'deux separateurs')).split('/')[3]!;
    const fileUrl = `/admin/imports/${id}/fichier`;
    const action = `/admin/imports/${id}/lecture`;
    const page = await staff.get(fileUrl);
    assert.match(page.body, /<th scope="col">Nom structure,Thèmes<\/th>/, 'the detection took « ; »');
    // Validated as detected first: a new reading sends the batch back to its mapping.
    const mappingUrl = `/admin/imports/${id}/correspondance`;
    const guessed = formValues((await staff.get(mappingUrl)).body, mappingUrl);
    await staff.post(mappingUrl, { ...guessed, col_0: 'name' });
    await t.kernel.jobs.runDue();
    assert.equal((await findBatch(t.kernel.db, id))!.status, 'validated');

    const chosen = await staff.post(action, { ...formValues(page.body, action), separateur: ',' });
    assert.equal(chosen.statusCode, 303);
    const reread = await staff.get(fileUrl);
    assert.match(reread.body, /Fichier relu : encodage UTF-8, séparateur virgule \(,\)\. Ses colonnes ont changé : la correspondance a été devinée à nouveau\./);
    assert.match(reread.body, /<th scope="col">Nom structure<\/th><th scope="col">Thèmes;Zones;Pays<\/th><th scope="col">Ville<\/th>/);
    assert.match(reread.body, /<option value="," selected>virgule \(,\)<\/option>/);
    assert.match(reread.body, /<option value=";">point-virgule \(;\) \(détecté\)<\/option>/);
    assert.equal((await findBatch(t.kernel.db, id))!.status, 'draft', 'its report is to be made again');
    const mapping = await staff.get(mappingUrl);
    assert.equal(formValues(mapping.body, mappingUrl)[columnField(mapping.body, 'Nom structure')], 'name');

    const names = await validateAndImport(id);
    assert.deepEqual(names.map((o) => o.name), ['Association Lune', 'Collectif Soleil']);
  });

  test('the quotes chosen on the file step: a name between apostrophes keeps its « ; »', async () => {
    const id = locationOf(await upload('apostrophes.csv', "Nom structure;Ville\n'Lune; Soleil';Bordeaux\nCollectif Étoile;Agen\n", 'apostrophes')).split('/')[3]!;
    const fileUrl = `/admin/imports/${id}/fichier`;
    const action = `/admin/imports/${id}/lecture`;
    const page = await staff.get(fileUrl);
    assert.match(page.body, /<td><div class="import-cell">&#39;Lune<\/div><\/td><td><div class="import-cell"> Soleil&#39;<\/div><\/td>/, 'read with double quotes, the name is cut');
    assert.match(page.body, /<option value="double" selected>guillemets droits \(&#34;\) \(par défaut\)<\/option>/);
    assert.equal((await staff.post(action, { ...formValues(page.body, action), guillemets: 'simple' })).statusCode, 303);
    const reread = await staff.get(fileUrl);
    assert.match(reread.body, /<td><div class="import-cell">Lune; Soleil<\/div><\/td><td><div class="import-cell">Bordeaux<\/div><\/td>/);
    assert.match(reread.body, /<dd>champs entre &#39;<\/dd>/);
    assert.equal(formValues(reread.body, action)['guillemets'], 'simple');
  });

  test('the file step says the same of the quotes in its facts and its form: capcoop has none, double quotes are only the default', async () => {
    assert.ok(!fs.readFileSync(CAPCOOP).includes('"'), 'not one quote in the file');
    const id = locationOf(await upload('capcoop_export_2016.csv', fs.readFileSync(CAPCOOP), 'capcoop guillemets')).split('/')[3]!;
    const page = (await staff.get(`/admin/imports/${id}/fichier`)).body;
    assert.match(page, /<dt>Guillemets<\/dt><dd>aucun champ entre guillemets repéré\u202f; lu avec les guillemets droits \(&#34;\), par défaut<\/dd>/);
    const quotes = /<select id="f-guillemets"[\s\S]*?<\/select>/.exec(page)![0];
    assert.doesNotMatch(quotes, /détecté/, 'nothing was detected: no choice says so');
    assert.match(quotes, /<option value="double" selected>guillemets droits \(&#34;\) \(par défaut\)<\/option>/);

    // Fields between double quotes: both say they were detected.
    const quoted = locationOf(await upload('guillemets.csv', 'Nom structure;Ville\n"Lune; Soleil";Bordeaux\nCollectif Étoile;Agen\n', 'guillemets detectes')).split('/')[3]!;
    const other = (await staff.get(`/admin/imports/${quoted}/fichier`)).body;
    assert.match(other, /<dt>Guillemets<\/dt><dd>champs entre &#34;<\/dd>/);
    assert.match(other, /<option value="double" selected>guillemets droits \(&#34;\) \(détecté\)<\/option>/);
  });

  test('a membership column: the mapping step shows the year its header names and whether a yes makes a current member, and the import does so', async () => {
    const year = t.kernel.clock.now().getUTCFullYear();
    assert.ok(year > 2016);
    const visitor = t.client();
    /** Uploads a file whose member column is `header`, returns its mapping step and what importing it (`choices` over the form) writes. */
    async function membersOf(name: string, header: string, choices: Record<string, string> = {}) {
      const content = `Nom structure;Ville;${header}\n${name};Bordeaux;oui\n${name} bis;Agen;non\n`;
      const id = locationOf(await upload(`${header}.csv`, content, `adhesions ${name}`)).split('/')[3]!;
      const page = (await staff.get(`/admin/imports/${id}/correspondance`)).body;
      await validateAndImport(id, choices);
      const org = await t.kernel.db.selectFrom('organisations').select(['id', 'slug', 'is_member']).where('name', '=', name).executeTakeFirstOrThrow();
      const memberships = await t.kernel.db.selectFrom('memberships').select(['year', 'status']).where('organisation_id', '=', org.id).execute();
      const publicPage = (await visitor.get(`/acteurs/${org.slug}`)).body;
      return { page, isMember: org.is_member, memberships, badge: publicPage.includes('<span class="badge badge-member">Adhérent du réseau</span>') };
    }
    const radio = (value: string, label: string, checked: boolean) =>
      new RegExp(`<input type="radio" id="f-adherent_actuel-${value}" name="adherent_actuel" value="${value}"${checked ? ' checked' : ''}/?>\\s*<label for="f-adherent_actuel-${value}">${label}</label>`);

    const past = await membersOf('Association Nébuleuse', 'Adhérent 2016');
    assert.match(past.page, /Année lue dans l’en-tête\u00a0: 2016\. Chaque ligne «\u00a0adhérent\u00a0» enregistre l’adhésion 2016 \(payée\) de sa structure\./);
    assert.match(past.page, radio('annee', `Non, d’après l’en-tête\u00a0: 2016 n’est pas l’année en cours \\(${year}\\)`, true));
    assert.deepEqual([past.isMember, past.memberships, past.badge], [0, [{ year: 2016, status: 'paid' }], false], 'the 2016 membership, not a current member');

    const current = await membersOf('Collectif Comète', `Adhérent ${year}`);
    assert.match(current.page, radio('annee', `Oui, d’après l’en-tête\u00a0: ${year} est l’année en cours`, true));
    assert.deepEqual([current.isMember, current.memberships, current.badge], [1, [{ year, status: 'paid' }], true]);

    const chosen = await membersOf('Maison Astéroïde', 'Adhérent 2016', { adherent_actuel: 'oui' });
    assert.deepEqual([chosen.isMember, chosen.memberships, chosen.badge], [1, [{ year: 2016, status: 'paid' }], true], 'a current member, as the person said');

    const noYear = await membersOf('Atelier Pulsar', 'cotisation_a_jour');
    assert.match(noYear.page, /Pas d’année dans l’en-tête\u00a0: aucune adhésion n’est enregistrée pour une année\./);
    assert.match(noYear.page, radio('annee', 'Oui, d’après l’en-tête\u00a0: il ne donne pas d’année', true));
    assert.deepEqual([noYear.isMember, noYear.memberships, noYear.badge], [1, [], true]);
  });

  test('an XLSX workbook has no encoding or separator: no reading form', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Acteurs');
    sheet.addRow(['Nom structure', 'Ville']);
    sheet.addRow(['Association Lune', 'Bordeaux']);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    await staff.get('/admin/imports');
    const sent = await staff.postMultipart('/admin/imports', { source: 'classeur' }, [
      { field: 'fichier', filename: 'acteurs.xlsx', content: buffer, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    ]);
    const id = locationOf(sent).split('/')[3]!;
    const page = await staff.get(`/admin/imports/${id}/fichier`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Association Lune/);
    assert.doesNotMatch(page.body, /\/lecture"|id="f-encodage"/);
    const forced = await staff.post(`/admin/imports/${id}/lecture`, { encodage: 'utf-8', separateur: ';', guillemets: 'double' });
    assert.equal(forced.statusCode, 303);
    assert.match((await staff.get(locationOf(forced))).body, /Un classeur XLSX n’a ni encodage ni séparateur à choisir/);
  });

  test('the choices are checked: consent needs its date and source; "all or nothing" refuses a file with errors', async () => {
    const sent = await upload('erreurs.csv', `${SMALL_CSV};Association;33000;Bordeaux;\n`, 'erreurs');
    const id = locationOf(sent).split('/')[3]!;
    const mappingUrl = `/admin/imports/${id}/correspondance`;
    const form = formValues((await staff.get(mappingUrl)).body, mappingUrl);
    await staff.post(mappingUrl, form);
    await t.kernel.jobs.runDue();
    const report = await staff.get(`/admin/imports/${id}/rapport`);
    assert.match(report.body, /Nom de la structure manquant/);
    // On a phone each issue is a card (.table-stack): its cells name their columns.
    assert.match(report.body, /<table class="import-issues table-stack">/);
    assert.match(report.body, /<td class="import-issue-row" data-label="Ligne">4<\/td>/, 'the row number of the error');
    assert.match(report.body, /<td data-label="Champ">Nom de la structure<\/td><td class="import-issue-message">Nom de la structure manquant/);
    assert.match(report.body, /<td class="import-raw" data-label="Valeur lue">/);
    // The date is a date field: the browser shows its own format, the hint does not contradict it.
    assert.match(report.body, /<input id="f-date" name="date" type="date"/);
    assert.doesNotMatch(report.body, /AAAA-MM-JJ/);
    assert.match(report.body, /<p class="hint" id="f-date-hint">Obligatoire pour un consentement\.<\/p>/);
    const action = `/admin/imports/${id}/importer`;
    const consent = await staff.post(action, { mode: 'valid-only', base: 'consent' });
    assert.equal(consent.statusCode, 400);
    assert.match(consent.body, /Saisissez la date à laquelle le consentement a été recueilli/);
    assert.match(consent.body, /Indiquez où le consentement a été recueilli/);
    // A date after today is said with the missing source, in one round, not after it.
    const future = await staff.post(action, { mode: 'valid-only', base: 'consent', date: '2999-01-01' });
    assert.equal(future.statusCode, 400);
    assert.match(future.body, /La date ne peut pas être après aujourd’hui/);
    assert.match(future.body, /Indiquez où le consentement a été recueilli/);
    assert.match(consent.body, /aria-describedby="f-date-hint f-date-error"/);
    const strict = await staff.post(action, { mode: 'all-or-nothing', base: 'legitimate_interest' });
    assert.equal(strict.statusCode, 400);
    assert.match(strict.body, /1 ligne en erreur : en mode « tout ou rien », rien n’est importé/);
    const none = await staff.post(action, {});
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /Choisissez les lignes à importer/);
    assert.match(none.body, /Choisissez une base légale de la liste/);
    assert.doesNotMatch(none.body, /Ce champ est obligatoire/);
    assert.equal((await findBatch(t.kernel.db, id))!.status, 'validated', 'nothing started');
    const ok = await staff.post(action, { mode: 'valid-only', base: 'consent', date: '2020-03-01', source_consent: 'bulletin d’adhésion' });
    assert.equal(ok.statusCode, 303);
    const batch = (await findBatch(t.kernel.db, id))!;
    assert.equal(batch.status, 'queued');
    assert.match(batch.legal_basis!, /bulletin d’adhésion/);
  });

  test('the organisations are imported with the visibility chosen on the mapping step', async () => {
    const sent = await upload('equipe.csv', SMALL_CSV, 'equipe');
    const id = locationOf(sent).split('/')[3]!;
    const mappingUrl = `/admin/imports/${id}/correspondance`;
    const form = formValues((await staff.get(mappingUrl)).body, mappingUrl);
    const bad = await staff.post(mappingUrl, { ...form, visibilite: 'tout-le-monde' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /<p class="field-error" id="f-visibilite-error">Choisissez qui verra les structures importées\.<\/p>/);
    assert.equal((await findBatch(t.kernel.db, id))!.status, 'draft', 'nothing validated');
    assert.equal((await staff.post(mappingUrl, { ...form, visibilite: 'staff' })).statusCode, 303);
    await t.kernel.jobs.runDue();
    const report = await staff.get(`/admin/imports/${id}/rapport`);
    await staff.post(`/admin/imports/${id}/importer`, formValues(report.body, `/admin/imports/${id}/importer`));
    await t.kernel.jobs.runDue();
    assert.equal((await findBatch(t.kernel.db, id))!.status, 'committed');
    const created = await t.kernel.db.selectFrom('organisations').select('visibility').where('import_batch_id', '=', id).execute();
    assert.deepEqual(
      created.map((o) => o.visibility),
      ['staff', 'staff'],
    );
    const again = await staff.get(mappingUrl);
    assert.equal(again.statusCode, 303, 'an imported batch keeps its mapping');
  });

  test('a validation that meets a refusal goes back to the mapping step, which says why', async () => {
    const sent = await upload('change.csv', SMALL_CSV, 'change');
    const id = locationOf(sent).split('/')[3]!;
    const mappingUrl = `/admin/imports/${id}/correspondance`;
    const form = formValues((await staff.get(mappingUrl)).body, mappingUrl);
    assert.equal((await staff.post(mappingUrl, form)).statusCode, 303);
    // The file changes under the batch before the job reads it: its name column is gone.
    const batch = (await findBatch(t.kernel.db, id))!;
    fs.writeFileSync(path.join(uploadsDir(t.config.dataDir), batch.file_path), 'Ville;CP\nBordeaux;33000\n');
    await t.kernel.jobs.runDue();
    const back = (await findBatch(t.kernel.db, id))!;
    assert.equal(back.status, 'draft');
    const report = await staff.get(`/admin/imports/${id}/rapport`);
    assert.equal(report.statusCode, 303);
    assert.equal(locationOf(report), mappingUrl);
    const page = await staff.get(mappingUrl);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<div class="error-summary" role="alert" tabindex="-1">\s*<p>[^<]*Nom structure/);
  });

  test('a field chosen for two columns is refused next to each select, named by its label, linked from the summary', async () => {
    const sent = await upload('deux-cp.csv', SMALL_CSV, 'deux cp');
    const id = locationOf(sent).split('/')[3]!;
    const mappingUrl = `/admin/imports/${id}/correspondance`;
    const page = await staff.get(mappingUrl);
    const form = formValues(page.body, mappingUrl);
    const cp = columnField(page.body, 'CP');
    const ville = columnField(page.body, 'Ville');
    assert.equal(form[cp], 'postcode');
    const refused = await staff.post(mappingUrl, { ...form, [ville]: 'postcode' });
    assert.equal(refused.statusCode, 400);
    assert.equal((await findBatch(t.kernel.db, id))!.status, 'draft', 'nothing validated');
    const cpError = 'Colonne « CP » : le champ « Code postal » est aussi choisi pour « Ville » ; gardez-le pour une seule colonne.';
    const villeError = 'Colonne « Ville » : le champ « Code postal » est aussi choisi pour « CP » ; gardez-le pour une seule colonne.';
    const body = decode(refused.body);
    assert.doesNotMatch(body, /« postcode »/, 'the field is named by its label, not its code');
    const summary = body.slice(body.indexOf('<div class="error-summary"'), body.indexOf('</ul>', body.indexOf('<div class="error-summary"')));
    assert.ok(summary.includes(`<li><a href="#f-${cp}">${cpError}</a></li><li><a href="#f-${ville}">${villeError}</a></li>`), summary);
    for (const [field, message] of [[cp, cpError], [ville, villeError]] as const) {
      assert.ok(body.includes(`<p class="field-error" id="f-${field}-error">${message}</p>`), `${field}: the error next to its select`);
      assert.match(body, new RegExp(`<select id="f-${field}" name="${field}" aria-invalid="true" aria-describedby="f-${field}-error">`));
    }
    assert.doesNotMatch(body, /<select id="f-col_0"[^>]*aria-invalid/, 'the other selects are not marked');

    const english = await t.loginAs('staff', 'alex@example.org');
    await english.post('/langue', { lang: 'en', suite: '/admin/imports' });
    const en = decode((await english.post(mappingUrl, { ...form, [ville]: 'postcode' })).body);
    assert.ok(en.includes(`<a href="#f-${cp}">Column “CP”: the field “Postcode” is also chosen for “Ville”; keep it for one column only.</a>`));

    const noName = decode((await staff.post(mappingUrl, { ...form, col_0: 'ignore' })).body);
    assert.ok(noName.includes('<a href="#f-col_0">Aucune colonne ne donne le nom de la structure : associez une colonne au champ « Nom de la structure ».</a>'), 'without a name column: the first select');
    assert.match(noName, /<select id="f-col_0" name="col_0" aria-invalid="true" aria-describedby="f-col_0-error">/);

    const kind = /<label for="f-(val_\d+_\d+)"><span>Valeur « Association »/.exec(page.body)![1]!;
    const badValue = await staff.post(mappingUrl, { ...form, [kind]: 'x'.repeat(101) });
    assert.equal(badValue.statusCode, 400);
    assert.match(badValue.body, new RegExp(`<a href="#f-${kind}">Choisissez une valeur de la liste\\.</a>`));
    assert.match(badValue.body, new RegExp(`<select id="f-${kind}" name="${kind}" aria-invalid="true" aria-describedby="f-${kind}-error">`), 'a value map’s select is marked too');

    assert.equal((await staff.post(mappingUrl, form)).statusCode, 303, 'the guessed mapping goes through');
  });

  test('a batch that wrote nothing is deleted with its file, report and spill; one that wrote records is undone instead', async () => {
    const auditOf = (id: string) => t.kernel.db.selectFrom('audit_log').select(['action', 'actor_email', 'before']).where('entity_id', '=', id).execute();

    // An upload abandoned after the first step.
    const sent = await upload('abandon.csv', SMALL_CSV, 'abandon');
    const draftId = locationOf(sent).split('/')[3]!;
    const draft = (await findBatch(t.kernel.db, draftId))!;
    const draftFile = path.join(uploadsDir(t.config.dataDir), draft.file_path);
    assert.ok(fs.existsSync(draftFile));
    const list = await staff.get('/admin/imports');
    assert.ok(list.body.includes(`<a href="/admin/imports/${draftId}#supprimer"><span>Supprimer</span><span class="visually-hidden"> abandon.csv</span></a>`), 'the list leads to the deletion');
    const page = await staff.get(`/admin/imports/${draftId}`);
    assert.match(page.body, /<section class="panel" id="supprimer" aria-labelledby="supprimer-titre"><h2 id="supprimer-titre">Supprimer cet import<\/h2>/);
    assert.doesNotMatch(page.body, />Annuler cet import</);
    assert.match(page.body, new RegExp(`<a href="/admin/imports/${draftId}/correspondance">2\\. Correspondance</a>`), 'the draft\'s step bar leads back to its mapping');
    assert.match(page.body, /<span>4\. Import<\/span>/, 'step 4 is neither current nor a link while nothing is written');
    assert.doesNotMatch(page.body, /aria-current="step"/);
    const unconfirmed = await staff.post(`/admin/imports/${draftId}/supprimer`, {});
    assert.equal(unconfirmed.statusCode, 400);
    assert.match(decode(unconfirmed.body), /<a href="#f-confirmer">Cochez « Je confirme la suppression de cet import » pour le supprimer\.<\/a>/);
    assert.match(unconfirmed.body, /<input type="checkbox" id="f-confirmer" name="confirmer" value="1" aria-invalid="true" aria-describedby="f-confirmer-error"\/>/);
    assert.ok(await findBatch(t.kernel.db, draftId), 'nothing deleted without the confirmation');
    const deleted = await staff.post(`/admin/imports/${draftId}/supprimer`, { confirmer: '1' });
    assert.equal(deleted.statusCode, 303);
    assert.equal(locationOf(deleted), '/admin/imports');
    const listed = decode((await staff.get('/admin/imports')).body);
    assert.match(listed, /Import du fichier abandon\.csv supprimé, avec son fichier et son rapport de vérification\./);
    assert.doesNotMatch(listed, new RegExp(draftId));
    assert.equal(await findBatch(t.kernel.db, draftId), undefined);
    assert.ok(!fs.existsSync(draftFile), 'the uploaded file (personal data) is deleted');
    const [entry] = await auditOf(draftId);
    assert.deepEqual([entry?.action, entry?.actor_email], ['import.deleted', 'camille@example.org']);
    assert.deepEqual(JSON.parse(entry!.before!), { status: 'draft', file: 'abandon.csv', source: 'abandon', rows: 0, created_at: draft.created_at });

    // A batch validated, then left: its report and its spill go too.
    const checked = await upload('verifie.csv', `${SMALL_CSV};Association;33000;Bordeaux;\n`, 'verifie');
    const validatedId = locationOf(checked).split('/')[3]!;
    const mappingUrl = `/admin/imports/${validatedId}/correspondance`;
    await staff.post(mappingUrl, formValues((await staff.get(mappingUrl)).body, mappingUrl));
    await t.kernel.jobs.runDue();
    assert.equal((await findBatch(t.kernel.db, validatedId))!.status, 'validated');
    const issues = () => t.kernel.db.selectFrom('import_issues').select('row_number').where('batch_id', '=', validatedId).execute();
    assert.ok((await issues()).length > 0);
    const spill = path.join(t.config.dataDir, 'imports', 'records', `${validatedId}.ndjson`);
    assert.ok(fs.existsSync(spill));
    assert.equal((await staff.post(`/admin/imports/${validatedId}/supprimer`, { confirmer: '1' })).statusCode, 303);
    assert.equal(await findBatch(t.kernel.db, validatedId), undefined);
    assert.deepEqual(await issues(), []);
    assert.ok(!fs.existsSync(spill));

    // Written: refused, said in French; the undo stays the way.
    const committed = await seedBatch(t.kernel, 'ecrit.csv', 'committed');
    const written = await staff.get(`/admin/imports/${committed.id}`);
    assert.doesNotMatch(written.body, /id="supprimer"/);
    assert.match(written.body, />Annuler cet import</);
    const refused = await staff.post(`/admin/imports/${committed.id}/supprimer`, { confirmer: '1' });
    assert.equal(refused.statusCode, 303);
    assert.equal(locationOf(refused), `/admin/imports/${committed.id}`);
    assert.match(decode((await staff.get(locationOf(refused))).body), /Cet import ne peut pas être supprimé dans son état actuel \(Terminé\) : seul un import qui n’a rien écrit se supprime ; un import qui a écrit des fiches s’annule\./);
    assert.equal((await findBatch(t.kernel.db, committed.id))!.status, 'committed');
    assert.equal((await t.kernel.db.selectFrom('organisations').select('id').where('import_batch_id', '=', committed.id).execute()).length, 2);
    assert.deepEqual((await auditOf(committed.id)).map((a) => a.action), ['import.committed'], 'no deletion logged');

    // Failed after its first chunk: written, refused; failed before it: deleted. A file given on
    // the command line is the operator's and stays.
    await t.kernel.db.updateTable('import_batches').set({ status: 'failed' }).where('id', '=', committed.id).execute();
    assert.doesNotMatch((await staff.get(`/admin/imports/${committed.id}`)).body, /id="supprimer"/);
    assert.equal((await staff.post(`/admin/imports/${committed.id}/supprimer`, { confirmer: '1' })).statusCode, 303);
    assert.equal((await findBatch(t.kernel.db, committed.id))!.status, 'failed');
    const stopped = await seedBatch(t.kernel, 'arrete.csv', 'validated');
    await t.kernel.db.updateTable('import_batches').set({ status: 'failed', checkpoint_row: 0 }).where('id', '=', stopped.id).execute();
    const stoppedPage = await staff.get(`/admin/imports/${stopped.id}`);
    assert.match(stoppedPage.body, /id="supprimer"/);
    assert.doesNotMatch(stoppedPage.body, />Annuler cet import</, 'nothing to undo');
    assert.equal((await staff.post(`/admin/imports/${stopped.id}/supprimer`, { confirmer: '1' })).statusCode, 303);
    assert.equal(await findBatch(t.kernel.db, stopped.id), undefined);
    assert.ok(fs.existsSync(stopped.file_path), 'a command-line file is not deleted');
  });

  test('why a file was refused reads in the page’s language, sizes included, before and after the upload', async () => {
    const long = `Nom structure;Ville\nA;Pessac\nB;${'x'.repeat(2 * 1024 * 1024)}\n`;
    const english = await t.loginAs('staff', 'robin@example.org');
    assert.equal((await english.post('/langue', { lang: 'en', suite: '/admin/imports' })).statusCode, 303);
    await english.get('/admin/imports');
    const refused = await english.postMultipart('/admin/imports', {}, [{ field: 'fichier', filename: 'longue.csv', content: Buffer.from(long), type: CSV }]);
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Row 3: this row is larger than 1 MB; the file is probably malformed/);

    // Past the rows the upload reads, the same refusal comes from the validation job: kept on the
    // batch, it is shown to each reader in their language.
    const rows = Array.from({ length: 250 }, (_, i) => `Association ${i};Pessac`).join('\n');
    const sent = await upload('longue-plus-loin.csv', `Nom structure;Ville\n${rows}\nB;${'x'.repeat(2 * 1024 * 1024)}\n`, 'longue');
    assert.equal(sent.statusCode, 303);
    const id = locationOf(sent).split('/')[3]!;
    const mappingUrl = `/admin/imports/${id}/correspondance`;
    assert.equal((await staff.post(mappingUrl, formValues((await staff.get(mappingUrl)).body, mappingUrl))).statusCode, 303);
    await t.kernel.jobs.runDue();
    assert.equal((await findBatch(t.kernel.db, id))!.status, 'draft');
    assert.match((await english.get(mappingUrl)).body, /Row 252: this row is larger than 1 MB/);
    assert.match((await staff.get(mappingUrl)).body, /Ligne 252 : cette ligne dépasse 1 Mo/);
  });
  test('the report reads in the page’s language, down to the rows and fields named inside its messages', async () => {
    const file = [
      'Nom structure;Ville;CP;Thématiques;Prénom contact;Nom contact',
      'Association Baobab;Bordeaux;33000;Éducation et formation;Awa;Diallo',
      `Association Baobab;Bordeaux;33000;Astronomie;${'A'.repeat(120)};Ndiaye`,
    ].join('\n');
    const sent = await upload('rapport-langue.csv', `${file}\n`, 'langue');
    const id = locationOf(sent).split('/')[3]!;
    const mappingUrl = `/admin/imports/${id}/correspondance`;
    assert.equal((await staff.post(mappingUrl, formValues((await staff.get(mappingUrl)).body, mappingUrl))).statusCode, 303);
    await t.kernel.jobs.runDue();
    const english = await t.loginAs('staff', 'sam@example.org');
    await english.post('/langue', { lang: 'en', suite: '/admin' });
    const en = decode((await english.get(`/admin/imports/${id}/rapport`)).body);
    assert.match(en, /Possible duplicate: Association Baobab \(Bordeaux\) \(row 2\)\./);
    assert.match(en, /Themes: unknown “Astronomie”, value ignored\./);
    assert.match(en, /Contact: first name too long \(over 100 characters\), truncated\./);
    assert.doesNotMatch(en, /ligne 2|Thématiques :|prénom/);
    const fr = decode((await staff.get(`/admin/imports/${id}/rapport`)).body);
    assert.match(fr, /Doublon possible : Association Baobab \(Bordeaux\) \(ligne 2\)\./);
    assert.match(fr, /Thématiques : « Astronomie » inconnu\(e\), valeur ignorée\./);
    assert.match(fr, /Contact : prénom trop long \(plus de 100 caractères\), tronqué\./);
  });

  test('a validation whose worker died is shown as stopped, and may be run again', async () => {
    const sent = await upload('mort.csv', SMALL_CSV, 'mort');
    const id = locationOf(sent).split('/')[3]!;
    const mappingUrl = `/admin/imports/${id}/correspondance`;
    const form = formValues((await staff.get(mappingUrl)).body, mappingUrl);
    await staff.post(mappingUrl, form);
    const old = new Date(Date.now() - 11 * 60_000).toISOString();
    await t.kernel.db.updateTable('import_batches').set({ progress_at: old, updated_at: old }).where('id', '=', id).execute();
    const page = await staff.get(`/admin/imports/${id}/rapport`);
    assert.match(page.body, /La vérification s’est arrêtée sans finir/);
    assert.match(page.body, /data-running="0"/);
    assert.doesNotMatch(page.body, />Actualiser</);
    assert.equal((await staff.get(mappingUrl)).statusCode, 200, 'its mapping may be submitted again');
    assert.equal((await staff.post(mappingUrl, form)).statusCode, 303);
    await t.kernel.jobs.runDue();
    assert.equal((await findBatch(t.kernel.db, id))!.status, 'validated');
  });

  test('an undo that would delete data added since the import is refused, naming the organisation in the reader’s language; nothing is deleted', async () => {
    const batch = await seedBatch(t.kernel, 'suivi.csv', 'committed');
    const lune = await t.kernel.db.selectFrom('organisations').select('id').where('import_batch_id', '=', batch.id).where('name', '=', 'Association Lune').executeTakeFirstOrThrow();
    const future = new Date(Date.now() + 60_000).toISOString();
    await t.kernel.db.insertInto('interactions').values({ id: newId(), organisation_id: lune.id, kind: 'meeting', occurred_on: '2026-11-30', author_id: null, text: 'Rencontre', created_at: future }).execute();
    await t.kernel.db.insertInto('memberships').values({ id: newId(), organisation_id: lune.id, year: 2031, status: 'paid', fee_cents: 5000, created_at: future }).execute();
    const french =
      'Cet import ne peut pas être annulé : 1 fiche qu’il a créée a reçu des données depuis l’import, que l’annulation supprimerait — « Association Lune » (échanges, adhésions saisies depuis). ' +
      'Rien n’a été supprimé. Retirez ou déplacez d’abord ces données (ou fusionnez ces fiches avec une autre), puis annulez l’import.';
    const english =
      'This import cannot be undone: 1 record it created received data since the import, which undoing would delete — “Association Lune” (interactions, memberships entered since). ' +
      'Nothing was deleted. Remove or move that data first (or merge these records into another), then undo the import.';
    const flashed = (text: string) => `<div class="flash flash-error" role="alert">${text}</div>`;
    const confirm = await staff.get(`/admin/imports/${batch.id}/annuler`);
    assert.equal(confirm.statusCode, 200);
    assert.ok(confirm.body.includes(flashed(french)), 'said before confirming');
    assert.doesNotMatch(confirm.body, /Oui, annuler l’import/);
    const englishConfirm = await staff.get(`/admin/imports/${batch.id}/annuler`, { 'accept-language': 'en' });
    assert.ok(englishConfirm.body.includes(flashed(english)), 'in English for an English reader, what the record received included');
    const englishRefused = await staff.request('POST', `/admin/imports/${batch.id}/annuler`, {
      payload: new URLSearchParams({ _csrf: await staff.csrf() }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
    });
    assert.equal(englishRefused.statusCode, 303);
    assert.ok((await staff.get(locationOf(englishRefused), { 'accept-language': 'en' })).body.includes(flashed(english)), 'the refusal after the post too');
    const refused = await staff.post(`/admin/imports/${batch.id}/annuler`);
    assert.equal(refused.statusCode, 303);
    const page = await staff.get(locationOf(refused));
    assert.ok(page.body.includes(flashed(french)));
    assert.equal((await findBatch(t.kernel.db, batch.id))!.status, 'committed');
    assert.equal((await t.kernel.db.selectFrom('organisations').select('id').where('import_batch_id', '=', batch.id).execute()).length, 2);
  });

  test('bad files are refused on the upload page, in French, with the row', async () => {
    const cases: [string, Buffer | string, RegExp][] = [
      ['vide.csv', '', /Le fichier est vide/],
      ['binaire.csv', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), /contenu est binaire/],
      ['entete.csv', 'Nom structure;CP;Ville\r\n', /aucune ligne de données/],
      ['guillemet.csv', 'nom;ville\nA;Pessac\nB;Talence\n"C;Bègles\nD;Cenon\n', /Ligne 4 : un guillemet ouvert n’est jamais fermé/],
      ['longue.csv', `nom;description\nA;courte\nB;${'x'.repeat(10 * 1024 * 1024)}\nC;fin\n`, /Ligne 3 : cette ligne dépasse 1 Mo/],
    ];
    for (const [name, content, message] of cases) {
      const res = await upload(name, content);
      assert.equal(res.statusCode, 400, name);
      assert.match(res.body, message, name);
      assert.match(res.body, /<p class="field-error" id="f-fichier-error">/, `${name}: next to the file field`);
    }
    const missing = await staff.postMultipart('/admin/imports', { source: 'rien' }, []);
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /Choisissez un fichier CSV ou XLSX/);
    const badSource = await upload('ok.csv', SMALL_CSV, 'nom/avec?barre');
    assert.equal(badSource.statusCode, 400);
    assert.match(badSource.body, /Le nom de la source compte de 1 à 80 caractères/);
  });

  test('a file over the cap gets a French 413 and nothing is kept', async () => {
    const saved = uploadCap.bytes;
    uploadCap.bytes = 64 * 1024;
    try {
      const before = await t.kernel.db.selectFrom('import_batches').select('id').execute();
      const big = `Nom structure;Ville\n${'Association Trop Grande;Bordeaux\n'.repeat(3000)}`;
      const res = await upload('trop-gros.csv', big);
      assert.equal(res.statusCode, 413);
      assert.match(res.body, /Le fichier dépasse la taille maximale d’un import \(64 ko\)/);
      const tmp = path.join(t.config.dataDir, 'tmp');
      assert.deepEqual(fs.existsSync(tmp) ? fs.readdirSync(tmp) : [], [], 'the partial upload is removed');
      assert.equal((await t.kernel.db.selectFrom('import_batches').select('id').execute()).length, before.length);
      const fits = await upload('juste.csv', SMALL_CSV);
      assert.equal(fits.statusCode, 303, 'a file under the cap still goes through');
    } finally {
      uploadCap.bytes = saved;
    }
  });

  test('members and visitors are kept out', async () => {
    const member = await t.loginAs('member');
    assert.equal((await member.get('/admin/imports')).statusCode, 403);
    assert.equal((await t.client().get('/admin/imports')).statusCode, 302);
  });
});
