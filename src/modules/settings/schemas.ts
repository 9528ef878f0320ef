import { Type } from '@sinclair/typebox';
import { REGIONS } from '../../kernel/geo/regions.js';

export const LOGO_MAX_BYTES = 1024 * 1024;

export const SettingsForm = Type.Object({
  network_name: Type.String({ minLength: 2, maxLength: 120, 'x-message': 'settings.nameInvalid', 'x-required': 'settings.nameRequired' }),
  region_code: Type.Union(
    Object.keys(REGIONS).map((code) => Type.Literal(code)),
    { 'x-message': 'validation.choice', 'x-required': 'settings.regionRequired' },
  ),
  contact_email: Type.String({ format: 'email', maxLength: 254, 'x-message': 'validation.email', 'x-required': 'settings.contactEmailRequired' }),
  remove_logo: Type.Optional(Type.Literal('1')),
});
