import type { PropsWithChildren } from '@kitajs/html';
import { numberFormat, type MessageKey, translator } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { CheckboxField, ErrorSummary, Field, type FieldErrors, Form, Select, SubmitButton, TextArea } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { Pager } from '../../kernel/ui/pager.js';
import { TabNav } from '../../kernel/ui/tab-nav.js';
import { DataTable } from '../../kernel/ui/table.js';
import type { AudiencePreview } from './audience.js';
import { isComposed, parseBlocks } from './blocks.js';
import type { MailingRow } from './mailing-repo.js';
import { greetingOf, mailingLocale } from './render-mailing.js';
import type { ListWithCounts } from './repo.js';
import type { Progress } from './send-control.js';
import type { RecipientRow } from './send-repo.js';
import type { TrackingStats } from './tracking-stats.js';
import { TrackingCheck, TrackingSection } from './views-admin-tracking.js';
import { Checkboxes, NewsletterHead, when } from './views-shared.js';

export const ADMIN_BASE = '/admin/lettres';

export type AdminTab = 'mailings' | 'lists' | 'subscribers' | 'import' | 'alerts' | 'settings';

export function AdminFrame({ ctx, title, tab, children }: PropsWithChildren<{ ctx: ViewContext; title: string; tab: AdminTab }>) {
  const { t } = ctx;
  const tabs: { key: AdminTab; href: string; label: string }[] = [
    { key: 'mailings', href: ADMIN_BASE, label: t('newsletter.tab.mailings') },
    { key: 'lists', href: `${ADMIN_BASE}/listes`, label: t('newsletter.tab.lists') },
    { key: 'subscribers', href: `${ADMIN_BASE}/abonnes`, label: t('newsletter.tab.subscribers') },
    { key: 'import', href: `${ADMIN_BASE}/import`, label: t('newsletter.tab.import') },
    // The call alerts' runs (src/modules/call-alerts).
    { key: 'alerts', href: `${ADMIN_BASE}/alertes`, label: t('callAlerts.tab') },
  ];
  if (ctx.user?.role === 'admin') tabs.push({ key: 'settings', href: `${ADMIN_BASE}/reglages`, label: t('newsletter.tab.settings') });
  return (
    <Layout ctx={ctx} title={title} area="admin">
      <NewsletterHead />
      <h1 safe>{title}</h1>
      <TabNav ctx={ctx} kind="sections" label={t('newsletter.tab.label')} tabs={tabs.map((item) => ({ ...item, current: item.key === tab }))} />
      {children}
    </Layout>
  );
}

export function statusLabel(ctx: ViewContext, status: string): string {
  return ctx.t(`newsletter.status.${status as 'draft'}`);
}

export function MailingsPage(props: { ctx: ViewContext; mailings: MailingRow[] }) {
  const { ctx, mailings } = props;
  const { t } = ctx;
  return (
    <AdminFrame ctx={ctx} title={t('newsletter.mailings.title')} tab="mailings">
      <p class="actions">
        <a class="button button-primary" href={`${ADMIN_BASE}/nouvelle`} safe>
          {t('newsletter.mailings.new')}
        </a>{' '}
        <a class="button button-secondary" href={`${ADMIN_BASE}/bulletin-mensuel`} safe>
          {t('bulletin.monthly.new')}
        </a>
      </p>
      {mailings.length === 0 ? (
        <p safe>{t('newsletter.mailings.empty')}</p>
      ) : (
        <DataTable class="table-stack" caption={t('newsletter.mailings.title')} columns={[t('newsletter.mailings.subject'), t('newsletter.mailings.status'), t('newsletter.mailings.recipients'), t('newsletter.mailings.date')]}>
          {mailings.map((m) => (
            <tr>
              <td>
                <a href={`${ADMIN_BASE}/${m.id}`} safe>
                  {m.subject}
                </a>
              </td>
              <td data-label={t('newsletter.mailings.status')} safe>{statusLabel(ctx, m.status)}</td>
              <td data-label={t('newsletter.mailings.recipients')} safe>{m.status === 'draft' || m.status === 'scheduled' ? '—' : String(m.total)}</td>
              <td data-label={t('newsletter.mailings.date')} safe>{when(ctx, m.finished_at ?? m.started_at ?? m.scheduled_at ?? m.updated_at)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </AdminFrame>
  );
}

export interface MailingValues {
  subject: string;
  from_name: string;
  reply_to: string;
  body: string;
  lists: string[];
  segment: string;
  /** Open and click tracking (unticked by default). */
  track: boolean;
  /** The language the mailing is written in ('fr', 'en'). */
  locale: string;
  /** Open with « Bonjour Prénom Nom, » (ticked by default). */
  greeting: boolean;
}

/**
 * The mailing form's greeting choice, in the words of the mailing's language, with what a
 * recipient whose name is unknown reads. The hidden field tells an unticked box (which sends
 * nothing) apart from a post without it.
 */
function GreetingCheck({ ctx, values }: { ctx: ViewContext; values: MailingValues }) {
  const { t } = ctx;
  const words = translator(mailingLocale({ locale: values.locale }));
  return (
    <>
      <input type="hidden" name="greeting_shown" value="1" />
      <CheckboxField
        name="greeting"
        label={t('newsletter.mailing.greeting', { greeting: words('newsletter.mail.greetingName', { name: t('newsletter.preview.namePlaceholder') }) })}
        hint={t('newsletter.mailing.greetingHint', { fallback: words('newsletter.mail.greeting') })}
        checked={values.greeting}
      />
    </>
  );
}

function MailingFields({ ctx, values, errors, lists, segments, compose }: { ctx: ViewContext; values: MailingValues; errors: FieldErrors; lists: ListWithCounts[]; segments: { id: string; name: string }[]; compose?: { href: string; composed: boolean } }) {
  const { t } = ctx;
  return (
    <>
      <Field name="subject" label={t('newsletter.mailing.subject')} value={values.subject} error={errors['subject']} required />
      <Field name="from_name" label={t('newsletter.mailing.fromName')} value={values.from_name} error={errors['from_name']} hint={t('newsletter.mailing.fromNameHint')} required />
      <Field name="reply_to" type="email" label={t('newsletter.mailing.replyTo')} value={values.reply_to} error={errors['reply_to']} hint={t('newsletter.mailing.replyToHint')} />
      <Select
        name="locale"
        label={t('newsletter.mailing.locale')}
        options={[
          { value: 'fr', label: t('newsletter.mailing.localeFr') },
          { value: 'en', label: t('newsletter.mailing.localeEn') },
        ]}
        value={values.locale}
        error={errors['locale']}
      />
      <p class="hint" safe>
        {t('newsletter.mailing.localeHint')}
      </p>
      <Checkboxes
        name="lists"
        legend={t('newsletter.mailing.lists')}
        options={lists.map((l) => ({ value: l.id, label: l.name, hint: t(l.is_public ? 'newsletter.lists.countPublic' : 'newsletter.lists.countPrivate', { count: l.confirmed }) }))}
        checked={values.lists}
        error={errors['lists']}
        hint={t('newsletter.mailing.listsHint')}
      />
      <Select
        name="segment"
        label={t('newsletter.mailing.segment')}
        options={[{ value: '', label: t('newsletter.mailing.noSegment') }, ...segments.map((s) => ({ value: s.id, label: s.name }))]}
        value={values.segment}
        error={errors['segment']}
      />
      <p class="hint" safe>
        {t('newsletter.mailing.segmentHint')}
      </p>
      <TrackingCheck ctx={ctx} checked={values.track} />
      <GreetingCheck ctx={ctx} values={values} />
      {compose?.composed ? (
        <p>
          <strong safe>{t('newsletter.mailing.body')}</strong>{' '}
          <a href={compose.href} safe>
            {t('bulletin.compose.edit')}
          </a>
        </p>
      ) : (
        <TextArea name="body" label={t('newsletter.mailing.body')} value={values.body} error={errors['body']} hint={t('newsletter.mailing.bodyHint')} rows={16} class="nl-body" />
      )}
      {compose && !compose.composed ? (
        <p class="hint">
          <a href={compose.href} safe>
            {t('bulletin.compose.start')}
          </a>
        </p>
      ) : (
        ''
      )}
    </>
  );
}

export function NewMailingPage(props: { ctx: ViewContext; values: MailingValues; errors: FieldErrors; lists: ListWithCounts[]; segments: { id: string; name: string }[] }) {
  const { ctx } = props;
  return (
    <AdminFrame ctx={ctx} title={ctx.t('newsletter.mailings.new')} tab="mailings">
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <Form ctx={ctx} action={`${ADMIN_BASE}/nouvelle`}>
        <MailingFields ctx={ctx} values={props.values} errors={props.errors} lists={props.lists} segments={props.segments} />
        <SubmitButton label={ctx.t('newsletter.mailing.create')} />
      </Form>
    </AdminFrame>
  );
}

/** Without an SMTP server, messages are written to files: said wherever staff send. */
export function OutboxNote({ ctx, outbox }: { ctx: ViewContext; outbox: string | undefined }) {
  if (!outbox) return '';
  return (
    <p class="flash flash-info nl-outbox">
      <strong safe>{ctx.t('newsletter.outbox.warning', { dir: `${outbox}/` })}</strong>
    </p>
  );
}

function ReasonNote({ ctx, reason }: { ctx: ViewContext; reason: { key: MessageKey; params: Record<string, string | number> } | null }) {
  if (!reason) return '';
  return (
    <p class="flash flash-info" safe>
      {ctx.t(reason.key, reason.params)}
    </p>
  );
}

export interface DraftPageProps {
  ctx: ViewContext;
  mailing: MailingRow;
  values: MailingValues;
  errors: FieldErrors;
  lists: ListWithCounts[];
  segments: { id: string; name: string }[];
  reason: { key: MessageKey; params: Record<string, string | number> } | null;
  testValue?: string;
  testError?: string;
  sendErrors?: FieldErrors;
  sendValues?: { when: string; date: string; time: string };
  /** The folder messages are written to when there is no SMTP server. */
  outbox?: string;
}

/** A draft (or scheduled) mailing: its form, preview, audience, test send and send. */
export function DraftPage(props: DraftPageProps) {
  const { ctx, mailing, values, errors } = props;
  const { t } = ctx;
  const base = `${ADMIN_BASE}/${mailing.id}`;
  const sendValues = props.sendValues ?? { when: 'now', date: '', time: '' };
  const sendErrors = props.sendErrors ?? {};
  return (
    <AdminFrame ctx={ctx} title={mailing.subject} tab="mailings">
      <p class="breadcrumb">
        <a href={ADMIN_BASE} safe>
          {t('newsletter.mailings.title')}
        </a>
      </p>
      <p>
        <strong safe>{t('newsletter.mailings.status')}</strong> <span safe>{statusLabel(ctx, mailing.status)}</span>
        {mailing.status === 'scheduled' && mailing.scheduled_at ? <span safe>{` — ${t('newsletter.mailing.scheduledFor', { date: when(ctx, mailing.scheduled_at) })}`}</span> : ''}
      </p>
      <OutboxNote ctx={ctx} outbox={props.outbox} />
      <ReasonNote ctx={ctx} reason={props.reason} />
      {mailing.status === 'scheduled' ? (
        <p safe>{t(mailing.tracking === 1 ? 'newsletter.tracking.scheduledOn' : 'newsletter.tracking.scheduledOff')}</p>
      ) : (
        ''
      )}
      {mailing.status === 'scheduled' ? (
        <Form ctx={ctx} action={`${base}/deprogrammer`} class="inline-form">
          <SubmitButton label={t('newsletter.mailing.unschedule')} variant="secondary" />
        </Form>
      ) : (
        <section aria-labelledby="nl-edit-title">
          <h2 id="nl-edit-title" safe>
            {t('newsletter.mailing.editTitle')}
          </h2>
          <ErrorSummary ctx={ctx} errors={errors} />
          <Form ctx={ctx} action={base}>
            <MailingFields ctx={ctx} values={values} errors={errors} lists={props.lists} segments={props.segments} compose={{ href: `${base}/blocs`, composed: isComposed(mailing.blocks) }} />
            <SubmitButton label={t('newsletter.mailing.save')} />
          </Form>
        </section>
      )}
      <section aria-labelledby="nl-preview-title">
        <h2 id="nl-preview-title" safe>
          {t('newsletter.preview.title')}
        </h2>
        <GreetingNote ctx={ctx} mailing={mailing} />
        <PreviewLinks ctx={ctx} base={base} first={{ href: `${base}/apercu`, label: t('newsletter.preview.open') }} />
        <PreviewFrames ctx={ctx} src={`${base}/apercu?format=courriel`} lazy />
      </section>
      <section aria-labelledby="nl-test-title">
        <h2 id="nl-test-title" safe>
          {t('newsletter.test.title')}
        </h2>
        <ErrorSummary ctx={ctx} errors={{ addresses: props.testError }} prefix="test" />
        <Form ctx={ctx} action={`${base}/test`}>
          <Field name="addresses" prefix="test" label={t('newsletter.test.addresses')} value={props.testValue} error={props.testError} hint={t('newsletter.test.hint')} required />
          <SubmitButton label={t('newsletter.test.button')} variant="secondary" />
        </Form>
      </section>
      {mailing.status === 'draft' ? (
        <section aria-labelledby="nl-send-title">
          <h2 id="nl-send-title" safe>
            {t('newsletter.send.title')}
          </h2>
          <ErrorSummary ctx={ctx} errors={sendErrors} prefix="send" />
          <Form ctx={ctx} action={`${base}/envoyer`}>
            <fieldset class="field form-section">
              <legend safe>{t('newsletter.send.when')}</legend>
              <p class="field-check">
                <input type="radio" id="f-send-when-now" name="when" value="now" checked={sendValues.when !== 'later'} />
                <label for="f-send-when-now" safe>
                  {t('newsletter.send.now')}
                </label>
              </p>
              <p class="field-check">
                <input type="radio" id="f-send-when-later" name="when" value="later" checked={sendValues.when === 'later'} />
                <label for="f-send-when-later" safe>
                  {t('newsletter.send.later')}
                </label>
              </p>
            </fieldset>
            <Field name="date" prefix="send" type="date" label={t('newsletter.send.date')} value={sendValues.date} error={sendErrors['date']} />
            <Field name="time" prefix="send" label={t('newsletter.send.time')} hint={t('newsletter.send.timeHint')} value={sendValues.time} error={sendErrors['time']} />
            <p class="hint" safe>
              {t('newsletter.send.hint')}
            </p>
            <SubmitButton label={t('newsletter.send.button')} />
          </Form>
          <Form ctx={ctx} action={`${base}/supprimer`} class="inline-form nl-delete">
            <SubmitButton label={t('newsletter.mailing.delete')} variant="danger" />
          </Form>
        </section>
      ) : (
        ''
      )}
    </AdminFrame>
  );
}

/** « 45 s », « 3 min 20 s », « 1 h 05 min »; « moins d’une seconde » below one. */
function durationText(ctx: ViewContext, seconds: number): string {
  const { t } = ctx;
  if (seconds < 1) return t('newsletter.progress.underSecond');
  const whole = Math.round(seconds);
  if (whole < 60) return t('newsletter.progress.seconds', { n: whole });
  if (whole < 3600) return t('newsletter.progress.minutesSeconds', { m: Math.floor(whole / 60), s: String(whole % 60).padStart(2, '0') });
  return t('newsletter.progress.hoursMinutes', { h: Math.floor(whole / 3600), m: String(Math.floor((whole % 3600) / 60)).padStart(2, '0') });
}

/** A send over (sent or cancelled): what it came to, no rate nor estimated end any more. */
function FinalFacts({ ctx, progress, final }: { ctx: ViewContext; progress: Progress; final: NonNullable<Progress['final']> }) {
  const { t } = ctx;
  const numbers = numberFormat(ctx.locale);
  const rate = numberFormat(ctx.locale, { maximumFractionDigits: 1 });
  const facts: [string, string, string][] = [
    ['total', t('newsletter.progress.total'), numbers.format(progress.total)],
    ['sent', t('newsletter.progress.sent'), numbers.format(progress.sent)],
    ['failed', t('newsletter.progress.failed'), numbers.format(progress.failed)],
    ['skipped', t('newsletter.progress.skipped'), numbers.format(progress.skipped)],
    ['finished', t('newsletter.progress.finishedAt'), final.finishedAt ? when(ctx, final.finishedAt) : '—'],
    ['duration', t('newsletter.progress.duration'), final.durationSeconds === null ? '—' : durationText(ctx, final.durationSeconds)],
    ['average', t('newsletter.progress.averageRate'), final.averageRate === null ? '—' : t('newsletter.progress.perSecond', { n: rate.format(final.averageRate) })],
  ];
  return (
    <dl class="facts">
      {facts.map(([name, label, value]) => (
        <>
          <dt safe>{label}</dt>
          <dd data-progress={name} safe>
            {value}
          </dd>
        </>
      ))}
    </dl>
  );
}

export function ProgressFacts({ ctx, progress }: { ctx: ViewContext; progress: Progress }) {
  const { t } = ctx;
  if (progress.final) return <FinalFacts ctx={ctx} progress={progress} final={progress.final} />;
  const done = progress.sent + progress.failed + progress.skipped;
  // Grouped as newsletter.js rewrites them every two seconds (« 42 860 », « 1,5 »).
  const numbers = numberFormat(ctx.locale, { maximumFractionDigits: 1 });
  const eta = progress.etaSeconds === null ? '—' : progress.etaSeconds < 60 ? t('newsletter.progress.seconds', { n: progress.etaSeconds }) : t('newsletter.progress.minutes', { n: Math.ceil(progress.etaSeconds / 60) });
  return (
    <div class="nl-progress">
      <progress max={String(Math.max(1, progress.total))} value={String(done)} aria-labelledby="nl-progress-label"></progress>
      <p id="nl-progress-label" class="visually-hidden" safe>
        {t('newsletter.progress.label')}
      </p>
      <dl class="facts">
        <dt safe>{t('newsletter.progress.total')}</dt>
        <dd data-progress="total" safe>
          {numbers.format(progress.total)}
        </dd>
        <dt safe>{t('newsletter.progress.sent')}</dt>
        <dd data-progress="sent" safe>
          {numbers.format(progress.sent)}
        </dd>
        <dt safe>{t('newsletter.progress.failed')}</dt>
        <dd data-progress="failed" safe>
          {numbers.format(progress.failed)}
        </dd>
        <dt safe>{t('newsletter.progress.skipped')}</dt>
        <dd data-progress="skipped" safe>
          {numbers.format(progress.skipped)}
        </dd>
        <dt safe>{t('newsletter.progress.remaining')}</dt>
        <dd data-progress="remaining" safe>
          {numbers.format(progress.remaining)}
        </dd>
        <dt safe>{t('newsletter.progress.rate')}</dt>
        <dd data-progress="rate" safe>
          {t('newsletter.progress.perSecond', { n: numbers.format(progress.rate) })}
        </dd>
        <dt safe>{t('newsletter.progress.eta')}</dt>
        <dd data-progress="eta" safe>
          {eta}
        </dd>
      </dl>
    </div>
  );
}

/** A mailing under way or done: live progress, controls, failures. */
export function SendingPage(props: { ctx: ViewContext; mailing: MailingRow; progress: Progress; reason: { key: MessageKey; params: Record<string, string | number> } | null; failures: RecipientRow[]; tracking: TrackingStats | null; outbox?: string }) {
  const { ctx, mailing, progress } = props;
  const { t } = ctx;
  const base = `${ADMIN_BASE}/${mailing.id}`;
  const live = mailing.status === 'sending' || mailing.status === 'paused';
  return (
    <AdminFrame ctx={ctx} title={mailing.subject} tab="mailings">
      <p class="breadcrumb">
        <a href={ADMIN_BASE} safe>
          {t('newsletter.mailings.title')}
        </a>
      </p>
      <p>
        <strong safe>{t('newsletter.mailings.status')}</strong>{' '}
        <span data-progress="status" safe>
          {statusLabel(ctx, mailing.status)}
        </span>
      </p>
      {live ? <OutboxNote ctx={ctx} outbox={props.outbox} /> : ''}
      <ReasonNote ctx={ctx} reason={props.reason} />
      <section aria-labelledby="nl-progress-title" data-progress-url={live ? `${base}/progression` : undefined} data-status={mailing.status} data-status-labels={JSON.stringify(Object.fromEntries(['sending', 'paused', 'sent', 'cancelled'].map((s) => [s, statusLabel(ctx, s)])))}>
        <h2 id="nl-progress-title" safe>
          {t(progress.final ? 'newsletter.progress.finalTitle' : 'newsletter.progress.title')}
        </h2>
        <div aria-live="polite">
          <ProgressFacts ctx={ctx} progress={progress} />
        </div>
        {live ? (
          <p>
            <a href={base} safe>
              {t('newsletter.progress.refresh')}
            </a>
          </p>
        ) : (
          ''
        )}
      </section>
      <div class="inline-actions">
        {mailing.status === 'sending' ? (
          <Form ctx={ctx} action={`${base}/pause`} class="inline-form">
            <SubmitButton label={t('newsletter.control.pause')} variant="secondary" />
          </Form>
        ) : (
          ''
        )}
        {mailing.status === 'paused' ? (
          <Form ctx={ctx} action={`${base}/reprendre`} class="inline-form">
            <SubmitButton label={t('newsletter.control.resume')} />
          </Form>
        ) : (
          ''
        )}
        {live ? (
          <Form ctx={ctx} action={`${base}/annuler`} class="inline-form">
            <SubmitButton label={t('newsletter.control.cancel')} variant="danger" />
          </Form>
        ) : (
          ''
        )}
        <a href={`/lettre/${mailing.slug}`} safe>
          {t('newsletter.control.webVersion')}
        </a>
        <a href={`${base}/apercu`} safe>
          {t('newsletter.preview.open')}
        </a>
      </div>
      <TrackingSection ctx={ctx} stats={props.tracking} />
      {props.failures.length ? (
        <section aria-labelledby="nl-failures-title">
          <h2 id="nl-failures-title" safe>
            {t('newsletter.failures.title')}
          </h2>
          <DataTable class="table-stack" caption={t('newsletter.failures.title')} columns={[t('newsletter.failures.email'), t('newsletter.failures.status'), t('newsletter.failures.reason')]}>
            {props.failures.map((r) => (
              <tr>
                <td safe>{r.email}</td>
                <td data-label={t('newsletter.failures.status')} safe>{t(`newsletter.recipient.${r.status as 'failed'}`)}</td>
                <td data-label={t('newsletter.failures.reason')} safe>{r.error ?? ''}</td>
              </tr>
            ))}
          </DataTable>
        </section>
      ) : (
        ''
      )}
      <script src="/assets/newsletter.js" defer></script>
    </AdminFrame>
  );
}

/** The email as a recipient gets it, framed at two widths in a page of the back office (its own page has no landmarks). */
export function PreviewPage(props: { ctx: ViewContext; mailing: MailingRow; sampleName: string; problems: string[] }) {
  const { ctx, mailing } = props;
  const { t } = ctx;
  const base = `${ADMIN_BASE}/${mailing.id}`;
  const email = `${base}/apercu?format=courriel`;
  return (
    <AdminFrame ctx={ctx} title={t('newsletter.preview.pageTitle', { subject: mailing.subject })} tab="mailings">
      <p class="breadcrumb">
        <a href={base} safe>
          {mailing.subject}
        </a>
      </p>
      {props.problems.map((problem) => (
        <p class="flash flash-error" safe>
          {problem}
        </p>
      ))}
      <p class="lead" safe>
        {t('newsletter.preview.lead', { name: props.sampleName })}
      </p>
      <GreetingNote ctx={ctx} mailing={mailing} />
      <PreviewLinks ctx={ctx} base={base} first={{ href: email, label: t('newsletter.preview.raw') }} />
      <PreviewFrames ctx={ctx} src={email} />
    </AdminFrame>
  );
}

/**
 * Whether the message adds its greeting, in the mailing's language, with the words used when the
 * name is unknown; or that it adds none: staff unticked it, or its content opens with its own
 * (« Bonjour à tous »).
 */
function GreetingNote({ ctx, mailing }: { ctx: ViewContext; mailing: MailingRow }) {
  const { t } = ctx;
  const greeting = greetingOf(mailing, parseBlocks(mailing.blocks));
  if (greeting !== 'added') {
    return (
      <p class="nl-greeting" safe>
        {t(greeting === 'own' ? 'newsletter.preview.greetingOwn' : 'newsletter.preview.greetingOff')}
      </p>
    );
  }
  const words = translator(mailingLocale(mailing));
  return (
    <p class="nl-greeting" safe>
      {t('newsletter.preview.greetingAdded', { greeting: words('newsletter.mail.greetingName', { name: t('newsletter.preview.namePlaceholder') }), fallback: words('newsletter.mail.greeting') })}
    </p>
  );
}

/** Another view of the mailing (`first`), then its plain text and its recipients. */
function PreviewLinks({ ctx, base, first }: { ctx: ViewContext; base: string; first: { href: string; label: string } }) {
  const { t } = ctx;
  const links = [first, { href: `${base}/apercu?format=texte`, label: t('newsletter.preview.text') }, { href: `${base}/destinataires`, label: t('newsletter.preview.audience') }];
  return (
    <p>
      {links.map((link, i) => (
        <>
          {i > 0 ? ' · ' : ''}
          <a href={link.href} safe>
            {link.label}
          </a>
        </>
      ))}
    </p>
  );
}

/** The email as it shows on a computer and on a phone, side by side. */
function PreviewFrames({ ctx, src, lazy = false }: { ctx: ViewContext; src: string; lazy?: boolean }) {
  const { t } = ctx;
  return (
    <div class="nl-previews">
      {(['desktop', 'mobile'] as const).map((size) => (
        <figure class={`nl-preview nl-preview-${size}`}>
          <iframe src={src} title={t(`newsletter.preview.${size}`)} loading={lazy ? 'lazy' : undefined}></iframe>
          <figcaption safe>{t(`newsletter.preview.${size}`)}</figcaption>
        </figure>
      ))}
    </div>
  );
}

/** Who the mailing would reach now: the counts, then the addresses a page at a time. */
export function AudiencePage(props: { ctx: ViewContext; mailing: MailingRow; audience: AudiencePreview; page: number; pageSize: number }) {
  const { ctx, mailing, audience } = props;
  const { t } = ctx;
  const numbers = numberFormat(ctx.locale);
  return (
    <AdminFrame ctx={ctx} title={t('newsletter.audience.title', { subject: mailing.subject })} tab="mailings">
      <p class="breadcrumb">
        <a href={`${ADMIN_BASE}/${mailing.id}`} safe>
          {mailing.subject}
        </a>
      </p>
      <p class="lead" role="status" safe>
        {t('newsletter.audience.count', { count: numbers.format(audience.total) })}
      </p>
      {audience.segmentMissing ? (
        <p class="flash flash-error" safe>
          {t('newsletter.error.segmentGone')}
        </p>
      ) : (
        ''
      )}
      {audience.total === 0 ? (
        <p class="flash flash-error" safe>
          {t('newsletter.error.audienceEmpty')}
        </p>
      ) : (
        ''
      )}
      <ul>
        <li safe>{t('newsletter.audience.suppressed', { count: numbers.format(audience.excluded.suppressed) })}</li>
        <li safe>{t('newsletter.audience.noLegalBasis', { count: numbers.format(audience.excluded.noLegalBasis) })}</li>
        <li safe>{t('newsletter.audience.noEmail', { count: numbers.format(audience.excluded.noEmail) })}</li>
      </ul>
      {audience.members.length ? (
        <DataTable class="table-stack" caption={t('newsletter.audience.caption')} columns={[t('newsletter.audience.email'), t('newsletter.audience.name'), t('newsletter.audience.via')]}>
          {audience.members.map((m) => (
            <tr>
              <td safe>{m.email}</td>
              <td data-label={t('newsletter.audience.name')} safe>{m.name ?? ''}</td>
              <td data-label={t('newsletter.audience.via')} safe>{t(`newsletter.audience.via.${m.via}`)}</td>
            </tr>
          ))}
        </DataTable>
      ) : (
        ''
      )}
      <Pager ctx={ctx} page={props.page} total={audience.total} pageSize={props.pageSize} query={{}} />
    </AdminFrame>
  );
}
