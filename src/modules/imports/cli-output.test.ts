import assert from 'node:assert/strict';
import { test } from 'node:test';
import { printMapping, printSummary, rowsPerSecond } from './cli-output.js';
import type { MappingDocument, ValidationSummary } from './types.js';

function summaryLines(summary: Partial<ValidationSummary>, reportLines: number): string[] {
  const lines: string[] = [];
  const s: ValidationSummary = { totalRows: 0, validRows: 0, errorRows: 0, warningRows: 0, byKey: {}, duplicateRows: 0, ...summary };
  printSummary({ log: (line) => lines.push(line) }, s, '/tmp/rapport.csv', reportLines);
  return lines;
}

test('the validation summary agrees with its counts: French singular for 0 and 1, plural from 2', () => {
  assert.deepEqual(summaryLines({ totalRows: 1, validRows: 1, duplicateRows: 1 }, 1), [
    'Validation : 1 ligne, 1 valide, 0 en erreur, 0 avec avertissement, 1 doublon possible',
    'Rapport de validation (CSV, 1 ligne) : /tmp/rapport.csv',
  ]);
  assert.deepEqual(summaryLines({ totalRows: 27_162, validRows: 27_160, errorRows: 2, warningRows: 76, duplicateRows: 65 }, 141), [
    'Validation : 27\u202f162 lignes, 27\u202f160 valides, 2 en erreur, 76 avec avertissement, 65 doublons possibles',
    'Rapport de validation (CSV, 141 lignes) : /tmp/rapport.csv',
  ]);
  assert.equal(summaryLines({}, 0)[0], 'Validation : 0 ligne, 0 valide, 0 en erreur, 0 avec avertissement', 'no duplicate part without duplicates');
});

test('the commonest issues are listed by kind, their particulars elided without a stray full stop', () => {
  const lines = summaryLines({ totalRows: 100, validRows: 100, warningRows: 67, duplicateRows: 67, byKey: { 'imports.issue.possibleDuplicate': 67 } }, 67);
  assert.equal(lines[1], '       67 × Doublon possible : …');
});

test('speeds are rounded and agree: « 1 ligne/s », « 3 200 lignes/s »', () => {
  assert.equal(rowsPerSecond(0.6), '1 ligne/s');
  assert.equal(rowsPerSecond(3199.7), '3\u202f200 lignes/s');
});

test('the mapping printed names membership values « oui » / « non » and codes by their labels', () => {
  const lines: string[] = [];
  const mapping: MappingDocument = {
    version: 1,
    columns: {
      cotisation_a_jour: { field: 'is_member', values: { '0': '0', '1': '1' } },
      categorie: { field: 'kind', values: { Entreprise: 'company', Autre: '' } },
    },
  };
  const labels: Record<string, string> = { company: 'Entreprise' };
  printMapping({ log: (line) => lines.push(line) }, mapping, 'essai', ['cotisation_a_jour', 'categorie'], 2026, (_field, code) => labels[code] ?? null);
  assert.match(lines.join('\n'), /cotisation_a_jour → Adhérent \(0 → non, 1 → oui\)/);
  assert.match(lines.join('\n'), /categorie +→ Famille d’acteurs \(Entreprise → Entreprise, Autre → ∅\)/);
});

test('a membership column names its year and whether a yes makes a current member in the import’s year', () => {
  const printed = (mapping: Partial<MappingDocument>, currentYear: number) => {
    const lines: string[] = [];
    const document: MappingDocument = { version: 1, columns: { 'Adhérent 2016': { field: 'is_member', values: { oui: '1', non: '0' } } }, ...mapping };
    printMapping({ log: (line) => lines.push(line) }, document, 'essai', ['Adhérent 2016'], currentYear);
    return lines[1];
  };
  const past = '  Adhérent 2016 → Adhérent (oui → oui, non → non\u202f; adhésion 2016\u202f; pas adhérents du réseau aujourd’hui)';
  assert.equal(printed({ membershipYear: 2016 }, 2026), past);
  assert.equal(printed({ membershipYear: 2016 }, 2016), '  Adhérent 2016 → Adhérent (oui → oui, non → non\u202f; adhésion 2016\u202f; adhérents du réseau aujourd’hui)');
  assert.equal(printed({ membershipYear: 2016, membershipCurrent: true }, 2026), '  Adhérent 2016 → Adhérent (oui → oui, non → non\u202f; adhésion 2016\u202f; adhérents du réseau aujourd’hui)');
  assert.equal(printed({ membershipYear: null, membershipCurrent: false }, 2026), '  Adhérent 2016 → Adhérent (oui → oui, non → non\u202f; pas adhérents du réseau aujourd’hui)');
});

test('a column’s details are listed as French lists are: « ; » after a narrow no-break space', () => {
  const lines: string[] = [];
  const mapping: MappingDocument = { version: 1, columns: { categorie: { field: 'kind', split: '/', values: { Entreprise: 'company' } } } };
  printMapping({ log: (line) => lines.push(line) }, mapping, 'essai', ['categorie'], 2026, () => null);
  assert.equal(lines[1], '  categorie → Famille d’acteurs (valeurs séparées par «\u00a0/\u00a0»\u202f; Entreprise → company)');
});
