// The in-memory directory index must select exactly what the SQL conditions select (the map and
// other SQL readers use those), count facets as the filtered set does, and follow every change made
// to the database, by any writer, at once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { searchTokens } from '../../src/kernel/search/normalise.js';
import {
  directoryFacets,
  directoryIds,
  directorySelection,
  type DirectoryFilter,
  parseDirectoryQuery,
  searchDirectory,
  sortNameOf,
} from '../../src/modules/organisations/index.js';
import { seedDemo } from '../../src/setup/demo-seed.js';
import { testApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/db.js';

type App = Awaited<ReturnType<typeof testApp>>;

const QUERIES = [
  '',
  'q=eau',
  'q=association+eau+senegal',
  'q=assoc',
  'q=jumelage&departement=33',
  'famille=association&departement=33&departement=24',
  'q=eau&famille=association&departement=33',
  'theme=health&pays=SN',
  'zone=west_africa',
  'zone=west_africa&famille=local_authority',
  'odd=4&odd=6',
  'adherent=oui',
  'adherent=non&theme=water_sanitation',
  'q=mairie&tri=nom',
  'q=ville&tri=recent',
  'q=zzzznothing',
];

function query(text: string) {
  return Object.fromEntries([...new URLSearchParams(text).keys()].map((k) => [k, new URLSearchParams(text).getAll(k)]));
}

forEachDialect('directory index', (dialect) => {
  let app: App;
  before(async () => {
    app = await testApp(dialect);
    await seedDemo(app.kernel);
  });
  after(() => app.close());

  async function sqlIds(filter: DirectoryFilter, tokens: string[]): Promise<string[]> {
    const rows = await directorySelection(app.kernel.db, dialect, filter, tokens).select('o.id').execute();
    return rows.map((r) => r.id).sort();
  }

  test('selects the same organisations as the SQL conditions, for visitors and staff', async () => {
    for (const text of QUERIES) {
      for (const role of [null, 'staff'] as const) {
        const { filter, tokens } = parseDirectoryQuery(query(text), role);
        const expected = await sqlIds(filter, tokens);
        const ids = await directoryIds(app.kernel.db, dialect, filter, tokens);
        assert.deepEqual([...ids].sort(), expected, `${text} (${role ?? 'visitor'})`);
        const page = await searchDirectory(app.kernel.db, dialect, { ...filter, limit: 1000, offset: 0 }, tokens);
        assert.equal(page.total, expected.length, text);
        assert.deepEqual(page.rows.map((r) => r.id).sort(), expected, text);
      }
    }
  });

  test('each facet count is the size of the set with that value chosen instead', async () => {
    for (const text of ['q=eau', 'famille=association&departement=33', 'zone=west_africa&theme=health', 'adherent=oui']) {
      const { filter, tokens } = parseDirectoryQuery(query(text), null);
      const facets = await directoryFacets(app.kernel.db, dialect, filter, tokens);
      assert.ok(facets.kind.length > 0 && facets.department.length > 0, text);
      for (const { value, count } of facets.kind.slice(0, 3)) assert.equal(count, (await sqlIds({ ...filter, kinds: [value] }, tokens)).length, `${text} kind ${value}`);
      for (const { value, count } of facets.department.slice(0, 3)) assert.equal(count, (await sqlIds({ ...filter, departments: [value] }, tokens)).length, `${text} dép ${value}`);
      for (const { value, count } of facets.theme.slice(0, 3)) assert.equal(count, (await sqlIds({ ...filter, themes: [value] }, tokens)).length, `${text} theme ${value}`);
      for (const { value, count } of facets.country.slice(0, 3)) assert.equal(count, (await sqlIds({ ...filter, countries: [value] }, tokens)).length, `${text} pays ${value}`);
      for (const { value, count } of facets.zone.slice(0, 3)) assert.equal(count, (await sqlIds({ ...filter, zones: [value] }, tokens)).length, `${text} zone ${value}`);
      for (const { value, count } of facets.sdg.slice(0, 3)) assert.equal(count, (await sqlIds({ ...filter, sdgs: [Number(value)] }, tokens)).length, `${text} odd ${value}`);
      for (const { value, count } of facets.member) assert.equal(count, (await sqlIds({ ...filter, member: value as 'yes' | 'no' }, tokens)).length, `${text} adhérent ${value}`);
    }
  });

  test('orders by relevance (name words first), by French name order, or by last update', async () => {
    const water = parseDirectoryQuery(query('q=eau'), null);
    const page = await searchDirectory(app.kernel.db, dialect, water.filter, water.tokens);
    assert.ok(page.rows.length > 0);
    assert.ok(searchTokens(page.rows[0]!.name).some((t) => t.startsWith('eau')), `first result ${page.rows[0]!.name}`);

    const byName = parseDirectoryQuery(query('tri=nom'), null);
    const names = (await searchDirectory(app.kernel.db, dialect, { ...byName.filter, limit: 1000 }, [])).rows.map((r) => sortNameOf(r.name));
    assert.deepEqual(names, [...names].sort());

    const recent = parseDirectoryQuery(query('tri=recent'), null);
    const dates = (await searchDirectory(app.kernel.db, dialect, { ...recent.filter, limit: 1000 }, [])).rows.map((r) => new Date(r.updated_at).getTime());
    assert.deepEqual(dates, [...dates].sort((a, b) => b - a));
  });

  test('a change written straight to the database shows in the next search', async () => {
    const { filter, tokens } = parseDirectoryQuery(query('q=zanzibarique'), null);
    assert.equal((await searchDirectory(app.kernel.db, dialect, filter, tokens)).total, 0);
    const target = await app.kernel.db.selectFrom('organisations').select(['id', 'search_text']).where('visibility', '=', 'public').executeTakeFirstOrThrow();
    await app.kernel.db.updateTable('organisations').set({ search_text: `${target.search_text} zanzibarique` }).where('id', '=', target.id).execute();
    const found = await searchDirectory(app.kernel.db, dialect, filter, tokens);
    assert.deepEqual(found.rows.map((r) => r.id), [target.id]);
    await app.kernel.db.deleteFrom('organisation_themes').where('organisation_id', '=', target.id).execute();
    await app.kernel.db.insertInto('organisation_themes').values({ organisation_id: target.id, theme_code: 'energy' }).execute();
    const energy = parseDirectoryQuery(query('q=zanzibarique&theme=energy'), null);
    assert.equal((await searchDirectory(app.kernel.db, dialect, energy.filter, energy.tokens)).total, 1);
  });
});
