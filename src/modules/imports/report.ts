import fs from 'node:fs';
import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import { type MessageKey, translator } from '../../kernel/i18n/index.js';
import { spreadsheetSafe } from '../../kernel/spreadsheet.js';
import { issueText } from './issue-text.js';
import type { IssueLevel, IssueParams } from './types.js';

const fr = translator('fr');

/** One line of the validation report. */
export interface ReportLine {
  row: number;
  ref: string | null;
  level: IssueLevel;
  field: string;
  key: MessageKey;
  params?: IssueParams;
  raw?: string | null;
}

export const REPORT_HEADER = ['imports.report.row', 'imports.report.ref', 'imports.report.level', 'imports.report.field', 'imports.report.value', 'imports.report.message'] as const;

/** The report's lines as CSV text (French, `;`, CRLF), without the BOM. */
export function reportCsvLines(lines: ReportLine[], withHeader: boolean): string {
  const rows = lines.map((l) => [
    String(l.row),
    spreadsheetSafe(l.ref),
    fr(`imports.level.${l.level}` as MessageKey),
    // A warning about the whole row (a possible duplicate) names no column: said as the wizard says it.
    l.field === 'row' ? fr('importWizard.report.wholeRow') : fr(`imports.field.${l.field}` as MessageKey),
    spreadsheetSafe(l.raw),
    spreadsheetSafe(issueText(fr, l.key, l.params)),
  ]);
  if (withHeader) rows.unshift(REPORT_HEADER.map((k) => fr(k)));
  return rows.length ? stringify(rows, { delimiter: ';', record_delimiter: '\r\n' }) : '';
}

/** Writes the report to a file as lines come (UTF-8 with BOM, `;`: Excel in French opens it as is). */
export class ReportFile {
  private readonly out: fs.WriteStream;
  lines = 0;

  constructor(readonly path: string) {
    this.out = fs.createWriteStream(path, { encoding: 'utf8' });
    this.out.write(`\uFEFF${reportCsvLines([], true)}`);
  }

  async write(lines: ReportLine[]): Promise<void> {
    if (!lines.length) return;
    this.lines += lines.length;
    if (!this.out.write(reportCsvLines(lines, false))) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    this.out.end();
    await once(this.out, 'finish');
  }
}
