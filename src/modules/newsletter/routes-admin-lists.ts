import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { actorOf } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import type { FieldErrors } from '../../kernel/ui/form.js';
import { parseForm, translateErrors } from '../../kernel/validation.js';
import { newsletterDeps } from './deps.js';
import { createList, editList, type ListInput, removeList } from './lists.js';
import * as repo from './repo.js';
import { ListForm } from './schemas.js';
import { ADMIN_BASE } from './views-admin.js';
import { ListPage, ListsPage, type ListValues } from './views-admin-lists.js';

function rawValues(body: unknown): ListValues {
  const b = (body ?? {}) as Record<string, unknown>;
  // Shown again as typed, however long (the request's size bounds it): the schema says what is too long.
  const text = (name: string) => String(b[name] ?? '');
  return { name: text('name'), description: text('description'), name_en: text('name_en'), description_en: text('description_en'), is_public: text('is_public'), double_opt_in: text('double_opt_in'), is_default: text('is_default') };
}

function inputOf(values: ListValues): ListInput {
  return { name: values.name, description: values.description, nameEn: values.name_en, descriptionEn: values.description_en, isPublic: values.is_public === '1', doubleOptIn: values.double_opt_in === '1', isDefault: values.is_default === '1' };
}

export const newsletterListRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const deps = newsletterDeps(k);
  const staff = { config: { access: 'staff' as const } };
  const base = `${ADMIN_BASE}/listes`;

  async function listsPage(request: FastifyRequest, reply: FastifyReply, values: ListValues, errors: FieldErrors, status = 200) {
    return sendPage(reply, ListsPage({ ctx: await viewContext(request, reply), lists: await repo.listLists(k.db), values, errors }), status);
  }

  app.get(base, staff, (request, reply) => listsPage(request, reply, { name: '', description: '', name_en: '', description_en: '', is_public: '1', double_opt_in: '1', is_default: '' }, {}));

  app.post(base, staff, async (request, reply) => {
    const values = rawValues(request.body);
    const form = parseForm(ListForm, request.body);
    if (!form.ok) return listsPage(request, reply, values, translateErrors(form.errors, request.t), 400);
    const result = await createList(deps, actorOf(request), inputOf(values));
    if (!result.ok) return listsPage(request, reply, values, { [result.field]: request.t(result.key) }, 400);
    flash(request, 'success', request.t('newsletter.flash.listCreated'));
    return reply.redirect(base, 303);
  });

  const listOr404 = async (request: FastifyRequest) => {
    const list = await repo.findList(k.db, (request.params as { id: string }).id);
    if (!list) throw new AppError('not_found');
    return list;
  };

  async function listPage(request: FastifyRequest, reply: FastifyReply, list: repo.ListRow, values: ListValues | null, errors: FieldErrors, status = 200) {
    const shown = values ?? { name: list.name, description: list.description, name_en: list.name_en, description_en: list.description_en, is_public: list.is_public ? '1' : '', double_opt_in: list.double_opt_in ? '1' : '', is_default: list.is_default ? '1' : '' };
    return sendPage(reply, ListPage({ ctx: await viewContext(request, reply), list, values: shown, errors }), status);
  }

  app.get(`${base}/:id`, staff, async (request, reply) => listPage(request, reply, await listOr404(request), null, {}));

  app.post(`${base}/:id`, staff, async (request, reply) => {
    const list = await listOr404(request);
    const values = rawValues(request.body);
    const form = parseForm(ListForm, request.body);
    if (!form.ok) return listPage(request, reply, list, values, translateErrors(form.errors, request.t), 400);
    const result = await editList(deps, actorOf(request), list, inputOf(values));
    if (!result.ok) return listPage(request, reply, list, values, { [result.field]: request.t(result.key) }, 400);
    flash(request, 'success', request.t('newsletter.flash.listSaved'));
    return reply.redirect(base, 303);
  });

  app.post(`${base}/:id/supprimer`, staff, async (request, reply) => {
    const list = await listOr404(request);
    const result = await removeList(deps, actorOf(request), list);
    if (!result.ok) {
      flash(request, 'error', request.t(result.key));
      return reply.redirect(`${base}/${list.id}`, 303);
    }
    flash(request, 'success', request.t('newsletter.flash.listDeleted'));
    return reply.redirect(base, 303);
  });
};
