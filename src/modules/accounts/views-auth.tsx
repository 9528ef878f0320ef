import type { ViewContext } from '../../kernel/ui/context.js';
import { ErrorSummary, type FieldErrors, Field, Form, SubmitButton } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';

interface FormView {
  ctx: ViewContext;
  values?: Record<string, string>;
  errors?: FieldErrors;
}

export function SignInPage({ ctx, values = {}, errors = {}, notice }: FormView & { notice?: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('signIn.title')}>
      <section class="narrow auth-card">
        <h1 safe>{t('signIn.title')}</h1>
        {notice ? (
          <div class="flash flash-error" role="alert" tabindex="-1" safe>
            {notice}
          </div>
        ) : (
          ''
        )}
        <ErrorSummary ctx={ctx} errors={errors} />
        <Form ctx={ctx} action="/connexion">
          <input type="hidden" name="suite" value={values['suite'] ?? ''} />
          <Field name="email" type="email" label={t('field.email')} value={values['email']} error={errors['email']} required autocomplete="username" />
          <Field name="password" type="password" label={t('field.password')} error={errors['password']} required autocomplete="current-password" />
          <SubmitButton label={t('signIn.submit')} />
        </Form>
        <p class="auth-links">
          <a href="/mot-de-passe-oublie" safe>
            {t('signIn.forgot')}
          </a>
          <br />
          <a href="/demande-de-compte" safe>
            {t('moderation.signIn.request')}
          </a>
        </p>
      </section>
    </Layout>
  );
}

export function ForgotPage({ ctx, values = {}, errors = {} }: FormView) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('forgot.title')}>
      <section class="narrow auth-card">
        <h1 safe>{t('forgot.title')}</h1>
        <p safe>{t('forgot.intro')}</p>
        <ErrorSummary ctx={ctx} errors={errors} />
        <Form ctx={ctx} action="/mot-de-passe-oublie">
          <Field name="email" type="email" label={t('field.email')} value={values['email']} error={errors['email']} required autocomplete="email" />
          <SubmitButton label={t('forgot.submit')} />
        </Form>
      </section>
    </Layout>
  );
}

export function MessagePage({ ctx, title, text, link }: { ctx: ViewContext; title: string; text: string; link?: { href: string; label: string } }) {
  return (
    <Layout ctx={ctx} title={title}>
      <section class="narrow auth-card">
        <h1 safe>{title}</h1>
        <p safe>{text}</p>
        {link ? (
          <p>
            <a class="button button-primary" href={link.href} safe>
              {link.label}
            </a>
          </p>
        ) : (
          ''
        )}
      </section>
    </Layout>
  );
}

export function SetPasswordPage({
  ctx,
  action,
  title,
  intro,
  errors = {},
}: FormView & { action: string; title: string; intro: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={title}>
      <section class="narrow auth-card">
        <h1 safe>{title}</h1>
        <p safe>{intro}</p>
        <ErrorSummary ctx={ctx} errors={errors} />
        <Form ctx={ctx} action={action}>
          <Field name="password" type="password" label={t('field.newPassword')} hint={t('password.rules')} error={errors['password']} required autocomplete="new-password" />
          <Field name="password_confirm" type="password" label={t('field.passwordConfirm')} error={errors['password_confirm']} required autocomplete="new-password" />
          <SubmitButton label={t('setPassword.submit')} />
        </Form>
      </section>
    </Layout>
  );
}

export function ConfirmPage({ ctx, action, title, text, submit }: { ctx: ViewContext; action: string; title: string; text: string; submit: string }) {
  return (
    <Layout ctx={ctx} title={title}>
      <section class="narrow auth-card">
        <h1 safe>{title}</h1>
        <p safe>{text}</p>
        <Form ctx={ctx} action={action}>
          <SubmitButton label={submit} />
        </Form>
      </section>
    </Layout>
  );
}
