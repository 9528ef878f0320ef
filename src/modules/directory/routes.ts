import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { sendPage, viewContext } from '../../kernel/http/view-context.js';
import { PAGE_SIZE } from '../../kernel/ui/pager.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { CurrentUser } from '../../kernel/ui/context.js';
import { directoryPageCache, organisationsOfUser, parseDirectoryQuery, taxonomies } from '../organisations/index.js';
import { labelsFor } from './labels.js';
import { findVisibleOrganisation } from './organisation.js';
import { runDirectory } from './search.js';
import { DirectoryFragment, DirectoryPage, SORT_PARAMS } from './views.js';
import { OrganisationPage } from './views-organisation.js';
import { redirectMoved } from '../../kernel/http/moved.js';
import { redirectPastLastPage } from '../../kernel/http/past-last-page.js';

type Query = Record<string, string | string[] | undefined>;

/** The script asks for the regions it swaps with `HX-Request: true`; `?partiel=1` does the same. */
function wantsFragment(request: FastifyRequest<{ Querystring: Query }>): boolean {
  return request.headers['hx-request'] === 'true' || request.query.partiel === '1';
}

/** Who may change a record from its public page: staff in the back office, a person of the organisation by proposing. */
async function editRight(db: Kysely<Database>, user: CurrentUser | null, organisationId: string): Promise<'staff' | 'member' | undefined> {
  if (!user) return undefined;
  if (user.role === 'staff' || user.role === 'admin') return 'staff';
  return (await organisationsOfUser(db, user.id)).some((o) => o.id === organisationId) ? 'member' : undefined;
}

export const directoryRoutes: FastifyPluginAsync = async (app) => {
  const { kernel } = app;
  const deps = { db: kernel.db, dialect: kernel.dbHandle.dialect };

  app.get<{ Querystring: Query }>('/annuaire', { config: { access: 'public', pageCache: directoryPageCache } }, async (request, reply) => {
    const parsed = parseDirectoryQuery(request.query, request.user?.role ?? null, PAGE_SIZE);
    const [result, t] = await Promise.all([runDirectory(deps, parsed), taxonomies(kernel.db)]);
    const beyond = redirectPastLastPage(request, reply, parsed.page, result.total, PAGE_SIZE);
    if (beyond) return beyond;
    const ctx = await viewContext(request, reply);
    const tri = typeof request.query.tri === 'string' && SORT_PARAMS.includes(request.query.tri) ? request.query.tri : 'pertinence';
    const props = { ctx, parsed, ...result, labels: labelsFor(t, ctx.locale), sortParam: tri };
    reply.header('vary', 'HX-Request');
    if (wantsFragment(request)) return sendPage(reply, DirectoryFragment(props));
    return sendPage(reply, DirectoryPage(props));
  });

  app.get<{ Params: { slug: string } }>('/acteurs/:slug', { config: { access: 'public', pageCache: directoryPageCache } }, async (request, reply) => {
    const found = await findVisibleOrganisation(kernel.db, request.params.slug, request.user?.role ?? null);
    if (!found) throw new AppError('not_found');
    if (found.redirectTo) return redirectMoved(reply, `/acteurs/${encodeURIComponent(found.redirectTo)}`);
    const [t, ctx, edit] = await Promise.all([taxonomies(kernel.db), viewContext(request, reply), editRight(kernel.db, request.user, found.organisation.id)]);
    return sendPage(
      reply,
      OrganisationPage({ ctx, o: found.organisation, labels: labelsFor(t, ctx.locale), baseUrl: kernel.config.baseUrl, tileUrl: kernel.config.tileUrl, edit }),
    );
  });
};
