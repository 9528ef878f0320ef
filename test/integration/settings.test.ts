import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/db.js';

/** A real 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

const VALID = { network_name: 'Réseau Sud-Ouest Coopération', region_code: '75', contact_email: 'contact@reseau.example.org' };

forEachDialect('settings', (dialect) => {
  let t: TestApp;
  let admin: Client;

  before(async () => {
    t = await testApp(dialect);
    admin = await t.loginAs('admin', 'admin.parametres@example.org');
  });
  after(() => t.close());

  async function save(fields: Record<string, string>, files: Parameters<Client['postMultipart']>[2] = []) {
    await admin.get('/admin/parametres');
    return admin.postMultipart('/admin/parametres', fields, files);
  }

  test('the region is 75 (Nouvelle-Aquitaine) until an admin changes it', async () => {
    assert.equal((await t.kernel.settings.get()).regionCode, '75');
    const page = await admin.get('/admin/parametres');
    assert.match(page.body, /<option value="75" selected/);
  });

  test('an admin changes name, region and contact email; the header shows the new name', async () => {
    const res = await save({ ...VALID, network_name: 'Réseau Grand Est Solidaire', region_code: '44', contact_email: 'bonjour@grandest.example.org' });
    assert.equal(res.statusCode, 303);
    const settings = await t.kernel.settings.get();
    assert.equal(settings.networkName, 'Réseau Grand Est Solidaire');
    assert.equal(settings.regionCode, '44');
    assert.equal(settings.contactEmail, 'bonjour@grandest.example.org');
    const home = await t.client().get('/');
    assert.match(home.body, /<a class="brand" href="\/">[\s\S]*?<span>Réseau Grand Est Solidaire<\/span>/);
    const form = await admin.get('/admin/parametres');
    assert.match(form.body, /Les paramètres sont enregistrés/);
    assert.match(form.body, /<option value="44" selected/);
  });

  test('a region code that is not an INSEE region is refused with a French error', async () => {
    const before = await t.kernel.settings.get();
    for (const code of ['99', '13', 'abc']) {
      const res = await save({ ...VALID, region_code: code });
      assert.equal(res.statusCode, 400, code);
      assert.match(res.body, /Choisissez une valeur de la liste/);
    }
    assert.equal((await t.kernel.settings.get()).regionCode, before.regionCode);
  });

  test('an invalid contact email or an empty name is refused with French errors', async () => {
    const res = await save({ ...VALID, network_name: '', contact_email: 'pas-une-adresse' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Saisissez une adresse email valide/);
    assert.match(res.body, /Indiquez le nom du réseau\./);
    assert.doesNotMatch(res.body, /Ce champ est obligatoire/);
  });

  test('a PNG logo is accepted and served at /media/logo with its sniffed type', async () => {
    const res = await save(VALID, [{ field: 'logo', filename: 'logo.png', content: PNG, type: 'application/octet-stream' }]);
    assert.equal(res.statusCode, 303);
    const logo = await t.client().get('/media/logo');
    assert.equal(logo.statusCode, 200);
    assert.equal(logo.headers['content-type'], 'image/png');
    assert.equal(logo.headers['x-content-type-options'], 'nosniff');
    assert.deepEqual(logo.rawPayload, PNG);
    const home = await t.client().get('/');
    assert.match(home.body, /<img src="\/media\/logo\?v=[^"]+"/);
  });

  test('a text file named .png is refused: "n’est pas une image"', async () => {
    const before = await t.kernel.settings.get();
    const res = await save(VALID, [{ field: 'logo', filename: 'logo.png', content: Buffer.from('Bonjour, je ne suis pas une image.\n'), type: 'image/png' }]);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /n’est pas une image/);
    assert.equal((await t.kernel.settings.get()).logoFileId, before.logoFileId);
  });

  test('a logo over 1 MB is refused', async () => {
    const before = await t.kernel.settings.get();
    const big = Buffer.concat([PNG, Buffer.alloc(1024 * 1024 + 1)]);
    const res = await save(VALID, [{ field: 'logo', filename: 'grand.png', content: big, type: 'image/png' }]);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Le logo dépasse 1 Mo/);
    assert.equal((await t.kernel.settings.get()).logoFileId, before.logoFileId);
  });

  test('a refused logo leaves no file behind', async () => {
    const countFiles = async () => Number((await t.db.db.selectFrom('files').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const files = await countFiles();
    await save(VALID, [{ field: 'logo', filename: 'faux.png', content: Buffer.from('pas une image'), type: 'image/png' }]);
    assert.equal(await countFiles(), files);
    const { readdirSync, existsSync } = await import('node:fs');
    const tmp = `${t.config.dataDir}/tmp`;
    assert.deepEqual(existsSync(tmp) ? readdirSync(tmp) : [], []);
  });

  test('staff and members cannot open or change the settings (403)', async () => {
    for (const role of ['staff', 'member'] as const) {
      const client = await t.loginAs(role);
      assert.equal((await client.get('/admin/parametres')).statusCode, 403);
      await client.get('/');
      assert.equal((await client.postMultipart('/admin/parametres', VALID, [])).statusCode, 403);
    }
  });

  test('the audit log records the settings before and after a change', async () => {
    const before = await t.kernel.settings.get();
    assert.equal((await save({ ...VALID, network_name: 'Réseau audité', region_code: '53' })).statusCode, 303);
    const row = await t.db.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'settings.updated')
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(row.actor_email, 'admin.parametres@example.org');
    assert.equal(row.entity_type, 'settings');
    assert.deepEqual(JSON.parse(row.before!), {
      networkName: before.networkName,
      regionCode: before.regionCode,
      contactEmail: before.contactEmail,
      logoFileId: before.logoFileId,
    });
    assert.deepEqual(JSON.parse(row.after!), {
      networkName: 'Réseau audité',
      regionCode: '53',
      contactEmail: VALID.contact_email,
      logoFileId: before.logoFileId,
    });
  });

  test('removing the logo brings back the default mark; /media/logo then answers 404', async () => {
    assert.equal((await save(VALID, [{ field: 'logo', filename: 'logo.png', content: PNG, type: 'image/png' }])).statusCode, 303);
    assert.equal((await t.client().get('/media/logo')).statusCode, 200);
    assert.equal((await save({ ...VALID, remove_logo: '1' })).statusCode, 303);
    assert.equal((await t.kernel.settings.get()).logoFileId, null);
    assert.equal((await t.client().get('/media/logo')).statusCode, 404);
    assert.match((await t.client().get('/')).body, /<img src="\/assets\/logo.svg"/);
  });
});
