import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { testApp } from '../../../test/helpers/app.js';
import { forEachDialect, type TestDb, testDb } from '../../../test/helpers/db.js';
import { PROBLEMS_CSV, reportOf } from '../../../test/helpers/import-batches.js';
import { sharedDir } from '../../../test/helpers/paths.js';
import * as pastMembershipMigration from '../../db/migrations/2026-12-02T1600_import_past_membership.js';
import { systemClock } from '../../kernel/clock.js';
import { DEPARTMENT_CENTRES } from '../../kernel/geo/department-centres.js';
import { translator } from '../../kernel/i18n/index.js';
import { mergeOrganisations, undoMerge } from '../merge/index.js';
import { contactSortNameOf, parseDirectoryQuery, searchDirectory, sortNameOf } from '../organisations/index.js';
import {
  createBatch,
  type DuplicateFinder,
  findBatch,
  type ImportDeps,
  ImportError,
  ImportInterrupted,
  type ImportMode,
  importDeps,
  inspectFile,
  type MappingDocument,
  progressOf,
  queueCommit,
  runCommit,
  setBatchMapping,
  setBatchReading,
  undoBatch,
  validateBatch,
} from './index.js';
import { startValidation } from './batches.js';
import { refreshStatistics } from './commit.js';
import { batchFailureText } from './errors.js';
import { progressText } from './views-wizard.js';
import { undoBlockers } from './undo.js';
import { updateBatch } from './repo.js';

const actor = { id: null, email: null };
const CAPCOOP = sharedDir('samples/predecessors/capcoop_export_2016.csv');
const RESODI = sharedDir('samples/predecessors/resodi_export_2016.csv');
const LEGAL = { basis: 'legitimate_interest' as const, detail: 'Membre d’un réseau prédécesseur, informé le 2016-09-01', date: '2016-09-01' };

/** The wizard's steps in a row: upload, (mapping), validation, commit. */
async function importFile(
  deps: ImportDeps,
  file: string,
  options: { source?: string; mode?: ImportMode; mapping?: MappingDocument; chunkRows?: number; afterChunkWrite?: (i: number) => void | Promise<void>; onWait?: () => void } = {},
) {
  const inspection = await inspectFile(deps, file, fs.statSync(file).size);
  const batch = await createBatch(deps, actor, { filePath: file, fileName: path.basename(file), sourceName: options.source ?? path.basename(file, '.csv'), inspection });
  if (options.mapping) await setBatchMapping(deps, batch.id, options.mapping);
  const summary = await validateBatch(deps, batch.id);
  await queueCommit(deps, batch.id, { mode: options.mode ?? 'valid-only', legalBasis: LEGAL, inline: true });
  const done = await runCommit(deps, actor, batch.id, { chunkRows: options.chunkRows, afterChunkWrite: options.afterChunkWrite, onWait: options.onWait });
  return { batch: done, summary, inspection };
}

forEachDialect('imports: the two predecessor files', (dialect) => {
  let db: TestDb;
  let deps: ImportDeps;
  const batches: Record<string, string> = {};

  before(async () => {
    db = await testDb(dialect);
    deps = { db: db.db, dialect, sqlite: db.sqlite, clock: systemClock, dataDir: db.dataDir };
    const capcoop = await importFile(deps, CAPCOOP, { source: 'capcoop' });
    const resodi = await importFile(deps, RESODI, { source: 'resodi' });
    batches['capcoop'] = capcoop.batch.id;
    batches['resodi'] = resodi.batch.id;
  });
  after(() => db.close());

  test('every row becomes an organisation with its contact, and the batch says so', async () => {
    const capcoop = (await findBatch(db.db, batches['capcoop']!))!;
    assert.deepEqual(
      { status: capcoop.status, total: capcoop.total_rows, organisations: capcoop.created_organisations, contacts: capcoop.created_contacts, checkpoint: capcoop.checkpoint_row },
      { status: 'committed', total: 1418, organisations: 1418, contacts: 1418, checkpoint: 1419 },
    );
    assert.deepEqual(progressOf(capcoop).percent, 100);
    const resodi = (await findBatch(db.db, batches['resodi']!))!;
    assert.equal(resodi.created_organisations, 1151);
    const orgs = await db.db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(orgs.n), 2569);
    // The records kept between validation and commit are removed once committed.
    const kept = path.join(db.dataDir, 'imports', 'records');
    assert.deepEqual(fs.existsSync(kept) ? fs.readdirSync(kept) : [], []);
  });

  test('after a large import, the planner’s statistics of every table it wrote are fresh; a small one leaves them to the database', async () => {
    const tables = ['organisations', 'organisation_themes', 'organisation_countries', 'memberships', 'contacts', 'contact_emails', 'contact_roles', 'consents'];
    const analysed = async (): Promise<string[]> => {
      if (dialect === 'sqlite') {
        const rows = await sql<{ tbl: string }>`select distinct tbl from sqlite_stat1`.execute(db.db).catch(() => ({ rows: [] as { tbl: string }[] }));
        return rows.rows.map((r) => r.tbl).filter((t) => tables.includes(t)).sort();
      }
      const rows = await sql<{ relname: string }>`select relname from pg_stat_user_tables where last_analyze is not null`.execute(db.db);
      return rows.rows.map((r) => r.relname).filter((t) => tables.includes(t)).sort();
    };
    assert.equal(await refreshStatistics(deps, { created_organisations: 4999 }), false, 'below 5,000 organisations: not run');
    assert.equal(await refreshStatistics(deps, { created_organisations: 5000 }), true);
    // PostgreSQL's counters are written by the server a moment after the statement.
    for (let i = 0; i < 50 && (await analysed()).length < tables.length; i++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(await analysed(), [...tables].sort());
  });

  test('kinds come from both files’ own codes', async () => {
    const kinds = await db.db.selectFrom('organisations').select(['kind_code']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy('kind_code').orderBy('kind_code').execute();
    assert.deepEqual(
      Object.fromEntries(kinds.map((k) => [k.kind_code, Number(k.n)])),
      { association: 879 + 702, company: 93 + 80, education_research: 128 + 103, local_authority: 167 + 138, popular_education: 96 + 86, public_body: 55 + 42 },
    );
  });

  test('a capcoop row: commune, phone, countries, themes, identifiers, membership, contact and legal basis', async () => {
    const o = await db.db.selectFrom('organisations').selectAll().where('source_ref', '=', 'CAP-00179').executeTakeFirstOrThrow();
    assert.equal(o.name, 'Collectif Entraide Astaffort');
    assert.equal(o.kind_code, 'association');
    assert.deepEqual([o.commune_code, o.commune_name, o.department_code, o.postcode], ['47015', 'Astaffort', '47', '47220']);
    // On the map at once, at its département's centre (approximate), until its geocoding job runs.
    assert.deepEqual([Number(o.latitude), Number(o.longitude), o.geo_precision], [DEPARTMENT_CENTRES['47']!.lat, DEPARTMENT_CENTRES['47']!.lng, 'department']);
    assert.equal(o.phone, '+33560869965');
    assert.equal(o.email, 'info@collectif-entraide-astaffort.fr');
    assert.equal(o.rna, 'W047091896');
    // « Adhérent 2016 » = oui, imported in a later year: its 2016 membership (below), not a current member.
    assert.equal(o.is_member, 0);
    assert.deepEqual([o.source, o.import_batch_id, o.source_file, o.source_row], ['import', batches['capcoop'], 'capcoop_export_2016.csv', 2]);
    assert.equal(o.sort_name, sortNameOf(o.name));
    const countries = await db.db.selectFrom('organisation_countries').select('country_code').where('organisation_id', '=', o.id).execute();
    assert.deepEqual(countries.map((c) => c.country_code), ['BJ']);
    const themes = await db.db.selectFrom('organisation_themes').select('theme_code').where('organisation_id', '=', o.id).orderBy('theme_code').execute();
    assert.deepEqual(themes.map((t) => t.theme_code), ['energy', 'environment_climate', 'water_sanitation']);
    const memberships = await db.db.selectFrom('memberships').select(['year', 'status']).where('organisation_id', '=', o.id).execute();
    assert.deepEqual(memberships, [{ year: 2016, status: 'paid' }]);

    const role = await db.db.selectFrom('contact_roles').selectAll().where('organisation_id', '=', o.id).executeTakeFirstOrThrow();
    assert.equal(role.function, 'Élue à la coopération');
    const contact = await db.db.selectFrom('contacts').selectAll().where('id', '=', role.contact_id).executeTakeFirstOrThrow();
    assert.deepEqual([contact.first_name, contact.last_name, contact.source, contact.source_ref, contact.source_row], ['Moussa', 'LEFÈVRE', 'import', 'CAP-00179', 2]);
    const emails = await db.db.selectFrom('contact_emails').select(['email', 'is_primary']).where('contact_id', '=', contact.id).execute();
    assert.deepEqual(emails, [{ email: 'moussa.lefevre@collectif-entraide-astaffort.fr', is_primary: 1 }]);
    const consents = await db.db.selectFrom('consents').selectAll().where('contact_id', '=', contact.id).execute();
    assert.equal(consents.length, 1);
    assert.deepEqual(
      [consents[0]!.purpose, consents[0]!.basis, consents[0]!.event, consents[0]!.source, consents[0]!.detail, consents[0]!.at.slice(0, 10)],
      ['contact_database', 'legitimate_interest', 'informed', 'import', LEGAL.detail, '2016-09-01'],
    );
  });

  test('a membership column naming a past year records that year’s memberships, and makes no current member; one without a year does', async () => {
    assert.ok(systemClock.now().getUTCFullYear() > 2016);
    const capcoop = await db.db
      .selectFrom('organisations as o')
      .leftJoin('memberships as m', 'm.organisation_id', 'o.id')
      .select(['o.is_member', 'm.year', 'm.status'])
      .where('o.import_batch_id', '=', batches['capcoop']!)
      .execute();
    assert.equal(capcoop.length, 1418, 'one membership at most per organisation');
    assert.equal(capcoop.filter((o) => o.is_member === 1).length, 0, 'no « Adhérent 2016 » row makes a member in a later year');
    assert.deepEqual(capcoop.filter((o) => o.year !== null).map((o) => [o.year, o.status]), Array.from({ length: 552 }, () => [2016, 'paid']), 'one 2016 membership per « oui »');
    const resodi = await db.db.selectFrom('organisations').select('is_member').where('import_batch_id', '=', batches['resodi']!).where('is_member', '=', 1).execute();
    assert.equal(resodi.length, 478, '« cotisation_a_jour » = 1 (no year): current members');
    const resodiMemberships = await db.db.selectFrom('memberships as m').innerJoin('organisations as o', 'o.id', 'm.organisation_id').select('m.id').where('o.import_batch_id', '=', batches['resodi']!).execute();
    assert.equal(resodiMemberships.length, 0, 'no year: no membership recorded');
  });

  test('a resodi row: upper-case commune, phone with dots, countries by ";", themes by "|", full-name contact', async () => {
    const o = await db.db.selectFrom('organisations').selectAll().where('source_ref', '=', 'R00657').executeTakeFirstOrThrow();
    assert.deepEqual([o.kind_code, o.commune_code, o.commune_name, o.phone, o.website, o.is_member], ['association', '33528', 'Le Temple', '+33520336465', 'http://cltc.org', 1]);
    const themes = await db.db.selectFrom('organisation_themes').select('theme_code').where('organisation_id', '=', o.id).orderBy('theme_code').execute();
    assert.deepEqual(themes.map((t) => t.theme_code), ['agriculture_food', 'global_citizenship', 'local_governance']);
    const other = await db.db.selectFrom('organisations').select('id').where('source_ref', '=', 'R01097').executeTakeFirstOrThrow();
    const countries = await db.db.selectFrom('organisation_countries').select('country_code').where('organisation_id', '=', other.id).orderBy('country_code').execute();
    assert.deepEqual(countries.map((c) => c.country_code), ['MG', 'TN']);
    const contact = await db.db
      .selectFrom('contacts as c')
      .innerJoin('contact_roles as r', 'r.contact_id', 'c.id')
      .select(['c.first_name', 'c.last_name', 'r.function'])
      .where('r.organisation_id', '=', o.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(contact, { first_name: 'Inès', last_name: 'Traoré', function: 'Président·e' });
  });

  test('imported contacts get the back office’s sort key: capcoop’s « ANDRÉ » and resodi’s « André » are filed together, by first name', async () => {
    const contacts = await db.db.selectFrom('contacts').select(['id', 'first_name', 'last_name', 'sort_name']).orderBy('sort_name').orderBy('id').execute();
    const wrong = contacts.find((c) => c.sort_name !== contactSortNameOf(c));
    assert.equal(wrong, undefined, 'every imported contact has the key the back office writes');
    const andre = contacts.filter((c) => sortNameOf(c.last_name) === 'andre');
    assert.ok(andre.some((c) => c.last_name === 'ANDRÉ') && andre.some((c) => c.last_name === 'André'), 'both spellings are in the files');
    // In the list's order they come in one run, first names in French order whatever the surname's case.
    const start = contacts.indexOf(andre[0]!);
    assert.deepEqual(contacts.slice(start, start + andre.length), andre);
    const firstNames = andre.map((c) => sortNameOf(c.first_name ?? ''));
    assert.deepEqual(firstNames, [...firstNames].sort());
    const shown = andre.map((c) => c.first_name);
    assert.ok(shown.indexOf('Aïssatou') < shown.indexOf('Aurélie') && shown.indexOf('Céline') < shown.indexOf('Chloé'));
  });

  test('all communes found, phones in E.164, websites canonical; bad identifiers kept as written and flagged', async () => {
    const all = await db.db.selectFrom('organisations').select(['commune_code', 'department_code', 'phone', 'website', 'siren', 'siret', 'source_flags']).execute();
    assert.ok(all.every((o) => o.commune_code && o.department_code));
    assert.ok(all.every((o) => o.phone === null || /^\+33[1-9]\d{8}$/.test(o.phone)));
    assert.ok(all.every((o) => o.website === null || /^https?:\/\/[a-z0-9.-]+\.[a-z]+(\/|$)/.test(o.website)));
    const flagged = all.filter((o) => o.source_flags);
    assert.equal(flagged.length, 18);
    assert.ok(flagged.every((o) => ['["siren"]', '["siret"]'].includes(o.source_flags!)));
    assert.ok(all.filter((o) => !o.source_flags && o.siren).every((o) => /^\d{9}$/.test(o.siren!)));
    assert.ok(all.filter((o) => !o.source_flags && o.siret).every((o) => /^\d{14}$/.test(o.siret!) && o.siren === o.siret!.slice(0, 9)));
    const raw = await db.db.selectFrom('organisations').select(['siren', 'source_flags']).where('source_ref', '=', 'R00804').executeTakeFirstOrThrow();
    assert.deepEqual(raw, { siren: '350 520 350', source_flags: '["siren"]' });
  });

  test('the report lists each warning with its row, in French, as CSV for Excel', async () => {
    const report = await reportOf(deps, batches['resodi']!);
    assert.ok(report.startsWith('\uFEFFligne;référence;niveau;champ;valeur lue;message\r\n'));
    assert.match(report, /\r\n38;R00804;avertissement;SIREN ou SIRET;350 520 350;SIREN « 350 520 350 » invalide \(format ou clé de contrôle\) : gardé tel quel et signalé\.\r\n/);
    assert.equal(report.trim().split('\r\n').length, 1 + 6);
  });

  test('imported organisations are found by the search (full-text index and directory)', async () => {
    const count =
      dialect === 'sqlite'
        ? await sql<{ n: number }>`select count(*) as n from organisations_fts where organisations_fts match '"astaffort"*'`.execute(db.db)
        : await sql<{ n: number }>`select count(*) as n from organisations where search_vector @@ to_tsquery('simple', 'astaffort:*')`.execute(db.db);
    const expected = await db.db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).where('search_text', 'like', '%astaffort%').executeTakeFirstOrThrow();
    assert.ok(Number(expected.n) >= 1);
    assert.equal(Number(count.rows[0]!.n), Number(expected.n));
    const query = parseDirectoryQuery({ q: 'Collectif Entraide Astaffort' }, 'admin');
    const page = await searchDirectory(db.db, dialect, query.filter, query.tokens);
    assert.ok(page.rows.some((r) => r.source_ref === 'CAP-00179'));
  });

  test('the same records imported again from the same source create nothing', async () => {
    const again = await importFile(deps, CAPCOOP, { source: 'capcoop' });
    assert.deepEqual([again.batch.created_organisations, again.batch.created_contacts, again.batch.skipped_rows], [0, 0, 1418]);
    // Running a committed batch once more is a no-op.
    const rerun = await runCommit(deps, actor, batches['capcoop']!);
    assert.equal(rerun.created_organisations, 1418);
    const orgs = await db.db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(orgs.n), 2569);
  });

  test('undo removes what the batch created, and only that, and is audited', async () => {
    const capcoopContacts = await db.db.selectFrom('contacts').select('id').where('import_batch_id', '=', batches['capcoop']!).execute();
    const removed = await undoBatch(deps, actor, batches['capcoop']!);
    assert.deepEqual(removed, { organisations: 1418, contacts: 1418 });
    const left = await db.db.selectFrom('organisations').select(['import_batch_id']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy('import_batch_id').execute();
    assert.deepEqual(left.map((l) => [l.import_batch_id, Number(l.n)]), [[batches['resodi'], 1151]]);
    const orphans = await db.db.selectFrom('consents').select('id').where('contact_id', 'in', capcoopContacts.slice(0, 500).map((c) => c.id)).execute();
    assert.equal(orphans.length, 0);
    const memberships = await db.db.selectFrom('memberships').select('id').execute();
    assert.equal(memberships.length, 0);
    assert.equal((await findBatch(db.db, batches['capcoop']!))!.status, 'undone');
    const audit = await db.db.selectFrom('audit_log').select(['action', 'after']).where('entity_id', '=', batches['capcoop']!).orderBy('at').execute();
    assert.deepEqual(audit.map((a) => a.action), ['import.committed', 'import.undone']);
    await assert.rejects(undoBatch(deps, actor, batches['capcoop']!), (e: unknown) => e instanceof ImportError && e.message === 'Cet import a déjà été annulé.');
  });
});

forEachDialect('imports: a membership column and the current member flag', (dialect) => {
  let db: TestDb;
  let file: string;
  const at = (iso: string): ImportDeps => ({ db: db.db, dialect, sqlite: db.sqlite, clock: { now: () => new Date(iso) }, dataDir: db.dataDir });
  /** Each organisation of a batch: its name, current member flag and memberships. */
  const written = async (batchId: string) => {
    const rows = await db.db
      .selectFrom('organisations as o')
      .leftJoin('memberships as m', 'm.organisation_id', 'o.id')
      .select(['o.name', 'o.is_member', 'm.year', 'm.status'])
      .where('o.import_batch_id', '=', batchId)
      .orderBy('o.name')
      .execute();
    return rows.map((r) => [r.name, r.is_member, r.year === null ? null : `${r.year} ${r.status}`]);
  };

  before(async () => {
    db = await testDb(dialect);
    file = path.join(db.dataDir, 'adhesions-2016.csv');
    fs.writeFileSync(file, 'Réf;Nom structure;Ville;Adhérent 2016\nM1;Association Nébuleuse;Bordeaux;oui\nM2;Collectif Comète;Agen;non\n');
  });
  after(() => db.close());

  test('« Adhérent 2016 » read in 2026: the 2016 membership only; read in 2016: a current member too; again from the same source: nothing more', async () => {
    const later = await importFile(at('2026-03-02T09:00:00.000Z'), file, { source: 'adhesions-2026' });
    assert.equal(later.inspection.guessed.membershipYear, 2016);
    assert.deepEqual(await written(later.batch.id), [['Association Nébuleuse', 0, '2016 paid'], ['Collectif Comète', 0, null]]);
    const again = await importFile(at('2026-03-02T10:00:00.000Z'), file, { source: 'adhesions-2026' });
    assert.deepEqual([again.batch.created_organisations, again.batch.skipped_rows], [0, 2]);
    assert.equal((await db.db.selectFrom('memberships').select('id').execute()).length, 1, 'no membership written twice');

    const then = await importFile(at('2016-06-01T09:00:00.000Z'), file, { source: 'adhesions-2016' });
    assert.deepEqual(await written(then.batch.id), [['Association Nébuleuse', 1, '2016 paid'], ['Collectif Comète', 0, null]]);
  });

  test('a person’s choice over the year: a current member whatever the year, or never one', async () => {
    const inspection = await inspectFile(at('2026-03-02T09:00:00.000Z'), file, fs.statSync(file).size);
    const yes = await importFile(at('2026-03-02T09:00:00.000Z'), file, { source: 'adhesions-oui', mapping: { ...inspection.guessed, membershipCurrent: true } });
    assert.deepEqual(await written(yes.batch.id), [['Association Nébuleuse', 1, '2016 paid'], ['Collectif Comète', 0, null]]);
    const no = await importFile(at('2016-06-01T09:00:00.000Z'), file, { source: 'adhesions-non', mapping: { ...inspection.guessed, membershipCurrent: false } });
    assert.deepEqual(await written(no.batch.id), [['Association Nébuleuse', 0, '2016 paid'], ['Collectif Comète', 0, null]]);
  });

  test('imports from before that choice: the migration makes their past-year members former members, unless edited since; down restores them', async () => {
    const inspection = await inspectFile(at('2026-03-02T09:00:00.000Z'), file, fs.statSync(file).size);
    // As such imports were written: every « oui » a current member, no choice in the batch's mapping.
    const old = (iso: string, source: string) => importFile(at(iso), file, { source, mapping: { ...inspection.guessed, membershipCurrent: true } });
    const untouched = await old('2026-03-02T09:00:00.000Z', 'avant-correctif');
    const edited = await old('2026-03-02T09:00:00.000Z', 'avant-correctif-modifie');
    const sameYear = await old('2016-06-01T09:00:00.000Z', 'avant-correctif-2016');
    const chosen = await old('2026-03-02T09:00:00.000Z', 'choix-du-personnel');
    const { membershipCurrent: _dropped, ...withoutChoice } = { ...inspection.guessed, membershipCurrent: true };
    for (const batch of [untouched, edited, sameYear]) {
      await db.db.updateTable('import_batches').set({ mapping: JSON.stringify(withoutChoice) }).where('id', '=', batch.batch.id).execute();
    }
    await db.db.updateTable('organisations').set({ updated_at: '2026-04-01T10:00:00.000Z' }).where('import_batch_id', '=', edited.batch.id).execute();
    const members = async () => Promise.all([untouched, edited, sameYear, chosen].map(async (b) => (await written(b.batch.id))[0]![1]));
    assert.deepEqual(await members(), [1, 1, 1, 1]);

    await pastMembershipMigration.up(db.db);
    assert.deepEqual(await members(), [0, 1, 1, 1], 'only the untouched record of a later year’s import is corrected');
    assert.deepEqual((await written(untouched.batch.id))[0], ['Association Nébuleuse', 0, '2016 paid'], 'its 2016 membership stays');
    await pastMembershipMigration.down(db.db);
    assert.deepEqual(await members(), [1, 1, 1, 1]);
  });
});

forEachDialect('imports: validation, modes, crash and resume', (dialect) => {
  let db: TestDb;
  let deps: ImportDeps;
  let problems: string;

  before(async () => {
    db = await testDb(dialect);
    deps = { db: db.db, dialect, sqlite: db.sqlite, clock: systemClock, dataDir: db.dataDir };
    problems = path.join(db.dataDir, 'problemes.csv');
    fs.writeFileSync(problems, Buffer.from(PROBLEMS_CSV, 'latin1'));
  });
  after(() => db.close());

  test('the validation report: a missing name is an error; bad values are warnings, in French, per row', async () => {
    const inspection = await inspectFile(deps, problems, fs.statSync(problems).size);
    assert.equal(inspection.detection.text!.encoding, 'iso-8859-1');
    const batch = await createBatch(deps, actor, { filePath: problems, fileName: 'problemes.csv', sourceName: 'essai', inspection });
    const summary = await validateBatch(deps, batch.id);
    assert.deepEqual([summary.totalRows, summary.validRows, summary.errorRows, summary.warningRows], [4, 3, 1, 2]);
    const report = await reportOf(deps, batch.id);
    const lines = report.replace(/^\uFEFF/, '').trim().split('\r\n').slice(1);
    const expected = [
      /^3;P2;erreur;Nom de la structure;;Nom de la structure manquant : ligne non importée\.$/,
      /^4;P3;avertissement;Famille d’acteurs;Fondation;Famille « Fondation » inconnue : « Autre » retenue\.$/,
      /^4;P3;avertissement;Pays d’intervention;Atlantide;Pays d’intervention : « Atlantide » inconnu\(e\), valeur ignorée\.$/,
      /^4;P3;avertissement;Code postal;33700;Code postal 33700 corrigé en 33600 : il n’appartient pas à Pessac\.$/,
      /^4;P3;avertissement;Contact : nom complet;sans-nom@example\.org;Contact sans nom \(seulement « sans-nom@example\.org »\) : non importé\.$/,
      /^4;P3;avertissement;Téléphone de la structure;0556;Téléphone « 0556 » illisible : non importé\.$/,
      /^4;P3;avertissement;SIREN ou SIRET;123 456 789;SIREN « 123 456 789 » invalide/,
      /^4;P3;avertissement;Numéro RNA;X123;Numéro RNA « X123 » invalide/,
      /^5;P4;avertissement;Commune;Limoges-sur-Mer;Commune « Limoges-sur-Mer » introuvable/,
      /^5;P4;avertissement;Contact : email;pas-une-adresse;Email du contact « pas-une-adresse » invalide/,
    ];
    assert.equal(lines.length, expected.length, lines.join('\n'));
    for (const pattern of expected) assert.ok(lines.some((l) => pattern.test(l)), `${pattern} in\n${lines.join('\n')}`);

    // "All or nothing" refuses, and nothing is written.
    await assert.rejects(
      queueCommit(deps, batch.id, { mode: 'all-or-nothing', legalBasis: LEGAL, inline: true }),
      (e: unknown) => e instanceof ImportError && /1 ligne en erreur : en mode « tout ou rien », rien n’est importé/.test(e.message),
    );
    assert.equal((await db.db.selectFrom('organisations').select('id').execute()).length, 0);

    // "Valid rows only" writes the three others, values as the report said.
    await queueCommit(deps, batch.id, { mode: 'valid-only', legalBasis: LEGAL, inline: true });
    const done = await runCommit(deps, actor, batch.id);
    assert.deepEqual([done.created_organisations, done.created_contacts, done.rejected_rows], [3, 2, 1]);
    const p3 = await db.db.selectFrom('organisations').selectAll().where('source_ref', '=', 'P3').executeTakeFirstOrThrow();
    assert.deepEqual([p3.kind_code, p3.phone, p3.postcode, p3.commune_code, p3.siren, p3.rna, p3.source_flags], ['other', null, '33600', '33318', '123 456 789', 'X123', '["siren","rna"]']);
    const p4 = await db.db.selectFrom('organisations').selectAll().where('source_ref', '=', 'P4').executeTakeFirstOrThrow();
    assert.deepEqual([p4.commune_code, p4.commune_name, p4.department_code, p4.postcode], [null, 'Limoges-sur-Mer', null, '87220']);
    assert.deepEqual([p4.latitude, p4.geo_precision], [null, null], 'no département known: no position');
    const martin = await db.db.selectFrom('contacts').select(['id', 'first_name', 'last_name']).where('source_ref', '=', 'P4').executeTakeFirstOrThrow();
    assert.deepEqual([martin.first_name, martin.last_name], [null, 'Martin']);
    assert.equal((await db.db.selectFrom('contact_emails').select('email').where('contact_id', '=', martin.id).execute()).length, 0);
    await undoBatch(deps, actor, batch.id);
  });

  test('a mapping without a name column is refused before anything is read', async () => {
    const inspection = await inspectFile(deps, problems, fs.statSync(problems).size);
    const batch = await createBatch(deps, actor, { filePath: problems, fileName: 'problemes.csv', sourceName: 'essai', inspection });
    const columns = Object.fromEntries(Object.entries(inspection.guessed.columns).map(([h, c]) => [h, c.field === 'name' ? { field: 'ignore' as const } : c]));
    await assert.rejects(setBatchMapping(deps, batch.id, { ...inspection.guessed, columns }), /Aucune colonne ne donne le nom de la structure/);
    await assert.rejects(validateBatch(deps, 'inconnu'), /Aucun import n’a l’identifiant inconnu/);
  });

  test('a reading chosen while the batch changed is refused and writes nothing; Windows-1252 over ISO-8859-1 changes nothing', async () => {
    const inspection = await inspectFile(deps, problems, fs.statSync(problems).size);
    const batch = await createBatch(deps, actor, { filePath: problems, fileName: 'problemes.csv', sourceName: 'essai-lecture', inspection });
    assert.equal(inspection.detection.text!.encoding, 'iso-8859-1');
    // Both decode alike here: no new reading, nothing written, the batch stays as it was.
    assert.equal((await setBatchReading(deps, batch, { encoding: 'windows-1252' })).changed, false);
    assert.deepEqual(await findBatch(db.db, batch.id), batch);

    // The wizard read the batch, then the file; meanwhile a validation started from another page.
    const later = (ms: number) => new Date(Date.parse(batch.updated_at) + ms).toISOString();
    await updateBatch(db.db, batch.id, { status: 'validating', run_started_at: later(1000), progress_at: later(1000), updated_at: later(1000) });
    const changed = (e: unknown) => e instanceof ImportError && e.key === 'imports.error.batchChanged' && /Cet import a changé entre-temps/.test(e.message);
    await assert.rejects(setBatchReading(deps, batch, { quote: "'" }), changed);
    const validating = (await findBatch(db.db, batch.id))!;
    assert.deepEqual([validating.status, validating.detection, validating.mapping], ['validating', batch.detection, batch.mapping], 'the validation goes on, on the file as it read it');

    // Back to draft (its validation stopped) and read by the wizard; then a mapping saved from another page: still refused, that mapping kept.
    await updateBatch(db.db, batch.id, { status: 'draft', updated_at: later(2000) });
    const draft = (await findBatch(db.db, batch.id))!;
    await updateBatch(db.db, batch.id, { mapping: JSON.stringify({ ...inspection.guessed, visibility: 'staff' }), updated_at: later(3000) });
    const saved = (await findBatch(db.db, batch.id))!;
    await assert.rejects(setBatchReading(deps, draft, { quote: "'" }), changed);
    assert.deepEqual(await findBatch(db.db, batch.id), saved);
    // Read afresh, the same choice goes through.
    assert.equal((await setBatchReading(deps, saved, { quote: "'" })).changed, true);
    assert.equal(JSON.parse((await findBatch(db.db, batch.id))!.detection).text.quote, "'");
  });

  test('a validation taken for dead whose batch changed meanwhile writes no stale report: the newer reading, mapping or validation stands', async () => {
    let now = Date.parse('2026-03-02T09:00:00.000Z');
    const queued: unknown[] = [];
    const jobs = { enqueue: async (_name: string, payload: unknown) => void queued.push(payload) } as unknown as ImportDeps['jobs'];
    const web: ImportDeps = { ...deps, clock: { now: () => new Date(now) }, jobs };
    const inspection = await inspectFile(web, problems, fs.statSync(problems).size);
    const staff: MappingDocument = { ...inspection.guessed, visibility: 'staff' };

    for (const then of ['mapping saved', 'mapping saved and validation started again'] as const) {
      const batch = await createBatch(web, actor, { filePath: problems, fileName: 'problemes.csv', sourceName: `essai-perimee-${queued.length}`, inspection });
      await startValidation(web, batch.id);
      // The job reads its first rows; its worker then stalls past the point it is taken for dead, and
      // staff change the mapping (and start the check again) before the job's final write.
      const stale = await validateBatch(web, batch.id, {
        onLines: async () => {
          now += 11 * 60_000;
          await setBatchMapping(web, batch.id, staff);
          if (then !== 'mapping saved') await startValidation(web, batch.id);
        },
      });
      assert.ok(stale, 'dropped quietly, no error');
      const after = (await findBatch(db.db, batch.id))!;
      assert.equal(JSON.parse(after.mapping!).visibility, 'staff', then);
      assert.deepEqual([after.status, after.validated_at, after.total_rows], [then === 'mapping saved' ? 'draft' : 'validating', null, 0], then);
      await assert.rejects(queueCommit(web, batch.id, { mode: 'valid-only', legalBasis: LEGAL, inline: true }), ImportError, 'no stale report to commit');
      if (then === 'mapping saved') continue;
      // The new validation's job runs to its end: its own report, with the new mapping.
      const summary = await validateBatch(web, batch.id);
      const done = (await findBatch(db.db, batch.id))!;
      assert.deepEqual([done.status, done.total_rows, done.error_rows, JSON.parse(done.mapping!).visibility], ['validated', summary.totalRows, 1, 'staff']);
      assert.equal((await reportOf(web, batch.id)).trim().split('\r\n').length - 1, 10, 'one report, not two');
    }
  });

  test('duplicate detection plugs into the validation and warns per row', async () => {
    const seen: number[][] = [];
    const finder: DuplicateFinder = async (records) => {
      seen.push(records.map((r) => r.row));
      return records.filter((r) => r.organisation?.name === 'Amitiés Limousin').map((r) => ({ row: r.row, matches: [{ label: 'Amitiés du Limousin (Limoges)', organisationId: 'x', score: 0.93, reasons: ['même RNA'] }] }));
    };
    const inspection = await inspectFile(deps, problems, fs.statSync(problems).size);
    const batch = await createBatch(deps, actor, { filePath: problems, fileName: 'problemes.csv', sourceName: 'essai-doublons', inspection });
    const summary = await validateBatch(deps, batch.id, { findDuplicates: finder });
    assert.deepEqual(seen, [[2, 4, 5]]);
    assert.equal(summary.duplicateRows, 1);
    assert.match(await reportOf(deps, batch.id), /\r\n5;P4;avertissement;ligne entière;;Doublon possible : Amitiés du Limousin \(Limoges\), déjà dans la base\.\r\n/);
    assert.equal((await findBatch(db.db, batch.id))!.duplicate_rows, 1);
  });

  test('a finder that compares the first rows at once gets them in one call, then the rest as read; warnings land on their rows', async () => {
    const lines = ['Réf;Nom structure;CP;Ville'];
    for (let i = 1; i <= 1200; i++) lines.push(`L${i};Association numéro ${i};33000;Bordeaux`);
    const file = path.join(db.dataDir, 'premieres-lignes.csv');
    fs.writeFileSync(file, `${lines.join('\r\n')}\r\n`);
    const calls: number[][] = [];
    const finder: DuplicateFinder = Object.assign(
      async (records: Parameters<DuplicateFinder>[0]) => {
        calls.push([records[0]!.row, records.at(-1)!.row]);
        return records
          .filter((r) => r.row === 3 || r.row === 1001)
          .map((r) => ({ row: r.row, matches: [{ label: `Association numéro ${r.row - 2} (Bordeaux)`, row: r.row - 1 }] }));
      },
      { batchRows: async () => 700 },
    );
    const inspection = await inspectFile(deps, file, fs.statSync(file).size);
    const batch = await createBatch(deps, actor, { filePath: file, fileName: 'premieres-lignes.csv', sourceName: 'premieres-lignes', inspection });
    const summary = await validateBatch(deps, batch.id, { findDuplicates: finder });
    // Rows 2–701 at once, then chunks as they are read.
    assert.deepEqual(calls, [[2, 701], [702, 1201]]);
    assert.equal(summary.duplicateRows, 2);
    const report = await reportOf(deps, batch.id);
    assert.match(report, /\r\n3;L2;avertissement;ligne entière;;Doublon possible : Association numéro 1 \(Bordeaux\) \(ligne 2\)\.\r\n/);
    assert.match(report, /\r\n1001;L1000;avertissement;ligne entière;;Doublon possible : Association numéro 999 \(Bordeaux\) \(ligne 1000\)\.\r\n/);
    // Every row is written, in order, whatever the finder held back.
    await queueCommit(deps, batch.id, { mode: 'valid-only', legalBasis: LEGAL, inline: true });
    const done = await runCommit(deps, actor, batch.id);
    assert.equal(done.created_organisations, 1200);
    const rows = await db.db.selectFrom('organisations').select(['source_row', 'source_ref']).where('import_batch_id', '=', batch.id).orderBy('source_row').execute();
    assert.deepEqual([rows[0], rows.at(-1)], [{ source_row: 2, source_ref: 'L1' }, { source_row: 1201, source_ref: 'L1200' }]);
  });

  test('two imports written at the same time: names they share still get distinct addresses', async () => {
    const header = 'Nom structure;CP;Ville;Réf\r\n';
    const rows = ['Amitiés Burkina', 'Eau Partagée', 'Jumelage Kayes', 'Santé Sud'].map((name, i) => `${name};33000;Bordeaux;X${i}\r\n`).join('');
    const files = ['simultane-a.csv', 'simultane-b.csv'].map((name) => {
      const file = path.join(db.dataDir, name);
      fs.writeFileSync(file, header + rows);
      return file;
    });
    const [a, b] = (await Promise.all(files.map((file, i) => importFile(deps, file, { source: `simultane-${i}`, chunkRows: 1 })))) as [Awaited<ReturnType<typeof importFile>>, Awaited<ReturnType<typeof importFile>>];
    assert.deepEqual([a.batch.status, b.batch.status, a.batch.created_organisations, b.batch.created_organisations], ['committed', 'committed', 4, 4]);
    const slugs = await db.db.selectFrom('organisations').select('slug').where('import_batch_id', 'in', [a.batch.id, b.batch.id]).execute();
    assert.equal(new Set(slugs.map((r) => r.slug)).size, 8);
    await undoBatch(deps, actor, a.batch.id);
    await undoBatch(deps, actor, b.batch.id);
  });

  test('two imports at once: on PostgreSQL the second waits for the first to finish writing; names they share across chunks get distinct addresses', { timeout: 60_000 }, async () => {
    // File A has « Zêta » in its first chunk and « Oméga » in its second, file B the other way round.
    // Written side by side on PostgreSQL, each first chunk could wait for the other file's second
    // chunk (the same slug, not committed yet) and each second chunk for its own first: a wait
    // nobody breaks (seen in a review, with a stall before the first chunks' inserts).
    const header = 'Nom structure;CP;Ville;Réf\r\n';
    const fileOf = (name: string, names: string[]) => {
      const file = path.join(db.dataDir, name);
      fs.writeFileSync(file, header + names.map((n, i) => `${n};33000;Bordeaux;Y${i}\r\n`).join(''));
      return file;
    };
    const a = fileOf('croise-a.csv', ['Zêta Solidarité', 'Oméga Coopération']);
    const b = fileOf('croise-b.csv', ['Oméga Coopération', 'Zêta Solidarité']);
    const slowFirstChunk = async (i: number) => {
      if (i === 0) await new Promise((resolve) => setTimeout(resolve, 800));
    };
    let waited = 0;
    const statusWhileWaiting: Promise<string | undefined>[] = [];
    const onWait = (source: string) => () => {
      waited++;
      statusWhileWaiting.push(db.db.selectFrom('import_batches').select('status').where('source_name', '=', source).executeTakeFirst().then((r) => r?.status));
    };
    const [first, second] = await Promise.all([
      importFile(deps, a, { source: 'croise-a', chunkRows: 1, afterChunkWrite: slowFirstChunk, onWait: onWait('croise-a') }),
      importFile(deps, b, { source: 'croise-b', chunkRows: 1, afterChunkWrite: slowFirstChunk, onWait: onWait('croise-b') }),
    ]);
    assert.deepEqual([first.batch.status, second.batch.status, first.batch.created_organisations, second.batch.created_organisations], ['committed', 'committed', 2, 2]);
    const slugs = await db.db.selectFrom('organisations').select('slug').where('import_batch_id', 'in', [first.batch.id, second.batch.id]).execute();
    assert.equal(new Set(slugs.map((r) => r.slug)).size, 4);
    if (dialect === 'postgres') {
      assert.equal(waited, 1, 'one of them waited for the other');
      assert.deepEqual(await Promise.all(statusWhileWaiting), ['queued'], 'the one waiting says « en attente de démarrage », not « running » at 0 %');
    }
    await undoBatch(deps, actor, first.batch.id);
    await undoBatch(deps, actor, second.batch.id);
  });

  test('an import interrupted between two chunks (Ctrl-C, a worker stopping) says so, not « unexpected error », and resumes', async () => {
    const inspection = await inspectFile(deps, RESODI, fs.statSync(RESODI).size);
    const batch = await createBatch(deps, actor, { filePath: RESODI, fileName: 'resodi_export_2016.csv', sourceName: 'interrompu', inspection });
    await validateBatch(deps, batch.id);
    await queueCommit(deps, batch.id, { mode: 'valid-only', legalBasis: LEGAL, inline: true });
    const stop = new AbortController();
    await assert.rejects(runCommit(deps, actor, batch.id, { chunkRows: 300, signal: stop.signal, onProgress: () => stop.abort() }), ImportInterrupted);
    const stopped = (await findBatch(db.db, batch.id))!;
    assert.equal(stopped.status, 'failed');
    assert.ok(stopped.checkpoint_row > 0 && stopped.checkpoint_row < stopped.total_rows, 'whole chunks written, not all');
    assert.match(batchFailureText(stopped, 'fr') ?? '', /interrompue.*reprendra à son point de sauvegarde/);
    const done = await runCommit(deps, actor, batch.id);
    assert.deepEqual([done.status, done.created_organisations], ['committed', 1151]);
    await undoBatch(deps, actor, batch.id);
  });

  test('a crash in the middle leaves whole chunks only; running again resumes and ends with no double', async () => {
    let chunks = 0;
    await assert.rejects(
      importFile(deps, CAPCOOP, {
        source: 'capcoop',
        chunkRows: 500,
        afterChunkWrite: (i) => {
          chunks++;
          if (i === 1) throw new Error('arrêt brutal simulé');
        },
      }),
      /arrêt brutal simulé/,
    );
    assert.equal(chunks, 2);
    const [batch] = await db.db.selectFrom('import_batches').selectAll().where('source_name', '=', 'capcoop').execute();
    assert.deepEqual([batch!.status, batch!.checkpoint_row, batch!.processed_rows, batch!.created_organisations], ['failed', 501, 500, 500]);
    const written = await db.db.selectFrom('organisations').select(['source_row']).where('import_batch_id', '=', batch!.id).execute();
    assert.equal(written.length, 500);
    assert.equal(Math.max(...written.map((w) => w.source_row!)), 501);
    assert.equal((await db.db.selectFrom('contacts').select('id').where('import_batch_id', '=', batch!.id).execute()).length, 500);

    // The validated records were kept for the commit; without them it reads the file again, to the same result.
    const spill = path.join(db.dataDir, 'imports', 'records', `${batch!.id}.ndjson`);
    assert.ok(fs.existsSync(spill));
    fs.rmSync(spill);
    const progress: number[] = [];
    const resumed = await runCommit(deps, actor, batch!.id, { chunkRows: 500, onProgress: (b) => progress.push(progressOf(b).percent) });
    assert.deepEqual([resumed.status, resumed.created_organisations, resumed.created_contacts, resumed.processed_rows], ['committed', 1418, 1418, 1418]);
    assert.deepEqual(progress, [...progress].sort((a, b) => a - b));
    assert.equal(progress.at(-1), 100);
    const refs = await db.db.selectFrom('organisations').select('source_ref').where('import_batch_id', '=', batch!.id).execute();
    assert.equal(refs.length, 1418);
    assert.equal(new Set(refs.map((r) => r.source_ref)).size, 1418);
    const slugs = await db.db.selectFrom('organisations').select('slug').execute();
    assert.equal(new Set(slugs.map((s) => s.slug)).size, slugs.length);
    await undoBatch(deps, actor, batch!.id);
  });

  test('a Windows-1252 file: « », –, ’, € and œ come out as written (bytes 0x80–0x9F)', async () => {
    const target = path.join(db.dataDir, 'windows-1252.csv');
    const text = [
      'Réf;Nom structure;Ville;Présentation',
      'W1;Œuvre d’entraide – « Cœurs unis »;Bordeaux;Budget : 2 000 €, l’œuvre — “solidaire”',
      'W2;Amis de l’Île;Pessac;Sœurs – frères',
    ].join('\r\n');
    const bytes = Buffer.from(text, 'latin1');
    // Latin-1 cannot hold the characters of 0x80–0x9F: write their Windows-1252 bytes.
    const cp1252: Record<string, number> = { '€': 0x80, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97, 'œ': 0x9c, 'Œ': 0x8c };
    const encoded = Buffer.from([...text].map((c) => cp1252[c] ?? c.charCodeAt(0)));
    assert.ok(encoded.length === bytes.length && encoded.every((b) => b <= 0xff));
    fs.writeFileSync(target, encoded);
    const { batch, inspection } = await importFile(deps, target, { source: 'cp1252' });
    assert.equal(inspection.detection.text!.encoding, 'windows-1252');
    assert.equal(batch.created_organisations, 2);
    const rows = await db.db.selectFrom('organisations').select(['name', 'description_html', 'search_text']).where('import_batch_id', '=', batch.id).orderBy('source_row').execute();
    assert.deepEqual(rows.map((r) => r.name), ['Œuvre d’entraide – « Cœurs unis »', 'Amis de l’Île']);
    assert.match(rows[0]!.description_html ?? '', /2 000 €, l’œuvre — “solidaire”/);
    assert.match(rows[1]!.description_html ?? '', /Sœurs – frères/);
    assert.ok(rows.every((r) => !/[\u0080-\u009f]/.test(`${r.name}${r.description_html}${r.search_text}`)), 'no C1 control character');
    await undoBatch(deps, actor, batch.id);
  });

  test('an import whose organisations were merged since cannot be undone before the merges', async () => {
    const target = path.join(db.dataDir, 'fusion.csv');
    fs.writeFileSync(target, 'Réf;Nom structure;Ville\nF1;Eau Vive Mérignac;Mérignac\nF2;Association Eau Vive Mérignac;Mérignac\nF3;Terre Solidaire;Talence\n');
    const { batch } = await importFile(deps, target, { source: 'fusion' });
    const ids = await db.db.selectFrom('organisations').select(['id', 'source_ref']).where('import_batch_id', '=', batch.id).orderBy('source_row').execute();
    const merged = await mergeOrganisations(deps, actor, { survivorId: ids[0]!.id, absorbedId: ids[1]!.id });

    const refusal = await undoBatch(deps, actor, batch.id).then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => e,
    );
    assert.ok(refusal instanceof ImportError && refusal.key === 'imports.error.undoMerged', String(refusal));
    // The confirmation page says so before anyone confirms, merges first: the data a record received
    // by a merge is the merge's (its consents here), undone with it.
    assert.equal((await undoBlockers(deps.db, batch.id))?.message, refusal.message);
    assert.equal(
      refusal.message,
      'Cet import ne peut pas être annulé : 1 fusion touche des structures qu’il a créées (« Eau Vive Mérignac » ← « Association Eau Vive Mérignac »). Annulez d’abord ces fusions dans Doublons › Fusions (/admin/fusions), puis annulez l’import.',
    );
    assert.equal(
      refusal.text('en'),
      'This import cannot be undone: 1 merge involves organisations it created (“Eau Vive Mérignac” ← “Association Eau Vive Mérignac”). Undo these merges first in Duplicates › Merges (/admin/fusions), then undo the import.',
    );
    // Nothing was removed, the batch is still committed.
    assert.equal((await db.db.selectFrom('organisations').select('id').where('import_batch_id', '=', batch.id).execute()).length, 2);
    assert.equal((await findBatch(db.db, batch.id))!.status, 'committed');

    await undoMerge(deps, actor, merged.mergeId);
    const removed = await undoBatch(deps, actor, batch.id);
    assert.equal(removed.organisations, 3);
    assert.equal((await db.db.selectFrom('organisations').select('id').where('import_batch_id', '=', batch.id).execute()).length, 0);
  });

  test('a file changed since the import began cannot be resumed', async () => {
    const copy = path.join(db.dataDir, 'capcoop-copie.csv');
    fs.copyFileSync(CAPCOOP, copy);
    await assert.rejects(importFile(deps, copy, { source: 'copie', chunkRows: 1000, afterChunkWrite: (i) => { if (i === 1) throw new Error('arrêt'); } }), /arrêt/);
    fs.appendFileSync(copy, 'Ajout;;Association;;;;;;;;;;;;;;;;CAP-99999\r\n');
    const [batch] = await db.db.selectFrom('import_batches').selectAll().where('source_name', '=', 'copie').execute();
    await assert.rejects(runCommit(deps, actor, batch!.id), /Le fichier a changé depuis le début de cet import/);
    await undoBatch(deps, actor, batch!.id);
  });
});

/** The Resodi sample uploaded and checked, as the wizard leaves it before the commit. */
async function validatedResodi(deps: ReturnType<typeof importDeps>) {
  const inspection = await inspectFile(deps, RESODI, fs.statSync(RESODI).size);
  const batch = await createBatch(deps, actor, { filePath: RESODI, fileName: 'resodi_export_2016.csv', sourceName: 'resodi', inspection });
  await validateBatch(deps, batch.id);
  return batch;
}

forEachDialect('imports: the web runs them as durable jobs', (dialect) => {
  test('a queued import is committed by the commit job, which then hands its organisations to geocoding', async (t) => {
    const app = await testApp(dialect);
    t.after(() => app.close());
    const deps = importDeps(app.kernel);
    const batch = await validatedResodi(deps);
    const queued = await queueCommit(deps, batch.id, { mode: 'valid-only', legalBasis: LEGAL });
    assert.deepEqual([queued.status, progressOf(queued).percent], ['queued', 0]);
    assert.equal(await app.kernel.jobs.runDue(1), 1);
    const done = (await findBatch(app.kernel.db, batch.id))!;
    assert.deepEqual([done.status, done.created_organisations, progressOf(done).percent], ['committed', 1151, 100]);
    const jobs = await app.kernel.db.selectFrom('jobs').select(['name', 'status']).orderBy('run_at').execute();
    assert.deepEqual(jobs[0], { name: 'imports.commit', status: 'done' });
    assert.ok(jobs.some((j) => j.name === 'imports.geocode' && j.status === 'queued'));
  });

  test('undoing an import removes the geocoding queued for it, and the dashboard no longer counts it', async (t) => {
    // A geocoder set (never asked here): its jobs are a queue the dashboard counts.
    const app = await testApp(dialect, { env: { GEOCODER_URL: 'http://127.0.0.1:9/geocodage' } });
    t.after(() => app.close());
    const deps = importDeps(app.kernel);
    // Chunks of 500 rows: three fan-out jobs, one of which is run before the undo.
    const batch = await validatedResodi(deps);
    await queueCommit(deps, batch.id, { mode: 'valid-only', legalBasis: LEGAL, inline: true });
    await runCommit(deps, actor, batch.id, { chunkRows: 500 });
    const queued = async (name: string) =>
      (await app.kernel.db.selectFrom('jobs').select('id').where('name', '=', name).where('status', '=', 'queued').execute()).length;
    assert.equal(await queued('imports.geocode'), 3);
    assert.equal(await app.kernel.jobs.runDue(1), 1, 'the first chunk is handed to geocoding');
    assert.equal(await queued('imports.geocode'), 2);
    const handedOver = await queued('organisations.geocode-imported');
    assert.ok(handedOver > 400, `${handedOver} organisations queued for geocoding`);
    // Another batch's chunk waiting to be handed over: it is not this import's.
    await app.kernel.jobs.enqueue('imports.geocode', { batchId: 'autre', fromRow: 0, toRow: 10 }, { idempotencyKey: 'import-geocode:autre:10' });

    const staff = await app.loginAs('staff');
    const waiting = async () => /<span class="stat-value">([\d\u202f\u00a0 ]+)<\/span>\s*<span class="stat-label">structures en attente de géocodage/.exec((await staff.get('/admin')).body)?.[1]?.replace(/\D/g, '') ?? '0';
    assert.equal(await waiting(), String(handedOver));

    await undoBatch(deps, actor, batch.id);
    assert.equal(await queued('imports.geocode'), 1, 'the chunks not yet handed over are cancelled, not another batch’s');
    assert.equal(await queued('organisations.geocode-imported'), 0, 'each organisation’s geocoding is cancelled');
    assert.doesNotMatch((await staff.get('/admin')).body, /en attente de géocodage/);
  });

  test('the dashboard never counts geocoding jobs of organisations no longer in the base', async (t) => {
    const app = await testApp(dialect);
    t.after(() => app.close());
    // Left by an older undo, or by a chunk handed over while the undo ran.
    for (const id of ['01GONE0000000000000000001', '01GONE0000000000000000002']) {
      await app.kernel.jobs.enqueue('organisations.geocode-imported', { id }, { idempotencyKey: `geocode:${id}:import` });
    }
    const staff = await app.loginAs('staff');
    assert.doesNotMatch((await staff.get('/admin')).body, /en attente de géocodage/);
  });
});

forEachDialect('imports: the legal basis shows in the contact’s RGPD history', (dialect) => {
  test('the staff page of an imported contact lists the legal basis chosen at import', async (t) => {
    const app = await testApp(dialect);
    t.after(() => app.close());
    const deps = importDeps(app.kernel);
    await importFile(deps, RESODI, { source: 'resodi' });
    const contact = await app.kernel.db.selectFrom('contacts').select('id').where('source_ref', '=', 'R00657').executeTakeFirstOrThrow();
    const staff = await app.loginAs('staff');
    const page = await staff.get(`/admin/contacts/${contact.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Membre d’un réseau prédécesseur, informé le 2016-09-01/);
    assert.match(page.body, /Intérêt légitime/);
    // Counts in the page's number format (1 151, with a narrow no-break space; not 1151).
    assert.match((await staff.get('/admin/organisations')).body, /1\u202f151 structures/);
  });
});

forEachDialect('imports: the pace and time left shown while an import runs', (dialect) => {
  test('the first chunk’s pace counts its writing: no burst of speed that then falls', async (t) => {
    const db = await testDb(dialect);
    t.after(() => db.close());
    // A clock that moves only while a chunk is written: 10 s for each, reading and building take no time.
    let offset = 0;
    const t0 = Date.now();
    const deps: ImportDeps = { db: db.db, dialect, sqlite: db.sqlite, clock: { now: () => new Date(t0 + offset) }, dataDir: db.dataDir };
    const inspection = await inspectFile(deps, RESODI, fs.statSync(RESODI).size);
    const batch = await createBatch(deps, actor, { filePath: RESODI, fileName: 'resodi_export_2016.csv', sourceName: 'resodi', inspection });
    await validateBatch(deps, batch.id);
    await queueCommit(deps, batch.id, { mode: 'valid-only', legalBasis: LEGAL, inline: true });
    const speeds: (number | null)[] = [];
    await runCommit(deps, actor, batch.id, {
      chunkRows: 500,
      afterChunkWrite: () => void (offset += 10_000),
      onProgress: (b) => speeds.push(progressOf(b).rowsPerSecond),
    });
    // 500 rows written in 10 s from the first chunk on: 50 rows a second, every time.
    assert.deepEqual(speeds.slice(0, 2), [50, 50]);
  });

  test('the time left agrees with its number, in French and in English', () => {
    const p = { status: 'running' as const, statusLabel: '', percent: 99.9, done: 1150, total: 1151 };
    const fr = translator('fr');
    const en = translator('en');
    assert.match(progressText(fr, 'fr', { ...p, rowsPerSecond: 1, etaSeconds: 0.4 }), /1 ligne par seconde, environ 1 s restante$/);
    assert.match(progressText(fr, 'fr', { ...p, rowsPerSecond: 350, etaSeconds: 2 }), /350 lignes par seconde, environ 2 s restantes$/);
    assert.match(progressText(en, 'en', { ...p, rowsPerSecond: 1, etaSeconds: 0.4 }), /1 row per second, about 1 s left$/);
    // Every row written, the batch finishing: no « 0 s restante ».
    assert.match(progressText(fr, 'fr', { ...p, done: 1151, rowsPerSecond: 350, etaSeconds: 0 }), /350 lignes par seconde$/);
  });
});
