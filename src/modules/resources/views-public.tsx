import { numberFormat } from '../../kernel/i18n/index.js';
import { countryName } from '../../kernel/geo/countries.js';
import { excerptOf } from '../../kernel/html.js';
import { Breadcrumb } from '../../kernel/ui/breadcrumb.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { countActiveFilters, FilterDisclosure } from '../../kernel/ui/filter-disclosure.js';
import { Layout } from '../../kernel/ui/layout.js';
import { Pager } from '../../kernel/ui/pager.js';
import { ShareLinks } from '../../kernel/ui/share.js';
import { kindLabelKey, languageLabelKey, RESOURCE_KINDS } from './kinds.js';
import type { PublicListing, ResourceCard } from './listing.js';
import type { PublicValues } from './query.js';
import { dateText, fileText, type Option, Paragraphs } from './views-shared.js';

export const PUBLIC_PAGE_SIZE = 20;

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

/** "Étude · 2024 · Eau Vive Gironde · PDF, 1,2 Mo" */
function metaLine(ctx: ViewContext, card: ResourceCard): string {
  const { t } = ctx;
  const r = card.resource;
  return [t(kindLabelKey(r.kind)), r.year ? String(r.year) : '', card.organisation?.name ?? '', card.file ? fileText(t, ctx.locale, card.file) : r.external_url ? t('resources.public.externalLink') : '']
    .filter(Boolean)
    .join(' · ');
}

function Entry({ ctx, card }: { ctx: ViewContext; card: ResourceCard }) {
  const r = card.resource;
  return (
    <li class="search-hit">
      <h2>
        <a href={`/ressources/${encodeURIComponent(r.slug)}`} safe>
          {r.title}
        </a>
      </h2>
      <p class="search-hit-meta" safe>
        {metaLine(ctx, card)}
      </p>
      {r.summary ? <p safe>{excerptOf(r.summary, 280)}</p> : ''}
    </li>
  );
}

export function ResourceListPage(props: {
  ctx: ViewContext;
  values: PublicValues;
  listing: PublicListing;
  page: number;
  themes: Option[];
  countries: Option[];
  query: string;
}) {
  const { ctx, values, listing, page, query } = props;
  const { t } = ctx;
  const suffix = query ? `?${query}` : '';
  const feeds = [
    { title: t('resources.feed.rss'), href: `/ressources/flux.rss${suffix}`, type: 'rss' as const },
    { title: t('resources.feed.atom'), href: `/ressources/flux.atom${suffix}`, type: 'atom' as const },
  ];
  return (
    <Layout ctx={ctx} title={t('resources.public.title')} description={t('resources.public.lead')} feeds={feeds}>
      <h1 safe>{t('resources.public.title')}</h1>
      <p class="lead" safe>
        {t('resources.public.lead')}
      </p>
      <FilterDisclosure ctx={ctx} active={countActiveFilters([values.q, values.kind, values.theme, values.country, values.year, values.organisation])}>
        <form method="get" action="/ressources" class="filter-bar" role="search" aria-label={t('resources.public.filters')}>
          <div class="field">
            <label for="f-q" safe>
              {t('resources.public.q')}
            </label>
            <p class="hint" id="f-q-hint" safe>
              {t('resources.public.qHint')}
            </p>
            <input id="f-q" type="search" name="q" value={values.q} aria-describedby="f-q-hint" />
          </div>
          <FilterSelect
            id="f-kind"
            name="kind"
            label={t('resources.field.kind')}
            options={RESOURCE_KINDS.map((k) => ({ value: k, label: t(kindLabelKey(k)) }))}
            value={values.kind}
            all={t('resources.public.allKinds')}
          />
          <FilterSelect id="f-theme" name="theme" label={t('resources.field.themes')} options={props.themes} value={values.theme} all={t('resources.public.allThemes')} />
          <FilterSelect id="f-country" name="country" label={t('resources.public.country')} options={props.countries} value={values.country} all={t('resources.public.allCountries')} />
          <FilterSelect
            id="f-year"
            name="year"
            label={t('resources.field.year')}
            options={listing.years.map((y) => ({ value: String(y), label: String(y) }))}
            value={values.year}
            all={t('resources.public.allYears')}
          />
          <FilterSelect
            id="f-organisation"
            name="organisation"
            label={t('resources.field.organisation')}
            options={listing.organisations.map((o) => ({ value: o.slug, label: o.name }))}
            value={values.organisation}
            all={t('resources.public.allOrganisations')}
          />
          <button type="submit" class="button button-primary" safe>
            {t('resources.public.apply')}
          </button>
        </form>
      </FilterDisclosure>
      <p class="result-count" role="status" safe>
        {t('resources.public.count', { count: numberFormat(ctx.locale).format(listing.total) })}
      </p>
      {listing.cards.length === 0 ? (
        <p safe>{t(query ? 'resources.public.noneFiltered' : 'resources.public.none')}</p>
      ) : (
        <ol class="search-hits">
          {listing.cards.map((card) => (
            <Entry ctx={ctx} card={card} />
          ))}
        </ol>
      )}
      {query ? (
        <p>
          <a href="/ressources" safe>
            {t('resources.public.reset')}
          </a>
        </p>
      ) : (
        ''
      )}
      <Pager ctx={ctx} page={page} total={listing.total} pageSize={PUBLIC_PAGE_SIZE} query={query} />
      <p>
        {feeds.map((f, i) => (
          <>
            {i ? ' · ' : ''}
            <a href={f.href} type={f.type === 'rss' ? 'application/rss+xml' : 'application/atom+xml'} safe>
              {f.title}
            </a>
          </>
        ))}
      </p>
    </Layout>
  );
}

export function ResourcePage({ ctx, card, themes }: { ctx: ViewContext; card: ResourceCard; themes: Option[] }) {
  const { t } = ctx;
  const r = card.resource;
  const themeLabels = r.themes.map((code) => themes.find((x) => x.value === code)?.label ?? code);
  const facts: Array<{ term: string; text: string; href?: string }> = [{ term: t('resources.field.kind'), text: t(kindLabelKey(r.kind)) }];
  if (r.authors) facts.push({ term: t('resources.field.authors'), text: r.authors });
  if (card.organisation) facts.push({ term: t('resources.field.organisation'), text: card.organisation.name, href: `/acteurs/${encodeURIComponent(card.organisation.slug)}` });
  if (r.year) facts.push({ term: t('resources.field.year'), text: String(r.year) });
  if (r.language) facts.push({ term: t('resources.field.language'), text: t(languageLabelKey(r.language)) });
  if (themeLabels.length) facts.push({ term: t('resources.field.themes'), text: themeLabels.join(', ') });
  if (r.countries.length) facts.push({ term: t('resources.field.countries'), text: r.countries.map((c) => countryName(c, ctx.locale)).join(', ') });
  if (r.published_at) facts.push({ term: t('resources.public.publishedOn'), text: dateText(ctx.locale, r.published_at) });
  return (
    <Layout ctx={ctx} title={r.title} description={excerptOf(r.summary, 200)} share={{ type: 'article', publishedAt: r.published_at ?? undefined }}>
      <Breadcrumb href="/ressources" label={t('resources.public.back')} />
      <h1 safe>{r.title}</h1>
      <div class="prose">
        <Paragraphs text={r.summary} />
      </div>
      <section class="panel" aria-labelledby="download-title">
        <h2 id="download-title" safe>
          {t('resources.public.document')}
        </h2>
        {card.file ? (
          <p>
            <a class="button button-primary" href={`/ressources/${encodeURIComponent(r.slug)}/fichier`} download="">
              <span safe>{t('resources.public.download')}</span>
              <span safe>{` (${fileText(t, ctx.locale, card.file)})`}</span>
            </a>
          </p>
        ) : r.external_url ? (
          <p>
            <a class="button button-primary" href={`/ressources/${encodeURIComponent(r.slug)}/fichier`} rel="noopener noreferrer">
              <span safe>{t('resources.public.openLink')}</span>
              <span safe>{` (${new URL(r.external_url).host})`}</span>
            </a>
          </p>
        ) : (
          <p safe>{t('resources.public.noFile')}</p>
        )}
        {
          // Shown once someone has used it: « Téléchargé 0 fois » tells a visitor nothing but « nobody »
          // (staff read every count in the back office).
          r.download_count > 0 ? (
            <p class="muted" safe>
              {t(card.file ? 'resources.public.downloads' : 'resources.public.visits', { count: r.download_count })}
            </p>
          ) : (
            ''
          )
        }
      </section>
      <h2 safe>{t('resources.public.details')}</h2>
      <dl class="facts">
        {facts.map((fact) => (
          <>
            <dt safe>{fact.term}</dt>
            <dd>
              {fact.href ? (
                <a href={fact.href} safe>
                  {fact.text}
                </a>
              ) : (
                <span safe>{fact.text}</span>
              )}
            </dd>
          </>
        ))}
      </dl>
      <ShareLinks ctx={ctx} title={r.title} />
    </Layout>
  );
}
