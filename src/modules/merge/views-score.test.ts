import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testViewContext } from '../../../test/helpers/view-context.js';
import type { Locale } from '../../kernel/i18n/index.js';
import { scoreOf } from '../duplicates/index.js';
import { evidenceText, FileName, scoreText } from './views-common.js';

const ctxOf = (locale: Locale) => testViewContext(locale, '/admin/doublons');

const fr = ctxOf('fr');
const en = ctxOf('en');
/** Spaces as people read them (French puts non-breaking ones before « % » and after « > »). */
const plain = (text: string | undefined) => text?.replace(/[\u00a0\u202f]/g, ' ');

test('a score reads to a tenth of a percent, in the reader’s language', () => {
  assert.equal(plain(scoreText(fr, 0.997)), '99,7 %');
  assert.equal(scoreText(en, 0.997), '99.7%');
  assert.equal(plain(scoreText(fr, 0.85)), '85,0 %');
  assert.equal(plain(scoreText(fr, 0.9994)), '99,9 %');
  assert.equal(plain(scoreText(fr, 0.5)), '50,0 %');
});

test('a score never reads “100 %”: past 99.9 % it is “> 99,9 %”, even at 1', () => {
  for (const score of [0.9995, 0.99999, 1 - 1e-12, scoreOf(46), 1]) {
    assert.equal(plain(scoreText(fr, score)), '> 99,9 %', String(score));
    assert.equal(plain(scoreText(en, score)), '> 99.9%', String(score));
  }
  assert.equal(plain(scoreText(fr, 0.0001)), '< 0,1 %');
  assert.equal(plain(scoreText(fr, 0)), '< 0,1 %');
});

test('the weight of evidence is the sum of the reasons’ bits, to a tenth, in the reader’s language', () => {
  assert.equal(plain(evidenceText(fr, scoreOf(36))), 'Poids des indices : 36 bits');
  assert.equal(plain(evidenceText(fr, scoreOf(24.5))), 'Poids des indices : 24,5 bits');
  assert.equal(plain(evidenceText(en, scoreOf(24.5))), 'Weight of evidence: 24.5 bits');
  assert.equal(plain(evidenceText(fr, scoreOf(16.833))), 'Poids des indices : 16,8 bits');
  // French singular below 2, English for 1 only.
  assert.equal(plain(evidenceText(fr, scoreOf(1.5))), 'Poids des indices : 1,5 bit');
  assert.equal(plain(evidenceText(en, scoreOf(1.5))), 'Weight of evidence: 1.5 bits');
  assert.equal(plain(evidenceText(en, scoreOf(1))), 'Weight of evidence: 1 bit');
  // A score of 0 or 1 no longer holds its evidence: none is made up.
  assert.equal(evidenceText(fr, 1), undefined);
  assert.equal(evidenceText(fr, 0), undefined);
});

test('pairs in the queue’s order (highest score first) never read lower then higher, and evidence more than a tenth of a bit apart reads apart', () => {
  const scores: number[] = [];
  for (let bits = 58.5; bits >= -4; bits -= 0.05) scores.push(scoreOf(bits));
  const number = (text: string) => Number(text.replace(/\u2212/g, '-').replace(/[^\d,-]/g, '').replace(',', '.'));
  for (let i = 1; i < scores.length; i++) {
    const [higher, lower] = [scores[i - 1]!, scores[i]!];
    const [a, b] = [scoreText(fr, higher), scoreText(fr, lower)];
    if (a !== b) assert.ok(plain(a)!.startsWith('>') || number(a) > number(b), `${a} before ${b}`);
    assert.ok(number(evidenceText(fr, higher)!) >= number(evidenceText(fr, lower)!));
    // Up to 46 bits (the sample's strongest pairs reach 45.5); past ~50, a double holds the score
    // too close to 1 for tenths of a bit — and the queue cannot order such pairs either.
    const bits = 58.5 - i * 0.05;
    if (i >= 3 && bits <= 46) assert.notEqual(evidenceText(fr, scores[i - 3]!), evidenceText(fr, lower), `${bits} bits: two pairs 0.15 bit apart read alike`);
  }
});

test('a file name may wrap after “_”, “-” or “.”, its extension kept with the word before it, and stays escaped', () => {
  assert.equal(FileName({ name: 'capcoop_export_2016.csv' }), '<span class="merge-file">capcoop_<wbr/>export_<wbr/>2016.csv</span>');
  assert.equal(FileName({ name: 'resodi-2016.v2.csv' }), '<span class="merge-file">resodi-<wbr/>2016.<wbr/>v2.csv</span>');
  assert.equal(FileName({ name: 'a<b>_c.csv' }), '<span class="merge-file">a&lt;b>_<wbr/>c.csv</span>');
});
