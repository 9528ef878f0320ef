import { HeapCeiling } from '../../kernel/heap-ceiling.js';
import { type ImportContext, recordBuilder } from './context.js';
import { ImportError } from './errors.js';
import { checkMappingAgainst } from './mapping.js';
import { dataRows } from './read.js';
import type { ReportLine } from './report.js';
import { IMPORT_HEAP_ALLOWANCE, type Detection, type DuplicateFinder, type ImportRecord, type MappingDocument, type MessageRef, type ValidationSummary } from './types.js';

export interface ValidationOptions {
  /** The duplicates module's detector (see DuplicateFinder); none: no duplicate warnings. */
  findDuplicates?: DuplicateFinder;
  /** Receives the report's lines, in row order, a chunk at a time. */
  onLines?: (lines: ReportLine[]) => Promise<void>;
  onProgress?: (rows: number) => void;
  /** Receives every record (valid or not), in row order, a chunk at a time (the batch's spill). */
  onRecords?: (records: ImportRecord[]) => Promise<void>;
  chunkSize?: number;
}

export interface ValidationInput {
  file: string;
  detection: Pick<Detection, 'format' | 'text' | 'headers'>;
  mapping: MappingDocument;
  context: ImportContext;
  now: Date;
}

function linesOf(record: ImportRecord): ReportLine[] {
  return record.issues.map((i) => ({ row: record.row, ref: record.sourceRef, level: i.level, field: i.field, key: i.key, params: i.params, raw: i.raw ?? null }));
}

/**
 * The validation pass: every row read, mapped and checked as the commit would, nothing written
 * to the base. Returns the counts; the per-row errors and warnings go to `onLines` (the CSV
 * report, the batch's stored report). A file with no data row is refused.
 */
export async function validateFile(input: ValidationInput, options: ValidationOptions = {}): Promise<ValidationSummary> {
  checkMappingAgainst(input.mapping, input.detection.headers);
  let headers = input.detection.headers;
  const summary: ValidationSummary = { totalRows: 0, validRows: 0, errorRows: 0, warningRows: 0, byKey: {}, duplicateRows: 0 };
  const seenRefs = new Map<string, number>();
  const chunkSize = options.chunkSize ?? 500;
  let builder = recordBuilder(input.context, input.mapping, headers, input.now);
  let chunk: ImportRecord[] = [];
  /** Valid rows to hold back before the finder's first call (it compares them all at once). */
  let holdValid = (await options.findDuplicates?.batchRows?.()) ?? 0;
  let validInChunk = 0;
  const heap = new HeapCeiling(IMPORT_HEAP_ALLOWANCE);

  const flush = async () => {
    if (!chunk.length) return;
    if (options.findDuplicates) {
      const valid = chunk.filter((r) => r.organisation);
      const findings = valid.length ? await options.findDuplicates(valid) : [];
      const byRow = new Map(chunk.map((r) => [r.row, r]));
      for (const finding of findings) {
        const record = byRow.get(finding.row);
        if (!record || finding.matches.length === 0) continue;
        summary.duplicateRows++;
        // Said of each match whether it is another row of this file or a record already in the base.
        const matches = finding.matches.map((m): MessageRef =>
          m.row ? { key: 'imports.issue.matchAtRow' as const, params: { label: m.label, row: m.row } } : { key: 'imports.issue.matchInBase' as const, params: { label: m.label } },
        );
        record.issues.push({ level: 'warning', field: 'row', key: 'imports.issue.possibleDuplicate', params: { matches } });
      }
    }
    const lines: ReportLine[] = [];
    for (const record of chunk) {
      if (!record.issues.length) continue;
      if (record.issues.some((i) => i.level === 'warning') && record.organisation) summary.warningRows++;
      for (const issue of record.issues) summary.byKey[issue.key] = (summary.byKey[issue.key] ?? 0) + 1;
      lines.push(...linesOf(record));
    }
    if (lines.length) await options.onLines?.(lines);
    await options.onRecords?.(chunk);
    options.onProgress?.(summary.totalRows);
    chunk = [];
    validInChunk = 0;
    holdValid = 0;
    heap.check();
  };

  const rows = dataRows(input.file, input.detection, undefined, (actual) => {
    // The file as read now must still have the headers the mapping was made for.
    if (actual.join('\u0000') !== headers.join('\u0000')) {
      checkMappingAgainst(input.mapping, actual);
      headers = actual;
      builder = recordBuilder(input.context, input.mapping, headers, input.now);
    }
  });
  for await (const batch of rows) {
    for (const row of batch) {
      const record = builder.build(row);
      summary.totalRows++;
      if (record.organisation) summary.validRows++;
      else summary.errorRows++;
      if (record.sourceRef) {
        const first = seenRefs.get(record.sourceRef);
        if (first === undefined) seenRefs.set(record.sourceRef, record.row);
        else record.issues.push({ level: 'warning', field: 'source_ref', key: 'imports.issue.duplicateRef', params: { ref: record.sourceRef, row: first }, raw: record.sourceRef });
      }
      chunk.push(record);
      if (record.organisation) validInChunk++;
      if (chunk.length >= chunkSize && validInChunk >= holdValid) await flush();
    }
  }
  await flush();
  if (summary.totalRows === 0) throw new ImportError('imports.error.noRows');
  return summary;
}
