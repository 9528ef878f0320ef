import type { Kysely } from 'kysely';

// French spacing (decision 0025) in the descriptions of the two lists seeded at install (migrations
// 1510 and 1630), shown on /lettre, the preference centre and « Mon espace »: the catalogue gets
// it when loaded, seeded data did not. A no-break space before « : », so that a narrow screen never
// starts a line with it. Only the texts exactly as seeded are rewritten: a description staff edited
// is theirs, kept as typed.

const FIXES: Array<{ id: string; seeded: string }> = [
  {
    id: '01900000-0000-7000-8000-0000000ca11a',
    seeded: 'Au plus un courriel par jour : les nouveaux appels à projets qui correspondent à votre structure ou à vos centres d’intérêt.',
  },
  {
    id: '01900000-0000-7000-8000-00000001e77e',
    seeded: 'Une fois par mois, les nouvelles du réseau : actualités, agenda, appels à projets et ressources.',
  },
];

const spaced = (text: string) => text.replace(' : ', '\u00a0: ');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  for (const { id, seeded } of FIXES) {
    await db.updateTable('newsletter_lists').set({ description: spaced(seeded) }).where('id', '=', id).where('description', '=', seeded).execute();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const { id, seeded } of FIXES) {
    await db.updateTable('newsletter_lists').set({ description: seeded }).where('id', '=', id).where('description', '=', spaced(seeded)).execute();
  }
}
