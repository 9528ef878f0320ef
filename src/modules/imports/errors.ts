import { isMessageKey, type Locale, type MessageKey, sizedMessage, translator } from '../../kernel/i18n/index.js';
import { isMessageList, isMessageRef, storedIssueParams, wordParams } from './issue-text.js';
import type { MessageParams } from './types.js';

/**
 * Parameters of a refusal: values, or messages (a field's label, a quoted column, the records that
 * block an undo) worded in the reader's language; a list of messages is joined by commas, a
 * MessageList by the language's list separator.
 */
export type ImportErrorParams = MessageParams;

/**
 * A refusal worded for the person importing (French message with the row when there is one):
 * bad file, bad mapping, bad choice. Nothing was written when it is thrown before the commit.
 * A size is given as `maxBytes` and shown as `{max}` in the reader's units (see sizedMessage).
 */
export class ImportError extends Error {
  override name = 'ImportError';
  constructor(
    readonly key: MessageKey,
    readonly params: ImportErrorParams = {},
    /** The spreadsheet row concerned (header = 1), when there is one. */
    readonly row?: number,
  ) {
    super(importErrorText('fr', key, params));
  }

  /** The refusal in the reader's language. */
  text(locale: Locale): string {
    return importErrorText(locale, this.key, this.params);
  }
}

/** A refusal's message in `locale`, the messages among its parameters worded in the same language. */
export function importErrorText(locale: Locale, key: MessageKey, params: ImportErrorParams = {}): string {
  return sizedMessage(locale, key, wordParams(translator(locale), params));
}

export function isImportError(error: unknown): error is ImportError {
  return error instanceof ImportError;
}

/** Why a batch stopped, as its row keeps it: the French text, and the key and parameters that word it in another language. */
export function batchFailure(error: ImportError): { error: string; error_key: string; error_params: string } {
  return { error: error.message, error_key: error.key, error_params: JSON.stringify(error.params) };
}

/** A batch going on (again): no reason to stop any more. */
export const NO_BATCH_FAILURE = { error: null, error_key: null, error_params: null } as const;

/** Why a batch stopped, in the reader's language; batches stopped before keys were kept show their French text. */
export function batchFailureText(batch: { error: string | null; error_key: string | null; error_params: string | null }, locale: Locale): string | null {
  if (batch.error === null) return null;
  if (!batch.error_key || !isMessageKey(batch.error_key)) return batch.error;
  return importErrorText(locale, batch.error_key, storedParams(batch.error_params));
}

/** The parameters kept as JSON: its strings, numbers, messages and lists of messages, anything else left out. */
function storedParams(json: string | null): ImportErrorParams {
  const kept = (value: unknown): value is ImportErrorParams[string] =>
    typeof value === 'string' ||
    typeof value === 'number' ||
    isMessageRef(value) ||
    isMessageList(value) ||
    (Array.isArray(value) && value.every(isMessageRef));
  return Object.fromEntries(Object.entries(storedIssueParams(json) as Record<string, unknown>).filter((e): e is [string, ImportErrorParams[string]] => kept(e[1])));
}
