import { ImportError } from './errors.js';
import { DEFAULT_LIMITS, READ_BATCH, READ_BATCH_CHARS, type RawRecord, type ReadLimits } from './read-csv.js';

/** A cell as text: rich text joined, links by their text, formulas by their result, dates as YYYY-MM-DD. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { richText?: { text?: string }[]; text?: unknown; result?: unknown; error?: unknown; hyperlink?: string };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text ?? '').join('');
    if (v.text !== undefined) return cellText(v.text);
    if ('result' in v) return cellText(v.result);
    if (v.hyperlink) return v.hyperlink;
  }
  return '';
}

/**
 * Streams the rows of the first worksheet of an XLSX workbook (exceljs's streaming reader: the
 * sheet is never held whole in memory; shared strings are). Row numbers are the sheet's own.
 */
export async function* readXlsxRecords(file: string, limits: ReadLimits = DEFAULT_LIMITS, onSheet?: (name: string) => void): AsyncGenerator<RawRecord[]> {
  // Loaded only for workbooks: exceljs weighs ~30 MB of memory that CSV imports do not need.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', entries: 'ignore' });
  let sheets = 0;
  try {
    for await (const sheet of workbook) {
      sheets++;
      const name = (sheet as unknown as { name?: string }).name;
      onSheet?.(name ?? '');
      let batch: RawRecord[] = [];
      let chars = 0;
      for await (const row of sheet) {
        const values = row.values as unknown[];
        const cells: string[] = [];
        let bytes = 0;
        if (values.length - 1 > limits.maxColumns) throw new ImportError('imports.error.tooManyColumns', { row: row.number, max: limits.maxColumns }, row.number);
        for (let i = 1; i < values.length; i++) {
          const text = cellText(values[i]);
          bytes += text.length;
          cells.push(text);
        }
        if (bytes > limits.maxRecordBytes) throw new ImportError('imports.error.recordTooLarge', { row: row.number, maxBytes: limits.maxRecordBytes }, row.number);
        batch.push({ row: row.number, cells });
        chars += bytes;
        if (batch.length >= READ_BATCH || chars >= READ_BATCH_CHARS) {
          yield batch;
          batch = [];
          chars = 0;
        }
      }
      if (batch.length) yield batch;
      return; // the first sheet only
    }
  } catch (error) {
    if (error instanceof ImportError) throw error;
    throw new ImportError('imports.error.xlsx', { detail: error instanceof Error ? error.message : String(error) });
  }
  if (sheets === 0) throw new ImportError('imports.error.noSheet');
}
