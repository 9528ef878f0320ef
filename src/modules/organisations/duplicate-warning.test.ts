import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { translator } from '../../kernel/i18n/index.js';
import { distinctNames } from './index.js';

describe('the names of a duplicate warning', () => {
  const t = translator('fr');

  test('a name listed once stays as it is; namesakes are each followed by a hint the others lack', () => {
    assert.deepEqual(
      distinctNames(
        [
          { name: 'Sahel Zinder', hints: ['47510 Foulayronnes', 'Association', 'SIRET 44306184100047', 'créée le 2 mars 2026'] },
          { name: 'SAHEL ZINDER', hints: ['47510 Foulayronnes', 'Association', 'créée le 5 mars 2024'] },
          { name: 'Eau Vive', hints: ['33000 Bordeaux'] },
        ],
        t,
      ),
      ['Sahel Zinder (SIRET 44306184100047)', 'SAHEL ZINDER (créée le 5 mars 2024)', 'Eau Vive'],
    );
  });

  test('namesakes nothing tells apart are numbered', () => {
    assert.deepEqual(
      distinctNames(
        [
          { name: 'Sahel Zinder', hints: ['Foulayronnes'] },
          { name: 'Sahel Zinder', hints: ['Foulayronnes'] },
        ],
        t,
      ),
      ['Sahel Zinder (suggestion 1)', 'Sahel Zinder (suggestion 2)'],
    );
  });
});
