import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { emailDomain, emailKey, phoneKey, websiteHost } from './normalise-contact.js';
import { acronymMatchesName, nameInitials, normaliseName } from './normalise-name.js';
import { dedupeRecordFromOrganisation, departmentOfPostcode, identifiersOf } from './record.js';

const tokens = (name: string) => normaliseName(name).tokens;
const compact = (name: string) => normaliseName(name).compact;

describe('name normalisation', () => {
  test('case, accents, punctuation, hyphens and trailing spaces do not matter', () => {
    assert.equal(compact('COMITÉ DE JUMELAGE LE TEMPLE–CUSCO '), compact('Comité de jumelage Le Temple-Cusco'));
    assert.equal(compact("Val-d'Auge Kora Togo"), compact('VAL D AUGE KORA TOGO'));
    assert.deepEqual(tokens('Œuvre  Sahel'), ['oeuvre', 'sahel']);
  });

  test('& and "et" are the same word, and stop words are dropped', () => {
    assert.equal(compact('Lacoste & Martin Consultants'), compact('Lacoste et Martin Consultants'));
    assert.deepEqual(tokens('Les Amis de la Terre et du Sahel'), ['ami', 'terre', 'sahel']);
  });

  test('Asso, Assoc. and Association are one word', () => {
    assert.deepEqual(tokens('Asso Chemins Tchad'), tokens('Association Chemins Tchad'));
    assert.deepEqual(tokens('Assoc. Chemins Tchad'), tokens('ASSOCIATION CHEMINS TCHAD'));
  });

  test('Mairie de X, Ville de X and Commune de X name the same local authority, even misspelt', () => {
    const expected = compact('Commune de Casteljaloux');
    assert.equal(compact('Mairie de Casteljaloux'), expected);
    assert.equal(compact('Ville de Casteljaloux'), expected);
    assert.equal(compact("Ville d'Agen"), compact('Mairie d’Agen'));
    assert.equal(compact("Ville d'Agen"), 'communeagen');
    assert.equal(compact('Vlle de Casteljaloux'), expected);
    assert.equal(compact('Ville ed Casteljaloux'), expected);
    // A word that only starts like it is not a local authority.
    assert.notEqual(compact('Villeneuve de Marsan Solidarité'), compact('Commune de Marsan Solidarité'));
  });

  test('legal forms (SARL, SAS…) are dropped', () => {
    assert.deepEqual(tokens('Boisseau Ingénierie SARL'), tokens('Boisseau Ingénierie'));
    assert.deepEqual(tokens('SAS Dubois Conseil'), tokens('Dubois Conseil'));
    assert.deepEqual(tokens('Scop Kora Josse'), tokens('SCOP KORA JOSSE'));
  });

  test('Saint and St are one word', () => {
    assert.deepEqual(tokens('Collectif St-Médard'), tokens('Collectif Saint-Médard'));
  });

  test('initials and acronyms', () => {
    assert.deepEqual(nameInitials('Association Bernard pour Kaédi'), { significant: 'abk', all: 'abpk' });
    assert.ok(acronymMatchesName('abk', nameInitials('Association Bernard pour Kaédi')));
    // Acronyms often skip generic words: Comité (de jumelage) Villemort–Kairouan.
    assert.ok(acronymMatchesName('cvk', nameInitials('Comité de jumelage Villemort-Kairouan')));
    assert.ok(!acronymMatchesName('cvk', nameInitials('Comité de jumelage Villemort-Lomé')));
  });
});

describe('contact details', () => {
  test('e-mail addresses compare case-insensitively', () => {
    assert.equal(emailKey('INFO@COMITE-DE-JUMELAGE-MERIGNAC.ORG'), emailKey('info@comite-de-jumelage-merignac.org'));
    assert.equal(emailKey('pas une adresse'), null);
  });

  test('the domain of a webmail says nothing about the organisation', () => {
    for (const webmail of ['gmail.com', 'orange.fr', 'wanadoo.fr', 'free.fr', 'laposte.net', 'hotmail.fr', 'hotmail.com', 'yahoo.fr', 'outlook.fr', 'sfr.fr']) {
      assert.equal(emailDomain(`contact.asso@${webmail}`), null, webmail);
    }
    assert.equal(emailDomain('Secretariat@Cauris-Kpalime.asso.fr'), 'cauris-kpalime.asso.fr');
  });

  test('a website is its host, without scheme, www, path or trailing slash', () => {
    for (const typed of ['http://ag-2.asso.fr/', 'http://www.ag-2.asso.fr', 'ag-2.asso.fr/', 'HTTPS://WWW.AG-2.ASSO.FR/accueil']) {
      assert.equal(websiteHost(typed), 'ag-2.asso.fr', typed);
    }
    // On a social network, the page is the organisation.
    assert.equal(websiteHost('https://www.facebook.com/cauris.kpalime/'), 'facebook.com/cauris.kpalime');
    assert.notEqual(websiteHost('https://facebook.com/a'), websiteHost('https://facebook.com/b'));
  });

  test('phone numbers in four formats are one E.164 number', () => {
    for (const typed of ['05 60 86 99 65', '0560869965', '05.60.86.99.65', '+33 5 60 86 99 65']) assert.equal(phoneKey(typed), '+33560869965', typed);
  });
});

describe('identifiers', () => {
  test('a SIRET gives its SIREN (9 first digits); spaces are dropped', () => {
    assert.deepEqual(identifiersOf('972 063 176 07965', null), { siren: '972063176', siret: '97206317607965' });
    assert.deepEqual(identifiersOf('168 620 763', null), { siren: '168620763', siret: null });
  });

  test('an identifier failing its checksum is kept', () => {
    // 581420247 fails the Luhn check (typo of 581430247): it stays, as evidence.
    const record = dedupeRecordFromOrganisation({ id: 'x', name: 'Lons Semences Togo', siren: '581420247', phone: 'pas un numéro' });
    assert.equal(record.siren, '581420247');
    assert.equal(record.phone, 'pas un numéro', 'an unparseable phone is kept raw');
  });

  test('the département of a postcode', () => {
    assert.equal(departmentOfPostcode('87000'), '87');
    assert.equal(departmentOfPostcode('20000'), '2A');
    assert.equal(departmentOfPostcode('97400'), '974');
  });
});
