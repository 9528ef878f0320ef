import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import zlib from 'node:zlib';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { FetchTestServer } from '../../../test/helpers/fetch-server.js';
import { findUserByEmail } from '../../kernel/auth/repo.js';
import { createOrganisation, linkUserToOrganisation, taxonomies, taxonomyCodes, validateOrganisation } from '../organisations/index.js';
import { addFeed } from './feeds.js';
import { normaliseFeedUrl } from './read-feed.js';
import type { FeedDeps } from './sync.js';
import { syncFeed } from './sync.js';

function vevent(uid: string, start: string, summary: string): string {
  return ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20261101T000000Z', `DTSTART;TZID=Europe/Paris:${start}`, 'DURATION:PT2H', `SUMMARY:${summary}`, 'END:VEVENT'].join('\r\n');
}

function calendar(...events: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Membre//FR', ...events, 'END:VCALENDAR', ''].join('\r\n');
}

/** A far-future date, so the items stay upcoming whatever day the tests run. */
const YEAR = new Date().getUTCFullYear() + 1;
/** The error summary's lines as « field: message », in order. */
const summaryOf = (html: string) =>
  [...(/<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '').matchAll(/<li><a href="#f-([\w-]+)">([^<]*)<\/a><\/li>/g)].map((m) => `${m[1]}: ${m[2]}`);

forEachDialect('members’ iCal feeds: SSRF-safe reads into moderation, health, hostile feeds refused', (dialect) => {
  let t: TestApp;
  const server = new FetchTestServer();
  const other = new FetchTestServer();
  let feedBody = calendar(vevent('a@membre', `${YEAR}0110T100000`, 'Atelier A'), vevent('b@membre', `${YEAR}0111T100000`, 'Atelier B'));
  let feedEtag = '"1"';
  let n = 0;

  before(async () => {
    await server.start();
    await other.start();
    server
      .on('/agenda.ics', (req, res) => {
        if (req.headers['if-none-match'] === feedEtag) {
          res.writeHead(304).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8', etag: feedEtag }).end(feedBody);
      })
      .on('/page.html', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body>Notre agenda</body></html>'))
      .on('/bomb.ics', (_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(zlib.gzipSync(Buffer.alloc(40 * 1024 * 1024), { level: 9 })))
      .on('/elsewhere.ics', (_req, res) => res.writeHead(302, { location: other.url('/agenda.ics') }).end())
      .on('/metadata.ics', (_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end())
      .on('/broken.ics', (_req, res) => res.writeHead(200, { 'content-type': 'text/calendar' }).end('BEGIN:VCALENDAR\r\nnot a content line\r\nEND:VCALENDAR\r\n'));
    other.on('/agenda.ics', (_req, res) => res.writeHead(200).end(calendar()));
    t = await testApp(dialect, { env: { FETCH_ALLOWLIST: server.allow } });
  });
  after(async () => {
    await t.close();
    await server.stop();
    await other.stop();
  });

  async function organisation(name: string) {
    const checked = validateOrganisation({ name, kind_code: 'association', commune: '33063', postcode: '33000' }, taxonomyCodes(await taxonomies(t.kernel.db)), { currentYear: 2026 });
    assert.ok(checked.ok, JSON.stringify(!checked.ok && checked.errors));
    return createOrganisation(t.kernel, { id: null, email: 'seed@example.org' }, checked.draft);
  }

  async function memberOf(orgId: string): Promise<Client> {
    n++;
    const email = `agenda${n}@example.org`;
    const client = await t.loginAs('member', email);
    const user = (await findUserByEmail(t.kernel.db, email))!;
    await linkUserToOrganisation(t.kernel.db, user.id, orgId, new Date().toISOString());
    return client;
  }

  const feedsOf = (organisationId: string) => t.kernel.db.selectFrom('event_feeds').selectAll().where('organisation_id', '=', organisationId).execute();

  test('reads a feed into proposals once per item: 304 and unchanged items propose nothing, changed and new items are proposed', async () => {
    const org = await organisation('Agenda Solidaire Gironde');
    const proposed: Record<string, unknown>[] = [];
    const deps: FeedDeps = {
      db: t.kernel.db,
      clock: t.kernel.clock,
      logger: t.kernel.logger,
      allowlist: [server.allow],
      proposerEmail: 'reseau@example.org',
      proposeEvent: async (values) => {
        proposed.push(values);
        return { proposalId: `p${proposed.length}` };
      },
    };
    feedBody = calendar(vevent('a@membre', `${YEAR}0110T100000`, 'Atelier A'), vevent('b@membre', `${YEAR}0111T100000`, 'Atelier B'));
    feedEtag = '"1"';
    const added = await addFeed(deps, { id: null, email: 'staff@example.org' }, { organisationId: org.id, organisationName: org.name, url: server.url('/agenda.ics') });
    assert.ok(added.ok);
    assert.equal(added.count, 2);
    assert.equal(added.proposed, 2);
    assert.deepEqual(proposed.map((v) => v['feed_uid']), ['a@membre', 'b@membre']);
    assert.equal(proposed[0]!['title'], 'Atelier A');
    assert.equal(proposed[0]!['start_date'], `${YEAR}-01-10`);
    assert.equal(proposed[0]!['start_time'], '10:00');
    assert.equal(proposed[0]!['source'], 'feed');
    assert.deepEqual(proposed[0]!['organisers'], [org.id]);

    // Same validators: the server answers 304, nothing is proposed.
    const again = await syncFeed(deps, added.id);
    assert.deepEqual(again, { ok: true, notModified: true });
    assert.equal(proposed.length, 2);

    // A new version: A unchanged, B moved, C new.
    feedBody = calendar(vevent('a@membre', `${YEAR}0110T100000`, 'Atelier A'), vevent('b@membre', `${YEAR}0112T100000`, 'Atelier B'), vevent('c@membre', `${YEAR}0113T100000`, 'Atelier C'));
    feedEtag = '"2"';
    const changed = await syncFeed(deps, added.id);
    assert.deepEqual(changed, { ok: true, notModified: false, count: 3, proposed: 2 });
    assert.deepEqual(proposed.slice(2).map((v) => v['feed_uid']), ['b@membre', 'c@membre']);
    const [feed] = await feedsOf(org.id);
    assert.equal(feed?.item_count, 3);
    assert.equal(feed?.etag, '"2"');
    assert.equal(feed?.last_error, null);
    assert.ok(feed?.last_success_at);

    // The feed now redirects to a port that is not allowed: the error is recorded, nothing proposed.
    await t.kernel.db.updateTable('event_feeds').set({ url: server.url('/elsewhere.ics'), etag: null }).where('id', '=', added.id).execute();
    const refused = await syncFeed(deps, added.id);
    assert.equal(refused?.ok, false);
    assert.equal(proposed.length, 4);
    const [failed] = await feedsOf(org.id);
    assert.match(failed?.last_error ?? '', /blocked_address/);
    assert.equal(failed?.item_count, 3, 'the last good count stays');
    assert.equal(other.requests.length, 0);
  });

  test('a member registers a feed for their organisation; hostile feeds are refused in French and nothing is saved', async () => {
    const org = await organisation('Festival des Solidarités Pessac');
    const member = await memberOf(org.id);
    const page = await member.get('/mon-espace/evenements/flux');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Agendas iCal de mes structures/);
    assert.match(page.body, /Festival des Solidarités Pessac/);

    const hostile: Array<[string, RegExp]> = [
      [other.url('/agenda.ics'), /réseau privé ou réservé/],
      [server.url('/metadata.ics'), /réseau privé ou réservé/],
      ['http://169.254.169.254/latest/meta-data/', /réseau privé ou réservé/],
      ['http://[::1]/agenda.ics', /réseau privé ou réservé/],
      ['file:///etc/passwd', /Seules les adresses http:\/\/ et https:\/\/ sont acceptées/],
      ['gopher://127.0.0.1:70/', /Seules les adresses http:\/\/ et https:\/\/ sont acceptées/],
      [server.url('/page.html'), /Ce n’est pas un agenda iCal/],
      [server.url('/bomb.ics'), /trop volumineux \(au plus 5 Mo/],
      [server.url('/broken.ics'), /illisible/],
    ];
    for (const [url, message] of hostile) {
      const res = await member.post('/mon-espace/evenements/flux', { organisation: org.id, url });
      assert.equal(res.statusCode, 400, url);
      assert.match(res.body, message, url);
      assert.match(res.body, /aria-invalid="true"/);
    }
    assert.equal((await feedsOf(org.id)).length, 0, 'nothing saved');

    const notMine = await organisation('Autre structure');
    const refused = await member.post('/mon-espace/evenements/flux', { organisation: notMine.id, url: server.url('/agenda.ics') });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Choisissez une de vos structures/);
    // Each empty field says what it wants, not « Ce champ est obligatoire. ».
    const empty = await member.post('/mon-espace/evenements/flux', { organisation: '', url: '' });
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(summaryOf(empty.body), ['organisation: Choisissez une de vos structures.', 'url: Indiquez l’adresse de l’agenda iCal.']);

    feedEtag = '"3"';
    feedBody = calendar(vevent('x@membre', `${YEAR}0301T100000`, 'Conférence'));
    const ok = await member.post('/mon-espace/evenements/flux', { organisation: org.id, url: server.url('/agenda.ics') });
    assert.equal(ok.statusCode, 303);
    const listed = await member.get('/mon-espace/evenements/flux');
    assert.match(listed.body, /Agenda enregistré : 1 événement à venir lu, /);
    const feeds = await feedsOf(org.id);
    assert.equal(feeds.length, 1);
    assert.equal(feeds[0]?.url, server.url('/agenda.ics'));

    const duplicate = await member.post('/mon-espace/evenements/flux', { organisation: org.id, url: feeds[0]!.url });
    assert.equal(duplicate.statusCode, 400);
    assert.match(duplicate.body, /déjà enregistré/);

    // Another member cannot remove it; its own member can.
    const stranger = await memberOf(notMine.id);
    assert.equal((await stranger.post(`/mon-espace/evenements/flux/${feeds[0]!.id}/supprimer`)).statusCode, 403);
    assert.equal((await member.post(`/mon-espace/evenements/flux/${feeds[0]!.id}/supprimer`)).statusCode, 303);
    assert.equal((await feedsOf(org.id)).length, 0);
  });

  test('webcal:// addresses are read over https', () => {
    assert.equal(normaliseFeedUrl(' webcal://exemple.org/agenda.ics '), 'https://exemple.org/agenda.ics');
    assert.equal(normaliseFeedUrl('https://exemple.org/a.ics'), 'https://exemple.org/a.ics');
  });

  test('staff add a feed for any organisation, see its health and read it again', async () => {
    const org = await organisation('Maison de l’Europe Landes');
    const staff = await t.loginAs('staff');
    const unknown = await staff.post('/admin/agenda/flux', { structure: 'Structure inconnue', url: server.url('/agenda.ics') });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /Aucune structure de l’annuaire/);
    const empty = await staff.post('/admin/agenda/flux', { structure: ' ', url: '' });
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(summaryOf(empty.body), ['structure: Indiquez la structure\u00a0: son nom exact ou l’adresse de sa fiche (/acteurs/…).', 'url: Indiquez l’adresse de l’agenda iCal.']);

    feedEtag = '"4"';
    feedBody = calendar(vevent('y@membre', `${YEAR}0401T100000`, 'Rencontre').replace('END:VEVENT', 'LOCATION:Maison de l’Europe\\, Mont-de-Marsan\r\nEND:VEVENT'));
    const added = await staff.post('/admin/agenda/flux', { structure: 'maison de l’europe landes', url: server.url('/agenda.ics') });
    assert.equal(added.statusCode, 303);
    const [feed] = await feedsOf(org.id);
    assert.ok(feed);
    const list = await staff.get('/admin/agenda/flux');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Maison de l’Europe Landes/);
    assert.match(list.body, /Dernière lecture réussie/);

    // The item went through the events module into the moderation queue; approved, it is on the agenda.
    const queue = await staff.get('/admin/moderation?type=event');
    const proposalId = new RegExp('href="/admin/moderation/([0-9a-f-]{36})">Rencontre<').exec(queue.body)?.[1];
    assert.ok(proposalId, 'the feed item waits in the moderation queue');
    assert.equal((await staff.post(`/admin/moderation/${proposalId}/approuver`)).statusCode, 303);
    const agenda = await t.client().get('/agenda');
    assert.match(agenda.body, /Rencontre/);
    const imported = await t.kernel.db.selectFrom('events').select(['source', 'feed_uid', 'venue', 'commune_code']).where('feed_id', '=', feed.id).executeTakeFirst();
    // Its LOCATION names a commune: the event can be placed on the agenda's map.
    assert.deepEqual(imported, { source: 'feed', feed_uid: 'y@membre', venue: 'Maison de l’Europe', commune_code: '40192' });

    // The feed breaks: reading it now shows the error to staff.
    await t.kernel.db.updateTable('event_feeds').set({ url: server.url('/page.html') }).where('id', '=', feed.id).execute();
    assert.equal((await staff.post(`/admin/agenda/flux/${feed.id}/actualiser`)).statusCode, 303);
    const after = await staff.get('/admin/agenda/flux');
    assert.match(after.body, /La lecture de l’agenda a échoué : Ce n’est pas un agenda iCal/);
    assert.match(after.body, /Ce n’est pas un agenda iCal/);

    assert.equal((await staff.post(`/admin/agenda/flux/${feed.id}/supprimer`)).statusCode, 303);
    assert.equal((await feedsOf(org.id)).length, 0);
  });
});
