import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { sharedDir } from '../../../test/helpers/paths.js';
import { parseFeedDate } from './dates.js';
import { decodeBody } from './decode.js';
import { WatchFeedError } from './errors.js';
import { cleanLink, linkKey } from './links.js';
import { parseFeedText } from './parse-feed.js';

const NOW = new Date('2026-11-29T10:00:00Z');

function sample(file: string, contentType: string | null = null) {
  const body = fs.readFileSync(sharedDir('samples', 'feeds', file));
  const url = `https://feeds.example/${file}`;
  return parseFeedText(decodeBody(body, contentType), url, NOW);
}

function refused(run: () => unknown, code: string) {
  assert.throws(run, (error: unknown) => error instanceof WatchFeedError && error.code === code);
}

function checkCommon(items: ReturnType<typeof sample>['items']) {
  for (const item of items) {
    if (item.link) assert.match(item.link, /^https?:\/\//, `absolute link: ${item.link}`);
    assert.ok(item.title.trim().length > 0);
    assert.doesNotMatch(item.summaryHtml ?? '', /<script|alert\(|javascript:/i);
    for (const href of (item.summaryHtml ?? '').matchAll(/href="([^"]*)"/g)) assert.match(href[1] ?? '', /^(https?:|mailto:|#)/);
  }
}

describe('sample feeds parse with the right titles, absolute links, dates and no script', () => {
  test('RSS 2.0 from a CMS: content:encoded, CDATA, relative link, <script> dropped', () => {
    const feed = sample('region-actualites.rss.xml');
    assert.equal(feed.format, 'rss');
    assert.equal(feed.items.length, 3);
    const [first] = feed.items;
    assert.equal(first?.title, 'Appel à projets « Solidarité internationale » 2027 : dépôt des dossiers jusqu\'au 15 février');
    assert.equal(first?.guid, 'region-intl-4821');
    assert.equal(first?.publishedAt?.toISOString(), '2026-11-23T08:00:00.000Z');
    assert.match(first?.summaryHtml ?? '', /href="https:\/\/region\.example\/international\/docs\/reglement-aap-2027\.pdf"/);
    assert.doesNotMatch(first?.summaryHtml ?? '', /script/);
    assert.equal(first?.author, 'Direction Europe & International');
    assert.deepEqual(first?.categories, ['Appels à projets', 'Solidarité internationale']);
    checkCommon(feed.items);
  });

  test('Atom with xml:base, relative links, html and xhtml content', () => {
    const feed = sample('ministere-cooperation.atom.xml');
    assert.equal(feed.format, 'atom');
    assert.equal(feed.items.length, 3);
    const [apd, jeunesse, atlas] = feed.items;
    assert.equal(apd?.title, 'Télé-déclaration de l\'APD des collectivités : ouverture de la campagne 2026');
    assert.equal(apd?.link, 'https://ministere.example/fr/aect/teledeclaration-apd-2026');
    assert.equal(apd?.publishedAt?.toISOString(), '2026-11-20T16:00:00.000Z');
    assert.equal(jeunesse?.link, 'https://ministere.example/fr/aect/appel-a-projets-jeunesse-iv');
    assert.equal(jeunesse?.publishedAt?.toISOString(), '2026-11-02T08:00:00.000Z');
    assert.equal(atlas?.link, 'https://ministere.example/fr/aect/atlas-mise-a-jour');
    assert.equal(atlas?.publishedAt?.toISOString(), '2026-10-15T07:30:00.000Z');
    assert.match(atlas?.summaryHtml ?? '', /Atlas/);
    assert.equal(feed.siteUrl, 'https://ministere.example/fr/politique-etrangere/action-exterieure-des-collectivites');
    checkCommon(feed.items);
  });

  test('RSS in ISO-8859-1 with numeric entities, a date-less item and a tracking query string', () => {
    const feed = sample('agence-developpement.rss.xml');
    assert.equal(feed.title, 'Agence de développement - Financements OSC');
    const [osc, fisong, webinar] = feed.items;
    assert.equal(osc?.link, 'https://agence.example/fr/osc/initiatives-2027');
    assert.equal(osc?.publishedAt?.toISOString(), '2026-11-18T00:00:00.000Z');
    assert.match(osc?.excerpt ?? '', /Réservé aux ONG françaises/);
    assert.equal(fisong?.excerpt, 'Facilité d\'innovation sectorielle pour les ONG.');
    assert.equal(webinar?.title, 'Webinaire : redevabilité et gestion axée sur les résultats');
    assert.equal(webinar?.link, 'https://agence.example/fr/osc/webinaire-redevabilite');
    assert.equal(webinar?.publishedAt, null);
    checkCommon(feed.items);
  });

  test('JSON Feed 1.1 with an attachment', () => {
    const feed = sample('reseau-national.json', 'application/feed+json');
    assert.equal(feed.format, 'json');
    assert.equal(feed.items.length, 2);
    assert.equal(feed.items[0]?.title, 'Festival ALIMENTERRE : 1 200 projections dans toute la France');
    assert.equal(feed.items[0]?.publishedAt?.toISOString(), '2026-11-25T07:00:00.000Z');
    assert.deepEqual(feed.items[0]?.categories, ['ECSI', 'Alimentation']);
    assert.equal(feed.items[1]?.excerpt, 'Une enquête auprès de 3 000 jeunes volontaires.');
    checkCommon(feed.items);
  });

  test('RSS with two languages of one item, a non-RFC-822 date and a blank title', () => {
    const feed = sample('collectif-europeen.rss.xml');
    const [en, fr, untitled] = feed.items;
    assert.equal(en?.publishedAt?.toISOString(), '2026-11-24T12:00:00.000Z');
    assert.equal(fr?.publishedAt?.toISOString(), '2026-11-24T12:00:00.000Z');
    assert.notEqual(en?.guid, fr?.guid);
    assert.equal(untitled?.title, 'Item without a usable title or date.');
    assert.equal(untitled?.publishedAt, null);
    checkCommon(feed.items);
  });

  test('an item with neither title nor text is « (sans titre) »', () => {
    const feed = parseFeedText('<rss version="2.0"><channel><title>x</title><item><link>https://a.example/1</link></item></channel></rss>', 'https://a.example/feed', NOW);
    assert.equal(feed.items[0]?.title, '(sans titre)');
  });
});

describe('hostile documents are refused before parsing', () => {
  test('XXE to file:///etc/passwd', () => {
    refused(() => parseFeedText('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>&xxe;</title></channel></rss>', 'https://a.example/', NOW), 'dtd');
  });
  test('billion laughs', () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><rss version="2.0"><channel><title>&lol9;</title></channel></rss>`;
    refused(() => parseFeedText(lol, 'https://a.example/', NOW), 'dtd');
  });
  test('an HTML page served as a feed', () => {
    refused(() => parseFeedText('<!DOCTYPE html><html><head><title>Accueil</title></head><body>Bienvenue</body></html>', 'https://a.example/', NOW), 'not_feed');
  });
  test('invalid UTF-8', () => {
    refused(() => decodeBody(Buffer.concat([Buffer.from('<rss version="2.0"><channel><title>'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('</title></channel></rss>')]), 'application/rss+xml; charset=utf-8'), 'charset');
  });
  test('garbage', () => {
    assert.throws(() => parseFeedText('{"not": "a feed"}', 'https://a.example/', NOW), WatchFeedError);
  });
});

describe('dates in any common format', () => {
  const cases: Array<[string, string | null]> = [
    ['Wed, 18 Nov 2026 00:00:00 GMT', '2026-11-18T00:00:00.000Z'],
    ['Mon, 23 Nov 2026 09:00:00 +0100', '2026-11-23T08:00:00.000Z'],
    ['24 Nov 2026 12:00:00 +0000', '2026-11-24T12:00:00.000Z'],
    ['Tue, 10 Nov 2026 10:00 CET', '2026-11-10T09:00:00.000Z'],
    ['2026-11-24T12:00:00Z', '2026-11-24T12:00:00.000Z'],
    ['2026-10-15T09:30:00+02:00', '2026-10-15T07:30:00.000Z'],
    ['2026-11-24 12:00:00', '2026-11-24T12:00:00.000Z'],
    ['2026-11-24', '2026-11-24T00:00:00.000Z'],
    ['23 novembre 2026', '2026-11-23T00:00:00.000Z'],
    ['lundi 2 févr. 2026 08:15', '2026-02-02T08:15:00.000Z'],
    ['23/11/2026 09:00', '2026-11-23T08:00:00.000Z'],
    ['n’importe quoi', null],
    ['1970-01-01T00:00:00Z', null],
    ['2099-01-01T00:00:00Z', null],
  ];
  for (const [raw, expected] of cases) test(raw, () => assert.equal(parseFeedDate(raw, NOW)?.toISOString() ?? null, expected));
});

describe('links', () => {
  test('tracking parameters dropped, other parameters kept', () => {
    assert.equal(cleanLink('https://a.example/x?utm_source=rss&utm_medium=feed&id=3&fbclid=z'), 'https://a.example/x?id=3');
    assert.equal(cleanLink('https://a.example/x?utm_source=rss'), 'https://a.example/x');
  });
  test('the dedupe key ignores scheme, www, fragment, trailing slash and parameter order', () => {
    assert.equal(linkKey('https://www.a.example/x/?b=2&a=1#top'), linkKey('http://a.example/x?a=1&b=2&utm_campaign=z'));
  });
});
