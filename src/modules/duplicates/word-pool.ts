/**
 * One copy of each word (or repeated value) for a whole run: tens of thousands of names repeat the
 * same few thousand words ("association", the commune's name), records the same communes, kinds and
 * source files, and each copy read from the database would cost memory.
 */
export class WordPool {
  private readonly words = new Map<string, string>();

  word(value: string): string {
    const known = this.words.get(value);
    if (known !== undefined) return known;
    this.words.set(value, value);
    return value;
  }

  /** The pooled copy of a value that may be missing. */
  maybe(value: string | null): string | null {
    return value === null ? null : this.word(value);
  }

  list(values: string[]): string[] {
    for (let i = 0; i < values.length; i++) values[i] = this.word(values[i]!);
    return values;
  }
}
