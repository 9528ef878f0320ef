import { type Locale, type MessageKey, numberFormat, type Params, translator } from '../../kernel/i18n/index.js';

/**
 * A refusal worded for the person importing (French message with the row when there is one):
 * bad file, bad mapping, bad choice. Nothing was written when it is thrown before the commit.
 */
export class ImportError extends Error {
  override name = 'ImportError';
  constructor(
    readonly key: MessageKey,
    readonly params: Params = {},
    /** The spreadsheet row concerned (header = 1), when there is one. */
    readonly row?: number,
  ) {
    super(translator('fr')(key, params));
  }
}

export function isImportError(error: unknown): error is ImportError {
  return error instanceof ImportError;
}

/** "1,5 Mo" (or "1.5 MB" in English) sizes for messages. */
export function formatMegabytes(bytes: number, locale: Locale = 'fr'): string {
  const mb = bytes / (1024 * 1024);
  return translator(locale)('imports.size.megabytes', { n: numberFormat(locale, { maximumFractionDigits: mb < 10 ? 1 : 0 }).format(mb) });
}
