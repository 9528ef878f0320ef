import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

// The bulletin edits one column of a mailing: its block list (the newsletter's block registry is
// the contract of its content). Only drafts and scheduled mailings change.

export interface MailingBlocksRow {
  id: string;
  subject: string;
  status: string;
  slug: string;
  blocks: string;
  updated_at: string;
}

export function findMailingBlocks(db: Kysely<Database>, id: string): Promise<MailingBlocksRow | undefined> {
  return db.selectFrom('newsletter_mailings').select(['id', 'subject', 'status', 'slug', 'blocks', 'updated_at']).where('id', '=', id).executeTakeFirst();
}

/**
 * Writes the block list if the mailing is still a draft (or scheduled) and nobody changed it since
 * it was read (`expectedUpdatedAt`); false otherwise.
 */
export async function updateMailingBlocks(db: Kysely<Database>, id: string, blocks: string, expectedUpdatedAt: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('newsletter_mailings')
    .set({ blocks, updated_at: at })
    .where('id', '=', id)
    .where('status', 'in', ['draft', 'scheduled'])
    .where('updated_at', '=', expectedUpdatedAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
