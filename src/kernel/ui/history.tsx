import { auditActionLabel, auditActorLabel } from '../audit/index.js';
import { formatDateTime } from '../i18n/index.js';
import type { ViewContext } from './context.js';
import { DataTable } from './table.js';

/** One audit entry as the back office lists it under a record. */
export interface HistoryEntry {
  at: string;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
}

/**
 * What an entry did in words, for actions whose values are not the record's fields (an erasure's
 * counts, a merge's ids): a sentence, maybe a link (the merge's page), maybe the record's fields
 * before and after to compare as an edit's are.
 */
export interface HistorySummary {
  text: string;
  link?: { href: string; label: string };
  changes?: { before: Record<string, unknown>; after: Record<string, unknown> };
}

/** The texts of the section, from the module's catalogue. */
export interface HistoryLabels {
  title: string;
  empty: string;
  caption: string;
  at: string;
  who: string;
  action: string;
}

/** A record's audit history under its edit form (events, news, calls, resources…). */
export function HistorySection({ ctx, entries, labels }: { ctx: ViewContext; entries: readonly HistoryEntry[]; labels: HistoryLabels }) {
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title" safe>
        {labels.title}
      </h2>
      {entries.length === 0 ? (
        <p safe>{labels.empty}</p>
      ) : (
        // Stacked as cards on a phone: no frame scrolling sideways (a frame only a mouse could scroll).
        <DataTable caption={labels.caption} columns={[labels.at, labels.who, labels.action]} class="table-stack">
          {entries.map((h) => (
            <tr>
              <td safe>{formatDateTime(h.at, ctx.locale)}</td>
              <td data-label={labels.who} safe>
                {auditActorLabel(h, ctx.t)}
              </td>
              <td data-label={labels.action} data-action={h.action} safe>
                {auditActionLabel(h.action, ctx.t)}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
