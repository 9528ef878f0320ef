import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { sendStoredImage, VERSIONED_CACHE } from '../../kernel/files/serve.js';
import { isId } from '../../kernel/ids.js';
import { findEventImageFile } from './image.js';
import * as repo from './repo.js';
import { PUBLIC_EVENT_STATUSES } from './types.js';

/** Events' images: at a stable address per event, seen by everyone once the event is public. */
export const mediaRoutes: FastifyPluginAsync = async (app) => {
  const { kernel } = app;

  app.get<{ Params: { id: string }; Querystring: { v?: string } }>('/media/events/:id/image', { config: { access: 'public' } }, async (request, reply) => {
    const image = isId(request.params.id) ? await repo.eventImage(kernel.db, request.params.id) : undefined;
    // Drafts and proposals are not public: their images do not exist for the public.
    if (!image || !PUBLIC_EVENT_STATUSES.includes(image.status)) throw new AppError('not_found');
    const cache = request.query.v === image.file_id ? `public, ${VERSIONED_CACHE}` : 'public, max-age=300';
    return sendStoredImage(request, reply, kernel.config.dataDir, image, cache);
  });

  // Any event image, live or waiting in a proposal or a draft: staff see them in forms and moderation.
  app.get<{ Params: { fileId: string } }>('/media/event-images/:fileId', { config: { access: 'staff' } }, async (request, reply) => {
    const file = await findEventImageFile(kernel.db, request.params.fileId);
    if (!file) throw new AppError('not_found');
    return sendStoredImage(request, reply, kernel.config.dataDir, { file_id: file.id, storage_path: file.storage_path, mime: file.mime }, `private, ${VERSIONED_CACHE}`);
  });
};
