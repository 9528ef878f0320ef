import type { PropsWithChildren } from '@kitajs/html';

/** A column's header; `hidden` keeps it for screen readers only (a column of checkboxes). */
export type Column = string | { label: string; hidden: true };

interface DataTableProps {
  /** Read by screen readers only (RGAA 5.4). */
  caption: string;
  columns: readonly Column[];
  class?: string;
  /** In a scrolling frame (`.table-wrap`), unless false. */
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
  return wrap ? <div class="table-wrap">{table}</div> : table;
}

/** How many results a filtered list holds, announced when it changes. */
export function ResultCount({ text }: { text: string }) {
  return (
    <p class="result-count" role="status" safe>
      {text}
    </p>
  );
}
