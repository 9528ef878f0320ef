import {
  type Expression,
  type ExpressionBuilder,
  type Insertable,
  type Kysely,
  PostgresAdapter,
  type Selectable,
  type SqlBool,
  sql,
  type Updateable,
} from 'kysely';
import type { ConsentsTable, ContactsTable, Database, InteractionsTable, OrganisationsTable, SavedFiltersTable } from '../../db/schema.js';
import type { Dialect } from '../../kernel/db/create-db.js';
import type { DirectoryFilter } from '../organisations/index.js';

type Db = Kysely<Database>;
type OrgEb = ExpressionBuilder<Database & { o: OrganisationsTable }, 'o'>;

/** The dialect behind a Kysely instance (segments are resolved with only the db at hand). */
export function dialectOfDb(db: Db): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

// ---------- Staff list of organisations ----------

export type MissingField = 'email' | 'commune' | 'coordinates' | 'themes';
export type MembershipStatusFilter = 'paid' | 'pending' | 'exempt' | 'none';

/** The directory's filters plus the staff-only ones. */
export interface StaffFilter {
  directory: DirectoryFilter;
  tokens: string[];
  visibility: ('public' | 'members' | 'staff')[];
  missing: MissingField[];
  /** Reviewed before this instant, or never. */
  reviewedBefore?: string;
  tag?: string;
  membership?: { year: number; status: MembershipStatusFilter };
  sort: 'relevance' | 'name' | 'updated' | 'reviewed';
}

function ftsExpression(tokens: string[], dialect: Dialect): string {
  return dialect === 'postgres' ? tokens.map((t) => `${t}:*`).join(' & ') : tokens.map((t) => `"${t}"*`).join(' AND ');
}

function conditions(db: Db, eb: OrgEb, f: StaffFilter, dialect: Dialect) {
  const d = f.directory;
  const list: Expression<SqlBool>[] = [eb('o.visibility', 'in', f.visibility.length ? f.visibility : d.visibility)];
  if (f.tokens.length) {
    const q = ftsExpression(f.tokens, dialect);
    list.push(
      dialect === 'postgres'
        ? sql<SqlBool>`o.search_vector @@ to_tsquery('simple', ${q})`
        : eb('o.id', 'in', sql<string>`(select organisation_id from organisations_fts where organisations_fts match ${q})`),
    );
  }
  if (d.kinds.length) list.push(eb('o.kind_code', 'in', d.kinds));
  if (d.departments.length) list.push(eb('o.department_code', 'in', d.departments));
  if (d.member) list.push(eb('o.is_member', '=', d.member === 'yes' ? 1 : 0));
  if (d.themes.length) {
    list.push(eb.exists(eb.selectFrom('organisation_themes as t').select('t.organisation_id').whereRef('t.organisation_id', '=', 'o.id').where('t.theme_code', 'in', d.themes)));
  }
  if (d.countries.length) {
    list.push(eb.exists(eb.selectFrom('organisation_countries as c').select('c.organisation_id').whereRef('c.organisation_id', '=', 'o.id').where('c.country_code', 'in', d.countries)));
  }
  if (d.sdgs.length) {
    list.push(eb.exists(eb.selectFrom('organisation_sdgs as s').select('s.organisation_id').whereRef('s.organisation_id', '=', 'o.id').where('s.sdg_code', 'in', d.sdgs)));
  }
  if (d.zones.length) {
    const zones = db
      .selectFrom('organisation_zones')
      .select(['organisation_id', 'zone_code'])
      .union(db.selectFrom('organisation_countries as c').innerJoin('zone_countries as zc', 'zc.country_code', 'c.country_code').select(['c.organisation_id', 'zc.zone_code']));
    list.push(eb.exists(eb.selectFrom(zones.as('z')).select('z.organisation_id').whereRef('z.organisation_id', '=', 'o.id').where('z.zone_code', 'in', d.zones)));
  }
  for (const m of f.missing) {
    if (m === 'email') list.push(eb.or([eb('o.email', 'is', null), eb('o.email', '=', '')]));
    if (m === 'commune') list.push(eb('o.commune_code', 'is', null));
    if (m === 'coordinates') list.push(eb.or([eb('o.latitude', 'is', null), eb('o.longitude', 'is', null)]));
    if (m === 'themes') list.push(eb.not(eb.exists(eb.selectFrom('organisation_themes as mt').select('mt.organisation_id').whereRef('mt.organisation_id', '=', 'o.id'))));
  }
  if (f.reviewedBefore) list.push(eb.or([eb('o.reviewed_at', 'is', null), eb('o.reviewed_at', '<', f.reviewedBefore)]));
  if (f.tag) {
    list.push(eb.exists(eb.selectFrom('organisation_tags as tg').select('tg.organisation_id').whereRef('tg.organisation_id', '=', 'o.id').where('tg.tag', '=', f.tag)));
  }
  if (f.membership) {
    const { year, status } = f.membership;
    const rows = eb.selectFrom('memberships as m').select('m.organisation_id').whereRef('m.organisation_id', '=', 'o.id').where('m.year', '=', year);
    list.push(status === 'none' ? eb.not(eb.exists(rows)) : eb.exists(rows.where('m.status', '=', status)));
  }
  return eb.and(list);
}

export async function listOrganisations(db: Db, dialect: Dialect, f: StaffFilter, page: { limit: number; offset: number }) {
  const base = db.selectFrom('organisations as o').where((eb) => conditions(db, eb, f, dialect));
  let query = base.selectAll('o');
  if (f.sort === 'relevance' && f.tokens.length) {
    const q = ftsExpression(f.tokens, dialect);
    query =
      dialect === 'postgres'
        ? query.orderBy(sql`ts_rank(o.search_vector, to_tsquery('simple', ${q}))`, 'desc')
        : query.orderBy(sql`(select bm25(organisations_fts) from organisations_fts where organisations_fts match ${q} and organisation_id = o.id)`);
  } else if (f.sort === 'updated') {
    query = query.orderBy('o.updated_at', 'desc');
  } else if (f.sort === 'reviewed') {
    // Never reviewed first, then the oldest review.
    query = query.orderBy(sql`case when o.reviewed_at is null then 0 else 1 end`).orderBy('o.reviewed_at');
  }
  query = query.orderBy('o.name').orderBy('o.id');
  const [rows, count] = await Promise.all([
    query.limit(page.limit).offset(page.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Every id of the filtered set (bulk actions on the whole set, segments). */
export async function organisationIds(db: Db, dialect: Dialect, f: StaffFilter): Promise<string[]> {
  const rows = await db
    .selectFrom('organisations as o')
    .where((eb) => conditions(db, eb, f, dialect))
    .select('o.id')
    .orderBy('o.name')
    .orderBy('o.id')
    .execute();
  return rows.map((r) => r.id);
}

export async function existingOrganisationIds(db: Db, ids: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const chunk of chunks(ids)) {
    const rows = await db.selectFrom('organisations').select('id').where('id', 'in', chunk).execute();
    out.push(...rows.map((r) => r.id));
  }
  return out;
}

function chunks<T>(values: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

// ---------- Tags, colleges, memberships ----------

export async function tagsOf(db: Db, ids: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const chunk of chunks(ids)) {
    const rows = await db.selectFrom('organisation_tags').select(['organisation_id', 'tag']).where('organisation_id', 'in', chunk).orderBy('tag').execute();
    for (const r of rows) map.get(r.organisation_id)?.push(r.tag);
  }
  return map;
}

export async function allTags(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('organisation_tags').select('tag').distinct().orderBy('tag').execute();
  return rows.map((r) => r.tag);
}

export async function addTag(db: Db, id: string, tag: string): Promise<void> {
  await db.insertInto('organisation_tags').values({ organisation_id: id, tag }).onConflict((oc) => oc.columns(['organisation_id', 'tag']).doNothing()).execute();
}

export async function removeTag(db: Db, id: string, tag: string): Promise<void> {
  await db.deleteFrom('organisation_tags').where('organisation_id', '=', id).where('tag', '=', tag).execute();
}

export async function collegesOf(db: Db, id: string): Promise<string[]> {
  const rows = await db.selectFrom('organisation_colleges').select('college_code').where('organisation_id', '=', id).orderBy('college_code').execute();
  return rows.map((r) => r.college_code);
}

export async function setColleges(db: Db, id: string, colleges: string[], at: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('organisation_colleges').where('organisation_id', '=', id).execute();
    if (colleges.length) await trx.insertInto('organisation_colleges').values(colleges.map((college_code) => ({ organisation_id: id, college_code }))).execute();
    await trx.updateTable('organisations').set({ updated_at: at }).where('id', '=', id).execute();
  });
}

export type MembershipRow = Selectable<Database['memberships']>;

export async function membershipsOf(db: Db, ids: string[]): Promise<Map<string, MembershipRow[]>> {
  const map = new Map<string, MembershipRow[]>(ids.map((id) => [id, []]));
  for (const chunk of chunks(ids)) {
    const rows = await db.selectFrom('memberships').selectAll().where('organisation_id', 'in', chunk).orderBy('year', 'desc').execute();
    for (const r of rows) map.get(r.organisation_id)?.push(r);
  }
  return map;
}

export async function replaceMemberships(db: Db, organisationId: string, rows: Insertable<Database['memberships']>[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('memberships').where('organisation_id', '=', organisationId).execute();
    if (rows.length) await trx.insertInto('memberships').values(rows).execute();
  });
}

export async function setReviewed(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('organisations').set({ reviewed_at: at }).where('id', '=', id).execute();
}

export async function organisationsByIds(db: Db, ids: string[]): Promise<Selectable<OrganisationsTable>[]> {
  const out: Selectable<OrganisationsTable>[] = [];
  for (const chunk of chunks(ids)) out.push(...(await db.selectFrom('organisations').selectAll().where('id', 'in', chunk).execute()));
  const order = new Map(ids.map((id, i) => [id, i]));
  return out.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}

export async function linksForExport(db: Db, ids: string[]) {
  const themes = new Map<string, string[]>();
  const countries = new Map<string, string[]>();
  const colleges = new Map<string, string[]>();
  for (const chunk of chunks(ids)) {
    const [t, c, g] = await Promise.all([
      db.selectFrom('organisation_themes').select(['organisation_id', 'theme_code as v']).where('organisation_id', 'in', chunk).execute(),
      db.selectFrom('organisation_countries').select(['organisation_id', 'country_code as v']).where('organisation_id', 'in', chunk).execute(),
      db.selectFrom('organisation_colleges').select(['organisation_id', 'college_code as v']).where('organisation_id', 'in', chunk).execute(),
    ]);
    for (const [rows, map] of [[t, themes], [c, countries], [g, colleges]] as const) {
      for (const r of rows) map.set(r.organisation_id, [...(map.get(r.organisation_id) ?? []), r.v]);
    }
  }
  return { themes, countries, colleges };
}

// ---------- Saved filters ----------

export type SavedFilterRow = Selectable<SavedFiltersTable>;

export function listSavedFilters(db: Db, scope: string): Promise<SavedFilterRow[]> {
  return db.selectFrom('saved_filters').selectAll().where('scope', '=', scope).orderBy('name').orderBy('id').execute();
}

export function findSavedFilter(db: Db, id: string): Promise<SavedFilterRow | undefined> {
  return db.selectFrom('saved_filters').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertSavedFilter(db: Db, row: Insertable<SavedFiltersTable>): Promise<void> {
  await db.insertInto('saved_filters').values(row).execute();
}

export async function deleteSavedFilter(db: Db, id: string): Promise<void> {
  await db.deleteFrom('saved_filters').where('id', '=', id).execute();
}

// ---------- Interactions ----------

export async function insertInteraction(db: Db, row: Insertable<InteractionsTable>): Promise<void> {
  await db.insertInto('interactions').values(row).execute();
}

export function interactionsOf(db: Db, organisationId: string) {
  return db
    .selectFrom('interactions as i')
    .leftJoin('users as u', 'u.id', 'i.author_id')
    .select(['i.id', 'i.kind', 'i.occurred_on', 'i.text', 'i.created_at', 'u.display_name as author_name', 'u.email as author_email'])
    .where('i.organisation_id', '=', organisationId)
    .orderBy('i.occurred_on', 'desc')
    .orderBy('i.created_at', 'desc')
    .execute();
}

/** Interactions whose text mentions one of the needles (case-insensitive). */
export async function interactionsMentioning(db: Db, needles: string[]) {
  const useful = needles.map((n) => n.trim().toLowerCase()).filter((n) => n.length >= 3);
  if (!useful.length) return [];
  return db
    .selectFrom('interactions')
    .selectAll()
    .where((eb) => eb.or(useful.map((n) => eb(eb.fn('lower', ['text']), 'like', `%${n.replace(/[%_\\]/g, '')}%`))))
    .orderBy('occurred_on')
    .execute();
}

/** Audit entries whose before/after mention one of the needles (case-insensitive). */
export async function auditMentioning(db: Db, needles: string[]) {
  const useful = needles.map((n) => n.trim().toLowerCase()).filter((n) => n.length >= 3);
  if (!useful.length) return [];
  return db
    .selectFrom('audit_log')
    .select(['id', 'before', 'after'])
    .where((eb) =>
      eb.or(
        useful.flatMap((n) => {
          const like = `%${n.replace(/[%_\\]/g, '')}%`;
          return [eb(eb.fn('lower', ['before']), 'like', like), eb(eb.fn('lower', ['after']), 'like', like)];
        }),
      ),
    )
    .execute();
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
    const needle = `%${f.q.toLowerCase().replace(/[%_\\]/g, '')}%`;
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
        roles = roles.where((e) => e.or([e('o.id', '=', org), e(e.fn('lower', ['o.name']), 'like', `%${org.toLowerCase().replace(/[%_\\]/g, '')}%`)]));
      }
      if (f.kind) roles = roles.where('o.kind_code', '=', f.kind);
      if (f.department) roles = roles.where('o.department_code', '=', f.department);
      return eb.exists(roles);
    });
  }
  const [rows, count] = await Promise.all([
    base.selectAll('c').orderBy('c.last_name').orderBy('c.first_name').orderBy('c.id').limit(f.limit).offset(f.offset).execute(),
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
      .orderBy('o.name')
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

export function contactsOfOrganisation(db: Db, organisationId: string) {
  return db
    .selectFrom('contacts as c')
    .innerJoin('contact_roles as r', 'r.contact_id', 'c.id')
    .select(['c.id', 'c.civility', 'c.first_name', 'c.last_name', 'c.public_profile', 'r.function', 'r.is_main'])
    .where('r.organisation_id', '=', organisationId)
    .where('c.erased_at', 'is', null)
    .orderBy('r.is_main', 'desc')
    .orderBy('c.last_name')
    .execute();
}

/** Only people who consented to a public profile, never erased ones. */
export function publicContactsOfOrganisation(db: Db, organisationId: string) {
  return db
    .selectFrom('contacts as c')
    .innerJoin('contact_roles as r', 'r.contact_id', 'c.id')
    .select(['c.id', 'c.civility', 'c.first_name', 'c.last_name', 'r.function', 'r.is_main'])
    .where('r.organisation_id', '=', organisationId)
    .where('c.public_profile', '=', 1)
    .where('c.erased_at', 'is', null)
    .orderBy('r.is_main', 'desc')
    .orderBy('c.last_name')
    .execute();
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

export function auditAbout(db: Db, entityType: string, entityId: string) {
  return db.selectFrom('audit_log').selectAll().where('entity_type', '=', entityType).where('entity_id', '=', entityId).orderBy('at').orderBy('id').execute();
}

/** Anonymises a contact in one transaction: identity gone, statistics (interests, consent events) kept. */
export async function eraseContact(
  db: Db,
  id: string,
  at: string,
  interactionTexts: { id: string; text: string }[],
  auditTexts: { id: string; before: string | null; after: string | null }[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('contacts')
      .set({ civility: null, first_name: null, last_name: 'Contact effacé', phone: null, notes: null, public_profile: 0, erased_at: at, updated_at: at })
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
