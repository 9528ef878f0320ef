// Filter choices of the journal (the labels themselves: kernel/audit/labels.ts).
/** Filter choices: the code stays the value (URLs keep working), the label is what staff read, in alphabetical order. */
export function labelledOptions(codes: string[], label: (code: string) => string, locale: string): { value: string; label: string }[] {
  const collator = new Intl.Collator(locale, { sensitivity: 'base' });
  return codes.map((value) => ({ value, label: label(value) })).sort((a, b) => collator.compare(a.label, b.label) || a.value.localeCompare(b.value));
}
