import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import ExcelJS from 'exceljs';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { draftOf, parseDirectoryQuery, updateOrganisation } from '../organisations/index.js';
import { OrganisationList, PublicOrganisation } from './schemas.js';
import { organisationBatches } from './search.js';
import { type DirectoryFixtures, FORMULA_NAME, seedDirectory } from './test-fixtures.js';

/** Splits our CSV (`;`, CRLF, "…" quoting) into rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

function byName(rows: string[][], name: string): Record<string, string> {
  const [header, ...data] = rows;
  const row = data.find((r) => r[0] === name);
  assert.ok(header && row, `row ${name}`);
  return Object.fromEntries(header.map((h, i) => [h, row[i] ?? '']));
}

forEachDialect('open data: exports and API', (dialect) => {
  let t: TestApp;
  let f: DirectoryFixtures;
  let visitor: Client;

  before(async () => {
    t = await testApp(dialect);
    f = await seedDirectory({ db: t.kernel.db, clock: t.kernel.clock });
    // Positions, as the geocoder would set them: an address in Bordeaux, a commune centre in Pessac.
    await t.kernel.db.updateTable('organisations').set({ latitude: 44.8378, longitude: -0.5792, geo_precision: 'address' }).where('id', '=', f.water.id).execute();
    await t.kernel.db.updateTable('organisations').set({ latitude: 44.8067, longitude: -0.6311, geo_precision: 'commune' }).where('id', '=', f.pessac.id).execute();
    await t.kernel.db.updateTable('organisations').set({ latitude: 45.8336, longitude: 1.2611, geo_precision: 'address' }).where('id', '=', f.limousin.id).execute();
    visitor = t.client();
  });
  after(() => t.close());

  test('CSV: BOM, semicolons, CRLF, French accents intact, French decimals, public records only', async () => {
    const res = await visitor.get('/annuaire.csv');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv; charset=utf-8/);
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="annuaire-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = res.rawPayload;
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte order mark');
    const text = bytes.subarray(3).toString('utf8');
    assert.ok(text.startsWith('Nom;Sigle;Famille;'), 'a `;`-separated header');
    assert.ok(text.endsWith('\r\n') && !/[^\r]\n/.test(text), 'every line ends with CRLF');
    const rows = parseCsv(text);
    const names = rows.slice(1).map((r) => r[0]);
    assert.equal(names.length, 5);
    assert.ok(!names.includes('Collectif Limousin Mali') && !names.includes('Cellule de veille interne'));
    const water = byName(rows, "Associations pour l'eau du Sénégal");
    assert.equal(water['Pays d’intervention'], 'Sénégal');
    assert.equal((water['Thématiques'] ?? '').split(' | ').sort().join(' | '), 'Eau et assainissement | Santé');
    assert.equal(water['Téléphone'], '05 56 00 00 00');
    assert.equal(water['Latitude'], '44,8378');
    assert.equal(water['Longitude'], '-0,5792', 'a negative number is a number, not a formula');
    assert.equal(water['Adhérent'], 'oui');
    assert.equal(water['Page'], `http://localhost:3000/acteurs/${f.water.slug}`);
    assert.equal(byName(rows, 'Éducation à la citoyenneté en Périgord')['Commune'], 'Périgueux');
  });

  test('CSV: cells that a spreadsheet would run as formulas are neutralised', async () => {
    const rows = parseCsv((await visitor.get('/annuaire.csv?famille=association')).rawPayload.subarray(3).toString('utf8'));
    const [header, ...data] = rows;
    const row = data.find((r) => r[0] === `'${FORMULA_NAME}`);
    assert.ok(header && row, 'the name starting with = is prefixed with an apostrophe');
    const cells = Object.fromEntries(header.map((h, i) => [h, row[i] ?? '']));
    assert.equal(cells['Sigle'], "'-AB");
    assert.equal(cells['Adresse'], "'@domicile");
    const numeric = new Set(['Latitude', 'Longitude', 'Année de création']);
    for (const r of data) {
      r.forEach((cell, i) => {
        if (!numeric.has(header[i]!)) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, `cell ${header[i]}: ${cell}`);
      });
    }
  });

  test('CSV and the other exports follow the directory filters and the viewer', async () => {
    const senegal = parseCsv((await visitor.get('/annuaire.csv?pays=SN')).rawPayload.subarray(3).toString('utf8'));
    assert.deepEqual(senegal.slice(1).map((r) => r[0]), ["Associations pour l'eau du Sénégal"]);
    const member = await t.loginAs('member');
    const mali = parseCsv((await member.get('/annuaire.csv?pays=ML')).rawPayload.subarray(3).toString('utf8'));
    assert.deepEqual(mali.slice(1).map((r) => r[0]).sort(), ['Collectif Limousin Mali', 'Mairie de Pessac']);
  });

  test('XLSX opens, with a header row, text and numbers', async () => {
    const res = await visitor.get('/annuaire.xlsx?departement=33');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Annuaire');
    assert.ok(sheet);
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    assert.equal(header[0], 'Nom');
    assert.ok(header.includes('Latitude'));
    const rows: unknown[][] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) rows.push((row.values as unknown[]).slice(1));
    });
    assert.equal(rows.length, 4, 'the four public organisations of Gironde');
    const water = rows.find((r) => r[0] === "Associations pour l'eau du Sénégal");
    assert.ok(water);
    assert.equal(water[header.indexOf('Latitude')], 44.8378);
    assert.equal(water[header.indexOf('Année de création')], 1998);
    // In a workbook, text stays text: no apostrophe needed.
    assert.ok(rows.some((r) => r[0] === FORMULA_NAME));
  });

  test('GeoJSON: a FeatureCollection of the located public organisations, without personal data', async () => {
    const res = await visitor.get('/annuaire.geojson');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/geo\+json/);
    const geo = JSON.parse(res.body) as {
      type: string;
      features: { type: string; geometry: { type: string; coordinates: number[] }; properties: Record<string, unknown> }[];
    };
    assert.equal(geo.type, 'FeatureCollection');
    assert.deepEqual(geo.features.map((x) => x.properties.name).sort(), ["Associations pour l'eau du Sénégal", 'Mairie de Pessac']);
    const water = geo.features.find((x) => x.properties.slug === f.water.slug)!;
    assert.deepEqual(water.geometry, { type: 'Point', coordinates: [-0.5792, 44.8378] });
    assert.equal(water.properties.approximate, false);
    assert.equal(geo.features.find((x) => x.properties.slug === f.pessac.slug)?.properties.approximate, true);
    for (const feature of geo.features) {
      for (const key of ['email', 'phone', 'address', 'description_html']) assert.ok(!(key in feature.properties), `no ${key}`);
    }
    const empty = JSON.parse((await visitor.get('/annuaire.geojson?pays=JP')).body) as { features: unknown[] };
    assert.deepEqual(empty, { type: 'FeatureCollection', features: [] });
  });

  test('the barometer export: one row per public organisation, in shared vocabulary codes', async () => {
    const staff = await t.loginAs('staff');
    const res = await staff.get('/annuaire/barometre.csv');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-disposition']), /filename="annuaire-barometre-\d{4}-\d{2}-\d{2}\.csv"/);
    const rows = parseCsv(res.rawPayload.subarray(3).toString('utf8'));
    assert.deepEqual(rows[0], ['famille', 'departement', 'pays', 'zones', 'secteurs', 'odd']);
    assert.equal(rows.length - 1, 5, 'even for staff, only public organisations');
    const normalise = (r: string[]) => r.map((cell) => cell.split('|').sort().join('|'));
    const data = rows.slice(1).map(normalise);
    assert.ok(data.some((r) => r.join(';') === 'association;33;SN;;health|water_sanitation;3|6'));
    assert.ok(data.some((r) => r.join(';') === 'local_authority;33;BF|ML;;local_governance;11'));
    assert.ok(data.some((r) => r.join(';') === 'popular_education;24;BF;west_africa;global_citizenship;'));
  });

  test('exports read the filtered set a batch at a time, without losing or repeating a row', async () => {
    const parsed = parseDirectoryQuery({}, 'admin');
    const seen: string[] = [];
    let batches = 0;
    for await (const batch of organisationBatches({ db: t.kernel.db, dialect: t.db.dialect }, parsed.filter, parsed.tokens, 2)) {
      batches++;
      seen.push(...batch.map((o) => o.id));
    }
    assert.equal(batches, 4);
    assert.equal(seen.length, 7);
    assert.equal(new Set(seen).size, 7);
  });

  test('API: a filtered, paginated list with its total and links, matching its schema', async () => {
    const res = await visitor.get('/api/v1/organisations?par_page=2&famille=association');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    const body = res.json() as OrganisationList;
    assert.ok(Value.Check(OrganisationList, body), JSON.stringify([...Value.Errors(OrganisationList, body)].slice(0, 3)));
    assert.equal(body.total, 3);
    assert.equal(body.pages, 2);
    assert.equal(body.data.length, 2);
    assert.equal(body.links.prev, null);
    assert.equal(body.links.next, 'http://localhost:3000/api/v1/organisations?famille=association&page=2&par_page=2');
    const next = (await visitor.get(body.links.next!.replace('http://localhost:3000', ''))).json() as OrganisationList;
    assert.equal(next.data.length, 1);
    assert.equal(next.links.next, null);
    assert.equal(new Set([...body.data, ...next.data].map((o) => o.slug)).size, 3);

    const one = ((await visitor.get('/api/v1/organisations?q=senegal')).json() as OrganisationList).data[0]!;
    assert.equal(one.phone, '+33556000000');
    assert.deepEqual(one.countries, [{ code: 'SN', label: 'Sénégal' }]);
    assert.deepEqual(one.location, { latitude: 44.8378, longitude: -0.5792, approximate: false });
    assert.equal(one.is_member, true);
    assert.ok(!('visibility' in one) && !('source' in one) && !('search_text' in one), 'no internal field');
  });

  test('API: bad parameters get a 400 with a French message per parameter', async () => {
    for (const [query, parameter] of [
      ['par_page=500', 'par_page'],
      ['par_page=deux', 'par_page'],
      ['page=0', 'page'],
      ['odd=18', 'odd'],
      ['tri=hasard', 'tri'],
      ['adherent=peut-etre', 'adherent'],
      ['pays=senegal', 'pays'],
    ] as const) {
      const res = await visitor.get(`/api/v1/organisations?${query}`);
      assert.equal(res.statusCode, 400, query);
      const body = res.json() as { error: string; message: string; details: { parameter: string; message: string }[] };
      assert.equal(body.error, 'bad_request');
      assert.equal(body.message, 'Paramètres invalides.');
      assert.equal(body.details[0]?.parameter, parameter);
      assert.match(body.details[0]?.message ?? '', new RegExp(`^Le paramètre ${parameter} `));
    }
  });

  test('API: one organisation by slug, visibility respected, old slugs redirected', async () => {
    const res = await visitor.get(`/api/v1/organisations/${f.water.slug}`);
    assert.equal(res.statusCode, 200);
    const body = res.json() as PublicOrganisation;
    assert.ok(Value.Check(PublicOrganisation, body));
    assert.equal(body.name, "Associations pour l'eau du Sénégal");
    const hidden = await visitor.get(`/api/v1/organisations/${f.limousin.slug}`);
    assert.equal(hidden.statusCode, 404);
    assert.equal((hidden.json() as { error: string }).error, 'not_found');
    const member = await t.loginAs('member');
    assert.equal((await member.get(`/api/v1/organisations/${f.limousin.slug}`)).statusCode, 200);

    const deps = { db: t.kernel.db, clock: t.kernel.clock };
    await updateOrganisation(deps, { id: null, email: null }, f.perigord.id, { ...draftOf(f.perigord), name: 'ECSI en Périgord' });
    const moved = await visitor.get(`/api/v1/organisations/${f.perigord.slug}`);
    assert.equal(moved.statusCode, 301);
    assert.equal(moved.headers.location, '/api/v1/organisations/ecsi-en-perigord');
  });

  test('OpenAPI 3.1 document describes every endpoint and parameter', async () => {
    const res = await visitor.get('/api/openapi.json');
    assert.equal(res.statusCode, 200);
    const doc = res.json() as {
      openapi: string;
      paths: Record<string, { get: { parameters?: { name: string; schema: Record<string, unknown>; description: string }[] } }>;
      components: { schemas: Record<string, unknown> };
    };
    assert.equal(doc.openapi, '3.1.0');
    for (const path of ['/api/v1/organisations', '/api/v1/organisations/{slug}', '/annuaire.csv', '/annuaire.xlsx', '/annuaire.geojson', '/annuaire/barometre.csv']) {
      assert.ok(doc.paths[path], path);
    }
    const params = doc.paths['/api/v1/organisations']!.get.parameters!;
    assert.deepEqual(
      params.map((p) => p.name),
      ['q', 'famille', 'departement', 'theme', 'pays', 'zone', 'odd', 'adherent', 'tri', 'page', 'par_page'],
    );
    const perPage = params.find((p) => p.name === 'par_page')!;
    assert.equal(perPage.schema.maximum, 100);
    assert.match(perPage.description, /Résultats par page/);
    assert.deepEqual(params.find((p) => p.name === 'tri')!.schema.enum, ['pertinence', 'nom', 'recent']);
    assert.ok(doc.components.schemas.PublicOrganisation);
    assert.doesNotMatch(res.body, /"\$ref":"#\/components\/schemas\/(?!PublicOrganisation|OrganisationList|ApiError|GeoFeatureProperties)/);
  });

  test('the API page lists endpoints and parameters in French', async () => {
    const res = await visitor.get('/api/docs');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>API des données ouvertes<\/h1>/);
    assert.match(res.body, /<code>GET \/api\/v1\/organisations<\/code>/);
    assert.match(res.body, /<code>par_page<\/code>/);
    assert.match(res.body, /Résultats par page, de 1 à 100/);
    assert.match(res.body, /<a href="\/api\/openapi.json">/);
    assert.match(res.body, /<span>Format\u00a0: <\/span><code>application\/json<\/code>/);
    assert.match(res.body, /<span>Exemple\u00a0: <\/span><a href="\/api\/v1\/organisations\?/);
  });

  test('the API page in English writes "Format:" and "Example:", with no space before the colon', async () => {
    const res = await visitor.get('/api/docs', { 'accept-language': 'en' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<span>Format: <\/span><code>application\/json<\/code>/);
    assert.match(res.body, /<span>Example: <\/span><a href="\/api\/v1\/organisations\?/);
    assert.doesNotMatch(res.body, /(Format|Example)[\s\u00a0]:/);
  });
});
