import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { sendStoredImage as sendImage, VERSIONED_CACHE as VERSIONED } from '../../kernel/files/serve.js';
import { isId } from '../../kernel/ids.js';
import { findLogoFile, organisationLogo, visibleLevels } from '../organisations/index.js';

/** Organisations' logos: at a stable address per organisation, seen by whoever may see the organisation. */
export const directoryMediaRoutes: FastifyPluginAsync = async (app) => {
  const { kernel } = app;

  app.get<{ Params: { id: string }; Querystring: { v?: string } }>('/media/organisations/:id/logo', { config: { access: 'public' } }, async (request, reply) => {
    const logo = isId(request.params.id) ? await organisationLogo(kernel.db, request.params.id) : undefined;
    // Members-only and staff-only organisations do not exist for those who may not see them.
    if (!logo || !visibleLevels(request.user?.role ?? null).includes(logo.visibility)) throw new AppError('not_found');
    const scope = logo.visibility === 'public' ? 'public' : 'private';
    const cache = request.query.v === logo.file_id ? `${scope}, ${VERSIONED}` : `${scope}, max-age=300`;
    return sendImage(request, reply, kernel.config.dataDir, logo, cache);
  });

  // Any organisation logo, live or waiting in a proposal: staff see them in forms and moderation.
  app.get<{ Params: { fileId: string } }>('/media/logos/:fileId', { config: { access: 'staff' } }, async (request, reply) => {
    const file = await findLogoFile(kernel.db, request.params.fileId);
    if (!file) throw new AppError('not_found');
    return sendImage(request, reply, kernel.config.dataDir, { file_id: file.id, storage_path: file.storage_path, mime: file.mime }, `private, ${VERSIONED}`);
  });
};
