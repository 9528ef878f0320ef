import { spreadsheetSafe } from '../../kernel/spreadsheet.js';
import { PassThrough, Readable } from 'node:stream';
import { lazyRequire } from '../../kernel/lazy-require.js';
import { formatPhone } from '../../kernel/identifiers.js';
import type { MessageKey, Translate } from '../../kernel/i18n/index.js';
import type { DirectoryFilter, Organisation } from '../organisations/index.js';
import type { Labels } from './labels.js';
import { geoProperties, pageUrl, safeHttpUrl } from './public-record.js';
import { BAROMETER_COLUMNS } from './schemas.js';
import { type DirectoryDeps, organisationBatches } from './search.js';

const excel = lazyRequire<typeof import('exceljs')>('exceljs');

/** What every export needs: where the rows come from and how to label them. */
export interface ExportSource {
  deps: DirectoryDeps;
  filter: DirectoryFilter;
  tokens: string[];
  labels: Labels;
  t: Translate;
  baseUrl: string;
}

type Cell = string | number | null;

interface Column {
  header: MessageKey;
  /** Numbers stay numbers in Excel; text cells are guarded against formula injection in CSV. */
  type: 'text' | 'number';
  width: number;
  value(o: Organisation, s: ExportSource): Cell;
}

const LIST_SEPARATOR = ' | ';

const COLUMNS: Column[] = [
  { header: 'directory.export.name', type: 'text', width: 40, value: (o) => o.name },
  { header: 'directory.export.acronym', type: 'text', width: 12, value: (o) => o.acronym },
  { header: 'directory.export.kind', type: 'text', width: 24, value: (o, s) => s.labels.kind(o.kind_code) },
  { header: 'directory.export.address', type: 'text', width: 30, value: (o) => o.address },
  { header: 'directory.export.postcode', type: 'text', width: 10, value: (o) => o.postcode },
  { header: 'directory.export.commune', type: 'text', width: 20, value: (o) => o.commune_name },
  { header: 'directory.export.communeCode', type: 'text', width: 10, value: (o) => o.commune_code },
  { header: 'directory.export.department', type: 'text', width: 20, value: (o, s) => (o.department_code ? s.labels.department(o.department_code) : null) },
  { header: 'directory.export.website', type: 'text', width: 30, value: (o) => safeHttpUrl(o.website) },
  { header: 'directory.export.email', type: 'text', width: 28, value: (o) => o.email },
  { header: 'directory.export.phone', type: 'text', width: 16, value: (o) => (o.phone ? formatPhone(o.phone) : null) },
  { header: 'directory.export.themes', type: 'text', width: 40, value: (o, s) => o.themes.map(s.labels.theme).join(LIST_SEPARATOR) },
  { header: 'directory.export.countries', type: 'text', width: 30, value: (o, s) => o.countries.map(s.labels.country).join(LIST_SEPARATOR) },
  { header: 'directory.export.zones', type: 'text', width: 24, value: (o, s) => o.zones.map(s.labels.zone).join(LIST_SEPARATOR) },
  { header: 'directory.export.sdgs', type: 'text', width: 14, value: (o) => o.sdgs.join(LIST_SEPARATOR) },
  { header: 'directory.export.member', type: 'text', width: 10, value: (o, s) => s.t(Number(o.is_member) === 1 ? 'directory.export.yes' : 'directory.export.no') },
  { header: 'directory.export.siren', type: 'text', width: 12, value: (o) => o.siren },
  { header: 'directory.export.siret', type: 'text', width: 16, value: (o) => o.siret },
  { header: 'directory.export.rna', type: 'text', width: 12, value: (o) => o.rna },
  { header: 'directory.export.founded', type: 'number', width: 10, value: (o) => o.founded_year },
  { header: 'directory.export.latitude', type: 'number', width: 11, value: (o) => (o.latitude === null ? null : Number(o.latitude)) },
  { header: 'directory.export.longitude', type: 'number', width: 11, value: (o) => (o.longitude === null ? null : Number(o.longitude)) },
  { header: 'directory.export.precision', type: 'text', width: 12, value: (o) => o.geo_precision },
  { header: 'directory.export.page', type: 'text', width: 40, value: (o, s) => pageUrl(s.baseUrl, o.slug) },
  { header: 'directory.export.updated', type: 'text', width: 22, value: (o) => o.updated_at },
];

/** French Excel reads "44,84" as a number and "44.84" as text or a date. */
function frenchNumber(n: number): string {
  return String(n).replace('.', ',');
}

function csvCell(value: Cell, type: Column['type']): string {
  if (value === null || value === '') return '';
  if (typeof value === 'number') return frenchNumber(value);
  return type === 'text' ? spreadsheetSafe(value) : value;
}

/** RFC 4180 with `;`: a cell holding `;`, `"`, CR or LF is quoted, its quotes doubled. */
function csvField(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** CRLF-terminated lines (csv-stringify was ten times slower on 50,000 rows). */
export function csvLines(rows: string[][]): string {
  let out = '';
  for (const row of rows) out += `${row.map(csvField).join(';')}\r\n`;
  return out;
}

/** UTF-8 with a BOM, `;`-separated, CRLF: what French Excel opens with accents intact. */
export function directoryCsv(source: ExportSource): Readable {
  async function* lines() {
    yield `\uFEFF${csvLines([COLUMNS.map((c) => source.t(c.header))])}`;
    for await (const batch of organisationBatches(source.deps, source.filter, source.tokens)) {
      yield csvLines(batch.map((o) => COLUMNS.map((c) => csvCell(c.value(o, source), c.type))));
    }
  }
  return Readable.from(lines());
}

/** Streams an .xlsx workbook: rows are committed as they come, a batch at a time. */
export function directoryXlsx(source: ExportSource, onError: (error: unknown) => void): Readable {
  const out = new PassThrough();
  const workbook = new (excel()).stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Maillage';
  const sheet = workbook.addWorksheet(source.t('directory.export.sheet'), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c, i) => ({ header: source.t(c.header), key: String(i), width: c.width }));
  sheet.getRow(1).font = { bold: true };
  void (async () => {
    for await (const batch of organisationBatches(source.deps, source.filter, source.tokens)) {
      for (const o of batch) sheet.addRow(COLUMNS.map((c) => c.value(o, source))).commit();
    }
    sheet.commit();
    await workbook.commit();
  })().catch((error: unknown) => {
    onError(error);
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return out;
}

/** A FeatureCollection of the located organisations, properties without personal data. */
export function directoryGeoJson(source: ExportSource): Readable {
  async function* chunks() {
    yield '{"type":"FeatureCollection","features":[';
    let first = true;
    for await (const batch of organisationBatches(source.deps, source.filter, source.tokens)) {
      const features = batch
        .filter((o) => o.latitude !== null && o.longitude !== null)
        .map((o) =>
          JSON.stringify({
            type: 'Feature',
            geometry: { type: 'Point', coordinates: [Number(o.longitude), Number(o.latitude)] },
            properties: geoProperties(o, source.labels, source.baseUrl),
          }),
        );
      if (features.length === 0) continue;
      yield (first ? '' : ',') + features.join(',');
      first = false;
    }
    yield ']}';
  }
  return Readable.from(chunks());
}

/**
 * The national barometer's export: one row per public organisation, in the codes of the shared
 * inter-network vocabulary (kind, département, ISO countries, zones, sectors, SDGs).
 */
export function barometerCsv(source: ExportSource): Readable {
  const codes = (values: (string | number)[]) => values.join('|');
  async function* lines() {
    yield `\uFEFF${csvLines([[...BAROMETER_COLUMNS]])}`;
    const filter: DirectoryFilter = { ...source.filter, visibility: ['public'] };
    for await (const batch of organisationBatches(source.deps, filter, source.tokens)) {
      yield csvLines(
        batch.map((o) => [o.kind_code, o.department_code ?? '', codes(o.countries), codes(o.zones), codes(o.themes), codes(o.sdgs)]),
      );
    }
  }
  return Readable.from(lines());
}
