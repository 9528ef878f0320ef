import { sanitiseRichText } from '../../kernel/html.js';
import { formatDateTime, numberFormat } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { countActiveFilters, FilterDisclosure } from '../../kernel/ui/filter-disclosure.js';
import { ErrorSummary, Field, type FieldErrors, Form, Select, SubmitButton, TextArea } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { Pager } from '../../kernel/ui/pager.js';
import { TabNav, tabText } from '../../kernel/ui/tab-nav.js';
import { DataTable } from '../../kernel/ui/table.js';
import { categoryLabelKey, WATCH_CATEGORIES } from './categories.js';
import { storedErrorText } from './errors.js';
import type { PromotedRecord, PromotionTarget, WatchPromotion } from './promote.js';
import type { InboxFilter, InboxItem, ItemRow, RuleRow, SourceRow } from './repo.js';
import { INTERVALS } from './sources.js';
import { CheckboxGroup, itemDateText, type Option } from './views-shared.js';

export const ADMIN_BASE = '/admin/veille';

/** The watch's sections (its back-office pages), the current one marked: the kernel's tab bar, as the other back-office areas. */
function WatchTabs({ ctx, current }: { ctx: ViewContext; current: 'inbox' | 'sources' | 'rules' }) {
  const tabs = [
    { href: ADMIN_BASE, key: 'inbox', label: ctx.t('watch.tab.inbox') },
    { href: `${ADMIN_BASE}/sources`, key: 'sources', label: ctx.t('watch.tab.sources') },
    { href: `${ADMIN_BASE}/regles`, key: 'rules', label: ctx.t('watch.tab.rules') },
  ];
  return <TabNav ctx={ctx} kind="sections" label={ctx.t('watch.tab.label')} tabs={tabs.map(({ key, ...tab }) => ({ ...tab, current: key === current }))} />;
}

function Head(_props: { ctx: ViewContext }) {
  return <link rel="stylesheet" href="/assets/watch.css" />;
}

const categoryOptions = (ctx: ViewContext, emptyLabel: string): Option[] => [{ value: '', label: emptyLabel }, ...WATCH_CATEGORIES.map((c) => ({ value: c, label: ctx.t(`watch.category.${c}`) }))];

// ---------- Inbox ----------

export const INBOX_STATUSES = ['new', 'kept', 'ignored', 'all'] as const;

/** « Nouveaux (3) »: a status of the inbox's filter with its count (the page and the keyboard script show the same). */
export function inboxStatusText(ctx: Pick<ViewContext, 't' | 'locale'>, status: (typeof INBOX_STATUSES)[number], counts: Record<string, number>): string {
  return tabText(ctx.locale, ctx.t(`watch.status.${status}`), inboxStatusCount(status, counts));
}

function inboxStatusCount(status: (typeof INBOX_STATUSES)[number], counts: Record<string, number>): number {
  return status === 'all' ? Object.values(counts).reduce((a, b) => a + b, 0) : (counts[status] ?? 0);
}

/** « 3 éléments »: how many items the inbox's filter holds. */
export function inboxCountText(ctx: Pick<ViewContext, 't' | 'locale'>, total: number): string {
  return ctx.t('watch.inbox.count', { count: numberFormat(ctx.locale).format(total) });
}

/** The inbox's address for a status, keeping the chosen source. */
function inboxHref(status: (typeof INBOX_STATUSES)[number], sourceId: string | undefined): string {
  const query = new URLSearchParams({ statut: status });
  if (sourceId) query.set('source', sourceId);
  return `${ADMIN_BASE}?${query.toString()}`;
}

/**
 * The inbox's statuses with their counts (« Nouveaux (3) »), as links above the folded filters: on a
 * phone too, staff see how many new items wait without opening « Filtres ». watch.js updates the
 * counts after each decision.
 */
function InboxStatusTabs({ ctx, filter, counts }: { ctx: ViewContext; filter: InboxFilter; counts: Record<string, number> }) {
  const tabs = INBOX_STATUSES.map((s) => ({
    href: inboxHref(s, filter.sourceId),
    label: ctx.t(`watch.status.${s}`),
    count: inboxStatusCount(s, counts),
    current: filter.status === s,
    attrs: { 'data-inbox-status': s },
  }));
  return <TabNav ctx={ctx} label={ctx.t('watch.inbox.statusNav')} tabs={tabs} />;
}

export function InboxPage(props: { ctx: ViewContext; filter: InboxFilter; items: InboxItem[]; total: number; page: number; pageSize: number; counts: Record<string, number>; sources: SourceRow[] }) {
  const { ctx, filter, items, total, page, pageSize, counts, sources } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t(`watch.inbox.heading.${filter.status}`)} area="admin">
      <Head ctx={ctx} />
      <h1 safe>{t(`watch.inbox.heading.${filter.status}`)}</h1>
      <WatchTabs ctx={ctx} current="inbox" />
      <InboxStatusTabs ctx={ctx} filter={filter} counts={counts} />
      <FilterDisclosure ctx={ctx} active={countActiveFilters([filter.sourceId])}>
        <form method="get" action={ADMIN_BASE} class="filter-form watch-filter">
          <input type="hidden" name="statut" value={filter.status} />
          <div class="field">
            <label for="f-source" safe>
              {t('watch.inbox.source')}
            </label>
            <select id="f-source" name="source">
              <option value="" safe>
                {t('watch.inbox.allSources')}
              </option>
              {sources.map((s) => (
                <option value={s.id} selected={filter.sourceId === s.id} safe>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="button button-secondary" safe>
            {t('watch.inbox.filter')}
          </button>
        </form>
      </FilterDisclosure>
      <p class="watch-keys" id="watch-keys" hidden safe>
        {t('watch.inbox.keys')}
      </p>
      <p class="result-count" role="status" id="watch-count" safe>
        {inboxCountText(ctx, total)}
      </p>
      {items.length === 0 ? (
        <p safe>{t(filter.status === 'new' ? 'watch.inbox.emptyNew' : 'watch.inbox.empty')}</p>
      ) : (
        <ol class="watch-inbox" data-watch-inbox data-kept={t('watch.flash.kept')} data-ignored={t('watch.flash.ignored')}>
          {items.map((item) => (
            <li class={`watch-item watch-item-${item.status}`} data-item={item.id} tabindex="-1" aria-labelledby={`wi-${item.id}`}>
              <h2 class="watch-item-title" id={`wi-${item.id}`}>
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
                <span safe>{itemDateText(ctx, item)}</span>
                {' · '}
                <span class="watch-status" safe>
                  {t(`watch.status.${item.status as 'new'}`)}
                </span>
                {item.category ? <span safe>{` · ${t(categoryLabelKey(item.category))}`}</span> : ''}
              </p>
              {item.excerpt ? <p class="watch-item-excerpt" safe>{item.excerpt}</p> : ''}
              {item.note ? <p class="watch-item-note" safe>{t('watch.item.noteShown', { note: item.note })}</p> : ''}
              {/* Only the decisions that change something: a kept item can still be ignored, an ignored one kept. */}
              <div class="watch-actions">
                {item.status !== 'kept' ? (
                  <Form ctx={ctx} action={`${ADMIN_BASE}/elements/${item.id}/garder`} class="inline-form">
                    <button type="submit" class="button button-primary" data-action="keep" aria-label={t('watch.action.keepLabel', { title: item.title })} safe>
                      {t('watch.action.keep')}
                    </button>
                  </Form>
                ) : (
                  ''
                )}
                {item.status !== 'ignored' ? (
                  <Form ctx={ctx} action={`${ADMIN_BASE}/elements/${item.id}/ignorer`} class="inline-form">
                    <button type="submit" class={`button ${item.status === 'kept' ? 'button-primary' : 'button-secondary'}`} data-action="ignore" aria-label={t('watch.action.ignoreLabel', { title: item.title })} safe>
                      {t('watch.action.ignore')}
                    </button>
                  </Form>
                ) : (
                  ''
                )}
                <a href={`${ADMIN_BASE}/elements/${item.id}`} aria-label={t('watch.action.tagLabel', { title: item.title })} safe>
                  {t('watch.action.tag')}
                </a>
              </div>
            </li>
          ))}
        </ol>
      )}
      <Pager ctx={ctx} page={page} total={total} pageSize={pageSize} query={{ statut: filter.status, source: filter.sourceId }} />
      <div class="visually-hidden" aria-live="polite" id="watch-live"></div>
      <script src="/assets/watch.js" defer></script>
    </Layout>
  );
}

// ---------- One item: tags, note, promotion ----------

export interface TagValues {
  status: string;
  category: string;
  note: string;
  countries: string;
  themes: string[];
}

/** A promotion asked again for a target the item already gave something to: what it gave. */
export interface PromotionAgain {
  target: PromotionTarget;
  existing: PromotedRecord[];
}

/** « Appel à projets « Fonds jeunesse », brouillon »: a call or an article made from the item. */
function promotedText(ctx: ViewContext, record: PromotedRecord): string {
  const key = record.target === 'call' ? (record.state === 'draft' ? 'watch.promoted.callDraft' : 'watch.promoted.callPublished') : record.state === 'draft' ? 'watch.promoted.newsDraft' : record.state === 'archived' ? 'watch.promoted.newsArchived' : 'watch.promoted.newsPublished';
  return ctx.t(key, { title: record.title });
}

function PromotedList({ ctx, records }: { ctx: ViewContext; records: PromotedRecord[] }) {
  return (
    <ul class="duplicate-list">
      {records.map((r) => (
        <li>
          <a href={r.href} safe>
            {promotedText(ctx, r)}
          </a>
        </li>
      ))}
    </ul>
  );
}

/**
 * Promoting again to a target the item already gave something to: nothing is created yet; the
 * warning (focused by site.js, announced) names what exists, with links, and offers to go on.
 */
function PromotionWarning({ ctx, base, again }: { ctx: ViewContext; base: string; again: PromotionAgain }) {
  const { t } = ctx;
  const id = 'promote-again';
  return (
    <section class="flash flash-info duplicate-warning" id={id} aria-labelledby={`${id}-title`} tabindex="-1">
      <div role="alert">
        <h2 id={`${id}-title`} safe>
          {t(again.target === 'call' ? 'watch.promote.again.titleCall' : 'watch.promote.again.titleNews')}
        </h2>
        <p safe>{t('watch.promote.again.intro')}</p>
      </div>
      <PromotedList ctx={ctx} records={again.existing} />
      <p safe>{t('watch.promote.again.advice')}</p>
      <Form ctx={ctx} action={`${base}/promouvoir/${again.target}`} class="inline-form">
        <input type="hidden" name="confirmer" value="1" />
        <button type="submit" class="button button-secondary" safe>
          {t(again.target === 'call' ? 'watch.promote.again.confirmCall' : 'watch.promote.again.confirmNews')}
        </button>
      </Form>
    </section>
  );
}

export function ItemPage(props: {
  ctx: ViewContext;
  item: ItemRow & { source_name: string };
  values: TagValues;
  errors: FieldErrors;
  themes: Option[];
  promotions: WatchPromotion[];
  promoted?: PromotedRecord[];
  again?: PromotionAgain;
}) {
  const { ctx, item, values, errors, themes, promotions } = props;
  const promoted = props.promoted ?? [];
  const { t } = ctx;
  const base = `${ADMIN_BASE}/elements/${item.id}`;
  // Sanitised when read from the feed, and again here: what reaches the page is always clean.
  const safeSummary = item.summary_html ? sanitiseRichText(item.summary_html) : '';
  return (
    <Layout ctx={ctx} title={item.title} area="admin">
      <Head ctx={ctx} />
      <p class="breadcrumb">
        <a href={ADMIN_BASE} safe>
          {t('watch.inbox.title')}
        </a>
      </p>
      <h1 safe>{item.title}</h1>
      <p class="watch-item-meta">
        <span safe>{item.source_name}</span>
        {' · '}
        <span safe>{itemDateText(ctx, item)}</span>
        {item.link ? (
          <>
            {' · '}
            <a href={item.link} rel="noopener noreferrer" safe>
              {t('watch.item.open')}
            </a>
          </>
        ) : (
          ''
        )}
      </p>
      {props.again ? <PromotionWarning ctx={ctx} base={base} again={props.again} /> : ''}
      {safeSummary ? <div class="watch-item-body">{safeSummary}</div> : item.excerpt ? <p safe>{item.excerpt}</p> : ''}
      {promoted.length ? (
        <section aria-labelledby="promoted-title">
          <h2 id="promoted-title" safe>
            {t('watch.promoted.title')}
          </h2>
          <PromotedList ctx={ctx} records={promoted} />
        </section>
      ) : (
        ''
      )}
      <section aria-labelledby="tag-title">
        <h2 id="tag-title" safe>
          {t('watch.item.tagTitle')}
        </h2>
        <ErrorSummary ctx={ctx} errors={errors} />
        <Form ctx={ctx} action={base}>
          <Select
            name="status"
            label={t('watch.item.status')}
            options={(['new', 'kept', 'ignored'] as const).map((s) => ({ value: s, label: t(`watch.status.${s}`) }))}
            value={values.status}
            error={errors['status']}
          />
          <Select name="category" label={t('watch.item.category')} options={categoryOptions(ctx, t('watch.category.none'))} value={values.category} error={errors['category']} />
          <CheckboxGroup name="themes" legend={t('watch.item.themes')} options={themes} checked={values.themes} error={errors['themes']} />
          <Field name="countries" label={t('watch.item.countries')} hint={t('watch.item.countriesHint')} value={values.countries} error={errors['countries']} />
          <TextArea name="note" label={t('watch.item.note')} hint={t('watch.item.noteHint')} value={values.note} error={errors['note']} rows={3} />
          <SubmitButton label={t('watch.item.save')} />
        </Form>
      </section>
      {promotions.length ? (
        <section aria-labelledby="promote-title">
          <h2 id="promote-title" safe>
            {t('watch.promote.title')}
          </h2>
          <div class="actions watch-promote">
            {promotions.map((p) => (
              <Form ctx={ctx} action={`${base}/promouvoir/${p.target}`} class="inline-form">
                <button type="submit" class="button button-secondary" safe>
                  {t(p.label)}
                </button>
              </Form>
            ))}
          </div>
        </section>
      ) : (
        ''
      )}
    </Layout>
  );
}

// ---------- Sources ----------

export interface SourceValues {
  url?: string;
  name?: string;
  category?: string;
  interval?: string;
  active?: string;
  themes?: string[];
}

function SourceFields({ ctx, values, errors, themes, editing }: { ctx: ViewContext; values: SourceValues; errors: FieldErrors; themes: Option[]; editing: boolean }) {
  const { t } = ctx;
  return (
    <>
      <Field name="url" type="url" label={t('watch.source.url')} hint={t('watch.source.urlHint')} value={values.url} error={errors['url']} required />
      <Field name="name" label={t('watch.source.name')} hint={t('watch.source.nameHint')} value={values.name} error={errors['name']} />
      <Select name="category" label={t('watch.source.category')} options={categoryOptions(ctx, t('watch.category.none'))} value={values.category} error={errors['category']} />
      <Select
        name="interval"
        label={t('watch.source.interval')}
        options={INTERVALS.map((m) => ({ value: String(m), label: m < 60 ? t('watch.interval.minutes', { n: m }) : t('watch.interval.hours', { n: m / 60 }) }))}
        value={values.interval ?? '60'}
        error={errors['interval']}
      />
      <CheckboxGroup name="themes" legend={t('watch.source.themes')} options={themes} checked={values.themes ?? []} />
      {editing ? (
        <div class="field">
          <label class="checkbox">
            <input type="checkbox" name="active" value="1" checked={values.active === '1'} />
            <span safe>{t('watch.source.active')}</span>
          </label>
        </div>
      ) : (
        ''
      )}
    </>
  );
}

export function SourcesPage(props: { ctx: ViewContext; sources: SourceRow[]; values: SourceValues; errors: FieldErrors; themes: Option[]; opmlValue?: string; opmlError?: string }) {
  const { ctx, sources, values, errors, themes } = props;
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('watch.sources.title')} area="admin">
      <Head ctx={ctx} />
      <h1 safe>{t('watch.sources.title')}</h1>
      <WatchTabs ctx={ctx} current="sources" />
      {sources.length === 0 ? (
        <p safe>{t('watch.sources.none')}</p>
      ) : (
        // A card per source on a phone; on a desktop the headers wrap so that the table fits (it scrolled at 1280 px).
        <DataTable
          caption={t('watch.sources.caption')}
          columns={[t('watch.col.name'), t('watch.col.category'), t('watch.col.lastSuccess'), t('watch.col.lastError'), t('watch.col.items'), t('watch.col.actions')]}
          class="table-stack watch-sources"
        >
          {sources.map((s) => {
            const error = storedErrorText(s.last_error, t);
            return (
              <tr>
                <td>
                  <a href={`${ADMIN_BASE}/sources/${s.id}`} safe>
                    {s.name}
                  </a>
                  <br />
                  <span class="break-all hint" safe>
                    {s.url}
                  </span>
                  {s.active ? '' : <span class="hint" safe>{` (${t('watch.source.inactive')})`}</span>}
                </td>
                <td data-label={t('watch.col.category')} safe>
                  {s.category ? t(categoryLabelKey(s.category)) : t('watch.category.none')}
                </td>
                <td data-label={t('watch.col.lastSuccess')} safe>
                  {s.last_success_at ? formatDateTime(s.last_success_at, locale) : t('watch.never')}
                </td>
                <td data-label={t('watch.col.lastError')}>
                  {error ? (
                    <span class="feed-error">
                      <span safe>{error}</span>
                      {s.last_fetched_at ? <span safe>{` (${formatDateTime(s.last_fetched_at, locale)})`}</span> : ''}
                    </span>
                  ) : (
                    <span safe>{t('watch.noError')}</span>
                  )}
                </td>
                <td data-label={t('watch.col.items')} safe>
                  {String(s.item_count)}
                </td>
                <td class="watch-source-actions">
                  <Form ctx={ctx} action={`${ADMIN_BASE}/sources/${s.id}/actualiser`} class="inline-form">
                    <button type="submit" class="button button-secondary" aria-label={t('watch.source.refreshLabel', { name: s.name })} safe>
                      {t('watch.source.refresh')}
                    </button>
                  </Form>
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
      <section aria-labelledby="source-form-title">
        <h2 id="source-form-title" safe>
          {t('watch.sources.add')}
        </h2>
        <ErrorSummary ctx={ctx} errors={errors} />
        <Form ctx={ctx} action={`${ADMIN_BASE}/sources`}>
          <SourceFields ctx={ctx} values={values} errors={errors} themes={themes} editing={false} />
          <SubmitButton label={t('watch.sources.addSubmit')} />
        </Form>
      </section>
      <section aria-labelledby="opml-title">
        <h2 id="opml-title" safe>
          {t('watch.opml.title')}
        </h2>
        {props.sources.length ? (
          <p>
            <a href={`${ADMIN_BASE}/sources/opml`} download="veille.opml" safe>
              {t('watch.opml.export')}
            </a>
          </p>
        ) : (
          <p safe>{t('watch.opml.nothing')}</p>
        )}
        <ErrorSummary ctx={ctx} errors={props.opmlError ? { opml: props.opmlError } : {}} />
        <Form ctx={ctx} action={`${ADMIN_BASE}/sources/opml`}>
          <TextArea name="opml" label={t('watch.opml.paste')} hint={t('watch.opml.hint')} value={props.opmlValue} error={props.opmlError} rows={6} />
          <SubmitButton label={t('watch.opml.import')} variant="secondary" />
        </Form>
      </section>
    </Layout>
  );
}

export function SourcePage(props: { ctx: ViewContext; source: SourceRow; values: SourceValues; errors: FieldErrors; themes: Option[] }) {
  const { ctx, source, values, errors, themes } = props;
  const { t, locale } = ctx;
  const error = storedErrorText(source.last_error, t);
  return (
    <Layout ctx={ctx} title={source.name} area="admin">
      <p class="breadcrumb">
        <a href={`${ADMIN_BASE}/sources`} safe>
          {t('watch.sources.title')}
        </a>
      </p>
      <h1 safe>{source.name}</h1>
      <dl class="watch-health">
        <dt safe>{t('watch.col.lastSuccess')}</dt>
        <dd safe>{source.last_success_at ? formatDateTime(source.last_success_at, locale) : t('watch.never')}</dd>
        <dt safe>{t('watch.col.lastError')}</dt>
        <dd safe>{error ?? t('watch.noError')}</dd>
        <dt safe>{t('watch.col.items')}</dt>
        <dd safe>{String(source.item_count)}</dd>
        <dt safe>{t('watch.source.next')}</dt>
        <dd safe>{source.next_fetch_at ? formatDateTime(source.next_fetch_at, locale) : t('watch.source.asap')}</dd>
      </dl>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Form ctx={ctx} action={`${ADMIN_BASE}/sources/${source.id}`}>
        <SourceFields ctx={ctx} values={values} errors={errors} themes={themes} editing={true} />
        <SubmitButton label={t('watch.source.save')} />
      </Form>
      <Form ctx={ctx} action={`${ADMIN_BASE}/sources/${source.id}/supprimer`} class="inline-form">
        <button type="submit" class="button button-danger" safe>
          {t('watch.source.remove')}
        </button>
      </Form>
    </Layout>
  );
}

// ---------- Keyword rules ----------

export interface RuleValues {
  keyword?: string;
  theme?: string;
  country?: string;
  category?: string;
  auto_keep?: string;
}

export function RulesPage(props: { ctx: ViewContext; rules: RuleRow[]; values: RuleValues; errors: FieldErrors; themes: Option[]; countries: Option[] }) {
  const { ctx, rules, values, errors, themes, countries } = props;
  const { t } = ctx;
  const themeLabel = new Map(themes.map((o) => [o.value, o.label]));
  const countryLabel = new Map(countries.map((o) => [o.value, o.label]));
  return (
    <Layout ctx={ctx} title={t('watch.rules.title')} area="admin">
      <h1 safe>{t('watch.rules.title')}</h1>
      <WatchTabs ctx={ctx} current="rules" />
      <p safe>{t('watch.rules.intro')}</p>
      {rules.length === 0 ? (
        <p safe>{t('watch.rules.none')}</p>
      ) : (
        // A card per rule on a phone: the keyword heads it, the effect names its column.
        <DataTable caption={t('watch.rules.caption')} columns={[t('watch.rules.keyword'), t('watch.rules.effect'), t('watch.col.actions')]} class="table-stack">
          {rules.map((r) => (
            <tr>
              <td safe>{r.keyword}</td>
              <td data-label={t('watch.rules.effect')} safe>
                {[
                  r.theme_code ? t('watch.rules.effectTheme', { theme: themeLabel.get(r.theme_code) ?? r.theme_code }) : '',
                  r.country_code ? t('watch.rules.effectCountry', { country: countryLabel.get(r.country_code) ?? r.country_code }) : '',
                  r.category ? t('watch.rules.effectCategory', { category: t(categoryLabelKey(r.category)) }) : '',
                  r.auto_keep ? t('watch.rules.effectKeep') : '',
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </td>
              <td>
                <Form ctx={ctx} action={`${ADMIN_BASE}/regles/${r.id}/supprimer`} class="inline-form">
                  <button type="submit" class="button button-danger" aria-label={t('watch.rules.removeLabel', { keyword: r.keyword })} safe>
                    {t('watch.rules.remove')}
                  </button>
                </Form>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <section aria-labelledby="rule-form-title">
        <h2 id="rule-form-title" safe>
          {t('watch.rules.add')}
        </h2>
        <ErrorSummary ctx={ctx} errors={errors} />
        <Form ctx={ctx} action={`${ADMIN_BASE}/regles`}>
          <Field name="keyword" label={t('watch.rules.keyword')} hint={t('watch.rules.keywordHint')} value={values.keyword} error={errors['keyword']} required />
          <Select name="theme" label={t('watch.rules.theme')} options={[{ value: '', label: t('watch.rules.noTheme') }, ...themes]} value={values.theme} error={errors['theme']} />
          <Select name="country" label={t('watch.rules.country')} options={[{ value: '', label: t('watch.rules.noCountry') }, ...countries]} value={values.country} error={errors['country']} />
          <Select name="category" label={t('watch.rules.category')} options={categoryOptions(ctx, t('watch.category.none'))} value={values.category} error={errors['category']} />
          <div class="field">
            <label class="checkbox">
              <input type="checkbox" name="auto_keep" value="1" checked={values.auto_keep === '1'} />
              <span safe>{t('watch.rules.autoKeep')}</span>
            </label>
          </div>
          <SubmitButton label={t('watch.rules.submit')} />
        </Form>
      </section>
    </Layout>
  );
}
