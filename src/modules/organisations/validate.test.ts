import assert from 'node:assert/strict';
import { test } from 'node:test';
import { organisationFormValues } from './form.js';
import { validateOrganisation } from './validate.js';

const TAXONOMIES = { kinds: ['association'], themes: [], zones: [], colleges: [] };

test('a plain description with a bare « < » is two paragraphs showing the sign, and edited back as typed', () => {
  const typed = 'Budget : 3 < 5.\n\nSecond paragraphe.';
  const result = validateOrganisation({ name: 'Petits budgets', kind_code: 'association', description: typed.replace(/\n/g, '\r\n') }, TAXONOMIES, { currentYear: 2026 });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  assert.equal(result.draft.description_html, '<p>Budget : 3 &lt; 5.</p><p>Second paragraphe.</p>');
  assert.equal(organisationFormValues(result.draft)['description'], typed);
});
