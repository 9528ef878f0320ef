// Pieces shared by the calls' pages and the home block: status badge, deadline, amounts, cards.
import { type Locale, numberFormat, type Translate } from '../../kernel/i18n/index.js';
import { withClockWords } from '../../kernel/time/clock-words.js';
import { formatDay } from '../../kernel/time/date-only.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import type { CallLabels } from './labels.js';
import { formatEuros, formatRate } from './money.js';
import type { ListedCall } from './repo.js';
import { type CallDates, type CallStatus, callStatus, type ComputedStatus } from './status.js';
import { callPath } from './types.js';

export function StatusBadge({ ctx, status }: { ctx: ViewContext; status: CallStatus }) {
  return (
    <span class={`badge badge-call badge-call-${status}`} safe>
      {ctx.t(`calls.status.${status}`)}
    </span>
  );
}

/** « 31 mars 2027 à 12 h », "31 March 2027 at 12:00": the deadline under its own term (« Date de clôture »). */
export function closingDay(t: Translate, locale: Locale, call: CallDates): string {
  const day = formatDay(call.closes_on, locale);
  return call.closes_time ? t('calls.deadline.dayAt', { date: day, time: withClockWords(call.closes_time, locale) }) : day;
}

/** « Clôture le 12 décembre 2026 à 12 h 30 » (pages, feeds and calendars). */
export function deadlineLine(t: Translate, locale: Locale, call: CallDates): string {
  return t('calls.deadline.day', { date: closingDay(t, locale, call) });
}

export const deadlineText = (ctx: ViewContext, call: CallDates) => deadlineLine(ctx.t, ctx.locale, call);
export const closingDayText = (ctx: ViewContext, call: CallDates) => closingDay(ctx.t, ctx.locale, call);

/** "Plus que 5 jours", "Ferme aujourd’hui", "Ouvre le …", "Clos". */
export function remainingText(ctx: ViewContext, call: CallDates, computed: ComputedStatus): string {
  const { t } = ctx;
  if (computed.status === 'closed') return t('calls.remaining.closed');
  if (computed.status === 'upcoming') return t('calls.remaining.opens', { date: formatDay(call.opens_on!, ctx.locale), days: computed.daysToOpen ?? 0 });
  if (computed.daysLeft === 0) return t('calls.remaining.today');
  if (computed.daysLeft === 1) return t('calls.remaining.tomorrow');
  return t('calls.remaining.days', { days: numberFormat(ctx.locale).format(computed.daysLeft) });
}

/** "De 5 000 € à 50 000 €", "Jusqu’à 50 000 €", "À partir de 5 000 €", "50 000 €"; '' when none. */
export function amountsText(ctx: ViewContext, min: number | null, max: number | null): string {
  const f = (cents: number) => formatEuros(cents, ctx.locale);
  if (min !== null && max !== null) return min === max ? f(min) : ctx.t('calls.amount.range', { min: f(min), max: f(max) });
  if (max !== null) return ctx.t('calls.amount.upTo', { max: f(max) });
  if (min !== null) return ctx.t('calls.amount.from', { min: f(min) });
  return '';
}

export function rateText(ctx: ViewContext, rate: number | null): string {
  return rate === null ? '' : ctx.t('calls.amount.rate', { rate: formatRate(rate, ctx.locale) });
}

export function TagList({ label, items }: { label: string; items: string[] }) {
  if (!items.length) return '';
  return (
    <ul class="tag-list" aria-label={label}>
      {items.map((item) => (
        <li safe>{item}</li>
      ))}
    </ul>
  );
}

/** One call in a list: title, funder, status, deadline, days left, amounts, summary, themes. */
export function CallCard({ ctx, call, now, labels, themes, headingLevel = 2 }: { ctx: ViewContext; call: ListedCall; now: Date; labels: CallLabels; themes: string[]; headingLevel?: 2 | 3 }) {
  const computed = callStatus(call, now);
  const amounts = amountsText(ctx, call.amount_min_cents, call.amount_max_cents);
  const link = (
    <a href={callPath(call.slug)}>
      <span safe>{call.title}</span>
    </a>
  );
  return (
    <li class={`call-card call-${computed.status}`}>
      {headingLevel === 2 ? <h2 class="call-card-title">{link}</h2> : <h3 class="call-card-title">{link}</h3>}
      <p class="call-funder" safe>
        {call.funder}
      </p>
      <p class="call-deadline">
        <StatusBadge ctx={ctx} status={computed.status} /> <time datetime={call.closes_on} safe>{deadlineText(ctx, call)}</time>
        {' · '}
        <strong safe>{remainingText(ctx, call, computed)}</strong>
      </p>
      {amounts ? (
        <p class="call-amounts" safe>
          {[amounts, rateText(ctx, call.cofinancing_rate)].filter(Boolean).join(' · ')}
        </p>
      ) : (
        ''
      )}
      {call.summary ? (
        <p class="call-summary" safe>
          {call.summary}
        </p>
      ) : (
        ''
      )}
      <TagList label={ctx.t('calls.field.themes')} items={themes.map((c) => labels.theme(c))} />
    </li>
  );
}
