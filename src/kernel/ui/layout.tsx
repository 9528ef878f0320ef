import type { PropsWithChildren } from '@kitajs/html';
import type { NavItem, ViewContext } from './context.js';

interface LayoutProps {
  ctx: ViewContext;
  title: string;
  /** Which menu frames the page. */
  area?: 'public' | 'admin' | 'member';
  description?: string;
}

function isCurrent(ctx: ViewContext, href: string): boolean {
  if (href === '/' || href === '/admin' || href === '/mon-espace') return ctx.path === href;
  return ctx.path === href || ctx.path.startsWith(`${href}/`);
}

function Menu({ ctx, items, label }: { ctx: ViewContext; items: readonly NavItem[]; label: string }) {
  const visible = items.filter((item) => !item.roles || (ctx.user && item.roles.includes(ctx.user.role)));
  return (
    <nav aria-label={label} class="main-nav">
      <ul>
        {visible.map((item) => (
          <li>
            <a href={item.href} aria-current={isCurrent(ctx, item.href) ? 'page' : undefined} safe>
              {ctx.t(item.label)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function AccountLinks({ ctx }: { ctx: ViewContext }) {
  const { t, user } = ctx;
  if (!user) {
    return (
      <a class="button button-small" href="/connexion" safe>
        {t('nav.signIn')}
      </a>
    );
  }
  return (
    <>
      {user.role !== 'member' ? (
        <a href="/admin" aria-current={isCurrent(ctx, '/admin') ? 'page' : undefined} safe>
          {t('nav.admin')}
        </a>
      ) : (
        ''
      )}
      <a href="/mon-espace" aria-current={isCurrent(ctx, '/mon-espace') ? 'page' : undefined} safe>
        {t('nav.memberSpace')}
      </a>
      <form method="post" action="/deconnexion" class="inline-form">
        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
        <button type="submit" class="link-button" safe>
          {t('nav.signOut')}
        </button>
      </form>
    </>
  );
}

function LanguageSwitch({ ctx }: { ctx: ViewContext }) {
  const other = ctx.locale === 'fr' ? 'en' : 'fr';
  return (
    <form method="post" action="/langue" class="inline-form">
      <input type="hidden" name="_csrf" value={ctx.csrfToken} />
      <input type="hidden" name="suite" value={ctx.path} />
      <button type="submit" name="lang" value={other} class="link-button" lang={other} safe>
        {ctx.t('nav.otherLanguage')}
      </button>
    </form>
  );
}

export function Layout({ ctx, title, area = 'public', description, children }: PropsWithChildren<LayoutProps>) {
  const { t, site } = ctx;
  const fullTitle = `${title} · ${site.networkName}`;
  const logoSrc = site.hasLogo ? `/media/logo?v=${encodeURIComponent(site.logoVersion)}` : '/assets/logo.svg';
  return (
    <>
      {'<!doctype html>'}
      <html lang={ctx.locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{fullTitle}</title>
          {description ? <meta name="description" content={description} /> : ''}
          <link rel="stylesheet" href="/assets/site.css" />
          <link rel="icon" href="/assets/logo.svg" type="image/svg+xml" />
        </head>
        <body class={`area-${area}`}>
          <a class="skip-link" href="#contenu" safe>
            {t('a11y.skipToContent')}
          </a>
          <header class="site-header">
            <div class="container header-row">
              <a class="brand" href="/">
                <img src={logoSrc} alt="" width="44" height="44" />
                <span safe>{site.networkName}</span>
              </a>
              <div class="account-links">
                <AccountLinks ctx={ctx} />
                <LanguageSwitch ctx={ctx} />
              </div>
            </div>
            <div class="container">
              {area === 'admin' ? (
                <Menu ctx={ctx} items={ctx.adminNav} label={t('nav.adminMenu')} />
              ) : (
                <Menu ctx={ctx} items={ctx.publicNav} label={t('nav.mainMenu')} />
              )}
            </div>
          </header>
          <main id="contenu" class="container" tabindex="-1">
            {ctx.flash.map((f) => (
              <div class={`flash flash-${f.kind}`} role={f.kind === 'error' ? 'alert' : 'status'} safe>
                {f.message}
              </div>
            ))}
            {children}
          </main>
          <footer class="site-footer">
            <div class="container footer-row">
              <p>
                <strong safe>{site.networkName}</strong>
                <br />
                <a href={`mailto:${site.contactEmail}`} safe>
                  {site.contactEmail}
                </a>
              </p>
              <nav aria-label={t('nav.footerMenu')}>
                <ul>
                  <li>
                    <a href="/mentions-legales" safe>{t('footer.legal')}</a>
                  </li>
                  <li>
                    <a href="/donnees-personnelles" safe>{t('footer.privacy')}</a>
                  </li>
                  <li>
                    <a href="/accessibilite" safe>{t('footer.accessibility')}</a>
                  </li>
                </ul>
              </nav>
              <p class="powered" safe>{t('footer.poweredBy')}</p>
            </div>
          </footer>
        </body>
      </html>
    </>
  );
}
