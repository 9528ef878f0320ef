import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { Database, NewsletterMailingStatus, NewsletterMailingsTable } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export type MailingRow = Selectable<NewsletterMailingsTable>;

export function findMailing(db: Db, id: string): Promise<MailingRow | undefined> {
  return db.selectFrom('newsletter_mailings').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findMailingBySlug(db: Db, slug: string): Promise<MailingRow | undefined> {
  return db.selectFrom('newsletter_mailings').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export function listMailings(db: Db, offset = 0, limit = 100): Promise<MailingRow[]> {
  return db.selectFrom('newsletter_mailings').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute();
}

export async function countMailings(db: Db): Promise<number> {
  const row = await db.selectFrom('newsletter_mailings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function insertMailing(db: Db, row: Insertable<NewsletterMailingsTable>, listIds: string[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('newsletter_mailings').values(row).execute();
    if (listIds.length) await trx.insertInto('newsletter_mailing_lists').values(listIds.map((list_id) => ({ mailing_id: row.id, list_id }))).execute();
  });
}

/** Saves a draft; refused (false) once the mailing has left the draft state. */
export async function updateDraft(db: Kysely<Database>, id: string, patch: Partial<Insertable<NewsletterMailingsTable>>, listIds: string[]): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx.updateTable('newsletter_mailings').set(patch).where('id', '=', id).where('status', 'in', ['draft', 'scheduled']).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await trx.deleteFrom('newsletter_mailing_lists').where('mailing_id', '=', id).execute();
    if (listIds.length) await trx.insertInto('newsletter_mailing_lists').values(listIds.map((list_id) => ({ mailing_id: id, list_id }))).execute();
    return true;
  });
}

export async function deleteDraft(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('newsletter_mailings').where('id', '=', id).where('status', 'in', ['draft', 'cancelled']).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listIdsOfMailing(db: Db, mailingId: string): Promise<string[]> {
  const rows = await db.selectFrom('newsletter_mailing_lists').select('list_id').where('mailing_id', '=', mailingId).execute();
  return rows.map((r) => r.list_id);
}

/** Moves a mailing from one of `from` to `to` (with extra columns); false when it was not in `from`. */
export async function transition(db: Db, id: string, from: NewsletterMailingStatus[], to: NewsletterMailingStatus, extra: Partial<Insertable<NewsletterMailingsTable>>): Promise<boolean> {
  const result = await db.updateTable('newsletter_mailings').set({ ...extra, status: to }).where('id', '=', id).where('status', 'in', from).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function touchHeartbeat(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('newsletter_mailings').set({ heartbeat_at: at }).where('id', '=', id).execute();
}

/** Scheduled mailings whose time has come. */
export function dueScheduled(db: Db, now: string): Promise<MailingRow[]> {
  return db.selectFrom('newsletter_mailings').selectAll().where('status', '=', 'scheduled').where('scheduled_at', '<=', now).orderBy('scheduled_at').execute();
}

/** Mailings being sent whose last worker went silent (crash): another worker takes them over. */
export function orphanedSends(db: Db, before: string): Promise<MailingRow[]> {
  return db
    .selectFrom('newsletter_mailings')
    .selectAll()
    .where('status', '=', 'sending')
    .where((eb) => eb.or([eb('heartbeat_at', 'is', null), eb('heartbeat_at', '<', before)]))
    .execute();
}

/** Sent mailings to at least one public list: the public archive. */
export function archive(db: Db, limit = 200): Promise<MailingRow[]> {
  return db
    .selectFrom('newsletter_mailings as m')
    .selectAll('m')
    .where('m.status', '=', 'sent')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('newsletter_mailing_lists as ml')
          .innerJoin('newsletter_lists as l', 'l.id', 'ml.list_id')
          .select('ml.mailing_id')
          .whereRef('ml.mailing_id', '=', 'm.id')
          .where('l.is_public', '=', 1),
      ),
    )
    .orderBy('m.finished_at', 'desc')
    .limit(limit)
    .execute();
}

export async function isArchived(db: Db, mailingId: string): Promise<boolean> {
  const row = await db
    .selectFrom('newsletter_mailing_lists as ml')
    .innerJoin('newsletter_lists as l', 'l.id', 'ml.list_id')
    .select('ml.mailing_id')
    .where('ml.mailing_id', '=', mailingId)
    .where('l.is_public', '=', 1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The blocks as frozen when the send starts (a draft or scheduled mailing only). */
export async function freezeMailingBlocks(db: Db, id: string, blocks: string, at: string): Promise<void> {
  await db.updateTable('newsletter_mailings').set({ blocks, updated_at: at }).where('id', '=', id).where('status', 'in', ['draft', 'scheduled']).execute();
}

/** The number of recipients of a send, once its rows are written. */
export async function setTotal(db: Db, id: string, total: number): Promise<void> {
  await db.updateTable('newsletter_mailings').set({ total }).where('id', '=', id).execute();
}
