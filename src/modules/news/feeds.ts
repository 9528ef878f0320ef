import { excerptOf, htmlToText, sanitiseRichText } from '../../kernel/html.js';
import type { OutFeed } from '../../kernel/feeds/write.js';
import type { Kernel } from '../../kernel/http/types.js';
import type { Translate } from '../../kernel/i18n/index.js';
import * as repo from './repo.js';
import { articleHref } from './types.js';

const FEED_SIZE = 30;

/** The latest listed articles as an outgoing feed (RSS or Atom): absolute links, sanitised HTML. */
export async function newsFeed(kernel: Pick<Kernel, 'db' | 'clock' | 'config' | 'settings'>, t: Translate, kind: 'rss' | 'atom', theme?: string): Promise<OutFeed> {
  const now = kernel.clock.now().toISOString();
  const { rows } = await repo.listPublic(kernel.db, { now, theme }, 0, FEED_SIZE);
  const base = kernel.config.baseUrl.replace(/\/+$/, '');
  const suffix = theme ? `?theme=${encodeURIComponent(theme)}` : '';
  const settings = await kernel.settings.get();
  const newest = rows.reduce((max, a) => (a.updated_at > max ? a.updated_at : max), rows[0]?.published_at ?? now);
  return {
    title: `${t('news.public.title')} · ${settings.networkName}`,
    description: t('news.public.lead'),
    section: 'actualites',
    pageUrl: `${base}/actualites${suffix}`,
    selfUrl: `${base}/actualites/flux.${kind}${suffix}`,
    itemUrl: (id) => `${base}/actualites#a-${id}`,
    updatedAt: rows.length ? newest : now,
    items: rows.map((a) => {
      const html = [a.summary ? `<p><strong>${a.summary.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</strong></p>` : '', a.body_html ? sanitiseRichText(a.body_html) : ''].join('');
      return {
        id: a.id,
        title: a.title,
        link: `${base}${articleHref(a.slug)}`,
        html: html || null,
        text: a.summary ?? (a.body_html ? excerptOf(htmlToText(a.body_html), 300) : ''),
        publishedAt: a.published_at,
        updatedAt: a.updated_at,
        category: a.organisation ? t('news.memberNews') : null,
        source: a.organisation?.name ?? a.author_name ?? settings.networkName,
      };
    }),
  };
}
