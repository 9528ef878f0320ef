import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { assertAcceptRefused, auditLinesOf, NOT_CHANGED, NOT_CREATED, proposalStatus } from '../../../test/helpers/approval-failure.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { refuseWrites } from '../../../test/helpers/refuse-writes.js';
import { findUserByEmail } from '../../kernel/auth/repo.js';
import { createOrganisation, linkUserToOrganisation, taxonomies, taxonomyCodes, validateOrganisation } from '../organisations/index.js';
import { findArticle } from './index.js';

forEachDialect('news: accepting a member’s proposal the database refuses', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let member: Client;
  let orgId: string;

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff', 'redaction@example.org');
    const checked = validateOrganisation({ name: 'Radio Teranga', kind_code: 'association', commune: '33063', postcode: '33000', visibility: 'public' }, taxonomyCodes(await taxonomies(t.kernel.db)), { currentYear: 2026 });
    assert.ok(checked.ok);
    orgId = (await createOrganisation(t.kernel, { id: null, email: 'seed@example.org' }, checked.draft)).id;
    member = await t.loginAs('member', 'aminata@example.org');
    await linkUserToOrganisation(t.kernel.db, (await findUserByEmail(t.kernel.db, 'aminata@example.org'))!.id, orgId, new Date().toISOString());
  });
  after(() => t.close());

  const proposalIdOf = async (title: string) => new RegExp(`href="/admin/moderation/([0-9a-f-]{36})">${title}<`).exec((await staff.get('/admin/moderation?type=news')).body)?.[1];
  const articlesTitled = async (title: string) =>
    Number((await t.kernel.db.selectFrom('news_articles').where('title', '=', title).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  test('a new article refused: nothing created, the proposal waits; then published once', async (ctx) => {
    const title = 'Émission spéciale migrations';
    assert.equal((await member.post('/mon-espace/actualites/nouveau', { title, summary: 'En direct du marché.', body: 'Écoutez-nous.', organisation: orgId })).statusCode, 303);
    const proposalId = await proposalIdOf(title);
    assert.ok(proposalId);
    const allow = await refuseWrites(ctx, t.kernel.db, dialect, 'news_articles', "NEW.title LIKE 'Émission spéciale%'");

    await assertAcceptRefused(t.kernel.db, staff, proposalId, NOT_CREATED);
    assert.equal(await articlesTitled(title), 0);

    await allow();
    assert.equal((await staff.post(`/admin/moderation/${proposalId}/approuver`)).statusCode, 303);
    assert.equal(await proposalStatus(t.kernel.db, proposalId), 'approved');
    assert.equal(await articlesTitled(title), 1, 'published once');
  });

  test('a change of a published article refused: the article unchanged, no log line, the proposal waits; then changed once', async (ctx) => {
    const title = 'Festival des radios associatives';
    assert.equal((await member.post('/mon-espace/actualites/nouveau', { title, summary: 'Trois jours de direct.', body: 'Programme à venir.', organisation: orgId })).statusCode, 303);
    const created = await proposalIdOf(title);
    assert.ok(created);
    assert.equal((await staff.post(`/admin/moderation/${created}/approuver`)).statusCode, 303);
    const articleId = (await t.kernel.db.selectFrom('news_articles').where('title', '=', title).select('id').executeTakeFirstOrThrow()).id;

    const change = await member.post(`/mon-espace/actualites/${articleId}/modifier`, { title: `${title} 2030`, summary: 'Trois jours de direct.', body: 'Programme complet.', organisation: orgId, image: '' });
    assert.equal(change.statusCode, 303, change.body.slice(0, 3000));
    const proposalId = await proposalIdOf(`${title} 2030`);
    assert.ok(proposalId);
    const [articleLines, proposalLines] = [await auditLinesOf(t.kernel.db, articleId), await auditLinesOf(t.kernel.db, proposalId)];
    const allow = await refuseWrites(ctx, t.kernel.db, dialect, 'news_articles', `NEW.title = '${title} 2030'`, 'UPDATE');

    await assertAcceptRefused(t.kernel.db, staff, proposalId, NOT_CHANGED);
    const unchanged = (await findArticle(t.kernel.db, articleId))!;
    assert.equal(unchanged.title, title, 'the article as it was');
    assert.equal(await auditLinesOf(t.kernel.db, articleId), articleLines, 'no line in the log for the article');
    assert.equal(await auditLinesOf(t.kernel.db, proposalId), proposalLines, 'nor for the proposal');

    await allow();
    assert.equal((await staff.post(`/admin/moderation/${proposalId}/approuver`)).statusCode, 303);
    assert.equal(await proposalStatus(t.kernel.db, proposalId), 'approved');
    assert.equal((await findArticle(t.kernel.db, articleId))!.title, `${title} 2030`);
    assert.equal(await auditLinesOf(t.kernel.db, articleId), articleLines + 1, 'the change logged once');
  });
});
