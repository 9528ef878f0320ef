import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { htmlToText } from '../html.js';
import { htmlToParagraphs } from './rich-text.js';

describe('rich text as calendar text', () => {
  it('keeps paragraphs apart by a blank line and list items one a line, where htmlToText makes one line', () => {
    const html = '<p>Le matin : <strong>plénière</strong>.</p>\n<p>L’après-midi :</p><ul><li>atelier eau</li><li><p>atelier santé</p></li></ul><p>Fin à 17 h<br>Pot &amp; clôture</p>';
    assert.equal(htmlToParagraphs(html), 'Le matin : plénière.\n\nL’après-midi :\n\n- atelier eau\n- atelier santé\n\nFin à 17 h\nPot & clôture');
    assert.equal(htmlToText(html), 'Le matin : plénière. L’après-midi : atelier eau atelier santé Fin à 17 h Pot & clôture', 'its other callers keep one line');
  });

  it('collapses spaces inside a paragraph, drops empty items, scripts and tags, and decodes entities once', () => {
    assert.equal(htmlToParagraphs('<h2>Programme</h2>\n\n<p>  un   deux\n trois </p><ol><li></li><li>&lt;b&gt; &amp;amp;</li></ol><script>alert(1)</script>'), 'Programme\n\nun deux trois\n\n- <b> &amp;');
    assert.equal(htmlToParagraphs('texte seul'), 'texte seul');
  });

  it('typed text cannot pass for a paragraph break', () => {
    assert.equal(htmlToParagraphs('<p>a\ue000\ue001b</p>'), 'ab');
  });
});
