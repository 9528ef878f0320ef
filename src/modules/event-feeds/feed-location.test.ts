import assert from 'node:assert/strict';
import { test } from 'node:test';
import { feedPlace } from './feed-location.js';

test('a LOCATION with a street and a postcode gives the venue, the street, the postcode and the commune', () => {
  assert.deepEqual(feedPlace('Salle des fêtes, 12 rue Sainte-Catherine, 33000 Bordeaux, France'), {
    venue: 'Salle des fêtes',
    address: '12 rue Sainte-Catherine',
    postcode: '33000',
    commune: 'Bordeaux',
  });
  assert.deepEqual(feedPlace('Place de la Bourse\n33000 BORDEAUX CEDEX'), { venue: '', address: 'Place de la Bourse', postcode: '33000', commune: 'Bordeaux' });
  // A number or a postcode set apart by a comma, an abbreviated avenue, a floor that is no street.
  assert.deepEqual(feedPlace('Salle, 12, rue Sainte-Catherine, 33000, Bordeaux'), { venue: 'Salle', address: '12 rue Sainte-Catherine', postcode: '33000', commune: 'Bordeaux' });
  assert.deepEqual(feedPlace('Salle, 4 bis av. Foch, 33000 Bordeaux'), { venue: 'Salle', address: '4 bis av. Foch', postcode: '33000', commune: 'Bordeaux' });
  assert.deepEqual(feedPlace('Salle Molière, 2e étage, 33000 Bordeaux'), { venue: 'Salle Molière, 2e étage', address: '', postcode: '33000', commune: 'Bordeaux' });
});

test('a commune named alone is taken only when it is a town that no other commune shares its name with', () => {
  assert.deepEqual(feedPlace('Maison de l’Europe, Mont-de-Marsan'), { venue: 'Maison de l’Europe', address: '', postcode: '', commune: 'Mont-de-Marsan' });
  // Several communes are called Saint-Paul; Belleville and Cologne are small communes, and better known as elsewhere: the text stays as typed.
  for (const typed of ['Salle polyvalente, Saint-Paul', 'Maison de quartier, Belleville', 'Institut français, Cologne']) {
    assert.deepEqual(feedPlace(typed), { venue: typed, address: '', postcode: '', commune: '' });
  }
});

test('what cannot be read with certainty stays the venue, as typed', () => {
  assert.deepEqual(feedPlace('Visioconférence'), { venue: 'Visioconférence', address: '', postcode: '', commune: '' });
  // A postcode that does not go with the commune named: nothing is guessed.
  assert.deepEqual(feedPlace('Halle, 75001 Bordeaux'), { venue: 'Halle, 75001 Bordeaux', address: '', postcode: '', commune: '' });
  assert.deepEqual(feedPlace(null), { venue: '', address: '', postcode: '', commune: '' });
});
