import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EMAIL_PATTERN } from './validation.js';

test('e-mail addresses: what people write is taken, typing mistakes are refused', () => {
  for (const good of ['marie.curie@example.org', 'Paul.Langevin+lettre@Mairie-Bordeaux.fr', 'contact@comite-de-jumelage-sallebœuf.asso.fr', "o'brien@exemple.ie", 'a@b.xn--p1ai', 'élodie@exemple.fr']) {
    assert.ok(EMAIL_PATTERN.test(good), good);
  }
  for (const bad of ['paul.durand@exemple..fr', '.paul@exemple.fr', 'paul.@exemple.fr', 'paul..durand@exemple.fr', 'paul@-exemple.fr', 'paul@exemple-.fr', 'paul@exemple.fr.', 'paul@exemple', 'paul@exemple.f', 'paul durand@exemple.fr', 'paul@@exemple.fr', 'paul.durand.exemple.fr']) {
    assert.ok(!EMAIL_PATTERN.test(bad), bad);
  }
});
