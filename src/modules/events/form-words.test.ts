import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Client, TestApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { EVENT_FORM, eventsWorld } from '../../../test/helpers/events.js';
import { findEventById } from './index.js';

const idFrom = (location: unknown) => String(location).split('/').pop()!.split('#')[0]!;

/** The text of the legends and labels of a form, in order. */
const names = (html: string) => [...html.matchAll(/<(legend|label)[^>]*>([\s\S]*?)<\/\1>/g)].map((m) => m[2]!.replace(/<[^>]+>/g, '').trim());

forEachDialect('event forms: times typed the French way, each field named once', (dialect) => {
  let t: TestApp, staff: Client, member: Client, orgId: string;
  before(async () => {
    const world = await eventsWorld(dialect);
    ({ t, staff, orgId } = world);
    member = await world.orgMember('awa.horaires@example.org');
  });
  after(() => t.close());

  test('staff and members may type « 14h30 », « 14 h 30 » or « 17h » (no script, or a browser without a time field)', async () => {
    const byStaff = await staff.post('/admin/agenda/nouveau', { ...EVENT_FORM, title: 'Réunion des trésoriers', start_time: '14h30', end_time: '17 h', intent: 'draft' });
    assert.equal(byStaff.statusCode, 303, byStaff.body.slice(0, 3000));
    const event = (await findEventById(t.kernel.db, idFrom(byStaff.headers.location)))!;
    assert.equal(event.starts_at.slice(0, 16), '2030-06-12T12:30');
    assert.equal(event.ends_at.slice(0, 16), '2030-06-12T15:00');
    // Edited again, the form shows the time as stored.
    assert.match((await staff.get(`/admin/agenda/${event.id}`)).body, /id="f-start_time" name="start_time" type="text" value="14:30"/);

    const byMember = await member.post('/mon-espace/evenements/nouveau', { ...EVENT_FORM, type_code: 'member_event', title: 'Atelier compost partagé', organisers: orgId, start_time: '14 h 30', end_time: '17h00' });
    assert.equal(byMember.statusCode, 303, byMember.body.slice(0, 3000));

    const wrong = await staff.post('/admin/agenda/nouveau', { ...EVENT_FORM, title: 'Heure impossible', start_time: '14h75', intent: 'draft' });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /<p class="field-error" id="f-start_time-error">Cette date ou cette heure n’existe pas\u00a0: utilisez le format 2026-03-14 et une heure comme 14 h 30 ou 14:30\.<\/p>/);
    assert.match(wrong.body, /id="f-start_time" name="start_time" type="text" value="14h75"/, 'what was typed stays');
  });

  test('no legend repeats the label under it: « Image » then « Fichier de l’image », organisers likewise', async () => {
    const created = await staff.post('/admin/agenda/nouveau', { ...EVENT_FORM, title: 'Forum des partenaires', organisers: orgId, intent: 'draft' });
    assert.equal(created.statusCode, 303, created.body.slice(0, 3000));
    for (const html of [(await staff.get('/admin/agenda/nouveau')).body, (await staff.get(`/admin/agenda/${idFrom(created.headers.location)}`)).body, (await member.get('/mon-espace/evenements/nouveau')).body]) {
      const list = names(html.slice(html.indexOf('<main')));
      for (const [i, name] of list.entries()) assert.notEqual(name, list[i + 1], `« ${name} » twice in a row: ${list.join(' | ')}`);
      assert.ok(list.includes('Image'));
    }
    assert.match((await staff.get('/admin/agenda/nouveau')).body, /<legend>Image<\/legend>[\s\S]*?<label for="f-image_file"><span>Fichier de l’image<\/span><\/label>/);
    assert.match(
      (await staff.get(`/admin/agenda/${idFrom(created.headers.location)}`)).body,
      /<legend>Structures organisatrices<\/legend><fieldset id="f-organisers"[^>]*><legend>Cochez celles qui organisent l’événement<\/legend>/,
    );
  });
});
