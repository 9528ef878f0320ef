import { FormatRegistry, type Static, type TSchema, Type } from '@sinclair/typebox';

/**
 * The open-data schemas: they validate the API's query strings and are the source of the
 * OpenAPI document (openapi.ts), so the documentation cannot drift from what is checked.
 */

// The formats the response schemas use, so that TypeBox can check a response against them (tests).
if (!FormatRegistry.Has('uri')) FormatRegistry.Set('uri', (v) => /^[a-z][a-z0-9+.-]*:[^\s]*$/i.test(v));
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (v) => !Number.isNaN(Date.parse(v)) && /^\d{4}-\d{2}-\d{2}T/.test(v));

const codes = (pattern: string) => Type.Optional(Type.Array(Type.String({ pattern }), { maxItems: 50 }));

/** The directory's filters (same names as /annuaire); repeatable ones are arrays. */
export const DirectoryQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    famille: codes('^[a-z_]{2,40}$'),
    departement: codes('^(\\d{2,3}|2[AB])$'),
    theme: codes('^[a-z_]{2,40}$'),
    pays: codes('^[A-Z]{2}$'),
    zone: codes('^[a-z_]{2,40}$'),
    odd: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 17 }), { maxItems: 17 })),
    adherent: Type.Optional(Type.Union([Type.Literal('oui'), Type.Literal('non')])),
    tri: Type.Optional(Type.Union([Type.Literal('pertinence'), Type.Literal('nom'), Type.Literal('recent')])),
  },
  { additionalProperties: true },
);

export const ListQuery = Type.Composite(
  [
    DirectoryQuery,
    Type.Object({
      page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1 })),
      par_page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    }),
  ],
  { additionalProperties: true },
);
export type ListQuery = Static<typeof ListQuery>;

/** Parameters that may be given several times (`theme=a&theme=b`) or comma-separated. */
export const REPEATABLE = ['famille', 'departement', 'theme', 'pays', 'zone', 'odd'] as const;

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Coded = Type.Object({ code: Type.String(), label: Type.String() });

export const PublicOrganisation = Type.Object(
  {
    slug: Type.String({ description: 'Identifiant d’adresse, stable (un ancien identifiant redirige).' }),
    url: Type.String({ format: 'uri', description: 'Page publique de la structure.' }),
    name: Type.String(),
    acronym: Nullable(Type.String()),
    kind: Coded,
    description_html: Nullable(Type.String({ description: 'Présentation en HTML nettoyé.' })),
    website: Nullable(Type.String({ format: 'uri' })),
    email: Nullable(Type.String()),
    phone: Nullable(Type.String({ description: 'Format international E.164, par exemple +33556000000.' })),
    social_links: Type.Record(Type.String(), Type.String({ format: 'uri' })),
    logo_url: Nullable(Type.String({ format: 'uri', description: 'Logo de la structure (WebP, 400 × 400 pixels au plus).' })),
    address: Nullable(Type.String()),
    postcode: Nullable(Type.String()),
    commune: Nullable(Type.Object({ code: Nullable(Type.String()), name: Type.String() })),
    department: Nullable(Coded),
    location: Nullable(
      Type.Object({
        latitude: Type.Number(),
        longitude: Type.Number(),
        approximate: Type.Boolean({ description: 'Vrai quand la position est le centre de la commune ou du département.' }),
      }),
    ),
    themes: Type.Array(Coded),
    countries: Type.Array(Coded, { description: 'Codes ISO 3166-1 alpha-2.' }),
    zones: Type.Array(Coded),
    sdgs: Type.Array(Type.Object({ code: Type.Integer({ minimum: 1, maximum: 17 }), label: Type.String() })),
    siren: Nullable(Type.String()),
    siret: Nullable(Type.String()),
    rna: Nullable(Type.String()),
    founded_year: Nullable(Type.Integer()),
    staff_count: Nullable(Type.Integer()),
    volunteer_count: Nullable(Type.Integer()),
    is_member: Type.Boolean({ description: 'Adhérent du réseau.' }),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type PublicOrganisation = Static<typeof PublicOrganisation>;

export const OrganisationList = Type.Object({
  total: Type.Integer({ minimum: 0 }),
  page: Type.Integer({ minimum: 1 }),
  par_page: Type.Integer({ minimum: 1, maximum: 100 }),
  pages: Type.Integer({ minimum: 1 }),
  links: Type.Object({
    self: Type.String({ format: 'uri' }),
    first: Type.String({ format: 'uri' }),
    last: Type.String({ format: 'uri' }),
    prev: Nullable(Type.String({ format: 'uri' })),
    next: Nullable(Type.String({ format: 'uri' })),
  }),
  data: Type.Array(PublicOrganisation),
});
export type OrganisationList = Static<typeof OrganisationList>;

export const ApiError = Type.Object({
  error: Type.String({ description: 'Code de l’erreur (bad_request, not_found…).' }),
  message: Type.String({ description: 'Message en français.' }),
  details: Type.Optional(Type.Array(Type.Object({ parameter: Type.String(), message: Type.String() }))),
});
export type ApiError = Static<typeof ApiError>;

/** One feature of /annuaire.geojson: no personal data (no email, phone or address line). */
export const GeoFeatureProperties = Type.Object({
  slug: Type.String(),
  url: Type.String({ format: 'uri' }),
  name: Type.String(),
  acronym: Nullable(Type.String()),
  kind: Type.String(),
  kind_label: Type.String(),
  commune: Nullable(Type.String()),
  department: Nullable(Type.String()),
  themes: Type.Array(Type.String()),
  countries: Type.Array(Type.String()),
  is_member: Type.Boolean(),
  approximate: Type.Boolean(),
});
export type GeoFeatureProperties = Static<typeof GeoFeatureProperties>;

/** The barometer's columns: codes of the shared inter-network vocabulary. */
export const BAROMETER_COLUMNS = ['famille', 'departement', 'pays', 'zones', 'secteurs', 'odd'] as const;
