import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { findUserByEmail } from '../../kernel/auth/repo.js';
import { listAudit } from '../../kernel/audit/index.js';
import { createOrganisation, linkUserToOrganisation, taxonomies, taxonomyCodes, validateOrganisation } from '../organisations/index.js';
import { agendaVersion, findEventById, findEventBySlug, proposeEvent } from './index.js';

const BASE = { type_code: 'network_meeting', start_date: '2030-06-12', start_time: '14:30', end_time: '17:00', venue: 'Salle Saint-Michel', commune: 'Bordeaux', postcode: '33000' };

function idFrom(location: unknown): string {
  return String(location).split('/').pop()!.split('#')[0]!;
}

forEachDialect('events: back office, series, member proposals through moderation', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let orgId: string;

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff', 'equipe@example.org');
    const tax = await taxonomies(t.kernel.db);
    const checked = validateOrganisation({ name: 'Eau Vive Gironde', acronym: 'EVG', kind_code: 'association', commune: '33063', postcode: '33000', visibility: 'public' }, taxonomyCodes(tax), { currentYear: 2026 });
    assert.ok(checked.ok);
    orgId = (await createOrganisation(t.kernel, { id: null, email: 'seed@example.org' }, checked.draft)).id;
  });
  after(() => t.close());

  /** A member signed in, linked to the organisation. */
  async function orgMember(email: string): Promise<Client> {
    const client = await t.loginAs('member', email);
    const user = (await findUserByEmail(t.kernel.db, email))!;
    await linkUserToOrganisation(t.kernel.db, user.id, orgId, new Date().toISOString());
    return client;
  }

  test('staff create a draft, publish, rename (old slug redirects), cancel; the agenda version moves; all audit-logged', async () => {
    const v0 = await agendaVersion(t.kernel);
    const res = await staff.post('/admin/agenda/nouveau', { ...BASE, title: 'Assemblée générale', organiser_add: 'Eau Vive Gironde', themes: 'water_sanitation', countries: 'SN', intent: 'draft' });
    assert.equal(res.statusCode, 303, res.body.slice(0, 3000));
    const id = idFrom(res.headers.location);
    const created = (await findEventById(t.kernel.db, id))!;
    assert.equal(created.status, 'draft');
    assert.equal(created.slug, 'assemblee-generale-2030-06-12');
    assert.equal(created.starts_at.slice(0, 16), '2030-06-12T12:30');
    assert.equal(created.department_code, '33');
    assert.deepEqual(created.organisers, [orgId]);
    assert.notEqual(await agendaVersion(t.kernel), v0, 'the agenda version moved');

    const page = await staff.get(`/admin/agenda/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /value="Assemblée générale"/);
    assert.match(page.body, /Eau Vive Gironde/);

    assert.equal((await staff.post(`/admin/agenda/${id}/statut`, { action: 'publish' })).statusCode, 303);
    assert.equal((await findEventById(t.kernel.db, id))!.status, 'published');

    const renamed = await staff.post(`/admin/agenda/${id}`, { ...BASE, title: 'Assemblée générale 2030', organisers: orgId });
    assert.equal(renamed.statusCode, 303, renamed.body.slice(0, 3000));
    const found = await findEventBySlug(t.kernel.db, 'assemblee-generale-2030-06-12');
    assert.equal(found?.redirectTo, 'assemblee-generale-2030-2030-06-12');

    assert.equal((await staff.post(`/admin/agenda/${id}/statut`, { action: 'cancel' })).statusCode, 303);
    assert.equal((await findEventById(t.kernel.db, id))!.status, 'cancelled');
    const audit = await listAudit(t.kernel.db, { entityType: 'event', entityId: id, limit: 10, offset: 0 });
    assert.deepEqual(audit.rows.map((r) => r.action).reverse(), ['event.created', 'event.publish', 'event.updated', 'event.cancel']);

    const list = await staff.get('/admin/agenda?q=assemblee&statut=cancelled');
    assert.match(list.body, /Assemblée générale 2030/);
    assert.match(list.body, /1 événement/);
  });

  test('bad input comes back in French, nothing saved', async () => {
    const before = await staff.get('/admin/agenda?periode=all');
    const res = await staff.post('/admin/agenda/nouveau', { ...BASE, title: 'Formation', end_date: '2030-06-11', venue: '', commune: '', postcode: '', organiser_add: 'Structure inconnue' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /La fin doit venir après le début/);
    assert.match(res.body, /Indiquez un lieu/);
    assert.match(res.body, /Structure introuvable dans l’annuaire : « Structure inconnue »/);
    assert.match(res.body, /aria-describedby="f-end_date-hint f-end_date-error"/);
    const afterList = await staff.get('/admin/agenda?periode=all');
    assert.equal(/(\d+) événement/.exec(afterList.body)?.[1], /(\d+) événement/.exec(before.body)?.[1]);
  });

  test('a monthly series makes one event per date; one date is edited alone; the rest is cancelled from a date', async () => {
    const res = await staff.post('/admin/agenda/nouveau', {
      ...BASE,
      title: 'Groupe pays Sénégal',
      type_code: 'country_group_meeting',
      start_date: '2030-01-08',
      start_time: '18:00',
      end_time: '20:00',
      repeat_freq: 'monthly_weekday',
      repeat_count: '4',
      intent: 'publish',
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 3000));
    const first = (await findEventById(t.kernel.db, idFrom(res.headers.location)))!;
    assert.ok(first.series_id);
    const page = await staff.get(`/admin/agenda/${first.id}`);
    assert.match(page.body, /Règle : tous les mois, le 2e mardi, 4 fois/);
    const ids = [...page.body.matchAll(/href="\/admin\/agenda\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);
    assert.equal(new Set(ids).size, 3, 'the three other dates are linked');
    const dates = await Promise.all(ids.map((id) => findEventById(t.kernel.db, id)));
    // 12 March and 9 April 2030, second Tuesdays: 18:00 in Paris on both sides of the change of time.
    assert.deepEqual(dates.map((d) => d!.starts_at.slice(0, 16)).sort(), ['2030-02-12T17:00', '2030-03-12T17:00', '2030-04-09T16:00']);
    const second = dates.find((d) => d!.starts_at.startsWith('2030-02-12'))!;
    const moved = await staff.post(`/admin/agenda/${second.id}`, { ...BASE, title: 'Groupe pays Sénégal', type_code: 'country_group_meeting', start_date: '2030-02-13', start_time: '18:00', end_time: '20:00' });
    assert.equal(moved.statusCode, 303);
    assert.equal((await findEventById(t.kernel.db, second.id))!.starts_at.slice(0, 10), '2030-02-13');
    assert.equal((await findEventById(t.kernel.db, first.id))!.starts_at.slice(0, 10), '2030-01-08', 'the other dates stay');
    const third = dates.find((d) => d!.starts_at.startsWith('2030-03-12'))!;
    assert.equal((await staff.post(`/admin/agenda/${third.id}/serie/annuler`)).statusCode, 303);
    const statuses = await Promise.all([first.id, second.id, ...ids].map(async (id) => [(await findEventById(t.kernel.db, id))!.starts_at.slice(0, 10), (await findEventById(t.kernel.db, id))!.status]));
    assert.deepEqual(Object.fromEntries(statuses), { '2030-01-08': 'published', '2030-02-13': 'published', '2030-03-12': 'cancelled', '2030-04-09': 'cancelled' });
  });

  test('a member proposes an event; staff publish it; a change is proposed and rejected with a message emailed', async () => {
    const member = await t.loginAs('member', 'awa@example.org');
    const user = (await findUserByEmail(t.kernel.db, 'awa@example.org'))!;
    await linkUserToOrganisation(t.kernel.db, user.id, orgId, new Date().toISOString());
    const home = await member.get('/mon-espace');
    assert.match(home.body, /<a href="\/mon-espace\/evenements">Voir mes événements<\/a>/, 'the member space links to the events');
    const form = await member.get('/mon-espace/evenements/nouveau');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, new RegExp(`name="organisers" value="${orgId}" checked`));
    const missing = await member.post('/mon-espace/evenements/nouveau', { ...BASE, title: 'Projection débat', type_code: 'conference' });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /Choisissez au moins une de vos structures/);
    const sent = await member.post('/mon-espace/evenements/nouveau', { ...BASE, title: 'Projection débat', type_code: 'conference', organisers: orgId });
    assert.equal(sent.statusCode, 303);
    const mine = await member.get('/mon-espace/evenements');
    assert.match(mine.body, /Projection débat/);
    assert.match(mine.body, /En attente/);

    const queue = await staff.get('/admin/moderation?type=event');
    const proposalId = new RegExp('href="/admin/moderation/([0-9a-f-]{36})">Projection débat<').exec(queue.body)?.[1];
    assert.ok(proposalId, 'the proposal is in the moderation queue');
    const detail = await staff.get(`/admin/moderation/${proposalId}`);
    assert.match(detail.body, /Conférence, projection/);
    assert.match(detail.body, /Eau Vive Gironde/);
    assert.equal((await staff.post(`/admin/moderation/${proposalId}/approuver`)).statusCode, 303);
    const published = await findEventBySlug(t.kernel.db, 'projection-debat-2030-06-12');
    assert.equal(published?.event.status, 'published');
    assert.equal(published?.event.source, 'member');

    const id = published!.event.id;
    const edit = await member.get(`/mon-espace/evenements/${id}/modifier`);
    assert.equal(edit.statusCode, 200);
    const change = await member.post(`/mon-espace/evenements/${id}/modifier`, { ...BASE, title: 'Projection débat : Sahel', type_code: 'conference', organisers: orgId });
    assert.equal(change.statusCode, 303);
    const queue2 = await staff.get('/admin/moderation?type=event');
    const changeId = new RegExp('href="/admin/moderation/([0-9a-f-]{36})">Projection débat : Sahel<').exec(queue2.body)?.[1];
    assert.ok(changeId);
    const mails = t.smtp.messages.length;
    assert.equal((await staff.post(`/admin/moderation/${changeId}/rejeter`, { message: 'Le titre est déjà le bon.' })).statusCode, 303);
    await t.smtp.waitFor(mails + 1);
    assert.match(t.smtp.messages.at(-1)!.raw, /Le titre est d=C3=A9j=C3=A0 le bon|Le titre est déjà le bon/);
    assert.equal((await findEventById(t.kernel.db, id))!.title, 'Projection débat');

    const other = await t.loginAs('member', 'autre@example.org');
    assert.equal((await other.get(`/mon-espace/evenements/${id}/modifier`)).statusCode, 403);
  });

  test('a member proposes a monthly event: staff see the rule in the queue, accept, and every date is in the public agenda', async () => {
    const member = await orgMember('binta@example.org');
    const form = await member.get('/mon-espace/evenements/nouveau');
    assert.match(form.body, /<legend>Répétition<\/legend>/, 'the member form offers the repetition');
    assert.match(form.body, /<option value="monthly_weekday"[^>]*>Chaque mois, le même jour de la semaine/);
    const sent = await member.post('/mon-espace/evenements/nouveau', {
      ...BASE,
      title: 'Permanence eau potable',
      type_code: 'member_event',
      organisers: orgId,
      start_date: '2030-01-08',
      start_time: '18:00',
      end_time: '20:00',
      repeat_freq: 'monthly_weekday',
      repeat_interval: '1',
      repeat_until: '2030-06-30',
    });
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 3000));
    assert.equal(await findEventBySlug(t.kernel.db, 'permanence-eau-potable-2030-01-08'), undefined, 'nothing public before review');

    const rule = 'tous les mois, le 2e mardi, jusqu’au 30 juin 2030';
    const queue = await staff.get('/admin/moderation?type=event');
    const row = /<tr>(?:(?!<\/tr>)[\s\S])*?>Permanence eau potable<(?:(?!<\/tr>)[\s\S])*<\/tr>/.exec(queue.body)?.[0] ?? '';
    assert.ok(row.includes(`Répétition : ${rule}`), 'the queue says the proposal repeats, and how');
    const proposalId = /href="\/admin\/moderation\/([0-9a-f-]{36})"/.exec(row)?.[1];
    assert.ok(proposalId);
    const detail = await staff.get(`/admin/moderation/${proposalId}`);
    assert.match(detail.body, new RegExp(`<span>Répétition</span>[\\s\\S]*?<ins class="mod-value">${rule}</ins>`));

    assert.equal((await staff.post(`/admin/moderation/${proposalId}/approuver`)).statusCode, 303);
    const agenda = await t.client().get('/agenda?q=permanence+eau+potable');
    assert.equal(agenda.statusCode, 200);
    const slugs = [...new Set([...agenda.body.matchAll(/href="\/agenda\/(permanence-eau-potable-[0-9-]+)"/g)].map((m) => m[1]))].sort();
    // The second Tuesdays from January to June 2030.
    assert.deepEqual(slugs, ['2030-01-08', '2030-02-12', '2030-03-12', '2030-04-09', '2030-05-14', '2030-06-11'].map((d) => `permanence-eau-potable-${d}`));
    const first = (await findEventBySlug(t.kernel.db, 'permanence-eau-potable-2030-01-08'))!.event;
    assert.equal(first.source, 'member');
    assert.ok(first.series_id);
    const april = (await findEventBySlug(t.kernel.db, 'permanence-eau-potable-2030-04-09'))!.event;
    assert.equal(april.series_id, first.series_id);
    assert.equal(april.starts_at.slice(0, 16), '2030-04-09T16:00', '18:00 in Paris after the change of time');
    const staffPage = await staff.get(`/admin/agenda/${first.id}`);
    assert.match(staffPage.body, new RegExp(`Règle : ${rule}`));

    // Later, the member changes one date: the form says it concerns that date alone, and offers no repetition.
    const edit = await member.get(`/mon-espace/evenements/${april.id}/modifier`);
    assert.equal(edit.statusCode, 200);
    assert.match(edit.body, /Cette date fait partie d’une série : vos modifications ne concernent qu’elle/);
    assert.doesNotMatch(edit.body, /name="repeat_freq"/);
    const change = await member.post(`/mon-espace/evenements/${april.id}/modifier`, {
      ...BASE,
      title: 'Permanence eau potable',
      type_code: 'member_event',
      organisers: orgId,
      start_date: '2030-04-10',
      start_time: '18:00',
      end_time: '20:00',
    });
    assert.equal(change.statusCode, 303);
    const queue2 = await staff.get('/admin/moderation?type=event');
    const changeId = new RegExp('href="/admin/moderation/([0-9a-f-]{36})">Permanence eau potable<').exec(queue2.body)?.[1];
    assert.ok(changeId);
    assert.doesNotMatch((await staff.get(`/admin/moderation/${changeId}`)).body, /Répétition/);
    assert.equal((await staff.post(`/admin/moderation/${changeId}/approuver`)).statusCode, 303);
    assert.equal((await findEventById(t.kernel.db, april.id))!.starts_at.slice(0, 10), '2030-04-10');
    assert.equal((await findEventById(t.kernel.db, first.id))!.starts_at.slice(0, 10), '2030-01-08', 'the other dates stay');
  });

  test('a wrong repetition gets the staff form’s French errors on the member form, with everything typed kept', async () => {
    const member = await orgMember('moussa@example.org');
    const event = { ...BASE, title: 'Cours de wolof', type_code: 'member_event', organisers: orgId, start_date: '2030-03-05', start_time: '18:00', end_time: '19:30' };
    const errorOf = (body: string, field: string) => new RegExp(`id="f-${field}-error"[^>]*>([^<]*)<`).exec(body)?.[1];
    const cases: { name: string; extra?: Record<string, string>; repeat: Record<'repeat_freq' | 'repeat_interval' | 'repeat_count' | 'repeat_until', string>; field: string; message: string }[] = [
      { name: 'end before the start', repeat: { repeat_freq: 'weekly', repeat_interval: '1', repeat_count: '', repeat_until: '2030-03-01' }, field: 'repeat_until', message: 'La date de fin de la répétition doit suivre la première date, dans les trois ans.' },
      { name: 'too many dates', repeat: { repeat_freq: 'weekly', repeat_interval: '1', repeat_count: '', repeat_until: '2032-06-30' }, field: 'repeat_until', message: 'La répétition donne plus de 104 dates : réduisez-la.' },
      { name: 'with another mistake: both said at once', extra: { end_date: '2030-03-04' }, repeat: { repeat_freq: 'monthly_weekday', repeat_interval: '1', repeat_count: '', repeat_until: '2030-02-01' }, field: 'repeat_until', message: 'La date de fin de la répétition doit suivre la première date, dans les trois ans.' },
      { name: 'too many dates by count', repeat: { repeat_freq: 'monthly', repeat_interval: '2', repeat_count: '150', repeat_until: '' }, field: 'repeat_count', message: 'Indiquez le nombre de dates (2 à 104) ou la date de fin de la répétition.' },
    ];
    const proposalsBefore = (await member.get('/mon-espace/evenements')).body.match(/Cours de wolof/g)?.length ?? 0;
    for (const c of cases) {
      const mine = await member.post('/mon-espace/evenements/nouveau', { ...event, ...c.extra, ...c.repeat });
      assert.equal(mine.statusCode, 400, c.name);
      if (c.extra) assert.equal(errorOf(mine.body, 'end_date'), 'La fin doit venir après le début.');
      const theirs = await staff.post('/admin/agenda/nouveau', { ...event, ...c.extra, ...c.repeat, intent: 'draft' });
      assert.equal(theirs.statusCode, 400, c.name);
      assert.equal(errorOf(mine.body, c.field), c.message, c.name);
      assert.equal(errorOf(mine.body, c.field), errorOf(theirs.body, c.field), `${c.name}: the same words as the staff form`);
      assert.match(mine.body, new RegExp(`href="#f-${c.field}"`), `${c.name}: the error summary links to the field`);
      // Nothing typed is lost.
      assert.match(mine.body, /id="f-title"[^>]*value="Cours de wolof"|value="Cours de wolof"[^>]*id="f-title"/);
      assert.match(mine.body, new RegExp(`<option value="${c.repeat.repeat_freq}" selected`));
      for (const field of ['repeat_interval', 'repeat_count', 'repeat_until'] as const) {
        if (c.repeat[field]) assert.match(mine.body, new RegExp(`name="${field}"[^>]*value="${c.repeat[field]}"|value="${c.repeat[field]}"[^>]*name="${field}"`), `${c.name}: ${field} kept`);
      }
      assert.match(mine.body, /value="2030-03-05"/);
    }
    const proposalsAfter = (await member.get('/mon-espace/evenements')).body.match(/Cours de wolof/g)?.length ?? 0;
    assert.equal(proposalsAfter, proposalsBefore, 'nothing was proposed');
  });

  test('staff edit a proposed series before accepting: the repetition can be changed there, with the same limits', async () => {
    const member = await orgMember('fatou@example.org');
    const sent = await member.post('/mon-espace/evenements/nouveau', {
      ...BASE,
      title: 'Atelier couture solidaire',
      type_code: 'member_event',
      organisers: orgId,
      start_date: '2030-09-03',
      start_time: '14:00',
      end_time: '16:00',
      repeat_freq: 'weekly',
      repeat_interval: '1',
      repeat_count: '3',
    });
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 3000));
    const queue = await staff.get('/admin/moderation?type=event');
    assert.match(queue.body, /Répétition : toutes les semaines, le mardi, 3 fois/);
    const proposalId = new RegExp('href="/admin/moderation/([0-9a-f-]{36})">Atelier couture solidaire<').exec(queue.body)?.[1];
    assert.ok(proposalId);
    const edit = await staff.get(`/admin/moderation/${proposalId}/modifier`);
    assert.match(edit.body, /<option value="weekly" selected/);
    assert.match(edit.body, /name="repeat_count"[^>]*value="3"|value="3"[^>]*name="repeat_count"/);
    const fields = { ...BASE, title: 'Atelier couture solidaire', type_code: 'member_event', organisers: orgId, start_date: '2030-09-03', start_time: '14:00', end_time: '16:00', repeat_freq: 'weekly', repeat_interval: '1', repeat_until: '' };
    const tooMany = await staff.post(`/admin/moderation/${proposalId}/modifier`, { ...fields, repeat_count: '300' });
    assert.equal(tooMany.statusCode, 400);
    assert.match(tooMany.body, /Indiquez le nombre de dates \(2 à 104\)/);
    assert.match(tooMany.body, /value="300"/);
    assert.equal((await staff.post(`/admin/moderation/${proposalId}/modifier`, { ...fields, repeat_count: '2' })).statusCode, 303);
    const agenda = await t.client().get('/agenda?q=atelier+couture+solidaire');
    const slugs = [...new Set([...agenda.body.matchAll(/href="\/agenda\/(atelier-couture-solidaire-[0-9-]+)"/g)].map((m) => m[1]))].sort();
    assert.deepEqual(slugs, ['atelier-couture-solidaire-2030-09-03', 'atelier-couture-solidaire-2030-09-10']);
  });

  test('feed items: proposed as new, then as a change of the imported event (same feed and UID)', async () => {
    const feedId = 'feed-1';
    await t.kernel.db
      .insertInto('event_feeds')
      .values({ id: feedId, organisation_id: orgId, url: 'https://example.org/agenda.ics', active: 1, item_count: 0, created_at: new Date().toISOString() })
      .execute();
    const proposer = { userId: null, name: 'iCal · Eau Vive Gironde', email: 'reseau@example.org' };
    const values = { ...BASE, title: 'Atelier eau', type_code: 'member_event', organisers: [orgId], source: 'feed', feed_id: feedId, feed_uid: 'uid-1@example.org' };
    const first = await proposeEvent(t.kernel, values, proposer);
    assert.ok(first.proposalId);
    assert.equal(first.eventId, null);
    assert.equal((await staff.post(`/admin/moderation/${first.proposalId}/approuver`)).statusCode, 303);
    const event = (await findEventBySlug(t.kernel.db, 'atelier-eau-2030-06-12'))!.event;
    assert.equal(event.source, 'feed');
    assert.equal(event.feed_uid, 'uid-1@example.org');
    const second = await proposeEvent(t.kernel, { ...values, cancelled: '1' }, proposer);
    assert.equal(second.eventId, event.id);
    assert.ok(second.proposalId);
    assert.equal((await staff.post(`/admin/moderation/${second.proposalId}/approuver`)).statusCode, 303);
    assert.equal((await findEventById(t.kernel.db, event.id))!.status, 'cancelled');
    // A feed item without a place still reaches the queue: staff complete it before approving.
    const bare = await proposeEvent(t.kernel, { ...values, venue: '', commune: '', postcode: '', feed_uid: 'uid-2' }, proposer);
    assert.ok(bare.proposalId);
    assert.equal(bare.invalid, true);
    const refused = await staff.post(`/admin/moderation/${bare.proposalId}/approuver`);
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Indiquez un lieu/);
  });
});
