import type { FastifyPluginAsync } from 'fastify';
import { recordAudit } from '../../kernel/audit/index.js';
import { actorOf, formBody } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { translateErrors } from '../../kernel/validation.js';

import { checkMastodonForm, mastodonAccount, maskedToken, saveMastodonAccount } from './mastodon-settings.js';
import { NEWS_ADMIN } from './views-admin.js';
import { MastodonSettingsPage } from './views-mastodon.js';

/** The Mastodon account articles are posted to: a setting, for admins; its token is never shown again in full. */
export const newsMastodonRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const admin = { config: { access: 'admin' as const } };

  app.get(`${NEWS_ADMIN}/mastodon`, admin, async (request, reply) => {
    const account = await mastodonAccount(k.db);
    return sendPage(reply, MastodonSettingsPage({ ctx: await viewContext(request, reply), instanceUrl: account?.instanceUrl ?? '', maskedToken: account ? maskedToken(account.token) : null, errors: {} }));
  });

  app.post(`${NEWS_ADMIN}/mastodon`, admin, async (request, reply) => {
    const raw = formBody(request);
    const current = await mastodonAccount(k.db);
    const checked = checkMastodonForm(raw, current);
    if (!checked.ok) {
      const typed = typeof raw['instance_url'] === 'string' ? raw['instance_url'].trim() : '';
      return sendPage(
        reply,
        MastodonSettingsPage({ ctx: await viewContext(request, reply), instanceUrl: typed, maskedToken: current ? maskedToken(current.token) : null, errors: translateErrors(checked.errors, request.t) }),
        400,
      );
    }
    const now = k.clock.now();
    await saveMastodonAccount(k.db, checked.account, now.toISOString());
    // The token never enters the log (the audit log would mask it anyway): the instance says what changed.
    const describe = (a: typeof current) => (a ? { instance: a.instanceUrl } : null);
    await recordAudit(k.db, actorOf(request), { action: 'news.mastodon_settings', entityType: 'settings', entityId: 'news.mastodon', before: describe(current), after: describe(checked.account) }, now);
    flash(request, 'success', request.t(checked.account ? 'news.mastodon.saved' : 'news.mastodon.disconnected'));
    return reply.redirect(`${NEWS_ADMIN}/mastodon`, 303);
  });
};
