import type { ViewContext } from '../../kernel/ui/context.js';
import { ErrorSummary, Field, type FieldErrors, Form, SubmitButton, TextArea } from '../../kernel/ui/form.js';
import { DataTable } from '../../kernel/ui/table.js';
import type { ListRow, ListWithCounts } from './repo.js';
import { ADMIN_BASE, AdminFrame } from './views-admin.js';

export interface ListValues {
  name: string;
  description: string;
  name_en: string;
  description_en: string;
  is_public: string;
  double_opt_in: string;
  is_default: string;
}

function Check({ name, label, hint, checked }: { name: string; label: string; hint: string; checked: boolean }) {
  return (
    <div class="field field-check">
      <input type="checkbox" id={`f-${name}`} name={name} value="1" checked={checked} aria-describedby={`f-${name}-hint`} />
      <label for={`f-${name}`} safe>
        {label}
      </label>
      <span class="hint" id={`f-${name}-hint`} safe>
        {hint}
      </span>
    </div>
  );
}

function ListFields({ ctx, values, errors }: { ctx: ViewContext; values: ListValues; errors: FieldErrors }) {
  const { t } = ctx;
  return (
    <>
      <Field name="name" label={t('newsletter.lists.name')} value={values.name} error={errors['name']} required />
      <TextArea name="description" label={t('newsletter.lists.description')} value={values.description} error={errors['description']} hint={t('newsletter.lists.descriptionHint')} rows={3} />
      <Field name="name_en" label={t('newsletter.lists.nameEn')} value={values.name_en} error={errors['name_en']} hint={t('newsletter.lists.englishHint')} lang="en" />
      <TextArea name="description_en" label={t('newsletter.lists.descriptionEn')} value={values.description_en} error={errors['description_en']} hint={t('newsletter.lists.englishHint')} rows={3} lang="en" />
      <Check name="is_public" label={t('newsletter.lists.public')} hint={t('newsletter.lists.publicHint')} checked={values.is_public === '1'} />
      <Check name="double_opt_in" label={t('newsletter.lists.doubleOptIn')} hint={t('newsletter.lists.doubleOptInHint')} checked={values.double_opt_in === '1'} />
      <Check name="is_default" label={t('newsletter.lists.default')} hint={t('newsletter.lists.defaultHint')} checked={values.is_default === '1'} />
    </>
  );
}

export function ListsPage(props: { ctx: ViewContext; lists: ListWithCounts[]; values: ListValues; errors: FieldErrors }) {
  const { ctx, lists } = props;
  const { t } = ctx;
  const yes = (v: number) => t(v ? 'newsletter.yes' : 'newsletter.no');
  return (
    <AdminFrame ctx={ctx} title={t('newsletter.lists.title')} tab="lists">
      {lists.length === 0 ? (
        <p safe>{t('newsletter.lists.empty')}</p>
      ) : (
        <DataTable
          caption={t('newsletter.lists.title')}
          columns={[t('newsletter.lists.name'), t('newsletter.lists.public'), t('newsletter.lists.doubleOptIn'), t('newsletter.lists.default'), t('newsletter.lists.confirmed'), t('newsletter.lists.unconfirmed'), t('newsletter.lists.unsubscribed')]}
          class="table-stack"
        >
          {lists.map((l) => (
            <tr>
              <td>
                <a href={`${ADMIN_BASE}/listes/${l.id}`} safe>
                  {l.name}
                </a>
              </td>
              <td data-label={t('newsletter.lists.public')} safe>{yes(l.is_public)}</td>
              <td data-label={t('newsletter.lists.doubleOptIn')} safe>{yes(l.double_opt_in)}</td>
              <td data-label={t('newsletter.lists.default')} safe>{yes(l.is_default)}</td>
              <td data-label={t('newsletter.lists.confirmed')}>
                <a href={`${ADMIN_BASE}/abonnes?liste=${l.id}&etat=confirmed`} safe>
                  {String(l.confirmed)}
                </a>
              </td>
              <td data-label={t('newsletter.lists.unconfirmed')} safe>{String(l.unconfirmed)}</td>
              <td data-label={t('newsletter.lists.unsubscribed')} safe>{String(l.unsubscribed)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <section aria-labelledby="nl-list-new">
        <h2 id="nl-list-new" safe>
          {t('newsletter.lists.new')}
        </h2>
        <ErrorSummary ctx={ctx} errors={props.errors} />
        <Form ctx={ctx} action={`${ADMIN_BASE}/listes`}>
          <ListFields ctx={ctx} values={props.values} errors={props.errors} />
          <SubmitButton label={t('newsletter.lists.create')} />
        </Form>
      </section>
    </AdminFrame>
  );
}

export function ListPage(props: { ctx: ViewContext; list: ListRow; values: ListValues; errors: FieldErrors }) {
  const { ctx, list } = props;
  const { t } = ctx;
  return (
    <AdminFrame ctx={ctx} title={list.name} tab="lists">
      <p class="breadcrumb">
        <a href={`${ADMIN_BASE}/listes`} safe>
          {t('newsletter.lists.title')}
        </a>
      </p>
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <Form ctx={ctx} action={`${ADMIN_BASE}/listes/${list.id}`}>
        <ListFields ctx={ctx} values={props.values} errors={props.errors} />
        <SubmitButton label={t('newsletter.lists.save')} />
      </Form>
      <section aria-labelledby="nl-list-delete">
        <h2 id="nl-list-delete" safe>
          {t('newsletter.lists.deleteTitle')}
        </h2>
        <p safe>{t('newsletter.lists.deleteText')}</p>
        <Form ctx={ctx} action={`${ADMIN_BASE}/listes/${list.id}/supprimer`}>
          <SubmitButton label={t('newsletter.lists.delete')} variant="danger" />
        </Form>
      </section>
    </AdminFrame>
  );
}
