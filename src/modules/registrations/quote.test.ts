import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registrationMail } from './mails.js';
import { quotedTitle } from './quote.js';

test('a title is quoted once: « … » in French, “…” in English', () => {
  assert.equal(quotedTitle('Journée de l’eau', 'fr'), '«\u00a0Journée de l’eau\u00a0»');
  assert.equal(quotedTitle('Water day', 'en'), '“Water day”');
  // Already wholly between quotes: left as it is.
  assert.equal(quotedTitle('« Eau pour tous »', 'fr'), '« Eau pour tous »');
  assert.equal(quotedTitle('  «Eau pour tous»  ', 'fr'), '«Eau pour tous»');
  assert.equal(quotedTitle('“Water for all”', 'en'), '“Water for all”');
  // Quotes inside the title become the second level's, whatever their spaces.
  assert.equal(quotedTitle('« Eau pour tous » : rencontre régionale', 'fr'), '«\u00a0“Eau pour tous” : rencontre régionale\u00a0»');
  assert.equal(quotedTitle('Formation «\u00a0eau\u00a0» et «climat»', 'fr'), '«\u00a0Formation “eau” et “climat”\u00a0»');
  assert.equal(quotedTitle('The “Water” meeting', 'en'), '“The ‘Water’ meeting”');
  // Two quoted parts are not one quotation: wrapped, each inner part second-level.
  assert.equal(quotedTitle('« Eau » et « climat »', 'fr'), '«\u00a0“Eau” et “climat”\u00a0»');
});

test('the registration emails never show « « … » »', () => {
  for (const kind of ['confirmation', 'waitlisted', 'promoted', 'cancelled', 'reminder', 'link'] as const) {
    for (const title of ['« Eau pour tous »', '« Eau pour tous » : rencontre régionale', 'Rencontre « Eau pour tous »']) {
      const mail = registrationMail({ kind, locale: 'fr', networkName: 'Réseau', name: 'Awa Diallo', title, when: 'lundi', place: '', onlineUrl: null, position: 2, link: 'http://x/inscriptions/t' });
      for (const text of [mail.text, mail.html]) {
        assert.doesNotMatch(text, /«(\s|\u00a0|&nbsp;|&#160;)*«|»(\s|\u00a0|&nbsp;|&#160;)*»/, `${kind}: ${title}`);
      }
    }
  }
  const wholly = registrationMail({ kind: 'confirmation', locale: 'fr', networkName: 'Réseau', name: 'Awa', title: '« Eau pour tous »', when: 'lundi', place: '', onlineUrl: null, position: null, link: 'http://x/i' });
  assert.match(wholly.text, /Votre inscription à « Eau pour tous » est confirmée\./);
});
