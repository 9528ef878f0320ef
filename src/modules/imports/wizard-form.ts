import { Type } from '@sinclair/typebox';
import type { MessageKey, Translate } from '../../kernel/i18n/index.js';
import { DELIMITERS } from './detect-dialect.js';
import { yearOf } from './guess-mapping.js';
import { mappingProblems } from './mapping.js';
import { IMPORT_MAX_BYTES } from './read.js';
import {
  CODED_TARGETS,
  type ColumnMapping,
  LEGAL_BASES,
  type MappingDocument,
  MULTI_TARGETS,
  QUOTE_CHOICES,
  type ReadingChoice,
  type Separator,
  SEPARATORS,
  type Target,
  TARGETS,
  TEXT_ENCODINGS,
  type TextDetection,
  type TextEncodingName,
} from './types.js';

/** The largest file the upload form accepts; tests lower `uploadCap.bytes` to try the refusal quickly. */
export const uploadCap = { bytes: IMPORT_MAX_BYTES };

/** Route config of the upload: @fastify/multipart merges these limits over the kernel's (read per request). */
export const uploadMultipartOptions = {
  // A file over the cap arrives truncated (not an error): the upload page says so next to its field.
  throwFileSizeLimit: false,
  limits: {
    files: 1,
    // One byte over the cap: a file of exactly the cap is whole, a larger one arrives truncated.
    get fileSize(): number {
      return uploadCap.bytes + 1;
    },
  },
};

/** Kind or membership columns get a value map in the form; the other coded targets are matched by the vocabulary. */
export const VALUE_MAPPED: readonly Target[] = ['kind', 'is_member'];
/** Form value of "leave it to automatic recognition" in a value map (no entry in the mapping). */
export const AUTO = '__auto';
/** Separator choices of the form ('' = one value per cell). */
export const SEPARATOR_CHOICES: readonly ('' | Separator)[] = ['', ...SEPARATORS];
export const SEPARATOR_LABEL: Record<'' | Separator, MessageKey> = {
  '': 'importWizard.separator.none',
  '|': 'importWizard.separator.pipe',
  ';': 'importWizard.separator.semicolon',
  '/': 'importWizard.separator.slash',
  ',': 'importWizard.separator.comma',
  '\n': 'importWizard.separator.newline',
};
/** Separators in a form field: a newline travels as "nl". */
export function separatorValue(s: '' | Separator): string {
  return s === '\n' ? 'nl' : s;
}

export const UploadSchema = Type.Object({
  // The characters allowed are checked by createBatch (a Unicode class TypeBox patterns cannot hold).
  source: Type.Optional(Type.String({ maxLength: 80, 'x-message': 'imports.error.sourceName' })),
});

export const CommitSchema = Type.Object({
  // A radio or select left alone says which choice is missing, not « Ce champ est obligatoire. ».
  mode: Type.Union([Type.Literal('valid-only'), Type.Literal('all-or-nothing')], { 'x-message': 'importWizard.error.mode', 'x-required': 'importWizard.error.mode' }),
  base: Type.Union(LEGAL_BASES.map((b) => Type.Literal(b)), { 'x-message': 'importWizard.error.base', 'x-required': 'importWizard.error.base' }),
  date: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', 'x-message': 'importWizard.error.date' })),
  detail: Type.Optional(Type.String({ maxLength: 1000, 'x-message': 'imports.error.legalDetail' })),
  source_consent: Type.Optional(Type.String({ maxLength: 200, 'x-message': 'importWizard.error.consentSource' })),
});

/** Deleting a batch that wrote nothing: the box must be ticked. */
export const DeleteSchema = Type.Object({
  confirmer: Type.Literal('1', { 'x-message': 'importWizard.delete.unconfirmed', 'x-required': 'importWizard.delete.unconfirmed' }),
});

export const SavedMappingSchema = Type.Object({
  modele: Type.String({ minLength: 1, maxLength: 100, 'x-message': 'importWizard.error.savedMapping' }),
});

/** One column of the mapping form: its header, sample values and current choice. */
export interface ColumnChoice {
  index: number;
  header: string;
  samples: string[];
  spec: ColumnMapping;
  /** Distinct values of the sample offered in a value map (kind, membership). */
  distinct: string[];
}

function text(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  return typeof v === 'string' ? v.trim() : '';
}

function separatorOf(raw: string): Separator | undefined | null {
  if (raw === '') return undefined;
  const value = raw === 'nl' ? '\n' : raw;
  return (SEPARATORS as readonly string[]).includes(value) ? (value as Separator) : null;
}

/** The mapping form's `adherent_actuel`: whether a member column's yes makes a current member (see membershipIsCurrent). */
export const MEMBER_CURRENT_CHOICES = { annee: null, oui: true, non: false } as const;
export type MemberCurrentChoice = keyof typeof MEMBER_CURRENT_CHOICES;

export function memberCurrentValue(current: boolean | null | undefined): MemberCurrentChoice {
  return current === true ? 'oui' : current === false ? 'non' : 'annee';
}

/** Who sees the organisations an import creates (the mapping form's `visibilite`). */
export const VISIBILITIES = ['public', 'members', 'staff'] as const;
export type ImportVisibility = (typeof VISIBILITIES)[number];

/**
 * The mapping form back into a mapping document: `col_<i>` (target), `sep_<i>` (separator of a
 * multi-valued target), `val_<i>_<j>` (value map of a kind or membership column, `AUTO` = none),
 * `visibilite` (who sees the created organisations), `adherent_actuel` (whether a member column's
 * yes makes a current member; absent when the page showed no member column: kept).
 * The membership year is read from the member column's header, kept while that column stays the same.
 * Unknown values become field errors (message keys), never a silent default.
 */
export function mappingFromForm(
  body: unknown,
  columns: ColumnChoice[],
  previous: MappingDocument,
): { mapping: MappingDocument; errors: Record<string, MessageKey> } {
  const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const errors: Record<string, MessageKey> = {};
  const out: Record<string, ColumnMapping> = {};
  for (const column of columns) {
    const rawField = text(input, `col_${column.index}`);
    if (!(TARGETS as readonly string[]).includes(rawField)) {
      errors[`col_${column.index}`] = 'importWizard.error.target';
      out[column.header] = { field: 'ignore' };
      continue;
    }
    const field = rawField as Target;
    const spec: ColumnMapping = { field };
    if (MULTI_TARGETS.includes(field)) {
      const split = separatorOf(text(input, `sep_${column.index}`));
      if (split === null) errors[`sep_${column.index}`] = 'importWizard.error.separator';
      else if (split) spec.split = split;
    }
    if (CODED_TARGETS.includes(field)) {
      // Value maps kept from before (themes, countries, zones of a saved mapping), the form's on top.
      const values: Record<string, string> = { ...(previous.columns[column.header]?.field === field ? previous.columns[column.header]?.values : {}) };
      if (VALUE_MAPPED.includes(field)) {
        column.distinct.forEach((value, j) => {
          const name = `val_${column.index}_${j}`;
          const chosen = text(input, name);
          if (chosen === '' || chosen === AUTO) delete values[value];
          else if (chosen.length > 100) errors[name] = 'importWizard.error.value';
          else values[value] = chosen;
        });
      }
      spec.values = values;
    }
    out[column.header] = spec;
  }
  const visibility = text(input, 'visibilite');
  const mapping: MappingDocument = { ...previous, version: 1, columns: out };
  const memberColumn = (columns: Record<string, ColumnMapping>) => Object.keys(columns).find((header) => columns[header]!.field === 'is_member');
  const member = memberColumn(out);
  if (member !== memberColumn(previous.columns)) mapping.membershipYear = member === undefined ? null : yearOf(member);
  if (Object.hasOwn(input, 'adherent_actuel')) {
    const current = text(input, 'adherent_actuel');
    if (Object.hasOwn(MEMBER_CURRENT_CHOICES, current)) mapping.membershipCurrent = MEMBER_CURRENT_CHOICES[current as MemberCurrentChoice];
    else errors['adherent_actuel'] = 'importWizard.error.memberCurrent';
  }
  if ((VISIBILITIES as readonly string[]).includes(visibility)) mapping.visibility = visibility as ImportVisibility;
  else errors['visibilite'] = 'importWizard.error.visibility';
  return { mapping, errors };
}

/**
 * What the mapping check refuses, as errors of the column selects (`col_<i>`) in column order: each
 * column of a field given by several, or without a name column the first select free of error. A
 * problem no select can show (a column the file lacks) is left to setBatchMapping's refusal.
 */
export function mappingCheckErrors(mapping: MappingDocument, columns: ColumnChoice[], t: Translate): Record<string, string> {
  const byColumn = new Map<number, string>();
  const quoted = (header: string) => t('imports.columnRef', { column: header });
  for (const problem of mappingProblems(mapping, columns.map((c) => c.header))) {
    if (problem.kind === 'duplicate') {
      const field = t(`imports.field.${problem.field}` as MessageKey);
      for (const column of columns.filter((c) => problem.columns.includes(c.header))) {
        const others = problem.columns.filter((h) => h !== column.header).map(quoted).join(', ');
        if (!byColumn.has(column.index)) byColumn.set(column.index, t('importWizard.error.duplicateField', { column: column.header, field, others }));
      }
    } else if (problem.kind === 'noName') {
      const free = columns.find((c) => !byColumn.has(c.index));
      if (free) byColumn.set(free.index, t('imports.error.mappingNoName'));
    }
  }
  return Object.fromEntries([...byColumn].sort(([a], [b]) => a - b).map(([index, message]) => [`col_${index}`, message]));
}

/**
 * A saved mapping applied to this file: its columns that the file has; the others stay as they were.
 * `matched` and `absent` are the saved mapping's columns (those it sends somewhere) that this file
 * has, and does not have: with none matched, the mapping does not fit this file.
 */
export function applySavedMapping(current: MappingDocument, saved: MappingDocument, headers: string[]): { mapping: MappingDocument; matched: string[]; absent: string[] } {
  const columns: Record<string, ColumnMapping> = {};
  for (const header of headers) columns[header] = saved.columns[header] ?? current.columns[header] ?? { field: 'ignore' };
  const present = new Set(headers);
  const used = Object.entries(saved.columns).filter(([, spec]) => spec.field !== 'ignore').map(([column]) => column);
  return { mapping: { ...saved, columns }, matched: used.filter((c) => present.has(c)), absent: used.filter((c) => !present.has(c)) };
}

/** Columns named in a message: the first `shown`, quoted as the language does, the rest as "…". */
export function columnList(t: Translate, columns: readonly string[], shown = 8): string {
  const named = columns.slice(0, shown).map((column) => t('imports.columnRef', { column }));
  return columns.length > shown ? `${named.join(', ')}, …` : named.join(', ');
}

/** The value choices of a coded column: its distinct sample values plus those already mapped. */
export function distinctValues(samples: string[], spec: ColumnMapping, max = 30): string[] {
  const seen = new Set<string>();
  for (const v of Object.keys(spec.values ?? {})) seen.add(v);
  for (const s of samples) {
    const split = spec.split ? s.split(spec.split) : [s];
    for (const piece of split) {
      const v = piece.trim();
      if (v) seen.add(v);
      if (seen.size >= max) break;
    }
    if (seen.size >= max) break;
  }
  return [...seen];
}

// ---------- Reading (the file step) ----------

/**
 * Encodings offered on the file step (with the detected one, and the one read, when another: UTF-16).
 * Windows-1252 stands for ISO-8859-1 too: both decode alike (see decodedAs), two choices would differ in name only.
 */
export const OFFERED_ENCODINGS: readonly TextEncodingName[] = ['utf-8', 'windows-1252'];

/** A column separator in a form field: a tab travels as "tab". */
export function delimiterValue(delimiter: string): string {
  return delimiter === '\t' ? 'tab' : delimiter;
}

/** The quote of a reading in a form field ("double" also for no quoted field seen: read so). */
export function quoteValue(quote: TextDetection['quote']): string {
  return quote === "'" ? 'simple' : quote === 'none' ? 'aucun' : 'double';
}

const QUOTE_OF: Record<string, (typeof QUOTE_CHOICES)[number]> = { double: '"', simple: "'", aucun: 'none' };

/** The form of the file step (`encodage`, `separateur`, `guillemets`) as a reading choice; unknown values become field errors. */
export function readingFromForm(body: unknown): { choice: ReadingChoice; values: Record<string, string>; errors: Record<string, MessageKey> } {
  const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const values = { encodage: text(input, 'encodage'), separateur: text(input, 'separateur'), guillemets: text(input, 'guillemets') };
  const errors: Record<string, MessageKey> = {};
  const choice: ReadingChoice = {};
  if ((TEXT_ENCODINGS as readonly string[]).includes(values.encodage)) choice.encoding = values.encodage as TextEncodingName;
  else errors['encodage'] = 'importWizard.error.readingEncoding';
  const delimiter = values.separateur === 'tab' ? '\t' : values.separateur;
  if ((DELIMITERS as readonly string[]).includes(delimiter)) choice.delimiter = delimiter;
  else errors['separateur'] = 'importWizard.error.readingDelimiter';
  const quote = Object.hasOwn(QUOTE_OF, values.guillemets) ? QUOTE_OF[values.guillemets] : undefined;
  if (quote) choice.quote = quote;
  else errors['guillemets'] = 'importWizard.error.readingQuote';
  return { choice, values, errors };
}

/**
 * The field of the file step a refused reading is said next to: the one whose choice made it,
 * by what the refusal is about, else the first the person changed.
 */
export function readingErrorField(key: MessageKey, choice: ReadingChoice, current: TextDetection): 'encodage' | 'separateur' | 'guillemets' {
  if (key === 'imports.error.readingUnreadable') return 'encodage';
  if (key === 'imports.error.readingOneColumn') return 'separateur';
  if (key === 'imports.error.quoteNotClosed' || key === 'imports.error.badQuote' || key === 'imports.error.quoteSwallowsRows') return 'guillemets';
  if (choice.encoding !== current.encoding) return 'encodage';
  if (choice.delimiter !== current.delimiter) return 'separateur';
  return 'guillemets';
}
