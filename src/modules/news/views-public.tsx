import { numberFormat } from '../../kernel/i18n/index.js';
import { excerptOf, htmlToText, sanitiseRichText } from '../../kernel/html.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { countActiveFilters, FilterDisclosure } from '../../kernel/ui/filter-disclosure.js';
import { Breadcrumb } from '../../kernel/ui/breadcrumb.js';
import { Layout } from '../../kernel/ui/layout.js';
import { Pager } from '../../kernel/ui/pager.js';
import { ShareLinks } from '../../kernel/ui/share.js';
import type { Article, ArticleCard } from './types.js';
import { articleImageHref } from './types.js';
import { dateText, MemberLabel, NewsCard } from './views-parts.js';

export const NEWS_PAGE_SIZE = 12;

function newsFeeds(ctx: ViewContext) {
  return [
    { title: ctx.t('news.feed.rssTitle'), href: '/actualites/flux.rss', type: 'rss' as const },
    { title: ctx.t('news.feed.atomTitle'), href: '/actualites/flux.atom', type: 'atom' as const },
  ];
}

function FeedLinks({ ctx }: { ctx: ViewContext }) {
  return (
    <p class="news-feeds">
      <a href="/actualites/flux.rss" safe>
        {ctx.t('news.feed.rss')}
      </a>
      {' · '}
      <a href="/actualites/flux.atom" safe>
        {ctx.t('news.feed.atom')}
      </a>
    </p>
  );
}

export interface NewsListProps {
  ctx: ViewContext;
  rows: ArticleCard[];
  total: number;
  page: number;
  theme: string;
  themes: { value: string; label: string }[];
}

export function NewsListPage({ ctx, rows, total, page, theme, themes }: NewsListProps) {
  const { t } = ctx;
  const themeLabel = themes.find((th) => th.value === theme)?.label;
  const title = themeLabel ? t('news.public.titleTheme', { theme: themeLabel }) : t('news.public.title');
  return (
    <Layout ctx={ctx} title={title} description={t('news.public.lead')} feeds={newsFeeds(ctx)}>
      <link rel="stylesheet" href="/assets/news.css" />
      <h1 safe>{title}</h1>
      <p class="lead" safe>
        {t('news.public.lead')}
      </p>
      <FilterDisclosure ctx={ctx} active={countActiveFilters([theme])}>
        <form method="get" action="/actualites" class="filter-form news-filter" aria-label={t('news.public.filters')}>
          <div class="field">
            <label for="f-theme" safe>
              {t('news.public.theme')}
            </label>
            <select id="f-theme" name="theme">
              <option value="" safe>
                {t('news.public.allThemes')}
              </option>
              {themes.map((o) => (
                <option value={o.value} selected={o.value === theme} safe>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="button button-secondary" safe>
            {t('news.public.apply')}
          </button>
        </form>
      </FilterDisclosure>
      <p class="result-count" role="status" safe>
        {t('news.public.count', { count: numberFormat(ctx.locale).format(total) })}
      </p>
      {rows.length === 0 ? (
        <p safe>{t('news.public.none')}</p>
      ) : (
        <ul class="news-list">
          {rows.map((a) => (
            <NewsCard ctx={ctx} article={a} />
          ))}
        </ul>
      )}
      <Pager ctx={ctx} page={page} total={total} pageSize={NEWS_PAGE_SIZE} query={{ theme }} />
      <FeedLinks ctx={ctx} />
    </Layout>
  );
}

export interface ArticlePageProps {
  ctx: ViewContext;
  article: Article;
  card: ArticleCard;
  labels: { themes: { code: string; label: string }[]; countries: string[] };
}

export function ArticlePage({ ctx, article: a, card, labels }: ArticlePageProps) {
  const { t } = ctx;
  const image = articleImageHref(a);
  // Sanitised when saved, and again here: what reaches the page is always clean.
  const safeBody = a.body_html ? sanitiseRichText(a.body_html) : '';
  const description = a.summary ?? (a.body_html ? excerptOf(htmlToText(a.body_html), 200) : undefined);
  const publishedAt = a.published_at!;
  return (
    <Layout
      ctx={ctx}
      title={a.title}
      description={description || undefined}
      share={{ image: image ?? undefined, imageAlt: a.image_alt ?? undefined, type: 'article', publishedAt }}
      feeds={newsFeeds(ctx)}
    >
      <link rel="stylesheet" href="/assets/news.css" />
      <Breadcrumb href="/actualites" label={t('news.public.back')} />
      <article class="news-article">
        <h1 safe>{a.title}</h1>
        <p class="news-meta">
          <time datetime={publishedAt} safe>
            {t('news.public.publishedOn', { date: dateText(ctx, publishedAt) })}
          </time>
          {card.organisation ? (
            <>
              {' · '}
              <MemberLabel ctx={ctx} organisation={card.organisation} />
            </>
          ) : card.author_name ? (
            <span safe>{` · ${t('news.public.by', { name: card.author_name })}`}</span>
          ) : (
            ''
          )}
        </p>
        {a.status === 'archived' ? (
          <p class="notice" safe>
            {t('news.public.archived')}
          </p>
        ) : (
          ''
        )}
        {a.summary ? (
          <p class="lead" safe>
            {a.summary}
          </p>
        ) : (
          ''
        )}
        {image ? (
          <figure class="news-image">
            <img src={image} alt={a.image_alt ?? ''} />
          </figure>
        ) : (
          ''
        )}
        {safeBody ? <div class="prose rich-text">{safeBody}</div> : ''}
        {a.source_url ? (
          <p class="news-source">
            <span safe>{t('news.public.source')}</span>{' '}
            <a href={a.source_url} rel="noopener noreferrer" safe>
              {new URL(a.source_url).hostname}
            </a>
          </p>
        ) : (
          ''
        )}
        {labels.themes.length || labels.countries.length ? (
          <dl class="news-tags">
            {labels.themes.length ? (
              <>
                <dt safe>{t('news.public.themes')}</dt>
                <dd>
                  <ul class="news-tag-list">
                    {labels.themes.map((th) => (
                      <li>
                        <a href={`/actualites?theme=${encodeURIComponent(th.code)}`} safe>
                          {th.label}
                        </a>
                      </li>
                    ))}
                  </ul>
                </dd>
              </>
            ) : (
              ''
            )}
            {labels.countries.length ? (
              <>
                <dt safe>{t('news.public.countries')}</dt>
                <dd safe>{labels.countries.join(', ')}</dd>
              </>
            ) : (
              ''
            )}
          </dl>
        ) : (
          ''
        )}
      </article>
      <ShareLinks ctx={ctx} title={a.title} />
      <FeedLinks ctx={ctx} />
    </Layout>
  );
}
