import type { Kysely } from 'kysely';

// The network's monthly letter (« Lettre mensuelle »): a public, double opt-in list that a fresh
// install offers on /lettre next to the call alerts, so that people can subscribe before staff
// create any list. Its id is fixed (the newsletter module's MONTHLY_LIST_ID), like the alerts' one.
// An existing install gets it too, unless a list already bears that name (staff made their own).
// It is ticked by default on /lettre (and so the list of the footer's form and of the monthly
// bulletin's form) only when no public list is ticked by default yet: an install whose staff chose
// the footer's list keeps that choice.

const LIST_ID = '01900000-0000-7000-8000-00000001e77e';
const NAME = 'Lettre mensuelle';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  const lists = (await db.selectFrom('newsletter_lists').select(['id', 'name', 'is_public', 'is_default']).execute()) as Array<{ id: string; name: string; is_public: number; is_default: number }>;
  const sameName = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase() === NAME.toLowerCase();
  if (lists.some((l) => l.id === LIST_ID || sameName(l.name))) return;
  const hasDefault = lists.some((l) => Number(l.is_public) === 1 && Number(l.is_default) === 1);
  const at = new Date().toISOString();
  await db
    .insertInto('newsletter_lists')
    .values({
      id: LIST_ID,
      name: NAME,
      description: 'Une fois par mois, les nouvelles du réseau : actualités, agenda, appels à projets et ressources.',
      name_en: 'Monthly newsletter',
      description_en: 'Once a month, the network’s news: articles, events, calls for projects and resources.',
      is_public: 1,
      double_opt_in: 1,
      is_default: hasDefault ? 0 : 1,
      created_by: null,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

// Removes the list only while nobody subscribed to it and no mailing was addressed to it: deleting
// it then would delete people's subscriptions (cascade) and a mailing's audience. Otherwise it stays,
// as an ordinary list that staff may delete from the back office.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function down(db: Kysely<any>): Promise<void> {
  const subscriptions = await db.selectFrom('newsletter_subscriptions').select('list_id').where('list_id', '=', LIST_ID).limit(1).execute();
  const mailings = await db.selectFrom('newsletter_mailing_lists').select('list_id').where('list_id', '=', LIST_ID).limit(1).execute();
  if (subscriptions.length || mailings.length) return;
  await db.deleteFrom('newsletter_lists').where('id', '=', LIST_ID).execute();
}
