import { isMessageKey, type Locale, type MessageKey, type Params, sizedMessage } from '../../kernel/i18n/index.js';
import { storedIssueParams } from './issue-text.js';

/**
 * A refusal worded for the person importing (French message with the row when there is one):
 * bad file, bad mapping, bad choice. Nothing was written when it is thrown before the commit.
 * A size is given as `maxBytes` and shown as `{max}` in the reader's units (see sizedMessage).
 */
export class ImportError extends Error {
  override name = 'ImportError';
  constructor(
    readonly key: MessageKey,
    readonly params: Params = {},
    /** The spreadsheet row concerned (header = 1), when there is one. */
    readonly row?: number,
  ) {
    super(sizedMessage('fr', key, params));
  }
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
  return sizedMessage(locale, batch.error_key, storedParams(batch.error_params));
}

/** The parameters kept as JSON: its strings and numbers, anything else left out. */
function storedParams(json: string | null): Params {
  return Object.fromEntries(Object.entries(storedIssueParams(json)).filter((e): e is [string, string | number] => typeof e[1] === 'string' || typeof e[1] === 'number'));
}
