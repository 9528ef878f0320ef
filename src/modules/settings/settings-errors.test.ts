import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';

/** A real 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
const VALID = { network_name: 'Réseau Sud-Ouest Coopération', region_code: '75', contact_email: 'contact@reseau.example.org' };

/** The network settings form reports every error of a submit at once, the logo's included. */
forEachDialect('settings: every error at once', (dialect) => {
  let t: TestApp;
  let admin: Client;

  before(async () => {
    t = await testApp(dialect);
    admin = await t.loginAs('admin');
  });
  after(() => t.close());

  async function save(fields: Record<string, string>, files: Parameters<Client['postMultipart']>[2] = []) {
    await admin.get('/admin/parametres');
    return admin.postMultipart('/admin/parametres', fields, files);
  }
  const tmpFiles = () => {
    const dir = `${t.config.dataDir}/tmp`;
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  };
  /** The error summary's items, in order. */
  const summary = (body: string) => [...(/<div class="error-summary"[\s\S]*?<\/div>/.exec(body)?.[0] ?? '').matchAll(/<li><a href="#f-([\w-]+)">([^<]*)<\/a><\/li>/g)].map((m) => `${m[1]}: ${m[2]}`);

  test('an SVG logo with an empty network name: both errors on the same submit', async () => {
    const before = await t.kernel.settings.get();
    const res = await save({ ...VALID, network_name: '' }, [{ field: 'logo', filename: 'logo.svg', content: SVG, type: 'image/svg+xml' }]);
    assert.equal(res.statusCode, 400);
    assert.deepEqual(summary(res.body), ['network_name: Indiquez le nom du réseau.', 'logo: Le fichier n’est pas une image PNG, JPEG, WebP ou GIF.']);
    assert.equal((await t.kernel.settings.get()).logoFileId, before.logoFileId);
    assert.deepEqual(tmpFiles(), []);
  });

  test('a valid PNG chosen on a submit that fails elsewhere is not dropped silently: choose it again', async () => {
    const before = await t.kernel.settings.get();
    const res = await save({ ...VALID, network_name: '', contact_email: 'pas-une-adresse' }, [{ field: 'logo', filename: 'logo.png', content: PNG, type: 'image/png' }]);
    assert.equal(res.statusCode, 400);
    assert.deepEqual(summary(res.body), ['network_name: Indiquez le nom du réseau.', 'contact_email: Saisissez une adresse email valide, par exemple nom@exemple.fr.', 'logo: Le formulaire contient des erreurs : choisissez de nouveau le logo.']);
    assert.equal((await t.kernel.settings.get()).logoFileId, before.logoFileId);
    assert.deepEqual(tmpFiles(), []);
    // Chosen again with the other fields corrected, it is saved.
    assert.equal((await save(VALID, [{ field: 'logo', filename: 'logo.png', content: PNG, type: 'image/png' }])).statusCode, 303);
    assert.notEqual((await t.kernel.settings.get()).logoFileId, before.logoFileId);
  });

  test('without a logo, only the fields’ errors', async () => {
    const res = await save({ ...VALID, network_name: '' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(summary(res.body), ['network_name: Indiquez le nom du réseau.']);
  });

  test('each empty field says what it wants, never « Ce champ est obligatoire. »', async () => {
    const res = await save({ network_name: '', region_code: '', contact_email: '' });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(summary(res.body), [
      'network_name: Indiquez le nom du réseau.',
      'region_code: Choisissez la région du réseau.',
      'contact_email: Indiquez l’adresse email de contact du réseau.',
    ]);
    assert.doesNotMatch(res.body, /Ce champ est obligatoire/);
  });
});
