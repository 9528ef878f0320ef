import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkWebLink } from './web-link.js';

test('a public link is kept, with the scheme it lacked', () => {
  assert.deepEqual(checkWebLink('www.exemple.org/page', 'https'), { ok: true, url: 'https://www.exemple.org/page' });
  assert.deepEqual(checkWebLink('http://93.184.216.34/'), { ok: true, url: 'http://93.184.216.34/' });
});

test('what is not a web link is refused as invalid', () => {
  for (const raw of ['javascript:alert(1)', 'ftp://x.org/', 'http://intranet/', 'pas une adresse', 'www.x.org']) {
    assert.deepEqual(checkWebLink(raw), { ok: false, local: false }, raw);
  }
});

test('a local or private address is refused as local', () => {
  for (const raw of ['http://127.0.0.1/', '192.168.1.10', 'https://10.0.0.5:8080/admin', 'http://169.254.169.254/latest', 'http://127.1/', 'http://app.localhost/']) {
    assert.deepEqual(checkWebLink(raw, 'http'), { ok: false, local: true }, raw);
  }
});
