import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { eurosForForm, formatEuros, formatRate, parseEuros } from './money.js';
import { parseCallQuery } from './query.js';
import { callStatus } from './status.js';
import { validateCall } from './validate.js';
import { translator } from '../../kernel/i18n/index.js';
import { closingDay, deadlineLine } from './views-parts.js';

const at = (iso: string) => new Date(iso);
const spaces = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('call status, computed in Europe/Paris from the clock', () => {
  const call = { opens_on: null, closes_on: '2027-01-25', closes_time: null };

  test('closing soon from 14 days before the closing day, by the Paris calendar', () => {
    // 10 January, 23:30 in Paris (22:30 UTC): 15 days left → open.
    assert.deepEqual(callStatus(call, at('2027-01-10T22:30:00Z')), { status: 'open', daysLeft: 15, daysToOpen: null });
    // 11 January, 00:30 in Paris (23:30 UTC on the 10th): 14 days left → closing soon.
    assert.deepEqual(callStatus(call, at('2027-01-10T23:30:00Z')), { status: 'closing_soon', daysLeft: 14, daysToOpen: null });
  });

  test('a call without a closing time closes at the midnight ending its closing day (Paris, winter and summer)', () => {
    assert.equal(callStatus(call, at('2027-01-25T22:59:59Z')).status, 'closing_soon');
    assert.equal(callStatus(call, at('2027-01-25T22:59:59Z')).daysLeft, 0);
    assert.equal(callStatus(call, at('2027-01-25T23:00:00Z')).status, 'closed');
    const summer = { opens_on: null, closes_on: '2027-07-15', closes_time: null };
    assert.equal(callStatus(summer, at('2027-07-15T21:59:59Z')).status, 'closing_soon');
    assert.equal(callStatus(summer, at('2027-07-15T22:00:00Z')).status, 'closed');
  });

  test('a closing time closes the call at that Paris time', () => {
    const noon = { opens_on: null, closes_on: '2027-01-25', closes_time: '12:00' };
    assert.equal(callStatus(noon, at('2027-01-25T10:59:59Z')).status, 'closing_soon');
    assert.equal(callStatus(noon, at('2027-01-25T11:00:00Z')).status, 'closed');
  });

  test('upcoming until the Paris midnight starting its opening day', () => {
    const later = { opens_on: '2027-03-01', closes_on: '2027-04-30', closes_time: null };
    assert.deepEqual(callStatus(later, at('2027-02-28T22:59:00Z')), { status: 'upcoming', daysLeft: 61, daysToOpen: 1 });
    assert.equal(callStatus(later, at('2027-02-28T23:00:00Z')).status, 'open');
  });
});

describe('amounts in cents shown in euros', () => {
  test('typed amounts in French forms', () => {
    assert.equal(parseEuros('15000'), 1_500_000);
    assert.equal(parseEuros('15 000 €'), 1_500_000);
    assert.equal(parseEuros('15\u202f000,50'), 1_500_050);
    assert.equal(parseEuros('15.000'), 1_500_000);
    assert.equal(parseEuros('2500.5'), 250_050);
    assert.equal(parseEuros(''), null);
    assert.equal(parseEuros('quinze mille'), undefined);
    assert.equal(parseEuros('-5'), undefined);
    assert.equal(eurosForForm(250_050), '2500,50');
  });

  test('formatted fr-FR: no decimals for whole euros', () => {
    assert.equal(spaces(formatEuros(1_500_000)), '15 000 €');
    assert.equal(spaces(formatEuros(250_050)), '2 500,50 €');
    assert.equal(spaces(formatRate(80)), '80 %');
    assert.equal(formatEuros(1_500_000, 'en'), '€15,000');
  });
});

describe('list query', () => {
  test('filters read from the query string and written back canonically', () => {
    const parsed = parseCallQuery({ q: ' Jeunesse ', statut: 'bientot', theme: 'health,bad code!', pays: ['SN', 'xx'], departement: '29', tri: 'recent', page: '2' });
    assert.equal(parsed.filter.status, 'closing_soon');
    assert.deepEqual(parsed.filter.themes, ['health']);
    assert.deepEqual(parsed.filter.countries, ['SN']);
    assert.equal(parsed.page, 2);
    assert.equal(parsed.canonical, 'q=Jeunesse&statut=bientot&theme=health&pays=SN&departement=29&tri=recent');
    assert.equal(parsed.withoutStatus, 'q=Jeunesse&theme=health&pays=SN&departement=29&tri=recent');
    assert.equal(parseCallQuery({ statut: 'nimporte' }).filter.status, 'current');
  });
});

describe('call form validation', () => {
  const taxonomies = { kinds: ['association'], themes: ['health'], zones: ['west_africa'] };
  test('a complete form becomes a draft with codes', () => {
    const r = validateCall(
      {
        title: ' Appel  Jeunesse ',
        funder: 'Région',
        closes_on: '2027-02-01',
        opens_on: '2027-01-01',
        closes_time: '12:00',
        amount_min: '5 000',
        amount_max: '50000',
        cofinancing_rate: '80 %',
        kinds: 'association',
        themes: ['health'],
        countries: 'Sénégal (SN), Mali',
        departments: '29, Morbihan',
        regions: ['53'],
        zones: 'west_africa',
        link_url: 'region.example/appel',
        description: 'Ligne 1\n\n<b>Ligne</b> 2',
      },
      taxonomies,
      { id: null },
    );
    assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
    assert.equal(r.draft.title, 'Appel Jeunesse');
    assert.equal(r.draft.amount_min_cents, 500_000);
    assert.equal(r.draft.cofinancing_rate, 80);
    assert.deepEqual(r.draft.links.countries, ['ML', 'SN']);
    assert.deepEqual(r.draft.links.departments, ['29', '56']);
    assert.equal(r.draft.link_url, 'https://region.example/appel');
    assert.doesNotMatch(r.draft.description_html ?? '', /<script/);
  });

  test('errors are tied to their fields', () => {
    const r = validateCall(
      { title: 'x', funder: '', closes_on: '2027-02-30', opens_on: '2027-03-01', amount_min: '10', amount_max: '5', cofinancing_rate: '120', themes: 'nope', countries: 'Atlantide', link_url: 'javascript:alert(1)' },
      taxonomies,
      { id: null },
    );
    assert.ok(!r.ok);
    assert.deepEqual(Object.keys(r.errors).sort(), ['amount_max', 'closes_on', 'cofinancing_rate', 'countries', 'funder', 'link_url', 'themes', 'title']);
    const reversed = validateCall({ title: 'Appel', funder: 'Région', opens_on: '2027-03-01', closes_on: '2027-02-01' }, taxonomies, { id: null });
    assert.ok(!reversed.ok && reversed.errors['closes_on']?.key === 'calls.error.closesBeforeOpens');
  });

  test('the closing time is typed the French way too (« 12 h », « 14h30 », « 14 h 30 ») and kept as HH:MM', () => {
    const typed = (closes_time: string) => validateCall({ title: 'Appel', funder: 'Région', closes_on: '2027-02-01', closes_time }, taxonomies, { id: null });
    for (const [time, kept] of [['12 h', '12:00'], ['14h30', '14:30'], ['14 h 30', '14:30'], ['9:05', '09:05'], ['17:00', '17:00']] as const) {
      const r = typed(time);
      assert.ok(r.ok, `${time}: ${JSON.stringify(!r.ok && r.errors)}`);
      assert.equal(r.draft.closes_time, kept, time);
    }
    for (const time of ['25 h', '14h75', 'midi', '14.30']) {
      const r = typed(time);
      assert.ok(!r.ok && r.errors['closes_time']?.key === 'calls.error.time', time);
    }
    const none = typed('');
    assert.ok(none.ok && none.draft.closes_time === null);
  });
});

describe('the deadline in words', () => {
  const fr = translator('fr');
  const en = translator('en');
  test('French writes the closing time « à 12 h », « à 12 h 30 »; English keeps 12:00', () => {
    const noon = { opens_on: null, closes_on: '2027-03-31', closes_time: '12:00' };
    const half = { ...noon, closes_time: '12:30' };
    assert.equal(spaces(deadlineLine(fr, 'fr', noon)), 'Clôture le 31 mars 2027 à 12 h');
    assert.equal(spaces(closingDay(fr, 'fr', half)), '31 mars 2027 à 12 h 30');
    // No-break spaces: the hour never leaves its « h ».
    assert.match(closingDay(fr, 'fr', half), /12\u00a0h\u00a030$/);
    assert.equal(closingDay(en, 'en', noon), '31 March 2027 at 12:00');
    assert.equal(closingDay(en, 'en', half), '31 March 2027 at 12:30');
    assert.equal(spaces(closingDay(fr, 'fr', { ...noon, closes_time: null })), '31 mars 2027');
  });
});
