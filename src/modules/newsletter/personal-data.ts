import type { PersonalDataSource } from '../../kernel/module.js';
import { eraseNewsletterOfEmails, newsletterDataOfEmails } from './rgpd.js';

/**
 * The newsletter's part of a person's RGPD access and erasure: subscriptions, interests, consent
 * history and mailings received at their addresses; erased, each address stays suppressed (hash).
 */
export const newsletterPersonalData: PersonalDataSource = {
  key: 'newsletter',
  export: (kernel, emails) => newsletterDataOfEmails(kernel, emails),
  erase: (kernel, actor, emails) => eraseNewsletterOfEmails(kernel, actor, emails),
};
