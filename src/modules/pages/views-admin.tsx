import { formatDateTime } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { Breadcrumb } from '../../kernel/ui/breadcrumb.js';
import { ErrorSummary, Field, type FieldErrors, Form, Select, SubmitButton, TextArea } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { DataTable } from '../../kernel/ui/table.js';
import { isLegalSlug, LEGAL_PAGES, needsCompleting, pageHref } from './legal.js';
import type { PageRow } from './repo.js';
import type { PageValues } from './service.js';

export const PAGES_ADMIN = '/admin/pages';

function StatusText({ ctx, page }: { ctx: ViewContext; page: Pick<PageRow, 'status'> }) {
  return (
    <span class={page.status === 'published' ? 'badge badge-active' : 'badge badge-deactivated'} safe>
      {ctx.t(page.status === 'published' ? 'pages.status.published' : 'pages.status.draft')}
    </span>
  );
}

function menuText(ctx: ViewContext, page: Pick<PageRow, 'menu' | 'menu_order'>): string {
  if (page.menu === 'none') return ctx.t('pages.menu.none');
  return ctx.t('pages.menu.placed', { menu: ctx.t(page.menu === 'header' ? 'pages.menu.header' : 'pages.menu.footer'), order: page.menu_order });
}

/** The address of a legal page's text in the back office: the network's text, or a new one started from the built-in text. */
function legalEditHref(slug: string, edited: PageRow | undefined): string {
  return edited ? `${PAGES_ADMIN}/${edited.id}` : `${PAGES_ADMIN}/nouveau?legal=${slug}`;
}

/**
 * The warning while the mentions légales shown to visitors still say « [à compléter : …] » (the
 * built-in text, or a published one that kept them): what the law asks for, and the way to the form.
 */
function LegalWarning({ ctx, bySlug, toComplete }: { ctx: ViewContext; bySlug: Map<string, PageRow>; toComplete: string[] }) {
  const { t } = ctx;
  if (!toComplete.includes('mentions-legales')) return '';
  return (
    <div class="flash flash-error legal-warning">
      <p>
        <strong safe>{t('pages.legal.warningTitle')}</strong>
      </p>
      <p safe>{t('pages.legal.warningText')}</p>
      <p>
        <a href={legalEditHref('mentions-legales', bySlug.get('mentions-legales'))} safe>
          {t('pages.legal.warningLink')}
        </a>
      </p>
    </div>
  );
}

/** `toComplete`: the legal pages whose text still has « [à compléter] » (legalPagesToComplete). */
export function PageListPage({ ctx, pages, toComplete }: { ctx: ViewContext; pages: PageRow[]; toComplete: string[] }) {
  const { t } = ctx;
  const bySlug = new Map(pages.map((p) => [p.slug, p]));
  const others = pages.filter((p) => !isLegalSlug(p.slug));
  return (
    <Layout ctx={ctx} title={t('pages.admin.title')} area="admin">
      <div class="page-head">
        <h1 safe>{t('pages.admin.title')}</h1>
        <a class="button button-primary" href={`${PAGES_ADMIN}/nouveau`} safe>
          {t('pages.admin.new')}
        </a>
      </div>
      <p class="lead" safe>
        {t('pages.admin.lead')}
      </p>
      <LegalWarning ctx={ctx} bySlug={bySlug} toComplete={toComplete} />
      {others.length === 0 ? (
        <p safe>{t('pages.admin.none')}</p>
      ) : (
        <DataTable caption={t('pages.admin.title')} columns={[t('pages.field.title'), t('pages.field.status'), t('pages.field.menu'), t('pages.admin.updated')]} class="table-stack">
          {others.map((p) => (
            <tr>
              <td>
                <a href={`${PAGES_ADMIN}/${p.id}`} safe>
                  {p.title}
                </a>
              </td>
              <td data-label={t('pages.field.status')}>
                <StatusText ctx={ctx} page={p} />
              </td>
              <td data-label={t('pages.field.menu')} safe>{menuText(ctx, p)}</td>
              <td data-label={t('pages.admin.updated')} safe>{formatDateTime(p.updated_at, ctx.locale)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <section aria-labelledby="legal-title" class="section">
        <h2 id="legal-title" safe>
          {t('pages.legal.title')}
        </h2>
        <p safe>{t('pages.legal.lead')}</p>
        <DataTable caption={t('pages.legal.title')} columns={[t('pages.field.title'), t('pages.legal.text'), { label: t('pages.admin.actions'), hidden: true }]} class="table-stack">
          {Object.entries(LEGAL_PAGES).map(([url, legal]) => {
            const slug = url.slice(1);
            const edited = bySlug.get(slug);
            return (
              <tr>
                <td>
                  <a href={url} safe>
                    {t(legal.title)}
                  </a>
                </td>
                <td data-label={t('pages.legal.text')}>
                  <span safe>{edited ? t(edited.status === 'published' ? 'pages.legal.edited' : 'pages.legal.editedDraft') : t('pages.legal.builtIn')}</span>
                  {toComplete.includes(slug) ? (
                    <>
                      {' '}
                      <span class="badge badge-invited" safe>
                        {t('pages.legal.toComplete')}
                      </span>
                    </>
                  ) : (
                    ''
                  )}
                </td>
                <td>
                  <a href={legalEditHref(slug, edited)} aria-label={t('pages.legal.editLabel', { title: t(legal.title) })} safe>
                    {t('pages.legal.edit')}
                  </a>
                </td>
              </tr>
            );
          })}
        </DataTable>
      </section>
    </Layout>
  );
}

export interface PageFormProps {
  ctx: ViewContext;
  action: string;
  values: PageValues;
  errors: FieldErrors;
  /** Editing an existing page (else: a new one). */
  page?: PageRow;
  /** The legal page this form replaces the text of (its slug is fixed). */
  legal?: string;
}

export function PageFormPage({ ctx, action, values, errors, page, legal }: PageFormProps) {
  const { t } = ctx;
  const slugFixed = legal ?? (page && isLegalSlug(page.slug) ? page.slug : undefined);
  const heading = page ? t('pages.admin.edit', { title: page.title }) : legal ? t('pages.admin.newLegal') : t('pages.admin.new');
  return (
    <Layout ctx={ctx} title={heading} area="admin">
      <Breadcrumb href={PAGES_ADMIN} label={t('pages.admin.title')} />
      <h1 safe>{heading}</h1>
      {page ? (
        <p>
          <StatusText ctx={ctx} page={page} />{' '}
          {page.status === 'published' ? (
            <a href={pageHref(page.slug)} safe>
              {t('pages.admin.view')}
            </a>
          ) : (
            ''
          )}
        </p>
      ) : (
        ''
      )}
      <ErrorSummary ctx={ctx} errors={errors} />
      <Form ctx={ctx} action={action}>
        {legal ? <input type="hidden" name="legal" value={legal} /> : ''}
        <Field name="title" label={t('pages.field.title')} value={values.title} error={errors['title']} required />
        {slugFixed ? (
          <>
            <input type="hidden" name="slug" value={slugFixed} />
            <p class="hint" safe>
              {t('pages.field.slugFixed', { url: `/${slugFixed}` })}
            </p>
          </>
        ) : (
          <Field name="slug" label={t('pages.field.slug')} hint={t('pages.field.slugHint')} value={values.slug} error={errors['slug']} />
        )}
        <TextArea
          name="body"
          label={t('pages.field.body')}
          hint={slugFixed && needsCompleting(values.body) ? `${t('pages.legal.formHint')} ${t('pages.field.bodyHint')}` : t('pages.field.bodyHint')}
          value={values.body}
          error={errors['body']}
          rows={16}
          class="org-textarea"
        />
        <Select
          name="status"
          label={t('pages.field.status')}
          value={values.status}
          error={errors['status']}
          options={[
            { value: 'draft', label: t('pages.status.draft') },
            { value: 'published', label: t('pages.status.published') },
          ]}
        />
        {slugFixed ? (
          <input type="hidden" name="menu" value="none" />
        ) : (
          <fieldset class="org-section">
            <legend safe>{t('pages.field.menu')}</legend>
            <Select
              name="menu"
              label={t('pages.field.menuPlace')}
              value={values.menu}
              error={errors['menu']}
              options={[
                { value: 'none', label: t('pages.menu.none') },
                { value: 'header', label: t('pages.menu.header') },
                { value: 'footer', label: t('pages.menu.footer') },
              ]}
            />
            <Field name="menu_order" label={t('pages.field.menuOrder')} hint={t('pages.field.menuOrderHint')} value={values.menu_order} error={errors['menu_order']} />
            <Field name="menu_label" label={t('pages.field.menuLabel')} hint={t('pages.field.menuLabelHint')} value={values.menu_label} error={errors['menu_label']} />
          </fieldset>
        )}
        <SubmitButton label={t('pages.admin.save')} />
      </Form>
      {page ? (
        <section aria-labelledby="delete-title" class="section">
          <h2 id="delete-title" safe>
            {t(slugFixed ? 'pages.admin.restoreTitle' : 'pages.admin.deleteTitle')}
          </h2>
          <p safe>{t(slugFixed ? 'pages.admin.restoreText' : 'pages.admin.deleteText')}</p>
          <Form ctx={ctx} action={`${PAGES_ADMIN}/${page.id}/supprimer`} class="inline-form">
            <SubmitButton label={t(slugFixed ? 'pages.admin.restore' : 'pages.admin.delete')} variant="danger" />
          </Form>
        </section>
      ) : (
        ''
      )}
    </Layout>
  );
}
