import type { ViewContext } from './context.js';

export const PAGE_SIZE = 50;

/**
 * The highest page a list is asked for: beyond it, the offset it gives would no longer fit the
 * databases' integers (page=99999999999999999999 made SQLite fail with « datatype mismatch »).
 * No list holds that many pages, so the pager says the page does not exist and leads to the last.
 */
export const MAX_PAGE = 1_000_000;

export function pageNumber(raw: string | undefined): number {
  const n = Number(raw ?? '1');
  if (!Number.isInteger(n) || n < 1) return 1;
  return Math.min(n, MAX_PAGE);
}

/** How many pages a list of `total` rows takes: at least one, the page that says the list is empty. */
export function pageCount(total: number, pageSize = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/**
 * Where a request for a page past the last one goes: the same address (path and other parameters
 * kept, repeated ones too) at the last page, or without `page` when that is the first (an empty
 * list). Undefined when the page asked for exists.
 */
export function lastPageAddress(url: string, page: number, total: number, pageSize = PAGE_SIZE): string | undefined {
  const pages = pageCount(total, pageSize);
  if (page <= pages) return undefined;
  const at = url.indexOf('?');
  // One leading slash: « //host/… » would name another site.
  const path = `/${(at < 0 ? url : url.slice(0, at)).replace(/^[/\\]+/, '')}`;
  const params = new URLSearchParams(at < 0 ? '' : url.slice(at + 1));
  if (pages > 1) params.set('page', String(pages));
  else params.delete('page');
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

interface PagerProps {
  ctx: ViewContext;
  page: number;
  total: number;
  /** The other query parameters: an object, or a canonical query string (repeated parameters kept). */
  query: Record<string, string | undefined> | string;
  pageSize?: number;
}

/** Previous/next links that keep the other query parameters. */
export function Pager({ ctx, page, total, query, pageSize = PAGE_SIZE }: PagerProps) {
  const pages = pageCount(total, pageSize);
  if (pages <= 1 && page <= 1) return '';
  const href = (p: number) => {
    const params = new URLSearchParams(typeof query === 'string' ? query : undefined);
    if (typeof query !== 'string') for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
    params.delete('page');
    params.set('page', String(p));
    return `${ctx.path}?${params.toString()}`;
  };
  if (page > pages) {
    // Every list's GET sends such a page to the last (redirectPastLastPage): only a form posted again with
    // its errors, or a list that shrank between count and page, gets here. Say so, and lead back into the list.
    // A page at the cap may stand for any larger number typed in the address: quoting the cap would
    // name a page the visitor never asked for, so the message then names no number.
    const message = page >= MAX_PAGE ? ctx.t('pager.beyondFar', { pages }) : ctx.t('pager.beyond', { page, pages });
    return (
      <nav class="pager" aria-label={ctx.t('pager.label')}>
        <span safe>{message}</span>
        <a href={href(pages)} safe>
          {ctx.t(pages === 1 ? 'pager.first' : 'pager.last')}
        </a>
      </nav>
    );
  }
  return (
    <nav class="pager" aria-label={ctx.t('pager.label')}>
      {page > 1 ? (
        <a href={href(page - 1)} rel="prev" safe>
          {ctx.t('pager.previous')}
        </a>
      ) : (
        ''
      )}
      <span safe>{ctx.t('pager.position', { page, pages })}</span>
      {page < pages ? (
        <a href={href(page + 1)} rel="next" safe>
          {ctx.t('pager.next')}
        </a>
      ) : (
        ''
      )}
    </nav>
  );
}
