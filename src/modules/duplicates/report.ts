import { spreadsheetSafe } from '../../kernel/spreadsheet.js';
import fs from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import type { MessageKey, Translate } from '../../kernel/i18n/index.js';
import { describeReasons } from './reasons.js';
import type { ScanPair } from './scan.js';

export const REPORT_COLUMNS = [
  'score', 'evidence_bits', 'decision', 'reasons',
  'a_id', 'a_name', 'a_source_file', 'a_source_ref',
  'b_id', 'b_name', 'b_source_file', 'b_source_ref',
] as const;

/** What became of a pair: merged by this run, by a person before, or left to review (sure enough to merge automatically, or not). */
function decisionKey(p: ScanPair): MessageKey {
  if (p.status === 'auto_merged') return 'duplicates.decision.auto';
  if (p.status === 'merged') return 'duplicates.decision.merged';
  return p.autoMergeable ? 'duplicates.decision.reviewAuto' : 'duplicates.decision.review';
}

/**
 * The pairs report: one line per candidate pair (auto-merge or review), with both records' source
 * file and reference, the score, its weight of evidence in bits and the reasons in words, headed in
 * the translator's language. CSV with `;` and a byte-order mark, as spreadsheet software expects in France.
 */
export function reportCsv(pairs: readonly ScanPair[], t: Translate): string {
  const rows = pairs.map((p) => [
    // French spreadsheets read "0,934" as a number.
    p.score.toFixed(3).replace('.', ','),
    // Strong pairs all score "1,000": their evidence (the reasons' weights added) tells them apart.
    p.evidence.toFixed(1).replace('.', ','),
    t(decisionKey(p)),
    describeReasons(p.reasons, t).join(' ; '),
    p.a.id,
    p.a.name,
    p.a.sourceFile ?? '',
    p.a.sourceRef ?? '',
    p.b.id,
    p.b.name,
    p.b.sourceFile ?? '',
    p.b.sourceRef ?? '',
  ].map(spreadsheetSafe));
  return `\uFEFF${stringify([REPORT_COLUMNS.map((c) => t(`duplicates.report.${c}`)), ...rows], { delimiter: ';', record_delimiter: 'windows' })}`;
}

export function writeReport(file: string, pairs: readonly ScanPair[], t: Translate): void {
  fs.writeFileSync(file, reportCsv(pairs, t));
}
