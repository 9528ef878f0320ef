import type { TSchema } from '@sinclair/typebox';
import type { MessageKey, Translate } from '../../kernel/i18n/index.js';
import { ApiError, DirectoryQuery, GeoFeatureProperties, ListQuery, OrganisationList, PublicOrganisation, REPEATABLE } from './schemas.js';

/**
 * The OpenAPI 3.1 document, written by hand from the TypeBox schemas that validate the API
 * (OpenAPI 3.1 schemas are JSON Schema, which TypeBox produces).
 */

type Json = Record<string, unknown>;

/** A TypeBox schema as plain JSON Schema: symbols dropped, unions of constants as `enum`. */
export function plainSchema(schema: TSchema): Json {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node !== 'object' || node === null) return node;
    const obj = node as Json;
    const anyOf = obj.anyOf;
    if (Array.isArray(anyOf) && anyOf.length > 0 && anyOf.every((s) => typeof s === 'object' && s !== null && 'const' in s)) {
      const values = anyOf.map((s) => (s as Json).const);
      const { anyOf: _drop, ...rest } = obj;
      return { ...(walk(rest) as Json), type: typeof values[0] === 'number' ? 'integer' : 'string', enum: values };
    }
    const out: Json = {};
    for (const [k, v] of Object.entries(obj)) out[k] = walk(v);
    return out;
  };
  return walk(JSON.parse(JSON.stringify(schema))) as Json;
}

export interface ParameterDoc {
  name: string;
  in: 'query' | 'path';
  required: boolean;
  description: string;
  schema: Json;
  style?: 'form';
  explode?: boolean;
}

function queryParameters(schema: typeof ListQuery | typeof DirectoryQuery, t: Translate): ParameterDoc[] {
  return Object.entries(schema.properties).map(([name, property]) => {
    const repeatable = (REPEATABLE as readonly string[]).includes(name);
    return {
      name,
      in: 'query' as const,
      required: false,
      description: t(`directory.api.param.${name}` as MessageKey),
      schema: plainSchema(property as TSchema),
      ...(repeatable ? { style: 'form' as const, explode: true } : {}),
    };
  });
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ref('ApiError') } } });

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The endpoints, in the order the documentation page lists them. */
export function openApiDocument(t: Translate, baseUrl: string): Json {
  const list = queryParameters(ListQuery, t);
  const filters = queryParameters(DirectoryQuery, t);
  const slug: ParameterDoc = { name: 'slug', in: 'path', required: true, description: t('directory.api.param.slug'), schema: { type: 'string' } };
  const fileResponse = (type: string, schema: Json) => ({
    200: { description: 'OK', content: { [type]: { schema } } },
  });
  const organisationList = plainSchema(OrganisationList);
  (organisationList.properties as Json).data = { type: 'array', items: ref('PublicOrganisation') };
  return {
    openapi: '3.1.0',
    info: {
      title: t('directory.api.info.title'),
      version: '1',
      description: `${t('directory.api.info.description')} ${t('directory.api.licence')}`,
      license: { name: 'Licence Ouverte 2.0 (Etalab)', url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/' },
    },
    servers: [{ url: baseUrl }],
    paths: {
      '/api/v1/organisations': {
        get: {
          operationId: 'listOrganisations',
          summary: t('directory.api.op.list'),
          parameters: list,
          responses: {
            200: { description: 'OK', content: { 'application/json': { schema: ref('OrganisationList') } } },
            400: errorResponse(t('directory.api.error.invalid')),
          },
        },
      },
      '/api/v1/organisations/{slug}': {
        get: {
          operationId: 'getOrganisation',
          summary: t('directory.api.op.one'),
          parameters: [slug],
          responses: {
            200: { description: 'OK', content: { 'application/json': { schema: ref('PublicOrganisation') } } },
            301: { description: t('directory.api.response.moved') },
            404: errorResponse(t('directory.api.response.notFound')),
          },
        },
      },
      '/annuaire.csv': {
        get: { operationId: 'exportCsv', summary: t('directory.api.op.csv'), parameters: filters, responses: fileResponse('text/csv', { type: 'string' }) },
      },
      '/annuaire.xlsx': {
        get: {
          operationId: 'exportXlsx',
          summary: t('directory.api.op.xlsx'),
          parameters: filters,
          responses: fileResponse(XLSX_TYPE, { type: 'string', contentMediaType: XLSX_TYPE }),
        },
      },
      '/annuaire.geojson': {
        get: {
          operationId: 'exportGeoJson',
          summary: t('directory.api.op.geojson'),
          parameters: filters,
          responses: fileResponse('application/geo+json', {
            type: 'object',
            required: ['type', 'features'],
            properties: {
              type: { const: 'FeatureCollection' },
              features: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    type: { const: 'Feature' },
                    geometry: {
                      type: 'object',
                      properties: { type: { const: 'Point' }, coordinates: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 } },
                    },
                    properties: ref('GeoFeatureProperties'),
                  },
                },
              },
            },
          }),
        },
      },
      '/annuaire/barometre.csv': {
        get: {
          operationId: 'exportBarometer',
          summary: t('directory.api.op.barometer'),
          parameters: filters,
          responses: fileResponse('text/csv', { type: 'string' }),
        },
      },
      '/api/openapi.json': {
        get: {
          operationId: 'openapi',
          summary: t('directory.api.op.openapi'),
          responses: { 200: { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
    },
    components: {
      schemas: {
        PublicOrganisation: plainSchema(PublicOrganisation),
        OrganisationList: organisationList,
        GeoFeatureProperties: plainSchema(GeoFeatureProperties),
        ApiError: plainSchema(ApiError),
      },
    },
  };
}
