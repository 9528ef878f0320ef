import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testViewContext } from '../../../test/helpers/view-context.js';
import { richTextForForm, richTextFromForm } from '../../kernel/text/rich-text.js';
import { OrganisationFormFields, organisationFormValues, snapshot, validateOrganisation } from '../organisations/index.js';
import { proposalDiff } from './diff.js';
import { organisationEntity } from './organisation-entity.js';

const TAXONOMIES = {
  kinds: ['association', 'local_authority'],
  themes: ['health', 'water_sanitation'],
  zones: ['west_africa', 'maghreb'],
  colleges: ['associations'],
};

const ctx = testViewContext();

function valid(raw: Record<string, unknown>) {
  const result = validateOrganisation(raw, TAXONOMIES, { currentYear: 2026 });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  return result.draft;
}

test('a record shown in the form and sent back unchanged is the same record (no spurious diff)', () => {
  const draft = valid({
    name: 'Eau Vive Gironde',
    acronym: 'EVG',
    kind_code: 'association',
    description: 'Des puits au Sénégal & au Mali.\n\nDepuis 1998, avec « Eau & Vie ».',
    website: 'eauvive.example.org',
    email: 'contact@eauvive.example.org',
    phone: '05 56 00 00 00',
    address: '12 rue Sainte-Catherine',
    postcode: '33000',
    commune: 'Bordeaux',
    siret: '73282932000074',
    founded_year: '1998',
    staff_count: '3',
    volunteer_count: '40',
    visibility: 'members',
    themes: ['water_sanitation', 'health'],
    countries: ['SN', 'Mali'],
    zones: ['west_africa'],
    sdgs: ['6', '3'],
    colleges: ['associations'],
  });
  const form = organisationFormValues(draft);
  assert.equal(form['description'], 'Des puits au Sénégal & au Mali.\n\nDepuis 1998, avec « Eau & Vie ».', 'plain paragraphs are shown as typed');
  assert.equal(form['commune'], 'Bordeaux');
  assert.equal(form['phone'], '05 56 00 00 00');
  const again = valid(form);
  assert.deepEqual(snapshot(again), snapshot(draft));
  assert.deepEqual(proposalDiff(organisationEntity, organisationFormValues(draft), organisationFormValues(again), null), []);
});

test('rich descriptions come back in the form as typed, or as HTML, so nothing is lost', () => {
  const html = '<p>Voir <a href="https://example.org" rel="noopener noreferrer">notre site</a></p>';
  assert.equal(richTextForForm(html), 'Voir <a href="https://example.org">notre site</a>');
  assert.equal(richTextFromForm(richTextForForm(html)), html);
  assert.equal(richTextForForm('<p>Un<br />deux</p>'), 'Un\ndeux');
  assert.equal(richTextForForm('<p>Un</p><ul><li>deux</li></ul>'), '<p>Un</p><ul><li>deux</li></ul>');
  assert.equal(richTextForForm('Un &amp; deux &lt;3'), 'Un & deux <3');
});

test('the form fields carry labels, errors tied to their fields and the values typed', () => {
  const html = OrganisationFormFields({
    ctx,
    values: { name: 'Ma structure', siret: '123', themes: ['health'] },
    errors: { siret: 'Le SIRET compte 14 chiffres.', themes: 'Une thématique choisie n’existe pas.' },
    staff: false,
    taxonomies: {
      kinds: [{ code: 'association', label_fr: 'Association', label_en: 'Association' }],
      themes: [{ code: 'health', label_fr: 'Santé', label_en: 'Health' }],
      colleges: [{ code: 'associations', label_fr: 'Associations', label_en: 'Associations' }],
      zones: [{ code: 'west_africa', label_fr: 'Afrique de l’Ouest', label_en: 'West Africa' }],
      sdgs: [{ code: '6', label_fr: 'Eau propre', label_en: 'Clean water' }],
      zoneCountries: [{ zone_code: 'west_africa', country_code: 'SN' }],
    },
  }) as string;
  assert.match(html, /<label for="f-name"><span>Nom de la structure<\/span>/);
  assert.match(html, /value="Ma structure"/);
  assert.match(html, /aria-describedby="f-siret-hint f-siret-error"/);
  assert.match(html, /<fieldset id="f-themes"[^>]*aria-describedby="f-themes-error"/);
  assert.match(html, /id="f-themes-health" name="themes" value="health" checked/);
  assert.match(html, /<legend>Pays d’intervention<\/legend>/);
  assert.doesNotMatch(html, /name="visibility"/, 'visibility is for staff');
  assert.doesNotMatch(html, /name="colleges"/, 'colleges are for staff');
  const staffHtml = OrganisationFormFields({ ctx, values: {}, errors: {}, staff: true }) as string;
  assert.match(staffHtml, /name="visibility"/);
});
