// `{count, plural, one {# structure} other {# structures}}` in a catalogue message: the branch the
// caller's test chooses for the parameter, `#` standing for it. A branch may hold other
// placeholders (`{name}`), not another plural. Pure: the browser's map module uses it too.

const PLURAL = /\{(\w+), plural, one \{((?:[^{}]|\{\w+\})*)\} other \{((?:[^{}]|\{\w+\})*)\}\}/g;

/** `template` with each plural replaced by its chosen branch (left whole when its parameter is missing). */
export function choosePlurals(template: string, params: Record<string, string | number>, isOne: (value: string | number) => boolean): string {
  if (!template.includes(', plural, ')) return template;
  return template.replace(PLURAL, (whole, name: string, one: string, other: string) => {
    if (!Object.hasOwn(params, name)) return whole;
    return (isOne(params[name]!) ? one : other).replaceAll('#', `{${name}}`);
  });
}
