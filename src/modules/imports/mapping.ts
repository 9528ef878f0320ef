import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ImportError } from './errors.js';
import { columnRef, targetName } from './issue-text.js';
import { type MappingDocument, MULTI_TARGETS, SEPARATORS, type Target, TARGETS } from './types.js';

const ColumnSchema = Type.Object(
  {
    field: Type.Union(TARGETS.map((t) => Type.Literal(t))),
    split: Type.Optional(Type.Union(SEPARATORS.map((s) => Type.Literal(s)))),
    values: Type.Optional(Type.Record(Type.String({ maxLength: 500 }), Type.String({ maxLength: 100 }))),
  },
  { additionalProperties: false },
);

/** The JSON document of a mapping, as saved and as given to `maillage import --mapping`. */
export const MappingSchema = Type.Object(
  {
    version: Type.Literal(1),
    columns: Type.Record(Type.String({ minLength: 1, maxLength: 500 }), ColumnSchema),
    membershipYear: Type.Optional(Type.Union([Type.Integer({ minimum: 1900, maximum: 2100 }), Type.Null()])),
    membershipCurrent: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    visibility: Type.Optional(Type.Union([Type.Literal('public'), Type.Literal('members'), Type.Literal('staff')])),
  },
  { additionalProperties: false },
);

/** Checks a mapping document's shape (from a file, a form or the database). */
export function parseMapping(input: unknown): MappingDocument {
  if (Value.Check(MappingSchema, input)) return input as MappingDocument;
  const first = Value.Errors(MappingSchema, input).First();
  throw new ImportError('imports.error.mappingInvalid', { detail: first ? `${first.path || '/'} : ${first.message}` : 'forme inattendue' });
}

/** Why a mapping does not fit a file's headers. */
export type MappingProblem =
  | { kind: 'unknownColumn'; column: string }
  /** A single-valued field given by several columns (in the mapping's order). */
  | { kind: 'duplicate'; field: Target; columns: string[] }
  | { kind: 'noName' };

/**
 * Checks a mapping against the file's headers: every mapped column exists, a single-valued field
 * comes from one column, and the organisation's name comes from somewhere. Every problem is
 * listed, so that a form can show each next to its column.
 */
export function mappingProblems(mapping: MappingDocument, headers: string[]): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const byField = new Map<Target, string[]>();
  for (const [column, spec] of Object.entries(mapping.columns)) {
    if (!headers.includes(column)) {
      problems.push({ kind: 'unknownColumn', column });
      continue;
    }
    if (spec.field === 'ignore') continue;
    byField.set(spec.field, [...(byField.get(spec.field) ?? []), column]);
  }
  for (const [field, columns] of byField) {
    if (columns.length > 1 && !MULTI_TARGETS.includes(field)) problems.push({ kind: 'duplicate', field, columns });
  }
  if (!byField.has('name')) problems.push({ kind: 'noName' });
  return problems;
}

/** A problem of the mapping as a refusal, naming the field by its label. */
function mappingProblemError(problem: MappingProblem): ImportError {
  switch (problem.kind) {
    case 'unknownColumn':
      return new ImportError('imports.error.mappingUnknownColumn', { column: problem.column });
    case 'duplicate':
      return new ImportError('imports.error.mappingDuplicate', { field: targetName(problem.field), columns: problem.columns.map(columnRef) });
    case 'noName':
      return new ImportError('imports.error.mappingNoName');
  }
}

/** Throws the first problem of the mapping against the file's headers (see mappingProblems). */
export function checkMappingAgainst(mapping: MappingDocument, headers: string[]): void {
  const [first] = mappingProblems(mapping, headers);
  if (first) throw mappingProblemError(first);
}

/** The columns of each target, as indexes into a row's values (multi-valued targets may have several). */
export function columnIndexes(mapping: MappingDocument, headers: string[]): Map<Target, number[]> {
  const indexes = new Map<Target, number[]>();
  for (const [column, spec] of Object.entries(mapping.columns)) {
    const i = headers.indexOf(column);
    if (i < 0 || spec.field === 'ignore') continue;
    indexes.set(spec.field, [...(indexes.get(spec.field) ?? []), i]);
  }
  return indexes;
}

/**
 * Whether a member column's yes makes an organisation a current member of the network in
 * `currentYear`: as a person chose, else when the column names no year or that year.
 */
export function membershipIsCurrent(mapping: Pick<MappingDocument, 'membershipYear' | 'membershipCurrent'>, currentYear: number): boolean {
  if (typeof mapping.membershipCurrent === 'boolean') return mapping.membershipCurrent;
  return !mapping.membershipYear || mapping.membershipYear === currentYear;
}
