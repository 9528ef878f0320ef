import type { ViewContext } from './context.js';

/** Where a page can be shared: each network's public "share this URL" address. */
const NETWORKS = [
  { name: 'Mastodon', href: (url: string, text: string) => `https://mastodonshare.com/?text=${encodeURIComponent(text)}&url=${encodeURIComponent(url)}` },
  { name: 'Bluesky', href: (url: string, text: string) => `https://bsky.app/intent/compose?text=${encodeURIComponent(`${text} ${url}`)}` },
  { name: 'LinkedIn', href: (url: string) => `https://www.linkedin.com/sharing/share-offsite/?url=${encodeURIComponent(url)}` },
  { name: 'Facebook', href: (url: string) => `https://www.facebook.com/sharer/sharer.php?u=${encodeURIComponent(url)}` },
  { name: 'X', href: (url: string, text: string) => `https://x.com/intent/post?text=${encodeURIComponent(text)}&url=${encodeURIComponent(url)}` },
] as const;

/** Plain share links for a public page (no third-party script, no tracking): networks and email. */
export function ShareLinks({ ctx, title }: { ctx: ViewContext; title: string }) {
  const url = `${ctx.site.baseUrl}${ctx.path}`;
  const mail = `mailto:?subject=${encodeURIComponent(title)}&body=${encodeURIComponent(url)}`;
  return (
    <nav class="share-links" aria-label={ctx.t('share.label')}>
      <p safe>{ctx.t('share.label')}</p>
      <ul>
        {NETWORKS.map((network) => (
          <li>
            <a href={network.href(url, title)} rel="noopener noreferrer" target="_blank">
              <span>{network.name}</span>
              <span class="visually-hidden" safe>
                {ctx.t('share.newWindow')}
              </span>
            </a>
          </li>
        ))}
        <li>
          <a href={mail} safe>
            {ctx.t('share.email')}
          </a>
        </li>
      </ul>
    </nav>
  );
}
