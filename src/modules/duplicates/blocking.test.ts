import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadPredecessors } from '../../../test/helpers/predecessors.js';
import { blockingKeys, DEFAULT_BLOCKING, forEachCandidatePair } from './blocking.js';
import { prepareAll } from './detect.js';

describe('blocking', () => {
  const { records } = loadPredecessors('predecessors');
  const { prepared, stats } = prepareAll(records);

  /** The pairs blocking should give, written the plain way: key strings, arrays, a set of pairs. */
  function referencePairs(): Set<string> {
    const holders = new Map<string, number[]>();
    prepared.forEach((record, index) => {
      for (const key of blockingKeys(record, stats, DEFAULT_BLOCKING)) {
        const list = holders.get(key) ?? [];
        list.push(index);
        holders.set(key, list);
      }
    });
    const pairs = new Set<string>();
    for (const [key, list] of holders) {
      const cap = key.startsWith('#') ? DEFAULT_BLOCKING.maxIdentifierBlock : DEFAULT_BLOCKING.maxNameBlock;
      if (list.length < 2 || list.length > cap) continue;
      for (const i of list) for (const j of list) if (i < j) pairs.add(`${i}|${j}`);
    }
    // Sorted neighbourhood: within a commune, each name with the next ones in alphabetical order.
    const byCommune = new Map<string, { index: number; name: string }[]>();
    prepared.forEach((r, index) => {
      const commune = r.commune.code ?? r.commune.postcode ?? r.commune.name;
      if (!commune) return;
      byCommune.set(commune, [...(byCommune.get(commune) ?? []), { index, name: r.name.rawWords.join('') }]);
    });
    for (const list of byCommune.values()) {
      list.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : x.index - y.index));
      list.forEach((entry, k) => {
        for (const next of list.slice(k + 1, k + DEFAULT_BLOCKING.neighbourhood)) {
          pairs.add(`${Math.min(entry.index, next.index)}|${Math.max(entry.index, next.index)}`);
        }
      });
    }
    return pairs;
  }

  test('every pair sharing a key within its cap, or neighbours in a commune, is compared once, and no other', () => {
    const visited: string[] = [];
    const count = forEachCandidatePair(prepared, stats, DEFAULT_BLOCKING, (i, j) => {
      assert.ok(i < j, `pair ${i}, ${j} in order`);
      visited.push(`${i}|${j}`);
    });
    const expected = referencePairs();
    assert.equal(count, visited.length);
    assert.equal(new Set(visited).size, visited.length, 'no pair visited twice');
    assert.deepEqual(new Set(visited), expected);
    assert.ok(expected.size > 1000, `${expected.size} pairs: the sample exercises blocking`);
  });
});
