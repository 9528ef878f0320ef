import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { seedOrganisation, warnedIds } from '../../../test/helpers/duplicate-warning.js';
import { forgetDraftStats } from '../duplicates/index.js';
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
