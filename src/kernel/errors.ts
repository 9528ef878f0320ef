import type { MessageKey } from './i18n/index.js';

/** Documented error codes; each maps to an HTTP status and a catalogue message. */
export const ERROR_CODES = {
  not_found: { status: 404, message: 'error.notFound.text' },
  forbidden: { status: 403, message: 'error.forbidden.text' },
  csrf: { status: 403, message: 'error.csrf.text' },
  too_large: { status: 413, message: 'error.tooLarge.text' },
  bad_request: { status: 400, message: 'error.badRequest.text' },
  conflict: { status: 409, message: 'error.conflict.text' },
  rate_limited: { status: 429, message: 'error.rateLimited.text' },
} as const satisfies Record<string, { status: number; message: MessageKey }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly messageKey: MessageKey = ERROR_CODES[code].message,
  ) {
    super(code);
    this.name = 'AppError';
    this.status = ERROR_CODES[code].status;
  }
}
