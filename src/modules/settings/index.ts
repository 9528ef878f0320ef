import type { FastifyPluginAsync } from 'fastify';
import { discardUpload, isUploadedFile } from '../../kernel/files/uploads.js';
import { actorOf, formBody } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import type { FeatureModule } from '../../kernel/module.js';
import type { FieldErrors } from '../../kernel/ui/form.js';
import { parseForm, translateErrors } from '../../kernel/validation.js';
import { SettingsForm } from './schemas.js';
import { checkLogo, updateSettings } from './service.js';
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
    const actor = actorOf(request);
    const body = formBody(request);
    const logo = isUploadedFile(body['logo']) ? body['logo'] : null;
    const form = parseForm(SettingsForm, body);
    // The logo is checked whatever the other fields hold: every error is reported at once.
    const logoCheck = logo ? await checkLogo(logo) : null;
    const logoError = logoCheck && 'error' in logoCheck ? logoCheck.error : null;
    if (!form.ok || logoError) {
      await discardUpload(logo);
      const errors: FieldErrors = form.ok ? {} : translateErrors(form.errors, request.t);
      // A good file is dropped with the failing submit (a file input cannot be filled again): say so.
      if (logo) errors['logo'] = request.t(logoError ?? 'settings.logoAgain');
      const values = form.ok ? { network_name: form.value.network_name, region_code: form.value.region_code, contact_email: form.value.contact_email } : form.values;
      const ctx = await viewContext(request, reply);
      return sendPage(reply, SettingsPage({ ctx, values, errors }), 400);
    }
    const result = await updateSettings(k, actor, {
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
