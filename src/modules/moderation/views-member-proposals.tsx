import { formatDateTime } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { DataTable } from '../../kernel/ui/table.js';

/** One of a member's proposals as « Mes événements » or « Mes actualités » lists it. */
export interface MemberProposalItem {
  title: string;
  status: 'pending' | 'approved' | 'rejected';
  createdAt: string;
  message: string | null;
}

/** The column names, in the calling module's words. */
export interface MemberProposalsLabels {
  caption: string;
  title: string;
  date: string;
  status: string;
  message: string;
}

/** A member's proposals; on a phone each is a card (.table-stack): its title on top, then each value under its column's name. */
export function MemberProposalsTable({ ctx, proposals, labels }: { ctx: ViewContext; proposals: readonly MemberProposalItem[]; labels: MemberProposalsLabels }) {
  const { t } = ctx;
  return (
    <DataTable caption={labels.caption} columns={[labels.title, labels.date, labels.status, labels.message]} class="table-stack">
      {proposals.map((x) => (
        <tr>
          <td safe>{x.title}</td>
          <td data-label={labels.date} safe>
            {formatDateTime(x.createdAt, ctx.locale)}
          </td>
          <td data-label={labels.status} safe>
            {t(`moderation.proposalStatus.${x.status}`)}
          </td>
          {/* No message: no empty « Message de l'équipe » line on the card. */}
          {x.message ? (
            <td data-label={labels.message} safe>
              {x.message}
            </td>
          ) : (
            <td></td>
          )}
        </tr>
      ))}
    </DataTable>
  );
}
