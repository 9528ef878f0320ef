import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MappingDocument } from './types.js';
import { type ColumnChoice, mappingFromForm } from './wizard-form.js';

const HEADERS = ['Nom structure', 'Adhérent 2016', 'Adhérent 2025'];
const columns: ColumnChoice[] = HEADERS.map((header, index) => ({ index, header, samples: [], spec: { field: 'ignore' }, distinct: [] }));
const guessed: MappingDocument = {
  version: 1,
  columns: { 'Nom structure': { field: 'name' }, 'Adhérent 2016': { field: 'is_member', values: {} }, 'Adhérent 2025': { field: 'ignore' } },
  membershipYear: 2016,
  visibility: 'public',
};
const sent = (member: number | null, extra: Record<string, string> = {}) => ({
  col_0: 'name',
  col_1: member === 1 ? 'is_member' : 'ignore',
  col_2: member === 2 ? 'is_member' : 'ignore',
  visibilite: 'public',
  ...extra,
});

test('the membership year follows the member column chosen on the mapping step: its header’s year, none without one', () => {
  assert.equal(mappingFromForm(sent(2), columns, guessed).mapping.membershipYear, 2025, 'another column: the year its header names');
  assert.equal(mappingFromForm(sent(null), columns, guessed).mapping.membershipYear, null, 'no member column: no membership year');
  // The same column as before: the mapping's year stays (a saved mapping may give one its header does not).
  assert.equal(mappingFromForm(sent(1), columns, { ...guessed, membershipYear: 2015 }).mapping.membershipYear, 2015);
});

test('whether a member column’s yes makes a current member: by the year, yes or no as chosen; kept when the page had no such choice; anything else refused', () => {
  const chosen = (value: string | undefined, previous: MappingDocument = guessed) => mappingFromForm(sent(1, value === undefined ? {} : { adherent_actuel: value }), columns, previous);
  assert.equal(chosen('oui').mapping.membershipCurrent, true);
  assert.equal(chosen('non').mapping.membershipCurrent, false);
  assert.equal(chosen('annee', { ...guessed, membershipCurrent: true }).mapping.membershipCurrent, null);
  assert.equal(chosen(undefined, { ...guessed, membershipCurrent: false }).mapping.membershipCurrent, false);
  assert.deepEqual(chosen('peut-être').errors, { adherent_actuel: 'importWizard.error.memberCurrent' });
});
