import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { discardUpload, isUploadedFile } from '../../kernel/files/uploads.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import type { FeatureModule } from '../../kernel/module.js';
import { parseForm, translateErrors } from '../../kernel/validation.js';
import { SettingsForm } from './schemas.js';
import { updateSettings } from './service.js';
import { SettingsPage } from './views.js';

const routes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const admin = { config: { access: 'admin' as const } };

  app.get('/admin/parametres', admin, async (request, reply) => {
    const s = await k.settings.get();
    const ctx = await viewContext(request, reply);
    return sendPage(reply, SettingsPage({ ctx, values: { network_name: s.networkName, region_code: s.regionCode, contact_email: s.contactEmail } }));
  });

  app.post('/admin/parametres', admin, async (request, reply) => {
    if (!request.user) throw new AppError('forbidden');
    const body = (request.body ?? {}) as Record<string, unknown>;
    const logo = isUploadedFile(body['logo']) ? body['logo'] : null;
    const form = parseForm(SettingsForm, body);
    if (!form.ok) {
      await discardUpload(logo);
      const ctx = await viewContext(request, reply);
      return sendPage(reply, SettingsPage({ ctx, values: form.values, errors: translateErrors(form.errors, request.t) }), 400);
    }
    const result = await updateSettings(k, { ...request.user, ip: request.ip }, {
      networkName: form.value.network_name,
      regionCode: form.value.region_code,
      contactEmail: form.value.contact_email,
      removeLogo: form.value.remove_logo === '1',
      logo,
    });
    if (!result.ok) {
      const ctx = await viewContext(request, reply);
      const values = { network_name: form.value.network_name, region_code: form.value.region_code, contact_email: form.value.contact_email };
      return sendPage(reply, SettingsPage({ ctx, values, errors: { [result.field]: request.t(result.error) } }), 400);
    }
    flash(request, 'success', request.t('settings.saved'));
    return reply.redirect('/admin/parametres', 303);
  });
};

export const settingsModule: FeatureModule = {
  name: 'settings',
  routes,
  adminNav: [{ href: '/admin/parametres', label: 'nav.settings', roles: ['admin'] }],
};
