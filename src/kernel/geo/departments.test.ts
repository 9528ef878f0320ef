import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findDepartment, listDepartments } from './communes.js';

test('départements come in code order (Corsica between 19 and 21, 975 before 976), named with the typographic apostrophe', () => {
  const codes = listDepartments().map((d) => d.code);
  assert.deepEqual(codes.slice(codes.indexOf('19'), codes.indexOf('19') + 4), ['19', '2A', '2B', '21']);
  assert.ok(codes.indexOf('975') < codes.indexOf('976'), '975 Saint-Pierre-et-Miquelon before 976 Mayotte');
  assert.equal(findDepartment('21')?.name, 'Côte-d’Or');
  assert.equal(findDepartment('95')?.name, 'Val-d’Oise');
  assert.ok(listDepartments().every((d) => !d.name.includes("'")));
});
