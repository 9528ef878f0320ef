import type { ViewContext } from '../../kernel/ui/context.js';
import { Breadcrumb } from '../../kernel/ui/breadcrumb.js';
import { ErrorSummary, Field, Form, SubmitButton } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { NEWS_ADMIN } from './views-admin.js';

export function MastodonSettingsPage(p: { ctx: ViewContext; instanceUrl: string; maskedToken: string | null; errors: Record<string, string> }) {
  const { ctx } = p;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('news.mastodon.title')} area="admin">
      <Breadcrumb href={NEWS_ADMIN} label={t('news.admin.back')} />
      <h1 safe>{t('news.mastodon.title')}</h1>
      <p class="lead" safe>
        {t('news.mastodon.lead')}
      </p>
      <p safe>{p.maskedToken ? t('news.mastodon.connected', { instance: p.instanceUrl, token: p.maskedToken }) : t('news.mastodon.notConnected')}</p>
      <ErrorSummary ctx={ctx} errors={p.errors} />
      <Form ctx={ctx} action={`${NEWS_ADMIN}/mastodon`}>
        <Field name="instance_url" type="url" label={t('news.mastodon.instance')} hint={t('news.mastodon.instanceHint')} value={p.instanceUrl} error={p.errors['instance_url']} required />
        <Field
          name="token"
          type="password"
          label={t('news.mastodon.token')}
          hint={t(p.maskedToken ? 'news.mastodon.tokenKeep' : 'news.mastodon.tokenHint')}
          error={p.errors['token']}
          required={!p.maskedToken}
          autocomplete="off"
        />
        <SubmitButton label={t('news.mastodon.save')} />
      </Form>
      {p.maskedToken ? (
        <Form ctx={ctx} action={`${NEWS_ADMIN}/mastodon`} class="inline-form">
          <input type="hidden" name="disconnect" value="1" />
          <SubmitButton label={t('news.mastodon.disconnect')} variant="danger" />
        </Form>
      ) : (
        ''
      )}
    </Layout>
  );
}
