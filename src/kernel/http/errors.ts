import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import type { MessageKey } from '../i18n/index.js';
import { ErrorPage } from '../ui/error-page.js';
import { sendPage, viewContext } from './view-context.js';

interface ErrorView {
  status: number;
  code: string;
  title: MessageKey;
  text: MessageKey;
}

const CSRF_CODES = new Set(['FST_CSRF_INVALID_TOKEN', 'FST_CSRF_MISSING_SECRET']);
const TOO_LARGE_CODES = new Set(['FST_ERR_CTP_BODY_TOO_LARGE', 'FST_REQ_FILE_TOO_LARGE', 'FST_FILES_LIMIT', 'FST_PARTS_LIMIT']);

function classify(error: FastifyError | AppError): ErrorView {
  if (error instanceof AppError) {
    const title = `error.${camel(error.code)}.title` as MessageKey;
    return { status: error.status, code: error.code, title, text: error.messageKey };
  }
  if (error.code && CSRF_CODES.has(error.code)) {
    return { status: 403, code: 'csrf', title: 'error.csrf.title', text: 'error.csrf.text' };
  }
  if ((error.code && TOO_LARGE_CODES.has(error.code)) || error.statusCode === 413) {
    return { status: 413, code: 'too_large', title: 'error.tooLarge.title', text: 'error.tooLarge.text' };
  }
  const status = error.statusCode ?? 500;
  if (status === 404) return { status, code: 'not_found', title: 'error.notFound.title', text: 'error.notFound.text' };
  if (status === 403) return { status, code: 'forbidden', title: 'error.forbidden.title', text: 'error.forbidden.text' };
  if (status === 429) return { status, code: 'rate_limited', title: 'error.rateLimited.title', text: 'error.rateLimited.text' };
  if (status >= 400 && status < 500) {
    return { status, code: 'bad_request', title: 'error.badRequest.title', text: 'error.badRequest.text' };
  }
  return { status: 500, code: 'internal', title: 'error.internal.title', text: 'error.internal.text' };
}

function camel(code: string): string {
  return code.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
}

export function wantsJson(request: FastifyRequest): boolean {
  const url = request.url;
  if (url.startsWith('/api/') || url === '/healthz' || url === '/readyz') return true;
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

async function respond(request: FastifyRequest, reply: FastifyReply, view: ErrorView): Promise<FastifyReply> {
  const reference = view.status >= 500 ? request.id : undefined;
  if (wantsJson(request)) {
    return reply.status(view.status).send({ error: view.code, message: request.t(view.text), reference });
  }
  try {
    const ctx = await viewContext(request, reply);
    return sendPage(reply, ErrorPage({ ctx, status: view.status, title: view.title, text: view.text, reference }), view.status);
  } catch (renderError) {
    // The page itself failed (database down?): a plain French line, never a stack trace.
    request.log.error({ err: renderError }, 'error page failed');
    return reply
      .status(view.status)
      .type('text/plain; charset=utf-8')
      .send(`${request.t(view.title)}${reference ? ` (référence ${reference})` : ''}`);
  }
}

export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler(async (error: FastifyError | AppError, request, reply) => {
    const view = classify(error);
    if (view.status >= 500) request.log.error({ err: error, reference: request.id }, 'unexpected error');
    else request.log.info({ code: view.code, url: request.url }, 'request refused');
    return respond(request, reply, view);
  });
  app.setNotFoundHandler(async (request, reply) =>
    respond(request, reply, { status: 404, code: 'not_found', title: 'error.notFound.title', text: 'error.notFound.text' }),
  );
}
