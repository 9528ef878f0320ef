import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkRna, checkSiren, checkSiret, formatPhone, normaliseWebsite, slugify, toE164 } from './identifiers.js';

test('SIREN: spaces are ignored, a SIRET yields its SIREN, a wrong key is a checksum error', () => {
  assert.deepEqual(checkSiren('732 829 320'), { ok: true, value: '732829320' });
  assert.deepEqual(checkSiren('73282932000074'), { ok: true, value: '732829320' });
  assert.equal(checkSiren('732829321').ok, false);
  assert.deepEqual(checkSiren('12345'), { ok: false, reason: 'format', raw: '12345' });
});

test('SIRET: Luhn key checked', () => {
  assert.deepEqual(checkSiret('732 829 320 00074'), { ok: true, value: '73282932000074' });
  assert.deepEqual(checkSiret('73282932000075'), { ok: false, reason: 'checksum', raw: '73282932000075' });
});

test('RNA: W and nine characters', () => {
  assert.deepEqual(checkRna('w047091896'), { ok: true, value: 'W047091896' });
  assert.equal(checkRna('047091896').ok, false);
});

test('phones in the four French formats become E.164 and are shown French style', () => {
  for (const raw of ['05 56 00 00 00', '05.56.00.00.00', '+33 (0)5 56 00 00 00', '0033556000000', '0556000000']) {
    assert.equal(toE164(raw), '+33556000000', raw);
  }
  assert.equal(formatPhone('+33556000000'), '05 56 00 00 00');
  assert.equal(toE164('not a phone'), null);
});

test('websites get a scheme and lose a trailing slash', () => {
  assert.equal(normaliseWebsite('www.Cltc.org/'), 'http://www.cltc.org');
  assert.equal(normaliseWebsite('https://x.org/page?a=1'), 'https://x.org/page?a=1');
  assert.equal(normaliseWebsite('javascript:alert(1)'), null);
});

test('slugs fold accents, ligatures and ampersands', () => {
  assert.equal(slugify('Comité de jumelage Le Temple–Cusco'), 'comite-de-jumelage-le-temple-cusco');
  assert.equal(slugify('Œuvres & Partage'), 'oeuvres-et-partage');
});
