import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { isLocale, type MessageKey, negotiateLocale, translator } from '../i18n/index.js';
import type { ViewContext } from '../ui/context.js';
import { ErrorPage } from '../ui/error-page.js';
import { sendPage, siteIdentity, viewContext } from './view-context.js';

interface ErrorView {
  status: number;
  code: string;
  title: MessageKey;
  text: MessageKey;
}

const CSRF_CODES = new Set(['FST_CSRF_INVALID_TOKEN', 'FST_CSRF_MISSING_SECRET']);
const TOO_LARGE_CODES = new Set(['FST_ERR_CTP_BODY_TOO_LARGE', 'FST_REQ_FILE_TOO_LARGE', 'FST_FILES_LIMIT', 'FST_PARTS_LIMIT']);

function classify(error: FastifyError | AppError, request: FastifyRequest): ErrorView {
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
  // A multipart body that cannot be read (cut short, no boundary…) fails while it is parsed, with
  // a bare Error from the parser: the sender's fault, not ours. System errors (disk full) stay 500.
  if (error.statusCode === undefined && !('syscall' in error) && readingBody.has(request)) {
    return { status: 400, code: 'bad_request', title: 'error.badRequest.title', text: 'error.badRequest.text' };
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

/** Requests whose body is being read: after the onRequest hooks, before validation ends. */
const readingBody = new WeakSet<FastifyRequest>();

/** Call after every body parser is registered, so that the preValidation hook runs after theirs. */
export function registerErrorHandlers(app: FastifyInstance): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    readingBody.add(request);
    return payload;
  });
  app.addHook('preValidation', async (request) => {
    readingBody.delete(request);
  });
  app.setErrorHandler(async (error: FastifyError | AppError, request, reply) => {
    const view = classify(error, request);
    if (view.status >= 500) request.log.error({ err: error, reference: request.id }, 'unexpected error');
    else request.log.info({ code: view.code, url: request.url }, 'request refused');
    return respond(request, reply, view);
  });
  app.setNotFoundHandler(async (request, reply) =>
    respond(request, reply, { status: 404, code: 'not_found', title: 'error.notFound.title', text: 'error.notFound.text' }),
  );
}

/**
 * Fastify's `frameworkErrors` option: errors met before any route is found (a URL that cannot be
 * decoded, a parameter too long) get the same French page instead of Fastify's English JSON
 * echoing the URL. These requests are bare (no hook ran, no decorator: no cookies, session, CSRF
 * or translator), so the page is built here from the headers alone, with the security headers.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const view = classify(error, request);
  const cookieLang = /(?:^|;\s*)lang=([a-z]{2})(?:;|$)/.exec(request.headers.cookie ?? '')?.[1];
  const locale = isLocale(cookieLang) ? cookieLang : negotiateLocale(request.headers['accept-language']);
  const t = translator(locale);
  request.log.info({ code: error.code }, 'request refused');
  reply
    .header('content-security-policy', "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'")
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'SAMEORIGIN')
    .header('referrer-policy', 'strict-origin-when-cross-origin');
  const send = async () => {
    if (wantsJson(request)) {
      return reply.status(view.status).send({ error: view.code, message: t(view.text) });
    }
    const kernel = request.server.kernel;
    const settings = await kernel.settings.get();
    const ctx: ViewContext = {
      t,
      locale,
      path: '/',
      csrfToken: '',
      user: null,
      site: siteIdentity(kernel, settings),
      publicNav: kernel.publicNav,
      adminNav: kernel.adminNav,
      memberCards: kernel.memberCards,
      pageNav: kernel.pageNav,
      footerParts: kernel.footerParts,
      flash: [],
    };
    return sendPage(reply, ErrorPage({ ctx, status: view.status, title: view.title, text: view.text }), view.status);
  };
  send().catch((err: unknown) => {
    request.log.error({ err }, 'error page failed');
    if (!reply.sent) reply.status(view.status).type('text/plain; charset=utf-8').send(t(view.title));
  });
}
