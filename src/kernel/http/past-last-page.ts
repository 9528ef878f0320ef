import type { FastifyReply, FastifyRequest } from 'fastify';
import { lastPageAddress, PAGE_SIZE } from '../ui/pager.js';

/**
 * A paged list asked for at a page past its last one (an old link, a page number typed, filters that
 * now give fewer results) answers with its last page's address, the other parameters kept; an empty
 * list with its address without `page`. Temporary (302, as the login redirect): the list grows and
 * shrinks. Returns the reply when it redirected, undefined when the page exists and is to be shown.
 * Call it before viewContext(), which takes the flash messages the page redirected to is to show.
 * A total that is only a lower bound must not send a page that shows rows away: call it then only for
 * an empty page. Only a GET (or HEAD) is redirected: a form posted again with its errors keeps its
 * answer. HTML pages only: the JSON API says which pages there are and never redirects.
 */
export function redirectPastLastPage(request: FastifyRequest, reply: FastifyReply, page: number, total: number, pageSize = PAGE_SIZE): FastifyReply | undefined {
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  const target = lastPageAddress(request.url, page, total, pageSize);
  return target === undefined ? undefined : reply.redirect(target, 302);
}
