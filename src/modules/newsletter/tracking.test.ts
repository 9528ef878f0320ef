import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type ParsedMail, simpleParser } from 'mailparser';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { newId } from '../../kernel/ids.js';
import { newsletterDeps } from './deps.js';
import { saveNewsletterSettings } from './settings.js';
import { SmtpSink } from './testing/smtp-sink.js';
import { redirectTarget, trackableLinks, withTracking } from './tracking.js';

async function post(client: Client, url: string, fields: Array<[string, string]>) {
  const body = new URLSearchParams(fields);
  body.set('_csrf', await client.csrf());
  return client.request('POST', url, { payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

const SITE = 'http://localhost:3000';
const PARTNER = 'https://partenaire.example.org/appel?id=12&lang=fr';
const BODY = `<p>Lisez <a href="${PARTNER.replace('&', '&amp;')}">l’appel</a>, voyez <a href="/agenda">l’agenda</a>, <a href="mailto:info@example.org">écrivez-nous</a> ou relisez <a href="${PARTNER.replace('&', '&amp;')}">le même appel</a>.</p>`;

const hrefsOf = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

test('only http(s) content links are tracked: never the web version, the person’s own pages or mailto', () => {
  const site = { baseUrl: SITE, webUrl: `${SITE}/lettre/2026-03-lettre-abc` };
  const html = [
    `<a href="${site.webUrl}">version en ligne</a>`,
    `<a href="${SITE}/desinscription/jeton">se désinscrire</a>`,
    `<a href="${SITE}/Preferences/jeton">préférences</a>`,
    '<a href="mailto:info@example.org">écrire</a>',
    '<a href="ftp://example.org/f">ftp</a>',
    '<a class="x" href="https://example.org/a?b=1&amp;c=&quot;2&quot;">a</a>',
    `<a href="${SITE}/lettre/autre-numero">un autre numéro</a>`,
  ].join('');
  const links = trackableLinks(html, site);
  assert.deepEqual(links, ['https://example.org/a?b=1&c="2"', `${SITE}/lettre/autre-numero`]);
  const tracked = withTracking(`<html><body>${html}<a href="https://example.org/pas-en-liste">x</a></body></html>`, links.slice(0, 1), site, 'TOKEN');
  assert.match(tracked, /<a class="x" href="http:\/\/localhost:3000\/lettre\/c\/TOKEN\/0">/);
  assert.match(tracked, /href="https:\/\/example\.org\/pas-en-liste"/, 'a link missing from the stored list stays as written');
  assert.match(tracked, /href="http:\/\/localhost:3000\/lettre\/autre-numero"/);
  assert.match(tracked, /<img src="http:\/\/localhost:3000\/lettre\/o\/TOKEN\.gif" width="1" height="1" alt=""><\/body>/);
});

test('the redirect target is the stored link as written, or its encoded form; nothing but http(s)', () => {
  assert.equal(redirectTarget('https://example.org/a?b=1&c=2#d'), 'https://example.org/a?b=1&c=2#d');
  assert.equal(redirectTarget('https://exemple.fr/été?q=à b'), 'https://exemple.fr/%C3%A9t%C3%A9?q=%C3%A0%20b');
  assert.equal(redirectTarget('javascript:alert(1)'), null);
  assert.equal(redirectTarget('//evil.example/'), null);
});

forEachDialect('newsletter: open and click tracking, off by default', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let sink: SmtpSink;
  let listId = '';
  const ids: Record<string, string> = {};
  const db = () => t.kernel.db;

  async function subscriber(email: string, name: string | null) {
    const at = new Date().toISOString();
    const id = newId();
    await db().insertInto('newsletter_subscribers').values({ id, email, email_lower: email.toLowerCase(), name, organisation: null, contact_id: null, token: `jeton-${id.replace(/-/g, '')}`, created_at: at, updated_at: at }).execute();
    await db().insertInto('newsletter_subscriptions').values({ subscriber_id: id, list_id: listId, status: 'confirmed', created_at: at, updated_at: at }).execute();
    return id;
  }

  async function createMailing(fields: Array<[string, string]>): Promise<string> {
    const res = await post(staff, '/admin/lettres/nouvelle', [['from_name', 'Réseau Test'], ['body', BODY], ['lists', listId], ...fields]);
    assert.equal(res.statusCode, 303, res.body.slice(0, 3000));
    return String(res.headers.location).split('/').pop()!;
  }

  /** Sends the mailing now and returns each message by recipient address. */
  async function send(id: string): Promise<Map<string, { raw: string; mail: ParsedMail }>> {
    const before = sink.raw.length;
    const res = await post(staff, `/admin/lettres/${id}/envoyer`, [['when', 'now']]);
    assert.equal(res.statusCode, 303, res.body.slice(0, 3000));
    await t.kernel.jobs.runDue();
    assert.equal((await db().selectFrom('newsletter_mailings').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'sent');
    const out = new Map<string, { raw: string; mail: ParsedMail }>();
    for (const m of sink.raw.slice(before)) out.set(m.to[0]!, { raw: m.data, mail: await simpleParser(m.data) });
    return out;
  }

  const recipient = (mailingId: string, email: string) => db().selectFrom('newsletter_recipients').selectAll().where('mailing_id', '=', mailingId).where('email', '=', email).executeTakeFirstOrThrow();
  const subscriberToken = async (email: string) => (await db().selectFrom('newsletter_subscribers').select('token').where('email_lower', '=', email).executeTakeFirstOrThrow()).token;

  before(async () => {
    sink = await new SmtpSink({ keep: true }).start();
    t = await testApp(dialect, { env: { SMTP_URL: sink.url } });
    staff = await t.loginAs('staff');
    await staff.get('/admin/lettres');
    const created = await post(staff, '/admin/lettres/listes', [['name', 'Lettre mesurée'], ['is_public', '1'], ['double_opt_in', '1']]);
    assert.equal(created.statusCode, 303, created.body.slice(0, 3000));
    listId = (await db().selectFrom('newsletter_lists').select('id').where('name', '=', 'Lettre mesurée').executeTakeFirstOrThrow()).id;
    ids['awa'] = await subscriber('awa@example.org', 'Awa Traoré');
    ids['bruno'] = await subscriber('bruno@example.org', null);
    await saveNewsletterSettings(newsletterDeps(t.kernel), { ratePerSecond: 0, ratePerHour: 0 });
  });
  after(async () => {
    await t.close();
    await sink.close();
  });

  test('off by default: the box is unticked, and the emails carry no pixel and no rewritten link', async () => {
    const form = await staff.get('/admin/lettres/nouvelle');
    assert.match(form.body, /Mesurer les ouvertures et les clics/);
    assert.match(form.body, /Désactivé par défaut, par respect de la vie privée/);
    const box = /<input[^>]*name="track"[^>]*>/.exec(form.body)?.[0] ?? '';
    assert.ok(box, 'the tracking box is on the form');
    assert.doesNotMatch(box, /checked/);
    const id = await createMailing([['subject', 'Sans mesure']]);
    assert.equal((await db().selectFrom('newsletter_mailings').select('tracking').where('id', '=', id).executeTakeFirstOrThrow()).tracking, 0);
    const messages = await send(id);
    assert.equal(messages.size, 2);
    for (const [to, { raw, mail }] of messages) {
      for (const part of [raw, String(mail.html), String(mail.text)]) assert.doesNotMatch(part, /\/lettre\/[oc]\//, `${to}: nothing tracked`);
      assert.doesNotMatch(String(mail.html), /<img/);
      const hrefs = hrefsOf(String(mail.html));
      assert.ok(hrefs.includes(PARTNER), 'the original link');
      assert.ok(hrefs.includes(`${SITE}/agenda`));
      assert.equal((await recipient(id, to)).track_token, null);
    }
    assert.equal((await db().selectFrom('newsletter_mailing_links').select('url').where('mailing_id', '=', id).execute()).length, 0);
    const page = await staff.get(`/admin/lettres/${id}`);
    assert.match(page.body, /Mesure désactivée pour cet envoi/);
    assert.match(page.body, /data-tracking="unique-opens"[^>]*>—</);
    assert.match(page.body, /data-tracking="click-rate"[^>]*>—</);
  });

  test('on: each message has its pixel and tracked links; unsubscribe, preferences, web version, mailto and the text part are untouched', async () => {
    const id = await createMailing([['subject', 'Avec mesure'], ['track', '1']]);
    ids['tracked'] = id;
    assert.equal((await db().selectFrom('newsletter_mailings').select('tracking').where('id', '=', id).executeTakeFirstOrThrow()).tracking, 1);
    const draft = await staff.get(`/admin/lettres/${id}`);
    assert.match(/<input[^>]*name="track"[^>]*>/.exec(draft.body)?.[0] ?? '', /checked/);
    // A test send is not measured: it has no recipient row.
    const before = sink.raw.length;
    assert.equal((await post(staff, `/admin/lettres/${id}/test`, [['addresses', 'moi@example.org']])).statusCode, 303);
    assert.doesNotMatch(sink.raw.slice(before)[0]!.data, /\/lettre\/[oc]\//);

    const messages = await send(id);
    assert.equal(messages.size, 2);
    const links = await db().selectFrom('newsletter_mailing_links').select(['position', 'url']).where('mailing_id', '=', id).orderBy('position').execute();
    assert.deepEqual(
      links.map((l) => [Number(l.position), l.url]),
      [
        [0, PARTNER],
        [1, `${SITE}/agenda`],
      ],
    );
    const slug = (await db().selectFrom('newsletter_mailings').select('slug').where('id', '=', id).executeTakeFirstOrThrow()).slug;
    const tokens = new Set<string>();
    for (const [to, { raw, mail }] of messages) {
      const row = await recipient(id, to);
      const token = row.track_token!;
      assert.match(token, /^[A-Za-z0-9_-]{20,}$/);
      tokens.add(token);
      const html = String(mail.html);
      assert.ok(html.includes(`<img src="${SITE}/lettre/o/${token}.gif" width="1" height="1" alt="">`), `${to}: the open pixel`);
      const hrefs = hrefsOf(html);
      assert.equal(hrefs.filter((h) => h === `${SITE}/lettre/c/${token}/0`).length, 2, 'the same link twice, one index');
      assert.ok(hrefs.includes(`${SITE}/lettre/c/${token}/1`));
      assert.ok(!hrefs.includes(PARTNER) && !hrefs.includes(`${SITE}/agenda`), 'no untracked copy of a tracked link');
      const personal = await subscriberToken(to);
      // A list recipient's unsubscribe link names the mailing's list (leaving it only).
      assert.ok(hrefs.includes(`${SITE}/desinscription/${personal}?liste=${listId}`), 'unsubscribe link as is');
      assert.ok(hrefs.includes(`${SITE}/preferences/${personal}`), 'preferences link as is');
      assert.ok(hrefs.includes(`${SITE}/lettre/${slug}`), 'web version link as is');
      assert.ok(hrefs.includes('mailto:info@example.org'));
      assert.ok(
        hrefs.every((h) => !h.startsWith(`${SITE}/lettre/c/`) || /\/lettre\/c\/[^/]+\/[01]$/.test(h)),
        'only the two content links are rewritten',
      );
      const text = String(mail.text);
      assert.doesNotMatch(text, /\/lettre\/[oc]\//);
      assert.ok(text.includes(PARTNER) && text.includes(`${SITE}/agenda`), 'the text part keeps the links');
      const listUnsubscribe = (raw.match(/^List-Unsubscribe:(.*(?:\r\n[ \t].*)*)/im)?.[1] ?? '').replace(/\r\n[ \t]+/g, ' ');
      assert.match(listUnsubscribe, new RegExp(`<${SITE}/desinscription/${personal}\\?liste=${listId}>`), 'the List-Unsubscribe header as is');
    }
    assert.equal(tokens.size, 2, 'one token per recipient');
    // The choice is fixed once the send has started.
    const change = await post(staff, `/admin/lettres/${id}`, [['subject', 'Avec mesure'], ['from_name', 'Réseau Test'], ['body', 'x'], ['lists', listId]]);
    assert.equal(change.statusCode, 409);
    assert.equal((await db().selectFrom('newsletter_mailings').select('tracking').where('id', '=', id).executeTakeFirstOrThrow()).tracking, 1);
  });

  test('a click is counted and redirected (303) to the exact original link; the pixel is a no-cache GIF that counts opens', async () => {
    const id = ids['tracked']!;
    const awa = await recipient(id, 'awa@example.org');
    const token = awa.track_token!;
    const visitor = t.client();
    const click = await visitor.get(`/lettre/c/${token}/0`);
    assert.equal(click.statusCode, 303);
    assert.equal(click.headers.location, PARTNER);
    assert.match(String(click.headers['cache-control']), /no-store/);
    // The query string cannot choose the target.
    const forged = await visitor.get(`/lettre/c/${token}/1?url=https%3A%2F%2Fevil.example%2F&to=https://evil.example/`);
    assert.equal(forged.headers.location, `${SITE}/agenda`);
    assert.equal((await visitor.get(`/lettre/c/${token}/0`)).statusCode, 303);
    const clicks = await db().selectFrom('newsletter_clicks').selectAll().where('recipient_id', '=', awa.id).orderBy('link_position').execute();
    assert.deepEqual(
      clicks.map((c) => [Number(c.link_position), Number(c.clicks)]),
      [
        [0, 2],
        [1, 1],
      ],
    );
    // Nothing about the visitor's connection is kept.
    assert.deepEqual(Object.keys(clicks[0]!).sort(), ['clicks', 'first_clicked_at', 'last_clicked_at', 'link_position', 'mailing_id', 'recipient_id']);
    // A link checker's HEAD request is answered without counting.
    assert.equal((await visitor.request('HEAD', `/lettre/c/${token}/0`)).statusCode, 303);
    assert.equal(Number((await db().selectFrom('newsletter_clicks').select('clicks').where('recipient_id', '=', awa.id).where('link_position', '=', 0).executeTakeFirstOrThrow()).clicks), 2);

    const pixel = await visitor.get(`/lettre/o/${token}.gif`);
    assert.equal(pixel.statusCode, 200);
    assert.equal(pixel.headers['content-type'], 'image/gif');
    assert.equal(pixel.rawPayload.subarray(0, 6).toString('latin1'), 'GIF89a');
    assert.ok(pixel.rawPayload.length < 64, 'a tiny image');
    assert.match(String(pixel.headers['cache-control']), /no-store/);
    assert.match(String(pixel.headers['cache-control']), /no-cache/);
    assert.equal(pixel.headers['pragma'], 'no-cache');
    assert.equal(pixel.headers['set-cookie'], undefined, 'no cookie set by the pixel');
    const first = await recipient(id, 'awa@example.org');
    assert.equal(first.open_count, 1);
    assert.ok(first.opened_at);
    await visitor.get(`/lettre/o/${token}.gif`);
    const second = await recipient(id, 'awa@example.org');
    assert.equal(second.open_count, 2);
    assert.equal(second.opened_at, first.opened_at, 'the first open is kept');
  });

  test('a forged index or token answers 404 and counts nothing', async () => {
    const id = ids['tracked']!;
    const token = (await recipient(id, 'bruno@example.org')).track_token!;
    const visitor = t.client();
    for (const url of [
      `/lettre/c/${token}/2`,
      `/lettre/c/${token}/99`,
      `/lettre/c/${token}/-1`,
      `/lettre/c/${token}/01`,
      `/lettre/c/${token}/1e1`,
      `/lettre/c/jeton-invente-jeton-invente-00/0`,
      `/lettre/c/court/0`,
      `/lettre/o/jeton-invente-jeton-invente-00.gif`,
      `/lettre/o/${token}x.gif`,
    ]) {
      assert.equal((await visitor.get(url)).statusCode, 404, url);
    }
    // Only GET (and HEAD): no other method is routed there.
    assert.equal((await visitor.request('POST', `/lettre/c/${token}/0`)).statusCode, 404);
    const bruno = await recipient(id, 'bruno@example.org');
    assert.equal(bruno.open_count, 0);
    assert.equal(bruno.opened_at, null);
    assert.equal((await db().selectFrom('newsletter_clicks').select('recipient_id').where('recipient_id', '=', bruno.id).execute()).length, 0);
  });

  test('the mailing page shows unique opens and clicks with their rates, and the clicks per link', async () => {
    const id = ids['tracked']!;
    // Bruno's mail client blocks images, but he clicks the agenda: he opened it too.
    const bruno = (await recipient(id, 'bruno@example.org')).track_token!;
    assert.equal((await t.client().get(`/lettre/c/${bruno}/1`)).statusCode, 303);
    const page = await staff.get(`/admin/lettres/${id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Mesure activée pour cet envoi/);
    assert.match(page.body, /data-tracking="unique-opens"[^>]*>2</);
    assert.match(page.body, /data-tracking="open-rate"[^>]*>100\s?%</u);
    assert.match(page.body, /data-tracking="opens"[^>]*>2</);
    assert.match(page.body, /data-tracking="unique-clicks"[^>]*>2</);
    assert.match(page.body, /data-tracking="click-rate"[^>]*>100\s?%</u);
    const row = (position: number) => new RegExp(`<tr data-tracking-link="${position}">([\\s\\S]*?)</tr>`).exec(page.body)?.[1] ?? '';
    assert.match(row(0), /partenaire\.example\.org\/appel\?id=12&amp;lang=fr/);
    assert.deepEqual([...row(0).matchAll(/<td[^>]*>(\d+)<\/td>/g)].map((m) => m[1]), ['2', '1']);
    assert.match(row(1), /localhost:3000\/agenda/);
    assert.deepEqual([...row(1).matchAll(/<td[^>]*>(\d+)<\/td>/g)].map((m) => m[1]), ['2', '2']);
    assert.match(page.body, /filtres anti-spam/);
  });

  test('RGPD: the export holds the person’s opens and clicks; erasure removes them', async () => {
    const id = ids['tracked']!;
    const awa = await recipient(id, 'awa@example.org');
    const exported = await post(staff, `/admin/lettres/abonnes/${ids['awa']}/export`, []);
    assert.equal(exported.statusCode, 200);
    type Received = { subject: string; first_opened_at?: string | null; opens?: number; clicks?: { url: string; clicks: number }[] };
    const doc = JSON.parse(exported.body) as { newsletter: { mailings_received: Received[] }[] };
    const received = doc.newsletter[0]!.mailings_received;
    const tracked = received.find((r) => r.subject === 'Avec mesure')!;
    assert.equal(tracked.opens, 2);
    assert.equal(tracked.first_opened_at, awa.opened_at);
    assert.deepEqual(
      tracked.clicks?.map((c) => [c.url, c.clicks]),
      [
        [PARTNER, 2],
        [`${SITE}/agenda`, 1],
      ],
    );
    const untracked = received.find((r) => r.subject === 'Sans mesure')!;
    assert.equal(untracked.opens, undefined, 'nothing measured, nothing reported');

    assert.equal((await post(staff, `/admin/lettres/abonnes/${ids['awa']}/effacer`, [])).statusCode, 303);
    assert.equal((await db().selectFrom('newsletter_clicks').select('recipient_id').where('recipient_id', '=', awa.id).execute()).length, 0);
    assert.equal((await db().selectFrom('newsletter_recipients').select('id').where('id', '=', awa.id).execute()).length, 0);
    // Her token no longer leads anywhere; the figures left are Bruno's.
    assert.equal((await t.client().get(`/lettre/o/${awa.track_token}.gif`)).statusCode, 404);
    const page = await staff.get(`/admin/lettres/${id}`);
    assert.match(page.body, /data-tracking="unique-clicks"[^>]*>1</);
  });
});
