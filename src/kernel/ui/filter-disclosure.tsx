import type { PropsWithChildren } from '@kitajs/html';
import type { ViewContext } from './context.js';

/** A filter's value counts as active when it holds something: text, a choice, or ticked values. */
export type FilterValue = string | number | boolean | readonly unknown[] | null | undefined;

/** How many filters are set: each filled text or choice counts one, each ticked value of a list one. */
export function countActiveFilters(values: readonly FilterValue[]): number {
  let count = 0;
  for (const value of values) {
    if (Array.isArray(value)) count += value.length;
    else if (typeof value === 'string') count += value.trim() === '' ? 0 : 1;
    else if (typeof value === 'number' || value === true) count += 1;
  }
  return count;
}

/**
 * A block of a page folded behind its summary on narrow screens only (the filters of a list, the
 * bulk actions above a table), so that what the page is for shows right under its title.
 *
 * The page renders it open: without script, and on wide screens (where site.css hides the summary),
 * its content shows as it always did. filter-disclosure.js, run right after it (not deferred, so the
 * fold comes before the rest is painted: nothing jumps), folds it on a narrow screen unless
 * `keepOpen` (a refused form): what must be corrected stays in view.
 *
 * Narrow means below site.css's 48rem, or below `foldBelow` for a block that stands above its list
 * up to a wider width (the directory's filters, beside the results from 56rem on): the page's
 * stylesheet then shows the summary up to that same width.
 */
export function NarrowDisclosure({
  summary,
  keepOpen,
  foldBelow,
  class: className,
  attrs,
  children,
}: PropsWithChildren<{ summary: JSX.Element; keepOpen: boolean; foldBelow?: `${number}rem`; class?: string; attrs?: Record<string, string> }>) {
  return (
    <>
      <details class={className ? `narrow-disclosure ${className}` : 'narrow-disclosure'} open data-keep-open={keepOpen} data-fold-below={foldBelow} {...attrs}>
        <summary>{summary}</summary>
        {children}
      </details>
      <script src="/assets/filter-disclosure.js"></script>
    </>
  );
}

/**
 * The summary's words for a list's filters: « Filtres », or « Filtres (2 actifs) » when some are
 * set. With an `id`, a page that updates its results in place swaps them too (its fragment renders
 * them).
 */
export function FilterDisclosureLabel({ ctx, active, id }: { ctx: ViewContext; active: number; id?: string }) {
  const text = active > 0 ? ctx.t('filter.disclosureActive', { count: active }) : ctx.t('filter.disclosure');
  return (
    <span id={id} class="filter-disclosure-label" safe>
      {text}
    </span>
  );
}

/**
 * A list's filters behind one disclosure « Filtres (N actifs) » on narrow screens, folded whether
 * or not filters are set: the results stay on the first screen. When some are set, the summary
 * says how many and filter-disclosure.js adds what they are (« eau », Association…), read from the
 * form's fields; one tap opens them.
 */
export function FilterDisclosure({ ctx, active, labelId, foldBelow, children }: PropsWithChildren<{ ctx: ViewContext; active: number; labelId?: string; foldBelow?: `${number}rem` }>) {
  return (
    <NarrowDisclosure class="filter-disclosure" keepOpen={false} foldBelow={foldBelow} attrs={{ 'data-active-count': String(active) }} summary={<FilterDisclosureLabel ctx={ctx} active={active} id={labelId} />}>
      {children}
    </NarrowDisclosure>
  );
}
