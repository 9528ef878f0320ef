import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { en } from './en.js';
import { fr } from './fr.js';
import { dateTimeFormat, formatDateTimesApart, formatFileSize, localLabel, negotiateLocale, translator } from './index.js';

describe('Accept-Language negotiation', () => {
  test('French is the default without a header or without a supported language', () => {
    assert.equal(negotiateLocale(undefined), 'fr');
    assert.equal(negotiateLocale(''), 'fr');
    assert.equal(negotiateLocale('de-DE,de;q=0.9'), 'fr');
    assert.equal(negotiateLocale('*'), 'fr');
    assert.equal(negotiateLocale(';;;,,q=abc'), 'fr');
  });

  test('English is chosen when the visitor prefers it, whatever the region or case', () => {
    assert.equal(negotiateLocale('en-US,en;q=0.9'), 'en');
    assert.equal(negotiateLocale('EN-gb'), 'en');
    assert.equal(negotiateLocale('de-DE,de;q=0.9,en;q=0.8,fr;q=0.7'), 'en');
  });

  test('weights decide, not the order, and q=0 means "not this one"', () => {
    assert.equal(negotiateLocale('en;q=0.5, fr;q=0.8'), 'fr');
    assert.equal(negotiateLocale('fr;q=0.4, en'), 'en');
    assert.equal(negotiateLocale('en;q=0, de'), 'fr');
    assert.equal(negotiateLocale('fr-CA;q=0.9, en;q=0.1'), 'fr');
  });
});

describe('translation', () => {
  test('parameters are interpolated, numbers included', () => {
    const t = translator('fr');
    assert.equal(t('users.count', { count: 3 }), '3 comptes');
    assert.equal(t('mail.greeting', { name: 'Awa' }), 'Bonjour Awa,');
    assert.equal(translator('en')('mail.greeting', { name: 'Awa' }), en['mail.greeting'].replace('{name}', 'Awa'));
  });

  test('French elides « de » and « que » before a value starting with a vowel, not before a consonant, h or y', () => {
    const t = translator('fr');
    assert.equal(t('backofficeOrganisations.rgpd.exportTitle', { name: 'Aurélie ANDRÉ' }), 'Exporter les données d’Aurélie ANDRÉ');
    assert.equal(t('backofficeOrganisations.rgpd.exportTitle', { name: 'Éloïse Martin' }), 'Exporter les données d’Éloïse Martin');
    assert.equal(t('backofficeOrganisations.rgpd.exportTitle', { name: 'Binta Camara' }), 'Exporter les données de Binta Camara');
    assert.equal(t('backofficeOrganisations.rgpd.exportTitle', { name: 'Hélène Roux' }), 'Exporter les données de Hélène Roux');
    assert.equal(t('backofficeOrganisations.rgpd.exportTitle', { name: 'Yves Diallo' }), 'Exporter les données de Yves Diallo');
    assert.equal(t('agenda.month.caption', { month: 'avril 2027' }), 'Événements d’avril 2027');
    // English is left as it is.
    assert.equal(translator('en')('backofficeOrganisations.rgpd.exportTitle', { name: 'Aurélie ANDRÉ' }), 'Export the data of Aurélie ANDRÉ');
  });

  test('a count agrees with its words: French singular for 0 and 1, English for 1 only, formatted counts too', () => {
    const fr = translator('fr');
    const en = translator('en');
    const cases: [number | string, string, string][] = [
      [0, '0 compte', '0 accounts'],
      [1, '1 compte', '1 account'],
      [2, '2 comptes', '2 accounts'],
      ['23\u202f623', '23\u202f623 comptes', '23\u202f623 accounts'],
    ];
    for (const [count, french, english] of cases) {
      assert.equal(fr('users.count', { count }), french, `fr ${count}`);
      assert.equal(en('users.count', { count }), english, `en ${count}`);
    }
    // Each language reads its own formatting: a French decimal comma, an English thousands separator.
    assert.equal(fr('users.count', { count: '1,5' }), '1,5 compte');
    assert.equal(en('users.count', { count: '1,000' }), '1,000 accounts');
  });

  test('a plural\'s count is written as the language writes numbers: « 2 850 acteurs », "2,850 actors"', () => {
    assert.equal(translator('fr')('map.count', { total: 2850, located: 1204 }), '2\u202f850 acteurs correspondent, dont 1\u202f204 placés sur la carte.');
    assert.equal(translator('fr')('map.listLink', { total: 12000 }), 'Voir ces 12\u202f000 acteurs en liste dans l’annuaire');
    assert.equal(translator('en')('map.listLink', { total: 12000 }), 'See these 12,000 actors as a list in the directory');
    // A count the caller formatted already is kept as given.
    assert.equal(translator('fr')('users.count', { count: '2\u202f850' }), '2\u202f850 comptes');
  });

  test('a missing parameter stays visible instead of printing "undefined"', () => {
    assert.equal(translator('fr')('mail.greeting', {}), 'Bonjour {name},');
  });

  test('a parameter value is inserted as is, never read as another placeholder', () => {
    assert.equal(translator('fr')('mail.greeting', { name: '{count} $& $1' }), 'Bonjour {count} $& $1,');
  });

  test('English has exactly the keys of French, none empty, with the same placeholders', () => {
    assert.deepEqual(Object.keys(en).sort(), Object.keys(fr).sort());
    const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)(?:\}|, plural, )/g)].map((m) => m[1]))].sort();
    for (const key of Object.keys(fr) as (keyof typeof fr)[]) {
      assert.ok(en[key].trim().length > 0, `en ${key} is empty`);
      assert.ok(fr[key].trim().length > 0, `fr ${key} is empty`);
      assert.deepEqual(placeholders(en[key]), placeholders(fr[key]), `placeholders of ${key}`);
    }
  });

  test('English is really translated: most messages differ from French', () => {
    const keys = Object.keys(fr) as (keyof typeof fr)[];
    const same = keys.filter((k) => en[k] === fr[k]);
    assert.ok(same.length < keys.length / 10, `${same.length} messages identical in both: ${same.slice(0, 10).join(', ')}`);
  });
});

describe('file sizes', () => {
  test('bytes, kilobytes and megabytes in each language’s units, one decimal under 10 MB', () => {
    const cases: [number, string, string][] = [
      [830, '830 o', '830 B'],
      [1536, '2 ko', '2 KB'],
      [250_000, '244 ko', '244 KB'],
      [1_048_500, '1 Mo', '1 MB'],
      [1024 * 1024, '1 Mo', '1 MB'],
      [1.5 * 1024 * 1024, '1,5 Mo', '1.5 MB'],
      [100 * 1024 * 1024, '100 Mo', '100 MB'],
      [12.6 * 1024 * 1024, '13 Mo', '13 MB'],
    ];
    for (const [bytes, french, english] of cases) {
      assert.equal(formatFileSize(bytes, 'fr'), french, String(bytes));
      assert.equal(formatFileSize(bytes, 'en'), english, String(bytes));
    }
  });
});

describe('reference labels', () => {
  test('an entry reads in the reader\'s language', () => {
    const entry = { code: 'education', label_fr: 'Éducation', label_en: 'Education' };
    assert.equal(localLabel(entry, 'fr'), 'Éducation');
    assert.equal(localLabel(entry, 'en'), 'Education');
  });
});

describe('dates', () => {
  test('the first of a month reads « 1er » in French, other days and English as they are', () => {
    const long = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' } as const;
    assert.equal(dateTimeFormat('fr', long, 'UTC').format(new Date(Date.UTC(2026, 11, 1, 12))), 'mardi 1er décembre 2026');
    assert.equal(dateTimeFormat('fr', { day: 'numeric', month: 'short' }, 'UTC').format(new Date(Date.UTC(2026, 10, 1, 12))), '1er nov.');
    assert.equal(dateTimeFormat('fr', long, 'UTC').format(new Date(Date.UTC(2026, 11, 11, 12))), 'vendredi 11 décembre 2026');
    assert.equal(dateTimeFormat('fr', long, 'UTC').format(new Date(Date.UTC(2026, 11, 21, 12))), 'lundi 21 décembre 2026');
    assert.equal(dateTimeFormat('en', { day: 'numeric', month: 'long' }, 'UTC').format(new Date(Date.UTC(2026, 11, 1, 12))), '1 December');
    const range = dateTimeFormat('fr', { dateStyle: 'full', timeStyle: 'short' }, 'UTC').formatRange(Date.UTC(2026, 11, 1, 9, 30), Date.UTC(2026, 11, 1, 12));
    assert.match(range, /^mardi 1er décembre 2026/);
  });
});

test('moments in the same minute are written with their seconds, others without', () => {
  assert.deepEqual(formatDateTimesApart(['2026-11-30T16:53:05Z', '2026-11-30T16:53:35Z'], 'fr'), ['30 nov. 2026, 17:53:05', '30 nov. 2026, 17:53:35']);
  assert.deepEqual(formatDateTimesApart(['2026-11-30T16:53:05Z', '2026-11-30T16:58:35Z'], 'fr'), ['30 nov. 2026, 17:53', '30 nov. 2026, 17:58']);
  assert.deepEqual(formatDateTimesApart(['2026-11-30T16:53:05Z'], 'en'), ['30 Nov 2026, 17:53']);
});
