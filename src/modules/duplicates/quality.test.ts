import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadPredecessors } from '../../../test/helpers/predecessors.js';
import { detectDuplicates } from './detect.js';
import { baselinePairs, type Evaluation, evaluatePairs } from './evaluate.js';

function line(label: string, e: Evaluation): string {
  return `${label}: precision ${e.precision.toFixed(3)}, recall ${e.recall.toFixed(3)}, F1 ${e.f1.toFixed(3)} (${e.predicted} pairs, ${e.falsePositives} false, ${e.falseNegatives} missed)`;
}

describe('quality bar on the predecessor networks sample (../shared/samples/predecessors)', () => {
  const { records, truth } = loadPredecessors('predecessors');
  const detection = detectDuplicates(records);
  const engine = evaluatePairs(
    detection.pairs.map((p) => [p.a.id, p.b.id] as const),
    truth,
  );
  const baseline = evaluatePairs(baselinePairs(records), truth);

  test('the evaluation reads both files and the truth', (t) => {
    t.diagnostic(line('engine (auto-merge + review queue)', engine));
    t.diagnostic(line('baseline (same normalised name or same e-mail)', baseline));
    assert.equal(records.length, 2569);
    assert.equal(engine.truth, 467);
  });

  test('the baseline is the rule CRMs ship, as the sample describes it (precision 0.981, recall 0.904)', () => {
    assert.equal(baseline.precision.toFixed(3), '0.981');
    assert.equal(baseline.recall.toFixed(3), '0.904');
  });

  test('duplicates found with precision ≥ 0.98 and recall ≥ 0.95', () => {
    assert.ok(engine.precision >= 0.98, line('engine', engine));
    assert.ok(engine.recall >= 0.95, line('engine', engine));
    assert.ok(engine.f1 > baseline.f1, 'better than the baseline');
  });

  test('blocking keeps it far from all pairs', () => {
    const allPairs = (records.length * (records.length - 1)) / 2;
    assert.ok(detection.compared < allPairs / 100, `${detection.compared} pairs compared of ${allPairs}`);
  });
});
