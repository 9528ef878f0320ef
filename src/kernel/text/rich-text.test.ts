import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sanitiseRichText } from '../html.js';
import { richTextForForm, richTextFromForm } from './rich-text.js';

test('plain text with a bare « < » keeps its paragraphs and shows the sign', () => {
  assert.equal(
    richTextFromForm('Atelier pour les enfants de <12 ans.\n\nInscription gratuite,\nsur place.'),
    '<p>Atelier pour les enfants de &lt;12 ans.</p><p>Inscription gratuite,<br />sur place.</p>',
  );
  assert.equal(richTextFromForm('Si 3 < 5 et a<b alors…\r\n  \r\nFin.'), '<p>Si 3 &lt; 5 et a&lt;b alors…</p><p>Fin.</p>');
});

test('tags in plain text stay markup for the sanitiser, and blank lines still make paragraphs', () => {
  assert.equal(
    richTextFromForm('Venez <strong>nombreux</strong> (moins de <10 € l’entrée).\n\nVoir <a href="https://exemple.org">le programme</a> & <em>la carte</em>.'),
    '<p>Venez <strong>nombreux</strong> (moins de &lt;10 € l’entrée).</p><p>Voir <a href="https://exemple.org" rel="noopener noreferrer">le programme</a> &amp; <em>la carte</em>.</p>',
  );
  // Other tags are the sanitiser's to drop, as they were.
  assert.equal(richTextFromForm('Texte <span class="x">collé</span><script>alert(1)</script>\n\nSuite <a\nhref="https://exemple.org">ici</a>'), '<p>Texte collé</p><p>Suite <a href="https://exemple.org" rel="noopener noreferrer">ici</a></p>');
});

test('HTML with block tags is kept as written, sanitised as before', () => {
  const html = '<h2>Éditeur</h2>\n\n<p>Association <strong>Réseau Sud</strong>.</p><ul><li>Un</li></ul><script>x()</script>';
  assert.equal(richTextFromForm(html), sanitiseRichText(html));
  assert.equal(richTextFromForm(html), '<h2>Éditeur</h2>\n\n<p>Association <strong>Réseau Sud</strong>.</p><ul><li>Un</li></ul>');
});

test('plain text without « < » reads as before, empty text is null, and a single paragraph comes back as typed', () => {
  assert.equal(richTextFromForm('Le réseau rassemble les acteurs.\n\n\nIl est né en 2005 & grandit.'), '<p>Le réseau rassemble les acteurs.</p><p>Il est né en 2005 &amp; grandit.</p>');
  assert.equal(richTextFromForm(' \n '), null);
  assert.equal(richTextForForm(richTextFromForm('Jeux pour les 3 < 5 ans')), 'Jeux pour les 3 < 5 ans');
});

test('paragraphs typed with a link or bold text come back as typed, not as the HTML stored', () => {
  const typed = 'Chers amis,\n\nVoici les nouvelles du réseau & de ses membres.\n<a href="https://exemple.org/agenda?mois=3&theme=eau">Voir l’agenda</a>, <strong>3 < 5</strong>';
  const stored = richTextFromForm(typed);
  assert.match(stored ?? '', /^<p>Chers amis,<\/p><p>/);
  assert.equal(richTextForForm(stored), typed);
  // A `rel` typed by hand stays: the text area shows what gives the same HTML, the plainest first.
  const withRel = 'Voir <a href="https://exemple.org" rel="noopener noreferrer">ici</a>';
  assert.equal(richTextForForm(richTextFromForm(withRel)), 'Voir <a href="https://exemple.org">ici</a>');
  // Block markup is still shown as HTML.
  assert.equal(richTextForForm('<p>Un</p><h2>Deux</h2>'), '<p>Un</p><h2>Deux</h2>');
});
