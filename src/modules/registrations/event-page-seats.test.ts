import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { cancelRegistration } from './cancel.js';
import { registrationsByEmail } from './repo.js';
import { insertTestEvent } from './test-fixtures-repo.js';

const form = (i: number) => ({
  first_name: 'Awa',
  last_name: `Diallo ${i}`,
  email: `places${i}@example.org`,
  organisation_name: 'Eau Vive Gironde',
  organisation_kind: 'association',
  organisation_department: '33',
  consent: '1',
});

/** The call to register as the event page shows it: its words, the button's text and where it goes. */
function registration(html: string): { text: string; button: string | null; href: string | null } {
  const block = /<p class="event-registration">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '';
  const button = /<a class="button button-primary" href="([^"]+)">([^<]*)<\/a>/.exec(block);
  return { text: block.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim(), button: button?.[2] ?? null, href: button?.[1] ?? null };
}

/** The card of the agenda's list titled so. */
const cardOf = (html: string, title: string) => [...html.matchAll(/<li class="event-card[\s\S]*?<\/li>/g)].map((m) => m[0]).find((card) => card.includes(`<span>${title}</span>`)) ?? '';

forEachDialect('Inscriptions : la page publique de l’événement et l’agenda disent les places', (dialect) => {
  let t: TestApp;
  before(async () => {
    t = await testApp(dialect);
  });
  after(async () => t.close());

  /** An anonymous visitor with no cookie: the one the page cache serves. */
  const anonymous = (url: string) => t.app.inject({ method: 'GET', url });

  async function register(slug: string, i: number): Promise<void> {
    const visitor: Client = t.client();
    const posted = await visitor.post(`/agenda/${slug}/inscription`, form(i));
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 300));
  }

  test('the places left, then « Complet — inscription en liste d’attente », at once after each registration and cancellation, cached page or not', async () => {
    const title = 'Atelier « places comptées »';
    const event = await insertTestEvent(t.kernel.db, { capacity: 2, waitlist_enabled: 1, title });
    const page = `/agenda/${event.slug}`;

    const before = await anonymous(page);
    assert.equal(before.statusCode, 200);
    assert.deepEqual(registration(before.body), { text: '2 places restantes S’inscrire', button: 'S’inscrire', href: `/agenda/${event.slug}/inscription` });
    assert.equal((await anonymous(page)).headers['x-page-cache'], 'hit', 'the page is cached for anonymous visitors');
    assert.doesNotMatch(cardOf((await anonymous('/agenda')).body, 'Atelier « places comptées »'), /Complet/);

    await register(event.slug, 1);
    const one = await anonymous(page);
    assert.notEqual(one.headers['x-page-cache'], 'hit', 'a registration ends the cached page');
    assert.equal(registration(one.body).text, '1 place restante S’inscrire');

    await register(event.slug, 2);
    const full = registration((await anonymous(page)).body);
    assert.equal(full.text, 'Complet — inscription en liste d’attente S’inscrire en liste d’attente');
    assert.equal(full.button, 'S’inscrire en liste d’attente');
    assert.equal(full.href, `/agenda/${event.slug}/inscription`);
    assert.doesNotMatch((await anonymous(page)).body, /places? restantes?/);
    // The agenda's list marks it too.
    const card = cardOf((await anonymous('/agenda')).body, 'Atelier « places comptées »');
    assert.ok(card, 'the event is listed');
    assert.match(card, /<span class="badge badge-full">Complet<\/span>/);

    // Someone on the waiting list changes nothing; a cancellation gives the seat to them: still full.
    await register(event.slug, 3);
    assert.match(registration((await anonymous(page)).body).text, /^Complet — inscription en liste d’attente/);
    const [first] = await registrationsByEmail(t.kernel.db, 'places1@example.org');
    assert.ok(first);
    await cancelRegistration(t.kernel, first.id, null);
    assert.match(registration((await anonymous(page)).body).text, /^Complet/, 'the waitlisted person took the seat');
    const [third] = await registrationsByEmail(t.kernel.db, 'places3@example.org');
    await cancelRegistration(t.kernel, third!.id, null);
    assert.equal(registration((await anonymous(page)).body).text, '1 place restante S’inscrire', 'a seat freed with nobody waiting');
    assert.doesNotMatch(cardOf((await anonymous('/agenda')).body, title), /Complet/, 'the mark goes with it');

    // The English site says it in English.
    const english = await t.app.inject({ method: 'GET', url: page, headers: { 'accept-language': 'en' } });
    assert.equal(registration(english.body).text, '1 seat left Register');
  });

  test('full without a waiting list: « Complet », and no button to a form that would refuse', async () => {
    const event = await insertTestEvent(t.kernel.db, { capacity: 1, waitlist_enabled: 0, title: 'Visite de terrain sans liste d’attente' });
    await register(event.slug, 10);
    const page = await anonymous(`/agenda/${event.slug}`);
    assert.deepEqual(registration(page.body), { text: 'Complet', button: null, href: null });
    assert.doesNotMatch(page.body, new RegExp(`href="/agenda/${event.slug}/inscription"`));
    assert.match(cardOf((await anonymous('/agenda')).body, 'Visite de terrain sans liste d’attente'), /<span class="badge badge-full">Complet<\/span>/);
    // The form's address, typed or kept: it says so at once, with no form to fill in for nothing.
    const form = await anonymous(`/agenda/${event.slug}/inscription`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /L’événement est complet et n’a pas de liste d’attente\./);
    assert.doesNotMatch(form.body, /vous serez inscrit·e en liste d’attente/);
    assert.doesNotMatch(form.body, /id="registration-form"/);
  });

  test('without a seat limit: the button alone, no count', async () => {
    const event = await insertTestEvent(t.kernel.db, { capacity: null, title: 'Forum ouvert à tous' });
    await register(event.slug, 20);
    const page = await anonymous(`/agenda/${event.slug}`);
    assert.deepEqual(registration(page.body), { text: 'S’inscrire', button: 'S’inscrire', href: `/agenda/${event.slug}/inscription` });
  });
});
