import { WatchFeedError } from './errors.js';

/** The charset named by a BOM, the Content-Type header or the XML declaration; UTF-8 otherwise. */
function charsetOf(body: Buffer, contentType: string | null): string {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  const header = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1];
  if (header) return header.toLowerCase();
  const head = body.subarray(0, 200).toString('latin1');
  const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1];
  return (declared ?? 'utf-8').toLowerCase();
}

/**
 * The body as text. Invalid bytes in a UTF-8 body are refused (a feed in another encoding that
 * does not say so would otherwise be stored garbled); an unknown charset is refused too.
 */
export function decodeBody(body: Buffer, contentType: string | null): string {
  const charset = charsetOf(body, contentType);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset, { fatal: true });
  } catch {
    throw new WatchFeedError('charset', { charset: charset.slice(0, 40) }, `unknown charset ${charset}`);
  }
  try {
    return decoder.decode(body).replace(/^\uFEFF/, '');
  } catch {
    throw new WatchFeedError('charset', { charset: charset.slice(0, 40) }, `body is not valid ${charset}`);
  }
}
