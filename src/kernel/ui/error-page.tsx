import type { MessageKey } from '../i18n/index.js';
import type { ViewContext } from './context.js';
import { Layout } from './layout.js';

interface ErrorPageProps {
  ctx: ViewContext;
  status: number;
  title: MessageKey;
  text: MessageKey;
  reference?: string;
}

export function ErrorPage({ ctx, status, title, text, reference }: ErrorPageProps) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t(title)}>
      <section class="error-page">
        <p class="error-status" aria-hidden="true" safe>
          {String(status)}
        </p>
        <h1 safe>{t(title)}</h1>
        <p safe>{t(text)}</p>
        {reference ? (
          <p>
            <span safe>{t('error.reference')}</span> <code safe>{reference}</code>
          </p>
        ) : (
          ''
        )}
        <p>
          <a class="button button-secondary" href="/" safe>
            {t('error.backHome')}
          </a>
        </p>
      </section>
    </Layout>
  );
}
