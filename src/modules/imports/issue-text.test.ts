import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translator } from '../../kernel/i18n/index.js';
import { issueText } from './issue-text.js';
import type { IssueParams } from './types.js';

const fr = translator('fr');
const en = translator('en');

test('messages inside a report message are worded in the reader’s language, lists joined by its separator', () => {
  const params: IssueParams = { matches: [{ key: 'imports.issue.matchAtRow', params: { label: 'Baobab (Pessac)', row: 12 } }, 'Baobab (Talence)'] };
  assert.equal(issueText(fr, 'imports.issue.possibleDuplicate', params), 'Doublon possible : Baobab (Pessac) (ligne 12) ; Baobab (Talence).');
  assert.equal(issueText(en, 'imports.issue.possibleDuplicate', params), 'Possible duplicate: Baobab (Pessac) (row 12); Baobab (Talence).');
});

test('a match already in the base says so, unlike a match with another row of the file', () => {
  const params: IssueParams = {
    matches: [
      { key: 'imports.issue.matchInBase', params: { label: 'MJC de Bruges (Bruges)' } },
      { key: 'imports.issue.matchAtRow', params: { label: 'MJC Bruges (Bruges)', row: 87 } },
    ],
  };
  assert.equal(issueText(fr, 'imports.issue.possibleDuplicate', params), 'Doublon possible : MJC de Bruges (Bruges), déjà dans la base ; MJC Bruges (Bruges) (ligne 87).');
  assert.equal(issueText(en, 'imports.issue.possibleDuplicate', params), 'Possible duplicate: MJC de Bruges (Bruges), already in the base; MJC Bruges (Bruges) (row 87).');
});

test('parameters stored before references were kept, or damaged, never break the page', () => {
  assert.equal(issueText(en, 'imports.issue.possibleDuplicate', { matches: 'Baobab (ligne 3)' }), 'Possible duplicate: Baobab (ligne 3).');
  const damaged = JSON.parse('{"matches": [null, {"nokey": 1}], "field": null}') as IssueParams;
  assert.equal(issueText(fr, 'imports.issue.possibleDuplicate', damaged), 'Doublon possible :  ; .');
  assert.equal(issueText(fr, 'imports.issue.possibleDuplicate', null), 'Doublon possible : {matches}.');
});
