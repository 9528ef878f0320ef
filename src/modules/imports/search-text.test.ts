import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { type TestDb, testDb } from '../../../test/helpers/db.js';
import { sharedDir } from '../../../test/helpers/paths.js';
import { countryName } from '../../kernel/geo/countries.js';
import { findDepartment } from '../../kernel/geo/communes.js';
import { htmlToText } from '../../kernel/html.js';
import { indexText } from '../../kernel/search/normalise.js';
import { indexedColumns, type OrganisationDraft, type SearchTextMemo } from '../organisations/index.js';
import { inspectFile } from './batch-reading.js';
import { loadContext, type OrganisationLabels } from './context.js';
import type { ImportRecord } from './types.js';
import { validateFile } from './validate.js';

let db: TestDb;
before(async () => {
  db = await testDb('sqlite');
});
after(() => db.close());

/** Every part of the search text, normalised at once (what the directory's search tokenises queries like). */
function wholeText(draft: OrganisationDraft, labels: OrganisationLabels): string {
  const label = (list: { code: string; label_fr: string; label_en: string }[], code: string) => {
    const entry = list.find((x) => x.code === code);
    return entry ? `${entry.label_fr} ${entry.label_en}` : '';
  };
  return indexText(
    draft.name,
    draft.acronym,
    draft.commune_name,
    draft.department_code ? findDepartment(draft.department_code)?.name : null,
    label(labels.kinds, draft.kind_code),
    ...draft.links.themes.map((c) => label(labels.themes, c)),
    ...draft.links.zones.map((c) => label(labels.zones, c)),
    ...draft.links.countries.map((c) => `${countryName(c, 'fr')} ${countryName(c, 'en')}`),
    draft.description_html ? htmlToText(draft.description_html) : null,
  );
}

// Imported organisations are found by the directory's search exactly as if they had been entered
// one by one: with the import's memo of repeated parts, the search text is the same word for word.
test('imported organisations get the search text and sort key the organisations module writes', async () => {
  const context = await loadContext(db.db);
  const memo: SearchTextMemo = new Map();
  let compared = 0;
  const drafts: OrganisationDraft[] = [];
  for (const name of ['capcoop_export_2016.csv', 'resodi_export_2016.csv']) {
    const file = sharedDir('samples/predecessors', name);
    const inspection = await inspectFile(db, file, fs.statSync(file).size);
    const records: ImportRecord[] = [];
    await validateFile({ file, detection: inspection.detection, mapping: inspection.guessed, context, now: new Date() }, { onRecords: async (r) => void records.push(...r) });
    for (const record of records) if (record.organisation) drafts.push(record.organisation);
  }
  // What the sample files lack: a description, a zone, an unknown country code, a name of stop words only, a commune ending in « ss ».
  const first = drafts[0]!;
  drafts.push(
    { ...first, description_html: '<p>Échanges <strong>scolaires</strong> &amp; chantiers — « Cœur » d’été</p>' },
    { ...first, links: { ...first.links, zones: context.labels.zones.slice(0, 2).map((z) => z.code), countries: ['SN', 'ZZ'] } },
    { ...first, name: 'Le de la', acronym: null, commune_name: null, department_code: null },
    // A remembered part whose words end in a doubled s once folded (stemmed twice, « gross » lost a letter).
    { ...first, commune_name: 'Gross-Réderching' },
  );
  for (const draft of drafts) {
    const columns = indexedColumns(draft, context.labels, memo);
    assert.deepEqual(columns, indexedColumns(draft, context.labels), draft.name);
    // Normalised part by part, with parts remembered, the words are those of the whole text.
    assert.equal(columns.search_text, wholeText(draft, context.labels), draft.name);
    compared++;
  }
  assert.ok(compared > 2500, `${compared} organisations compared`);
});
