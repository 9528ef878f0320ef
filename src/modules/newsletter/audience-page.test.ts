// The audience page is counted and paged by the database (one count query, one page query): it
// must show the same people, with the same names and reasons, in the same order, with the same
// counts as the walk that the start of a send runs. Every rule of the audience is exercised once:
// legal basis from the consent events (last event by time, then by id), a contact's best address,
// an address shared by contacts, the suppression list (hashed as typed), erased contacts,
// organisations outside the segment, unconfirmed and other lists.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { newId } from '../../kernel/ids.js';
import { type AudienceMember, previewAudience, resolveTarget, walkAudience } from './audience.js';
import { newsletterDeps } from './deps.js';
import { saveNewsletterSettings } from './settings.js';
import { emailHash } from './tokens.js';

async function post(client: Client, url: string, fields: Array<[string, string]>) {
  const body = new URLSearchParams(fields);
  body.set('_csrf', await client.csrf());
  return client.request('POST', url, { payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

/** The rows of an audience page's table: address, name, reason, in the order shown. */
const shownRows = (html: string) => [...(/<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '').matchAll(/<tr><td>([^<]*)<\/td><td[^>]*>([^<]*)<\/td><td[^>]*>([^<]*)<\/td>/g)].map((m) => [m[1]!, m[2]!, m[3]!]);

const VIA = { list: 'abonné·e', segment: 'contact du segment', both: 'abonné·e et contact du segment' } as const;

/** Who the mailing reaches, in address order: [address as written, name, why]. */
const EXPECTED: Array<[string, string, keyof typeof VIA]> = [
  ['alice@example.org', 'Alice Martin', 'segment'],
  // Subscriber; the contact of the same address withdrew from the newsletter.
  ['bruno@example.org', 'Bruno Abonné', 'list'],
  // Withdrew, then gave consent again later (the later event wins, whatever the row ids).
  ['david@example.org', 'David Petit', 'segment'],
  // Withdrew from the contact database, but was informed for the newsletter afterwards.
  ['emma@example.org', 'Emma Roux', 'segment'],
  // Two contacts share it: the first (by id) has no legal basis, the second is used.
  ['karim@example.org', 'Karim Deux', 'segment'],
  // A role in the segment's organisation and one outside it: once.
  ['nadia@example.org', 'Nadia Double', 'segment'],
  // Primary address, not the secondary one that comes first alphabetically.
  ['quentin@example.org', 'Quentin Primaire', 'segment'],
  // No primary address: the first in address order.
  ['rose1@example.org', 'Rose Sansprimaire', 'segment'],
  ['Theo.Dupont@Example.org', 'Théo Dupont', 'list'],
  ['victor@example.org', 'Victor Abonné', 'both'],
  ['zoe@example.org', 'Zoé Abonnée', 'list'],
];

forEachDialect('newsletter: the audience page counts and pages like the send', (dialect) => {
  let t: TestApp;
  let staff: Client;
  const ids: Record<string, string> = {};
  const db = () => t.kernel.db;
  const at = '2026-10-01T09:00:00.000Z';
  const later = '2026-10-02T09:00:00.000Z';

  async function subscriber(email: string, name: string, listId: string, status: 'confirmed' | 'unconfirmed' = 'confirmed') {
    const id = newId();
    await db().insertInto('newsletter_subscribers').values({ id, email, email_lower: email.toLowerCase(), name, organisation: null, contact_id: null, token: `jeton-${id.replace(/-/g, '')}`, created_at: at, updated_at: at }).execute();
    await db().insertInto('newsletter_subscriptions').values({ subscriber_id: id, list_id: listId, status, created_at: at, updated_at: at }).execute();
  }

  async function contact(
    person: { id?: string; first: string; last: string; erased?: boolean },
    organisations: string[],
    emails: Array<{ email: string; primary: boolean }>,
    events: Array<{ id?: string; purpose: 'newsletter' | 'contact_database'; event: string; at?: string }>,
  ) {
    const id = person.id ?? newId();
    await db()
      .insertInto('contacts')
      .values({ id, first_name: person.first, last_name: person.last, source: 'staff', public_profile: 0, created_at: at, updated_at: at, erased_at: person.erased ? at : null })
      .execute();
    for (const organisationId of organisations) await db().insertInto('contact_roles').values({ contact_id: id, organisation_id: organisationId, function: null, is_main: 0 }).execute();
    for (const e of emails) await db().insertInto('contact_emails').values({ contact_id: id, email: e.email, email_lower: e.email.toLowerCase(), is_primary: e.primary ? 1 : 0 }).execute();
    for (const e of events) {
      await db()
        .insertInto('consents')
        .values({ id: e.id ?? newId(), contact_id: id, purpose: e.purpose, basis: 'legitimate_interest', event: e.event, source: 'staff', detail: null, ip: null, recorded_by: null, at: e.at ?? at })
        .execute();
    }
  }

  async function list(name: string) {
    assert.equal((await post(staff, '/admin/lettres/listes', [['name', name], ['double_opt_in', '1']])).statusCode, 303);
    return (await db().selectFrom('newsletter_lists').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  }

  async function mailing(subject: string, lists: string[]) {
    const created = await post(staff, '/admin/lettres/nouvelle', [['from_name', 'Réseau Test'], ['subject', subject], ['body', '<p>Bonjour.</p>'], ...lists.map((l): [string, string] => ['lists', l]), ['segment', ids['segment']!]]);
    assert.equal(created.statusCode, 303, created.body.slice(0, 2000));
    return String(created.headers.location).split('/').pop()!;
  }

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff');
    await staff.get('/admin/lettres');
    const org = await post(staff, '/admin/organisations/nouvelle', [['name', 'Eau Vive Gironde'], ['kind_code', 'association'], ['commune', '33063'], ['postcode', '33000'], ['visibility', 'public']]);
    assert.equal(org.statusCode, 303, org.body.slice(0, 2000));
    const inside = String(org.headers.location).split('/').pop()!.split('#')[0]!;
    const other = await post(staff, '/admin/organisations/nouvelle', [['name', 'Mairie de Tulle'], ['kind_code', 'local_authority'], ['commune', '19272'], ['postcode', '19000'], ['visibility', 'public']]);
    assert.equal(other.statusCode, 303, other.body.slice(0, 2000));
    const outside = String(other.headers.location).split('/').pop()!.split('#')[0]!;
    const saved = await staff.post('/admin/organisations/filtres', { name: 'Associations de Gironde', query: 'famille=association&departement=33' });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 2000));
    ids['segment'] = (await db().selectFrom('saved_filters').select('id').where('name', '=', 'Associations de Gironde').executeTakeFirstOrThrow()).id;

    const main = await list('Liste principale');
    const elsewhere = await list('Autre liste');
    ids['big'] = await list('Grande liste');
    for (const [email, name] of [['bruno@example.org', 'Bruno Abonné'], ['ines@example.org', 'Inès Supprimée'], ['Theo.Dupont@Example.org', 'Théo Dupont'], ['Ursula@Example.org', 'Ursula Supprimée'], ['victor@example.org', 'Victor Abonné'], ['zoe@example.org', 'Zoé Abonnée']]) {
      await subscriber(email!, name!, main);
    }
    await subscriber('oscar@example.org', 'Oscar En attente', main, 'unconfirmed');
    await subscriber('paul@example.org', 'Paul Autre liste', elsewhere);

    const informed = [{ purpose: 'contact_database' as const, event: 'informed' }];
    const one = (email: string) => [{ email, primary: true }];
    await contact({ first: 'Alice', last: 'Martin' }, [inside], one('alice@example.org'), informed);
    await contact({ first: 'Bruno', last: 'Contact' }, [inside], one('bruno@example.org'), [{ purpose: 'newsletter', event: 'withdrawn' }]);
    await contact({ first: 'Chloé', last: 'Retrait' }, [inside], one('chloe@example.org'), [
      { purpose: 'contact_database', event: 'given' },
      { purpose: 'newsletter', event: 'withdrawn', at: later },
    ]);
    // The later event has the smaller id: time decides, not the id.
    await contact({ first: 'David', last: 'Petit' }, [inside], one('david@example.org'), [
      { id: 'consent-david-1', purpose: 'newsletter', event: 'given', at: later },
      { id: 'consent-david-2', purpose: 'newsletter', event: 'withdrawn', at },
    ]);
    await contact({ first: 'Emma', last: 'Roux' }, [inside], one('emma@example.org'), [
      { purpose: 'contact_database', event: 'withdrawn' },
      { purpose: 'newsletter', event: 'informed', at: later },
    ]);
    // Two events at the same time: the larger id is the last one.
    await contact({ first: 'Fanny', last: 'Égalité' }, [inside], one('fanny@example.org'), [
      { id: 'consent-fanny-2', purpose: 'newsletter', event: 'withdrawn' },
      { id: 'consent-fanny-1', purpose: 'newsletter', event: 'given' },
    ]);
    await contact({ first: 'Gaspard', last: 'Sansbase' }, [inside], one('gaspard@example.org'), []);
    await contact({ first: 'Hélène', last: 'Supprimée' }, [inside], one('helene@example.org'), informed);
    await contact({ first: 'Julien', last: 'Sansbase' }, [inside], one('julien@example.org'), []);
    await contact({ id: 'contact-karim-1', first: 'Karim', last: 'Un' }, [inside], one('karim@example.org'), [{ purpose: 'contact_database', event: 'withdrawn' }]);
    await contact({ id: 'contact-karim-2', first: 'Karim', last: 'Deux' }, [inside], one('karim@example.org'), informed);
    await contact({ first: 'Léa', last: 'Ailleurs' }, [outside], one('lea@example.org'), informed);
    await contact({ first: 'Marc', last: 'Effacé', erased: true }, [inside], one('marc@example.org'), informed);
    await contact({ first: 'Nadia', last: 'Double' }, [inside, outside], one('nadia@example.org'), informed);
    await contact({ first: 'Quentin', last: 'Primaire' }, [inside], [{ email: 'aaa-quentin@example.org', primary: false }, { email: 'quentin@example.org', primary: true }], informed);
    await contact({ first: 'Rose', last: 'Sansprimaire' }, [inside], [{ email: 'rose2@example.org', primary: false }, { email: 'rose1@example.org', primary: false }], informed);
    await contact({ first: 'Victor', last: 'Contact' }, [inside], one('victor@example.org'), informed);
    await contact({ first: 'Sans', last: 'Adresse' }, [inside], [], informed);
    await contact({ first: 'Sans', last: 'Adresse ailleurs' }, [outside], [], informed);
    // The suppression list holds the hash of the address as it was typed (trimmed, lower-cased).
    for (const email of ['helene@example.org', 'ines@example.org', 'julien@example.org', ' URSULA@example.ORG ']) {
      await db().insertInto('newsletter_suppressions').values({ email_hash: emailHash(email), reason: 'unsubscribed', detail: null, created_at: at }).execute();
    }
    await saveNewsletterSettings({ db: db(), clock: t.kernel.clock }, { ratePerSecond: 0, ratePerHour: 0 });
    ids['main'] = main;
    ids['mailing'] = await mailing('Lettre d’octobre', [main]);
  });
  after(async () => {
    await t.close();
  });

  test('the audience page shows who the send will reach, with their names and why, and counts who is left out', async () => {
    const page = await staff.get(`/admin/lettres/${ids['mailing']}/destinataires`);
    assert.equal(page.statusCode, 200);
    assert.deepEqual(
      shownRows(page.body),
      EXPECTED.map(([email, name, via]) => [email, name, VIA[via]]),
    );
    assert.match(page.body, /11 destinataires si le message partait maintenant\./);
    // Hélène (contact), Inès and Ursula (subscribers); not Julien, who had no legal basis anyway.
    assert.match(page.body, /3 adresses exclues/);
    // Bruno’s contact, Chloé, Fanny, Gaspard, Julien, the first Karim.
    assert.match(page.body, /6 contacts du segment sans base légale/);
    assert.match(page.body, /1 contact du segment sans adresse email/);
    assert.doesNotMatch(page.body, /rel="next"/);
  });

  test('any window of the audience is the same slice of it, with the same counts', async () => {
    const deps = newsletterDeps(t.kernel);
    const target = { listIds: [ids['main']!], segmentId: ids['segment']! };
    for (const [offset, limit] of [[0, 4], [4, 4], [8, 4], [3, 5], [10, 50], [11, 4], [40, 10]] as const) {
      const preview = await previewAudience(deps, target, { offset, limit });
      assert.deepEqual(
        preview.members.map((m) => [m.email, m.name, m.via]),
        EXPECTED.slice(offset, offset + limit),
        `offset ${offset}, limit ${limit}`,
      );
      assert.equal(preview.total, 11);
      assert.deepEqual(preview.excluded, { suppressed: 3, noLegalBasis: 6, noEmail: 1 });
      assert.equal(preview.segmentMissing, false);
    }
  });

  test('viewing the audience page costs as many database statements whatever the audience’s size and the page', async () => {
    const subscribers = Array.from({ length: 1200 }, (_, i) => `m${String(i).padStart(4, '0')}@example.org`);
    for (let i = 0; i < subscribers.length; i += 200) {
      const chunk = subscribers.slice(i, i + 200).map((email) => ({ id: newId(), email }));
      await db()
        .insertInto('newsletter_subscribers')
        .values(chunk.map(({ id, email }) => ({ id, email, email_lower: email, name: null, organisation: null, contact_id: null, token: `jeton-${id.replace(/-/g, '')}`, created_at: at, updated_at: at })))
        .execute();
      await db()
        .insertInto('newsletter_subscriptions')
        .values(chunk.map(({ id }) => ({ subscriber_id: id, list_id: ids['big']!, status: 'confirmed' as const, created_at: at, updated_at: at })))
        .execute();
    }
    const large = await mailing('Grande lettre', [ids['main']!, ids['big']!]);
    // Every statement the application runs goes through this executor (no transaction here). The
    // session's and the site settings' reads and writes are left aside (saved, or their cache renewed,
    // on some views and not on others).
    const executor = db().getExecutor();
    const execute = executor.executeQuery.bind(executor);
    let statements: string[] = [];
    executor.executeQuery = (query) => {
      if (!/"sessions"|"settings"/.test(query.sql)) statements.push(query.sql.slice(0, 80));
      return execute(query);
    };
    const view = async (url: string) => {
      statements = [];
      const page = await staff.get(url);
      assert.equal(page.statusCode, 200);
      return { statements, body: page.body };
    };
    try {
      const small = await view(`/admin/lettres/${ids['mailing']}/destinataires`);
      const first = await view(`/admin/lettres/${large}/destinataires`);
      const last = await view(`/admin/lettres/${large}/destinataires?page=25`);
      assert.match(first.body, /1[\u202f\u00a0]211 destinataires si le message partait maintenant\./);
      assert.match(last.body, /Page 25 sur 25/);
      // The 1,200 m… subscribers come between karim@ and nadia@: the last page holds the last 5 of them.
      assert.deepEqual(
        shownRows(last.body).map((r) => r[0]),
        ['m1195@example.org', 'm1196@example.org', 'm1197@example.org', 'm1198@example.org', 'm1199@example.org', ...EXPECTED.slice(-6).map((e) => e[0])],
      );
      assert.equal(first.statements.length, small.statements.length, [...small.statements, '---', ...first.statements].join('\n'));
      assert.equal(last.statements.length, small.statements.length, [...small.statements, '---', ...last.statements].join('\n'));
    } finally {
      executor.executeQuery = execute;
    }
  });

  test('every page of a large audience, read one after the other, is the send’s audience; a change shows on the next view', async () => {
    // The main list, the 1,200 subscribers of the large list (previous test) and the segment.
    const deps = newsletterDeps(t.kernel);
    const target = { listIds: [ids['main']!, ids['big']!], segmentId: ids['segment']! };
    const walk = async () => {
      const members: AudienceMember[] = [];
      const { source } = await resolveTarget(deps, target);
      const { total, excluded } = await walkAudience(db(), dialect, source, (page) => void members.push(...page), 100);
      return { total, excluded, members: members.map((m) => [m.email, m.name, m.via]) };
    };
    const pages = async () => {
      const first = await previewAudience(deps, target, { offset: 0, limit: 50 });
      const members = first.members.map((m) => [m.email, m.name, m.via]);
      for (let offset = 50; offset < first.total; offset += 50) {
        const page = await previewAudience(deps, target, { offset, limit: 50 });
        assert.equal(page.total, first.total, `offset ${offset}`);
        assert.deepEqual(page.excluded, first.excluded, `offset ${offset}`);
        members.push(...page.members.map((m) => [m.email, m.name, m.via]));
      }
      return { total: first.total, excluded: first.excluded, members };
    };
    const before = await pages();
    assert.equal(before.total, 1211);
    assert.equal(before.members.length, 1211);
    assert.deepEqual(before, await walk());

    // A subscriber of page 3 unsubscribes (suppressed), Alice withdraws, a new subscriber arrives.
    const gone = 'm0120@example.org';
    assert.ok(before.members.findIndex((m) => m[0] === gone) >= 100);
    await db().insertInto('newsletter_suppressions').values({ email_hash: emailHash(gone), reason: 'unsubscribed', detail: null, created_at: at }).execute();
    const alice = await db().selectFrom('contact_emails').select('contact_id').where('email_lower', '=', 'alice@example.org').executeTakeFirstOrThrow();
    await db()
      .insertInto('consents')
      .values({ id: newId(), contact_id: alice.contact_id, purpose: 'newsletter', basis: 'legitimate_interest', event: 'withdrawn', source: 'staff', detail: null, ip: null, recorded_by: null, at: later })
      .execute();
    await subscriber('aaron@example.org', 'Aaron Nouveau', ids['big']!);
    const after = await pages();
    assert.equal(after.total, 1210);
    assert.deepEqual(after.excluded, { ...before.excluded, suppressed: before.excluded.suppressed + 1, noLegalBasis: before.excluded.noLegalBasis + 1 });
    assert.deepEqual(after.members[0], ['aaron@example.org', 'Aaron Nouveau', 'list']);
    assert.deepEqual(
      after.members.slice(1),
      before.members.filter((m) => m[0] !== gone && m[0] !== 'alice@example.org'),
    );
    assert.deepEqual(after, await walk());
    const shown = await staff.get(`/admin/lettres/${ids['mailing']}/destinataires`);
    assert.doesNotMatch(shown.body, /alice@example\.org/);
    assert.match(shown.body, /10 destinataires si le message partait maintenant\./);

    // Undone (the send below expects the audience of the start): the page is as before at once.
    await db().deleteFrom('newsletter_suppressions').where('email_hash', '=', emailHash(gone)).execute();
    await db().deleteFrom('consents').where('contact_id', '=', alice.contact_id).where('purpose', '=', 'newsletter').execute();
    const aaron = await db().selectFrom('newsletter_subscribers').select('id').where('email_lower', '=', 'aaron@example.org').executeTakeFirstOrThrow();
    await db().deleteFrom('newsletter_subscriptions').where('subscriber_id', '=', aaron.id).execute();
    await db().deleteFrom('newsletter_subscribers').where('id', '=', aaron.id).execute();
    assert.deepEqual(await pages(), before);
  });

  test('starting the send writes exactly the people the page showed, in the same order, with the same names and reasons', async () => {
    const started = await post(staff, `/admin/lettres/${ids['mailing']}/envoyer`, [['when', 'now']]);
    assert.equal(started.statusCode, 303, started.body.slice(0, 2000));
    const rows = await db().selectFrom('newsletter_recipients').select(['email', 'name', 'via']).where('mailing_id', '=', ids['mailing']!).orderBy('id').execute();
    assert.deepEqual(
      rows.map((r) => [r.email, r.name, r.via]),
      EXPECTED,
    );
    const mailing = await db().selectFrom('newsletter_mailings').select(['total']).where('id', '=', ids['mailing']!).executeTakeFirstOrThrow();
    assert.equal(mailing.total, 11);
  });
});
