import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type DigestCall, digestMail } from './mail.js';

const call = (closesOn: string, closesTime: string | null = null): DigestCall => ({
  title: 'Fonds pour les associations',
  funder: 'Département de la Gironde',
  closesOn,
  closesTime,
  daysLeft: 12,
  url: 'https://reseau.example/appels/fonds',
});

function digest(calls: DigestCall[]) {
  return digestMail({
    networkName: 'SO Coopération',
    contactEmail: 'contact@reseau.example',
    listName: 'Alertes appels à projets',
    name: 'Awa',
    calls,
    allCallsUrl: 'https://reseau.example/appels',
    unsubscribeUrl: 'https://reseau.example/desinscription/t',
    preferencesUrl: 'https://reseau.example/preferences/t',
  });
}

test('a digest gives each deadline as the call’s page does, the first of a month as « 1er »', () => {
  const mail = digest([call('2027-04-01'), call('2027-03-12', '14:30')]);
  for (const body of [mail.text, mail.html]) {
    assert.match(body, /1er avril 2027/);
    assert.doesNotMatch(body, /\b1 avril/);
    assert.match(body, /12 mars 2027/);
  }
});
