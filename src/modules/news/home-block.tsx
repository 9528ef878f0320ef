import type { HomeBlock } from '../../kernel/module.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { listPublic } from './repo.js';
import type { ArticleCard } from './types.js';
import { newsVersion } from './version.js';
import { NewsCard } from './views-parts.js';

const HOME_ARTICLES = 3;

function LatestNews({ ctx, articles }: { ctx: ViewContext; articles: ArticleCard[] }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="news-home-title" class="section">
      <link rel="stylesheet" href="/assets/news.css" />
      <h2 id="news-home-title" safe>
        {t('news.home.title')}
      </h2>
      <ul class="news-list news-list-home">
        {articles.map((a) => (
          <NewsCard ctx={ctx} article={a} level={3} />
        ))}
      </ul>
      <p>
        <a class="button button-secondary" href="/actualites" safe>
          {t('news.home.all')}
        </a>
      </p>
    </section>
  );
}

/** The three latest articles on the home page; hidden when there is none. */
export const latestNewsHomeBlock: HomeBlock = {
  order: 30,
  version: (kernel) => newsVersion(kernel),
  async render(kernel, ctx) {
    const { rows } = await listPublic(kernel.db, { now: kernel.clock.now().toISOString() }, 0, HOME_ARTICLES);
    return rows.length ? LatestNews({ ctx, articles: rows }) : '';
  },
};
