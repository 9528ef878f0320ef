import { localLabel } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { CheckboxField, Field, fieldId, Select, TextArea } from '../../kernel/ui/form.js';
import { NEWS_IMAGE_FIELDS } from './image.js';
import { countriesText } from './validate.js';

/** Who writes the article decides the author fields: staff pick any organisation, members one of theirs, moderation keeps the proposal's. */
export type AuthorMode = { kind: 'staff' } | { kind: 'member'; organisations: { id: string; name: string }[] } | { kind: 'fixed' };

export interface NewsFormProps {
  ctx: ViewContext;
  values: Record<string, unknown>;
  errors: Record<string, string>;
  themes: { code: string; label_fr: string; label_en: string }[];
  /** Names of the organisations the values name. */
  organisationNames: Map<string, string>;
  author: AuthorMode;
  /** Offer an image upload (the form must then be multipart); else the image can only be kept or removed. */
  imageUpload?: boolean;
  /** Staff fields: address, publication date, Mastodon, source. */
  publication?: { mastodonConfigured: boolean };
}

function str(value: unknown): string {
  if (Array.isArray(value)) return value.length ? String(value[0]) : '';
  return value === null || value === undefined ? '' : String(value);
}

function strings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' && value !== '' ? value.split(',') : [];
  return [...new Set(list.map((x) => String(x).trim()).filter(Boolean))];
}

function ThemeChecks({ ctx, themes, checked, error }: { ctx: ViewContext; themes: NewsFormProps['themes']; checked: string[]; error?: string }) {
  const id = fieldId('themes');
  return (
    <fieldset id={id} class={error ? 'field field-invalid checkbox-group' : 'field checkbox-group'} aria-describedby={error ? `${id}-error` : undefined} tabindex="-1">
      <legend safe>{ctx.t('news.field.themes')}</legend>
      {error ? (
        <p class="field-error" id={`${id}-error`} safe>
          {error}
        </p>
      ) : (
        ''
      )}
      <ul class="news-checks">
        {themes.map((th) => (
          <li class="field-check">
            <input type="checkbox" id={`${id}-${th.code}`} name="themes" value={th.code} checked={checked.includes(th.code)} />
            <label for={`${id}-${th.code}`} safe>
              {localLabel(th, ctx.locale)}
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

function AuthorFields({ ctx, values, errors, author, names }: { ctx: ViewContext; values: Record<string, unknown>; errors: Record<string, string>; author: AuthorMode; names: Map<string, string> }) {
  const { t } = ctx;
  const current = str(values['organisation']);
  const currentName = current ? (names.get(current) ?? current) : '';
  if (author.kind === 'member') {
    return (
      <Select
        name="organisation"
        label={t('news.field.organisation')}
        required
        value={current}
        error={errors['organisation']}
        options={[{ value: '', label: t('news.member.chooseOrganisation') }, ...author.organisations.map((o) => ({ value: o.id, label: o.name }))]}
      />
    );
  }
  if (author.kind === 'fixed') {
    return (
      <>
        <input type="hidden" name="organisation" value={current} />
        <p safe>{currentName ? t('news.field.organisationIs', { name: currentName }) : t('news.field.networkNews')}</p>
      </>
    );
  }
  return (
    <>
      <input type="hidden" name="organisation" value={current} />
      {current ? (
        <>
          <p safe>{t('news.field.organisationIs', { name: currentName })}</p>
          <CheckboxField name="organisation_remove" label={t('news.field.organisationRemove')} checked={str(values['organisation_remove']) === '1'} />
        </>
      ) : (
        <p class="hint" safe>
          {t('news.field.networkNews')}
        </p>
      )}
      <Field name="organisation_add" label={t(current ? 'news.field.organisationChange' : 'news.field.organisationAdd')} hint={t('news.field.organisationHint')} value={str(values['organisation_add'])} error={errors['organisation_add']} />
    </>
  );
}

/**
 * The article's image: the one the page carries (a file id in a hidden field, so that a form
 * redisplayed after an error keeps it), a file to replace it, its alternative text and a box to
 * remove it. Staff see the image itself; members read that one is attached.
 */
function ImageFields({ ctx, values, errors, upload }: { ctx: ViewContext; values: Record<string, unknown>; errors: Record<string, string>; upload: boolean }) {
  const { t } = ctx;
  const image = str(values[NEWS_IMAGE_FIELDS.kept]);
  const staffView = ctx.user?.role === 'staff' || ctx.user?.role === 'admin';
  return (
    <fieldset class="org-section">
      <legend safe>{t('news.field.image')}</legend>
      <input type="hidden" name={NEWS_IMAGE_FIELDS.kept} value={image} />
      {image && staffView ? (
        <figure class="org-logo-preview">
          <img src={`/media/news-images/${encodeURIComponent(image)}`} alt={t('news.field.imageCurrent')} width="240" />
        </figure>
      ) : image ? (
        <p class="hint" safe>
          {t('news.field.imageKept')}
        </p>
      ) : (
        ''
      )}
      {upload ? (
        <Field
          name={NEWS_IMAGE_FIELDS.upload}
          type="file"
          label={t(image ? 'news.field.imageReplace' : 'news.field.imageUpload')}
          hint={t('news.field.imageHint')}
          error={errors[NEWS_IMAGE_FIELDS.upload]}
          accept="image/png,image/jpeg,image/webp,image/gif"
        />
      ) : (
        ''
      )}
      <Field name="image_alt" label={t('news.field.imageAlt')} hint={t('news.field.imageAltHint')} value={str(values['image_alt'])} error={errors['image_alt']} />
      {image ? <CheckboxField name={NEWS_IMAGE_FIELDS.remove} label={t('news.field.imageRemove')} checked={str(values[NEWS_IMAGE_FIELDS.remove]) === '1'} /> : ''}
    </fieldset>
  );
}

/** The fields of the article form, shared by the back office, members' proposals and edit-then-approve. */
export function NewsFormFields({ ctx, values, errors, themes, organisationNames, author, imageUpload = true, publication }: NewsFormProps) {
  const { t } = ctx;
  const v = (name: string) => str(values[name]);
  const countries = strings(values['countries']);
  return (
    <>
      <fieldset class="org-section">
        <legend safe>{t('news.field.article')}</legend>
        <Field name="title" label={t('news.field.title')} value={v('title')} error={errors['title']} required />
        {publication ? <Field name="slug" label={t('news.field.slug')} hint={t('news.field.slugHint')} value={v('slug')} error={errors['slug']} /> : ''}
        <TextArea name="summary" label={t('news.field.summary')} hint={t('news.field.summaryHint')} value={v('summary')} error={errors['summary']} rows={3} />
        <TextArea name="body" label={t('news.field.body')} hint={t('news.field.bodyHint')} value={v('body')} error={errors['body']} rows={14} class="org-textarea" />
      </fieldset>
      <ImageFields ctx={ctx} values={values} errors={errors} upload={imageUpload} />
      <fieldset class="org-section">
        <legend safe>{t('news.field.author')}</legend>
        <AuthorFields ctx={ctx} values={values} errors={errors} author={author} names={organisationNames} />
      </fieldset>
      <fieldset class="org-section">
        <legend safe>{t('news.field.about')}</legend>
        <ThemeChecks ctx={ctx} themes={themes} checked={strings(values['themes'])} error={errors['themes']} />
        <Field name="countries" label={t('news.field.countries')} hint={t('news.field.countriesHint')} value={countriesText(countries, ctx.locale === 'en' ? 'en' : 'fr')} error={errors['countries']} />
      </fieldset>
      {publication ? (
        <fieldset class="org-section">
          <legend safe>{t('news.field.publication')}</legend>
          <p class="hint" id="publication-hint" safe>
            {t('news.field.publicationHint')}
          </p>
          <Field name="publish_date" type="date" label={t('news.field.publishDate')} value={v('publish_date')} error={errors['publish_date']} />
          <Field name="publish_time" label={t('news.field.publishTime')} hint={t('news.field.publishTimeHint')} value={v('publish_time')} error={errors['publish_time']} />
          {publication.mastodonConfigured ? (
            <CheckboxField name="mastodon" label={t('news.field.mastodon')} hint={t('news.field.mastodonHint')} checked={v('mastodon') === '1'} />
          ) : (
            <p class="hint" safe>
              {t('news.field.mastodonOff')}
            </p>
          )}
          <Field name="source_url" type="url" label={t('news.field.sourceUrl')} hint={t('news.field.sourceUrlHint')} value={v('source_url')} error={errors['source_url']} />
          <input type="hidden" name="watch_item_id" value={v('watch_item_id')} />
        </fieldset>
      ) : (
        ''
      )}
    </>
  );
}
