import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import ICAL from 'ical.js';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { addEvent } from './test-fixtures.js';

// The agenda as of Sunday 10 January 2027, 11:00 in Paris.
const NOW = new Date('2027-01-10T10:00:00Z');

/** The « S’abonner, intégrer » box of an agenda page. */
const feedsBox = (html: string) => /<section id="agenda-feeds"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';

forEachDialect('the agenda in words: deadlines in French hours, descriptions in paragraphs, subscribing in one click', (dialect) => {
  let t: TestApp;
  let visitor: Client;
  let event: { id: string; slug: string };

  before(async () => {
    t = await testApp(dialect, { clock: { now: () => NOW } });
    event = await addEvent(t.kernel.db, {
      title: 'Forum de la coopération décentralisée',
      summary: 'Une journée pour les collectivités et leurs partenaires.',
      description_html: '<p>Le matin : accueil et <strong>plénière</strong>.</p><p>L’après-midi, au choix :</p><ul><li>atelier eau ;</li><li>atelier santé.</li></ul><p>Fin à 17 h<br>Pot de clôture</p>',
      starts_at: '2027-03-28T13:00:00.000Z',
      ends_at: '2027-03-28T16:30:00.000Z',
      venue: 'Hôtel de région',
      commune_code: '33063',
      registration_open: 1,
      // 27 March 2027, 12:00 in Paris (winter time, UTC+1).
      registration_deadline: '2027-03-27T11:00:00.000Z',
      themes: ['water_sanitation'],
    });
    visitor = t.client();
  });
  after(() => t.close());

  test('the event page writes hours as French does: « à 12 h », « 14 h – 17 h 30 »', async () => {
    const page = await visitor.get(`/agenda/${event.slug}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Inscriptions jusqu’au 27 mars 2027 à 12\u00a0h</);
    assert.match(page.body, /dimanche 28 mars 2027, 15\u00a0h\s–\s18\u00a0h\u00a030/);
    const text = page.body.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]*>/g, ' ');
    assert.doesNotMatch(text, /\b\d{1,2}:\d{2}\b/, 'no « 12:00 » left in the text of the page');
  });

  test('the .ics description keeps its paragraphs and list items apart (\\n in the file)', async () => {
    const ics = await visitor.get(`/agenda/${event.slug}.ics`);
    assert.equal(ics.statusCode, 200);
    const vevent = new ICAL.Component(ICAL.parse(ics.body)).getFirstSubcomponent('vevent')!;
    const description = String(vevent.getFirstPropertyValue('description'));
    assert.ok(
      description.startsWith(
        'Une journée pour les collectivités et leurs partenaires.\n\nLe matin : accueil et plénière.\n\nL’après-midi, au choix :\n\n- atelier eau ;\n- atelier santé.\n\nFin à 17 h\nPot de clôture\n\n',
      ),
      description,
    );
    assert.match(ics.body.replace(/\r\n /g, ''), /DESCRIPTION:Une journée pour les collectivités et leurs partenaires\.\\n\\nLe matin : accueil et plénière\.\\n\\n/);
  });

  test('without filters the subscribe box offers webcal:// and the address, and speaks of no filter', async () => {
    const box = feedsBox((await visitor.get('/agenda')).body);
    assert.match(box, /<a href="webcal:\/\/localhost:3000\/agenda\.ics">S’abonner en un clic \(Apple Calendrier, Outlook…\)<\/a>/);
    assert.match(box, /<a href="http:\/\/localhost:3000\/agenda\.ics" type="text\/calendar">http:\/\/localhost:3000\/agenda\.ics<\/a>/);
    assert.doesNotMatch(box, /filtres/);
  });

  test('with filters, both addresses carry them and the box says so', async () => {
    const box = feedsBox((await visitor.get('/agenda?theme=water_sanitation')).body);
    assert.match(box, /<a href="webcal:\/\/localhost:3000\/agenda\.ics\?theme=water_sanitation">/);
    assert.match(box, /<a href="http:\/\/localhost:3000\/agenda\.ics\?theme=water_sanitation" type="text\/calendar">/);
    assert.match(box, /Avec ces filtres\u00a0: l’abonnement ne contient que les événements qui y répondent\./);
  });
});
