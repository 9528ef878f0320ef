// French spacing, applied once to the French catalogue so its sources stay easy to type: a
// no-break space before « : » and « % » (as Intl writes « 80 % ») and inside « guillemets », a
// narrow no-break space before « ; », « ! » and « ? ». A line can then never start with one of those signs.

const NBSP = '\u00a0';
const NNBSP = '\u202f';
/** A sign that takes a space, after a word, a number, a closing sign or a parameter, before a space, a quote, a closing sign or the end. */
const COLON = /(?<=[\p{L}\d’)»}.%]|^) :(?=[\s'"`/)\]<]|$)/gu;
const HIGH_SIGNS = /(?<=[\p{L}\d’)»}.%]|^) ([;!?])(?=[\s'"`/)\]<]|$)/gu;

/** A French text with its spaces before high signs and inside guillemets made unbreakable. */
export function frenchSpacing(text: string): string {
  return text
    .replace(COLON, `${NBSP}:`)
    .replace(HIGH_SIGNS, `${NNBSP}$1`)
    .replaceAll('« ', `«${NBSP}`)
    .replaceAll(' »', `${NBSP}»`)
    .replace(/(?<=[\d}]) %/g, `${NBSP}%`);
}

/** Every message of a French catalogue with French spacing. */
export function withFrenchSpacing<K extends string>(catalogue: Record<K, string>): Record<K, string> {
  const spaced = {} as Record<K, string>;
  for (const key of Object.keys(catalogue) as K[]) spaced[key] = frenchSpacing(catalogue[key]);
  return spaced;
}
