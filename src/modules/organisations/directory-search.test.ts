import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { forEachDialect, type TestDb, testDb } from '../../../test/helpers/db.js';
import { systemClock } from '../../kernel/clock.js';
import { searchTokens } from '../../kernel/search/normalise.js';
import { directoryFacets, searchDirectory } from './directory-search.js';
import { createOrganisation, taxonomies, taxonomyCodes } from './service.js';
import type { DirectoryFilter } from './types.js';
import { validateOrganisation } from './validate.js';

const actor = { id: null, email: null };

function filter(overrides: Partial<DirectoryFilter> = {}): DirectoryFilter {
  return { kinds: [], departments: [], themes: [], countries: [], zones: [], sdgs: [], visibility: ['public'], sort: 'relevance', limit: 20, offset: 0, ...overrides };
}

forEachDialect('directory search', (dialect) => {
  let db: TestDb;
  before(async () => {
    db = await testDb(dialect);
    const codes = taxonomyCodes(await taxonomies(db.db));
    const add = async (raw: Record<string, unknown>) => {
      const result = validateOrganisation(raw, codes, { currentYear: 2026 });
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      return createOrganisation({ db: db.db, clock: systemClock }, actor, result.draft);
    };
    await add({ name: "Associations pour l'eau du Sénégal", kind_code: 'association', commune: '33063', postcode: '33000', themes: ['water_sanitation'], countries: ['SN'] });
    await add({ name: 'Mairie de Pessac', kind_code: 'local_authority', commune: 'Pessac', postcode: '33600', themes: ['local_governance'], countries: ['ML', 'BF'] });
    await add({ name: 'Collectif Limousin Mali', kind_code: 'association', commune: '87085', countries: ['ML'], visibility: 'staff' });
  });
  after(() => db.close());

  test('"association eau senegal" finds "Associations … l\'eau … Sénégal"', async () => {
    const page = await searchDirectory(db.db, db.dialect, filter(), searchTokens('association eau senegal'));
    assert.deepEqual(page.rows.map((r) => r.name), ["Associations pour l'eau du Sénégal"]);
  });

  test('a prefix finds as you type, and visibility hides staff-only records', async () => {
    const page = await searchDirectory(db.db, db.dialect, filter(), searchTokens('mal'));
    assert.deepEqual(page.rows.map((r) => r.name), ['Mairie de Pessac']);
    const staff = await searchDirectory(db.db, db.dialect, filter({ visibility: ['public', 'members', 'staff'] }), searchTokens('mal'));
    assert.equal(staff.total, 2);
  });

  test('facets count the filtered set, each ignoring its own selection', async () => {
    const f = filter({ kinds: ['association'] });
    const facets = await directoryFacets(db.db, db.dialect, f, []);
    assert.deepEqual(facets.kind, [
      { value: 'association', count: 1 },
      { value: 'local_authority', count: 1 },
    ]);
    assert.deepEqual(facets.country, [{ value: 'SN', count: 1 }]);
    assert.deepEqual(facets.zone, [{ value: 'west_africa', count: 1 }]);
    assert.deepEqual(facets.department, [{ value: '33', count: 1 }]);
  });
});
