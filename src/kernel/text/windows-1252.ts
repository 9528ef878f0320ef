// Windows-1252 decoding. WHATWG's table maps bytes 0x80–0x9F to typographic characters (€, ‚, „,
// …, ‘, ’, “, ”, –, —, œ, Ÿ…), but Node 20's TextDecoder('windows-1252') (and 'iso-8859-1', its
// WHATWG alias) decodes them as the C1 control characters U+0080–U+009F: an en dash comes out as
// U+0096. This is the standard mapping, applied on top of Latin-1 (which Windows-1252 equals
// outside 0x80–0x9F). The five bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D)
// stay the control characters WHATWG maps them to.

/** The characters of bytes 0x80–0x9F, in byte order. */
export const WINDOWS_1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

const C1 = /[\u0080-\u009f]/g;
const highChar = (c: string) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]!;

/** Text of Windows-1252 bytes. */
export function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(C1, highChar);
}

/** What a streaming decoder offers (TextDecoder's shape). */
export interface TextDecoderLike {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}

/**
 * A streaming Windows-1252 decoder with TextDecoder's interface. One byte is one character, so a
 * chunk never ends inside a character: each chunk decodes on its own.
 */
export class Windows1252Decoder implements TextDecoderLike {
  decode(input?: Uint8Array): string {
    return input ? decodeWindows1252(input) : '';
  }
}
