import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { findUserByEmail } from '../../kernel/auth/repo.js';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { organisationForm as formOf } from '../../../test/helpers/organisation-form.js';
import {
  createOrganisation,
  findOrganisationById,
  findOrganisationBySlug,
  linkUserToOrganisation,
  taxonomies,
  taxonomyCodes,
  validateOrganisation,
} from '../organisations/index.js';

const png = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#1f6f8b' } }).png().toBuffer();

forEachDialect('logos and social links in proposals', (dialect) => {
  let t: TestApp;
  let staff: Client;

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff', 'equipe@example.org');
  });
  after(() => t.close());

  async function organisation(name: string) {
    const checked = validateOrganisation({ name, kind_code: 'association', commune: '33063', postcode: '33000', themes: ['health'] }, taxonomyCodes(await taxonomies(t.kernel.db)), { currentYear: 2026 });
    assert.ok(checked.ok);
    return createOrganisation(t.kernel, { id: null, email: 'seed@example.org' }, checked.draft);
  }

  async function pendingProposal(title: string): Promise<string> {
    const queue = await staff.get('/admin/moderation');
    const id = new RegExp(`href="/admin/moderation/([0-9a-f-]{36})">${title}<`).exec(queue.body)?.[1];
    assert.ok(id, `the queue lists « ${title} »`);
    return id;
  }

  test('a member proposes a new logo and social links; nothing goes live until staff approve', async () => {
    const org = await organisation('Solidarité Andes Gironde');
    const email = 'membre.andes@example.org';
    const member = await t.loginAs('member', email);
    await linkUserToOrganisation(t.kernel.db, (await findUserByEmail(t.kernel.db, email))!.id, org.id, new Date().toISOString());

    const page = await member.get(`/mon-espace/structures/${org.id}/modifier`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /enctype="multipart\/form-data"/);
    assert.match(page.body, /<input id="f-logo_file" name="logo_file" type="file"/);
    assert.match(page.body, /<input id="f-social_facebook" name="social_facebook" type="url"/);

    // A refused image: a French message next to the field, and what was typed stays.
    const refused = await member.postMultipart(`/mon-espace/structures/${org.id}/modifier`, formOf(org, { acronym: 'SAG', social_instagram: 'instagram.com/andes' }), [
      { field: 'logo_file', filename: 'logo.svg', content: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), type: 'image/svg+xml' },
    ]);
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /id="f-logo_file-error">Le logo doit être une image PNG, JPEG, WebP ou GIF/);
    assert.match(refused.body, /value="SAG"/);
    assert.match(refused.body, /value="instagram.com\/andes"/);

    const sent = await member.postMultipart(
      `/mon-espace/structures/${org.id}/modifier`,
      formOf(org, { acronym: 'SAG', social_facebook: 'https://www.facebook.com/andes.gironde', social_instagram: 'instagram.com/andes' }),
      [{ field: 'logo_file', filename: 'andes.png', content: await png(600, 300), type: 'image/png' }],
    );
    assert.equal(sent.statusCode, 303);

    // Pending: the record, its public page and its logo address are unchanged.
    const pendingRecord = (await findOrganisationById(t.kernel.db, org.id))!;
    assert.equal(pendingRecord.logo_file_id, null);
    assert.equal(pendingRecord.social_links, null);
    const publicPage = await t.client().get(`/acteurs/${org.slug}`);
    assert.doesNotMatch(publicPage.body, /org-logo|facebook/);
    assert.equal((await t.client().get(`/media/organisations/${org.id}/logo`)).statusCode, 404);

    // The member sees their pending proposal, logo included, when they come back.
    const again = await member.get(`/mon-espace/structures/${org.id}/modifier`);
    const pendingLogo = /<input type="hidden" name="logo" value="([0-9a-f-]{36})"/.exec(again.body)?.[1];
    assert.ok(pendingLogo, 'the proposed logo rides along');
    assert.match(again.body, /Un logo est joint à cette fiche/);
    assert.doesNotMatch(again.body, /\/media\/logos\//, 'a member is not sent to a staff-only address');

    // Staff see the change of logo and links in the diff, and the image in the edit form.
    const id = await pendingProposal('Solidarité Andes Gironde');
    const detail = await staff.get(`/admin/moderation/${id}`);
    assert.match(detail.body, /<th scope="row"><span>Logo<\/span><\/th><td class="mod-before" data-label="Avant"><del class="mod-value">\(vide\)<\/del><\/td><td class="mod-after" data-label="Proposé"><ins class="mod-value">Image « andes.png » envoyée le [^<]+<\/ins>/);
    assert.match(detail.body, /<span>Facebook<\/span>[\s\S]*?<ins class="mod-value">https:\/\/www.facebook.com\/andes.gironde<\/ins>/);
    assert.match(detail.body, /<span>Instagram<\/span>[\s\S]*?<ins class="mod-value">https:\/\/instagram.com\/andes<\/ins>/);
    const edit = await staff.get(`/admin/moderation/${id}/modifier`);
    assert.match(edit.body, new RegExp(`<img src="/media/logos/${pendingLogo}" alt="Logo actuel"`));
    assert.doesNotMatch(edit.body, /type="file"/, 'this form keeps or removes the proposed logo; uploads are in the back office');
    const image = await staff.get(`/media/logos/${pendingLogo}`);
    assert.equal(image.statusCode, 200);
    assert.equal((await sharp(image.rawPayload).metadata()).width, 400);

    assert.equal((await staff.post(`/admin/moderation/${id}/approuver`)).statusCode, 303);
    const approved = (await findOrganisationById(t.kernel.db, org.id))!;
    assert.equal(approved.logo_file_id, pendingLogo);
    assert.equal(approved.acronym, 'SAG');
    assert.deepEqual(JSON.parse(approved.social_links!), { facebook: 'https://www.facebook.com/andes.gironde', instagram: 'https://instagram.com/andes' });
    const live = await t.client().get(`/acteurs/${approved.slug}`);
    assert.match(live.body, new RegExp(`<img class="org-logo" src="/media/organisations/${org.id}/logo\\?v=${pendingLogo}"`));
    assert.match(live.body, /<a href="https:\/\/instagram.com\/andes" rel="noopener">Instagram<\/a>/);
    assert.equal((await t.client().get(`/media/organisations/${org.id}/logo?v=${pendingLogo}`)).statusCode, 200);
  });

  test('a member’s removal of the logo is a proposal too; staff may keep the logo when they edit it', async () => {
    const org = await organisation('Horizons Partagés');
    const email = 'membre.horizons@example.org';
    const member = await t.loginAs('member', email);
    await linkUserToOrganisation(t.kernel.db, (await findUserByEmail(t.kernel.db, email))!.id, org.id, new Date().toISOString());
    // Staff give it a logo first (back office).
    const given = await staff.postMultipart(`/admin/organisations/${org.id}`, formOf(org), [{ field: 'logo_file', filename: 'horizons.png', content: await png(100, 100), type: 'image/png' }]);
    assert.equal(given.statusCode, 303);
    const withLogo = (await findOrganisationById(t.kernel.db, org.id))!;
    assert.ok(withLogo.logo_file_id);

    const form = await member.get(`/mon-espace/structures/${org.id}/modifier`);
    assert.match(form.body, /<input type="checkbox" id="f-remove_logo" name="remove_logo" value="1"/);
    assert.equal((await member.postMultipart(`/mon-espace/structures/${org.id}/modifier`, formOf(withLogo, { remove_logo: '1' }), [])).statusCode, 303);
    assert.equal((await findOrganisationById(t.kernel.db, org.id))!.logo_file_id, withLogo.logo_file_id, 'still live until reviewed');
    const id = await pendingProposal('Horizons Partagés');
    const detail = await staff.get(`/admin/moderation/${id}`);
    assert.match(detail.body, /<span>Logo<\/span><\/th><td class="mod-before" data-label="Avant"><del class="mod-value">Image « horizons.png » envoyée le [^<]+<\/del><\/td><td class="mod-after" data-label="Proposé"><ins class="mod-value">\(vide\)<\/ins>/);

    // Staff edit the proposal and keep the logo (the box left unticked).
    const current = (await findOrganisationById(t.kernel.db, org.id))!;
    const kept = await staff.post(`/admin/moderation/${id}/modifier`, formOf(current, { decision_message: 'Nous gardons votre logo.' }));
    assert.equal(kept.statusCode, 303);
    assert.equal((await findOrganisationById(t.kernel.db, org.id))!.logo_file_id, withLogo.logo_file_id);
  });

  test('a visitor proposes a new organisation with its logo; approval creates it with the logo', async () => {
    const visitor = t.client();
    await visitor.get('/proposer-une-structure');
    const sent = await visitor.postMultipart(
      '/proposer-une-structure',
      { proposer_name: 'Awa Diallo', proposer_email: 'awa@example.org', name: 'Ciné Solidaire Landes', kind_code: 'association', commune: '40192', social_youtube: 'https://www.youtube.com/@cinesolidaire' },
      [{ field: 'logo_file', filename: 'cine.jpg', content: await sharp({ create: { width: 500, height: 500, channels: 3, background: '#222222' } }).jpeg().toBuffer(), type: 'image/jpeg' }],
    );
    assert.equal(sent.statusCode, 303);
    const id = await pendingProposal('Ciné Solidaire Landes');
    const detail = await staff.get(`/admin/moderation/${id}`);
    assert.match(detail.body, /Image « cine.jpg » envoyée le/);
    assert.equal((await staff.post(`/admin/moderation/${id}/approuver`)).statusCode, 303);
    const created = await findOrganisationBySlug(t.kernel.db, 'cine-solidaire-landes');
    assert.ok(created?.organisation.logo_file_id, 'the new organisation has the logo');
    assert.deepEqual(JSON.parse(created.organisation.social_links!), { youtube: 'https://www.youtube.com/@cinesolidaire' });
    const file = await t.kernel.db.selectFrom('files').selectAll().where('id', '=', created.organisation.logo_file_id).executeTakeFirstOrThrow();
    assert.equal(file.created_by, null, 'sent by a visitor');
    assert.equal(file.purpose, 'organisation-logo');
  });
});
