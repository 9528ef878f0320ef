import { type Insertable, type Kysely, type Selectable, sql, type Transaction, type Updateable } from 'kysely';
import type { ConsentsTable, ContactsTable, Database } from '../../db/schema.js';

type Db = Kysely<Database>;

/** A LIKE pattern matching text that contains `needle`, whatever its case (LIKE wildcards dropped). */
function containing(needle: string): string {
  return `%${needle.toLowerCase().replace(/[%_\\]/g, '')}%`;
}

/** Needles worth searching free text for: trimmed, lower case, at least 3 characters. */
function usefulNeedles(needles: string[]): string[] {
  return needles.map((n) => n.trim().toLowerCase()).filter((n) => n.length >= 3);
}

// ---------- Contacts ----------

export type ContactRow = Selectable<ContactsTable>;

export interface ContactFilter {
  q?: string;
  organisation?: string;
  theme?: string;
  country?: string;
  kind?: string;
  department?: string;
  limit: number;
  offset: number;
}

export async function listContacts(db: Db, f: ContactFilter) {
  let base = db.selectFrom('contacts as c').where('c.erased_at', 'is', null);
  if (f.q) {
    const needle = containing(f.q);
    base = base.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['c.last_name']), 'like', needle),
        eb(eb.fn('lower', ['c.first_name']), 'like', needle),
        eb(eb.fn('lower', [sql<string>`coalesce(c.first_name, '') || ' ' || c.last_name`]), 'like', needle),
        eb.exists(eb.selectFrom('contact_emails as e').select('e.contact_id').whereRef('e.contact_id', '=', 'c.id').where('e.email_lower', 'like', needle)),
      ]),
    );
  }
  if (f.theme) base = base.where((eb) => eb.exists(eb.selectFrom('contact_themes as t').select('t.contact_id').whereRef('t.contact_id', '=', 'c.id').where('t.theme_code', '=', f.theme!)));
  if (f.country) base = base.where((eb) => eb.exists(eb.selectFrom('contact_countries as k').select('k.contact_id').whereRef('k.contact_id', '=', 'c.id').where('k.country_code', '=', f.country!)));
  if (f.organisation || f.kind || f.department) {
    base = base.where((eb) => {
      let roles = eb.selectFrom('contact_roles as r').innerJoin('organisations as o', 'o.id', 'r.organisation_id').select('r.contact_id').whereRef('r.contact_id', '=', 'c.id');
      if (f.organisation) {
        const org = f.organisation;
        roles = roles.where((e) => e.or([e('o.id', '=', org), e(e.fn('lower', ['o.name']), 'like', containing(org))]));
      }
      if (f.kind) roles = roles.where('o.kind_code', '=', f.kind);
      if (f.department) roles = roles.where('o.department_code', '=', f.department);
      return eb.exists(roles);
    });
  }
  const [rows, count] = await Promise.all([
    base.selectAll('c').orderBy('c.sort_name').orderBy('c.id').limit(f.limit).offset(f.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export function findContact(db: Db, id: string): Promise<ContactRow | undefined> {
  return db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface ContactLinks {
  emails: { email: string; email_lower: string; is_primary: number }[];
  roles: { organisation_id: string; organisation_name: string; function: string | null; is_main: number }[];
  themes: string[];
  countries: string[];
}

export async function contactLinks(db: Db, ids: string[]): Promise<Map<string, ContactLinks>> {
  const map = new Map<string, ContactLinks>(ids.map((id) => [id, { emails: [], roles: [], themes: [], countries: [] }]));
  if (!ids.length) return map;
  const [emails, roles, themes, countries] = await Promise.all([
    db.selectFrom('contact_emails').select(['contact_id', 'email', 'email_lower', 'is_primary']).where('contact_id', 'in', ids).orderBy('is_primary', 'desc').orderBy('email_lower').execute(),
    db
      .selectFrom('contact_roles as r')
      .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
      .select(['r.contact_id', 'r.organisation_id', 'o.name as organisation_name', 'r.function', 'r.is_main'])
      .where('r.contact_id', 'in', ids)
      .orderBy('o.sort_name')
      .orderBy('r.organisation_id')
      .execute(),
    db.selectFrom('contact_themes').select(['contact_id', 'theme_code']).where('contact_id', 'in', ids).orderBy('theme_code').execute(),
    db.selectFrom('contact_countries').select(['contact_id', 'country_code']).where('contact_id', 'in', ids).orderBy('country_code').execute(),
  ]);
  for (const e of emails) map.get(e.contact_id)?.emails.push({ email: e.email, email_lower: e.email_lower, is_primary: e.is_primary });
  for (const r of roles) map.get(r.contact_id)?.roles.push({ organisation_id: r.organisation_id, organisation_name: r.organisation_name, function: r.function, is_main: r.is_main });
  for (const t of themes) map.get(t.contact_id)?.themes.push(t.theme_code);
  for (const c of countries) map.get(c.contact_id)?.countries.push(c.country_code);
  return map;
}

export interface ContactWrite {
  row: Updateable<ContactsTable>;
  emails: { email: string; is_primary: number }[];
  roles: { organisation_id: string; function: string | null; is_main: number }[];
  themes: string[];
  countries: string[];
}

async function writeContactLinks(db: Kysely<Database>, id: string, w: ContactWrite): Promise<void> {
  await db.deleteFrom('contact_emails').where('contact_id', '=', id).execute();
  await db.deleteFrom('contact_roles').where('contact_id', '=', id).execute();
  await db.deleteFrom('contact_themes').where('contact_id', '=', id).execute();
  await db.deleteFrom('contact_countries').where('contact_id', '=', id).execute();
  if (w.emails.length) await db.insertInto('contact_emails').values(w.emails.map((e) => ({ contact_id: id, email: e.email, email_lower: e.email.toLowerCase(), is_primary: e.is_primary }))).execute();
  if (w.roles.length) await db.insertInto('contact_roles').values(w.roles.map((r) => ({ contact_id: id, ...r }))).execute();
  if (w.themes.length) await db.insertInto('contact_themes').values(w.themes.map((theme_code) => ({ contact_id: id, theme_code }))).execute();
  if (w.countries.length) await db.insertInto('contact_countries').values(w.countries.map((country_code) => ({ contact_id: id, country_code }))).execute();
}

export async function insertContact(db: Db, row: Insertable<ContactsTable>, w: ContactWrite): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('contacts').values(row).execute();
    await writeContactLinks(trx, row.id, w);
  });
}

export async function updateContact(db: Db, id: string, w: ContactWrite): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('contacts').set(w.row).where('id', '=', id).execute();
    await writeContactLinks(trx, id, w);
  });
}

/** Organisations by id, current slug or exact name (case-insensitive), for contact roles. */
export async function findOrganisationsByRef(db: Db, ref: string) {
  const lower = ref.trim().toLowerCase();
  return db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where((eb) => eb.or([eb('id', '=', ref.trim()), eb('slug', '=', lower), eb(eb.fn('lower', ['name']), '=', lower)]))
    .limit(5)
    .execute();
}

/** The people holding a role in an organisation, main contact first; erased ones left out. */
function peopleOf(db: Db, organisationId: string) {
  return db
    .selectFrom('contacts as c')
    .innerJoin('contact_roles as r', 'r.contact_id', 'c.id')
    .select(['c.id', 'c.civility', 'c.first_name', 'c.last_name', 'r.function', 'r.is_main'])
    .where('r.organisation_id', '=', organisationId)
    .where('c.erased_at', 'is', null)
    .orderBy('r.is_main', 'desc')
    .orderBy('c.sort_name')
    .orderBy('c.id');
}

export function contactsOfOrganisation(db: Db, organisationId: string) {
  return peopleOf(db, organisationId).select('c.public_profile').execute();
}

/** Only people who consented to a public profile, never erased ones. */
export function publicContactsOfOrganisation(db: Db, organisationId: string) {
  return peopleOf(db, organisationId).where('c.public_profile', '=', 1).execute();
}

// ---------- Consents ----------

export type ConsentRow = Selectable<ConsentsTable>;

export async function insertConsent(db: Db, row: Insertable<ConsentsTable>): Promise<void> {
  await db.insertInto('consents').values(row).execute();
}

export function consentsOf(db: Db, contactId: string) {
  return db
    .selectFrom('consents as k')
    .leftJoin('users as u', 'u.id', 'k.recorded_by')
    .selectAll('k')
    .select(['u.display_name as recorder_name'])
    .where('k.contact_id', '=', contactId)
    .orderBy('k.at', 'desc')
    .orderBy('k.id', 'desc')
    .execute();
}

export async function setPublicProfile(db: Db, id: string, value: number, at: string): Promise<void> {
  await db.updateTable('contacts').set({ public_profile: value, updated_at: at }).where('id', '=', id).execute();
}

// ---------- RGPD ----------

/** Interactions whose text mentions one of the needles (case-insensitive). */
export async function interactionsMentioning(db: Db, needles: string[]) {
  const useful = usefulNeedles(needles);
  if (!useful.length) return [];
  return db
    .selectFrom('interactions')
    .selectAll()
    .where((eb) => eb.or(useful.map((n) => eb(eb.fn('lower', ['text']), 'like', containing(n)))))
    .orderBy('occurred_on')
    .execute();
}

/** Audit entries whose before/after mention one of the needles (case-insensitive). */
export async function auditMentioning(db: Db, needles: string[]) {
  const useful = usefulNeedles(needles);
  if (!useful.length) return [];
  return db
    .selectFrom('audit_log')
    .select(['id', 'before', 'after'])
    .where((eb) =>
      eb.or(
        useful.flatMap((n) => {
          const like = containing(n);
          return [eb(eb.fn('lower', ['before']), 'like', like), eb(eb.fn('lower', ['after']), 'like', like)];
        }),
      ),
    )
    .execute();
}

export function auditAbout(db: Db, entityType: string, entityId: string) {
  return db.selectFrom('audit_log').selectAll().where('entity_type', '=', entityType).where('entity_id', '=', entityId).orderBy('at').orderBy('id').execute();
}

/** Anonymises a contact in one transaction: identity gone (`erasedName` instead), statistics (interests, consent events) kept. */
export async function eraseContact(
  db: Db,
  id: string,
  at: string,
  erasedName: { last_name: string; sort_name: string },
  interactionTexts: { id: string; text: string }[],
  auditTexts: { id: string; before: string | null; after: string | null }[],
  alsoInTransaction: (trx: Transaction<Database>) => Promise<unknown> = async () => undefined,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await alsoInTransaction(trx);
    await trx
      .updateTable('contacts')
      .set({ civility: null, first_name: null, last_name: erasedName.last_name, sort_name: erasedName.sort_name, phone: null, notes: null, public_profile: 0, erased_at: at, updated_at: at })
      .where('id', '=', id)
      .execute();
    await trx.deleteFrom('contact_emails').where('contact_id', '=', id).execute();
    await trx.updateTable('contact_roles').set({ function: null, is_main: 0 }).where('contact_id', '=', id).execute();
    await trx.updateTable('consents').set({ detail: null, ip: null }).where('contact_id', '=', id).execute();
    for (const i of interactionTexts) await trx.updateTable('interactions').set({ text: i.text }).where('id', '=', i.id).execute();
    for (const a of auditTexts) await trx.updateTable('audit_log').set({ before: a.before, after: a.after }).where('id', '=', a.id).execute();
    await trx.updateTable('audit_log').set({ before: null, after: null }).where('entity_type', '=', 'contact').where('entity_id', '=', id).execute();
  });
}
