import type { ViewContext } from '../../kernel/ui/context.js';
import { CsrfInput, ErrorSummary, Field, type FieldErrors, Form, SubmitButton } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { listText, quotedListNames } from './lists.js';
import { unsubscribePath } from './render-mailing.js';
import type { MailingRow } from './mailing-repo.js';
import type { ListRow } from './repo.js';
import { PreferencesFields, type PreferencesFormProps, UnsubscribeAllSection } from './views-preferences.js';
import { Checkboxes, dateOnly, InterestFields, type InterestOptions, NewsletterHead } from './views-shared.js';

export interface SubscribeValues {
  email?: string;
  name?: string;
  organisation?: string;
  lists?: string[];
  themes?: string[];
  countries?: string[];
}

/** The public page: the subscribe form, then the archive of sent bulletins. */
export function SubscribePage(props: { ctx: ViewContext; lists: ListRow[]; interests: InterestOptions; values: SubscribeValues; errors: FieldErrors; archive: MailingRow[]; limited?: boolean; notice?: string }) {
  const { ctx, lists, values, errors } = props;
  const { t } = ctx;
  const checked = values.lists ?? lists.filter((l) => l.is_default === 1).map((l) => l.id);
  return (
    <Layout ctx={ctx} title={t('newsletter.public.title')} description={t('newsletter.public.description', { network: ctx.site.networkName })}>
      <NewsletterHead />
      <h1 safe>{t('newsletter.public.title')}</h1>
      <p class="lead" safe>
        {t('newsletter.public.lead', { network: ctx.site.networkName })}
      </p>
      {props.limited ? (
        <div class="flash flash-error" role="alert" safe>
          {t('newsletter.public.limited')}
        </div>
      ) : (
        ''
      )}
      {lists.length === 0 ? (
        <p safe>{t('newsletter.public.noList')}</p>
      ) : (
        <section aria-labelledby="nl-subscribe-title" class="nl-subscribe">
          <h2 id="nl-subscribe-title" safe>
            {t('newsletter.public.subscribeTitle')}
          </h2>
          <ErrorSummary ctx={ctx} errors={errors} />
          {props.notice ? (
            <p class="flash flash-info" role="status" safe>
              {props.notice}
            </p>
          ) : (
            ''
          )}
          <Form ctx={ctx} action="/lettre">
            <Field name="email" type="email" label={t('newsletter.form.email')} value={values.email} error={errors['email']} required autocomplete="email" />
            <Field name="name" label={t('newsletter.form.name')} value={values.name} error={errors['name']} autocomplete="name" />
            <Field name="organisation" label={t('newsletter.form.organisation')} value={values.organisation} error={errors['organisation']} autocomplete="organization" />
            <Checkboxes name="lists" legend={t('newsletter.form.lists')} options={lists.map((l) => {
                const text = listText(l, ctx.locale);
                return { value: l.id, label: text.name, hint: text.description || undefined };
              })} checked={checked} error={errors['lists']} />
            <InterestFields ctx={ctx} options={props.interests} values={{ themes: values.themes ?? [], countries: values.countries ?? [] }} />
            <div hidden>
              <label for="f-site_web" safe>
                {t('newsletter.form.honeypot')}
              </label>
              <input id="f-site_web" name="site_web" type="text" tabindex="-1" autocomplete="off" />
            </div>
            <p class="hint">
              <span safe>{t('newsletter.form.privacy')}</span>{' '}
              <a href="/donnees-personnelles" safe>
                {t('newsletter.form.privacyLink')}
              </a>
            </p>
            <SubmitButton label={t('newsletter.form.submit')} />
          </Form>
        </section>
      )}
      <section aria-labelledby="nl-archive-title" class="nl-archive">
        <h2 id="nl-archive-title" safe>
          {t('newsletter.public.archiveTitle')}
        </h2>
        {props.archive.length === 0 ? (
          <p safe>{t('newsletter.public.archiveEmpty')}</p>
        ) : (
          <ul>
            {props.archive.map((m) => (
              <li>
                <a href={`/lettre/${m.slug}`} safe>
                  {m.subject}
                </a>{' '}
                <span class="muted" safe>
                  {dateOnly(ctx, m.finished_at ?? m.created_at)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Layout>
  );
}

/** A signed-in person's own subscriptions (routes-member.ts). */
const MEMBER_LETTERS = '/mon-espace/lettres';

/**
 * The small form for the site's footer: an address only, subscribed to the default lists (the
 * lead places it in the layout). Posts to /lettre like the full form. Its link to choose letters
 * and interests leads a signed-in person to their own subscriptions in « Mon espace », a visitor
 * to the public form.
 */
export function NewsletterFooterForm({ ctx }: { ctx: ViewContext }) {
  const { t } = ctx;
  return (
    <form method="post" action="/lettre" class="nl-footer-form" novalidate>
      <CsrfInput ctx={ctx} />
      <input type="hidden" name="from" value="footer" />
      <label for="nl-footer-email" safe>
        {t('newsletter.footer.label')}
      </label>
      <div class="nl-footer-row">
        <input id="nl-footer-email" name="email" type="email" autocomplete="email" required aria-describedby="nl-footer-hint" />
        <button type="submit" class="button button-small" safe>
          {t('newsletter.footer.submit')}
        </button>
      </div>
      <p id="nl-footer-hint" class="hint">
        <a href={ctx.user ? MEMBER_LETTERS : '/lettre'} safe>
          {t('newsletter.footer.more')}
        </a>
      </p>
    </form>
  );
}

/** The same answer for every address: the page never tells whether it was known. */
export function ThanksPage({ ctx }: { ctx: ViewContext }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('newsletter.thanks.title')}>
      <h1 safe>{t('newsletter.thanks.title')}</h1>
      <p class="lead" role="status" safe>
        {t('newsletter.thanks.text')}
      </p>
      <p safe>{t('newsletter.thanks.check')}</p>
      <p>
        <a href="/" safe>
          {t('newsletter.thanks.home')}
        </a>
      </p>
    </Layout>
  );
}

export function ConfirmPage(props: { ctx: ViewContext; token: string; state: 'pending' | 'done' | 'expired' | 'invalid'; lists: string[]; preferencesUrl?: string }) {
  const { ctx, state } = props;
  const { t } = ctx;
  const title = t(`newsletter.confirm.${state}.title`);
  return (
    <Layout ctx={ctx} title={title}>
      <h1 safe>{title}</h1>
      <p class="lead" safe>
        {t(`newsletter.confirm.${state}.text`)}
      </p>
      {props.lists.length ? (
        <ul>
          {props.lists.map((l) => (
            <li safe>{l}</li>
          ))}
        </ul>
      ) : (
        ''
      )}
      {state === 'pending' ? (
        <Form ctx={ctx} action={`/lettre/confirmer/${props.token}`}>
          <SubmitButton label={t('newsletter.confirm.button')} />
        </Form>
      ) : (
        ''
      )}
      {state === 'done' && props.preferencesUrl ? (
        <p>
          <a href={props.preferencesUrl} safe>
            {t('newsletter.confirm.preferences')}
          </a>
        </p>
      ) : (
        ''
      )}
      {state === 'expired' || state === 'invalid' ? (
        <p>
          <a href="/lettre" safe>
            {t('newsletter.confirm.again')}
          </a>
        </p>
      ) : (
        ''
      )}
    </Layout>
  );
}

/** The web version of a mailing (no personal greeting, no personal link). */
/** A mailing's web version; `notSent` (staff only) says it is not public yet, instead of its sending date. */
export function WebVersionPage(props: { ctx: ViewContext; mailing: MailingRow; safeBody: string; archived: boolean; notSent?: string }) {
  const { ctx, mailing, safeBody } = props;
  const { t } = ctx;
  const date = mailing.finished_at ?? mailing.started_at ?? mailing.created_at;
  // The mailing's words keep their language when the page speaks another.
  const lang = mailing.locale === ctx.locale ? undefined : mailing.locale;
  return (
    <Layout ctx={ctx} title={mailing.subject} description={t('newsletter.web.description', { network: ctx.site.networkName })} share={props.notSent ? undefined : { type: 'article', publishedAt: date }}>
      <NewsletterHead />
      <p class="breadcrumb">
        <a href="/lettre" safe>
          {t('newsletter.public.title')}
        </a>
      </p>
      {props.notSent ? (
        <p class="flash flash-info" safe>
          {props.notSent}
        </p>
      ) : (
        ''
      )}
      <article class="nl-web">
        <h1 lang={lang} safe>
          {mailing.subject}
        </h1>
        <p class="muted">
          {props.notSent ? '' : <span safe>{t('newsletter.web.sentOn', { date: dateOnly(ctx, date) })}</span>}
          {props.notSent ? '' : ' · '}
          <span safe>{mailing.from_name}</span>
        </p>
        <div class="prose" lang={lang}>
          {safeBody}
        </div>
      </article>
      <p>
        <a href="/lettre" class="button button-secondary" safe>
          {t('newsletter.web.subscribe')}
        </a>
      </p>
    </Layout>
  );
}

/** The preference centre reached from an email's link (the token stands for the address). */
export function PreferencesPage(props: PreferencesFormProps & { token: string }) {
  const { ctx, view, token } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('newsletter.preferences.title')}>
      <NewsletterHead />
      <h1 safe>{t('newsletter.preferences.title')}</h1>
      <p class="lead" safe>
        {t('newsletter.preferences.lead', { email: view.email })}
      </p>
      <PreferencesFields {...props} />
      <UnsubscribeAllSection ctx={ctx} action={`/preferences/${token}/tout`} />
    </Layout>
  );
}

/**
 * Where the unsubscribe and preferences links of a test email (or of the preview) lead: they carry
 * the sample token, which belongs to no one; the page says so rather than « page not found ».
 */
export function SampleLinkPage(props: { ctx: ViewContext }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('newsletter.sample.title')}>
      <h1 safe>{t('newsletter.sample.title')}</h1>
      <p class="lead" role="status" safe>
        {t('newsletter.sample.text')}
      </p>
      <p safe>{t('newsletter.sample.note')}</p>
      <p>
        <a href="/lettre" safe>
          {t('newsletter.sample.subscribe')}
        </a>
      </p>
    </Layout>
  );
}

/**
 * « Se désinscrire », reached from a message. With `lists` (the lists the message was sent for),
 * its one button leaves them only; the page then offers, as further choices, to leave everything
 * (the address suppressed) and to manage one's subscriptions. Without, its button leaves
 * everything, as the link of a mailing to directory contacts.
 */
export function UnsubscribePage(props: { ctx: ViewContext; token: string; email: string; lists: { id: string; name: string }[]; done: boolean }) {
  const { ctx, token, lists } = props;
  const { t } = ctx;
  const title = t(props.done ? 'newsletter.unsubscribe.doneTitle' : 'newsletter.unsubscribe.title');
  const names = quotedListNames(
    lists.map((l) => l.name),
    ctx.locale,
  );
  if (lists.length === 0) {
    return (
      <Layout ctx={ctx} title={title}>
        <h1 safe>{title}</h1>
        {props.done ? (
          <p class="lead" role="status" safe>
            {t('newsletter.unsubscribe.doneText', { email: props.email, network: ctx.site.networkName })}
          </p>
        ) : (
          <>
            <p class="lead" safe>
              {t('newsletter.unsubscribe.text', { email: props.email, network: ctx.site.networkName })}
            </p>
            <Form ctx={ctx} action={`/desinscription/${token}`}>
              <SubmitButton label={t('newsletter.unsubscribe.button')} variant="danger" />
            </Form>
          </>
        )}
        <p>
          <a href={`/preferences/${token}`} safe>
            {t(props.done ? 'newsletter.unsubscribe.changedMind' : 'newsletter.unsubscribe.choose')}
          </a>
        </p>
      </Layout>
    );
  }
  return (
    <Layout ctx={ctx} title={title}>
      <h1 safe>{title}</h1>
      {props.done ? (
        <p class="lead" role="status" safe>
          {t('newsletter.unsubscribe.listDone', { email: props.email, lists: names })}
        </p>
      ) : (
        <>
          <p class="lead" safe>
            {t('newsletter.unsubscribe.listText', { email: props.email, lists: names })}
          </p>
          <Form ctx={ctx} action={unsubscribePath(token, lists.map((l) => l.id))}>
            <SubmitButton label={t('newsletter.unsubscribe.button')} variant="danger" />
          </Form>
        </>
      )}
      <section aria-labelledby="nl-more-title">
        <h2 id="nl-more-title" safe>
          {t('newsletter.unsubscribe.moreTitle')}
        </h2>
        <p safe>{t('newsletter.preferences.allText')}</p>
        <Form ctx={ctx} action={`/desinscription/${token}`}>
          <input type="hidden" name="tout" value="1" />
          <SubmitButton label={t('newsletter.preferences.allButton')} variant="secondary" />
        </Form>
        <p>
          <a href={`/preferences/${token}`} safe>
            {t('newsletter.unsubscribe.manage')}
          </a>
        </p>
      </section>
    </Layout>
  );
}
