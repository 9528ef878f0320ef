import type { FastifyRequest } from 'fastify';
import { AfterCommitError } from '../db/transaction.js';
import { AppError } from '../errors.js';
import type { MessageKey } from '../i18n/index.js';
import { flash } from './view-context.js';

/**
 * A form's write the database refused as a whole (one transaction, rolled back): the cause goes to
 * the log with the request's id, never to the page, and `message` (nothing was saved, the person
 * may try again) is flashed in their language; the caller shows the form again with what was typed.
 * A missing record (AppError) goes on to the usual error page, and so does a follow-up that failed
 * once the writes committed (AfterCommitError: saying "nothing was saved" would be false) when the
 * write was not wrapped in `committed`, which every write with follow-ups must be.
 */
export function writeRefused(request: FastifyRequest, error: unknown, message: MessageKey): void {
  if (error instanceof AppError || error instanceof AfterCommitError) throw error;
  request.log.error({ err: error, reference: request.id }, 'write refused, nothing saved');
  flash(request, 'error', request.t(message));
}

/**
 * What a write returns once committed. When follow-ups failed after the commit (AfterCommitError:
 * an old file left on disk, an email not sent…), the write stands and so the route goes on to its
 * success as usual: each failure's cause goes to the log with the request's id, never to the page,
 * and its warning (which may quote the id as `{reference}`) is flashed in the person's language,
 * below the success the route flashes next.
 */
export async function committed<T>(request: FastifyRequest, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (!(error instanceof AfterCommitError)) throw error;
    for (const failure of error.failures) {
      request.log.error({ err: failure.cause, reference: request.id }, 'follow-up failed after the commit, the write stands');
      flash(request, 'error', request.t(failure.warning, { reference: request.id }), { last: true });
    }
    // The value the write's service returned, carried by the error (see AfterCommitError).
    return error.result as T;
  }
}
