import { escapeHtml, type PropsWithChildren } from '@kitajs/html';
import type { NavItem, ViewContext } from './context.js';

interface LayoutProps {
  ctx: ViewContext;
  title: string;
  /** Which menu frames the page. */
  area?: 'public' | 'admin' | 'member';
  /** One or two plain sentences: the description for search engines and link previews. */
  description?: string;
  /** Link previews (Open Graph, Twitter cards): an image, and `article` for dated content. */
  share?: ShareMeta;
  /** Feeds offered for the page (`<link rel="alternate">`). */
  feeds?: { title: string; href: string; type: 'rss' | 'atom' }[];
  /**
   * The address the menu marks as current, when the page belongs to an item its own address is not
   * under (the merge history, /admin/fusions, is part of « Doublons », /admin/doublons).
   */
  menuPath?: string;
}

export interface ShareMeta {
  /** Same-site path or absolute URL of the image. */
  image?: string;
  imageAlt?: string;
  type?: 'website' | 'article';
  /** ISO instant: `article:published_time`. */
  publishedAt?: string;
}

function absoluteUrl(ctx: ViewContext, pathOrUrl: string): string {
  return /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${ctx.site.baseUrl}${pathOrUrl}`;
}

/**
 * Open Graph and Twitter card tags, so a shared link shows the page's title, text and image. Their
 * text is escaped whole (kitajs escapes only quotes in attributes): no `<` of a title reaches the page.
 */
function ShareTags(props: { ctx: ViewContext; title: string; description?: string; share?: ShareMeta }) {
  const { ctx, share } = props;
  const title = escapeHtml(props.title);
  const description = props.description ? escapeHtml(props.description) : undefined;
  const image = share?.image ? escapeHtml(absoluteUrl(ctx, share.image)) : undefined;
  return (
    <>
      <meta property="og:site_name" content={ctx.site.networkName} />
      <meta property="og:locale" content={ctx.locale === 'fr' ? 'fr_FR' : 'en_GB'} />
      <meta property="og:type" content={share?.type ?? 'website'} />
      <meta property="og:title" content={title} />
      <meta property="og:url" content={absoluteUrl(ctx, ctx.path)} />
      {description ? <meta property="og:description" content={description} /> : ''}
      {image ? <meta property="og:image" content={image} /> : ''}
      {image && share?.imageAlt ? <meta property="og:image:alt" content={escapeHtml(share.imageAlt)} /> : ''}
      {share?.publishedAt ? <meta property="article:published_time" content={share.publishedAt} /> : ''}
      <meta name="twitter:card" content={image ? 'summary_large_image' : 'summary'} />
      <meta name="twitter:title" content={title} />
      {description ? <meta name="twitter:description" content={description} /> : ''}
      {image ? <meta name="twitter:image" content={image} /> : ''}
      {image && share?.imageAlt ? <meta name="twitter:image:alt" content={escapeHtml(share.imageAlt)} /> : ''}
    </>
  );
}

/** Whether a path is a link's page or one of its sub-pages (the home pages of areas: only themselves). */
function isUnder(path: string, href: string): boolean {
  if (href === '/' || href === '/admin' || href === '/mon-espace') return path === href;
  return path === href || path.startsWith(`${href}/`);
}

/** The list a menu's disclosure button controls (one collapsible menu per page: the public or the back-office menu). */
const COLLAPSIBLE_LIST_ID = 'main-nav-list';

function Menu({
  ctx,
  items,
  pages = [],
  label,
  path,
  collapsible = false,
}: {
  ctx: ViewContext;
  items: readonly NavItem[];
  /** Editable pages staff placed in this menu (their labels are data, not catalogue keys). */
  pages?: readonly { href: string; label: string }[];
  label: string;
  /** The address the current item is chosen for (the page's own, unless it says otherwise). */
  path: string;
  /**
   * On narrow screens the list hides behind a disclosure button (site.js shows the button and
   * toggles its `aria-expanded`; without script the button stays hidden and the list shows).
   */
  collapsible?: boolean;
}) {
  const visible = items.filter((item) => !item.roles || (ctx.user && item.roles.includes(ctx.user.role)));
  const links = [...visible.map((item) => ({ href: item.href, label: ctx.t(item.label) })), ...pages];
  // One current item: the most precise one (« Flux d’agenda », /admin/agenda/flux, rather than « Agenda » too).
  const current = links
    .filter((link) => isUnder(path, link.href))
    .reduce<string | undefined>((best, link) => (best === undefined || link.href.length > best.length ? link.href : best), undefined);
  return (
    <nav aria-label={label} class={collapsible ? 'main-nav main-nav-collapsible' : 'main-nav'}>
      {collapsible ? (
        <button type="button" class="main-nav-toggle" aria-expanded="false" aria-controls={COLLAPSIBLE_LIST_ID} hidden safe>
          {label}
        </button>
      ) : (
        ''
      )}
      <ul id={collapsible ? COLLAPSIBLE_LIST_ID : undefined}>
        {links.map((link) => (
          <li>
            <a href={link.href} aria-current={link.href === current ? 'page' : undefined} safe>
              {link.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

const LEGAL_LINKS = [
  { href: '/mentions-legales', label: 'footer.legal' },
  { href: '/donnees-personnelles', label: 'footer.privacy' },
  { href: '/accessibilite', label: 'footer.accessibility' },
] as const;

/** The footer's links: the legal pages, then the pages staff placed in the footer. */
function FooterLinks({ ctx }: { ctx: ViewContext }) {
  const legal = LEGAL_LINKS.map((link) => ({ href: link.href, label: ctx.t(link.label) }));
  const seen = new Set<string>(legal.map((link) => link.href));
  const links = [...legal, ...ctx.pageNav.footer.filter((link) => !seen.has(link.href))];
  return (
    <nav aria-label={ctx.t('nav.footerMenu')}>
      <ul>
        {links.map((link) => (
          <li>
            <a href={link.href} safe>
              {link.label}
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
        <a href="/admin" aria-current={isUnder(ctx.path, '/admin') ? 'page' : undefined} safe>
          {t('nav.admin')}
        </a>
      ) : (
        ''
      )}
      <a href="/mon-espace" aria-current={isUnder(ctx.path, '/mon-espace') ? 'page' : undefined} safe>
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

/** The site-wide search, on every public page. */
function HeaderSearch({ ctx }: { ctx: ViewContext }) {
  return (
    <form method="get" action="/recherche" role="search" aria-label={ctx.t('search.title')} class="header-search">
      <label for="header-search-q" class="visually-hidden" safe>
        {ctx.t('search.field')}
      </label>
      <input type="search" id="header-search-q" name="q" maxlength="200" />
      <button type="submit" class="button button-small" safe>
        {ctx.t('search.submit')}
      </button>
    </form>
  );
}

function LanguageSwitch({ ctx }: { ctx: ViewContext }) {
  const other = ctx.locale === 'fr' ? 'en' : 'fr';
  return (
    <form method="post" action="/langue" class="inline-form">
      <input type="hidden" name="_csrf" value={ctx.csrfToken} />
      <input type="hidden" name="suite" value={ctx.returnTo ?? ctx.path} />
      <button type="submit" name="lang" value={other} class="link-button" lang={other} safe>
        {ctx.t('nav.otherLanguage')}
      </button>
    </form>
  );
}

export function Layout({ ctx, title, area = 'public', description, share, feeds = [], menuPath, children }: PropsWithChildren<LayoutProps>) {
  const { t, site } = ctx;
  const fullTitle = `${title} · ${site.networkName}`;
  // Each part is a module's own view (escaped there); the back office shows none.
  const safeFooterParts = area === 'public' ? ctx.footerParts.map((part) => `<div class="footer-part">${part(ctx)}</div>`).join('') : '';
  const logoSrc = site.hasLogo ? `/media/logo?v=${encodeURIComponent(site.logoVersion)}` : '/assets/logo.svg';
  return (
    <>
      {'<!doctype html>'}
      <html lang={ctx.locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{fullTitle}</title>
          {description ? <meta name="description" content={escapeHtml(description)} /> : ''}
          {area === 'public' ? <ShareTags ctx={ctx} title={title} description={description} share={share} /> : ''}
          {feeds.map((feed) => (
            <link
              rel="alternate"
              type={feed.type === 'rss' ? 'application/rss+xml' : 'application/atom+xml'}
              title={feed.title}
              href={feed.href}
            />
          ))}
          <link rel="stylesheet" href="/assets/site.css" />
          <link rel="icon" href="/assets/logo.svg" type="image/svg+xml" />
          <script src="/assets/site.js" defer></script>
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
              {area === 'public' && ctx.path !== '/recherche' ? <HeaderSearch ctx={ctx} /> : ''}
              <div class="account-links">
                <AccountLinks ctx={ctx} />
                <LanguageSwitch ctx={ctx} />
              </div>
            </div>
            <div class="container">
              {area === 'admin' ? (
                <Menu ctx={ctx} items={ctx.adminNav} label={t('nav.adminMenu')} path={menuPath ?? ctx.path} collapsible />
              ) : (
                <Menu ctx={ctx} items={ctx.publicNav} pages={ctx.pageNav.header} label={t('nav.mainMenu')} path={menuPath ?? ctx.path} collapsible />
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
              <FooterLinks ctx={ctx} />
              {safeFooterParts}
              <p class="powered" safe>{t('footer.poweredBy')}</p>
            </div>
          </footer>
        </body>
      </html>
    </>
  );
}
