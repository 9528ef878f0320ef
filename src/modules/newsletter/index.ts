import type { FastifyPluginAsync } from 'fastify';
import type { FeatureModule } from '../../kernel/module.js';
import { listNamer, mailingNamer, subscriberNamer } from './audit-names-repo.js';
import { defineNewsletterJobs } from './jobs.js';
import { NewsletterFooterForm } from './views-public.js';
import * as mailingRepo from './mailing-repo.js';
import { newsletterListRoutes } from './routes-admin-lists.js';
import { newsletterMailingRoutes } from './routes-admin-mailings.js';
import { newsletterPublicRoutes } from './routes-public.js';
import { newsletterMemberRoutes } from './routes-member.js';
import { newsletterSubscriberRoutes } from './routes-admin-subscribers.js';
import { newsletterBounceRoutes } from './routes-bounces.js';
import { newsletterImportRoutes } from './routes-admin-import.js';
import { newsletterSettingsRoutes } from './routes-admin-settings.js';
import { newsletterTrackingRoutes } from './routes-tracking.js';
import { newsletterPersonalData } from './personal-data.js';

export { NewsletterFooterForm } from './views-public.js';
export { registerBlockType, type BlockType, type BlockContext, type MailingBlock, type RenderedBlock, type BlockProblem, emailHtml, webHtml, htmlToPlainText } from './blocks.js';
export { newsletterDeps, type NewsletterDeps } from './deps.js';
export { runBounceImport, runMailingList, runMailingSend, runMailingStatus } from './cli.js';
/** RGPD: what the newsletter holds about a person's addresses, and their erasure (the contact's export and erasure reach them through `personalData`). */
export { newsletterDataOfEmails, eraseNewsletterOfEmails } from './rgpd.js';
/** What the call alerts (src/modules/call-alerts) send through: the shared rate ceiling, the suppression list, SMTP error reading, the back office's frame. */
export { reserveSlots, type RateLimits } from './rate.js';
export { newsletterSettings, type NewsletterSettings } from './settings.js';
export { suppressedEmails } from './suppression.js';
export { classifySendError } from './smtp-errors.js';
export { AdminFrame } from './views-admin.js';
/** What the bulletin's block editor (src/modules/bulletin) uses: the block list, a new mailing, the lists. */
export { parseBlocks, isComposed, registerBlocksFreezer, type BlocksFreezer } from './blocks.js';
export { createMailing, type MailingInput } from './mailings.js';
export { listLists } from './repo.js';
export { MONTHLY_LIST_ID } from './lists.js';
export { unsubscribePath } from './render-mailing.js';
export { Checkboxes } from './views-shared.js';

const routes: FastifyPluginAsync = async (app) => {
  await app.register(newsletterPublicRoutes);
  await app.register(newsletterMemberRoutes);
  await app.register(newsletterListRoutes);
  await app.register(newsletterMailingRoutes);
  await app.register(newsletterSubscriberRoutes);
  await app.register(newsletterBounceRoutes);
  await app.register(newsletterImportRoutes);
  await app.register(newsletterSettingsRoutes);
  await app.register(newsletterTrackingRoutes);
};

/** The newsletter: lists, subscriptions and consent, mailings and their crash-safe sending (issue 7). */
export const newsletterModule: FeatureModule = {
  name: 'newsletter',
  routes,
  jobs: defineNewsletterJobs,
  footerParts: [(ctx) => NewsletterFooterForm({ ctx }) as string],
  publicNav: [{ href: '/lettre', label: 'newsletter.nav' }],
  memberCards: [{ href: '/mon-espace/lettres', title: 'newsletter.memberHome.title', text: 'newsletter.memberHome.text', link: 'newsletter.memberHome.link' }],
  adminNav: [{ href: '/admin/lettres', label: 'newsletter.adminNav' }],
  auditEntities: [listNamer, mailingNamer, subscriberNamer],
  personalData: [newsletterPersonalData],
  async sitemap(kernel) {
    const archive = await mailingRepo.archive(kernel.db, 1000);
    return [{ path: '/lettre', lastmod: archive[0]?.finished_at ?? undefined }, ...archive.map((m) => ({ path: `/lettre/${m.slug}`, lastmod: m.finished_at ?? m.updated_at }))];
  },
};
