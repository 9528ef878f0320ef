// A person's data across the modules (FeatureModule.personalData), found by their email addresses.
import type { AuditActor } from '../audit/index.js';
import { clearAccount } from '../auth/throttle.js';
import { forgetErasedBytes } from '../db/create-db.js';
import type { Kernel } from '../http/types.js';

/** Addresses as every source looks them up: trimmed, lower case, each once, empty ones left out. */
export function personalEmails(emails: readonly string[]): string[] {
  return [...new Set(emails.map((e) => e.trim().toLowerCase()).filter((e) => e.length > 0))];
}

/** Every module's section of the RGPD access document for these addresses, by section key. */
export async function personalDataOfEmails(kernel: Kernel, emails: readonly string[], options: { except?: readonly string[] } = {}): Promise<Record<string, unknown>> {
  const lowered = personalEmails(emails);
  const out: Record<string, unknown> = {};
  for (const source of kernel.personalData) {
    if (options.except?.includes(source.key)) continue;
    out[source.key] = await source.export(kernel, lowered);
  }
  return out;
}

/**
 * Erases what every module holds about these addresses, one source after another (a failure
 * stops the erasure; run again, the sources already erased find nothing more). Returns the count
 * of records each source changed. The sign-in limits kept under these addresses go too.
 */
export async function erasePersonalDataOfEmails(kernel: Kernel, actor: AuditActor, emails: readonly string[], options: { except?: readonly string[] } = {}): Promise<Record<string, number>> {
  const lowered = personalEmails(emails);
  const counts: Record<string, number> = {};
  if (!lowered.length) return counts;
  for (const source of kernel.personalData) {
    if (options.except?.includes(source.key)) continue;
    counts[source.key] = await source.erase(kernel, actor, lowered);
  }
  // The sign-in limits are kept per address: an erased address must not stay there either.
  for (const email of lowered) await clearAccount(kernel.db, email);
  forgetErasedBytes(kernel.dbHandle);
  return counts;
}
