import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { assertAcceptRefused, auditLinesOf, NOT_CHANGED, NOT_CHANGED_EN, proposalStatus } from '../../../test/helpers/approval-failure.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { assertNoInternals, refuseWrites } from '../../../test/helpers/refuse-writes.js';
import { findUserByEmail } from '../../kernel/auth/repo.js';
import { createOrganisation, findOrganisationById, linkUserToOrganisation, organisationFormValues, taxonomies, taxonomyCodes, validateOrganisation } from '../organisations/index.js';

/** The form a browser would post for an organisation: every field, lists joined by commas. */
function formOf(values: object, changes: Record<string, string> = {}): Record<string, string> {
  const form: Record<string, string> = {};
  for (const [k, v] of Object.entries(organisationFormValues(values))) form[k] = Array.isArray(v) ? v.join(',') : v;
  return { ...form, ...changes };
}

forEachDialect('moderation: accepting a change of an organisation the database refuses', (dialect) => {
  let t: TestApp;
  let staff: Client;

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff', 'equipe@example.org');
  });
  after(() => t.close());

  test('refused: back on the proposal (or the edit form with the staff’s edits, in French or English); the organisation unchanged, no log line; then accepted once', async (ctx) => {
    const checked = validateOrganisation(
      { name: 'Solidarité Sahel Gironde', kind_code: 'association', commune: '33063', postcode: '33000', description: 'Une association de Bordeaux.' },
      taxonomyCodes(await taxonomies(t.kernel.db)),
      { currentYear: 2026 },
    );
    assert.ok(checked.ok);
    const org = await createOrganisation(t.kernel, { id: null, email: 'seed@example.org' }, checked.draft);
    const member = await t.loginAs('member', 'khadija@example.org');
    await linkUserToOrganisation(t.kernel.db, (await findUserByEmail(t.kernel.db, 'khadija@example.org'))!.id, org.id, new Date().toISOString());
    const sent = await member.post(`/mon-espace/structures/${org.id}/modifier`, formOf(org, { name: 'Solidarité Sahel Aquitaine', acronym: 'SSA' }));
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 3000));
    const proposalId = new RegExp('href="/admin/moderation/([0-9a-f-]{36})">Solidarité Sahel Aquitaine<').exec((await staff.get('/admin/moderation?type=organisation')).body)?.[1];
    assert.ok(proposalId);
    const [orgLines, proposalLines] = [await auditLinesOf(t.kernel.db, org.id), await auditLinesOf(t.kernel.db, proposalId)];
    const allow = await refuseWrites(ctx, t.kernel.db, dialect, 'organisations', "NEW.name LIKE 'Solidarité Sahel A%'", 'UPDATE');
    const unchanged = async () => {
      const now = (await findOrganisationById(t.kernel.db, org.id))!;
      assert.equal(now.name, 'Solidarité Sahel Gironde', 'the organisation as it was');
      assert.equal(now.acronym, null);
      assert.equal(await auditLinesOf(t.kernel.db, org.id), orgLines, 'no line in the log for the organisation');
      assert.equal(await auditLinesOf(t.kernel.db, proposalId), proposalLines, 'nor for the proposal');
      assert.equal(await proposalStatus(t.kernel.db, proposalId), 'pending');
    };

    await assertAcceptRefused(t.kernel.db, staff, proposalId, NOT_CHANGED);
    await unchanged();

    // Staff edit it, then accept: refused again, and nothing they typed is lost.
    const edited = formOf(org, { name: 'Solidarité Sahel Aquitaine', acronym: 'SSAQ', decision_message: 'Sigle complété par l’équipe.' });
    const again = await staff.post(`/admin/moderation/${proposalId}/modifier`, edited);
    assert.equal(again.statusCode, 503, again.body.slice(0, 3000));
    assert.match(again.body, new RegExp(`<div class="flash flash-error" role="alert">${NOT_CHANGED}</div>`));
    assertNoInternals(again.body);
    assert.match(again.body, /action="\/admin\/moderation\/[0-9a-f-]{36}\/modifier"/);
    assert.match(again.body, /value="Solidarité Sahel Aquitaine"/);
    assert.match(again.body, /value="SSAQ"/);
    assert.match(again.body, /name="decision_message"[^>]*>Sigle complété par l’équipe.</);
    await unchanged();

    const payload = new URLSearchParams({ ...edited, _csrf: await staff.csrf() }).toString();
    const english = await staff.request('POST', `/admin/moderation/${proposalId}/modifier`, { payload, headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' } });
    assert.equal(english.statusCode, 503);
    assert.ok(english.body.includes(NOT_CHANGED_EN), 'the message in English for staff reading in English');
    await unchanged();

    await allow();
    const accepted = await staff.post(`/admin/moderation/${proposalId}/modifier`, edited);
    assert.equal(accepted.statusCode, 303, accepted.body.slice(0, 3000));
    assert.equal(accepted.headers.location, '/admin/moderation');
    assert.equal(await proposalStatus(t.kernel.db, proposalId), 'approved');
    const changed = (await findOrganisationById(t.kernel.db, org.id))!;
    assert.equal(changed.name, 'Solidarité Sahel Aquitaine');
    assert.equal(changed.acronym, 'SSAQ');
    assert.equal(await auditLinesOf(t.kernel.db, org.id), orgLines + 1, 'the change logged once');
  });
});
