import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { translator } from '../../kernel/i18n/index.js';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { seedOrganisation, warnedIds } from '../../../test/helpers/duplicate-warning.js';
import { forgetDraftStats, scanDuplicates } from '../duplicates/index.js';
import { distinctNames, type Organisation } from './index.js';

describe('the names of a duplicate warning', () => {
  const t = translator('fr');

  test('a name listed once stays as it is; namesakes are each followed by a hint the others lack', () => {
    assert.deepEqual(
      distinctNames(
        [
          { name: 'Sahel Zinder', hints: ['47510 Foulayronnes', 'Association', 'SIRET 44306184100047', 'créée le 2 mars 2026'] },
          { name: 'SAHEL ZINDER', hints: ['47510 Foulayronnes', 'Association', 'créée le 5 mars 2024'] },
          { name: 'Eau Vive', hints: ['33000 Bordeaux'] },
        ],
        t,
      ),
      ['Sahel Zinder (SIRET 44306184100047)', 'SAHEL ZINDER (créée le 5 mars 2024)', 'Eau Vive'],
    );
  });

  test('namesakes nothing tells apart are numbered', () => {
    assert.deepEqual(
      distinctNames(
        [
          { name: 'Sahel Zinder', hints: ['Foulayronnes'] },
          { name: 'Sahel Zinder', hints: ['Foulayronnes'] },
        ],
        t,
      ),
      ['Sahel Zinder (suggestion 1)', 'Sahel Zinder (suggestion 2)'],
    );
  });
});

/** A visitor's proposal of a "Sahel Zinder" of Foulayronnes, of which the base holds several. */
const PROPOSAL: Record<string, string> = {
  proposer_name: 'Awa Diallo',
  proposer_email: 'awa.diallo@example.org',
  name: 'Sahel Zinder',
  kind_code: 'association',
  commune: 'Foulayronnes',
  postcode: '47510',
};

forEachDialect('public proposal: the duplicate warning shows nothing that is not public', (dialect) => {
  let t: TestApp;
  let visitor: Client;
  let typed: Organisation;
  let imported: Organisation;
  let membersOnly: Organisation;
  let staffOnly: Organisation;

  before(async () => {
    t = await testApp(dialect);
    visitor = t.client();
    await visitor.get('/proposer-une-structure');
    const place = { name: 'Sahel Zinder', kind_code: 'association', commune: 'Foulayronnes', postcode: '47510' };
    typed = await seedOrganisation(t.kernel, { ...place, siret: '44306184100047', website: 'https://www.sahel-zinder.fr', visibility: 'public' });
    imported = await seedOrganisation(t.kernel, { ...place, visibility: 'public' });
    await t.kernel.db
      .updateTable('organisations')
      .set({ source: 'import', source_file: 'adherents-2024.csv', source_row: 12, source_ref: 'ADH-0012', created_at: '2024-03-05T09:00:00.000Z' })
      .where('id', '=', imported.id)
      .execute();
    membersOnly = await seedOrganisation(t.kernel, { ...place, visibility: 'members' });
    staffOnly = await seedOrganisation(t.kernel, { ...place, visibility: 'staff' });
    // Pending pairs in the review queue: staff would get a link to them, a visitor never.
    await scanDuplicates({ db: t.kernel.db, clock: t.kernel.clock });
    forgetDraftStats(t.kernel.db);
  });
  after(() => t.close());

  test('public records only, linked to their public pages, without source, dates, score, visibility or back-office links', async () => {
    const res = await visitor.post('/proposer-une-structure', PROPOSAL);
    assert.equal(res.statusCode, 409);
    assert.deepEqual(warnedIds(res.body).sort(), [typed.id, imported.id].sort());
    const warning = /<section class="flash flash-info duplicate-warning"[\s\S]*?<\/section>/.exec(res.body)?.[0] ?? '';
    const hrefs = [...warning.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(hrefs.length > 0);
    for (const href of hrefs) assert.match(href, /^\/(acteurs\/|demande-de-compte\?)/, `${href}: a public address`);
    assert.ok(hrefs.includes(`/acteurs/${typed.slug}`) && hrefs.includes(`/acteurs/${imported.slug}`));
    for (const secret of [membersOnly, staffOnly]) assert.ok(!res.body.includes(secret.id) && !res.body.includes(secret.slug), `${secret.visibility}-only record not disclosed`);
    for (const [what, pattern] of [
      ['back office', /\/admin\//],
      ['import file', /adherents-2024/],
      ['import row', /ligne 12/],
      ['source reference', /ADH-0012/],
      ['how it was entered', /saisie par|importée|proposition en ligne/],
      ['creation date', /créée le|2024/],
      ['match score', /probabilité|\d\u00a0%/],
      ['visibility', /visibilité|Équipe seulement|Membres/],
    ] as const) {
      assert.doesNotMatch(warning, pattern, `no ${what} in the public warning`);
    }
  });
});
