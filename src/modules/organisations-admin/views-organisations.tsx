import type { Role, UserStatus } from '../../db/schema.js';
import { findDepartment, listDepartments } from '../../kernel/geo/communes.js';
import { listCountries } from '../../kernel/geo/countries.js';
import type { MessageKey } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { ErrorSummary, Field, Form, Select, SubmitButton, TextArea } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { type Organisation, OrganisationFormFields, type OrganisationRow, type taxonomies } from '../organisations/index.js';
import { centsToEuro, INTERACTION_KINDS } from './organisation-edit.js';
import { MEMBERSHIP_STATUSES, STAFF_PAGE_SIZE } from './query.js';
import type { MembershipRow, SavedFilterRow } from './repo.js';
import { Pager } from '../../kernel/ui/pager.js';
import { AreaStyles, Checkbox, day, History, type HistoryEntry, Section, when } from './views-common.js';

export type Labels = Awaited<ReturnType<typeof taxonomies>>;
type Entry = { code: string; label_fr: string; label_en: string };

export function labelOf(ctx: ViewContext, list: Entry[], code: string): string {
  const e = list.find((x) => x.code === code);
  return e ? (ctx.locale === 'en' ? e.label_en : e.label_fr) : code;
}

const VISIBILITY: Record<string, MessageKey> = { public: 'org.visibility.public', members: 'org.visibility.members', staff: 'org.visibility.staff' };
export const MEMBERSHIP_LABEL: Record<string, MessageKey> = {
  paid: 'backofficeOrganisations.membership.paid',
  pending: 'backofficeOrganisations.membership.pending',
  exempt: 'backofficeOrganisations.membership.exempt',
};
const INTERACTION_LABEL: Record<string, MessageKey> = {
  call: 'backofficeOrganisations.interaction.call',
  meeting: 'backofficeOrganisations.interaction.meeting',
  email: 'backofficeOrganisations.interaction.email',
  advice: 'backofficeOrganisations.interaction.advice',
};
const PRECISION: Record<string, MessageKey> = {
  address: 'backofficeOrganisations.precision.address',
  commune: 'backofficeOrganisations.precision.commune',
  department: 'backofficeOrganisations.precision.department',
  manual: 'backofficeOrganisations.precision.manual',
};
const ROLE_LABEL: Record<Role, MessageKey> = { member: 'role.member', staff: 'role.staff', admin: 'role.admin' };
const STATUS_LABEL: Record<UserStatus, MessageKey> = { invited: 'status.invited', active: 'status.active', deactivated: 'status.deactivated' };

/** Field names of the audit snapshots, for the history. */
export const HISTORY_LABELS: Record<string, MessageKey> = {
  name: 'org.field.name',
  acronym: 'org.field.acronym',
  kind_code: 'org.field.kind',
  description_html: 'org.field.description',
  website: 'org.field.website',
  email: 'org.field.email',
  phone: 'org.field.phone',
  address: 'org.field.address',
  postcode: 'org.field.postcode',
  commune_code: 'org.field.communeCode',
  siren: 'org.field.siren',
  siret: 'org.field.siret',
  rna: 'org.field.rna',
  insee_code: 'org.field.inseeCode',
  founded_year: 'org.field.foundedYear',
  staff_count: 'org.field.staffCount',
  volunteer_count: 'org.field.volunteerCount',
  visibility: 'org.field.visibility',
  is_member: 'org.field.member',
  themes: 'org.field.themes',
  countries: 'org.field.countries',
  zones: 'org.field.zones',
  sdgs: 'org.field.sdgs',
  colleges: 'org.field.colleges',
  tags: 'backofficeOrganisations.field.tags',
  memberships: 'backofficeOrganisations.field.memberships',
  reviewed_at: 'backofficeOrganisations.field.reviewedAt',
};

interface ListProps {
  ctx: ViewContext;
  rows: OrganisationRow[];
  tags: Map<string, string[]>;
  total: number;
  page: number;
  canonical: string;
  shown: Record<string, string>;
  t: Labels;
  allTags: string[];
  segments: SavedFilterRow[];
  errors?: Record<string, string>;
  values?: Record<string, string>;
}

export function OrganisationListPage(p: ListProps) {
  const { ctx, t: labels, shown } = p;
  const { t } = ctx;
  const any = { value: '', label: t('filter.all') };
  const opts = (list: Entry[]) => [any, ...list.map((x) => ({ value: x.code, label: labelOf(ctx, list, x.code) }))];
  const departments = listDepartments()
    .filter((d) => d.region === ctx.site.regionCode || d.code === shown['departement'])
    .map((d) => ({ value: d.code, label: `${d.code} ${d.name}` }));
  const errors = p.errors ?? {};
  return (
    <Layout ctx={ctx} title={t('backofficeOrganisations.list.title')} area="admin">
      <AreaStyles />
      <div class="page-head">
        <h1 safe>{t('backofficeOrganisations.list.title')}</h1>
        <a class="button button-primary" href="/admin/organisations/nouvelle" safe>
          {t('backofficeOrganisations.list.create')}
        </a>
      </div>
      <form method="get" action="/admin/organisations" class="filter-bar" role="search" aria-label={t('backofficeOrganisations.list.filters')}>
        <Field name="q" label={t('filter.search')} value={shown['q']} />
        <Select name="famille" label={t('org.field.kind')} options={opts(labels.kinds)} value={shown['famille']} />
        <Select name="departement" label={t('org.field.department')} options={[any, ...departments]} value={shown['departement']} />
        <Select name="theme" label={t('backofficeOrganisations.filter.theme')} options={opts(labels.themes)} value={shown['theme']} />
        <Select name="pays" label={t('backofficeOrganisations.filter.country')} options={[any, ...listCountries(ctx.locale).map((c) => ({ value: c.code, label: c.name }))]} value={shown['pays']} />
        <Select name="zone" label={t('backofficeOrganisations.filter.zone')} options={opts(labels.zones)} value={shown['zone']} />
        <Select name="odd" label={t('backofficeOrganisations.filter.sdg')} options={[any, ...labels.sdgs.map((s) => ({ value: s.code, label: t('org.sdg', { code: s.code, label: labelOf(ctx, labels.sdgs, s.code) }) }))]} value={shown['odd']} />
        <Select name="adherent" label={t('org.field.member')} options={[any, { value: 'oui', label: t('org.member.yes') }, { value: 'non', label: t('org.member.no') }]} value={shown['adherent']} />
        <Select name="visibilite" label={t('org.field.visibility')} options={[any, ...Object.entries(VISIBILITY).map(([value, key]) => ({ value, label: t(key) }))]} value={shown['visibilite']} />
        <Select
          name="manque"
          label={t('backofficeOrganisations.filter.missing')}
          options={[
            any,
            { value: 'email', label: t('backofficeOrganisations.missing.email') },
            { value: 'commune', label: t('backofficeOrganisations.missing.commune') },
            { value: 'coordonnees', label: t('backofficeOrganisations.missing.coordinates') },
            { value: 'themes', label: t('backofficeOrganisations.missing.themes') },
          ]}
          value={shown['manque']}
        />
        <Field name="adhesion_annee" type="number" label={t('backofficeOrganisations.filter.membershipYear')} value={shown['adhesion_annee']} />
        <Select
          name="adhesion_statut"
          label={t('backofficeOrganisations.filter.membershipStatus')}
          options={[
            any,
            { value: 'payee', label: t('backofficeOrganisations.membership.paid') },
            { value: 'attente', label: t('backofficeOrganisations.membership.pending') },
            { value: 'exoneree', label: t('backofficeOrganisations.membership.exempt') },
            { value: 'aucune', label: t('backofficeOrganisations.membership.none') },
          ]}
          value={shown['adhesion_statut']}
        />
        <Select name="etiquette" label={t('backofficeOrganisations.filter.tag')} options={[any, ...p.allTags.map((x) => ({ value: x, label: x }))]} value={shown['etiquette']} />
        <Select
          name="non_revue"
          label={t('backofficeOrganisations.filter.review')}
          options={[any, { value: '1', label: t('backofficeOrganisations.filter.notReviewed') }]}
          value={shown['non_revue']}
        />
        <Select
          name="tri"
          label={t('backofficeOrganisations.filter.sort')}
          options={[
            { value: '', label: t('backofficeOrganisations.sort.default') },
            { value: 'nom', label: t('backofficeOrganisations.sort.name') },
            { value: 'recent', label: t('backofficeOrganisations.sort.updated') },
            { value: 'revue', label: t('backofficeOrganisations.sort.reviewed') },
          ]}
          value={shown['tri']}
        />
        <SubmitButton label={t('filter.apply')} variant="secondary" />
      </form>
      <p class="result-count" role="status" safe>
        {t('backofficeOrganisations.list.count', { count: p.total })}
      </p>

      <details class="bo-segments" open={p.segments.length > 0 || Boolean(errors['name'])}>
        <summary safe>{t('backofficeOrganisations.segments.title', { count: p.segments.length })}</summary>
        {p.segments.length ? (
          <ul class="bo-segment-list">
            {p.segments.map((s) => (
              <li>
                <a href={`/admin/organisations?${s.query}`} safe>
                  {s.name}
                </a>
                <Form ctx={ctx} action={`/admin/organisations/filtres/${s.id}/supprimer`} class="inline-form">
                  <button type="submit" class="link-button" aria-label={t('backofficeOrganisations.segments.deleteNamed', { name: s.name })} safe>
                    {t('backofficeOrganisations.segments.delete')}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        ) : (
          ''
        )}
        <Form ctx={ctx} action="/admin/organisations/filtres" class="inline-actions">
          <input type="hidden" name="query" value={p.canonical} />
          <Field name="name" prefix="segment" label={t('backofficeOrganisations.segments.name')} value={p.values?.['name']} error={errors['name']} required />
          <SubmitButton label={t('backofficeOrganisations.segments.save')} variant="secondary" />
        </Form>
      </details>

      <Form ctx={ctx} action="/admin/organisations/actions" class="bo-bulk">
        <input type="hidden" name="filter" value={p.canonical} />
        <fieldset class="bo-bulk-bar">
          <legend safe>{t('backofficeOrganisations.bulk.title')}</legend>
          {errors['ids'] ? (
            <p class="field-error" role="alert" safe>
              {errors['ids']}
            </p>
          ) : (
            ''
          )}
          <Select
            name="action"
            prefix="bulk"
            label={t('backofficeOrganisations.bulk.action')}
            error={errors['action']}
            value={p.values?.['action']}
            options={[
              { value: 'add_tag', label: t('backofficeOrganisations.bulk.addTag') },
              { value: 'remove_tag', label: t('backofficeOrganisations.bulk.removeTag') },
              { value: 'set_college', label: t('backofficeOrganisations.bulk.setCollege') },
              { value: 'export', label: t('backofficeOrganisations.bulk.export') },
            ]}
          />
          <Field name="tag" prefix="bulk" label={t('backofficeOrganisations.bulk.tag')} hint={t('backofficeOrganisations.bulk.tagHint')} error={errors['tag']} value={p.values?.['tag']} />
          <Select name="college" prefix="bulk" label={t('backofficeOrganisations.bulk.college')} error={errors['college']} options={[{ value: '', label: t('backofficeOrganisations.bulk.noCollege') }, ...labels.colleges.map((c) => ({ value: c.code, label: labelOf(ctx, labels.colleges, c.code) }))]} value={p.values?.['college']} />
          <Select
            name="scope"
            prefix="bulk"
            label={t('backofficeOrganisations.bulk.scope')}
            options={[
              { value: 'selection', label: t('backofficeOrganisations.bulk.scopeSelection') },
              { value: 'all', label: t('backofficeOrganisations.bulk.scopeAll', { count: p.total }) },
            ]}
            value={p.values?.['scope']}
          />
          <SubmitButton label={t('backofficeOrganisations.bulk.run')} variant="secondary" />
        </fieldset>
        <div class="table-wrap">
          <table class="table-stack">
            <caption class="visually-hidden" safe>
              {t('backofficeOrganisations.list.title')}
            </caption>
            <thead>
              <tr>
                <th scope="col">
                  <span class="visually-hidden" safe>
                    {t('backofficeOrganisations.list.select')}
                  </span>
                </th>
                <th scope="col" safe>{t('org.field.name')}</th>
                <th scope="col" safe>{t('org.field.kind')}</th>
                <th scope="col" safe>{t('org.field.department')}</th>
                <th scope="col" safe>{t('org.field.visibility')}</th>
                <th scope="col" safe>{t('org.field.member')}</th>
                <th scope="col" safe>{t('backofficeOrganisations.field.reviewedAt')}</th>
                <th scope="col" safe>{t('backofficeOrganisations.field.tags')}</th>
              </tr>
            </thead>
            <tbody>
              {p.rows.map((o) => (
                <tr>
                  <td>
                    <input type="checkbox" name="ids" value={o.id} id={`sel-${o.id}`} aria-label={t('backofficeOrganisations.list.selectNamed', { name: o.name })} />
                  </td>
                  <td>
                    <a href={`/admin/organisations/${o.id}`} safe>
                      {o.name}
                    </a>
                    {o.acronym ? <span class="muted" safe>{` (${o.acronym})`}</span> : ''}
                  </td>
                  <td data-label={t('org.field.kind')} safe>
                    {labelOf(ctx, labels.kinds, o.kind_code)}
                  </td>
                  <td data-label={t('org.field.department')}>
                    {o.department_code ? `${o.department_code} ${findDepartment(o.department_code)?.name ?? ''}` : '—'}
                  </td>
                  <td data-label={t('org.field.visibility')} safe>
                    {t(VISIBILITY[o.visibility] ?? 'org.visibility.public')}
                  </td>
                  <td data-label={t('org.field.member')} safe>
                    {o.is_member ? t('org.member.yes') : t('org.member.no')}
                  </td>
                  <td data-label={t('backofficeOrganisations.field.reviewedAt')} class="nowrap" safe>
                    {o.reviewed_at ? when(ctx, o.reviewed_at) : t('backofficeOrganisations.list.neverReviewed')}
                  </td>
                  <td data-label={t('backofficeOrganisations.field.tags')} safe>
                    {(p.tags.get(o.id) ?? []).join(', ') || '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Form>
      <Pager ctx={ctx} page={p.page} total={p.total} pageSize={STAFF_PAGE_SIZE} query={p.canonical} />
    </Layout>
  );
}

export interface MembershipFormRow {
  year: string;
  status: string;
  fee: string;
}

export function membershipRows(rows: MembershipRow[]): MembershipFormRow[] {
  return rows.map((m) => ({ year: String(m.year), status: m.status, fee: centsToEuro(m.fee_cents) }));
}

/** Membership rows as submitted, to show them again on error. */
export function submittedMembershipRows(raw: Record<string, unknown>): MembershipFormRow[] {
  const s = (v: unknown) => (typeof v === 'string' ? v : '');
  const indexes = [...new Set(Object.keys(raw).map((k) => /^membership_(?:year|status|fee)_(\d{1,3})$/.exec(k)?.[1]).filter((x): x is string => x !== undefined))].sort((a, b) => Number(a) - Number(b));
  return indexes.map((i) => ({ year: s(raw[`membership_year_${i}`]), status: s(raw[`membership_status_${i}`]), fee: s(raw[`membership_fee_${i}`]) }));
}

function MembershipFields({ ctx, rows, errors }: { ctx: ViewContext; rows: MembershipFormRow[]; errors: Record<string, string> }) {
  const { t } = ctx;
  const all = [...rows.filter((r) => r.year || r.status || r.fee), { year: '', status: '', fee: '' }];
  return (
    <fieldset class="org-section bo-memberships">
      <legend safe>{t('backofficeOrganisations.field.memberships')}</legend>
      <p class="hint" safe>
        {t('backofficeOrganisations.membership.hint')}
      </p>
      {all.map((r, i) => (
        <div class="bo-membership-row">
          <Field name={`membership_year_${i}`} type="number" label={t('backofficeOrganisations.membership.year', { n: i + 1 })} value={r.year} error={errors[`membership_year_${i}`]} />
          <Select
            name={`membership_status_${i}`}
            label={t('backofficeOrganisations.membership.status', { n: i + 1 })}
            value={r.status}
            error={errors[`membership_status_${i}`]}
            options={[{ value: '', label: '—' }, ...MEMBERSHIP_STATUSES.map((s) => ({ value: s, label: t(MEMBERSHIP_LABEL[s]!) }))]}
          />
          <Field name={`membership_fee_${i}`} label={t('backofficeOrganisations.membership.fee', { n: i + 1 })} value={r.fee} error={errors[`membership_fee_${i}`]} />
        </div>
      ))}
    </fieldset>
  );
}

interface FormProps {
  ctx: ViewContext;
  t: Labels;
  values: Record<string, unknown>;
  memberships: MembershipFormRow[];
  isMember: boolean;
  errors: Record<string, string>;
  action: string;
}

function OrganisationForm({ ctx, t: labels, values, memberships, isMember, errors, action }: FormProps) {
  const { t } = ctx;
  return (
    <>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Form ctx={ctx} action={action} class="stack-form bo-org-form">
        <OrganisationFormFields ctx={ctx} values={values} errors={errors} staff taxonomies={labels} />
        <fieldset class="org-section">
          <legend safe>{t('backofficeOrganisations.section.membership')}</legend>
          <Checkbox name="is_member" label={t('backofficeOrganisations.field.isMember')} checked={isMember} />
        </fieldset>
        <MembershipFields ctx={ctx} rows={memberships} errors={errors} />
        <SubmitButton label={t('form.save')} />
      </Form>
    </>
  );
}

export function OrganisationCreatePage(p: Omit<FormProps, 'action'>) {
  const { t } = p.ctx;
  return (
    <Layout ctx={p.ctx} title={t('backofficeOrganisations.create.title')} area="admin">
      <AreaStyles />
      <p class="breadcrumb">
        <a href="/admin/organisations" safe>
          {t('backofficeOrganisations.list.title')}
        </a>
      </p>
      <h1 safe>{t('backofficeOrganisations.create.title')}</h1>
      <OrganisationForm {...p} action="/admin/organisations/nouvelle" />
    </Layout>
  );
}

interface EditProps extends Omit<FormProps, 'action'> {
  organisation: Organisation;
  tags: string[];
  history: HistoryEntry[];
  interactions: { id: string; kind: string; occurred_on: string; text: string; author_name: string | null }[];
  accounts: { id: string; email: string; display_name: string; status: UserStatus; role: Role }[];
  contacts: { id: string; first_name: string | null; last_name: string; function: string | null; is_main: number }[];
  interactionValues?: Record<string, string>;
  interactionErrors?: Record<string, string>;
  inviteValues?: Record<string, string>;
  inviteErrors?: Record<string, string>;
  today: string;
}

export function OrganisationEditPage(p: EditProps) {
  const { ctx, organisation: o } = p;
  const { t } = ctx;
  const ie = p.interactionErrors ?? {};
  const ve = p.inviteErrors ?? {};
  return (
    <Layout ctx={ctx} title={o.name} area="admin">
      <AreaStyles />
      <p class="breadcrumb">
        <a href="/admin/organisations" safe>
          {t('backofficeOrganisations.list.title')}
        </a>
      </p>
      <h1 safe>{o.name}</h1>
      <nav class="bo-toc" aria-label={t('backofficeOrganisations.edit.toc')}>
        <ul>
          <li>
            <a href="#fiche" safe>{t('backofficeOrganisations.edit.form')}</a>
          </li>
          <li>
            <a href="#comptes" safe>{t('backofficeOrganisations.edit.accounts')}</a>
          </li>
          <li>
            <a href="#contacts" safe>{t('backofficeOrganisations.edit.contacts')}</a>
          </li>
          <li>
            <a href="#interactions" safe>{t('backofficeOrganisations.edit.interactions')}</a>
          </li>
          <li>
            <a href="#historique" safe>{t('backofficeOrganisations.edit.history')}</a>
          </li>
        </ul>
      </nav>
      <dl class="facts">
        <dt safe>{t('backofficeOrganisations.edit.publicPage')}</dt>
        <dd>
          {o.visibility === 'public' ? (
            <a href={`/acteurs/${o.slug}`} safe>{`/acteurs/${o.slug}`}</a>
          ) : (
            <span safe>{t(VISIBILITY[o.visibility] ?? 'org.visibility.staff')}</span>
          )}
        </dd>
        <dt safe>{t('backofficeOrganisations.field.reviewedAt')}</dt>
        <dd safe>{o.reviewed_at ? when(ctx, o.reviewed_at) : t('backofficeOrganisations.list.neverReviewed')}</dd>
        <dt safe>{t('backofficeOrganisations.edit.updatedAt')}</dt>
        <dd safe>{when(ctx, o.updated_at)}</dd>
        <dt safe>{t('backofficeOrganisations.field.tags')}</dt>
        <dd safe>{p.tags.join(', ') || '—'}</dd>
        <dt safe>{t('backofficeOrganisations.edit.position')}</dt>
        <dd>
          <span safe>
            {o.latitude !== null && o.longitude !== null
              ? `${o.latitude.toFixed(5)}, ${o.longitude.toFixed(5)}${o.geo_precision ? ` (${t(PRECISION[o.geo_precision] ?? 'backofficeOrganisations.precision.manual')})` : ''}`
              : t('backofficeOrganisations.edit.noPosition')}
          </span>{' '}
          <a href={`/admin/organisations/${o.id}/position`} safe>
            {t('backofficeOrganisations.edit.movePosition')}
          </a>
        </dd>
      </dl>
      <div class="actions">
        <Form ctx={ctx} action={`/admin/organisations/${o.id}/revue`} class="inline-actions">
          <SubmitButton label={t('backofficeOrganisations.edit.markReviewed')} variant="secondary" />
        </Form>
      </div>

      <Section id="fiche" title={t('backofficeOrganisations.edit.form')}>
        <OrganisationForm {...p} action={`/admin/organisations/${o.id}#fiche`} />
      </Section>

      <Section id="comptes" title={t('backofficeOrganisations.edit.accounts')}>
        {p.accounts.length ? (
          <ul class="bo-list">
            {p.accounts.map((a) => (
              <li>
                <a href={`/admin/comptes/${a.id}`} safe>
                  {a.display_name}
                </a>
                <span safe>{` · ${a.email} · ${t(ROLE_LABEL[a.role])} · ${t(STATUS_LABEL[a.status])}`}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p safe>{t('backofficeOrganisations.edit.noAccounts')}</p>
        )}
        <h3 safe>{t('backofficeOrganisations.invite.title')}</h3>
        <ErrorSummary ctx={ctx} errors={ve} prefix="invite" />
        <Form ctx={ctx} action={`/admin/organisations/${o.id}/inviter#comptes`}>
          <p class="hint" safe>
            {t('backofficeOrganisations.invite.intro')}
          </p>
          <Field prefix="invite" name="display_name" label={t('field.displayName')} value={p.inviteValues?.['display_name']} error={ve['display_name']} required autocomplete="off" />
          <Field prefix="invite" name="email" type="email" label={t('field.email')} value={p.inviteValues?.['email']} error={ve['email']} required autocomplete="off" />
          <SubmitButton label={t('backofficeOrganisations.invite.submit')} variant="secondary" />
        </Form>
      </Section>

      <Section id="contacts" title={t('backofficeOrganisations.edit.contacts')}>
        {p.contacts.length ? (
          <ul class="bo-list">
            {p.contacts.map((c) => (
              <li>
                <a href={`/admin/contacts/${c.id}`} safe>
                  {[c.first_name, c.last_name].filter(Boolean).join(' ')}
                </a>
                <span safe>{`${c.function ? ` · ${c.function}` : ''}${c.is_main ? ` · ${t('backofficeOrganisations.contact.main')}` : ''}`}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p safe>{t('backofficeOrganisations.edit.noContacts')}</p>
        )}
        <p>
          <a href={`/admin/contacts/nouveau?structure=${o.id}`} safe>
            {t('backofficeOrganisations.contacts.create')}
          </a>
        </p>
      </Section>

      <Section id="interactions" title={t('backofficeOrganisations.edit.interactions')}>
        {p.interactions.length ? (
          <ol class="timeline">
            {p.interactions.map((i) => (
              <li>
                <time datetime={i.occurred_on} safe>
                  {day(ctx, i.occurred_on)}
                </time>
                <div>
                  <p class="bo-history-head">
                    <strong safe>{t(INTERACTION_LABEL[i.kind] ?? 'backofficeOrganisations.interaction.call')}</strong>
                    <span safe>{` · ${i.author_name ?? t('audit.system')}`}</span>
                  </p>
                  <p class="bo-pre" safe>
                    {i.text}
                  </p>
                </div>
              </li>
            ))}
          </ol>
        ) : (
          <p safe>{t('backofficeOrganisations.interaction.empty')}</p>
        )}
        <h3 safe>{t('backofficeOrganisations.interaction.add')}</h3>
        <ErrorSummary ctx={ctx} errors={ie} prefix="interaction" />
        <Form ctx={ctx} action={`/admin/organisations/${o.id}/interactions#interactions`}>
          <Select
            prefix="interaction"
            name="kind"
            label={t('backofficeOrganisations.interaction.kind')}
            value={p.interactionValues?.['kind']}
            error={ie['kind']}
            options={INTERACTION_KINDS.map((k) => ({ value: k, label: t(INTERACTION_LABEL[k]!) }))}
            required
          />
          <DateField prefix="interaction" name="occurred_on" label={t('backofficeOrganisations.interaction.date')} value={p.interactionValues?.['occurred_on'] ?? p.today} error={ie['occurred_on']} />
          <TextArea prefix="interaction" name="text" label={t('backofficeOrganisations.interaction.text')} value={p.interactionValues?.['text']} error={ie['text']} required />
          <SubmitButton label={t('backofficeOrganisations.interaction.submit')} variant="secondary" />
        </Form>
      </Section>

      <Section id="historique" title={t('backofficeOrganisations.edit.history')}>
        <History ctx={ctx} entries={p.history} labels={HISTORY_LABELS} />
      </Section>
    </Layout>
  );
}

export function DateField(props: { name: string; label: string; value?: string; error?: string; prefix?: string }) {
  const id = props.prefix ? `f-${props.prefix}-${props.name}` : `f-${props.name}`;
  return (
    <div class={props.error ? 'field field-invalid' : 'field'}>
      <label for={id} safe>
        {props.label}
      </label>
      {props.error ? (
        <p class="field-error" id={`${id}-error`} safe>
          {props.error}
        </p>
      ) : (
        ''
      )}
      <input type="date" id={id} name={props.name} value={props.value} aria-invalid={props.error ? 'true' : undefined} aria-describedby={props.error ? `${id}-error` : undefined} />
    </div>
  );
}
