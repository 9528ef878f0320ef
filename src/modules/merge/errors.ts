import { type MessageKey, type Params, translator } from '../../kernel/i18n/index.js';

/** A merge, undo or dismissal refused, worded for the staff member (French message). */
export class MergeError extends Error {
  override name = 'MergeError';
  constructor(
    readonly key: MessageKey,
    readonly params: Params = {},
  ) {
    super(translator('fr')(key, params));
  }
}

export function isMergeError(error: unknown): error is MergeError {
  return error instanceof MergeError;
}
