// `{count, plural, one {# structure} other {# structures}}` in a catalogue message: the branch the
// caller's test chooses for the parameter, `#` standing for it (a number written as the language
// writes it: « 2 850 »). A branch may hold other placeholders (`{name}`), not another plural.
// Pure: the browser's map module uses it too.

const PLURAL = /\{(\w+), plural, one \{((?:[^{}]|\{\w+\})*)\} other \{((?:[^{}]|\{\w+\})*)\}\}/g;

/**
 * `template` with each plural replaced by its chosen branch (left whole when its parameter is
 * missing). `#` becomes `formatNumber(value)` for a number, the `{name}` placeholder for a string
 * (already formatted by the caller).
 */
export function choosePlurals(
  template: string,
  params: Record<string, string | number>,
  isOne: (value: string | number) => boolean,
  formatNumber: (value: number) => string,
): string {
  if (!template.includes(', plural, ')) return template;
  return template.replace(PLURAL, (whole, name: string, one: string, other: string) => {
    if (!Object.hasOwn(params, name)) return whole;
    const value = params[name]!;
    const count = typeof value === 'number' ? formatNumber(value) : `{${name}}`;
    return (isOne(value) ? one : other).replaceAll('#', () => count);
  });
}
