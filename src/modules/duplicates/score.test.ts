import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { translator } from '../../kernel/i18n/index.js';
import { luhnValid } from '../../kernel/identifiers.js';
import { type CandidatePair, detectDuplicates, prepareAll } from './detect.js';
import { describeReasons, type ReasonCode } from './reasons.js';
import { type DedupeRecord, dedupeRecordFromOrganisation, type OrganisationLike } from './record.js';
import { compareRecords } from './score.js';

const t = translator('fr');

/** A SIREN with a valid Luhn key from its 8 first digits. */
function siren(base: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(`${base}${d}`)) return `${base}${d}`;
  throw new Error('unreachable');
}

let counter = 0;
function record(fields: Omit<OrganisationLike, 'id'>): DedupeRecord {
  return dedupeRecordFromOrganisation({ id: `r${String(++counter).padStart(4, '0')}`, kind_code: 'association', ...fields });
}

/** Some unrelated organisations, so word statistics look like a real base. */
const background = ['Collectif Karité Bizanos', 'Les Amis de Kpalimé', 'Tulle Avenir Vietnam', 'Centre social Manguier de Ussel', 'Scop Terre Pessac', 'Des livres pour Zinder'].map(
  (name, i) => record({ name, postcode: `3300${i}`, commune_name: `Ailleurs ${i}` }),
);

function compare(a: DedupeRecord, b: DedupeRecord) {
  const { prepared, stats } = prepareAll([...background, a, b]);
  const comparison = compareRecords(prepared.at(-2)!, prepared.at(-1)!, stats);
  return { ...comparison, codes: comparison.reasons.map((r) => r.code), text: describeReasons(comparison.reasons, t) };
}

function pairOf(a: DedupeRecord, b: DedupeRecord): CandidatePair | undefined {
  return detectDuplicates([...background, a, b]).pairs.find((p) => [p.a.id, p.b.id].includes(a.id) && [p.a.id, p.b.id].includes(b.id));
}

const poitiers = { postcode: '86000', commune_name: 'Poitiers', commune_code: '86194', department_code: '86' };
const limoges = { postcode: '87000', commune_name: 'Limoges', commune_code: '87085', department_code: '87' };
const pessac = { postcode: '33600', commune_name: 'Pessac', commune_code: '33318', department_code: '33' };
const talence = { postcode: '33400', commune_name: 'Talence', commune_code: '33522', department_code: '33' };

describe('scoring: names and places', () => {
  test('near-identical names in different départements (Vienne / Haute-Vienne) are not the same organisation', () => {
    const vienne = record({ name: 'Eau sans frontières Vienne', ...poitiers });
    const hauteVienne = record({ name: 'Eau sans frontières Haute-Vienne', ...limoges });
    const c = compare(vienne, hauteVienne);
    assert.ok(c.score < 0.5, `score ${c.score}`);
    assert.ok(c.codes.includes('different_department'));
    assert.equal(pairOf(vienne, hauteVienne), undefined);
  });

  test('the same name in another commune is not the same organisation without other evidence', () => {
    const a = record({ name: 'Les Amis de Abomey', ...pessac });
    const b = record({ name: 'LES AMIS DE ABOMEY', ...talence });
    const c = compare(a, b);
    assert.ok(c.codes.includes('same_name') && c.codes.includes('different_commune'));
    assert.equal(pairOf(a, b), undefined);
    // With an identifier in common, it is.
    const withSiren = compare({ ...a, siren: siren('73282932') }, { ...b, siren: siren('73282932') });
    assert.ok(withSiren.score > 0.9, `score ${withSiren.score}`);
  });

  test('Mairie de X and Ville de X in commune X are one local authority', () => {
    const a = record({ name: 'Mairie de Talence', kind_code: 'local_authority', ...talence });
    const b = record({ name: 'VILLE DE TALENCE', kind_code: 'local_authority', ...talence });
    const pair = pairOf(a, b);
    assert.ok(pair, 'proposed for review');
    assert.deepEqual(describeReasons(pair.reasons, t).slice(0, 2), ['noms identiques', 'même commune']);
  });

  test('names a letter apart are very close, not identical, and weigh as much as before', () => {
    const spelt = compare(record({ name: 'Collectif Racines Sabres', ...pessac }), record({ name: 'COLLECTIF RACINES SABRÉS', ...pessac }));
    assert.ok(spelt.text.includes('noms identiques'), spelt.text.join(', '));
    for (const [x, y] of [
      ['Collectif Racines Sabres', 'Collectif Racine Sabres'],
      ['Eau Vive', 'Eaux Vives'],
      ['Eau Vive', 'EauVive'],
      ['Vlle de Pessac', 'Ville de Pessac'],
      ['Eau Vive', 'Eau Vivre'],
    ] as const) {
      const c = compare(record({ name: x, ...pessac }), record({ name: y, ...pessac }));
      assert.ok(!c.codes.includes('same_name') && c.codes.includes('names_very_close'), `${x} / ${y}: ${c.text.join(', ')}`);
      assert.doesNotMatch(c.text.join(', '), /identiques|1,00/, `${x} / ${y}`);
      assert.match(c.text.join(', '), /noms très proches \(0,9\d\)/, `${x} / ${y}`);
    }
    // What the normaliser makes equal still weighs as equal: only the words change.
    const plural = compare(record({ name: 'Collectif Racines Sabres', ...pessac }), record({ name: 'Collectif Racine Sabres', ...pessac }));
    assert.equal(plural.score, spelt.score);
    assert.equal(plural.reasons.find((r) => r.code === 'names_very_close')!.weight, spelt.reasons.find((r) => r.code === 'same_name')!.weight);
    assert.ok(describeReasons(plural.reasons, translator('en'), 'en').includes('very close names (0.99)'));
  });

  test('Asso and Association, with the same e-mail, are one organisation', () => {
    const a = record({ name: 'Asso Chemins Tchad La Douze', email: 'contact@chemins-tchad.fr', ...pessac });
    const b = record({ name: 'Association Chemins Tchad La Douze', email: 'CONTACT@CHEMINS-TCHAD.FR', ...pessac });
    const c = compare(a, b);
    assert.ok(c.score > 0.99);
    assert.ok(c.text.includes('même adresse email') && c.text.includes('noms identiques'), c.text.join(', '));
  });

  test('a name that is an acronym matches the full name through its initials', () => {
    const a = record({ name: 'ADO', phone: '05 47 85 64 32', commune_name: 'Ambès', postcode: '33810' });
    const b = record({ name: 'Association David pour Ouarzazate', phone: '+33 5 47 85 64 32', commune_name: 'Ambès', postcode: '33810' });
    const c = compare(a, b);
    assert.ok(c.text.includes('sigle correspondant au nom'), c.text.join(', '));
    assert.ok(!c.codes.includes('names_different'), 'the acronym stands for the name');
    assert.ok(pairOf(a, b));
    // An acronym that is not the initials of the other name is no evidence.
    const other = compare(a, record({ name: 'Tam-Tam Partage Ambès', phone: '05 47 85 64 32', commune_name: 'Ambès', postcode: '33810' }));
    assert.ok(!other.codes.includes('acronym_matches_name'));
  });

  test('typos, glued and split words still read as very close names', () => {
    const a = record({ name: 'Comite de jumelage MergnacHue', ...pessac });
    const b = record({ name: 'Comité de jumelage Merignac-Hue', ...pessac });
    const c = compare(a, b);
    assert.ok(c.codes.includes('names_very_close'), c.text.join(', '));
    assert.match(c.text.join(' '), /noms très proches \(0,\d\d\)/);
    // A different word is not a typo: another twinning of the same commune.
    const other = compare(record({ name: 'Comité de jumelage Pessac–Lomé', ...pessac }), record({ name: 'Comité de jumelage Pessac–Labé', ...pessac }));
    assert.ok(other.score < 0.5, `score ${other.score}: ${other.text.join(', ')}`);
  });
});

describe('scoring: identifiers and contact details', () => {
  test('webmail domains are no evidence, the same webmail address is', () => {
    const a = record({ name: 'Solidarité Sahel', email: 'solidarite.sahel@gmail.com', ...pessac });
    const b = record({ name: 'Partage Bénin', email: 'partage.benin@gmail.com', ...pessac });
    const c = compare(a, b);
    assert.ok(!c.codes.some((code) => code === 'same_email_domain' || code === 'different_domains'), c.codes.join(', '));
    assert.equal(pairOf(a, b), undefined);
    const same = compare(a, { ...b, name: 'Solidarite Sahel Pessac', email: 'Solidarite.Sahel@gmail.com' });
    assert.ok(same.codes.includes('same_email'));
  });

  test('an organisation domain is shared by its e-mail and its website', () => {
    const a = record({ name: 'Escale Bouaké', email: 'secretariat@eb.asso.fr', ...pessac });
    const b = record({ name: 'Escale Bouake', website: 'https://www.eb.asso.fr/', ...pessac });
    assert.ok(compare(a, b).text.includes('domaine de l’email identique au site web'));
  });

  test('a SIREN failing its checksum is still evidence, with a lower weight', () => {
    const valid = siren('58143024');
    const typo = `${valid.slice(0, 4)}${(Number(valid[4]) + 1) % 10}${valid.slice(5)}`;
    assert.ok(!luhnValid(typo));
    const a = record({ name: 'Lons Semences Togo', siren: valid, ...pessac });
    const b = record({ name: 'LONS SEMENCES TOGO', siren: typo, ...pessac });
    const near = compare(a, b);
    assert.ok(near.text.includes('SIREN presque identiques (faute de frappe probable)'), near.text.join(', '));
    const sameInvalid = compare({ ...a, siren: typo }, b);
    const sameValid = compare(a, { ...b, siren: valid });
    const weight = (c: typeof near, code: ReasonCode) => c.reasons.find((r) => r.code === code)!.weight;
    assert.ok(weight(sameInvalid, 'same_siren_unchecked') > 0);
    assert.ok(weight(sameInvalid, 'same_siren_unchecked') < weight(sameValid, 'same_siren'));
    assert.ok(weight(near, 'near_siren') > 0);
    assert.equal(sameValid.identifierMatch, true);
    assert.equal(sameInvalid.identifierMatch, false, 'an invalid identifier never allows an automatic merge');
  });

  test('two different valid SIRENs are strong evidence against', () => {
    const a = record({ name: 'Centre social Racines de Niort', siren: siren('53245754'), commune_name: 'Niort', postcode: '79000' });
    const b = record({ name: 'Centre social Racines de Niort', siren: siren('91457212'), commune_name: 'Niort', postcode: '79000' });
    const c = compare(a, b);
    assert.ok(c.text.includes('SIREN différents'));
    assert.ok(c.score < 0.5, `score ${c.score}`);
    assert.equal(pairOf(a, b), undefined);
  });

  test('only a pair above the high threshold sharing a valid identifier may merge automatically', () => {
    const sir = siren('92405055');
    const a = record({ name: 'Ville de Melleran', siren: `${sir} 72330`, kind_code: 'local_authority', email: 'accueil@ville-de-melleran.org', commune_name: 'Melleran', postcode: '79190' });
    const b = record({ name: 'VILLE DE MELLERAN', siren: sir, kind_code: 'local_authority', commune_name: 'MELLERAN', postcode: '79190' });
    const withId = pairOf(a, b);
    assert.ok(withId?.autoMergeable, 'same SIREN, same name, same commune');
    assert.equal(withId.reasons[0]!.code, 'same_siren', 'identifiers first');
    const c = record({ name: 'Ville de Melleran', email: 'accueil@ville-de-melleran.org', phone: '05 13 27 13 74', commune_name: 'Melleran', postcode: '79190', kind_code: 'local_authority' });
    const d = record({ name: 'Ville de Melleran', email: 'accueil@ville-de-melleran.org', phone: '0513271374', commune_name: 'Melleran', postcode: '79190', kind_code: 'local_authority' });
    const withoutId = pairOf(c, d);
    assert.ok(withoutId && withoutId.score > 0.99 && !withoutId.autoMergeable, 'no identifier: the review queue');
  });
});
