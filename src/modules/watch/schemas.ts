import { Type } from '@sinclair/typebox';

const list = Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Array(Type.String({ maxLength: 40 }), { maxItems: 100 })]));

/** A source added or edited by staff. */
export const SourceForm = Type.Object({
  url: Type.String({ minLength: 8, maxLength: 2000, 'x-message': 'watch.form.error.url', 'x-required': 'watch.form.error.urlRequired' }),
  name: Type.Optional(Type.String({ maxLength: 200, 'x-message': 'watch.form.error.name' })),
  category: Type.Optional(Type.String({ maxLength: 40, 'x-message': 'watch.form.error.category' })),
  interval: Type.Optional(Type.String({ pattern: '^[0-9]{1,5}$', 'x-message': 'watch.form.error.interval' })),
  active: Type.Optional(Type.String({ maxLength: 3 })),
  themes: list,
});

/** An OPML document pasted by staff. */
export const OpmlForm = Type.Object({
  opml: Type.String({ minLength: 10, maxLength: 1_000_000, 'x-message': 'watch.opml.error.empty', 'x-required': 'watch.opml.error.empty' }),
});

/** A saved keyword rule. */
export const RuleForm = Type.Object({
  keyword: Type.String({ minLength: 2, maxLength: 100, 'x-message': 'watch.rules.error.keyword', 'x-required': 'watch.rules.error.keywordRequired' }),
  theme: Type.Optional(Type.String({ maxLength: 40 })),
  country: Type.Optional(Type.String({ maxLength: 2 })),
  category: Type.Optional(Type.String({ maxLength: 40 })),
  auto_keep: Type.Optional(Type.String({ maxLength: 3 })),
});

/** Tags, note and status of one item. */
export const TagForm = Type.Object({
  status: Type.Union([Type.Literal('new'), Type.Literal('kept'), Type.Literal('ignored')], { 'x-message': 'watch.form.error.status', 'x-required': 'watch.form.error.status' }),
  category: Type.Optional(Type.String({ maxLength: 40 })),
  note: Type.Optional(Type.String({ maxLength: 2000, 'x-message': 'watch.form.error.note' })),
  countries: Type.Optional(Type.String({ maxLength: 1000 })),
  themes: list,
});

/** Public archive filters (query string). */
export const ArchiveQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  theme: Type.Optional(Type.String({ maxLength: 40 })),
  country: Type.Optional(Type.String({ maxLength: 2 })),
  category: Type.Optional(Type.String({ maxLength: 40 })),
  source: Type.Optional(Type.String({ maxLength: 40 })),
  page: Type.Optional(Type.String({ maxLength: 6 })),
});

export function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => v.trim()).filter(Boolean);
}
