import { type TextDecoderLike, Windows1252Decoder } from '../../kernel/text/windows-1252.js';
import type { TextEncodingName } from './types.js';

export type EncodingGuess = { kind: 'text'; encoding: TextEncodingName; bom: boolean; bomLength: number } | { kind: 'binary' };

/** Bytes of a complete UTF-8 sequence cut at the end of a sample: drop the incomplete tail. */
function completeUtf8(sample: Buffer): Buffer {
  for (let back = 1; back <= Math.min(3, sample.length); back++) {
    const byte = sample[sample.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? sample.subarray(0, sample.length - back) : sample;
  }
  return sample;
}

function validUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Text files have no NUL and almost no C0 control characters besides tab, CR, LF (and form feed, EOF). */
function looksBinary(sample: Buffer): boolean {
  let controls = 0;
  for (let i = 0; i < sample.length; i++) {
    const byte = sample[i]!;
    if (byte === 0) return true;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c && byte !== 0x1a) controls++;
  }
  return controls > Math.max(4, sample.length / 1000);
}

/** UTF-16 without a byte-order mark: every other byte is NUL in mostly-ASCII text. */
function utf16WithoutBom(sample: Buffer): TextEncodingName | null {
  const pairs = Math.floor(Math.min(sample.length, 4096) / 2);
  if (pairs < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs; i++) {
    if (sample[2 * i] === 0) evenNul++;
    if (sample[2 * i + 1] === 0) oddNul++;
  }
  if (oddNul > pairs * 0.7 && evenNul < pairs * 0.1) return 'utf-16le';
  if (evenNul > pairs * 0.7 && oddNul < pairs * 0.1) return 'utf-16be';
  return null;
}

/**
 * The encoding of a text file from its first bytes: a byte-order mark decides; else valid UTF-8 is
 * UTF-8 (pure ASCII included); else a single-byte encoding — Windows-1252 when bytes 0x80–0x9F
 * occur (its curly quotes, dashes, œ and €; they are unused control codes in ISO-8859-1), else
 * ISO-8859-1 (both decode the same then). `complete` says the sample is the whole file.
 */
export function detectEncoding(sample: Buffer, complete: boolean): EncodingGuess {
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { kind: 'text', encoding: 'utf-8', bom: true, bomLength: 3 };
  if (sample.length >= 2 && sample[0] === 0xff && sample[1] === 0xfe) return { kind: 'text', encoding: 'utf-16le', bom: true, bomLength: 2 };
  if (sample.length >= 2 && sample[0] === 0xfe && sample[1] === 0xff) return { kind: 'text', encoding: 'utf-16be', bom: true, bomLength: 2 };
  const utf16 = utf16WithoutBom(sample);
  if (utf16) return { kind: 'text', encoding: utf16, bom: false, bomLength: 0 };
  if (looksBinary(sample)) return { kind: 'binary' };
  if (validUtf8(complete ? sample : completeUtf8(sample))) return { kind: 'text', encoding: 'utf-8', bom: false, bomLength: 0 };
  let c1 = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i]! >= 0x80 && sample[i]! <= 0x9f) c1++;
  return { kind: 'text', encoding: c1 > 0 ? 'windows-1252' : 'iso-8859-1', bom: false, bomLength: 0 };
}

/**
 * A streaming decoder for the detected encoding. Single-byte encodings are not left to
 * TextDecoder: Node 20 decodes Windows-1252's 0x80–0x9F (€, –, ’, œ…) as C1 control characters
 * (see kernel/text/windows-1252.ts). ISO-8859-1 is detected only when no such byte occurs in the
 * sample; a later one is still read as Windows-1252 would (what a file labelled Latin-1 means).
 */
export function decoderFor(encoding: TextEncodingName): TextDecoderLike {
  if (decodedAs(encoding) === 'windows-1252') return new Windows1252Decoder();
  return new TextDecoder(encoding, { fatal: false, ignoreBOM: true });
}

/**
 * The encoding a file named so is decoded with: ISO-8859-1 as Windows-1252 (see decoderFor). Two
 * names decoded alike read a file the same way: choosing one over the other changes nothing.
 */
export function decodedAs(encoding: TextEncodingName): TextEncodingName {
  return encoding === 'iso-8859-1' ? 'windows-1252' : encoding;
}
