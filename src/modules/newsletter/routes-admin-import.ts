import fs from 'node:fs/promises';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isUploadedFile } from '../../kernel/files/uploads.js';
import { actorOf, formBody } from '../../kernel/http/request.js';
import { sizedMessage } from '../../kernel/i18n/index.js';
import { sendPage, viewContext } from '../../kernel/http/view-context.js';
import type { FieldErrors } from '../../kernel/ui/form.js';
import { newsletterDeps } from './deps.js';
import { IMPORT_MAX_BYTES, type ImportReport, importSubscribers } from './import-csv.js';
import * as repo from './repo.js';
import { asList } from './schemas.js';
import { ADMIN_BASE } from './views-admin.js';
import { ImportPage } from './views-admin-import.js';

export const newsletterImportRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const deps = newsletterDeps(k);
  const staff = { config: { access: 'staff' as const } };
  const path = `${ADMIN_BASE}/import`;

  async function page(request: FastifyRequest, reply: FastifyReply, extra: { checked?: string[]; errors?: FieldErrors; report?: ImportReport }, status = 200) {
    const ctx = await viewContext(request, reply);
    return sendPage(reply, ImportPage({ ctx, lists: await repo.listLists(k.db), checked: extra.checked ?? [], errors: extra.errors ?? {}, report: extra.report, maxBytes: IMPORT_MAX_BYTES }), status);
  }

  app.get(path, staff, (request, reply) => page(request, reply, {}));

  app.post(path, staff, async (request, reply) => {
    const body = formBody(request);
    const upload = isUploadedFile(body['fichier']) ? body['fichier'] : null;
    const checked = asList(body['lists']);
    if (!upload || upload.size === 0) return page(request, reply, { checked, errors: { fichier: request.t('newsletter.import.error.fileMissing') } }, 400);
    if (upload.truncated || upload.size > IMPORT_MAX_BYTES) return page(request, reply, { checked, errors: { fichier: sizedMessage(request.locale, 'newsletter.import.error.tooLarge', { maxBytes: IMPORT_MAX_BYTES }) } }, 413);
    const bytes = await fs.readFile(upload.tmpPath);
    const report = await importSubscribers(deps, actorOf(request), {
      bytes,
      fileName: upload.filename || 'import.csv',
      defaultListIds: checked,
      dryRun: body['mode'] === 'verifier',
      skipInvalid: body['partiel'] === '1',
    });
    return page(request, reply, { checked, report }, report.dryRun && report.errors.length ? 400 : 200);
  });
};
