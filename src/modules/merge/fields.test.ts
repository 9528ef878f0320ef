import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OrganisationRow } from '../organisations/index.js';
import { defaultChoices, defaultSurvivor } from './fields.js';

const record = (id: string, slug: string, created_at: string) => ({ id, slug, created_at });
const older = '2016-03-01T10:00:00.000Z';
const newer = '2026-03-01T10:00:00.000Z';

test('the default survivor keeps the address without an added number, else the record created first', () => {
  const survivorOf = (a: ReturnType<typeof record>, b: ReturnType<typeof record>) => [defaultSurvivor(a, b).slug, defaultSurvivor(b, a).slug];
  assert.deepEqual(survivorOf(record('1', 'eau-vive-2', older), record('2', 'eau-vive', newer)), ['eau-vive', 'eau-vive']);
  assert.deepEqual(survivorOf(record('1', 'eau-vive-3', older), record('2', 'eau-vive-2', newer)), ['eau-vive-2', 'eau-vive-2']);
  // A name that ends with a number is a name: "agenda-21-2" is "agenda-21" made unique.
  assert.deepEqual(survivorOf(record('1', 'agenda-21-2', older), record('2', 'agenda-21', newer)), ['agenda-21', 'agenda-21']);
  // Addresses of two different names: the record created first, then the smaller id.
  assert.deepEqual(survivorOf(record('1', 'eau-vive-gironde', newer), record('2', 'eau-vive', older)), ['eau-vive', 'eau-vive']);
  assert.deepEqual(survivorOf(record('1', 'eau-vive-2', newer), record('2', 'eau-vive-gironde', older)), ['eau-vive-gironde', 'eau-vive-gironde']);
  assert.deepEqual(survivorOf(record('2', 'eau-vive-gironde', older), record('1', 'eau-vive-landes', older)), ['eau-vive-landes', 'eau-vive-landes']);
});

/** Two records differing by their name only (the fields a default choice reads; the rest is empty). */
const named = (id: string, name: string, updated_at: string) => ({ id, name, updated_at, kind_code: 'association' }) as unknown as OrganisationRow;
const defaultName = (a: OrganisationRow, b: OrganisationRow) => defaultChoices(a, b).name;

test('the default name is the one that says more: completed words, then mixed case, then accents, then the more recent', () => {
  // The more recent record misspells a word the other writes in full, in capitals.
  const typo = named('1', 'Associatio Chemins RD Congo', newer);
  const full = named('2', 'ASSOCIATION CHEMINS RD CONGO', older);
  assert.equal(defaultName(typo, full), full.id);
  assert.equal(defaultName(full, typo), full.id);
  // Completed words, or more of them, win.
  assert.equal(defaultName(named('1', 'Asso. Chemins du Congo', older), named('2', 'Associations Chemins', newer)), '1');
  assert.equal(defaultName(named('1', 'Eau Vive', newer), named('2', 'Eau Vive Gironde', older)), '2');
  assert.equal(defaultName(named('1', 'EAU VIVE Bègles', newer), named('2', 'Eau Vive Gironde Bègles', older)), '2');
  // More letters alone is no sign: a doubled letter is a typo as often as a missing one.
  assert.equal(defaultName(named('1', 'Communauté d’agglomération de Saucaats', older), named('2', 'Communauté d’agglomération de Saucats', newer)), '2');
  assert.equal(defaultName(named('1', 'Communauté d’agglomération de Saucats', older), named('2', 'Communauté d’agglomération de Saucaats', newer)), '2');
  // The same words: written in mixed case says more than in capitals, whichever is more recent.
  const capitals = named('1', 'EAU VIVE GIRONDE', newer);
  const mixed = named('2', 'Eau Vive Gironde', older);
  assert.equal(defaultName(capitals, mixed), mixed.id);
  assert.equal(defaultName(mixed, capitals), mixed.id);
  // The same words and case: with its accents says more than without, whichever is more recent.
  const accented = named('1', 'Lycée Marguerite de Valois', older);
  const plain = named('2', 'Lycee Marguerite de Valois', newer);
  assert.equal(defaultName(accented, plain), accented.id);
  assert.equal(defaultName(plain, accented), accented.id);
  // Nothing to tell them apart: the more recent.
  assert.equal(defaultName(named('1', 'Eau vive Gironde', older), named('2', 'Eau Vive Gironde', newer)), '2');
});

test('the default website is the secure address, whichever record is more recent; else the more recent', () => {
  const site = (id: string, website: string | null, updated_at: string) => ({ ...named(id, 'Collectif Racines', updated_at), website }) as OrganisationRow;
  const plain = site('1', 'http://collectif-racines.asso.fr', newer);
  const secure = site('2', 'https://collectif-racines.asso.fr', older);
  assert.equal(defaultChoices(plain, secure).website, secure.id);
  assert.equal(defaultChoices(secure, plain).website, secure.id);
  // Any address says more than none; two plain ones: the more recent.
  assert.equal(defaultChoices(site('1', null, newer), site('2', 'http://racines.fr', older)).website, '2');
  assert.equal(defaultChoices(site('1', 'http://racines.fr', older), site('2', 'http://racines.org', newer)).website, '2');
});

test('a name or an address the normaliser reads alike: the one whose words are written in full, whichever is more recent', () => {
  // « Assoc. » and « Association » are one word to the detection: a tie the more recent used to win.
  const short = named('1', 'Assoc. Passerelles Palestine', newer);
  const full = named('2', 'Association Passerelles Palestine', older);
  assert.equal(defaultName(short, full), full.id);
  assert.equal(defaultName(full, short), full.id);
  // A usual short form needs no full stop; a word cut short with one is read as such.
  assert.equal(defaultName(named('1', 'St Médard Solidarité', newer), named('2', 'Saint Médard Solidarité', older)), '2');
  assert.equal(defaultName(named('1', 'Coop. Solidaire du Fleuve', newer), named('2', 'Coopérative Solidaire du Fleuve', older)), '2');
  // Complete words before case: the capitals written in full win over the mixed case cut short.
  assert.equal(defaultName(named('1', 'Assoc. Passerelles Palestine', newer), named('2', 'ASSOCIATION PASSERELLES PALESTINE', older)), '2');
  // A word one letter longer is not a word in full: the more recent still wins.
  assert.equal(defaultName(named('1', 'Collectif Racines', older), named('2', 'Collectif Racine', newer)), '2');

  const place = (id: string, address: string, updated_at: string) =>
    ({ ...named(id, 'Collectif Racines', updated_at), address, postcode: '33000', commune_code: '33063', commune_name: 'Bordeaux', department_code: '33', latitude: 44.84, longitude: -0.58, geo_precision: 'commune' }) as OrganisationRow;
  const cut = place('1', '27 r. de la Paix', newer);
  const whole = place('2', '27 rue de la Paix', older);
  assert.equal(defaultChoices(cut, whole).place, whole.id);
  assert.equal(defaultChoices(whole, cut).place, whole.id);
  assert.equal(defaultChoices(place('1', '4 bd Gambetta', newer), place('2', '4 boulevard Gambetta', older)).place, '2');
  // Two different addresses as complete as each other: the more recent.
  assert.equal(defaultChoices(place('1', '27 rue de la Paix', older), place('2', '3 rue Sainte-Catherine', newer)).place, '2');
});
