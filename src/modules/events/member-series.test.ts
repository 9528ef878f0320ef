import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Client, TestApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { EVENT_FORM, eventsWorld, type EventsWorld } from '../../../test/helpers/events.js';
import { listAudit } from '../../kernel/audit/index.js';
import { findEventById, findEventBySlug } from './index.js';

forEachDialect('events: members propose recurring events', (dialect) => {
  let t: TestApp, staff: Client, orgId: string, orgMember: EventsWorld['orgMember'];
  before(async () => ({ t, staff, orgId, orgMember } = await eventsWorld(dialect)));
  after(() => t.close());

  test('a member proposes a monthly event: staff see the rule in the queue, accept, and every date is in the public agenda', async () => {
    const member = await orgMember('binta@example.org');
    const form = await member.get('/mon-espace/evenements/nouveau');
    assert.match(form.body, /<legend>Répétition<\/legend>/, 'the member form offers the repetition');
    assert.match(form.body, /<option value="monthly_weekday"[^>]*>Chaque mois, le même jour de la semaine/);
    const sent = await member.post('/mon-espace/evenements/nouveau', {
      ...EVENT_FORM,
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

    // The member's list names each date's edit link, with the colon of the page's language.
    const link = `href="/mon-espace/evenements/${april.id}/modifier" aria-label="`;
    assert.ok((await member.get('/mon-espace/evenements')).body.includes(`${link}Proposer des modifications\u00a0: Permanence eau potable"`));
    assert.ok((await member.get('/mon-espace/evenements', { 'accept-language': 'en' })).body.includes(`${link}Propose changes: Permanence eau potable"`));

    // Later, the member changes one date: the form says it concerns that date alone, and offers no repetition.
    const edit = await member.get(`/mon-espace/evenements/${april.id}/modifier`);
    assert.equal(edit.statusCode, 200);
    assert.match(edit.body, /Cette date fait partie d’une série : vos modifications ne concernent qu’elle/);
    assert.doesNotMatch(edit.body, /name="repeat_freq"/);
    const change = await member.post(`/mon-espace/evenements/${april.id}/modifier`, {
      ...EVENT_FORM,
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
    const event = { ...EVENT_FORM, title: 'Cours de wolof', type_code: 'member_event', organisers: orgId, start_date: '2030-03-05', start_time: '18:00', end_time: '19:30' };
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
      ...EVENT_FORM,
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
    const fields = { ...EVENT_FORM, title: 'Atelier couture solidaire', type_code: 'member_event', organisers: orgId, start_date: '2030-09-03', start_time: '14:00', end_time: '16:00', repeat_freq: 'weekly', repeat_interval: '1', repeat_until: '' };
    const tooMany = await staff.post(`/admin/moderation/${proposalId}/modifier`, { ...fields, repeat_count: '300' });
    assert.equal(tooMany.statusCode, 400);
    assert.match(tooMany.body, /Indiquez le nombre de dates \(2 à 104\)/);
    assert.match(tooMany.body, /value="300"/);
    assert.equal((await staff.post(`/admin/moderation/${proposalId}/modifier`, { ...fields, repeat_count: '2' })).statusCode, 303);
    const agenda = await t.client().get('/agenda?q=atelier+couture+solidaire');
    const slugs = [...new Set([...agenda.body.matchAll(/href="\/agenda\/(atelier-couture-solidaire-[0-9-]+)"/g)].map((m) => m[1]))].sort();
    assert.deepEqual(slugs, ['atelier-couture-solidaire-2030-09-03', 'atelier-couture-solidaire-2030-09-10']);
  });

  test('a series is written whole or not at all: a date the database refuses leaves nothing, and the proposal is approved again without duplicates', async () => {
    const member = await orgMember('ousmane@example.org');
    const place = { ...EVENT_FORM, type_code: 'member_event', venue: 'Atelier du vélo', organisers: orgId, start_time: '18:00', end_time: '20:00' };
    const slugsOf = async (q: string, prefix: string) =>
      [...new Set([...(await t.client().get(`/agenda?q=${q}`)).body.matchAll(new RegExp(`href="/agenda/(${prefix}-[0-9-]+)"`, 'g'))].map((m) => m[1]))].sort();
    const seriesCount = async () => Number((await t.kernel.db.selectFrom('event_series').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const seriesAudit = async () => (await listAudit(t.kernel.db, { entityType: 'event_series', limit: 1, offset: 0 })).total;
    // Staff hold a meeting there on the third Tuesday, and the database refuses two events at the
    // same place and time (a unique index this test adds): the third date of the series fails.
    const taken = await staff.post('/admin/agenda/nouveau', { ...place, title: 'Réunion du bureau', start_date: '2030-10-15', intent: 'publish' });
    assert.equal(taken.statusCode, 303, taken.body.slice(0, 3000));
    await t.kernel.db.schema.createIndex('events_test_place_time_idx').on('events').columns(['venue', 'starts_at']).unique().execute();
    const sent = await member.post('/mon-espace/evenements/nouveau', { ...place, title: 'Réparation de vélos', start_date: '2030-10-01', repeat_freq: 'weekly', repeat_interval: '1', repeat_count: '4' });
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 3000));
    const proposalId = new RegExp('href="/admin/moderation/([0-9a-f-]{36})">Réparation de vélos<').exec((await staff.get('/admin/moderation?type=event')).body)?.[1];
    assert.ok(proposalId);
    const [series0, audit0] = [await seriesCount(), await seriesAudit()];

    assert.equal((await staff.post(`/admin/moderation/${proposalId}/approuver`)).headers.location, `/admin/moderation/${proposalId}`, 'staff are sent back to the proposal');
    assert.deepEqual(await slugsOf('reparation+de+velos', 'reparation-de-velos'), [], 'no date of the series stays published');
    assert.equal(await seriesCount(), series0, 'nor the series');
    assert.equal(await seriesAudit(), audit0, 'nor its line in the log');
    assert.match((await staff.get('/admin/moderation?type=event')).body, new RegExp(`href="/admin/moderation/${proposalId}">Réparation de vélos<`), 'the proposal waits again');
    // A series staff create is written the same way.
    const mine = await staff.post('/admin/agenda/nouveau', { ...place, title: 'Vélo-école', start_date: '2030-10-08', repeat_freq: 'weekly', repeat_interval: '1', repeat_count: '3', intent: 'publish' });
    assert.equal(mine.statusCode, 503, 'the form again, not the error page');
    assert.ok(mine.body.includes('L’enregistrement n’a pas abouti\u00a0: rien n’a été enregistré. Vous pouvez réessayer.'));
    assert.match(mine.body, /value="Vélo-école"/, 'with what staff typed');
    assert.deepEqual(await slugsOf('velo+ecole', 'velo-ecole'), []);
    assert.equal(await seriesCount(), series0);

    await t.kernel.db.schema.dropIndex('events_test_place_time_idx').execute();
    assert.equal((await staff.post(`/admin/moderation/${proposalId}/approuver`)).statusCode, 303);
    assert.deepEqual(await slugsOf('reparation+de+velos', 'reparation-de-velos'), ['2030-10-01', '2030-10-08', '2030-10-15', '2030-10-22'].map((d) => `reparation-de-velos-${d}`), 'each date once');
    assert.equal(await seriesCount(), series0 + 1);
    assert.equal((await findEventBySlug(t.kernel.db, 'reparation-de-velos-2030-10-15'))?.event.status, 'published', 'the date that failed is there too');
  });
});
