import { Type } from '@sinclair/typebox';

const day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', 'x-message': 'validation.date' });

export const AuditQuery = Type.Object({
  acteur: Type.Optional(Type.String({ maxLength: 254 })),
  entite: Type.Optional(Type.String({ maxLength: 60 })),
  id: Type.Optional(Type.String({ maxLength: 60 })),
  action: Type.Optional(Type.String({ maxLength: 80 })),
  du: Type.Optional(day),
  au: Type.Optional(day),
  page: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$' })),
});
