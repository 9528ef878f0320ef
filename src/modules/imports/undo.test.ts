import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { forEachDialect, type TestDb, testDb } from '../../../test/helpers/db.js';
import type { Clock } from '../../kernel/clock.js';
import { newId } from '../../kernel/ids.js';
import { batchFailure, batchFailureText } from './errors.js';
import { createBatch, findBatch, type ImportDeps, ImportError, inspectFile, queueCommit, runCommit, undoBatch, validateBatch } from './index.js';
import { laterDataList } from './undo.js';

const actor = { id: null, email: null };
const LEGAL = { basis: 'legitimate_interest' as const, detail: 'Membre d’un réseau prédécesseur', date: '2016-09-01' };
/** Five organisations, each with its contact, all members in 2016 (the import writes their memberships). */
const CSV = [
  'Réf;Nom structure;CP;Ville;Contact;Courriel contact;Adhérent 2016',
  'R1;Association Lune;33000;Bordeaux;Awa Diop;awa@example.org;oui',
  'R2;Collectif Soleil;47000;Agen;Jean Martin;jean@example.org;oui',
  'R3;Réseau Étoile;33600;Pessac;Léa Petit;lea@example.org;oui',
  'R4;Maison Comète;33400;Talence;Paul Roux;paul@example.org;oui',
  'R5;Atelier Nébuleuse;33130;Bègles;Inès Blanc;ines@example.org;oui',
  '',
].join('\n');

/** A clock `minutes` ahead of the real one (a run not moved since then is taken for dead). */
function later(minutes: number): Clock {
  return { now: () => new Date(Date.now() + minutes * 60_000) };
}

async function refusal(promise: Promise<unknown>): Promise<ImportError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ImportError, String(error));
    return error;
  }
  assert.fail('expected a refusal');
}

forEachDialect('imports: undo refuses to delete later data; an undone batch stops its commit', (dialect) => {
  let db: TestDb;
  let deps: ImportDeps;
  let file: string;

  before(async () => {
    db = await testDb(dialect);
    deps = { db: db.db, dialect, sqlite: db.sqlite, clock: { now: () => new Date() }, dataDir: db.dataDir };
    file = path.join(db.dataDir, 'cinq.csv');
    fs.writeFileSync(file, CSV);
  });
  after(() => db.close());

  async function validated(source: string): Promise<string> {
    const inspection = await inspectFile(deps, file, fs.statSync(file).size);
    const batch = await createBatch(deps, actor, { filePath: file, fileName: 'cinq.csv', sourceName: source, inspection });
    await validateBatch(deps, batch.id);
    await queueCommit(deps, batch.id, { mode: 'valid-only', legalBasis: LEGAL, inline: true });
    return batch.id;
  }

  const orgId = async (batchId: string, name: string) =>
    (await db.db.selectFrom('organisations').select('id').where('import_batch_id', '=', batchId).where('name', '=', name).executeTakeFirstOrThrow()).id;
  const countOf = async (batchId: string) => (await db.db.selectFrom('organisations').select('id').where('import_batch_id', '=', batchId).execute()).length;

  test('undo is refused, naming each record and what it received in the reader’s language, while interactions, memberships, people or consents were added since; nothing is deleted', async () => {
    const batchId = await validated('later-data');
    await runCommit(deps, actor, batchId);
    assert.equal(await countOf(batchId), 5);
    const imported = await db.db.selectFrom('memberships').select('id').where('organisation_id', '=', await orgId(batchId, 'Réseau Étoile')).execute();
    assert.equal(imported.length, 1, 'the import wrote a 2016 membership (which alone does not block the undo)');

    const lune = await orgId(batchId, 'Association Lune');
    const soleil = await orgId(batchId, 'Collectif Soleil');
    const comete = await orgId(batchId, 'Maison Comète');
    const future = new Date(Date.now() + 60_000).toISOString();
    const interaction = newId();
    await db.db.insertInto('interactions').values({ id: interaction, organisation_id: lune, kind: 'call', occurred_on: '2026-11-30', author_id: null, text: 'Appel de suivi', created_at: future }).execute();
    const membership = newId();
    await db.db.insertInto('memberships').values({ id: membership, organisation_id: soleil, year: 2017, status: 'paid', fee_cents: 5000, created_at: future }).execute();
    const luneMembership = newId();
    await db.db.insertInto('memberships').values({ id: luneMembership, organisation_id: lune, year: 2018, status: 'paid', fee_cents: 5000, created_at: future }).execute();
    const awa = (await db.db.selectFrom('contacts').select('id').where('import_batch_id', '=', batchId).where('last_name', '=', 'Diop').executeTakeFirstOrThrow()).id;
    const consent = newId();
    await db.db
      .insertInto('consents')
      .values({ id: consent, contact_id: awa, purpose: 'newsletter', basis: 'consent', event: 'given', source: 'web_form', detail: null, ip: null, recorded_by: null, at: future })
      .execute();
    const person = newId();
    await db.db.insertInto('contacts').values({ id: person, civility: null, last_name: 'Nouvelle', first_name: 'Zoé', phone: null, notes: null, public_profile: 0, source: 'manual', import_batch_id: null, erased_at: null, created_at: future, updated_at: future }).execute();
    await db.db.insertInto('contact_roles').values({ contact_id: person, organisation_id: comete, function: 'Présidente', is_main: 0 }).execute();

    const error = await refusal(undoBatch(deps, actor, batchId));
    assert.equal(error.key, 'imports.error.undoLaterData');
    // Each record with what it received; records with only their imported data (Réseau Étoile, Atelier Nébuleuse) are not named.
    const french =
      'Cet import ne peut pas être annulé : 4 fiches qu’il a créées ont reçu des données depuis l’import, que l’annulation supprimerait — ' +
      '« Maison Comète » (contacts ou rôles ajoutés depuis) ; « Association Lune » (échanges, adhésions saisies depuis) ; « Collectif Soleil » (adhésions saisies depuis) ; contact « Awa Diop » (consentements recueillis depuis). ' +
      'Rien n’a été supprimé. Retirez ou déplacez d’abord ces données (ou fusionnez ces fiches avec une autre), puis annulez l’import.';
    const english =
      'This import cannot be undone: 4 records it created received data since the import, which undoing would delete — ' +
      '“Maison Comète” (contacts or roles added since); “Association Lune” (interactions, memberships entered since); “Collectif Soleil” (memberships entered since); contact “Awa Diop” (consents recorded since). ' +
      'Nothing was deleted. Remove or move that data first (or merge these records into another), then undo the import.';
    assert.equal(error.message, french);
    assert.equal(error.text('fr'), french);
    assert.equal(error.text('en'), english, 'the whole refusal in the reader’s language, what each record received included');
    const kept = batchFailure(error);
    assert.deepEqual([batchFailureText(kept, 'fr'), batchFailureText(kept, 'en')], [french, english], 'and so once stored');
    assert.equal(await countOf(batchId), 5, 'nothing deleted');
    assert.equal((await findBatch(db.db, batchId))!.status, 'committed');
    assert.ok(await db.db.selectFrom('interactions').select('id').where('id', '=', interaction).executeTakeFirst());

    // Once that data is moved away, the undo goes through.
    await db.db.deleteFrom('interactions').where('id', '=', interaction).execute();
    await db.db.deleteFrom('memberships').where('id', 'in', [membership, luneMembership]).execute();
    await db.db.deleteFrom('consents').where('id', '=', consent).execute();
    await db.db.deleteFrom('contact_roles').where('contact_id', '=', person).execute();
    const removed = await undoBatch(deps, actor, batchId);
    assert.deepEqual(removed, { organisations: 5, contacts: 5 });
    assert.equal((await findBatch(db.db, batchId))!.status, 'undone');
    assert.ok(await db.db.selectFrom('contacts').select('id').where('id', '=', person).executeTakeFirst(), 'the person added by hand stays');
  });

  test('a batch undone while its commit runs stops that commit: nothing more is written, the undo stands', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => `B${i};Association numéro ${i};33000;Bordeaux;;;non`);
    const big = path.join(db.dataDir, 'cent-vingt.csv');
    fs.writeFileSync(big, [CSV.split('\n')[0], ...rows, ''].join('\n'));
    const inspection = await inspectFile(deps, big, fs.statSync(big).size);
    const batchId = (await createBatch(deps, actor, { filePath: big, fileName: 'cent-vingt.csv', sourceName: 'race', inspection })).id;
    await validateBatch(deps, batchId);
    await queueCommit(deps, batchId, { mode: 'valid-only', legalBasis: LEGAL, inline: true });
    // Once the first chunk is written, someone undoes the batch, taking the run for dead (no
    // progress for 11 minutes by their clock); the commit goes on meanwhile, chunk after chunk.
    let undo: Promise<{ organisations: number; contacts: number }> | null = null;
    const error = await refusal(
      runCommit(deps, actor, batchId, {
        chunkRows: 1,
        onProgress: () => {
          undo ??= undoBatch({ ...deps, clock: later(11) }, actor, batchId);
        },
      }),
    );
    assert.equal(error.key, 'imports.error.batchStopped');
    assert.match(error.message, /annulé pendant son écriture/);
    const removed = await undo!;
    assert.ok(removed.organisations >= 1);
    const batch = (await findBatch(db.db, batchId))!;
    assert.equal(batch.status, 'undone', 'the commit marked the batch neither failed nor committed');
    assert.ok(batch.checkpoint_row < 121, `the commit stopped (checkpoint ${batch.checkpoint_row})`);
    assert.equal(await countOf(batchId), 0, 'what was written before the undo went with it; nothing was written after');
  });

  test('an undone batch is not committed by a job that comes late', async () => {
    const batchId = await validated('late-job');
    await undoBatch(deps, actor, batchId);
    const error = await refusal(runCommit(deps, actor, batchId));
    assert.equal(error.key, 'imports.error.cannotCommit');
    assert.equal((await findBatch(db.db, batchId))!.status, 'undone');
    assert.equal(await countOf(batchId), 0);
  });
});

test('a refusal naming many records names the first ten, then “…”; a table with no label is named as it is', () => {
  const found = Array.from({ length: 12 }, (_, i) => ({ kind: 'organisation' as const, id: `o${i}`, name: `Structure ${i + 1}`, table: i === 0 ? 'new_things' : 'registrations' }));
  const error = new ImportError('imports.error.undoLaterData', laterDataList(found));
  const named = (open: string, close: string, registrations: string) =>
    [`${open}Structure 1${close} (new_things)`, ...Array.from({ length: 9 }, (_, i) => `${open}Structure ${i + 2}${close} (${registrations})`)];
  assert.ok(error.text('fr').includes(`— ${[...named('« ', ' »', 'inscriptions'), '…'].join('\u202f; ')}. Rien`), error.text('fr'));
  assert.ok(error.text('en').includes(`— ${[...named('“', '”', 'registrations'), '…'].join('; ')}. Nothing`), error.text('en'));
  assert.match(error.text('en'), /^This import cannot be undone: 12 records it created/);
});
