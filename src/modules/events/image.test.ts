import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { findUserByEmail } from '../../kernel/auth/repo.js';
import { createOrganisation, linkUserToOrganisation, taxonomies, taxonomyCodes, validateOrganisation } from '../organisations/index.js';
import { findEventById } from './index.js';

const BASE = { type_code: 'network_meeting', start_date: '2030-09-18', start_time: '18:00', end_time: '20:00', venue: 'Halle des Chartrons', commune: 'Bordeaux', postcode: '33000' };
const png = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#1f6f8b' } }).png().toBuffer();
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function idFrom(location: unknown): string {
  return String(location).split('/').pop()!.split('#')[0]!;
}

forEachDialect('event images', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let orgId: string;

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff', 'equipe@example.org');
    const checked = validateOrganisation({ name: 'Cinéma du Sud', kind_code: 'association', commune: '33063', postcode: '33000' }, taxonomyCodes(await taxonomies(t.kernel.db)), { currentYear: 2026 });
    assert.ok(checked.ok);
    orgId = (await createOrganisation(t.kernel, { id: null, email: 'seed@example.org' }, checked.draft)).id;
  });
  after(() => t.close());

  const imageFiles = async () => (await t.kernel.db.selectFrom('files').select('id').where('purpose', '=', 'event-image').execute()).length;
  const eventsTitled = async (title: string) => (await t.kernel.db.selectFrom('events').select('id').where('title', '=', title).execute()).length;

  test('staff upload a real PNG with its alternative text: shown on the public page, in the cards, in JSON-LD; served with caching headers', async () => {
    const form = await staff.get('/admin/agenda/nouveau');
    assert.match(form.body, /enctype="multipart\/form-data"/);
    assert.match(form.body, /<input id="f-image_file" name="image_file" type="file"/);
    assert.match(form.body, /<label for="f-image_alt"><span>Texte alternatif de l’image<\/span>/);

    const res = await staff.postMultipart('/admin/agenda/nouveau', { ...BASE, title: 'Ciné-débat Sahel', image_alt: 'Affiche : un puits au soleil couchant', organisers: orgId, intent: 'publish' }, [
      { field: 'image_file', filename: 'affiche.png', content: await png(1600, 800), type: 'image/png' },
    ]);
    assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
    const event = (await findEventById(t.kernel.db, idFrom(res.headers.location)))!;
    assert.ok(event.image_file_id);
    assert.equal(event.image_alt, 'Affiche : un puits au soleil couchant');

    const src = `/media/events/${event.id}/image?v=${event.image_file_id}`;
    const page = await t.client().get(`/agenda/${event.slug}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`<img src="${escape(src)}" alt="Affiche : un puits au soleil couchant"`));
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page.body)![1]!) as Record<string, unknown>;
    assert.equal(ld['image'], `http://localhost:3000${src}`);
    const list = await t.client().get('/agenda');
    assert.match(list.body, new RegExp(`<img class="event-card-image" src="${escape(src)}" alt="Affiche : un puits au soleil couchant" loading="lazy"`));

    const image = await t.client().get(src);
    assert.equal(image.statusCode, 200);
    assert.equal(image.headers['content-type'], 'image/webp');
    assert.equal(image.headers['cache-control'], 'public, max-age=2592000, immutable');
    assert.equal((await sharp(image.rawPayload).metadata()).width, 1200, 'reduced into 1200 × 1200');
    assert.equal((await t.client().get(`/media/events/${event.id}/image`)).headers['cache-control'], 'public, max-age=300');
    assert.equal((await t.client().get(`/media/event-images/${event.image_file_id}`)).statusCode, 302, 'the staff address is not public');

    // Staff see it in the form; they replace it, then remove it.
    const edit = await staff.get(`/admin/agenda/${event.id}`);
    assert.match(edit.body, new RegExp(`<img src="/media/event-images/${event.image_file_id}" alt="Image actuelle"`));
    const values = { ...BASE, title: 'Ciné-débat Sahel', organisers: orgId, image: event.image_file_id!, image_alt: 'Nouvelle affiche' };
    const replaced = await staff.postMultipart(`/admin/agenda/${event.id}`, values, [{ field: 'image_file', filename: 'nouvelle.jpg', content: await sharp({ create: { width: 300, height: 200, channels: 3, background: '#aa3300' } }).jpeg().toBuffer(), type: 'image/jpeg' }]);
    assert.equal(replaced.statusCode, 303, replaced.body.slice(0, 2000));
    const afterReplace = (await findEventById(t.kernel.db, event.id))!;
    assert.notEqual(afterReplace.image_file_id, event.image_file_id);
    assert.equal(afterReplace.image_alt, 'Nouvelle affiche');
    const removed = await staff.postMultipart(`/admin/agenda/${event.id}`, { ...values, image: afterReplace.image_file_id!, remove_image: '1' }, []);
    assert.equal(removed.statusCode, 303);
    const afterRemove = (await findEventById(t.kernel.db, event.id))!;
    assert.equal(afterRemove.image_file_id, null);
    assert.equal(afterRemove.image_alt, null);
    assert.equal((await t.client().get(`/media/events/${event.id}/image`)).statusCode, 404);
    assert.doesNotMatch((await t.client().get(`/agenda/${afterRemove.slug}`)).body, /event-image|"image"/);
  });

  test('a text file renamed .png, or an image over 2 MB: a French error next to the field, nothing saved', async () => {
    const filesBefore = await imageFiles();
    const fake = await staff.postMultipart('/admin/agenda/nouveau', { ...BASE, title: 'Faux fichier', intent: 'publish' }, [
      { field: 'image_file', filename: 'affiche.png', content: Buffer.from('Ceci est un simple fichier texte.\n'), type: 'image/png' },
    ]);
    assert.equal(fake.statusCode, 400);
    assert.match(fake.body, /id="f-image_file-error">L’image doit être au format PNG, JPEG, WebP ou GIF/);
    assert.match(fake.body, /value="Faux fichier"/, 'what was typed stays');
    assert.equal(await eventsTitled('Faux fichier'), 0);

    const huge = Buffer.concat([await png(10, 10), Buffer.alloc(2 * 1024 * 1024 + 1)]);
    const tooBig = await staff.postMultipart('/admin/agenda/nouveau', { ...BASE, title: 'Image trop lourde', intent: 'publish' }, [{ field: 'image_file', filename: 'lourde.png', content: huge, type: 'image/png' }]);
    assert.equal(tooBig.statusCode, 400);
    assert.match(tooBig.body, /id="f-image_file-error">L’image dépasse 2 Mo : choisissez une image plus légère/);
    assert.equal(await eventsTitled('Image trop lourde'), 0);
    assert.equal(await imageFiles(), filesBefore, 'no image stored');
  });

  test('a member proposes an event with its image; it goes public only when staff approve', async () => {
    const email = 'membre.cinema@example.org';
    const member = await t.loginAs('member', email);
    await linkUserToOrganisation(t.kernel.db, (await findUserByEmail(t.kernel.db, email))!.id, orgId, new Date().toISOString());
    const form = await member.get('/mon-espace/evenements/nouveau');
    assert.match(form.body, /enctype="multipart\/form-data"/);

    const refused = await member.postMultipart('/mon-espace/evenements/nouveau', { ...BASE, type_code: 'conference', title: 'Projection en plein air', organisers: orgId }, [
      { field: 'image_file', filename: 'photo.png', content: Buffer.from('pas une image'), type: 'image/png' },
    ]);
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /L’image doit être au format PNG, JPEG, WebP ou GIF/);

    const sent = await member.postMultipart('/mon-espace/evenements/nouveau', { ...BASE, type_code: 'conference', title: 'Projection en plein air', organisers: orgId, image_alt: 'Un écran sous les étoiles' }, [
      { field: 'image_file', filename: 'plein-air.png', content: await png(800, 600), type: 'image/png' },
    ]);
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 2000));
    assert.equal(await eventsTitled('Projection en plein air'), 0, 'nothing public before moderation');

    const queue = await staff.get('/admin/moderation');
    const id = /href="\/admin\/moderation\/([0-9a-f-]{36})">Projection en plein air</.exec(queue.body)?.[1];
    assert.ok(id, 'the queue lists the proposal');
    const detail = await staff.get(`/admin/moderation/${id}`);
    assert.match(detail.body, /<ins class="mod-value">Image « plein-air.png » envoyée le [^<]+<\/ins>/);
    assert.match(detail.body, /<ins class="mod-value">Un écran sous les étoiles<\/ins>/);
    const edit = await staff.get(`/admin/moderation/${id}/modifier`);
    assert.match(edit.body, /<img src="\/media\/event-images\/[0-9a-f-]{36}" alt="Image actuelle"/);
    assert.doesNotMatch(edit.body, /type="file"/);

    assert.equal((await staff.post(`/admin/moderation/${id}/approuver`)).statusCode, 303);
    const row = await t.kernel.db.selectFrom('events').selectAll().where('title', '=', 'Projection en plein air').executeTakeFirstOrThrow();
    assert.ok(row.image_file_id);
    const file = await t.kernel.db.selectFrom('files').selectAll().where('id', '=', row.image_file_id).executeTakeFirstOrThrow();
    assert.equal(file.original_name, 'plein-air.png');
    const page = await t.client().get(`/agenda/${row.slug}`);
    assert.match(page.body, new RegExp(`<img src="/media/events/${row.id}/image\\?v=${row.image_file_id}" alt="Un écran sous les étoiles"`));
    assert.equal((await t.client().get(`/media/events/${row.id}/image?v=${row.image_file_id}`)).statusCode, 200);
  });
});
