import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { newId } from '../../kernel/ids.js';
import { createActiveUser } from '../accounts/index.js';
import { GEOCODE_IMPORTED_JOB, GEOCODE_JOB } from '../map/index.js';
import { submitAccountRequest } from '../moderation/index.js';
import { createOrganisation, taxonomies, taxonomyCodes, validateOrganisation } from '../organisations/index.js';

/** The dashboard's figures as they read: each count followed by its words (« 1 demande de compte »). */
function tiles(body: string): string[] {
  return [...body.matchAll(/<li class="stat"><span class="stat-value">([^<]*)<\/span><(?:a|span) class="stat-label"(?: href="[^"]*")?>([^<]*)<\/(?:a|span)><\/li>/g)].map((m) => `${m[1]} ${m[2]}`);
}

forEachDialect('back office dashboard: each count agrees with its words', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let n = 0;

  before(async () => {
    // A geocoder that is set (never asked here: the jobs do not run): its jobs wait for it.
    t = await testApp(dialect, { env: { GEOCODER_URL: 'http://127.0.0.1:9/geocodage' } });
    staff = await t.loginAs('staff', 'equipe@example.org');
  });
  after(() => t.close());

  async function organisation(name: string) {
    const checked = validateOrganisation({ name, kind_code: 'association', commune: '33522', postcode: '33400' }, taxonomyCodes(await taxonomies(t.kernel.db)), { currentYear: 2026 });
    assert.ok(checked.ok, JSON.stringify(!checked.ok && checked.errors));
    return createOrganisation(t.kernel, { id: null, email: 'seed@example.org' }, checked.draft);
  }

  /** A pair of organisations the duplicate scan would leave for staff to review. */
  async function candidatePair(x: string, y: string) {
    const [a, b] = x < y ? [x, y] : [y, x];
    const at = new Date().toISOString();
    await t.kernel.db
      .insertInto('duplicate_candidates')
      .values({ id: newId(), organisation_a_id: a, organisation_b_id: b, score: 0.9, reasons: '[]', auto_mergeable: 0, status: 'pending', created_at: at, updated_at: at, last_seen_at: at, decided_at: null, decided_by: null })
      .execute();
  }

  /**
   * One more of everything the dashboard counts: a proposal with its account request, a duplicate
   * pair (one of its organisations still waiting for its position), an invited member, a failed job.
   */
  async function oneMoreOfEach() {
    n++;
    await submitAccountRequest(t.kernel, {
      name: `Personne ${n}`,
      email: `demande${n}@example.org`,
      organisationId: null,
      newOrganisation: { name: `Association nouvelle ${n}`, commune: '33063', postcode: '33000' },
      message: null,
      ip: '127.0.0.1',
    });
    const a = await organisation(`Amis de Kaolack ${n}`);
    const b = await organisation(`Amis Kaolack ${n}`);
    await candidatePair(a.id, b.id);
    await t.kernel.db.updateTable('jobs').set({ status: 'done' }).where('name', 'in', [GEOCODE_JOB, GEOCODE_IMPORTED_JOB]).where('payload', 'like', `%${b.id}%`).execute();
    const invited = await createActiveUser(t.kernel, { email: `invite${n}@example.org`, role: 'member' });
    await t.kernel.db.updateTable('users').set({ status: 'invited' }).where('id', '=', invited.id).execute();
    const job = (await t.kernel.jobs.enqueue('dashboard.test', {}))!;
    await t.kernel.db.updateTable('jobs').set({ status: 'failed', last_error: 'boom' }).where('id', '=', job).execute();
  }

  test('French: 0 and 1 take the singular, 2 the plural; English: 1 alone takes the singular', async () => {
    assert.deepEqual(tiles((await staff.get('/admin')).body), [
      '0 proposition à modérer',
      '0 demande de compte',
      '0 doublon à examiner',
      '0 compte membre',
      '1 compte de l’équipe',
      '0 invitation en attente',
      '0 tâche en échec',
    ]);
    assert.deepEqual(tiles((await staff.get('/admin', { 'accept-language': 'en' })).body), [
      '0 proposals to moderate',
      '0 account requests',
      '0 duplicates to review',
      '0 member accounts',
      '1 staff account',
      '0 pending invitations',
      '0 failed jobs',
    ]);

    await oneMoreOfEach();
    assert.deepEqual(tiles((await staff.get('/admin')).body), [
      '1 proposition à modérer',
      '1 demande de compte',
      '1 doublon à examiner',
      '1 compte membre',
      '1 compte de l’équipe',
      '1 invitation en attente',
      '1 tâche en échec',
      '1 structure en attente de géocodage',
    ]);
    assert.deepEqual(tiles((await staff.get('/admin', { 'accept-language': 'en' })).body), [
      '1 proposal to moderate',
      '1 account request',
      '1 duplicate to review',
      '1 member account',
      '1 staff account',
      '1 pending invitation',
      '1 failed job',
      '1 organisation waiting to be geocoded',
    ]);

    await oneMoreOfEach();
    await createActiveUser(t.kernel, { email: 'equipe2@example.org', role: 'staff' });
    assert.deepEqual(tiles((await staff.get('/admin')).body), [
      '2 propositions à modérer',
      '2 demandes de compte',
      '2 doublons à examiner',
      '2 comptes membres',
      '2 comptes de l’équipe',
      '2 invitations en attente',
      '2 tâches en échec',
      '2 structures en attente de géocodage',
    ]);
    assert.deepEqual(tiles((await staff.get('/admin', { 'accept-language': 'en' })).body), [
      '2 proposals to moderate',
      '2 account requests',
      '2 duplicates to review',
      '2 member accounts',
      '2 staff accounts',
      '2 pending invitations',
      '2 failed jobs',
      '2 organisations waiting to be geocoded',
    ]);
  });
});

forEachDialect('back office dashboard: without a geocoder, no queue waits for one', (dialect) => {
  let t: TestApp;
  let staff: Client;

  before(async () => {
    // GEOCODER_URL empty (the tests' default): geocoding disabled, as the README documents.
    t = await testApp(dialect);
    assert.equal(t.config.geocoderUrl, null);
    staff = await t.loginAs('staff', 'equipe@example.org');
  });
  after(() => t.close());

  async function organisation(name: string) {
    const checked = validateOrganisation({ name, kind_code: 'association', commune: '33522', postcode: '33400' }, taxonomyCodes(await taxonomies(t.kernel.db)), { currentYear: 2026 });
    assert.ok(checked.ok, JSON.stringify(!checked.ok && checked.errors));
    return createOrganisation(t.kernel, { id: null, email: 'seed@example.org' }, checked.draft);
  }

  test('the dashboard counts the organisations placed at their département’s centre, and says the geocoder is disabled', async () => {
    const first = await organisation('Amis de Kaolack');
    // Its job is queued: it will not wait for a geocoder, so the dashboard shows no queue.
    assert.doesNotMatch((await staff.get('/admin')).body, /en attente de géocodage|géocodeur désactivé/);

    await t.kernel.jobs.runDue();
    const placed = await t.kernel.db.selectFrom('organisations').select(['geo_precision']).where('id', '=', first.id).executeTakeFirstOrThrow();
    assert.equal(placed.geo_precision, 'department', 'placed at once at its département’s chef-lieu, an approximate position');
    let body = (await staff.get('/admin')).body;
    assert.ok(tiles(body).includes('1 structure placée au centre de son département (géocodeur désactivé)'), tiles(body).join(' | '));
    assert.doesNotMatch(body, /en attente de géocodage/);

    await organisation('Solidarité Bègles Sahel');
    await t.kernel.jobs.runDue();
    body = (await staff.get('/admin')).body;
    assert.ok(tiles(body).includes('2 structures placées au centre de leur département (géocodeur désactivé)'), tiles(body).join(' | '));
    assert.doesNotMatch(body, /en attente de géocodage|Le géocodeur ne répond pas/);
    const english = (await staff.get('/admin', { 'accept-language': 'en' })).body;
    assert.ok(tiles(english).includes('2 organisations placed at the centre of their département (geocoder disabled)'), tiles(english).join(' | '));
    assert.doesNotMatch(english, /waiting to be geocoded/);
  });
});
