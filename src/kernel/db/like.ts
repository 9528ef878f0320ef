/**
 * A LIKE pattern finding `text` anywhere, in lower case, its "%", "_" and "\" taken literally:
 * compare a lower-cased column with it and `escape '\'` (SQLite knows no escape character unless told).
 */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
}
