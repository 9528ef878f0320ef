import { sanitiseRichText } from '../../kernel/html.js';
import { numberFormat } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { countActiveFilters, FilterDisclosure } from '../../kernel/ui/filter-disclosure.js';
import { Layout } from '../../kernel/ui/layout.js';
import { Pager } from '../../kernel/ui/pager.js';
import { categoryLabelKey, WATCH_CATEGORIES } from './categories.js';
import type { ArchiveItem } from './repo.js';
import { itemDateText, type Option } from './views-shared.js';

export interface ArchiveValues {
  q: string;
  theme: string;
  country: string;
  category: string;
  source: string;
}

function FilterSelect({ id, name, label, options, value, all }: { id: string; name: string; label: string; options: Option[]; value: string; all: string }) {
  return (
    <div class="field">
      <label for={id} safe>
        {label}
      </label>
      <select id={id} name={name}>
        <option value="" safe>
          {all}
        </option>
        {options.map((o) => (
          <option value={o.value} selected={o.value === value} safe>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function Entry({ ctx, item }: { ctx: ViewContext; item: ArchiveItem }) {
  const { t } = ctx;
  const safeSummary = item.summary_html ? sanitiseRichText(item.summary_html) : '';
  return (
    <li class="watch-entry" id={`v-${item.id}`}>
      <h2 class="watch-item-title">
        {item.link ? (
          <a href={item.link} rel="noopener noreferrer" safe>
            {item.title}
          </a>
        ) : (
          <span safe>{item.title}</span>
        )}
      </h2>
      <p class="watch-item-meta">
        <span safe>{item.source_name}</span>
        {' · '}
        <time datetime={item.published_at} safe>
          {itemDateText(ctx, item)}
        </time>
        {item.category ? <span safe>{` · ${t(categoryLabelKey(item.category))}`}</span> : ''}
      </p>
      {item.excerpt ? <p class="watch-item-excerpt" safe>{item.excerpt}</p> : safeSummary ? <div class="watch-item-body">{safeSummary}</div> : ''}
      {item.note ? <p class="watch-item-note" safe>{t('watch.public.note', { note: item.note })}</p> : ''}
    </li>
  );
}

/** 1,234 → 1,000; 240 → 200: what « plus de … » can say of a lower bound. */
function roundDown(n: number): number {
  if (n < 10) return n;
  const unit = 10 ** Math.floor(Math.log10(n));
  return Math.floor(n / unit) * unit;
}

export function ArchivePage(props: {
  ctx: ViewContext;
  values: ArchiveValues;
  items: ArchiveItem[];
  total: number;
  /** `total` is only a lower bound: the count stopped there. */
  capped: boolean;
  /** Whether there are matches after this page. */
  more: boolean;
  page: number;
  pageSize: number;
  themes: Option[];
  countries: Option[];
  sources: Option[];
  feedQuery: string;
}) {
  const { ctx, values, items, total, capped, more, page, pageSize, themes, countries, sources, feedQuery } = props;
  // With a count that stopped, the pager still reaches the next page when there is one.
  const pagerTotal = capped ? Math.max(more ? total : 0, (page - 1) * pageSize + items.length + (more ? 1 : 0)) : total;
  const { t } = ctx;
  const suffix = feedQuery ? `?${feedQuery}` : '';
  const active = countActiveFilters([values.q, values.theme, values.country, values.category, values.source]);
  const empty = total === 0 && active === 0 && page === 1;
  return (
    <Layout ctx={ctx} title={t('watch.public.title')} description={t('watch.public.lead')}>
      <link rel="stylesheet" href="/assets/watch.css" />
      <h1 safe>{t('watch.public.title')}</h1>
      <p class="lead" safe>
        {t('watch.public.lead')}
      </p>
      {empty ? (
        // Nothing published yet and nothing asked for: one sentence, no count, no filters to reset.
        <p safe>
          {t('watch.public.empty')}
        </p>
      ) : (
        <>
          <FilterDisclosure ctx={ctx} active={active}>
            <form method="get" action="/veille" class="filter-form watch-filter" role="search" aria-label={t('watch.public.filters')}>
              <div class="field">
                <label for="f-q" safe>
                  {t('watch.public.q')}
                </label>
                <input id="f-q" type="search" name="q" value={values.q} />
              </div>
              <FilterSelect id="f-theme" name="theme" label={t('watch.public.theme')} options={themes} value={values.theme} all={t('watch.public.all')} />
              <FilterSelect id="f-country" name="country" label={t('watch.public.country')} options={countries} value={values.country} all={t('watch.public.allCountries')} />
              <FilterSelect
                id="f-category"
                name="category"
                label={t('watch.public.category')}
                options={WATCH_CATEGORIES.map((c) => ({ value: c, label: t(`watch.category.${c}`) }))}
                value={values.category}
                all={t('watch.public.all')}
              />
              <FilterSelect id="f-source" name="source" label={t('watch.public.source')} options={sources} value={values.source} all={t('watch.public.all')} />
              <button type="submit" class="button button-primary" safe>
                {t('watch.public.apply')}
              </button>
              {active ? (
                <a href="/veille" safe>
                  {t('watch.public.reset')}
                </a>
              ) : (
                ''
              )}
            </form>
          </FilterDisclosure>
          <p class="result-count" role="status" safe>
            {capped ? t('watch.public.countMore', { count: numberFormat(ctx.locale).format(roundDown(total - 1)) }) : t('watch.public.count', { count: total })}
          </p>
          {items.length === 0 ? (
            <p safe>{t('watch.public.none')}</p>
          ) : (
            <ol class="watch-list">
              {items.map((item) => (
                <Entry ctx={ctx} item={item} />
              ))}
            </ol>
          )}
        </>
      )}
      <Pager ctx={ctx} page={page} total={pagerTotal} pageSize={pageSize} query={feedQuery} />
      <p class="watch-feeds">
        <a href={`/veille/flux.rss${suffix}`} safe>
          {t('watch.public.rss')}
        </a>
        {' · '}
        <a href={`/veille/flux.atom${suffix}`} safe>
          {t('watch.public.atom')}
        </a>
      </p>
    </Layout>
  );
}
