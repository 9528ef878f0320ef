import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isMessageKey, MESSAGE_KEYS, translator } from './index.js';
import { frenchSpacing } from './typography.js';

const NBSP = '\u00a0';
const NNBSP = '\u202f';

describe('French spacing', () => {
  test('high signs and guillemets keep their space on the same line', () => {
    assert.equal(frenchSpacing('Erreur : la ligne 3 ; la ligne 4 ! Pourquoi ?'), `Erreur${NBSP}: la ligne 3${NNBSP}; la ligne 4${NNBSP}! Pourquoi${NNBSP}?`);
    assert.equal(frenchSpacing('séparateur « ; »'), `séparateur «${NBSP};${NBSP}»`);
    assert.equal(frenchSpacing('{done} % importés'), `{done}${NBSP}% importés`);
  });

  test('what is not French punctuation is left alone', () => {
    for (const text of ['https://example.org/a?b=1', 'hôte:port', '10:30', 'a, b; c', 'Sigle (facultatif)']) {
      assert.equal(frenchSpacing(text), text);
    }
  });

  test('every French message is spaced, and the English ones are not touched', () => {
    const fr = translator('fr');
    const en = translator('en');
    assert.equal(fr('footer.accessibility'), `Accessibilité${NBSP}: partiellement conforme`);
    assert.equal(en('footer.accessibility'), 'Accessibility: partially compliant');
    assert.equal(fr('label.value', { label: 'Lieu', value: 'Bordeaux : centre' }), `Lieu${NBSP}: Bordeaux : centre`, 'a value is never respaced');
    assert.equal(en('label.value', { label: 'Place', value: 'Bordeaux' }), 'Place: Bordeaux');
    assert.ok(isMessageKey('pager.beyond'));
    const beyond = fr('pager.beyond', { page: 9, pages: 2 });
    assert.ok(beyond.includes(`${NBSP}: la liste compte 2 pages`), beyond);
    assert.doesNotMatch(beyond, / :/);
  });

  test('no French message can start a line with a high sign or end one with an opening guillemet', () => {
    const fr = translator('fr');
    const loose = MESSAGE_KEYS.filter((key) => /(^|[^\s]) [:;!?](\s|$)|« | »/u.test(fr(key)));
    assert.deepEqual(loose, []);
  });
});
