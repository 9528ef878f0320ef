import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type AuditActor, recordAudit } from '../../kernel/audit/index.js';
import type { Clock } from '../../kernel/clock.js';
import type { Dialect } from '../../kernel/db/create-db.js';
import type { MessageKey, Translate } from '../../kernel/i18n/index.js';
import { parisToday } from '../calls/index.js';
import { type MailingBlock, parseBlocks } from '../newsletter/index.js';
import { type BulletinType, KEY_PATTERN, readBlock } from './block-shapes.js';
import type { BlockPatch } from './forms.js';
import { type MailingBlocksRow, updateMailingBlocks } from './repo.js';
import { resolveBlock, resolveBlocks } from './resolve.js';
import type { ContentEnv } from './sources.js';
import { newBlock } from './template.js';

// The block editor's use cases: add, change, move, remove a block, refresh what automatic blocks
// show. Each change is saved on the mailing (a draft, unchanged since it was read) and audited.

export interface BulletinDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  clock: Clock;
}

export type EditResult = { ok: true; key?: string; missing: number } | { ok: false; key: MessageKey; status: 404 | 409 };

export function contentEnv(deps: BulletinDeps): ContentEnv {
  return { db: deps.db, dialect: deps.dialect, now: deps.clock.now() };
}

/**
 * The mailing's blocks, each with a key: a stored one, or (for blocks written without one, such as
 * the newsletter's text block) one derived from its place and content, stable until it changes.
 */
export function blocksWithKeys(mailing: Pick<MailingBlocksRow, 'blocks'>): MailingBlock[] {
  const seen = new Set<string>();
  return parseBlocks(mailing.blocks).map((block, index) => {
    let key = typeof block['key'] === 'string' && KEY_PATTERN.test(block['key']) ? block['key'] : '';
    for (let salt = 0; !key || seen.has(key); salt++) {
      key = createHash('sha256').update(`${index}:${salt}:${JSON.stringify(block)}`).digest('hex').slice(0, 8);
    }
    seen.add(key);
    return { ...block, key };
  });
}

export function isEditable(mailing: Pick<MailingBlocksRow, 'status'>): boolean {
  return mailing.status === 'draft' || mailing.status === 'scheduled';
}

/** A block as the audit log keeps it: its parameters, not the items it found. */
function brief(block: MailingBlock | undefined): Record<string, unknown> | null {
  if (!block) return null;
  const { items: _items, ...rest } = block;
  return rest;
}

const order = (blocks: MailingBlock[]) => blocks.map((b) => `${String(b['key'])}:${b.type}`);

async function save(deps: BulletinDeps, actor: AuditActor, mailing: MailingBlocksRow, blocks: MailingBlock[], action: string, audit: { before?: unknown; after?: unknown }): Promise<EditResult | null> {
  if (!isEditable(mailing)) return { ok: false, key: 'bulletin.error.notDraft', status: 409 };
  const now = deps.clock.now();
  const json = JSON.stringify(blocks);
  if (!(await updateMailingBlocks(deps.db, mailing.id, json, mailing.updated_at, now.toISOString()))) return { ok: false, key: 'bulletin.error.changedMeanwhile', status: 409 };
  await recordAudit(deps.db, actor, { action: `newsletter_mailing.${action}`, entityType: 'newsletter_mailing', entityId: mailing.id, ...audit }, now);
  return null;
}

function indexOf(blocks: MailingBlock[], key: string): number {
  return blocks.findIndex((b) => b['key'] === key);
}

/** Moves a block one place up (-1) or down (+1); at either end nothing moves. */
export async function moveBlock(deps: BulletinDeps, actor: AuditActor, mailing: MailingBlocksRow, key: string, direction: -1 | 1): Promise<EditResult> {
  const blocks = blocksWithKeys(mailing);
  const from = indexOf(blocks, key);
  if (from < 0) return { ok: false, key: 'bulletin.error.blockGone', status: 404 };
  const to = from + direction;
  if (to < 0 || to >= blocks.length) return { ok: true, key, missing: 0 };
  const before = order(blocks);
  [blocks[from], blocks[to]] = [blocks[to]!, blocks[from]!];
  return (await save(deps, actor, mailing, blocks, 'block_moved', { before: { order: before }, after: { order: order(blocks) } })) ?? { ok: true, key, missing: 0 };
}

export async function removeBlock(deps: BulletinDeps, actor: AuditActor, mailing: MailingBlocksRow, key: string): Promise<EditResult> {
  const blocks = blocksWithKeys(mailing);
  const at = indexOf(blocks, key);
  if (at < 0) return { ok: false, key: 'bulletin.error.blockGone', status: 404 };
  const [removed] = blocks.splice(at, 1);
  return (await save(deps, actor, mailing, blocks, 'block_removed', { before: { block: brief(removed) } })) ?? { ok: true, missing: 0 };
}

/** Adds a block of a type at the end, with its default parameters, resolved. */
export async function addBlock(deps: BulletinDeps, actor: AuditActor, mailing: MailingBlocksRow, type: BulletinType, t: Translate): Promise<EditResult> {
  const env = contentEnv(deps);
  const { block } = await resolveBlock(env, newBlock(type, t, parisToday(env.now)));
  const blocks = [...blocksWithKeys(mailing), block];
  return (await save(deps, actor, mailing, blocks, 'block_added', { after: { block: brief(block) } })) ?? { ok: true, key: block.key, missing: 0 };
}

/** Applies a block's checked form (see forms.ts) and resolves the block again. */
export async function updateBlock(deps: BulletinDeps, actor: AuditActor, mailing: MailingBlocksRow, key: string, patch: BlockPatch): Promise<EditResult> {
  const blocks = blocksWithKeys(mailing);
  const at = indexOf(blocks, key);
  if (at < 0) return { ok: false, key: 'bulletin.error.blockGone', status: 404 };
  const previous = blocks[at]!;
  const changed: MailingBlock = { ...previous, ...patch };
  const bulletin = readBlock(changed);
  let missing = 0;
  if (bulletin) {
    const resolution = await resolveBlock(contentEnv(deps), bulletin);
    blocks[at] = resolution.block;
    missing = resolution.missing;
  } else blocks[at] = changed;
  return (await save(deps, actor, mailing, blocks, 'block_updated', { before: { block: brief(previous) }, after: { block: brief(blocks[at]) } })) ?? { ok: true, key, missing };
}

/** Finds again what every block shows (the events ahead, the latest items…) from the content as it is now. */
export async function refreshBlocks(deps: BulletinDeps, actor: AuditActor, mailing: MailingBlocksRow): Promise<EditResult> {
  const { blocks, missing } = await resolveBlocks(contentEnv(deps), blocksWithKeys(mailing));
  return (await save(deps, actor, mailing, blocks, 'blocks_refreshed', { after: { order: order(blocks), missing } })) ?? { ok: true, missing };
}

/** The last time the mailing's automatic blocks were resolved (null: none has been). */
export function resolvedAt(blocks: MailingBlock[]): string | null {
  const dates = blocks.map((b) => b['resolvedAt']).filter((d): d is string => typeof d === 'string');
  return dates.length ? dates.sort()[0]! : null;
}
