import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Stores a tracked mailing's links (at send start); a second call changes nothing. */
export async function insertLinks(db: Db, mailingId: string, urls: readonly string[]): Promise<void> {
  for (let i = 0; i < urls.length; i += 200) {
    await db
      .insertInto('newsletter_mailing_links')
      .values(urls.slice(i, i + 200).map((url, j) => ({ mailing_id: mailingId, position: i + j, url })))
      .onConflict((oc) => oc.columns(['mailing_id', 'position']).doNothing())
      .execute();
  }
}

/** The mailing's links, by position. */
export async function linksOf(db: Db, mailingId: string): Promise<string[]> {
  const rows = await db.selectFrom('newsletter_mailing_links').select(['position', 'url']).where('mailing_id', '=', mailingId).orderBy('position').execute();
  return rows.map((r) => r.url);
}

export function findLink(db: Db, mailingId: string, position: number): Promise<{ url: string } | undefined> {
  return db.selectFrom('newsletter_mailing_links').select('url').where('mailing_id', '=', mailingId).where('position', '=', position).executeTakeFirst();
}

export function recipientOfToken(db: Db, token: string): Promise<{ id: string; mailing_id: string } | undefined> {
  return db.selectFrom('newsletter_recipients').select(['id', 'mailing_id']).where('track_token', '=', token).executeTakeFirst();
}

/** Counts an open of the recipient with this token; false when no recipient has it. */
export async function recordOpen(db: Db, token: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('newsletter_recipients')
    .set((eb) => ({ open_count: eb('open_count', '+', 1), opened_at: eb.fn.coalesce('opened_at', eb.val(at)) }))
    .where('track_token', '=', token)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Counts a click of a recipient on a link. */
export async function recordClick(db: Db, recipient: { id: string; mailing_id: string }, position: number, at: string): Promise<void> {
  await db
    .insertInto('newsletter_clicks')
    .values({ recipient_id: recipient.id, mailing_id: recipient.mailing_id, link_position: position, clicks: 1, first_clicked_at: at, last_clicked_at: at })
    .onConflict((oc) => oc.columns(['recipient_id', 'link_position']).doUpdateSet((eb) => ({ clicks: eb('newsletter_clicks.clicks', '+', 1), last_clicked_at: at })))
    .execute();
}

export interface TrackingCounts {
  /** Recipients who opened: the image was loaded, or a link was clicked (images are often blocked). */
  uniqueOpens: number;
  /** Image loads in all. */
  opens: number;
  uniqueClicks: number;
}

export async function trackingCounts(db: Db, mailingId: string): Promise<TrackingCounts> {
  const opens = await db
    .selectFrom('newsletter_recipients as r')
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number>('r.open_count'), eb.lit(0)).as('opens'),
      eb.fn
        .count<number>('r.id')
        .filterWhere((w) => w.or([w('r.opened_at', 'is not', null), w.exists(w.selectFrom('newsletter_clicks as c').select('c.recipient_id').whereRef('c.recipient_id', '=', 'r.id'))]))
        .as('unique_opens'),
    ])
    .where('r.mailing_id', '=', mailingId)
    .executeTakeFirst();
  const clicks = await db
    .selectFrom('newsletter_clicks')
    .select((eb) => eb.fn.count<number>('recipient_id').distinct().as('n'))
    .where('mailing_id', '=', mailingId)
    .executeTakeFirst();
  return { uniqueOpens: Number(opens?.unique_opens ?? 0), opens: Number(opens?.opens ?? 0), uniqueClicks: Number(clicks?.n ?? 0) };
}

export interface LinkClicks {
  position: number;
  url: string;
  clicks: number;
  people: number;
}

/** Each link of the mailing with its clicks and the number of people who clicked it. */
export async function clicksPerLink(db: Db, mailingId: string): Promise<LinkClicks[]> {
  const rows = await db
    .selectFrom('newsletter_mailing_links as l')
    .leftJoin('newsletter_clicks as c', (join) => join.onRef('c.mailing_id', '=', 'l.mailing_id').onRef('c.link_position', '=', 'l.position'))
    .select((eb) => ['l.position', 'l.url', eb.fn.coalesce(eb.fn.sum<number>('c.clicks'), eb.lit(0)).as('clicks'), eb.fn.count<number>('c.recipient_id').as('people')])
    .where('l.mailing_id', '=', mailingId)
    .groupBy(['l.position', 'l.url'])
    .orderBy('l.position')
    .execute();
  return rows.map((r) => ({ position: Number(r.position), url: r.url, clicks: Number(r.clicks), people: Number(r.people) }));
}

/** A person's clicks, per mailing (RGPD export). */
export function clicksOfSubscriber(db: Db, subscriberId: string) {
  return db
    .selectFrom('newsletter_clicks as c')
    .innerJoin('newsletter_recipients as r', 'r.id', 'c.recipient_id')
    .innerJoin('newsletter_mailing_links as l', (join) => join.onRef('l.mailing_id', '=', 'c.mailing_id').onRef('l.position', '=', 'c.link_position'))
    .select(['c.mailing_id', 'l.url', 'c.clicks', 'c.first_clicked_at', 'c.last_clicked_at'])
    .where('r.subscriber_id', '=', subscriberId)
    .orderBy('c.mailing_id')
    .orderBy('c.link_position')
    .execute();
}
