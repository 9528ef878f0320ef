import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { EVENT_FORM } from '../../../test/helpers/events.js';
import { findUserByEmail } from '../../kernel/auth/repo.js';
import { createOrganisation, linkUserToOrganisation, taxonomies, taxonomyCodes, validateOrganisation } from '../organisations/index.js';
import { findEventById } from './index.js';

// Wednesday 12 June 2030, 10:00 in Paris: the app's clock, fixed.
const NOW = new Date('2030-06-12T08:00:00Z');
const PAST = 'Cette date est passée\u00a0: indiquez une date à venir.';

function idFrom(location: unknown): string {
  return String(location).split('/').pop()!.split('#')[0]!;
}

forEachDialect('events: a member’s event starts today or later (the app’s clock); staff may record a past one; time fields say when they are required', (dialect) => {
  let t: TestApp, staff: Client, member: Client, orgId: string;
  before(async () => {
    t = await testApp(dialect, { clock: { now: () => NOW } });
    staff = await t.loginAs('staff', 'equipe@example.org');
    const organisation = validateOrganisation({ name: 'Eau Vive Gironde', kind_code: 'association', commune: '33063', postcode: '33000', visibility: 'public' }, taxonomyCodes(await taxonomies(t.kernel.db)), { currentYear: 2030 });
    assert.ok(organisation.ok, JSON.stringify(organisation));
    orgId = (await createOrganisation(t.kernel, { id: null, email: 'seed@example.org' }, organisation.draft)).id;
    member = await t.loginAs('member', 'awa@example.org');
    await linkUserToOrganisation(t.kernel.db, (await findUserByEmail(t.kernel.db, 'awa@example.org'))!.id, orgId, NOW.toISOString());
  });
  after(() => t.close());

  test('a member’s event starting in the past is refused in French on its start date, with the other errors and what was typed; today is accepted', async () => {
    const old = await member.post('/mon-espace/evenements/nouveau', { ...EVENT_FORM, type_code: 'member_event', title: 'Fête de l’eau', organisers: orgId, start_date: '2020-01-01', end_time: '' });
    assert.equal(old.statusCode, 400);
    assert.match(old.body, new RegExp(`<h2>Le formulaire contient 2 erreurs\u00a0:</h2><ul><li><a href="#f-start_date">${PAST}</a></li><li><a href="#f-end_time">`));
    assert.match(old.body, new RegExp(`<p class="field-error" id="f-start_date-error">${PAST}</p><input id="f-start_date" name="start_date" type="date" value="2020-01-01"`));
    assert.match(old.body, /value="Fête de l’eau"/, 'what was typed stays');

    const yesterday = await member.post('/mon-espace/evenements/nouveau', { ...EVENT_FORM, type_code: 'member_event', title: 'Fête de l’eau', organisers: orgId, start_date: '2030-06-11', all_day: '1' });
    assert.equal(yesterday.statusCode, 400);
    assert.match(yesterday.body, new RegExp(PAST));
    assert.doesNotMatch((await staff.get('/admin/moderation?type=event')).body, /Fête de l’eau/, 'nothing reached moderation');

    const today = await member.post('/mon-espace/evenements/nouveau', { ...EVENT_FORM, type_code: 'member_event', title: 'Fête de l’eau', organisers: orgId, start_date: '2030-06-12', start_time: '18:00', end_time: '21:00' });
    assert.equal(today.statusCode, 303, today.body.slice(0, 2000));
    assert.match((await staff.get('/admin/moderation?type=event')).body, />Fête de l’eau</);
  });

  test('staff may record a past event; its member may still edit it on its day, not move it to another past day', async () => {
    const created = await staff.post('/admin/agenda/nouveau', { ...EVENT_FORM, title: 'Rencontre de 2020', organisers: orgId, start_date: '2020-01-01', intent: 'publish' });
    assert.equal(created.statusCode, 303, created.body.slice(0, 2000));
    const id = idFrom(created.headers.location);
    assert.equal((await findEventById(t.kernel.db, id))!.starts_at.slice(0, 10), '2020-01-01');

    const kept = await member.post(`/mon-espace/evenements/${id}/modifier`, { ...EVENT_FORM, title: 'Rencontre de 2020 : le compte rendu', organisers: orgId, start_date: '2020-01-01' });
    assert.equal(kept.statusCode, 303, kept.body.slice(0, 2000));
    const moved = await member.post(`/mon-espace/evenements/${id}/modifier`, { ...EVENT_FORM, title: 'Rencontre de 2020', organisers: orgId, start_date: '2020-01-02' });
    assert.equal(moved.statusCode, 400);
    assert.match(moved.body, new RegExp(`<a href="#f-start_date">${PAST}</a>`));
  });

  test('start and end times carry no asterisk but a hint saying when they are required (member and staff forms)', async () => {
    for (const page of [await member.get('/mon-espace/evenements/nouveau'), await staff.get('/admin/agenda/nouveau')]) {
      assert.equal(page.statusCode, 200);
      for (const [name, label] of [
        ['start_time', 'Heure de début'],
        ['end_time', 'Heure de fin'],
      ] as const) {
        assert.match(
          page.body,
          new RegExp(
            `<label for="f-${name}"><span>${label}</span></label><p class="hint" id="f-${name}-hint">Obligatoire, sauf si «\u00a0Toute la journée\u00a0» est cochée\\. Heure de Paris, par exemple 14 h 30, 14h30 ou 14:30\\.</p><input id="f-${name}" name="${name}" type="text" value="" aria-describedby="f-${name}-hint"/>`,
          ),
        );
      }
    }
  });
});
