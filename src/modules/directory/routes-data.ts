import type { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { sendPage, viewContext } from '../../kernel/http/view-context.js';
import { translator } from '../../kernel/i18n/index.js';
import { parseDirectoryQuery, taxonomies } from '../organisations/index.js';
import { listOrganisations, readListQuery } from './api.js';
import { barometerCsv, directoryCsv, directoryGeoJson, directoryXlsx, type ExportSource } from './exports.js';
import { labelsFor } from './labels.js';
import { openApiDocument, XLSX_TYPE } from './openapi.js';
import { findVisibleOrganisation } from './organisation.js';
import { publicRecord } from './public-record.js';
import { ApiDocsPage } from './views-api.js';
import { redirectMoved } from '../../kernel/http/moved.js';

type Query = Record<string, string | string[] | undefined>;

/** Open data: the directory's exports, the JSON API and its documentation. */
export const directoryDataRoutes: FastifyPluginAsync = async (app) => {
  const { kernel } = app;
  const deps = { db: kernel.db, dialect: kernel.dbHandle.dialect };
  const baseUrl = kernel.config.baseUrl;

  async function source(request: FastifyRequest<{ Querystring: Query }>): Promise<ExportSource> {
    const parsed = parseDirectoryQuery(request.query, request.user?.role ?? null);
    const t = await taxonomies(kernel.db);
    return { deps, filter: parsed.filter, tokens: parsed.tokens, labels: labelsFor(t, request.locale), t: request.t, baseUrl };
  }

  /** Sends a streamed export as a dated attachment: `annuaire-2026-11-29.csv`. */
  function download(reply: FastifyReply, type: string, name: string, extension: string, body: Readable) {
    const day = kernel.clock.now().toISOString().slice(0, 10);
    body.on('error', (error) => reply.log.error({ err: error }, 'export failed while streaming'));
    return reply
      .type(type)
      .header('content-disposition', `attachment; filename="${name}-${day}.${extension}"`)
      .header('cache-control', 'no-store')
      .send(body);
  }

  app.get<{ Querystring: Query }>('/annuaire.csv', { config: { access: 'public' } }, async (request, reply) =>
    download(reply, 'text/csv; charset=utf-8', 'annuaire', 'csv', directoryCsv(await source(request))),
  );

  app.get<{ Querystring: Query }>('/annuaire.xlsx', { config: { access: 'public' } }, async (request, reply) =>
    download(reply, XLSX_TYPE, 'annuaire', 'xlsx', directoryXlsx(await source(request), (error) => request.log.error({ err: error }, 'xlsx export failed'))),
  );

  app.get<{ Querystring: Query }>('/annuaire.geojson', { config: { access: 'public' } }, async (request, reply) =>
    download(reply, 'application/geo+json; charset=utf-8', 'annuaire', 'geojson', directoryGeoJson(await source(request))),
  );

  app.get<{ Querystring: Query }>('/annuaire/barometre.csv', { config: { access: 'public' } }, async (request, reply) =>
    download(reply, 'text/csv; charset=utf-8', 'annuaire-barometre', 'csv', barometerCsv(await source(request))),
  );

  app.get<{ Querystring: Query }>('/api/v1/organisations', { config: { access: 'public' } }, async (request, reply) => {
    const query = readListQuery(request.query, request.t);
    if (!query.ok) return reply.status(400).send(query.error);
    const t = await taxonomies(kernel.db);
    return listOrganisations(deps, query.value, request.user?.role ?? null, labelsFor(t, request.locale), baseUrl);
  });

  app.get<{ Params: { slug: string } }>('/api/v1/organisations/:slug', { config: { access: 'public' } }, async (request, reply) => {
    const found = await findVisibleOrganisation(kernel.db, request.params.slug, request.user?.role ?? null);
    if (!found) throw new AppError('not_found');
    if (found.redirectTo) return redirectMoved(reply, `/api/v1/organisations/${encodeURIComponent(found.redirectTo)}`);
    const t = await taxonomies(kernel.db);
    return publicRecord(found.organisation, labelsFor(t, request.locale), baseUrl);
  });

  // The published description is French (the API's language), whatever the visitor's locale.
  const french = translator('fr');
  app.get('/api/openapi.json', { config: { access: 'public' } }, async () => openApiDocument(french, baseUrl));

  app.get('/api/docs', { config: { access: 'public' } }, async (request, reply) => {
    const ctx = await viewContext(request, reply);
    const doc = openApiDocument(request.t, baseUrl) as unknown as Parameters<typeof ApiDocsPage>[0]['doc'];
    return sendPage(reply, ApiDocsPage({ ctx, doc }));
  });
};
