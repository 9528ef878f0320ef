import { dateTimeFormat } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { type ArticleCard, articleHref, articleImageHref } from './types.js';

/** Europe/Paris date of an instant, in the page's language. */
export function dateText(ctx: ViewContext, iso: string): string {
  return dateTimeFormat(ctx.locale, { dateStyle: 'long' }).format(new Date(iso));
}

/** "Actualité d'un membre" and the organisation (linked when its page is public). */
export function MemberLabel({ ctx, organisation }: { ctx: ViewContext; organisation: NonNullable<ArticleCard['organisation']> }) {
  return (
    <span class="news-member">
      <span class="news-member-label" safe>
        {ctx.t('news.memberNews')}
      </span>{' '}
      {organisation.public ? (
        <a href={`/acteurs/${encodeURIComponent(organisation.slug)}`} safe>
          {organisation.name}
        </a>
      ) : (
        <span safe>{organisation.name}</span>
      )}
    </span>
  );
}

/** One article in a list: image, title, date, member label, chapeau. `level` is the title's heading level. */
export function NewsCard({ ctx, article: a, level = 2 }: { ctx: ViewContext; article: ArticleCard; level?: 2 | 3 }) {
  const image = articleImageHref(a);
  const title = (
    <a href={articleHref(a.slug)} safe>
      {a.title}
    </a>
  );
  return (
    <li class={a.organisation ? 'news-card news-card-member' : 'news-card'}>
      {image ? <img class="news-card-image" src={image} alt={a.image_alt ?? ''} loading="lazy" width="320" height="180" /> : ''}
      <div class="news-card-text">
        {level === 2 ? <h2 class="news-card-title">{title}</h2> : <h3 class="news-card-title">{title}</h3>}
        <p class="news-meta">
          <time datetime={a.published_at} safe>
            {dateText(ctx, a.published_at)}
          </time>
          {a.organisation ? (
            <>
              {' · '}
              <MemberLabel ctx={ctx} organisation={a.organisation} />
            </>
          ) : (
            ''
          )}
        </p>
        {a.summary ? <p safe>{a.summary}</p> : ''}
      </div>
    </li>
  );
}
