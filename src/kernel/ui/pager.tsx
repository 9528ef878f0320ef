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
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1 && page <= 1) return '';
  const href = (p: number) => {
    const params = new URLSearchParams(typeof query === 'string' ? query : undefined);
    if (typeof query !== 'string') for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
    params.delete('page');
    params.set('page', String(p));
    return `${ctx.path}?${params.toString()}`;
  };
  if (page > pages) {
    // An old link, or filters that now give fewer results: say so, and lead back into the list.
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
