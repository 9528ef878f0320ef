import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countriesFieldText, countryCodesFromText } from './countries.js';

test('a list of countries is written « Mali (ML), Sénégal (SN) » in every form, and read back from it', () => {
  assert.equal(countriesFieldText(['ML', 'SN']), 'Mali (ML), Sénégal (SN)');
  assert.equal(countriesFieldText(['CI'], 'en'), 'Côte d’Ivoire (CI)');
  assert.deepEqual(countryCodesFromText('Mali (ML), Sénégal (SN)'), ['ML', 'SN']);
  // The forms' older ways, and what people type.
  assert.deepEqual(countryCodesFromText('ML (Mali), SN (Sénégal)'), ['ML', 'SN']);
  assert.deepEqual(countryCodesFromText('SN, Mali ; burkina faso\nSenegal'), ['SN', 'ML', 'BF']);
  assert.deepEqual(countryCodesFromText('Mali, Atlantide'), ['ML', '?Atlantide']);
  // Names that hold brackets or a comma come back as they were written.
  const awkward = ['BQ', 'VA', 'MF'];
  assert.deepEqual(countryCodesFromText(countriesFieldText(awkward)), awkward);
  assert.deepEqual(countryCodesFromText('Bonaire, Saint-Eustache et Saba, Mali'), ['BQ', 'ML']);
});
