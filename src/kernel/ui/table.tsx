import type { PropsWithChildren } from '@kitajs/html';

/** A column's header; `hidden` keeps it for screen readers only (a column of checkboxes). */
export type Column = string | { label: string; hidden: true };

interface DataTableProps {
  /** Read by screen readers only (RGAA 5.4). */
  caption: string;
  columns: readonly Column[];
  class?: string;
  /**
   * In a frame (`.table-wrap`) that scrolls sideways when the table is wider than the screen, unless
   * false. The frame is a group named by the caption and takes the keyboard focus, so that a
   * keyboard user can scroll it too (RGAA 7.3, axe scrollable-region-focusable); site.js takes the
   * frames whose table fits out of the tab order again (without script they all stay focusable).
   * A group, not a region: a landmark would repeat the section's own (its heading often is the caption).
   */
  wrap?: boolean;
}

/** A data table: hidden caption, one header per column, the rows given as children (RGAA 5.6, 5.7). */
export function DataTable({ caption, columns, class: className, wrap = true, children }: PropsWithChildren<DataTableProps>) {
  const table = (
    <table class={className}>
      <caption class="visually-hidden" safe>
        {caption}
      </caption>
      <thead>
        <tr>
          {columns.map((c) =>
            typeof c === 'string' ? (
              <th scope="col" safe>
                {c}
              </th>
            ) : (
              <th scope="col">
                <span class="visually-hidden" safe>
                  {c.label}
                </span>
              </th>
            ),
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
  return wrap ? (
    <div class="table-wrap" role="group" aria-label={caption} tabindex="0" data-scroll-frame>
      {table}
    </div>
  ) : (
    table
  );
}

/** How many results a filtered list holds, announced when it changes. */
export function ResultCount({ text }: { text: string }) {
  return (
    <p class="result-count" role="status" safe>
      {text}
    </p>
  );
}
