import { numberFormat } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { Form, Select, SubmitButton } from '../../kernel/ui/form.js';
import { Pager } from '../../kernel/ui/pager.js';
import { DataTable } from '../../kernel/ui/table.js';
import type { ConsentEventRow, ListRow, SubscriberRow, SubscriptionWithList } from './repo.js';
import { ADMIN_BASE, AdminFrame } from './views-admin.js';
import { when } from './views-shared.js';

export interface SubscriberFilterValues {
  q: string;
  liste: string;
  etat: string;
}

const STATUSES = ['confirmed', 'unconfirmed', 'unsubscribed'] as const;

export function SubscribersPage(props: { ctx: ViewContext; rows: SubscriberRow[]; total: number; page: number; pageSize: number; lists: ListRow[]; filter: SubscriberFilterValues; suppressions: Record<string, number> }) {
  const { ctx, rows, filter } = props;
  const { t } = ctx;
  return (
    <AdminFrame ctx={ctx} title={t('newsletter.subscribers.title')} tab="subscribers">
      <form method="get" action={`${ADMIN_BASE}/abonnes`} class="filter-bar">
        <div class="field">
          <label for="f-q" safe>
            {t('newsletter.subscribers.search')}
          </label>
          <input id="f-q" name="q" type="search" value={filter.q} />
        </div>
        <div class="field">
          <label for="f-liste" safe>
            {t('newsletter.subscribers.list')}
          </label>
          <select id="f-liste" name="liste">
            <option value="" safe>
              {t('newsletter.subscribers.allLists')}
            </option>
            {props.lists.map((l) => (
              <option value={l.id} selected={filter.liste === l.id} safe>
                {l.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-etat" safe>
            {t('newsletter.subscribers.status')}
          </label>
          <select id="f-etat" name="etat">
            <option value="" safe>
              {t('newsletter.subscribers.anyStatus')}
            </option>
            {STATUSES.map((s) => (
              <option value={s} selected={filter.etat === s} safe>
                {t(`newsletter.subscription.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button button-secondary" safe>
          {t('newsletter.subscribers.filter')}
        </button>
      </form>
      <p class="result-count" role="status" safe>
        {t('newsletter.subscribers.count', { count: numberFormat(ctx.locale).format(props.total) })}
      </p>
      {rows.length ? (
        <DataTable class="table-stack" caption={t('newsletter.subscribers.title')} columns={[t('newsletter.subscribers.email'), t('newsletter.subscribers.name'), t('newsletter.subscribers.since')]}>
          {rows.map((s) => (
            <tr>
              <td>
                <a href={`${ADMIN_BASE}/abonnes/${s.id}`} safe>
                  {s.email}
                </a>
              </td>
              <td data-label={t('newsletter.subscribers.name')} safe>{s.name ?? ''}</td>
              <td data-label={t('newsletter.subscribers.since')} safe>{when(ctx, s.created_at)}</td>
            </tr>
          ))}
        </DataTable>
      ) : (
        ''
      )}
      <Pager ctx={ctx} page={props.page} total={props.total} pageSize={props.pageSize} query={{ q: filter.q, liste: filter.liste, etat: filter.etat }} />
      <p class="muted" safe>
        {t('newsletter.subscribers.suppressions', {
          unsubscribed: props.suppressions['unsubscribed'] ?? 0,
          bounced: props.suppressions['hard_bounce'] ?? 0,
          erased: props.suppressions['erased'] ?? 0,
        })}
      </p>
    </AdminFrame>
  );
}

export function SubscriberPage(props: {
  ctx: ViewContext;
  subscriber: SubscriberRow;
  subscriptions: SubscriptionWithList[];
  lists: ListRow[];
  interests: { themes: string[]; countries: string[] };
  events: ConsentEventRow[];
  received: { subject: string; status: string; sent_at: string | null; error: string | null }[];
  suppressed: boolean;
  error?: string;
}) {
  const { ctx, subscriber } = props;
  const { t } = ctx;
  const base = `${ADMIN_BASE}/abonnes/${subscriber.id}`;
  return (
    <AdminFrame ctx={ctx} title={subscriber.email} tab="subscribers">
      <p class="breadcrumb">
        <a href={`${ADMIN_BASE}/abonnes`} safe>
          {t('newsletter.subscribers.title')}
        </a>
      </p>
      <dl class="facts">
        <dt safe>{t('newsletter.subscribers.name')}</dt>
        <dd safe>{subscriber.name ?? '—'}</dd>
        <dt safe>{t('newsletter.subscribers.organisation')}</dt>
        <dd safe>{subscriber.organisation ?? '—'}</dd>
        <dt safe>{t('newsletter.subscribers.contact')}</dt>
        <dd>
          {subscriber.contact_id ? (
            <a href={`/admin/contacts/${subscriber.contact_id}`} safe>
              {t('newsletter.subscribers.contactLink')}
            </a>
          ) : (
            <span safe>{t('newsletter.subscribers.noContact')}</span>
          )}
        </dd>
        <dt safe>{t('newsletter.subscribers.suppressed')}</dt>
        <dd safe>{t(props.suppressed ? 'newsletter.yes' : 'newsletter.no')}</dd>
        <dt safe>{t('newsletter.subscribers.interests')}</dt>
        <dd safe>{[...props.interests.themes, ...props.interests.countries].join(', ') || '—'}</dd>
      </dl>
      <section aria-labelledby="nl-subs-title">
        <h2 id="nl-subs-title" safe>
          {t('newsletter.subscribers.subscriptions')}
        </h2>
        {props.subscriptions.length ? (
          <DataTable class="table-stack" caption={t('newsletter.subscribers.subscriptions')} columns={[t('newsletter.subscribers.list'), t('newsletter.subscribers.status'), t('newsletter.subscribers.since')]}>
            {props.subscriptions.map((s) => (
              <tr>
                <td safe>{s.name}</td>
                <td data-label={t('newsletter.subscribers.status')} safe>{t(`newsletter.subscription.${s.status}`)}</td>
                <td data-label={t('newsletter.subscribers.since')} safe>{when(ctx, s.updated_at)}</td>
              </tr>
            ))}
          </DataTable>
        ) : (
          <p safe>{t('newsletter.subscribers.noSubscription')}</p>
        )}
        {props.error ? (
          <p class="field-error" role="alert" safe>
            {props.error}
          </p>
        ) : (
          ''
        )}
        <Form ctx={ctx} action={`${base}/abonnement`} class="filter-bar">
          <Select name="list" label={t('newsletter.subscribers.list')} options={props.lists.map((l) => ({ value: l.id, label: l.name }))} />
          <Select
            name="action"
            label={t('newsletter.subscribers.action')}
            options={[
              { value: 'subscribe', label: t('newsletter.subscribers.subscribe') },
              { value: 'unsubscribe', label: t('newsletter.subscribers.unsubscribe') },
            ]}
          />
          <SubmitButton label={t('newsletter.subscribers.apply')} variant="secondary" />
        </Form>
      </section>
      <section aria-labelledby="nl-history-title">
        <h2 id="nl-history-title" safe>
          {t('newsletter.subscribers.history')}
        </h2>
        {props.events.length ? (
          <DataTable class="table-stack" caption={t('newsletter.subscribers.history')} columns={[t('newsletter.history.at'), t('newsletter.history.action'), t('newsletter.history.list'), t('newsletter.history.source'), t('newsletter.history.ip'), t('newsletter.history.detail')]}>
            {props.events.map((e) => (
              <tr>
                <td safe>{when(ctx, e.at)}</td>
                <td data-label={t('newsletter.history.action')} safe>{t(`newsletter.action.${e.action as 'subscribed'}`)}</td>
                <td data-label={t('newsletter.history.list')} safe>{e.list_name ?? '—'}</td>
                <td data-label={t('newsletter.history.source')} safe>{t(`newsletter.source.${e.source as 'web_form'}`)}</td>
                <td data-label={t('newsletter.history.ip')} safe>{e.ip ?? ''}</td>
                <td data-label={t('newsletter.history.detail')} safe>{e.detail ?? ''}</td>
              </tr>
            ))}
          </DataTable>
        ) : (
          <p safe>{t('newsletter.subscribers.noHistory')}</p>
        )}
      </section>
      <section aria-labelledby="nl-received-title">
        <h2 id="nl-received-title" safe>
          {t('newsletter.subscribers.received')}
        </h2>
        {props.received.length ? (
          <ul>
            {props.received.map((r) => (
              <li>
                <span safe>{r.subject}</span> <span class="muted" safe>{`${t(`newsletter.recipient.${r.status as 'sent'}`)} ${r.sent_at ? when(ctx, r.sent_at) : ''} ${r.error ?? ''}`}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p safe>{t('newsletter.subscribers.noneReceived')}</p>
        )}
      </section>
      <section aria-labelledby="nl-rgpd-title">
        <h2 id="nl-rgpd-title" safe>
          {t('newsletter.subscribers.rgpd')}
        </h2>
        <div class="inline-actions">
          <Form ctx={ctx} action={`${base}/export`} class="inline-form">
            <SubmitButton label={t('newsletter.subscribers.export')} variant="secondary" />
          </Form>
          <Form ctx={ctx} action={`${base}/effacer`} class="inline-form">
            <SubmitButton label={t('newsletter.subscribers.erase')} variant="danger" />
          </Form>
        </div>
        <p class="hint" safe>
          {t('newsletter.subscribers.eraseHint')}
        </p>
      </section>
    </AdminFrame>
  );
}
