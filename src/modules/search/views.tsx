import { dateTimeFormat, type Locale, numberFormat } from '../../kernel/i18n/index.js';
import type { SearchHit } from '../../kernel/module.js';
import { formatDay } from '../../kernel/time/date-only.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { Layout } from '../../kernel/ui/layout.js';
import { Pager } from '../../kernel/ui/pager.js';
import { TabNav } from '../../kernel/ui/tab-nav.js';
import { SECTION_PAGE_SIZE, type SectionResult } from './run-search.js';

interface SearchPageProps {
  ctx: ViewContext;
  query: string;
  section: string | null;
  page: number;
  results: SectionResult[];
  truncated: boolean;
}

/** A day (`YYYY-MM-DD`) as it is; an instant in Europe/Paris. */
function dateText(locale: Locale, value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDay(value, locale) : dateTimeFormat(locale, { dateStyle: 'long' }).format(new Date(value));
}

function sectionHref(query: string, key: string | null): string {
  const params = new URLSearchParams({ q: query });
  if (key) params.set('rubrique', key);
  return `/recherche?${params.toString()}`;
}

function Hit({ ctx, hit }: { ctx: ViewContext; hit: SearchHit }) {
  const external = /^https?:\/\//.test(hit.url);
  return (
    <li class="search-hit">
      <h3>
        <a href={hit.url} rel={external ? 'noopener noreferrer' : undefined} safe>
          {hit.title}
        </a>
      </h3>
      {hit.date || hit.detail ? (
        <p class="search-hit-meta">
          {hit.date ? (
            <time datetime={hit.date} safe>
              {dateText(ctx.locale, hit.date)}
            </time>
          ) : (
            ''
          )}
          {hit.date && hit.detail ? ' · ' : ''}
          {hit.detail ? <span safe>{hit.detail}</span> : ''}
        </p>
      ) : (
        ''
      )}
      {hit.excerpt ? <p safe>{hit.excerpt}</p> : ''}
    </li>
  );
}

function SectionNav({ ctx, query, section, results, total }: { ctx: ViewContext; query: string; section: string | null; results: SectionResult[]; total: number }) {
  const { t } = ctx;
  const tabs = [
    { href: sectionHref(query, null), label: t('search.allSections'), count: total, current: section === null },
    ...results.map((r) => ({ href: sectionHref(query, r.section.key), label: t(r.section.label), count: r.total, current: section === r.section.key })),
  ];
  return <TabNav ctx={ctx} label={t('search.sections')} tabs={tabs} />;
}

function Overview({ ctx, query, results }: { ctx: ViewContext; query: string; results: SectionResult[] }) {
  const { t } = ctx;
  return (
    <>
      {results
        .filter((r) => r.total > 0)
        .map((r) => (
          <section class="search-section" aria-labelledby={`rubrique-${r.section.key}`}>
            <h2 id={`rubrique-${r.section.key}`} safe>
              {t('search.sectionCount', { section: t(r.section.label), count: numberFormat(ctx.locale).format(r.total) })}
            </h2>
            <ul class="search-hits">
              {r.hits.map((hit) => (
                <Hit ctx={ctx} hit={hit} />
              ))}
            </ul>
            {r.total > r.hits.length ? (
              <p>
                <a href={sectionHref(query, r.section.key)} safe>
                  {t('search.seeAll', { count: numberFormat(ctx.locale).format(r.total), section: t(r.section.label) })}
                </a>
              </p>
            ) : (
              ''
            )}
          </section>
        ))}
    </>
  );
}

export function SearchPage({ ctx, query, section, page, results, truncated }: SearchPageProps) {
  const { t } = ctx;
  const total = results.reduce((sum, r) => sum + r.total, 0);
  const chosen = results.find((r) => r.section.key === section);
  return (
    <Layout ctx={ctx} title={query ? t('search.resultsFor', { query }) : t('search.title')} description={t('search.lead')}>
      <h1 safe>{t('search.title')}</h1>
      <p class="lead" safe>
        {t('search.lead')}
      </p>
      <form method="get" action="/recherche" role="search" aria-label={t('search.title')} class="search-form">
        <div class="field">
          <label for="recherche-q" safe>
            {t('search.field')}
          </label>
          <p class="hint" id="recherche-q-hint" safe>
            {t('search.hint')}
          </p>
          <div class="search-row">
            <input type="search" id="recherche-q" name="q" value={query} aria-describedby="recherche-q-hint" maxlength="200" />
            {section ? <input type="hidden" name="rubrique" value={section} /> : ''}
            <button type="submit" class="button button-primary" safe>
              {t('search.submit')}
            </button>
          </div>
        </div>
      </form>
      {truncated ? (
        <p class="flash flash-info" role="status" safe>
          {t('search.tooLong')}
        </p>
      ) : (
        ''
      )}
      {!query ? (
        <p safe>{t('search.empty')}</p>
      ) : (
        <>
          <h2 class="visually-hidden" safe>
            {t('search.resultsFor', { query })}
          </h2>
          <p role="status" safe>
            {t('search.count', { count: numberFormat(ctx.locale).format(chosen ? chosen.total : total) })}
          </p>
          <SectionNav ctx={ctx} query={query} section={section} results={results} total={total} />
          {total === 0 ? (
            <p safe>{t('search.none', { query })}</p>
          ) : chosen ? (
            <section class="search-section" aria-labelledby="rubrique-choisie">
              <h2 id="rubrique-choisie" safe>
                {t(chosen.section.label)}
              </h2>
              <ul class="search-hits">
                {chosen.hits.map((hit) => (
                  <Hit ctx={ctx} hit={hit} />
                ))}
              </ul>
              <Pager ctx={ctx} page={page} total={chosen.total} query={{ q: query, rubrique: chosen.section.key }} pageSize={SECTION_PAGE_SIZE} />
            </section>
          ) : (
            <Overview ctx={ctx} query={query} results={results} />
          )}
        </>
      )}
    </Layout>
  );
}
