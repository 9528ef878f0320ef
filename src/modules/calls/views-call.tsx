import type { PropsWithChildren } from '@kitajs/html';
import { sanitiseRichText } from '../../kernel/html.js';
import { formatFileSize } from '../../kernel/i18n/index.js';
import { formatDay } from '../../kernel/time/date-only.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { Breadcrumb } from '../../kernel/ui/breadcrumb.js';
import { Layout } from '../../kernel/ui/layout.js';
import { ShareLinks } from '../../kernel/ui/share.js';
import type { CallLabels } from './labels.js';
import { callStatus } from './status.js';
import { type Call, documentPath } from './types.js';
import { formatRate } from './money.js';
import { amountsText, closingDayText, deadlineText, remainingText, StatusBadge, TagList } from './views-parts.js';
import { CSS, FeedsSection } from './views-public.js';

/** "PDF, 245 ko". */
export function documentMeta(ctx: ViewContext, doc: { mime: string; original_name: string; size: number }): string {
  const ext = doc.original_name.includes('.') ? doc.original_name.split('.').pop()!.toUpperCase() : doc.mime === 'application/pdf' ? 'PDF' : '';
  return ctx.t('calls.document.meta', { type: ext.slice(0, 5), size: formatFileSize(doc.size, ctx.locale) });
}

function Fact({ term, children }: PropsWithChildren<{ term: string }>) {
  return (
    <>
      <dt safe>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

export interface CallPageProps {
  ctx: ViewContext;
  call: Call;
  labels: CallLabels;
  funder: { slug: string; name: string; public: boolean } | null;
  now: Date;
}

export function CallPage({ ctx, call, labels, funder, now }: CallPageProps) {
  const { t } = ctx;
  const computed = callStatus(call, now);
  const amounts = amountsText(ctx, call.amount_min_cents, call.amount_max_cents);
  // The term says what the figure is: « Taux de cofinancement » — « 50 % » (not « Cofinancement : 50 % » again).
  const rate = call.cofinancing_rate === null ? '' : formatRate(call.cofinancing_rate, ctx.locale);
  const territories = [...call.regions.map((r) => labels.region(r)), ...call.departments.map((d) => labels.department(d))];
  const places = [...call.zones.map((z) => labels.zone(z)), ...call.countries.map((c) => labels.country(c))];
  const safeDescription = call.description_html ? sanitiseRichText(call.description_html) : '';
  const isStaff = ctx.user?.role === 'staff' || ctx.user?.role === 'admin';
  return (
    <Layout
      ctx={ctx}
      title={call.title}
      description={call.summary ?? t('calls.page.description', { funder: call.funder, date: formatDay(call.closes_on, ctx.locale) })}
      share={{ type: 'article', publishedAt: call.published_at ?? undefined }}
    >
      {CSS}
      <Breadcrumb href={computed.status === 'closed' ? '/appels-a-projets/archives' : '/appels-a-projets'} label={t(computed.status === 'closed' ? 'calls.archive.title' : 'calls.page.back')} />
      <article class="call-page">
        <h1 safe>{call.title}</h1>
        <p class="call-funder">
          <span safe>{t('calls.page.funder')}</span>{' '}
          {funder?.public ? (
            <a href={`/acteurs/${encodeURIComponent(funder.slug)}`} safe>
              {call.funder}
            </a>
          ) : (
            <strong safe>{call.funder}</strong>
          )}
        </p>
        {call.status !== 'published' ? (
          <p class="notice" safe>
            {t('calls.page.draftNotice')}
          </p>
        ) : (
          ''
        )}
        <p class="call-deadline call-deadline-large">
          <StatusBadge ctx={ctx} status={computed.status} /> <time datetime={call.closes_on} safe>{deadlineText(ctx, call)}</time>
          {' · '}
          <strong safe>{remainingText(ctx, call, computed)}</strong>
        </p>
        {call.summary ? (
          <p class="lead" safe>
            {call.summary}
          </p>
        ) : (
          ''
        )}
        <dl class="call-facts">
          {call.opens_on ? <Fact term={t('calls.field.opensOn')}><time datetime={call.opens_on} safe>{formatDay(call.opens_on, ctx.locale)}</time></Fact> : ''}
          <Fact term={t('calls.field.closesOn')}><time datetime={call.closes_on} safe>{closingDayText(ctx, call)}</time></Fact>
          {amounts ? <Fact term={t('calls.field.amounts')}><span safe>{amounts}</span></Fact> : ''}
          {rate ? <Fact term={t('calls.page.rate')}><span safe>{rate}</span></Fact> : ''}
          {call.kinds.length ? <Fact term={t('calls.field.kinds')}><TagList label={t('calls.field.kinds')} items={call.kinds.map((k) => labels.kind(k))} /></Fact> : ''}
          {territories.length ? <Fact term={t('calls.field.territories')}><TagList label={t('calls.field.territories')} items={territories} /></Fact> : ''}
          {call.themes.length ? <Fact term={t('calls.field.themes')}><TagList label={t('calls.field.themes')} items={call.themes.map((c) => labels.theme(c))} /></Fact> : ''}
          {places.length ? <Fact term={t('calls.field.places')}><TagList label={t('calls.field.places')} items={places} /></Fact> : ''}
        </dl>
        {safeDescription ? <div class="call-description rich-text">{safeDescription}</div> : ''}
        {call.link_url ? (
          <p>
            <a class="button button-primary" href={call.link_url} rel="noopener noreferrer" safe>
              {t('calls.page.link')}
            </a>
          </p>
        ) : (
          ''
        )}
        {call.documents.length ? (
          <section aria-labelledby="call-documents">
            <h2 id="call-documents" safe>
              {t('calls.page.documents')}
            </h2>
            <ul class="call-documents">
              {call.documents.map((d) => (
                <li>
                  <a href={documentPath(d.id)} safe>
                    {d.title}
                  </a>{' '}
                  <span class="hint" safe>{`(${documentMeta(ctx, d)})`}</span>
                </li>
              ))}
            </ul>
          </section>
        ) : (
          ''
        )}
        <FeedsSection ctx={ctx}>
          <p>
            <a href="/appels-a-projets.ics" safe>
              {t('calls.page.calendar')}
            </a>
          </p>
        </FeedsSection>
        {isStaff ? (
          <p>
            <a href={`/admin/appels-a-projets/${call.id}`} safe>
              {t('calls.page.edit')}
            </a>
          </p>
        ) : (
          ''
        )}
      </article>
      {call.status === 'published' ? <ShareLinks ctx={ctx} title={call.title} /> : ''}
    </Layout>
  );
}
