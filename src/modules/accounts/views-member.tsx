import { formatDateTime } from '../../kernel/i18n/index.js';
import type { MemberCard, ViewContext } from '../../kernel/ui/context.js';
import { ErrorSummary, type FieldErrors, Field, Form, SubmitButton } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { SentenceWithLink } from '../../kernel/ui/sentence.js';
import type { LastSignIn } from './session.js';

/**
 * The order of the member space's tiles: what members come for first (their organisations), then
 * what they propose (events, news, resources), then their newsletters; the account comes last,
 * after them. A tile not listed here keeps its module's order, after those listed.
 */
const CARD_ORDER = ['/mon-espace/structures', '/mon-espace/evenements', '/mon-espace/actualites', '/mon-espace/ressources', '/mon-espace/lettres'];

function orderedCards(cards: readonly MemberCard[]): MemberCard[] {
  const rank = (card: MemberCard) => {
    const i = CARD_ORDER.indexOf(card.href);
    return i === -1 ? CARD_ORDER.length : i;
  };
  // A stable sort: the tiles of equal rank keep their modules' order.
  return [...cards].sort((a, b) => rank(a) - rank(b));
}

export function MemberHomePage({ ctx, lastSignIn }: { ctx: ViewContext; lastSignIn: LastSignIn }) {
  const { t, user } = ctx;
  return (
    <Layout ctx={ctx} title={t('member.title')} area="member">
      <h1 safe>{t('member.title')}</h1>
      <p class="lead" safe>
        {t('member.welcome', { name: user?.displayName ?? '' })}
      </p>
      {lastSignIn.kind === 'unknown' ? (
        ''
      ) : (
        <p class="muted" safe>
          {lastSignIn.kind === 'first' ? t('member.firstLogin') : t('member.lastLogin', { date: formatDateTime(lastSignIn.at, ctx.locale) })}
        </p>
      )}
      <ul class="card-grid">
        {orderedCards(ctx.memberCards).map((card) => (
          <li class="card">
            <h2 safe>{t(card.title)}</h2>
            <p safe>{t(card.text)}</p>
            <a href={card.href} safe>
              {t(card.link)}
            </a>
          </li>
        ))}
        <li class="card">
          <h2 safe>{t('member.account.title')}</h2>
          <p safe>{t('member.account.text')}</p>
          <a href="/mon-espace/compte" safe>
            {t('member.account.link')}
          </a>
        </li>
      </ul>
    </Layout>
  );
}

interface AccountPageProps {
  ctx: ViewContext;
  email: string;
  passwordErrors?: FieldErrors;
  emailErrors?: FieldErrors;
  emailValue?: string;
  /** An email change waiting for its confirmation link to be opened. */
  pending?: { email: string; until: string } | null;
}

export function AccountPage({ ctx, email, passwordErrors = {}, emailErrors = {}, emailValue, pending = null }: AccountPageProps) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('account.title')} area="member">
      <p class="breadcrumb">
        <a href="/mon-espace" safe>
          {t('member.title')}
        </a>
      </p>
      <h1 safe>{t('account.title')}</h1>
      <div class="two-columns">
        <section aria-labelledby="pw-title" class="panel">
          <h2 id="pw-title" safe>
            {t('account.password.title')}
          </h2>
          <ErrorSummary ctx={ctx} errors={passwordErrors} prefix="pw" />
          <Form ctx={ctx} action="/mon-espace/compte/mot-de-passe">
            <Field prefix="pw" name="current_password" type="password" label={t('field.currentPassword')} error={passwordErrors['current_password']} required autocomplete="current-password" />
            <Field prefix="pw" name="password" type="password" label={t('field.newPassword')} hint={t('password.rules')} error={passwordErrors['password']} required autocomplete="new-password" />
            <Field prefix="pw" name="password_confirm" type="password" label={t('field.passwordConfirm')} error={passwordErrors['password_confirm']} required autocomplete="new-password" />
            <SubmitButton label={t('account.password.submit')} />
          </Form>
        </section>
        <section aria-labelledby="email-title" class="panel">
          <h2 id="email-title" safe>
            {t('account.email.title')}
          </h2>
          <p safe>{t('account.email.current', { email })}</p>
          {pending ? (
            <p class="flash flash-info" safe>
              {t('account.email.pending', { email: pending.email, date: formatDateTime(pending.until, ctx.locale) })}
            </p>
          ) : (
            ''
          )}
          <ErrorSummary ctx={ctx} errors={emailErrors} prefix="em" />
          <Form ctx={ctx} action="/mon-espace/compte/email">
            <Field prefix="em" name="email" type="email" label={t('field.newEmail')} value={emailValue} error={emailErrors['email']} required autocomplete="email" />
            <Field prefix="em" name="current_password" type="password" label={t('field.currentPassword')} error={emailErrors['current_password']} required autocomplete="current-password" />
            <SubmitButton label={t('account.email.submit')} />
          </Form>
        </section>
        <section aria-labelledby="data-title" class="panel">
          <h2 id="data-title" safe>
            {t('account.data.title')}
          </h2>
          <p safe>{t('account.data.text')}</p>
          <Form ctx={ctx} action="/mon-espace/compte/donnees">
            <SubmitButton label={t('account.data.submit')} variant="secondary" />
          </Form>
          <p safe>{t('account.erase.teaser')}</p>
          <p>
            <a href="/mon-espace/compte/supprimer" safe>
              {t('account.erase.link')}
            </a>
          </p>
        </section>
      </div>
    </Layout>
  );
}

/**
 * What erasing one's account does, and the current password that confirms it; the last active
 * admin is told why they cannot, and gets no form.
 */
export function EraseOwnAccountPage({ ctx, errors = {}, lastAdmin = false }: { ctx: ViewContext; errors?: FieldErrors; lastAdmin?: boolean }) {
  const { t } = ctx;
  const contactEmail = ctx.site.contactEmail;
  return (
    <Layout ctx={ctx} title={t('account.erase.title')} area="member">
      <p class="breadcrumb">
        <a href="/mon-espace/compte" safe>
          {t('account.title')}
        </a>
      </p>
      <h1 safe>{t('account.erase.title')}</h1>
      {lastAdmin ? (
        <div class="flash flash-error" role="alert" tabindex="-1">
          <SentenceWithLink text={(link) => t('account.erase.lastAdmin', { link })} href="/admin/comptes" label={t('account.erase.lastAdminLink')} />
        </div>
      ) : (
        ''
      )}
      <p class="lead" safe>
        {t('account.erase.intro')}
      </p>
      <h2 safe>{t('account.erase.erasedTitle')}</h2>
      <ul>
        <li safe>{t('account.erase.erased.identity')}</li>
        <li safe>{t('account.erase.erased.access')}</li>
        <li safe>{t('account.erase.erased.journal')}</li>
        <li safe>{t('account.erase.erased.elsewhere')}</li>
      </ul>
      <h2 safe>{t('account.erase.keptTitle')}</h2>
      <ul>
        <li safe>{t('account.erase.kept.organisation')}</li>
        <li>
          <SentenceWithLink text={(email) => t('account.erase.kept.contacts', { email })} href={`mailto:${contactEmail}`} label={contactEmail} />
        </li>
        <li safe>{t('account.erase.kept.journal')}</li>
      </ul>
      {lastAdmin ? (
        ''
      ) : (
        <>
          <p>
            <SentenceWithLink text={(link) => t('account.erase.export', { link })} href="/mon-espace/compte" label={t('account.erase.exportLink')} />
          </p>
          <ErrorSummary ctx={ctx} errors={errors} prefix="erase" />
          <Form ctx={ctx} action="/mon-espace/compte/supprimer">
            <Field prefix="erase" name="current_password" type="password" label={t('field.currentPassword')} hint={t('account.erase.passwordHint')} error={errors['current_password']} required autocomplete="current-password" />
            <SubmitButton label={t('account.erase.submit')} variant="danger" />
          </Form>
        </>
      )}
      <p>
        <a href="/mon-espace/compte" safe>
          {lastAdmin ? t('account.erase.back') : t('account.erase.cancel')}
        </a>
      </p>
    </Layout>
  );
}
