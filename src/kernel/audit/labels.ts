// The journal's codes in words: labels of `audit.actionLabel.*` and `audit.entityLabel.*` (areas/audit.ts).
import { isErasedAccount } from '../auth/erased.js';
import { isMessageKey, type Translate } from '../i18n/index.js';

/**
 * An action code of the journal (`user.created`, `import.committed`…) in words, in the reader's
 * language. A code without a label (recorded by an older version, or a new one not yet described)
 * shows as itself, never blank.
 */
export function auditActionLabel(code: string, t: Translate): string {
  const key = `audit.actionLabel.${code}`;
  return isMessageKey(key) ? t(key) : code;
}

/** An entity type of the journal (`import_batch`, `organisation`…) in words; an unknown type shows as itself. */
export function auditEntityLabel(type: string, t: Translate): string {
  const key = `audit.entityLabel.${type}`;
  return isMessageKey(key) ? t(key) : type;
}

/**
 * Who made an entry, in words: the account's address; « Compte effacé » for an account erased
 * since (its entries keep an internal placeholder address, never to be shown); « Système » when
 * no one did.
 */
export function auditActorLabel(row: { actor_id: string | null; actor_email: string | null }, t: Translate): string {
  if (!row.actor_email) return t('audit.system');
  if (row.actor_id && isErasedAccount({ id: row.actor_id, email_lower: row.actor_email.toLowerCase() })) return t('users.erasedName');
  return row.actor_email;
}
