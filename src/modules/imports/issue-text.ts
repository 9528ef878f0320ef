import { isMessageKey, type MessageKey, type Params, type Translate } from '../../kernel/i18n/index.js';
import type { IssueParams, MessageList, MessageParams, MessageRef } from './types.js';

/**
 * A report message in the reader's language: messages among its parameters are worded with the
 * same translator, and lists joined by its separator. Parameters stored before messages were
 * kept as references are plain text and shown as they are.
 */
export function issueText(t: Translate, key: MessageKey, params: IssueParams | null = {}): string {
  // Read back from storage: anything but a string or a message reference is shown as empty.
  const word = (value: unknown): string => (typeof value === 'string' ? value : isMessageRef(value) ? wordRef(t, value) : '');
  const flat: Params = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    flat[name] = Array.isArray(value) ? value.map(word).join(t('imports.list.separator')) : typeof value === 'number' ? value : word(value);
  }
  return t(key, flat);
}

/** A message in the reader's language; a key no longer in the catalogue is shown as it is. */
export function wordRef(t: Translate, ref: MessageRef): string {
  return isMessageKey(ref.key) ? t(ref.key, ref.params && wordParams(t, ref.params)) : ref.key;
}

/**
 * Parameters as the translator takes them: messages worded with it, down to those inside their
 * own parameters; a list joined by commas, a MessageList by the language's list separator.
 * Read back from storage, anything else is shown as empty.
 */
export function wordParams(t: Translate, params: MessageParams): Params {
  const word = (value: unknown): string =>
    typeof value === 'string'
      ? value
      : typeof value === 'number'
        ? String(value)
        : Array.isArray(value)
          ? value.map(word).join(', ')
          : isMessageRef(value)
            ? wordRef(t, value)
            : isMessageList(value)
              ? value.list.map(word).join(t('imports.list.separator'))
              : '';
  const flat: Params = {};
  // Numbers stay numbers: plurals and sizes are worded from them.
  for (const [name, value] of Object.entries(params)) flat[name] = typeof value === 'number' ? value : word(value);
  return flat;
}

/** Parameters read back from storage (JSON): an object, or none when the text is not one. */
export function storedIssueParams(json: string | null | undefined): IssueParams {
  if (!json) return {};
  try {
    const value = JSON.parse(json) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as IssueParams) : {};
  } catch {
    return {};
  }
}

export function isMessageRef(value: unknown): value is MessageRef {
  return typeof value === 'object' && value !== null && typeof (value as { key?: unknown }).key === 'string';
}

export function isMessageList(value: unknown): value is MessageList {
  return typeof value === 'object' && value !== null && Array.isArray((value as { list?: unknown }).list);
}

/** The name of an import target ("Contact : prénom") as a message, or the code when it has none. */
export function targetName(target: string): MessageRef | string {
  const key = `imports.field.${target}`;
  return isMessageKey(key) ? { key } : target;
}

/** A column of the file named in a message: quoted as the reader's language does. */
export function columnRef(column: string): MessageRef {
  return { key: 'imports.columnRef', params: { column } };
}
