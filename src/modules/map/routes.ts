import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { departmentsOfRegion, listDepartments } from '../../kernel/geo/communes.js';
import { departmentCentre } from '../../kernel/geo/department-centres.js';
import { actorOf, formBody } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import type { Kernel } from '../../kernel/http/types.js';
import { directoryFacets, directoryPageCache, findOrganisationById, parseDirectoryQuery, searchDirectory, taxonomies } from '../organisations/index.js';
import { clientBundle } from '../../kernel/http/client-bundle.js';
import { leafletFile } from './bundle.js';
import { type ClusterIndexCache, clustersIn, parseViewport } from './clusters.js';
import { parseCoordinate, placeByHand, returnToGeocoder } from './position.js';
import * as repo from './repo.js';
import { clusterCacheOf } from './state.js';
import { formatCoordinate, MapPage, PositionPage } from './views.js';
import { worldGeoJson } from './world.js';

const gzipAsync = promisify(gzip);
const LIST_SIZE = 100;
/** Used when the region has no known département (should not happen). */
const FRANCE_BOUNDS: [number, number, number, number] = [41.3, -5.2, 51.1, 9.6];

type Query = Record<string, string | string[] | undefined>;

function parsedQuery(request: FastifyRequest, pageSize = LIST_SIZE) {
  return parseDirectoryQuery((request.query ?? {}) as Query, request.user?.role ?? null, pageSize);
}

/** The key of one supercluster index: the filters and what the viewer may see. */
function filterKey(request: FastifyRequest): { key: string; parsed: ReturnType<typeof parsedQuery> } {
  const parsed = parsedQuery(request);
  // Sort order and paging do not change the set.
  const params = new URLSearchParams(parsed.canonical);
  params.delete('tri');
  return { key: `${parsed.filter.visibility.join(',')}|${params.toString()}`, parsed };
}

async function regionBounds(k: Kernel): Promise<[number, number, number, number]> {
  const settings = await k.settings.get();
  const centres = departmentsOfRegion(settings.regionCode)
    .map((d) => departmentCentre(d.code))
    .filter((c) => c !== undefined);
  if (centres.length === 0) return FRANCE_BOUNDS;
  const lats = centres.map((c) => c.lat);
  const lngs = centres.map((c) => c.lng);
  const pad = 0.6;
  return [Math.min(...lats) - pad, Math.min(...lngs) - pad, Math.max(...lats) + pad, Math.max(...lngs) + pad];
}

function badRequest(request: FastifyRequest, reply: FastifyReply, which: 'bbox' | 'zoom') {
  return reply
    .status(400)
    .header('cache-control', 'no-store')
    .send({ error: 'bad_request', message: request.t(which === 'bbox' ? 'map.error.bbox' : 'map.error.zoom') });
}

/** Gzipped world documents, by their content (locale and counts), least recently used evicted. */
const worldCache = new Map<string, { raw: string; gz: Buffer }>();

async function worldDocument(key: string, build: () => string): Promise<{ raw: string; gz: Buffer }> {
  const hit = worldCache.get(key);
  if (hit) {
    worldCache.delete(key);
    worldCache.set(key, hit);
    return hit;
  }
  const raw = build();
  const entry = { raw, gz: await gzipAsync(raw, { level: 6 }) };
  worldCache.set(key, entry);
  while (worldCache.size > 6) worldCache.delete(worldCache.keys().next().value!);
  return entry;
}

/** The zoom at which a region fits a common screen: the page carries its clusters. */
const INITIAL_ZOOM = 7;

export const mapRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const publicRoute = { config: { access: 'public' as const } };
  const staff = { config: { access: 'staff' as const } };
  const dialect = k.dbHandle.dialect;
  const cache: ClusterIndexCache = clusterCacheOf(k);

  app.get('/assets/js/map.js', publicRoute, async (request, reply) => {
    const bundle = await clientBundle('map', k.config.nodeEnv !== 'development');
    reply.header('etag', bundle.etag).header('cache-control', 'public, max-age=3600');
    if (request.headers['if-none-match'] === bundle.etag) return reply.status(304).send();
    return reply.type('text/javascript; charset=utf-8').send(bundle.code);
  });

  app.get('/assets/vendor/leaflet/*', publicRoute, async (request, reply) => {
    const name = (request.params as { '*': string })['*'];
    const file = leafletFile(name);
    if (!file) throw new AppError('not_found');
    return reply.type(file.type).header('cache-control', 'public, max-age=86400').send(file.body);
  });

  /** The filtered set's cluster index (its totals with it) and its counts per country, cached together. */
  async function setOf(request: FastifyRequest) {
    const { key, parsed } = filterKey(request);
    const entry = await cache.get(k.db, dialect, key, parsed.filter, parsed.tokens);
    const countries = () => cache.countries(entry, () => repo.countsPerCountry(k.db, dialect, parsed.filter, parsed.tokens));
    return { parsed, entry, countries };
  }

  app.get('/carte', { config: { access: 'public', pageCache: directoryPageCache } }, async (request, reply) => {
    // The page builds (or finds) the index its map asks for next: the first clusters come at once.
    const { parsed, entry, countries: countsOfSet } = await setOf(request);
    const { filter, tokens } = parsed;
    const totals = { total: entry.total, located: entry.located };
    const settings = await k.settings.get();
    const [tax, page, countryCounts, bounds, facets] = await Promise.all([
      taxonomies(k.db),
      searchDirectory(k.db, dialect, { ...filter, offset: 0, limit: LIST_SIZE }, tokens),
      countsOfSet(),
      regionBounds(k),
      directoryFacets(k.db, dialect, filter, tokens),
    ]);
    const regionDepartments = departmentsOfRegion(settings.regionCode);
    const countries = [...countryCounts]
      .map(([code, count]) => ({ code, count }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
    const ctx = await viewContext(request, reply);
    return sendPage(
      reply,
      MapPage({
        ctx,
        query: parsed,
        taxonomies: tax,
        departments: regionDepartments.length ? regionDepartments : listDepartments(),
        totals,
        list: page.rows,
        countries,
        countryChoices: facets.country.map((c) => c.value),
        tileUrl: k.config.tileUrl,
        bounds,
        initialClusters: JSON.stringify(clustersIn(entry, [bounds[1], bounds[0], bounds[3], bounds[2]], INITIAL_ZOOM)),
      }),
    );
  });

  app.get('/carte/clusters.json', publicRoute, async (request, reply) => {
    const q = (request.query ?? {}) as Query;
    const viewport = parseViewport(q['bbox'], q['zoom']);
    if ('error' in viewport) return badRequest(request, reply, viewport.error);
    const { key, parsed } = filterKey(request);
    const entry = await cache.get(k.db, dialect, key, parsed.filter, parsed.tokens);
    return reply
      .header('cache-control', 'private, max-age=30')
      .header('vary', 'cookie')
      .type('application/geo+json; charset=utf-8')
      .send(JSON.stringify(clustersIn(entry, viewport.bbox, viewport.zoom)));
  });

  app.get('/carte/monde.json', publicRoute, async (request, reply) => {
    const counts = await (await setOf(request)).countries();
    const key = `${request.locale}|${JSON.stringify([...counts].sort())}`;
    const doc = await worldDocument(key, () => worldGeoJson(counts, request.locale));
    reply
      .header('cache-control', 'private, max-age=60')
      .header('vary', 'cookie, accept-encoding')
      .type('application/geo+json; charset=utf-8');
    if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
      return reply.header('content-encoding', 'gzip').send(doc.gz);
    }
    return reply.send(doc.raw);
  });

  app.get('/admin/organisations/:id/position', staff, async (request, reply) => {
    const { id } = request.params as { id: string };
    const organisation = await findOrganisationById(k.db, id);
    if (!organisation) throw new AppError('not_found');
    const ctx = await viewContext(request, reply);
    const show = (v: number | null) => (v === null ? '' : formatCoordinate(v, ctx.locale));
    return sendPage(
      reply,
      PositionPage({
        ctx,
        organisation,
        values: { latitude: show(organisation.latitude), longitude: show(organisation.longitude) },
        errors: {},
        tileUrl: k.config.tileUrl,
      }),
    );
  });

  app.post('/admin/organisations/:id/position', staff, async (request, reply) => {
    const actor = actorOf(request);
    const { id } = request.params as { id: string };
    const organisation = await findOrganisationById(k.db, id);
    if (!organisation) throw new AppError('not_found');
    const body = formBody(request);
    const deps = { db: k.db, clock: k.clock, jobs: k.jobs, onMoved: () => cache.invalidate() };
    if (body['action'] === 'auto') {
      await returnToGeocoder(deps, actor, id);
      flash(request, 'success', request.t('map.position.autoQueued'));
      return reply.redirect(`/admin/organisations/${encodeURIComponent(id)}/position`, 303);
    }
    const latitude = parseCoordinate(body['latitude'], 90);
    const longitude = parseCoordinate(body['longitude'], 180);
    if (latitude === null || longitude === null) {
      const ctx = await viewContext(request, reply);
      const errors = {
        ...(latitude === null ? { latitude: request.t('map.position.invalidLat') } : {}),
        ...(longitude === null ? { longitude: request.t('map.position.invalidLng') } : {}),
      };
      const typed = (v: unknown) => (typeof v === 'string' ? v.slice(0, 40) : '');
      return sendPage(
        reply,
        PositionPage({
          ctx,
          organisation,
          values: { latitude: typed(body['latitude']), longitude: typed(body['longitude']) },
          errors,
          tileUrl: k.config.tileUrl,
        }),
        400,
      );
    }
    await placeByHand(deps, actor, id, latitude, longitude);
    flash(request, 'success', request.t('map.position.saved'));
    return reply.redirect(`/admin/organisations/${encodeURIComponent(id)}/position`, 303);
  });
};
