import { Type } from '@sinclair/typebox';

export const SLUG_PATTERN = '^[a-z0-9]+(?:-[a-z0-9]+)*$';

/** A page as staff write it. */
export const PageForm = Type.Object({
  title: Type.String({ minLength: 2, maxLength: 200, 'x-message': 'pages.error.title', 'x-required': 'pages.error.titleRequired' }),
  slug: Type.Optional(Type.String({ maxLength: 100, pattern: SLUG_PATTERN, 'x-message': 'pages.error.slug' })),
  body: Type.Optional(Type.String({ maxLength: 200_000, 'x-message': 'pages.error.body' })),
  status: Type.Union([Type.Literal('draft'), Type.Literal('published')], { 'x-message': 'pages.error.status', 'x-required': 'pages.error.status' }),
  menu: Type.Union([Type.Literal('none'), Type.Literal('header'), Type.Literal('footer')], { 'x-message': 'pages.error.menu', 'x-required': 'pages.error.menu' }),
  menu_order: Type.Optional(Type.String({ pattern: '^-?[0-9]{1,4}$', 'x-message': 'pages.error.menuOrder' })),
  menu_label: Type.Optional(Type.String({ maxLength: 60, 'x-message': 'pages.error.menuLabel' })),
});
