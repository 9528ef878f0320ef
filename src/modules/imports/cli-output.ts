// What `maillage import` prints: detection, mapping, validation summary, phase timings.
import { formatFileSize, type MessageKey, translator } from '../../kernel/i18n/index.js';
import type { Inspection } from './batch-reading.js';
import { membershipIsCurrent } from './mapping.js';
import type { Detection, MappingDocument, TextDetection, ValidationSummary } from './types.js';

const fr = translator('fr');
/** Between the items of a list on one line: « ; » spaced as the French catalogue spaces it. */
const LIST_SEPARATOR = fr('imports.list.separator');

export interface Output {
  log(line: string): void;
}

export const n = (value: number) => value.toLocaleString('fr-FR');

/** A speed in rows per second, rounded: « 1 ligne/s », « 3 200 lignes/s ». */
export const rowsPerSecond = (rate: number) => fr('imports.cli.rate', { rate: n(Math.round(rate)) });

function describeSeparator(sep: string): string {
  return sep === '\t' ? 'tabulation' : sep === '\n' ? 'retour à la ligne' : `« ${sep} »`;
}

export function printDetection(out: Output, inspection: Inspection, file: string): void {
  const d = inspection.detection;
  out.log(`Fichier : ${file} (${formatFileSize(inspection.size, 'fr')}, SHA-256 ${inspection.sha256.slice(0, 16)}…)`);
  if (d.format === 'xlsx') out.log('Détection : classeur XLSX (première feuille)');
  else {
    const reading = (t: TextDetection) => {
      const quote = t.quote === '"' ? 'guillemets doubles' : t.quote === "'" ? 'apostrophes' : t.quote === 'none' ? 'guillemets lus comme du texte' : 'aucun champ entre guillemets';
      return `encodage ${fr(`imports.encoding.${t.encoding}` as MessageKey)}${t.bom ? ' avec BOM' : ''}, séparateur ${describeSeparator(t.delimiter)}, ${quote}, fins de ligne ${t.lineEnding.toUpperCase()}`;
    };
    if (d.detectedText) {
      out.log(`Lecture choisie : CSV, ${reading(d.text!)}`);
      out.log(`  (détection : ${reading(d.detectedText)})`);
    } else out.log(`Détection : CSV, ${reading(d.text!)}`);
  }
  out.log(`Colonnes (${d.headers.length}) : ${d.headers.join(' | ')}`);
  out.log('Premières lignes :');
  for (const row of d.preview.slice(0, 3)) out.log(`  ligne ${row.row} : ${row.values.filter(Boolean).slice(0, 6).join(' | ')}`.slice(0, 160));
}

/**
 * On resuming an interrupted import: the --encoding or --separator given (`options`) are not used,
 * the batch goes on reading its file as it began (`detection`, its stored reading).
 */
export function printIgnoredReading(out: Output, options: string[], detection: Pick<Detection, 'text'>): void {
  const t = detection.text;
  const reading = t ? `encodage ${fr(`imports.encoding.${t.encoding}` as MessageKey)}, séparateur ${describeSeparator(t.delimiter)}` : 'classeur XLSX';
  out.log(fr('imports.cli.resumeReading', { count: options.length, options: options.join(' et '), reading }));
}

/** A code's French name as the wizard shows it (a kind, a theme, a zone), or null when the code has none. */
export type CodeLabel = (field: string, code: string) => string | null;

/** The name of a value map's target: « oui » / « non » for membership, the kind's or theme's label, else the code. */
function valueName(field: string, code: string, codeLabel: CodeLabel | undefined): string {
  if (!code) return '∅';
  if (field === 'is_member') return code === '1' ? fr('imports.cli.yes') : code === '0' ? fr('imports.cli.no') : code;
  return codeLabel?.(field, code) ?? code;
}

/**
 * The mapping, a column a line. A member column says the year of the membership each yes records
 * and, when it names one (or a person chose), whether a yes makes a current member in `currentYear`.
 */
export function printMapping(out: Output, mapping: MappingDocument, origin: string, headers: string[], currentYear: number, codeLabel?: CodeLabel): void {
  out.log(`Correspondance des colonnes (${origin}) :`);
  const width = Math.min(30, Math.max(...headers.map((c) => c.length)));
  for (const column of headers) {
    const spec = mapping.columns[column] ?? { field: 'ignore' as const };
    const target = spec.field === 'ignore' ? '(ignorée)' : fr(`imports.field.${spec.field}` as MessageKey);
    const details: string[] = [];
    if (spec.split) details.push(`valeurs séparées par ${describeSeparator(spec.split)}`);
    if (spec.values && Object.keys(spec.values).length) {
      details.push(
        Object.entries(spec.values)
          .slice(0, 8)
          .map(([v, code]) => `${v} → ${valueName(spec.field, code, codeLabel)}`)
          .join(', '),
      );
    }
    if (spec.field === 'is_member') {
      if (mapping.membershipYear) details.push(fr('imports.cli.membershipYear', { year: mapping.membershipYear }));
      if (mapping.membershipYear || typeof mapping.membershipCurrent === 'boolean') {
        details.push(fr(membershipIsCurrent(mapping, currentYear) ? 'imports.cli.memberCurrent' : 'imports.cli.memberNotCurrent'));
      }
    }
    out.log(`  ${column.padEnd(width)} → ${target}${details.length ? ` (${details.join(LIST_SEPARATOR)})` : ''}`);
  }
}

export function printSummary(out: Output, s: ValidationSummary, reportPath: string, reportLines: number): void {
  out.log(
    fr('imports.cli.validation', {
      total: n(s.totalRows),
      valid: n(s.validRows),
      errors: n(s.errorRows),
      warnings: n(s.warningRows),
      duplicates: s.duplicateRows ? fr('imports.cli.duplicates', { count: n(s.duplicateRows) }) : '',
    }),
  );
  const top = Object.entries(s.byKey)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8);
  for (const [key, count] of top) {
    // The kind of issue, its particulars elided: « Doublon possible : … » (not « ….  »).
    const label = fr(key as MessageKey)
      .replace(/« \{[^}]+\} »|\{[^}]+\}/g, '…')
      .replace(/…\.$/, '…');
    out.log(`  ${n(count).padStart(7)} × ${label}`);
  }
  out.log(fr('imports.cli.report', { lines: n(reportLines), file: reportPath }));
}

/** Wall time of each phase, printed at the end (the benchmark reads this line). */
export class Phases {
  private readonly started = performance.now();
  private last = this.started;
  private readonly spent: [string, number][] = [];

  mark(name: string): void {
    const now = performance.now();
    this.spent.push([name, (now - this.last) / 1000]);
    this.last = now;
  }

  line(rows: number): string {
    const total = (performance.now() - this.started) / 1000;
    const s = (x: number) => x.toLocaleString('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return `Durées : ${this.spent.map(([name, t]) => `${name} ${s(t)} s`).join(LIST_SEPARATOR)} ; total ${s(total)} s (${rowsPerSecond(rows / Math.max(total, 0.001))})`;
  }
}

