import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { seedOrganisation, warnedIds } from '../../../test/helpers/duplicate-warning.js';
import { forgetDraftStats, scanDuplicates } from '../duplicates/index.js';
import type { Organisation } from '../organisations/index.js';

/** A visitor's proposal of a "Sahel Zinder" of Foulayronnes, of which the directory lists several. */
const PROPOSAL: Record<string, string> = {
  proposer_name: 'Awa Diallo',
  proposer_email: 'awa.diallo@example.org',
  name: 'Sahel Zinder',
  kind_code: 'association',
  commune: 'Foulayronnes',
  postcode: '47510',
};

forEachDialect('public proposal: namesakes in one commune are told apart', (dialect) => {
  let t: TestApp;
  let visitor: Client;
  let withSiret: Organisation;
  let withRna: Organisation;
  let bare: Organisation;
  let membersOnly: Organisation;

  before(async () => {
    t = await testApp(dialect);
    visitor = t.client();
    await visitor.get('/proposer-une-structure');
    const place = { name: 'Sahel Zinder', kind_code: 'association', commune: 'Foulayronnes', postcode: '47510' };
    withSiret = await seedOrganisation(t.kernel, { ...place, siret: '44306184100047', website: 'https://www.sahel-zinder.fr', visibility: 'public' });
    withRna = await seedOrganisation(t.kernel, { ...place, rna: 'W332012345', email: 'contact@sahel-zinder.example.org', visibility: 'public' });
    bare = await seedOrganisation(t.kernel, { ...place, visibility: 'public' });
    membersOnly = await seedOrganisation(t.kernel, { ...place, siret: '73282932000074', visibility: 'members' });
    forgetDraftStats(t.kernel.db);
  });
  after(() => t.close());

  test('each suggestion and its account request link read differently, with only what its public page shows', async () => {
    const res = await visitor.post('/proposer-une-structure', PROPOSAL);
    assert.equal(res.statusCode, 409);
    assert.deepEqual(warnedIds(res.body).sort(), [withSiret.id, withRna.id, bare.id].sort());
    const warning = /<section class="flash flash-info duplicate-warning"[\s\S]*?<\/section>/.exec(res.body)?.[0] ?? '';
    const links = [...warning.matchAll(/<a href="([^"]+)">([^<]*)<\/a>/g)].map((m) => ({ href: m[1]!.replaceAll('&amp;', '&'), text: m[2]! }));
    const nameOf = (o: Organisation) => links.find((l) => l.href === `/acteurs/${o.slug}`)?.text;
    const requestOf = (o: Organisation) => links.find((l) => l.href === `/demande-de-compte?structure=${o.id}`)?.text;

    assert.equal(nameOf(withSiret), 'Sahel Zinder (SIRET 44306184100047)');
    assert.equal(nameOf(withRna), 'Sahel Zinder (RNA W332012345)');
    assert.match(nameOf(bare) ?? '', /^Sahel Zinder \(suggestion [123]\)$/);
    assert.equal(requestOf(withSiret), 'Demander un accès pour gérer Sahel Zinder (SIRET 44306184100047)');
    const texts = links.map((l) => l.text);
    assert.equal(texts.length, 6, 'a page link and an account request link for each');
    assert.equal(new Set(texts).size, texts.length, `no two links read alike: ${texts.join(' | ')}`);

    assert.match(warning, new RegExp(`<a href="/acteurs/${withSiret.slug}">[^<]*</a><span> · 47510 Foulayronnes · Association</span>`));
    assert.match(warning, /<p class="hint">SIRET 44306184100047 · site sahel-zinder\.fr<\/p>/);
    assert.doesNotMatch(warning, /contact@sahel-zinder/, 'no e-mail among the facts');
    assert.ok(!res.body.includes(membersOnly.id) && !warning.includes('73282932000074'), 'nothing of the members-only namesake');
  });
});

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
