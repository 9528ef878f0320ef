import { countryName } from '../../kernel/geo/countries.js';
import { htmlToText } from '../../kernel/html.js';
import { localLabel, formatDateTime, type MessageKey } from '../../kernel/i18n/index.js';
import { type EntityValues, type ModeratedEntity, ProposalInvalidError, registerModeratedEntity } from '../moderation/index.js';
import { NewsFormFields } from './form.js';
import { findNewsImageFile } from './image.js';
import { organisationNames } from './organisation.js';
import * as repo from './repo.js';
import { checkNews, createArticle, updateArticle } from './service.js';
import { articleHref, isReadable } from './types.js';
import { articleValues, draftValues, list, type NewsDraft, text } from './validate.js';

export const NEWS_ENTITY = 'news';

export const NEWS_FIELD_LABELS: Record<string, MessageKey> = {
  title: 'news.field.title',
  summary: 'news.field.summary',
  body: 'news.field.body',
  organisation: 'news.field.organisation',
  themes: 'news.field.themes',
  countries: 'news.field.countries',
  image: 'news.field.image',
  image_alt: 'news.field.imageAlt',
};

/** What a member's proposal carries: the article's content and its organisation (no date, address or Mastodon). */
export function proposalValues(values: Record<string, unknown>): EntityValues {
  return Object.fromEntries(Object.keys(NEWS_FIELD_LABELS).filter((k) => values[k] !== undefined).map((k) => [k, values[k]]));
}

function draftProposalValues(d: NewsDraft): EntityValues {
  return proposalValues(draftValues(d));
}

/** Members' news, proposed from their space: staff approve (it is then published with the organisation as author), edit, or reject. */
export const newsEntity: ModeratedEntity = {
  type: NEWS_ENTITY,
  labelKey: 'news.moderation.type',
  fieldLabels: NEWS_FIELD_LABELS,
  async load(id, deps) {
    const a = await repo.findArticle(deps.db, id);
    return a ? proposalValues(articleValues(a)) : undefined;
  },
  async apply(values, actor, proposal, deps) {
    if (!text(values, 'organisation')) throw new ProposalInvalidError({ organisation: { key: 'news.error.organisationRequired' } });
    const checked = await checkNews(deps, { ...values }, null, proposal.entityId ?? undefined);
    if (!checked.ok) throw new ProposalInvalidError(checked.errors);
    // A proposal says nothing of the address, the date or Mastodon: an update keeps the article's own.
    if (proposal.entityId) {
      const current = await repo.findArticle(deps.db, proposal.entityId);
      if (!current) throw new ProposalInvalidError({});
      const draft: NewsDraft = { ...checked.draft, slug: current.slug, published_at: current.published_at ? new Date(current.published_at) : null, mastodon_post: current.mastodon_post === 1, source_url: current.source_url, watch_item_id: current.watch_item_id };
      const updated = await updateArticle(deps, actor, proposal.entityId, draft, 'news.updated_by_proposal');
      if (!updated) throw new ProposalInvalidError({});
      return updated.id;
    }
    const created = await createArticle(deps, actor, { ...checked.draft, slug: null, published_at: null, mastodon_post: false, source_url: null, watch_item_id: null }, {
      status: 'published',
      source: 'member',
      authorUserId: proposal.proposerUserId,
      action: 'news.created_from_proposal',
    });
    return created.id;
  },
  async validate(raw, deps) {
    const checked = await checkNews(deps, { ...raw }, null);
    if (!checked.ok) return { ok: false, errors: checked.errors };
    if (!checked.draft.organisation_id) return { ok: false, errors: { organisation: { key: 'news.error.organisationRequired' } } };
    return { ok: true, values: draftProposalValues(checked.draft) };
  },
  async renderForm({ ctx, values, errors, deps }) {
    const [themes, names] = await Promise.all([repo.themeOptions(deps.db), organisationNames(deps.db, list(values, 'organisation'))]);
    // Edit then approve keeps or removes the proposed image; a new one is uploaded in the back office.
    return NewsFormFields({ ctx, values, errors, themes, organisationNames: names, author: { kind: 'fixed' }, imageUpload: false }) as string;
  },
  async display(field, value, ctx, deps) {
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return '';
    const locale = ctx.locale;
    const values = Array.isArray(value) ? value.map(String) : [String(value)];
    switch (field) {
      case 'themes': {
        const themes = await repo.themeOptions(deps.db);
        return values.map((c) => themes.find((x) => x.code === c)).map((x, i) => (x ? localLabel(x, locale) : values[i])).join(', ');
      }
      case 'countries':
        return values.map((c) => countryName(c, locale)).join(', ');
      case 'organisation':
        return (await organisationNames(deps.db, values)).get(values[0]!) ?? values[0]!;
      case 'body':
        return String(value).includes('<') ? htmlToText(String(value)) : String(value);
      case 'image': {
        const file = await findNewsImageFile(deps.db, String(value));
        return file ? ctx.t('news.image.diffValue', { name: file.original_name, date: formatDateTime(file.created_at, ctx.locale) }) : String(value);
      }
      default:
        return values.join(', ');
    }
  },
  title: (values) => String(values['title'] ?? ''),
  async publicHref(entityId, deps) {
    const a = await repo.findArticle(deps.db, entityId);
    return a && isReadable(a, deps.clock.now()) ? articleHref(a.slug) : null;
  },
};

let registered = false;

/** Members' news go through the shared moderation queue. */
export function registerNewsModeration(): void {
  if (registered) return;
  registerModeratedEntity(newsEntity);
  registered = true;
}
