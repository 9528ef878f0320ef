import assert from 'node:assert/strict';
import { test } from 'node:test';
import { htmlToText } from './html.js';

test('the plain text of rich text is decoded once: whoever shows it escapes it once', () => {
  assert.equal(htmlToText('<p>Essai &amp; « é »</p>'), 'Essai & « é »');
  assert.equal(htmlToText('Tom &amp; Jerry &eacute;t&eacute;&nbsp;2026'), 'Tom & Jerry été 2026');
  assert.equal(htmlToText('<p>a &lt;b&gt; typed as text</p>'), 'a <b> typed as text', 'markup typed as text stays text');
  assert.equal(htmlToText('&amp;amp;'), '&amp;', 'an escaped entity is decoded once, not twice');
  assert.equal(htmlToText('<p>un</p>\n\n<p>deux <strong>mots</strong></p>'), 'un deux mots');
  assert.equal(htmlToText('<p>(Sénégal).</p><p>Elle anime</p><ul><li>un</li><li>deux</li></ul>trois<br>quatre'), '(Sénégal). Elle anime un deux trois quatre', 'blocks do not run together');
  assert.equal(htmlToText('<script>alert(1)</script><style>p{}</style>reste'), 'reste', 'script and style contents are dropped');
});
