import { spreadsheetSafe } from '../../kernel/spreadsheet.js';
import fs from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import type { MessageKey, Translate } from '../../kernel/i18n/index.js';
import { describeReasons } from './reasons.js';
import type { ScanPair } from './scan.js';

export const REPORT_COLUMNS = [
  'score', 'evidence_bits', 'decision', 'reasons',
  'a_id', 'a_name', 'a_commune', 'a_source_file', 'a_source_ref',
  'b_id', 'b_name', 'b_commune', 'b_source_file', 'b_source_ref',
] as const;

/** A record's commune as people check a pair by eye: « Pessac (33600) », or what is known of it. */
function communeOf(r: ScanPair['a']): string {
  if (r.communeName && r.postcode) return `${r.communeName} (${r.postcode})`;
  return r.communeName ?? r.postcode ?? '';
}

/**
 * Plain spaces for scripts: the catalogue's French typography puts no-break spaces (U+00A0,
 * U+202F) before « : » and « ; », which a script splitting or matching a header on a space misses.
 */
function plainSpaces(text: string): string {
  return text.replace(/[\u00a0\u202f]/g, ' ');
}

/** What became of a pair: merged by this run, by a person before, or left to review (sure enough to merge automatically, or not). */
function decisionKey(p: ScanPair): MessageKey {
  if (p.status === 'auto_merged') return 'duplicates.decision.auto';
  if (p.status === 'merged') return 'duplicates.decision.merged';
  return p.autoMergeable ? 'duplicates.decision.reviewAuto' : 'duplicates.decision.review';
}

/**
 * The pairs report: one line per candidate pair (auto-merge or review), with both records' commune,
 * source file and reference, the score, its weight of evidence in bits and the reasons in words,
 * headed in the translator's language with plain spaces (see plainSpaces). CSV with `;` and a
 * byte-order mark, as spreadsheet software expects in France.
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
    communeOf(p.a),
    p.a.sourceFile ?? '',
    p.a.sourceRef ?? '',
    p.b.id,
    p.b.name,
    communeOf(p.b),
    p.b.sourceFile ?? '',
    p.b.sourceRef ?? '',
  ].map((cell) => spreadsheetSafe(plainSpaces(cell))));
  const header = REPORT_COLUMNS.map((c) => plainSpaces(t(`duplicates.report.${c}`)));
  return `\uFEFF${stringify([header, ...rows], { delimiter: ';', record_delimiter: 'windows' })}`;
}

export function writeReport(file: string, pairs: readonly ScanPair[], t: Translate): void {
  fs.writeFileSync(file, reportCsv(pairs, t));
}
