import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EMAIL_PATTERN } from './validation.js';

test('e-mail addresses: what people write is taken, typing mistakes in the domain are refused', () => {
  const good = [
    'marie.curie@example.org',
    'Paul.Langevin+lettre@Mairie-Bordeaux.fr',
    'contact@comite-de-jumelage-sallebœuf.asso.fr',
    "o'brien@exemple.ie",
    'a@b.xn--p1ai',
    'élodie@exemple.fr',
    // Addresses saved before stay valid: dots anywhere in the local part (some Japanese mobile addresses).
    'taro.@docomo.ne.jp',
    'jean..dupont@exemple.fr',
    // Internationalised domains, with combining marks, and a decomposed « é ».
    'user@उदाहरण.भारत',
    'user@ตัวอย่าง.ไทย',
    'jose@cafe\u0301.fr',
  ];
  for (const address of good) assert.ok(EMAIL_PATTERN.test(address), address);
  const bad = ['paul.durand@exemple..fr', 'paul@.exemple.fr', 'paul@-exemple.fr', 'paul@exemple-.fr', 'paul@exemple.fr.', 'paul@exemple', 'paul@exemple.f', 'paul durand@exemple.fr', 'paul@@exemple.fr', 'paul.durand.exemple.fr'];
  for (const address of bad) assert.ok(!EMAIL_PATTERN.test(address), address);
});
