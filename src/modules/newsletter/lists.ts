import { recordAudit } from '../../kernel/audit/index.js';
import type { Locale, MessageKey } from '../../kernel/i18n/index.js';
import { newId } from '../../kernel/ids.js';
import type { NewsletterActor, NewsletterDeps } from './deps.js';
import * as repo from './repo.js';

/**
 * The network's monthly letter, created by migration 1630 with this id on a new install (public,
 * double opt-in, ticked by default): the list the monthly bulletin goes to unless staff choose
 * otherwise. Staff may rename or delete it like any list; nothing creates it again.
 */
export const MONTHLY_LIST_ID = '01900000-0000-7000-8000-00000001e77e';

export interface ListInput {
  name: string;
  description: string;
  nameEn: string;
  descriptionEn: string;
  isPublic: boolean;
  doubleOptIn: boolean;
  isDefault: boolean;
}

/** A list's name and description in the reader's language (English ones when staff gave them). */
export function listText(list: { name: string; description: string; name_en?: string; description_en?: string }, locale: Locale): { name: string; description: string } {
  if (locale !== 'en') return { name: list.name, description: list.description };
  return { name: list.name_en || list.name, description: list.description_en || list.description };
}

/** List names as a sentence quotes them in `locale`: « Lettre mensuelle », « Alertes » (French); “Monthly letter” (English). */
export function quotedListNames(names: readonly string[], locale: Locale): string {
  return names.map((name) => (locale === 'fr' ? `«\u00a0${name}\u00a0»` : `“${name}”`)).join(', ');
}

export type ListResult = { ok: true; id: string } | { ok: false; field: string; key: MessageKey };

async function nameTaken(deps: Pick<NewsletterDeps, 'db'>, name: string, exceptId?: string): Promise<boolean> {
  const lists = await repo.listLists(deps.db);
  return lists.some((l) => l.id !== exceptId && l.name.trim().toLowerCase() === name.trim().toLowerCase());
}

export async function createList(deps: Pick<NewsletterDeps, 'db' | 'clock'>, actor: NewsletterActor, input: ListInput): Promise<ListResult> {
  const name = input.name.trim().replace(/\s+/g, ' ');
  if (await nameTaken(deps, name)) return { ok: false, field: 'name', key: 'newsletter.error.listNameTaken' };
  const now = deps.clock.now();
  const at = now.toISOString();
  const id = newId(now.getTime());
  const row = {
    id,
    name,
    description: input.description.trim(),
    name_en: input.nameEn.trim().replace(/\s+/g, ' '),
    description_en: input.descriptionEn.trim(),
    is_public: input.isPublic ? 1 : 0,
    double_opt_in: input.doubleOptIn ? 1 : 0,
    is_default: input.isDefault && input.isPublic ? 1 : 0,
    created_by: actor.id,
    created_at: at,
    updated_at: at,
  };
  await repo.insertList(deps.db, row);
  await recordAudit(deps.db, actor, { action: 'newsletter_list.created', entityType: 'newsletter_list', entityId: id, after: row }, now);
  return { ok: true, id };
}

export async function editList(deps: Pick<NewsletterDeps, 'db' | 'clock'>, actor: NewsletterActor, list: repo.ListRow, input: ListInput): Promise<ListResult> {
  const name = input.name.trim().replace(/\s+/g, ' ');
  if (await nameTaken(deps, name, list.id)) return { ok: false, field: 'name', key: 'newsletter.error.listNameTaken' };
  const now = deps.clock.now();
  const patch = {
    name,
    description: input.description.trim(),
    name_en: input.nameEn.trim().replace(/\s+/g, ' '),
    description_en: input.descriptionEn.trim(),
    is_public: input.isPublic ? 1 : 0,
    double_opt_in: input.doubleOptIn ? 1 : 0,
    is_default: input.isDefault && input.isPublic ? 1 : 0,
    updated_at: now.toISOString(),
  };
  await repo.updateList(deps.db, list.id, patch);
  await recordAudit(deps.db, actor, { action: 'newsletter_list.updated', entityType: 'newsletter_list', entityId: list.id, before: list, after: patch }, now);
  return { ok: true, id: list.id };
}

/** Deletes a list and its subscriptions (the consent history keeps the list's name); refused while a mailing to it is under way. */
export async function removeList(deps: Pick<NewsletterDeps, 'db' | 'clock'>, actor: NewsletterActor, list: repo.ListRow): Promise<{ ok: true } | { ok: false; key: MessageKey }> {
  if ((await repo.mailingsUsingList(deps.db, list.id)) > 0) return { ok: false, key: 'newsletter.error.listInUse' };
  await repo.deleteList(deps.db, list.id);
  await recordAudit(deps.db, actor, { action: 'newsletter_list.deleted', entityType: 'newsletter_list', entityId: list.id, before: list }, deps.clock.now());
  return { ok: true };
}
