import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type AuditActor, recordAudit } from '../../kernel/audit/index.js';
import { isCountryCode } from '../../kernel/geo/countries.js';
import type { MessageKey } from '../../kernel/i18n/index.js';
import { type ItemStatus, isCategory } from './categories.js';
import type { WatchDeps } from './deps.js';
import type { PromotionTarget } from './promote.js';
import * as repo from './repo.js';

/** Keep or ignore an item (one click or key press in the inbox). */
export async function decideItem(deps: WatchDeps, actor: AuditActor, itemId: string, status: ItemStatus): Promise<boolean> {
  const item = await repo.findItem(deps.db, itemId);
  if (!item) return false;
  const now = deps.clock.now();
  await repo.setItemStatus(deps.db, item.id, status, actor.id, now.toISOString());
  await recordAudit(deps.db, actor, { action: `watch_item.${status}`, entityType: 'watch_item', entityId: item.id, before: { status: item.status }, after: { status } }, now);
  return true;
}

export interface TagInput {
  status: ItemStatus;
  category: string | null;
  note: string | null;
  themes: string[];
  countries: string[];
}

export type TagResult = { ok: true } | { ok: false; field: string; key: MessageKey };

export async function tagItem(deps: WatchDeps, actor: AuditActor, item: repo.ItemRow, input: TagInput, knownThemes: ReadonlySet<string>): Promise<TagResult> {
  if (input.category && !isCategory(input.category)) return { ok: false, field: 'category', key: 'watch.form.error.category' };
  if (input.themes.some((t) => !knownThemes.has(t))) return { ok: false, field: 'themes', key: 'watch.form.error.theme' };
  const countries = [...new Set(input.countries.map((c) => c.trim().toUpperCase()).filter(Boolean))];
  if (countries.some((c) => !isCountryCode(c))) return { ok: false, field: 'countries', key: 'watch.form.error.country' };
  const note = input.note?.trim() ? input.note.trim().slice(0, 2000) : null;
  const now = deps.clock.now();
  const tags = await repo.itemTags(deps.db, [item.id]);
  const before = { status: item.status, category: item.category, note: item.note, themes: tags.themes.get(item.id) ?? [], countries: tags.countries.get(item.id) ?? [] };
  const after = { status: input.status, category: input.category || null, note, themes: [...new Set(input.themes)], countries };
  await repo.saveItemTags(deps.db, item.id, { ...after, by: actor.id, at: now.toISOString() });
  await recordAudit(deps.db, actor, { action: 'watch_item.tagged', entityType: 'watch_item', entityId: item.id, before, after }, now);
  return { ok: true };
}

/**
 * A call or an article was saved from the item (draft or published): the item counts as kept (it
 * leaves « À trier » and joins the public archive), audit-logged with what it became. Called by the
 * module that saves it, with its transaction: both are written, or neither. An unknown item (removed
 * with its source meanwhile) is left alone.
 */
export async function markItemPromoted(db: Kysely<Database>, actor: AuditActor, itemId: string, promoted: { target: PromotionTarget; id: string }, now: Date): Promise<void> {
  const item = await repo.findItemStatus(db, itemId);
  if (!item) return;
  if (item.status !== 'kept') await repo.setItemStatus(db, itemId, 'kept', actor.id, now.toISOString());
  await recordAudit(db, actor, { action: 'watch_item.promoted', entityType: 'watch_item', entityId: itemId, before: { status: item.status }, after: { status: 'kept', target: promoted.target, id: promoted.id } }, now);
}
