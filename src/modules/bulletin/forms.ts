import { Type } from '@sinclair/typebox';
import type { MessageKey } from '../../kernel/i18n/index.js';
import { richTextFromForm } from '../../kernel/text/rich-text.js';
import { isCalendarDay } from '../../kernel/time/date-only.js';
import { parseForm } from '../../kernel/validation.js';
import { type BulletinBlock, isBulletinType, LIMITS, TEXT_TYPE } from './block-shapes.js';

// The forms of the block editor: one per block (its title and parameters or chosen items), the
// « add a block » form and the « new monthly bulletin » form.

const list = Type.Optional(Type.Union([Type.String({ maxLength: 60 }), Type.Array(Type.String({ maxLength: 60 }), { maxItems: 200 })]));
const number = Type.Optional(Type.String({ maxLength: 6 }));

export const BlockForm = Type.Object({
  title: Type.Optional(Type.String({ maxLength: 120, 'x-message': 'bulletin.error.title' })),
  html: Type.Optional(Type.String({ maxLength: 100_000, 'x-message': 'bulletin.error.html' })),
  ids: list,
  since: Type.Optional(Type.String({ maxLength: 20 })),
  limit: number,
  weeks: number,
  days: number,
  mode: Type.Optional(Type.String({ maxLength: 20 })),
});

export const AddBlockForm = Type.Object({
  type: Type.String({ maxLength: 30, 'x-message': 'bulletin.error.type' }),
});

export const MonthlyForm = Type.Object({
  month: Type.String({ pattern: '^\\d{4}-\\d{2}$', 'x-message': 'bulletin.error.month', 'x-required': 'bulletin.error.month' }),
  subject: Type.Optional(Type.String({ maxLength: 200, 'x-message': 'newsletter.error.subject' })),
  lists: list,
});

export function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' && value ? [value] : [];
}

/** What was typed in a block's form, as shown again with its errors. */
export type BlockValues = Record<string, string | string[]>;

export function blockValues(body: unknown): BlockValues {
  const b = (body ?? {}) as Record<string, unknown>;
  // Shown again as typed, however long (the request's size bounds it): the schema says what is too long.
  const text = (name: string) => String(b[name] ?? '');
  return { title: text('title'), html: text('html'), ids: asList(b['ids']).slice(0, 200), since: text('since'), limit: text('limit'), weeks: text('weeks'), days: text('days'), mode: text('mode') };
}

/** The form's values for a stored block (to fill its form). */
export function valuesOf(block: BulletinBlock | { type: typeof TEXT_TYPE; html: string }): BlockValues {
  const values: BlockValues = { title: 'title' in block ? block.title : '', html: '', ids: [], since: '', limit: '', weeks: '', days: '', mode: '' };
  for (const [name, value] of Object.entries(block)) {
    if (name in values) values[name] = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : String(value);
  }
  return values;
}

/**
 * The editorial's (or a text block's) text as typed: the kernel's rich text, so that plain
 * paragraphs keep their blank lines even with a few inline tags (<b>, <a>); block HTML is sanitised.
 */
export function richText(input: string): string {
  return richTextFromForm(input) ?? '';
}

export type FieldProblems = Record<string, MessageKey>;
export type BlockPatch = Record<string, unknown>;

function intIn(value: string | string[] | undefined, range: { min: number; max: number }): number | null {
  if (typeof value !== 'string' || !/^\d{1,4}$/.test(value)) return null;
  const n = Number(value);
  return n >= range.min && n <= range.max ? n : null;
}

/** The day given, if it is one of the calendar (YYYY-MM-DD); null for a list or no value. */
function validDay(value: string | string[] | undefined): string | null {
  return typeof value === 'string' && isCalendarDay(value) ? value : null;
}

const ID = /^[0-9A-Za-z-]{1,60}$/;

/**
 * The changes a block's form asks for, checked against the block's type: titles, ranges, dates,
 * modes, chosen ids (only well-formed ones are kept; unknown ones vanish when the block resolves).
 */
export function blockPatch(type: string, body: unknown): { ok: true; patch: BlockPatch } | { ok: false; errors: FieldProblems } {
  const form = parseForm(BlockForm, body);
  if (!form.ok) return { ok: false, errors: form.errors };
  const v = blockValues(body);
  const errors: FieldProblems = {};
  const patch: BlockPatch = {};
  const title = String(v['title']).trim();
  if (type !== TEXT_TYPE) patch['title'] = title;
  if (type === TEXT_TYPE || type === 'editorial') {
    const html = richText(String(v['html']));
    if (type === TEXT_TYPE && !html) errors['html'] = 'bulletin.error.textEmpty';
    patch['html'] = html;
  }
  if (isBulletinType(type) && type !== 'editorial' && !title) errors['title'] = 'bulletin.error.titleRequired';
  if (type === 'news' || type === 'watch') patch['ids'] = [...new Set(asList(v['ids']).filter((id) => ID.test(id)))].slice(0, LIMITS.selected);
  if (type === 'member_news' || type === 'resources' || type === 'calls') {
    const since = validDay(v['since']);
    if (since) patch['since'] = since;
    else if (!(type === 'calls' && v['mode'] === 'closing')) errors['since'] = 'bulletin.error.since';
  }
  if (type !== 'editorial' && type !== 'news' && type !== TEXT_TYPE) {
    const limit = intIn(v['limit'], LIMITS.limit);
    if (limit === null) errors['limit'] = 'bulletin.error.limit';
    else patch['limit'] = limit;
  }
  if (type === 'events') {
    const weeks = intIn(v['weeks'], LIMITS.weeks);
    if (weeks === null) errors['weeks'] = 'bulletin.error.weeks';
    else patch['weeks'] = weeks;
  }
  if (type === 'calls') {
    if (v['mode'] === 'closing' || v['mode'] === 'new' || v['mode'] === 'both') patch['mode'] = v['mode'];
    else errors['mode'] = 'bulletin.error.mode';
    const days = intIn(v['days'], LIMITS.days);
    if (days === null) {
      if (v['mode'] !== 'new') errors['days'] = 'bulletin.error.days';
    } else patch['days'] = days;
  }
  if (type === 'watch') {
    if (v['mode'] === 'latest' || v['mode'] === 'selected') patch['mode'] = v['mode'];
    else errors['mode'] = 'bulletin.error.mode';
    if (v['mode'] === 'selected' && (patch['ids'] as string[]).length === 0) errors['ids'] = 'bulletin.error.chooseItems';
  }
  if (type === 'news' && (patch['ids'] as string[]).length === 0) errors['ids'] = 'bulletin.error.chooseItems';
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, patch };
}
