/** A JSON text stored in a column (a journal entry's before/after, a legal basis), as its value; text that is not JSON as itself. */
export function storedJson(text: string | null): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
