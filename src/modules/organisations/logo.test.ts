import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { organisationForm as formOf } from '../../../test/helpers/organisation-form.js';
import { findUserByEmail } from '../../kernel/auth/repo.js';
import { uploadsDir } from '../../kernel/files/uploads.js';
import { newId } from '../../kernel/ids.js';
import type { Kernel } from '../../kernel/http/types.js';
import { createOrganisation, findOrganisationById, linkUserToOrganisation, LOGO_MAX_BYTES, storeLogo, taxonomies, taxonomyCodes, validateOrganisation } from './index.js';

function testPng(width = 40, height = 20): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#0a6e4f' } }).png().toBuffer();
}

async function addOrganisation(kernel: Kernel, raw: Record<string, unknown>) {
  const result = validateOrganisation(raw, taxonomyCodes(await taxonomies(kernel.db)), { currentYear: 2026 });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return createOrganisation(kernel, { id: null, email: null }, result.draft);
}

/** CRC-32 of PNG chunks (node:zlib has none on Node 20). */
function crc32(buffer: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of buffer) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A tiny PNG file whose header claims 30,000 × 30,000 pixels: a decoding bomb. */
function pixelBomb(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(30_000, 0);
  header.writeUInt32BE(30_000, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])), chunk('IEND', Buffer.alloc(0))]);
}

forEachDialect('organisation logos', (dialect) => {
  let t: TestApp;
  let staff: Client;

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff', 'equipe@example.org');
  });
  after(() => t.close());

  async function upload(content: Buffer, filename = 'logo.bin') {
    const dir = path.join(t.config.dataDir, 'tmp');
    fs.mkdirSync(dir, { recursive: true });
    const tmpPath = path.join(dir, `upload-${newId()}`);
    fs.writeFileSync(tmpPath, content);
    const result = await storeLogo(t.kernel, { tmpPath, filename, declaredMime: 'application/octet-stream', size: content.length, truncated: false }, null);
    assert.equal(fs.existsSync(tmpPath), false, 'the upload is removed whatever happens');
    return result;
  }

  async function stored(fileId: string) {
    const file = await t.kernel.db.selectFrom('files').selectAll().where('id', '=', fileId).executeTakeFirstOrThrow();
    const content = fs.readFileSync(path.join(uploadsDir(t.config.dataDir), file.storage_path));
    return { file, content, meta: await sharp(content).metadata() };
  }

  test('PNG, JPEG, WebP and GIF are accepted by their content, reduced into 400 × 400 and stored as WebP', async () => {
    const big = await sharp({ create: { width: 1200, height: 600, channels: 3, background: '#c0392b' } }).jpeg().toBuffer();
    const cases: [Buffer, string, [number, number]][] = [
      [await testPng(40, 20), 'petit.png', [40, 20]],
      [big, 'grand.jpg', [400, 200]],
      [await sharp({ create: { width: 300, height: 900, channels: 4, background: '#0000ff80' } }).webp().toBuffer(), 'haut.webp', [133, 400]],
      [await sharp({ create: { width: 50, height: 50, channels: 3, background: '#00ff00' } }).gif().toBuffer(), 'anime.gif', [50, 50]],
    ];
    for (const [content, name, [width, height]] of cases) {
      const result = await upload(content, name);
      assert.ok(result.ok, name);
      const { file, meta } = await stored(result.fileId);
      assert.equal(file.purpose, 'organisation-logo');
      assert.equal(file.mime, 'image/webp');
      assert.equal(file.original_name, name);
      assert.equal(meta.format, 'webp', name);
      assert.deepEqual([meta.width, meta.height], [width, height], `${name}: aspect kept, never enlarged`);
    }
  });

  test('metadata (EXIF: author, place…) does not survive', async () => {
    const withExif = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#888888' } })
      .jpeg()
      .withMetadata({ exif: { IFD0: { Copyright: 'Photographe privé', ImageDescription: 'Rue des Secrets, Bordeaux' } } })
      .toBuffer();
    assert.ok((await sharp(withExif).metadata()).exif, 'the source carries EXIF');
    const result = await upload(withExif, 'photo.jpg');
    assert.ok(result.ok);
    const { content, meta } = await stored(result.fileId);
    assert.equal(meta.exif, undefined);
    assert.ok(!content.includes(Buffer.from('Secrets')));
  });

  test('SVG, text posing as PNG, files over 2 MB and decoding bombs are refused with their reason', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    assert.deepEqual(await upload(svg, 'logo.svg'), { ok: false, problem: { key: 'org.error.logoType' } });
    assert.deepEqual(await upload(Buffer.from('Bonjour, je ne suis pas une image.'), 'faux.png'), { ok: false, problem: { key: 'org.error.logoType' } });
    const huge = Buffer.concat([await testPng(), Buffer.alloc(LOGO_MAX_BYTES)]);
    assert.deepEqual(await upload(huge, 'lourd.png'), { ok: false, problem: { key: 'org.error.logoSize' } });
    const broken = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('pas la suite')]);
    assert.deepEqual(await upload(broken, 'casse.png'), { ok: false, problem: { key: 'org.error.logoUnreadable' } });
    assert.deepEqual(await upload(pixelBomb(), 'bombe.png'), { ok: false, problem: { key: 'org.error.logoUnreadable' } });
    const files = await t.kernel.db.selectFrom('files').select('original_name').where('purpose', '=', 'organisation-logo').execute();
    assert.ok(!files.some((f) => ['logo.svg', 'faux.png', 'lourd.png', 'casse.png', 'bombe.png'].includes(f.original_name)), 'nothing refused is kept');
  });

  test('staff upload a logo in the full edit; a refused one keeps everything typed; the box removes it', async () => {
    const org = await addOrganisation(t.kernel, { name: 'Pont des Cultures', kind_code: 'association', commune: '33063', postcode: '33000', themes: ['health'] });
    const page = await staff.get(`/admin/organisations/${org.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<form method="post" action="\/admin\/organisations\/[^"]+" enctype="multipart\/form-data"/, 'the form can carry a file');
    assert.match(page.body, /<input id="f-logo_file" name="logo_file" type="file"[^>]*accept="image\/png,image\/jpeg,image\/webp,image\/gif"/);

    // An SVG: refused next to the field, in French; what was typed is still there.
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>');
    const refused = await staff.postMultipart(`/admin/organisations/${org.id}`, formOf(org, { acronym: 'PDC', social_facebook: 'facebook.com/pontdescultures' }), [
      { field: 'logo_file', filename: 'logo.svg', content: svg, type: 'image/svg+xml' },
    ]);
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /<p class="field-error" id="f-logo_file-error">Le logo doit être une image PNG, JPEG, WebP ou GIF \(le SVG n’est pas accepté\)\.<\/p>/);
    assert.match(refused.body, /aria-describedby="f-logo_file-hint f-logo_file-error"/);
    assert.match(refused.body, /id="f-acronym" name="acronym" type="text" value="PDC"/, 'the other fields are redisplayed');
    assert.match(refused.body, /value="facebook.com\/pontdescultures"/);
    assert.equal((await findOrganisationById(t.kernel.db, org.id))!.logo_file_id, null);

    // Too heavy: the size is the reason given.
    const heavy = await staff.postMultipart(`/admin/organisations/${org.id}`, formOf(org), [
      { field: 'logo_file', filename: 'lourd.png', content: Buffer.concat([await testPng(), Buffer.alloc(LOGO_MAX_BYTES)]), type: 'image/png' },
    ]);
    assert.equal(heavy.statusCode, 400);
    assert.match(heavy.body, /Le logo dépasse 2 Mo/);

    // A PNG with another field wrong: the logo is kept for the next try, nothing is written yet.
    const withError = await staff.postMultipart(`/admin/organisations/${org.id}`, formOf(org, { siret: '123' }), [
      { field: 'logo_file', filename: 'pont.png', content: await testPng(200, 100), type: 'image/png' },
    ]);
    assert.equal(withError.statusCode, 400);
    const kept = /<input type="hidden" name="logo" value="([0-9a-f-]{36})"/.exec(withError.body)?.[1];
    assert.ok(kept, 'the uploaded logo rides along in the redisplayed form');
    assert.match(withError.body, new RegExp(`<img src="/media/logos/${kept}" alt="Logo actuel"`), 'staff see it');
    assert.equal((await findOrganisationById(t.kernel.db, org.id))!.logo_file_id, null);

    const saved = await staff.postMultipart(`/admin/organisations/${org.id}`, formOf(org, { logo: kept }), []);
    assert.equal(saved.statusCode, 303);
    const withLogo = (await findOrganisationById(t.kernel.db, org.id))!;
    assert.equal(withLogo.logo_file_id, kept);
    const history = await t.kernel.db.selectFrom('audit_log').select('after').where('entity_id', '=', org.id).where('action', '=', 'organisation.updated').execute();
    assert.ok(history.some((h) => String(h.after).includes(kept)), 'the audit log records the new logo');

    // Saving again without a file keeps the logo; the box removes it.
    assert.equal((await staff.postMultipart(`/admin/organisations/${org.id}`, formOf(withLogo, { acronym: 'PC' }), [])).statusCode, 303);
    assert.equal((await findOrganisationById(t.kernel.db, org.id))!.logo_file_id, kept);
    const edit = await staff.get(`/admin/organisations/${org.id}`);
    assert.match(edit.body, /<input type="checkbox" id="f-remove_logo" name="remove_logo" value="1"/);
    assert.equal((await staff.postMultipart(`/admin/organisations/${org.id}`, formOf(withLogo, { remove_logo: '1' }), [])).statusCode, 303);
    assert.equal((await findOrganisationById(t.kernel.db, org.id))!.logo_file_id, null);
    assert.deepEqual(fs.readdirSync(path.join(t.config.dataDir, 'tmp')).filter((f) => f.startsWith('upload-')), [], 'no upload left behind');
  });

  test('on a member’s form, each bad count or social link names its field in the error summary', async () => {
    const org = await addOrganisation(t.kernel, { name: 'Comptes du Nord', kind_code: 'association', commune: '33063', postcode: '33000' });
    const email = 'membre.comptes@example.org';
    const member = await t.loginAs('member', email);
    await linkUserToOrganisation(t.kernel.db, (await findUserByEmail(t.kernel.db, email))!.id, org.id, new Date().toISOString());
    const res = await member.postMultipart(
      `/mon-espace/structures/${org.id}/modifier`,
      formOf(org, { staff_count: '-2', volunteer_count: '-5', social_facebook: 'pas une adresse', social_instagram: 'pas une adresse non plus', social_x: 'javascript:alert(1)' }),
      [],
    );
    assert.equal(res.statusCode, 400);
    const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(res.body)?.[0] ?? '';
    assert.deepEqual([...summary.matchAll(/<li><a href="#f-([\w-]+)">([^<]*)<\/a><\/li>/g)].map((m) => `${m[1]}: ${m[2]}`), [
      'staff_count: Saisissez le nombre de salariés en chiffres, de 0 à 1 000 000.',
      'volunteer_count: Saisissez le nombre de bénévoles en chiffres, de 0 à 1 000 000.',
      'social_facebook: Saisissez une adresse Facebook valide, par exemple https://www.facebook.com/ma-structure (500 caractères au plus).',
      'social_instagram: Saisissez une adresse Instagram valide, par exemple https://www.instagram.com/ma-structure (500 caractères au plus).',
      'social_x: Saisissez une adresse X (Twitter) valide, par exemple https://x.com/ma-structure (500 caractères au plus).',
    ]);
  });

  test('social links are edited in the form, checked as web addresses, stored as one JSON object', async () => {
    const org = await addOrganisation(t.kernel, { name: 'Liens du Sud', kind_code: 'association', commune: '33063', postcode: '33000' });
    const bad = await staff.postMultipart(`/admin/organisations/${org.id}`, formOf(org, { social_linkedin: 'javascript:alert(1)', social_youtube: 'pas une adresse' }), []);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /<p class="field-error" id="f-social_linkedin-error">Saisissez une adresse LinkedIn valide, par exemple https:\/\/www\.linkedin\.com\/company\/ma-structure \(500 caractères au plus\)\./);
    assert.match(bad.body, /<p class="field-error" id="f-social_youtube-error">Saisissez une adresse YouTube valide, par exemple https:\/\/www\.youtube\.com\/@ma-structure \(500 caractères au plus\)\./);
    const ok = await staff.postMultipart(
      `/admin/organisations/${org.id}`,
      formOf(org, { social_facebook: 'www.facebook.com/liensdusud', social_mastodon: '@liens@mastodon.social', social_x: 'https://x.com/liensdusud' }),
      [],
    );
    assert.equal(ok.statusCode, 303);
    const after = (await findOrganisationById(t.kernel.db, org.id))!;
    assert.deepEqual(JSON.parse(after.social_links!), {
      facebook: 'https://www.facebook.com/liensdusud',
      mastodon: 'https://mastodon.social/@liens',
      x: 'https://x.com/liensdusud',
    });
    const form = await staff.get(`/admin/organisations/${org.id}`);
    assert.match(form.body, /id="f-social_mastodon" name="social_mastodon" type="url" value="https:\/\/mastodon.social\/@liens"/);
    // Emptied fields remove the links.
    assert.equal((await staff.postMultipart(`/admin/organisations/${org.id}`, formOf(after, { social_facebook: '', social_mastodon: '', social_x: '' }), [])).statusCode, 303);
    assert.equal((await findOrganisationById(t.kernel.db, org.id))!.social_links, null);
  });
});
