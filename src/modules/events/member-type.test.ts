import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Client, TestApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { EVENT_FORM, eventsWorld, type EventsWorld } from '../../../test/helpers/events.js';

const TYPE_ERROR = 'Choisissez un type d’événement dans la liste.';
const NETWORK_ONLY_ERROR = 'Ce type d’événement est réservé aux rencontres organisées par le réseau\u00a0: choisissez un autre type dans la liste.';

forEachDialect('events: a member chooses the type of the event proposed (none in advance), among those a member organises', (dialect) => {
  let t: TestApp, staff: Client, orgId: string, orgMember: EventsWorld['orgMember'];
  before(async () => ({ t, staff, orgId, orgMember } = await eventsWorld(dialect)));
  after(() => t.close());

  test('the new event form preselects no type and offers them all; sent without one, it is refused in French on the type, keeping what was typed; then sent with one', async () => {
    const member = await orgMember('fatou.type@example.org');
    const form = await member.get('/mon-espace/evenements/nouveau');
    assert.equal(form.statusCode, 200);
    assert.match(
      form.body,
      /<select id="f-type_code" name="type_code" required><option value="" selected>— Choisir —<\/option><option value="training_session">/,
      'no type is chosen in advance',
    );
    assert.doesNotMatch(form.body, /<option value="member_event" selected>/);
    for (const type of ['webinar', 'training_session', 'conference', 'multi_actor_day', 'member_event']) assert.match(form.body, new RegExp(`<option value="${type}">`), `${type} is offered`);

    const { type_code: _type, ...withoutType } = EVENT_FORM;
    const typed = { ...withoutType, title: 'Atelier compost partagé', summary: 'Apprendre à composter en pied d’immeuble', organisers: orgId, repeat_freq: 'weekly', repeat_interval: '2', repeat_count: '3' };
    const refused = await member.post('/mon-espace/evenements/nouveau', typed);
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, new RegExp(`<h2>Le formulaire contient 1 erreur\u00a0:</h2><ul><li><a href="#f-type_code">${TYPE_ERROR}</a></li></ul>`));
    assert.match(
      refused.body,
      new RegExp(`<p class="field-error" id="f-type_code-error">${TYPE_ERROR}</p><select id="f-type_code" name="type_code" required aria-invalid="true" aria-describedby="f-type_code-error"><option value="" selected>`),
    );
    // What was typed stays: title, summary, date and place, the organiser ticked, the repetition.
    assert.match(refused.body, /value="Atelier compost partagé"/);
    assert.match(refused.body, />Apprendre à composter en pied d’immeuble</);
    assert.match(refused.body, /name="start_date" type="date" value="2030-06-12"/);
    assert.match(refused.body, /value="Salle Saint-Michel"/);
    assert.match(refused.body, new RegExp(`name="organisers" value="${orgId}" checked`));
    assert.match(refused.body, /<option value="weekly" selected>/);
    assert.match(refused.body, /name="repeat_count" type="text" value="3"/);
    assert.doesNotMatch((await staff.get('/admin/moderation?type=event')).body, /Atelier compost partagé/, 'nothing reached moderation');

    const sent = await member.post('/mon-espace/evenements/nouveau', { ...typed, type_code: 'training_session' });
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 2000));
    const queue = await staff.get('/admin/moderation?type=event');
    const proposalId = /href="\/admin\/moderation\/([0-9a-f-]{36})">Atelier compost partagé</.exec(queue.body)?.[1];
    assert.ok(proposalId, 'the proposal is in the moderation queue');
    assert.match((await staff.get(`/admin/moderation/${proposalId}`)).body, /Session de formation/, 'under the type the member chose');
  });

  test('the network’s own types (« Rencontre du réseau », « Réunion de groupe pays ») are neither offered to a member nor accepted when sent by hand', async () => {
    const member = await orgMember('ines.reseau@example.org');
    const form = await member.get('/mon-espace/evenements/nouveau');
    assert.doesNotMatch(form.body, /<option value="network_meeting"|<option value="country_group_meeting"|Rencontre du réseau|Réunion de groupe pays/);
    for (const type of ['network_meeting', 'country_group_meeting']) {
      const title = `Rencontre proposée ${type}`;
      const refused = await member.post('/mon-espace/evenements/nouveau', { ...EVENT_FORM, type_code: type, title, organisers: orgId });
      assert.equal(refused.statusCode, 400, `${type} refused`);
      assert.match(refused.body, new RegExp(`<li><a href="#f-type_code">${NETWORK_ONLY_ERROR}</a></li>`), 'named in the error summary');
      assert.match(refused.body, new RegExp(`<p class="field-error" id="f-type_code-error">${NETWORK_ONLY_ERROR}</p>`), 'and beside the field');
      assert.match(refused.body, new RegExp(`value="${title}"`), 'what was typed stays');
      assert.doesNotMatch((await staff.get('/admin/moderation?type=event')).body, new RegExp(title), 'nothing reached moderation');
    }
    // With other errors, the type is refused at the same time.
    const both = await member.post('/mon-espace/evenements/nouveau', { ...EVENT_FORM, type_code: 'network_meeting', title: '', organisers: orgId });
    assert.equal(both.statusCode, 400);
    assert.match(both.body, /href="#f-title"/);
    assert.match(both.body, /href="#f-type_code"/);
    // Staff still organise them.
    assert.match((await staff.get('/admin/agenda/nouveau')).body, /<option value="network_meeting" selected>Rencontre du réseau<\/option>/);
  });

  test('a member changing a network meeting their organisation co-organises keeps its type, but cannot move another event to one', async () => {
    const member = await orgMember('paul.reseau@example.org');
    const created = await staff.post('/admin/agenda/nouveau', { ...EVENT_FORM, title: 'Rencontre régionale', organisers: orgId, intent: 'publish' });
    assert.equal(created.statusCode, 303, created.body.slice(0, 2000));
    const id = String(created.headers.location).split('/').pop()!.split('#')[0]!;
    const edit = await member.get(`/mon-espace/evenements/${id}/modifier`);
    assert.equal(edit.statusCode, 200);
    assert.match(edit.body, /<option value="network_meeting" selected>Rencontre du réseau<\/option>/, 'the type it has stays offered');
    assert.doesNotMatch(edit.body, /<option value="country_group_meeting"/, 'not the other network type');
    const kept = await member.post(`/mon-espace/evenements/${id}/modifier`, { ...EVENT_FORM, title: 'Rencontre régionale : programme', organisers: orgId });
    assert.equal(kept.statusCode, 303, kept.body.slice(0, 2000));

    const own = await staff.post('/admin/agenda/nouveau', { ...EVENT_FORM, type_code: 'webinar', title: 'Webinaire eau', organisers: orgId, intent: 'publish' });
    const ownId = String(own.headers.location).split('/').pop()!.split('#')[0]!;
    const moved = await member.post(`/mon-espace/evenements/${ownId}/modifier`, { ...EVENT_FORM, type_code: 'country_group_meeting', title: 'Webinaire eau', organisers: orgId });
    assert.equal(moved.statusCode, 400);
    assert.match(moved.body, new RegExp(NETWORK_ONLY_ERROR));
  });
});
