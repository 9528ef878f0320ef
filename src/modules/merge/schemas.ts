import { type TLiteral, type TOptional, type TUnion, Type } from '@sinclair/typebox';
import { MERGE_FIELDS, type MergeFieldKey } from './fields.js';

const side = (message: 'merge.error.survivor' | 'merge.error.choice') => Type.Union([Type.Literal('a'), Type.Literal('b')], { 'x-message': message, 'x-required': message });

type SideSchema = TUnion<[TLiteral<'a'>, TLiteral<'b'>]>;

/** The merge form: which record is kept ("conserver": a or b) and, per field, whose value ("champ_<field>"). */
export const MergeFormSchema = Type.Object({
  conserver: side('merge.error.survivor'),
  ...(Object.fromEntries(MERGE_FIELDS.map((f) => [`champ_${f.key}`, Type.Optional(side('merge.error.choice'))])) as Record<`champ_${MergeFieldKey}`, TOptional<SideSchema>>),
});
