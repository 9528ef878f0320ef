import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import type { Organisation } from '../organisations/index.js';
import { addOrganisation, giveLogo, testPng } from './test-fixtures.js';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

forEachDialect('organisation logos and social links in public', (dialect) => {
  let t: TestApp;
  let visitor: Client;
  let member: Client;
  let staff: Client;
  let open: Organisation;
  let members: Organisation;
  let internal: Organisation;
  let bare: Organisation;

  before(async () => {
    t = await testApp(dialect);
    const deps = { db: t.kernel.db, clock: t.kernel.clock, config: t.kernel.config };
    open = await giveLogo(
      deps,
      await addOrganisation(deps, {
        name: 'Terre et Partage',
        kind_code: 'association',
        commune: '33063',
        postcode: '33000',
        social_facebook: 'https://www.facebook.com/terre.partage',
        social_linkedin: 'https://www.linkedin.com/company/terre-partage',
      }),
      await testPng(800, 400),
    );
    members = await giveLogo(deps, await addOrganisation(deps, { name: 'Cercle des adhérents', kind_code: 'association', commune: '33063', visibility: 'members' }));
    internal = await giveLogo(deps, await addOrganisation(deps, { name: 'Dossier interne', kind_code: 'association', commune: '33063', visibility: 'staff' }));
    bare = await addOrganisation(deps, { name: 'Sans image', kind_code: 'association', commune: '33063' });
    visitor = t.client();
    member = await t.loginAs('member');
    staff = await t.loginAs('staff');
  });
  after(() => t.close());

  const logoUrl = (o: Organisation) => `/media/organisations/${o.id}/logo?v=${o.logo_file_id}`;

  test('the page shows the logo next to the name, and JSON-LD names it', async () => {
    const page = await visitor.get(`/acteurs/${open.slug}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`<img class="org-logo" src="${escape(logoUrl(open))}" alt="" width="120" height="120"`), 'decorative logo beside the name');
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page.body)![1]!) as Record<string, unknown>;
    assert.equal(ld['logo'], `http://localhost:3000${logoUrl(open)}`);
    assert.deepEqual(ld['sameAs'], ['https://www.facebook.com/terre.partage', 'https://www.linkedin.com/company/terre-partage']);
    assert.match(page.body, /<a href="https:\/\/www.facebook.com\/terre.partage" rel="noopener">Facebook<\/a>/, 'links read as their network');
    assert.match(page.body, />LinkedIn<\/a>/);
    const none = await visitor.get(`/acteurs/${bare.slug}`);
    assert.doesNotMatch(none.body, /org-logo|"logo"/);
  });

  test('result cards carry the logo; the API gives its address', async () => {
    const list = await visitor.get('/annuaire?tri=nom');
    assert.match(list.body, new RegExp(`<img class="org-card-logo" src="${escape(logoUrl(open))}" alt="" width="64" height="64" loading="lazy"`));
    assert.equal((list.body.match(/org-card-logo/g) ?? []).length, 1, 'only the visible organisation with a logo');
    const api = await visitor.get(`/api/v1/organisations/${open.slug}`);
    assert.equal(api.statusCode, 200);
    assert.equal((JSON.parse(api.body) as { logo_url: string }).logo_url, `http://localhost:3000${logoUrl(open)}`);
    assert.equal((JSON.parse((await visitor.get(`/api/v1/organisations/${bare.slug}`)).body) as { logo_url: null }).logo_url, null);
  });

  test('the logo is served as WebP within 400 × 400, cached long at its versioned address', async () => {
    const res = await visitor.get(logoUrl(open));
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'image/webp');
    assert.equal(res.headers['cache-control'], 'public, max-age=2592000, immutable');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    const meta = await sharp(res.rawPayload).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 400, 200]);
    const unversioned = await visitor.get(`/media/organisations/${open.id}/logo`);
    assert.equal(unversioned.headers['cache-control'], 'public, max-age=300');
    const again = await visitor.get(logoUrl(open), { 'if-none-match': String(res.headers['etag']) });
    assert.equal(again.statusCode, 304);
  });

  test('a logo is seen only by whoever may see its organisation', async () => {
    assert.equal((await visitor.get(logoUrl(members))).statusCode, 404);
    const forMember = await member.get(logoUrl(members));
    assert.equal(forMember.statusCode, 200);
    assert.equal(forMember.headers['cache-control'], 'private, max-age=2592000, immutable', 'never kept by shared caches');
    assert.equal((await member.get(logoUrl(internal))).statusCode, 404);
    assert.equal((await staff.get(logoUrl(internal))).statusCode, 200);
    assert.equal((await visitor.get(`/media/organisations/${bare.id}/logo`)).statusCode, 404);
    assert.equal((await visitor.get('/media/organisations/pas-un-id/logo')).statusCode, 404);
  });

  test('any logo file, even one waiting in a proposal, by its id: staff only', async () => {
    const url = `/media/logos/${open.logo_file_id}`;
    assert.equal((await visitor.get(url)).statusCode, 302);
    assert.equal((await member.get(url)).statusCode, 403);
    const res = await staff.get(url);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'image/webp');
    assert.match(String(res.headers['cache-control']), /^private/);
    assert.equal((await staff.get('/media/logos/0190f0f0-0000-7000-8000-000000000000')).statusCode, 404);
  });
});
