import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { assertNoInternals, refuseWrites } from '../../../test/helpers/refuse-writes.js';
import { findArticle, MASTODON_JOB } from './index.js';

/** The messages, as the French catalogue shows them (no-break space before the colon). */
const NOT_SAVED = 'L’enregistrement n’a pas abouti\u00a0: rien n’a été enregistré. Vous pouvez réessayer.';
const NOT_SAVED_EN = 'Saving did not go through: nothing was saved. You can try again.';
const NOT_CHANGED = 'Le changement n’a pas abouti\u00a0: rien n’a été modifié. Vous pouvez réessayer.';
const NOT_DELETED = 'La suppression n’a pas abouti\u00a0: l’article n’a pas été supprimé. Vous pouvez réessayer.';

/** The message at the top of the page, read by screen readers at once. */
const alertOf = (message: string) => new RegExp(`<div class="flash flash-error" role="alert">${message}</div>`);
const idFrom = (location: unknown) => String(location).split('/').pop()!;

forEachDialect('news: a back-office write the database refuses leaves nothing and brings the form back', (dialect) => {
  let t: TestApp;
  let staff: Client;

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff', 'redaction@example.org');
  });
  after(() => t.close());

  const n = async (query: { executeTakeFirstOrThrow(): Promise<{ n: string | number | bigint }> }) => Number((await query.executeTakeFirstOrThrow()).n);
  const db = () => t.kernel.db;
  const articlesTitled = (title: string) => n(db().selectFrom('news_articles').where('title', '=', title).select((eb) => eb.fn.countAll().as('n')));
  const auditLines = (entityId?: string) =>
    n(entityId ? db().selectFrom('audit_log').where('entity_id', '=', entityId).select((eb) => eb.fn.countAll().as('n')) : db().selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')));
  /** Mastodon posts queued (for one article, or in all). */
  const mastodonJobs = (articleId?: string) => {
    const query = db().selectFrom('jobs').where('name', '=', MASTODON_JOB);
    return n((articleId ? query.where('idempotency_key', 'like', `${MASTODON_JOB}:${articleId}:%`) : query).select((eb) => eb.fn.countAll().as('n')));
  };
  /** An article written through the form, its success message read. */
  async function created(form: Record<string, string>): Promise<string> {
    const res = await staff.post('/admin/actualites/nouveau', form);
    assert.equal(res.statusCode, 303, res.body.slice(0, 3000));
    await staff.get(String(res.headers.location));
    return idFrom(res.headers.location);
  }

  test('staff publish an article to post on Mastodon: its log line refused, the form comes back as typed (French, English), no article, line nor post stays; then it is published once', async (ctx) => {
    const title = 'Rencontre des radios associatives';
    const form = { title, summary: 'Deux jours d’échanges à Dakar.', body: 'Le programme complet suivra.', mastodon: '1', intent: 'publish' };
    const [audit0, jobs0] = [await auditLines(), await mastodonJobs()];
    // The creation's last write but one (its line in the log) fails: the row written before it must go too.
    const allow = await refuseWrites(ctx, t.kernel.db, dialect, 'audit_log', "NEW.action = 'news.created'");

    const refused = await staff.post('/admin/actualites/nouveau', form);
    assert.equal(refused.statusCode, 503, refused.body.slice(0, 3000));
    assert.match(refused.body, alertOf(NOT_SAVED));
    assertNoInternals(refused.body);
    assert.match(refused.body, /action="\/admin\/actualites\/nouveau"/, 'the creation form, to try again');
    assert.match(refused.body, /value="Rencontre des radios associatives"/);
    assert.match(refused.body, />Deux jours d’échanges à Dakar\.</);
    assert.match(refused.body, />Le programme complet suivra\.</);
    assert.equal(await articlesTitled(title), 0, 'no article stays');
    assert.equal(await auditLines(), audit0, 'no line in the log');
    assert.equal(await mastodonJobs(), jobs0, 'no post queued');
    assert.ok(!(await staff.get('/admin/actualites')).body.includes(NOT_SAVED), 'the message is shown once');

    const payload = new URLSearchParams({ ...form, _csrf: await staff.csrf() }).toString();
    const english = await staff.request('POST', '/admin/actualites/nouveau', { payload, headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' } });
    assert.equal(english.statusCode, 503);
    assert.match(english.body, alertOf(NOT_SAVED_EN));
    assert.match(english.body, /value="Rencontre des radios associatives"/);
    assert.equal(await articlesTitled(title), 0);

    await allow();
    const id = await created(form);
    assert.equal(await articlesTitled(title), 1, 'published once');
    assert.equal((await findArticle(t.kernel.db, id))!.status, 'published');
    assert.equal(await auditLines(id), 1);
    assert.equal(await mastodonJobs(id), 1, 'its post queued once');
  });

  test('staff edit a published article and ask for the Mastodon post: the post’s queueing refused, the form comes back with their edits, the article as it was, no line in the log; then saved once', async (ctx) => {
    const id = await created({ title: 'Forum de l’eau', summary: 'À Bamako.', body: 'Inscriptions ouvertes.', intent: 'publish' });
    const edit = { title: 'Forum de l’eau 2030', summary: 'À Bamako, en mars.', body: 'Inscriptions ouvertes jusqu’au 1er mars.', mastodon: '1' };
    // The article and its log line pass; the last write (the queued post) fails: both must go.
    const allow = await refuseWrites(ctx, t.kernel.db, dialect, 'jobs', `NEW.name = '${MASTODON_JOB}'`);

    const refused = await staff.post(`/admin/actualites/${id}`, edit);
    assert.equal(refused.statusCode, 503, refused.body.slice(0, 3000));
    assert.match(refused.body, alertOf(NOT_SAVED));
    assertNoInternals(refused.body);
    assert.match(refused.body, new RegExp(`action="/admin/actualites/${id}"`));
    assert.match(refused.body, /value="Forum de l’eau 2030"/);
    assert.match(refused.body, />À Bamako, en mars\.</);
    const unchanged = (await findArticle(t.kernel.db, id))!;
    assert.equal(unchanged.title, 'Forum de l’eau', 'the article is as it was');
    assert.equal(unchanged.slug, 'forum-de-l-eau');
    assert.equal(unchanged.mastodon_post, 0);
    assert.equal(await auditLines(id), 1, 'only its creation in the log');
    assert.equal(await mastodonJobs(id), 0);

    await allow();
    const saved = await staff.post(`/admin/actualites/${id}`, edit);
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 3000));
    assert.equal((await findArticle(t.kernel.db, id))!.title, 'Forum de l’eau 2030');
    assert.equal(await auditLines(id), 2, 'one line for the edit');
    assert.equal(await mastodonJobs(id), 1, 'its post queued once');
  });

  test('staff publish a draft: its log line refused, the article’s page comes back with the message, still a draft with no post queued; then published once', async (ctx) => {
    const id = await created({ title: 'Semaine de la solidarité', summary: 'Du 14 au 22 novembre.', mastodon: '1', intent: 'draft' });
    const allow = await refuseWrites(ctx, t.kernel.db, dialect, 'audit_log', "NEW.action = 'news.publish'");

    const refused = await staff.post(`/admin/actualites/${id}/statut`, { action: 'publish' });
    assert.equal(refused.statusCode, 503, refused.body.slice(0, 3000));
    assert.match(refused.body, alertOf(NOT_CHANGED));
    assertNoInternals(refused.body);
    assert.match(refused.body, /value="Semaine de la solidarité"/, 'the article’s page');
    assert.equal((await findArticle(t.kernel.db, id))!.status, 'draft', 'still a draft');
    assert.equal((await findArticle(t.kernel.db, id))!.published_at, null);
    assert.equal(await auditLines(id), 1);
    assert.equal(await mastodonJobs(id), 0, 'no post queued');
    assert.equal((await t.client().get('/actualites/semaine-de-la-solidarite')).statusCode, 404, 'visitors do not see it');

    await allow();
    assert.equal((await staff.post(`/admin/actualites/${id}/statut`, { action: 'publish' })).statusCode, 303);
    assert.equal((await findArticle(t.kernel.db, id))!.status, 'published');
    assert.equal(await auditLines(id), 2);
    assert.equal(await mastodonJobs(id), 1, 'its post queued once');
  });

  test('staff delete an article: its log line refused, the article’s page comes back with the message and the article stays; then deleted once', async (ctx) => {
    const id = await created({ title: 'Appel à bénévoles', summary: 'Pour le festival.', intent: 'publish' });
    const allow = await refuseWrites(ctx, t.kernel.db, dialect, 'audit_log', "NEW.action = 'news.deleted'");

    const refused = await staff.post(`/admin/actualites/${id}/supprimer`);
    assert.equal(refused.statusCode, 503, refused.body.slice(0, 3000));
    assert.match(refused.body, alertOf(NOT_DELETED));
    assertNoInternals(refused.body);
    assert.match(refused.body, /value="Appel à bénévoles"/, 'the article’s page');
    assert.ok(await findArticle(t.kernel.db, id), 'the article stays');
    assert.equal((await t.client().get('/actualites/appel-a-benevoles')).statusCode, 200, 'and visitors still read it');
    assert.equal(await auditLines(id), 1);

    await allow();
    assert.equal((await staff.post(`/admin/actualites/${id}/supprimer`)).statusCode, 303);
    assert.equal(await findArticle(t.kernel.db, id), undefined);
    assert.equal(await auditLines(id), 2, 'the deletion logged once');
  });
});
