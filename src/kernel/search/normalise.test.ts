import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indexText, searchTokens } from './normalise.js';

test('a query and the text it should find normalise to the same tokens', () => {
  const indexed = new Set(searchTokens("Associations pour l'eau et l'assainissement au Sénégal"));
  for (const token of searchTokens('association eau senegal')) assert.ok(indexed.has(token), token);
});

test('accents, case and ligatures are folded', () => {
  assert.deepEqual(searchTokens('ŒUVRE Éducation Cœur'), ['oeuvre', 'education', 'coeur']);
});

test('French plurals meet their singular', () => {
  assert.deepEqual(searchTokens('journaux réseaux eaux acteurs'), ['journal', 'reseau', 'eau', 'acteur']);
  assert.deepEqual(searchTokens('journal réseau eau acteur'), ['journal', 'reseau', 'eau', 'acteur']);
});

test('stop words and punctuation disappear, numbers stay', () => {
  assert.equal(indexText('Le Comité de jumelage — 2024 !'), 'comite jumelage 2024');
});
