import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { recordAudit } from '../../kernel/audit/index.js';
import { actorOf, formBody } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import type { FieldErrors } from '../../kernel/ui/form.js';
import { parseForm, translateErrors } from '../../kernel/validation.js';
import { absolute, newsletterDeps } from './deps.js';
import { SettingsForm } from './schemas.js';
import { newBounceToken, newsletterSettings, type NewsletterSettings, type NumericSetting, saveNewsletterSettings, SETTING_BOUNDS } from './settings.js';
import { ADMIN_BASE } from './views-admin.js';
import { SettingsPage } from './views-admin-settings.js';

/** Sending settings and the bounce endpoint's token: admins only. */
export const newsletterSettingsRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const deps = newsletterDeps(k);
  const admin = { config: { access: 'admin' as const } };
  const path = `${ADMIN_BASE}/reglages`;

  async function page(request: FastifyRequest, reply: FastifyReply, values: Record<string, string> | null, errors: FieldErrors, status = 200) {
    const settings = await newsletterSettings(deps);
    const shown = values ?? Object.fromEntries(Object.entries(settings).filter(([key]) => key !== 'bounceToken').map(([key, value]) => [key, String(value)]));
    return sendPage(reply, SettingsPage({ ctx: await viewContext(request, reply), values: shown, errors, settings, bounceUrl: absolute(deps, `/api/v1/bounces/${settings.bounceToken}`), outbox: k.mail.outbox }), status);
  }

  app.get(path, admin, (request, reply) => page(request, reply, null, {}));

  app.post(path, admin, async (request, reply) => {
    const form = parseForm(SettingsForm, request.body);
    const raw = Object.fromEntries(Object.entries(formBody(request)).filter(([key]) => key !== '_csrf').map(([key, value]) => [key, String(value).slice(0, 254)]));
    if (!form.ok) return page(request, reply, raw, translateErrors(form.errors, request.t), 400);
    const patch: Partial<NewsletterSettings> = { unsubscribeMailto: form.value.unsubscribeMailto ?? '' };
    const errors: FieldErrors = {};
    for (const [key, [min, max]] of Object.entries(SETTING_BOUNDS) as [NumericSetting, [number, number]][]) {
      const value = Number(form.value[key]);
      if (!Number.isInteger(value) || value < min || value > max) errors[key] = request.t('newsletter.error.number');
      else patch[key] = value;
    }
    if (Object.keys(errors).length) return page(request, reply, raw, errors, 400);
    await saveNewsletterSettings(deps, patch);
    await recordAudit(k.db, actorOf(request), { action: 'newsletter_settings.updated', entityType: 'newsletter_settings', entityId: null, after: patch }, k.clock.now());
    flash(request, 'success', request.t('newsletter.flash.settingsSaved'));
    return reply.redirect(path, 303);
  });

  app.post(`${path}/jeton`, admin, async (request, reply) => {
    await saveNewsletterSettings(deps, { bounceToken: newBounceToken() });
    await recordAudit(k.db, actorOf(request), { action: 'newsletter_settings.bounce_token_renewed', entityType: 'newsletter_settings', entityId: null }, k.clock.now());
    flash(request, 'success', request.t('newsletter.flash.tokenRenewed'));
    return reply.redirect(path, 303);
  });
};
