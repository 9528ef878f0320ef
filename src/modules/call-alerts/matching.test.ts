import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildProfiles, callMatches } from './matching.js';
import type { ProfileRows } from './repo.js';
import { windowStart } from './window.js';

const none = { kinds: [], themes: [], countries: [], zones: [] };
const EMPTY_ROWS: ProfileRows = { interests: [], contacts: [], contactThemes: [], contactCountries: [], roles: [], kinds: [], organisationThemes: [], organisationCountries: [], organisationZoneCountries: [] };

test('a call matches on an eligible kind, a theme or a country; a call without criteria matches everyone', () => {
  const profile = { kinds: new Set(['association']), themes: new Set(['health']), countries: new Set(['ML']) };
  const nobody = { kinds: new Set<string>(), themes: new Set<string>(), countries: new Set<string>() };
  assert.equal(callMatches({ ...none, kinds: ['association', 'company'] }, profile), true);
  assert.equal(callMatches({ ...none, kinds: ['local_authority'] }, profile), false);
  assert.equal(callMatches({ ...none, themes: ['health'] }, profile), true);
  // A zone counts through its countries (the calls module lists them among the call's countries).
  assert.equal(callMatches({ ...none, zones: ['west_africa'], countries: ['ML', 'SN'] }, profile), true);
  assert.equal(callMatches({ ...none, zones: ['east_asia'], countries: ['CN', 'JP'] }, profile), false);
  assert.equal(callMatches(none, nobody), true);
  assert.equal(callMatches({ ...none, themes: ['health'] }, nobody), false);
});

test('a profile gathers interests, the contact’s themes and countries, and its organisations’ kind, themes, countries and zones', () => {
  const profiles = buildProfiles(['s1', 's2'], {
    ...EMPTY_ROWS,
    interests: [{ subscriber_id: 's1', kind: 'theme', code: 'energy' }, { subscriber_id: 's2', kind: 'country', code: 'BF' }],
    contacts: [{ subscriber_id: 's1', contact_id: 'c1' }],
    contactThemes: [{ contact_id: 'c1', code: 'digital' }],
    contactCountries: [{ contact_id: 'c1', code: 'SN' }],
    roles: [{ contact_id: 'c1', organisation_id: 'o1' }],
    kinds: [{ organisation_id: 'o1', code: 'association' }],
    organisationThemes: [{ organisation_id: 'o1', code: 'health' }],
    organisationCountries: [{ organisation_id: 'o1', code: 'ML' }],
    organisationZoneCountries: [{ organisation_id: 'o1', code: 'NE' }],
  });
  const s1 = profiles.get('s1')!;
  assert.deepEqual([...s1.kinds], ['association']);
  assert.deepEqual([...s1.themes].sort(), ['digital', 'energy', 'health']);
  assert.deepEqual([...s1.countries].sort(), ['ML', 'NE', 'SN']);
  const s2 = profiles.get('s2')!;
  assert.deepEqual([...s2.kinds], []);
  assert.deepEqual([...s2.countries], ['BF']);
});

test('the period of a digest: since the last one, or at most 24 hours back the first time, never before the subscription', () => {
  const now = new Date('2027-03-10T06:05:00.000Z');
  // First digest, subscribed long ago: the last 24 hours.
  assert.equal(windowStart({ now, subscribedAt: '2026-01-01T00:00:00.000Z', coveredUntil: undefined }), '2027-03-09T06:05:00.000Z');
  // First digest, subscribed yesterday afternoon: since the subscription.
  assert.equal(windowStart({ now, subscribedAt: '2027-03-09T15:00:00.000Z', coveredUntil: undefined }), '2027-03-09T15:00:00.000Z');
  // Since the last digest dealt with, even three days back (an outage)…
  assert.equal(windowStart({ now, subscribedAt: '2026-01-01T00:00:00.000Z', coveredUntil: '2027-03-07T06:00:00.000Z' }), '2027-03-07T06:00:00.000Z');
  // …but not before a new subscription, and never more than 14 days back.
  assert.equal(windowStart({ now, subscribedAt: '2027-03-08T10:00:00.000Z', coveredUntil: '2027-03-07T06:00:00.000Z' }), '2027-03-08T10:00:00.000Z');
  assert.equal(windowStart({ now, subscribedAt: '2026-01-01T00:00:00.000Z', coveredUntil: '2027-01-01T06:00:00.000Z' }), '2027-02-24T06:05:00.000Z');
});
