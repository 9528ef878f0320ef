import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Kysely } from 'kysely';
import { type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import type { Database } from '../../db/schema.js';
import { scanDuplicates } from '../duplicates/index.js';
import { contactSortNameOf, draftOf, findOrganisationById, findOrganisationBySlug, sortNameOf, updateOrganisation } from '../organisations/index.js';
import { newId } from '../../kernel/ids.js';
import { dismissCandidate } from './dismiss.js';
import { isMergeError } from './errors.js';
import { tableColumns } from './journal-repo.js';
import { mergeCandidate, autoMergePair } from './merge-candidate.js';
import { mergeOrganisations } from './merge.js';
import { REFERENCES } from './references.js';
import { addCandidate, addOrganisation, seedWorld } from './test-world.js';
import { undoMerge } from './undo.js';

type Row = Record<string, unknown>;
type Loose = Kysely<Record<string, Row>>;

const staffActor = { id: null, email: 'equipe@example.org' };

/** Tables whose content a merge and its undo must leave exactly as it was (all but logs and internals). */
const UNCOMPARED = /^(audit_log|merges|change_counters|sessions|jobs|login_attempts|users|kysely_migration.*|organisations_fts.*)$/;

/** Every row of every compared table, in a stable order. */
async function dump(db: Kysely<Database>): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of [...(await tableColumns(db)).keys()].filter((t) => !UNCOMPARED.test(t)).sort()) {
    const rows = (await (db as unknown as Loose).selectFrom(table).selectAll().execute()) as Row[];
    out[table] = rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b))))).sort();
  }
  return out;
}

async function count(db: Kysely<Database>, table: string, where: Row): Promise<number> {
  let q = (db as unknown as Loose).selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
  for (const [c, v] of Object.entries(where)) q = q.where(c, '=', v);
  return Number((await q.executeTakeFirstOrThrow())['n']);
}

async function rejects(promise: Promise<unknown>, key: string): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isMergeError(error), String(error));
    assert.equal(error.key, key);
    return error.message;
  }
  assert.fail(`expected ${key}`);
}

forEachDialect('merge: organisations, contacts, undo, "not a duplicate"', (dialect) => {
  let t: TestApp;
  const deps = () => ({ db: t.kernel.db, clock: t.kernel.clock });
  const db = () => t.kernel.db;

  before(async () => {
    t = await testApp(dialect);
  });
  after(() => t.close());

  test('a merge keeps the chosen values, unites the lists and repoints every registered table', async () => {
    const w = await seedWorld(deps(), 'Unir');
    const outcome = await mergeCandidate(deps(), staffActor, w.candidate, { survivorId: w.survivor.id, choices: { name: w.absorbed.id } });

    assert.equal(await findOrganisationById(db(), w.absorbed.id), undefined, 'the absorbed record is gone');
    const s = (await findOrganisationById(db(), w.survivor.id))!;
    // Chosen: the name; defaults: the more complete value (website, phone, description), not "other" as kind.
    assert.equal(s.name, w.absorbed.name);
    assert.equal(s.sort_name, sortNameOf(w.absorbed.name));
    assert.equal(s.slug, w.absorbed.slug, 'the address follows the name');
    assert.equal(s.website, w.absorbed.website);
    assert.equal(s.phone, w.absorbed.phone);
    assert.equal(s.email, w.survivor.email);
    assert.equal(s.kind_code, 'association');
    assert.equal(s.description_html, w.absorbed.description_html);
    assert.match(s.search_text, /mali/, 'search text covers the united countries');
    // Lists united.
    assert.deepEqual([...s.themes].sort(), ['education_training', 'health', 'water_sanitation']);
    assert.deepEqual([...s.countries].sort(), ['ML', 'SN']);
    assert.deepEqual(s.zones, ['west_africa']);
    assert.deepEqual([...s.sdgs].sort(), [4, 6]);
    assert.deepEqual(s.colleges, ['associations']);
    const tags = await db().selectFrom('organisation_tags').select('tag').where('organisation_id', '=', s.id).orderBy('tag').execute();
    assert.deepEqual(tags.map((r) => r.tag), ['import-2016', 'partenaire']);
    const memberships = await db().selectFrom('memberships').select(['year', 'status']).where('organisation_id', '=', s.id).orderBy('year').execute();
    assert.deepEqual(memberships, [{ year: 2024, status: 'paid' }, { year: 2025, status: 'paid' }], 'a year both have keeps the survivor’s');
    const users = await db().selectFrom('user_organisations').select('user_id').where('organisation_id', '=', s.id).execute();
    assert.deepEqual(users.map((u) => u.user_id).sort(), [w.users.both, w.users.absorbedOnly].sort());
    assert.equal(await count(db(), 'interactions', { organisation_id: s.id }), 3);
    assert.equal(await count(db(), 'account_requests', { organisation_id: s.id }), 1);
    assert.equal(await count(db(), 'proposals', { entity_id: s.id }), 2, 'proposals about the organisation and its marker follow it');
    assert.equal(await count(db(), 'proposals', { entity_id: w.absorbed.id, entity_type: 'event' }), 1, 'another kind of record with the same id is left alone');
    const filter = await db().selectFrom('saved_filters').select('query').where('name', '=', 'Contacts Unir').executeTakeFirstOrThrow();
    assert.equal(filter.query, `organisation=${s.id}&q=eau`);

    // Nothing registered points at the absorbed record any more.
    for (const ref of REFERENCES) {
      if (ref.kind === 'column' && ref.target === 'organisation') {
        let q = (db() as unknown as Loose).selectFrom(ref.table).select((eb) => eb.fn.countAll<number>().as('n')).where(ref.column, '=', w.absorbed.id);
        if (ref.scope) q = q.where(ref.scope.column, 'in', [...ref.scope.values]);
        assert.equal(Number((await q.executeTakeFirstOrThrow())['n']), 0, `${ref.table}.${ref.column}`);
      }
    }
    // Candidate pairs: the decided one is recorded by the merge, the others follow the survivor.
    assert.equal(outcome.candidateId, w.candidate);
    const pairs = await db()
      .selectFrom('duplicate_candidates')
      .selectAll()
      .where((eb) => eb.or([eb('organisation_a_id', 'in', [w.absorbed.id, w.survivor.id]), eb('organisation_b_id', 'in', [w.absorbed.id, w.survivor.id])]))
      .execute();
    assert.ok(!pairs.some((p) => p.organisation_a_id === w.absorbed.id || p.organisation_b_id === w.absorbed.id));
    const moved = pairs.find((p) => p.id === w.movedCandidate)!;
    assert.deepEqual([moved.organisation_a_id, moved.organisation_b_id], [w.survivor.id, w.other.id].sort());
    assert.equal(moved.status, 'pending');
    assert.ok(!pairs.some((p) => p.id === w.droppedCandidate), 'a pair the survivor already has is dropped');
    const merge = await db().selectFrom('merges').selectAll().where('id', '=', outcome.mergeId).executeTakeFirstOrThrow();
    assert.equal(merge.candidate_id, w.candidate);
    assert.equal(merge.kind, 'manual');
    assert.equal(merge.absorbed_slug, w.absorbed.slug);

    const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'organisation.merged').where('entity_id', '=', s.id).executeTakeFirstOrThrow();
    assert.equal(audit.actor_email, 'equipe@example.org');
    assert.match(audit.before!, new RegExp(`"name":"EAU VIVE Unir"`));
    assert.match(audit.after!, /"merge_id"/);
  });

  test('the absorbed record’s addresses lead to the survivor (301)', async () => {
    const w = await seedWorld(deps(), 'Adresse');
    await mergeCandidate(deps(), staffActor, w.candidate, { survivorId: w.survivor.id });
    const visitor = t.client();
    for (const slug of [w.absorbed.slug, w.oldSlug]) {
      const res = await visitor.get(`/acteurs/${slug}`);
      assert.equal(res.statusCode, 301, slug);
      assert.equal(res.headers.location, `/acteurs/${w.survivor.slug}`);
    }
    assert.equal((await findOrganisationBySlug(db(), w.absorbed.slug))?.organisation.id, w.survivor.id);
    assert.equal((await visitor.get(`/acteurs/${w.survivor.slug}`)).statusCode, 200);
  });

  test('a survivor taking the other’s name takes that name’s address; every former address redirects, and the undo restores them', async () => {
    const w = await seedWorld(deps(), 'Chemins');
    const before = await dump(db());
    const outcome = await mergeCandidate(deps(), staffActor, w.candidate, { survivorId: w.survivor.id, choices: { name: w.absorbed.id } });
    const s = (await findOrganisationById(db(), w.survivor.id))!;
    assert.equal(s.slug, w.absorbed.slug, 'the absorbed record’s address, made from that name and free once it is gone');
    const visitor = t.client();
    for (const slug of [w.survivor.slug, w.oldSlug]) {
      const res = await visitor.get(`/acteurs/${slug}`);
      assert.equal(res.statusCode, 301, slug);
      assert.equal(res.headers.location, `/acteurs/${w.absorbed.slug}`);
    }
    assert.equal((await visitor.get(`/acteurs/${w.absorbed.slug}`)).statusCode, 200);

    await undoMerge(deps(), staffActor, outcome.mergeId);
    assert.deepEqual(await dump(db()), before, 'both addresses and the redirects as they were');
    assert.equal((await findOrganisationBySlug(db(), w.survivor.slug))?.organisation.id, w.survivor.id);
    assert.equal((await findOrganisationBySlug(db(), w.absorbed.slug))?.organisation.id, w.absorbed.id);
    assert.equal((await visitor.get(`/acteurs/${w.survivor.slug}`)).statusCode, 200);
    assert.equal((await visitor.get(`/acteurs/${w.absorbed.slug}`)).statusCode, 200);
  });

  test('a name whose address neither record has gets a new one, a former address of the survivor if free', async () => {
    const a = await addOrganisation(deps(), { name: 'Amis de Kaolack Talence', commune: '33522' });
    const b = await addOrganisation(deps(), { name: 'Amis Kaolack', commune: '33522' });
    // Renamed outside the form (as an import writes it): its address was made from its former name.
    await db().updateTable('organisations').set({ name: 'Les Amis de Kaolack' }).where('id', '=', b.id).execute();
    await db().insertInto('organisation_slugs').values({ slug: 'les-amis-de-kaolack', organisation_id: a.id }).execute();
    const before = await dump(db());
    const done = await mergeOrganisations(deps(), staffActor, { survivorId: a.id, absorbedId: b.id, choices: { name: b.id } });
    assert.equal(done.survivor.slug, 'les-amis-de-kaolack', 'its own former address, leading to it already');
    const visitor = t.client();
    for (const slug of [a.slug, b.slug]) assert.equal((await visitor.get(`/acteurs/${slug}`)).headers.location, '/acteurs/les-amis-de-kaolack', slug);
    assert.equal((await visitor.get('/acteurs/les-amis-de-kaolack')).statusCode, 200);
    await undoMerge(deps(), staffActor, done.mergeId);
    assert.deepEqual(await dump(db()), before);
  });

  test('a survivor renamed after the merge keeps its new address through the undo; its first one leads to it again', async () => {
    const w = await seedWorld(deps(), 'Renomme');
    const outcome = await mergeCandidate(deps(), staffActor, w.candidate, { survivorId: w.survivor.id, choices: { name: w.absorbed.id } });
    const merged = (await findOrganisationById(db(), w.survivor.id))!;
    const renamed = (await updateOrganisation(deps(), staffActor, w.survivor.id, { ...draftOf(merged), name: 'Eau Vive Aquitaine Renomme' }))!;
    assert.equal(renamed.slug, 'eau-vive-aquitaine-renomme');
    await undoMerge(deps(), staffActor, outcome.mergeId);
    const visitor = t.client();
    const first = await visitor.get(`/acteurs/${w.survivor.slug}`);
    assert.equal(first.statusCode, 301);
    assert.equal(first.headers.location, '/acteurs/eau-vive-aquitaine-renomme');
    assert.equal((await findOrganisationById(db(), w.survivor.id))?.name, 'Eau Vive Aquitaine Renomme', 'the edit is kept');
    assert.equal((await findOrganisationBySlug(db(), w.absorbed.slug))?.organisation.id, w.absorbed.id, 'the restored record’s own address');
    assert.equal(await count(db(), 'organisation_slugs', { slug: w.absorbed.slug }), 0, 'and no redirect of it left');
    assert.equal((await visitor.get(`/acteurs/${w.absorbed.slug}`)).statusCode, 200);
  });

  test('contacts who are the same person merge, with their emails, interests and consent history', async () => {
    const w = await seedWorld(deps(), 'Contacts');
    const c = w.contacts;
    const outcome = await mergeCandidate(deps(), staffActor, w.candidate, { survivorId: w.survivor.id });
    assert.equal(outcome.contactsMerged, 2);
    const gone = await db().selectFrom('contacts').select('id').where('id', 'in', [c.marieA, c.jeanA]).execute();
    assert.deepEqual(gone, [], 'same email (any case), same first and last name (folded): merged');
    const marie = await db().selectFrom('contacts').selectAll().where('id', '=', c.marieS).executeTakeFirstOrThrow();
    assert.equal(marie.phone, '+33556000001', 'an empty field takes the duplicate’s value');
    assert.equal(marie.notes, 'Présidente\n\nContact 2016');
    const emails = await db().selectFrom('contact_emails').select(['email_lower', 'is_primary']).where('contact_id', '=', c.marieS).orderBy('email_lower').execute();
    assert.deepEqual(emails, [
      { email_lower: 'marie.dupont@contacts.example.org', is_primary: 1 },
      { email_lower: 'marie@perso-contacts.example.org', is_primary: 0 },
    ]);
    const consents = await db().selectFrom('consents').select(['event', 'at']).where('contact_id', '=', c.marieS).orderBy('at').execute();
    assert.deepEqual(
      consents.map((k) => k.event),
      ['informed', 'given', 'informed'],
      'the whole consent history is kept',
    );
    assert.equal(await count(db(), 'contact_themes', { contact_id: c.marieS, theme_code: 'health' }), 1);
    assert.equal(await count(db(), 'contact_countries', { contact_id: c.marieS, country_code: 'ML' }), 1);
    const roles = await db().selectFrom('contact_roles').select(['contact_id', 'is_main']).where('organisation_id', '=', w.survivor.id).execute();
    assert.deepEqual(roles.map((r) => r.contact_id).sort(), [c.marieS, c.jeanS, c.paul, c.erased].sort(), 'other people join the survivor, once each');
    assert.equal(roles.filter((r) => r.is_main === 1).length, 1, 'one main contact');
    const history = await db().selectFrom('audit_log').select(['action', 'before']).where('entity_type', '=', 'contact').where('entity_id', '=', c.marieS).execute();
    assert.ok(history.some((h) => h.action === 'contact.merged' && h.before?.includes(c.marieA)), 'the person’s history tells the merge');

    // The person asks for erasure (RGPD, through the back office): what the merge kept to undo it
    // is blanked too, and the undo, which would bring their data back, is refused.
    const journalOf = async () => (await db().selectFrom('merges').select('journal').where('id', '=', outcome.mergeId).executeTakeFirstOrThrow()).journal;
    assert.match(await journalOf(), /marie@perso-contacts\.example\.org/i, 'the journal held the absorbed duplicate’s email');
    assert.match(await journalOf(), /dupont\\tmarie/, 'and its sort key');
    const staff = await t.loginAs('staff', 'rgpd-merge@example.org');
    assert.equal((await staff.post(`/admin/contacts/${c.marieS}/effacer`)).statusCode, 303);
    const journal = await journalOf();
    assert.doesNotMatch(journal, /marie@perso-contacts|marie\.dupont@|\+33556000001|Contact 2016|dupont\\tmarie/i, 'no trace of the person left in the merge journal (nor in the sort key of the duplicate it deleted)');
    const message = await rejects(undoMerge(deps(), staffActor, outcome.mergeId), 'merge.error.contactErased');
    assert.match(message, /effacé à sa demande/);
  });

  test('undo restores both records and every row exactly; the pair is pending again', async () => {
    const w = await seedWorld(deps(), 'Annuler');
    const before = await dump(db());
    const outcome = await mergeCandidate(deps(), staffActor, w.candidate, { survivorId: w.absorbed.id, choices: { name: w.survivor.id, place: w.survivor.id } });
    assert.notDeepEqual(await dump(db()), before);
    const result = await undoMerge(deps(), staffActor, outcome.mergeId);
    assert.equal(result.skipped, 0);
    assert.equal(result.candidateId, w.candidate);
    assert.deepEqual(await dump(db()), before);
    const merge = await db().selectFrom('merges').selectAll().where('id', '=', outcome.mergeId).executeTakeFirstOrThrow();
    assert.ok(merge.undone_at);
    const candidate = await db().selectFrom('duplicate_candidates').select('status').where('id', '=', w.candidate).executeTakeFirstOrThrow();
    assert.equal(candidate.status, 'pending');
    assert.equal((await t.client().get(`/acteurs/${w.survivor.slug}`)).statusCode, 200, 'both addresses are their own again');
    assert.equal((await t.client().get(`/acteurs/${w.absorbed.slug}`)).statusCode, 200);
    assert.equal(await count(db(), 'audit_log', { action: 'organisation.merge_undone', entity_id: w.absorbed.id }), 1);
    const again = await rejects(undoMerge(deps(), staffActor, outcome.mergeId), 'merge.error.alreadyUndone');
    assert.match(again, /déjà été annulée/);
  });

  test('undo records the contacts it puts back: listed in the undo’s entry, and a line of each person’s own history', async () => {
    const w = await seedWorld(deps(), 'Rendus');
    const c = w.contacts;
    const outcome = await mergeCandidate(deps(), staffActor, w.candidate, { survivorId: w.survivor.id });
    assert.equal(outcome.contactsMerged, 2);
    await undoMerge(deps(), staffActor, outcome.mergeId);

    const entry = async (action: string, entityId: string) => {
      const rows = await db().selectFrom('audit_log').select(['actor_email', 'before', 'after']).where('action', '=', action).where('entity_id', '=', entityId).execute();
      assert.equal(rows.length, 1, `one ${action} entry for ${entityId}`);
      return { actor: rows[0]!.actor_email, after: JSON.parse(rows[0]!.after ?? 'null') as Record<string, unknown> };
    };
    // As the merge listed the contacts it joined (contacts_merged), its undo lists those it separated again.
    const undone = await entry('organisation.merge_undone', w.survivor.id);
    const byRestored = (a: { restored: string }, b: { restored: string }) => a.restored.localeCompare(b.restored);
    assert.deepEqual(
      (undone.after['contacts_restored'] as { restored: string }[]).sort(byRestored),
      [
        { restored: c.marieA, split_from: c.marieS },
        { restored: c.jeanA, split_from: c.jeanS },
      ].sort(byRestored),
    );
    // Each person put back has it in their own history, as a restored organisation has.
    for (const [restored, keptOne] of [[c.marieA, c.marieS], [c.jeanA, c.jeanS]] as const) {
      const own = await entry('contact.restored', restored);
      assert.deepEqual(own, { actor: staffActor.email, after: { merge_id: outcome.mergeId, split_from: keptOne, organisation_id: w.absorbed.id } });
    }
    assert.equal(await count(db(), 'audit_log', { action: 'contact.restored', entity_id: c.paul }), 0, 'a person who was never merged has nothing to be restored from');

    // The restored person's page says so in words.
    const staff = await t.loginAs('staff', 'rendus-merge@example.org');
    const page = await staff.get(`/admin/contacts/${c.marieA}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Contact rétabli après une fusion annulée/);
    assert.match(page.body, /La fusion qui avait réuni ce contact à un autre a été annulée\s:\sil est de nouveau une fiche à part\./);
  });

  test('undo puts back a pair whose two records both moved, whatever the order of the ids', async () => {
    // Ids made a millisecond apart, in a chosen order (ids of one millisecond fall in any order).
    const start = Date.now() - 60_000;
    const at = (ms: number) => ({ db: db(), clock: { now: () => new Date(start + ms) } });
    const org = (ms: number, name: string) => addOrganisation(at(ms), { name, commune: '33063' });

    // Survivor < other < absorbed: the pair (other, absorbed) becomes (survivor, other), both columns changed.
    const survivor = await org(0, 'Ordre Premier');
    const other = await org(1, 'Ordre Second');
    const absorbed = await org(2, 'Ordre Troisième');
    await addCandidate(at(3), other.id, absorbed.id);
    let before = await dump(db());
    let outcome = await mergeOrganisations(deps(), staffActor, { survivorId: survivor.id, absorbedId: absorbed.id });
    assert.equal((await undoMerge(deps(), staffActor, outcome.mergeId)).skipped, 0);
    assert.deepEqual(await dump(db()), before);

    // Absorbed < other < survivor, the pair with the other older than the merged pair: set back one
    // column at a time, it would be the merged pair again, restored just before.
    const absorbed2 = await org(10, 'Ordre Quatrième');
    const other2 = await org(11, 'Ordre Cinquième');
    const survivor2 = await org(12, 'Ordre Sixième');
    await addCandidate(at(13), absorbed2.id, other2.id);
    const pair = await addCandidate(at(14), absorbed2.id, survivor2.id);
    before = await dump(db());
    outcome = await mergeCandidate(deps(), staffActor, pair, { survivorId: survivor2.id });
    assert.equal((await undoMerge(deps(), staffActor, outcome.mergeId)).skipped, 0);
    assert.deepEqual(await dump(db()), before);
  });

  test('an undo waits for a later merge of the same record; an edit made since the merge is kept', async () => {
    const w = await seedWorld(deps(), 'Suite');
    const first = await mergeCandidate(deps(), staffActor, w.candidate, { survivorId: w.survivor.id });
    const second = await mergeCandidate(deps(), staffActor, w.movedCandidate, { survivorId: w.survivor.id });
    const message = await rejects(undoMerge(deps(), staffActor, first.mergeId), 'merge.error.laterMerge');
    assert.match(message, /Impossible d’annuler cette fusion : une fusion plus récente/);
    assert.match(message, /Eau Vive Landes Suite/);
    await undoMerge(deps(), staffActor, second.mergeId);
    assert.ok(await findOrganisationById(db(), w.other.id), 'the later merge is undone first');

    // An edit of the survivor after the merge: the undo keeps it, and restores the rest.
    const merged = (await findOrganisationById(db(), w.survivor.id))!;
    assert.equal(merged.website, w.absorbed.website, 'taken from the absorbed record (the survivor had none)');
    await db().updateTable('organisations').set({ website: 'https://nouveau-suite.example.org' }).where('id', '=', w.survivor.id).execute();
    const result = await undoMerge(deps(), staffActor, first.mergeId);
    assert.equal(result.skipped, 1);
    const s = (await findOrganisationById(db(), w.survivor.id))!;
    assert.equal(s.website, 'https://nouveau-suite.example.org');
    assert.equal(s.name, w.survivor.name, 'the rest is restored');
    assert.equal(s.phone, null);
    assert.ok(await findOrganisationById(db(), w.absorbed.id));
  });

  test('a first name taken from the duplicate moves the contact in name order; the undo, and an edit made since, keep the sort key true to the names', async () => {
    const w = await seedWorld(deps(), 'Ordre');
    const at = new Date().toISOString();
    const person = async (first: string | null, last: string, organisationId: string, email: string) => {
      const id = newId();
      await db().insertInto('contacts').values({ id, first_name: first, last_name: last, sort_name: contactSortNameOf({ first_name: first, last_name: last }), source: 'manual', public_profile: 0, created_at: at, updated_at: at }).execute();
      await db().insertInto('contact_emails').values({ contact_id: id, email, email_lower: email.toLowerCase(), is_primary: 1 }).execute();
      await db().insertInto('contact_roles').values({ contact_id: id, organisation_id: organisationId, function: null, is_main: 0 }).execute();
      return id;
    };
    const sow = await person(null, 'Sow', w.survivor.id, 'sow@ordre.example.org');
    await person('Awa', 'SOW', w.absorbed.id, 'SOW@ordre.example.org');
    const keyOf = async () => (await db().selectFrom('contacts').select(['first_name', 'sort_name']).where('id', '=', sow).executeTakeFirstOrThrow());
    assert.deepEqual(await keyOf(), { first_name: null, sort_name: 'sow\t' });

    const first = await mergeCandidate(deps(), staffActor, w.candidate, { survivorId: w.survivor.id });
    assert.deepEqual(await keyOf(), { first_name: 'Awa', sort_name: 'sow\tawa' }, 'the first name taken from the duplicate is in the key');
    await undoMerge(deps(), staffActor, first.mergeId);
    assert.deepEqual(await keyOf(), { first_name: null, sort_name: 'sow\t' }, 'the undo takes it back with the first name');

    // Renamed in the back office after the merge: the undo keeps the new surname, takes the first
    // name back, and the key follows both.
    const second = await mergeCandidate(deps(), staffActor, w.candidate, { survivorId: w.survivor.id });
    const staff = await t.loginAs('staff', 'ordre-merge@example.org');
    const edit = await staff.post(`/admin/contacts/${sow}`, { first_name: 'Awa', last_name: 'Ndiaye', emails: 'sow@ordre.example.org', role_org_0: w.survivor.id });
    assert.equal(edit.statusCode, 303);
    assert.deepEqual(await keyOf(), { first_name: 'Awa', sort_name: 'ndiaye\tawa' });
    const result = await undoMerge(deps(), staffActor, second.mergeId);
    assert.ok(result.skipped >= 1, 'the edit is kept');
    const after = await db().selectFrom('contacts').select(['first_name', 'last_name', 'sort_name']).where('id', '=', sow).executeTakeFirstOrThrow();
    assert.deepEqual(after, { first_name: null, last_name: 'Ndiaye', sort_name: contactSortNameOf({ first_name: null, last_name: 'Ndiaye' }) });
  });

  test('"not a duplicate" is remembered: the pair stays dismissed, even after a scan', async () => {
    const first = await addOrganisation(deps(), { name: 'Comité de jumelage Talence Kaolack', commune: '33522', phone: '05 57 00 11 22', email: 'jumelage@talence-kaolack.example.org' });
    const second = await addOrganisation(deps(), { name: 'Comite jumelage Talence-Kaolack', commune: '33522', phone: '05 57 00 11 22', email: 'jumelage@talence-kaolack.example.org' });
    const id = await addCandidate(deps(), first.id, second.id, 'pending', 0.99);
    assert.equal(await dismissCandidate(deps(), staffActor, id), true);
    assert.equal(await dismissCandidate(deps(), staffActor, id), false, 'a second dismissal changes nothing');
    await rejects(mergeCandidate(deps(), staffActor, id), 'merge.error.decided');
    await scanDuplicates(deps());
    const row = await db().selectFrom('duplicate_candidates').select(['status', 'decided_at']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'dismissed');
    assert.ok(row.decided_at);
    assert.equal(await count(db(), 'audit_log', { action: 'duplicate.dismissed', entity_id: id }), 1);
  });

  test('the automatic merge follows records merged earlier in the same scan', async () => {
    const a = await addOrganisation(deps(), { name: 'Ingénieurs Solidaires Aquitaine', commune: '33281' });
    const b = await addOrganisation(deps(), { name: 'INGENIEURS SOLIDAIRES AQUITAINE', commune: '33281' });
    const c = await addOrganisation(deps(), { name: 'Ingénieurs solidaires (Aquitaine)', commune: '33281' });
    const ab = await addCandidate(deps(), a.id, b.id);
    const bc = await addCandidate(deps(), b.id, c.id);
    const ac = await addCandidate(deps(), a.id, c.id);
    const first = await autoMergePair(deps(), { id: ab, a: { id: a.id }, b: { id: b.id } });
    assert.ok(first);
    assert.equal(first.survivor.id, a.id, 'the record created first survives');
    // (b, c) became (a, c), which already existed: dropped; its merge follows b to a.
    const second = await autoMergePair(deps(), { id: bc, a: { id: b.id }, b: { id: c.id } });
    assert.ok(second);
    assert.equal(second.survivor.id, a.id);
    assert.equal(await autoMergePair(deps(), { id: ac, a: { id: a.id }, b: { id: c.id } }), null, 'already one record');
    const merges = await db().selectFrom('merges').select(['kind']).where('survivor_id', '=', a.id).execute();
    assert.deepEqual(merges.map((m) => m.kind), ['auto', 'auto']);
    assert.equal(await count(db(), 'audit_log', { action: 'organisation.auto_merged', entity_id: a.id }), 2);
  });

  test('a record cannot merge with itself, nor a vanished one; choices name one of the two', async () => {
    const a = await addOrganisation(deps(), { name: 'Cités Unies Gironde', commune: '33063' });
    const b = await addOrganisation(deps(), { name: 'Cites Unies Gironde', commune: '33063' });
    await rejects(mergeOrganisations(deps(), staffActor, { survivorId: a.id, absorbedId: a.id }), 'merge.error.same');
    await rejects(mergeOrganisations(deps(), staffActor, { survivorId: a.id, absorbedId: b.id, choices: { name: 'x' } }), 'merge.error.choice');
    await rejects(mergeOrganisations(deps(), staffActor, { survivorId: a.id, absorbedId: '00000000-0000-7000-8000-000000000000' }), 'merge.error.gone');
    const done = await mergeOrganisations(deps(), staffActor, { survivorId: b.id, absorbedId: a.id });
    assert.equal(done.candidateId, null, 'no candidate pair: merged all the same');
  });

  test('identifiers an import kept raw stay flagged with their value through a merge, and the undo restores both flags', async () => {
    const a = await addOrganisation(deps(), { name: 'Terre et Partage Mérignac', commune: '33281' });
    const b = await addOrganisation(deps(), { name: 'Terre & Partage Mérignac', commune: '33281' });
    // As an import leaves them: the survivor's SIREN and the absorbed record's SIRET failed their check.
    const flag = (id: string, values: Record<string, string | null>) => db().updateTable('organisations').set(values).where('id', '=', id).execute();
    await flag(a.id, { siren: '123 456 78', source_flags: '["siren"]' });
    await flag(b.id, { siren: '552100554', siret: '552 100 554 00099', source_flags: '["siret"]' });
    // The absorbed record's valid SIREN replaces the survivor's bad one; its flagged SIRET comes along (the survivor had none).
    const done = await mergeOrganisations(deps(), staffActor, { survivorId: a.id, absorbedId: b.id, choices: { siren: b.id } });
    const merged = (await findOrganisationById(db(), done.survivor.id))!;
    assert.deepEqual([merged.siren, merged.siret, merged.source_flags], ['552100554', '552 100 554 00099', '["siret"]']);
    await undoMerge(deps(), staffActor, done.mergeId);
    const [survivor, absorbed] = [(await findOrganisationById(db(), a.id))!, (await findOrganisationById(db(), b.id))!];
    assert.deepEqual([survivor.siren, survivor.siret, survivor.source_flags], ['123 456 78', null, '["siren"]']);
    assert.deepEqual([absorbed.siret, absorbed.source_flags], ['552 100 554 00099', '["siret"]']);

    // Keeping the survivor's own SIREN keeps its flag.
    const again = await mergeOrganisations(deps(), staffActor, { survivorId: a.id, absorbedId: b.id, choices: { siren: a.id } });
    assert.equal((await findOrganisationById(db(), again.survivor.id))!.source_flags, '["siren","siret"]');
  });
});
