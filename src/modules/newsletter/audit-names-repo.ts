import { namerOf } from '../../kernel/audit/index.js';
import { ADMIN_BASE } from './views-admin.js';

/** Mailing lists in the journal, by their current (French) name. */
export const listNamer = namerOf('newsletter_list', 'newsletter_lists', 'name', (id) => `${ADMIN_BASE}/listes/${id}`);

/** Mailings in the journal, by their current subject. */
export const mailingNamer = namerOf('newsletter_mailing', 'newsletter_mailings', 'subject', (id) => `${ADMIN_BASE}/${id}`);

/**
 * Subscribers in the journal, by their address: the title of their staff page, which shows it
 * whatever the address's suppression (a hard bounce or an unsubscription only stops the mailings).
 * An erased subscriber's row is deleted (rgpd.ts): left out, the address shows nowhere.
 */
export const subscriberNamer = namerOf('newsletter_subscriber', 'newsletter_subscribers', 'email', (id) => `${ADMIN_BASE}/abonnes/${id}`);
