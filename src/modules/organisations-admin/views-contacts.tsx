import { listDepartments } from '../../kernel/geo/communes.js';
import { listCountries } from '../../kernel/geo/countries.js';
import { formatPhone } from '../../kernel/identifiers.js';
import type { MessageKey } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { ErrorSummary, Field, fieldId, Form, Select, SubmitButton, TextArea } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { CIVILITIES, CONSENT_BASES, CONSENT_EVENTS, CONSENT_PURPOSES, CONSENT_SOURCES, type ContactDetail, type ContactValues } from './contacts.js';
import type { ConsentRow, ContactLinks, ContactRow } from './repo.js';
import { Pager } from '../../kernel/ui/pager.js';
import { AreaStyles, Checkbox, History, type HistoryEntry, Section, when } from './views-common.js';
import { DateField, type Labels, labelOf } from './views-organisations.js';

export const CONTACT_PAGE_SIZE = 50;

const PURPOSE: Record<string, MessageKey> = {
  contact_database: 'backofficeOrganisations.consent.purpose.contact_database',
  newsletter: 'backofficeOrganisations.consent.purpose.newsletter',
  public_profile: 'backofficeOrganisations.consent.purpose.public_profile',
  events: 'backofficeOrganisations.consent.purpose.events',
};
const BASIS: Record<string, MessageKey> = {
  consent: 'backofficeOrganisations.consent.basis.consent',
  legitimate_interest: 'backofficeOrganisations.consent.basis.legitimate_interest',
  contract: 'backofficeOrganisations.consent.basis.contract',
  legal_obligation: 'backofficeOrganisations.consent.basis.legal_obligation',
};
const EVENT: Record<string, MessageKey> = {
  given: 'backofficeOrganisations.consent.event.given',
  withdrawn: 'backofficeOrganisations.consent.event.withdrawn',
  informed: 'backofficeOrganisations.consent.event.informed',
};
const SOURCE: Record<string, MessageKey> = {
  staff: 'backofficeOrganisations.consent.source.staff',
  web_form: 'backofficeOrganisations.consent.source.web_form',
  email: 'backofficeOrganisations.consent.source.email',
  phone: 'backofficeOrganisations.consent.source.phone',
  paper: 'backofficeOrganisations.consent.source.paper',
  import: 'backofficeOrganisations.consent.source.import',
};

const CONTACT_HISTORY_LABELS: Record<string, MessageKey> = {
  civility: 'backofficeOrganisations.contact.civility',
  first_name: 'backofficeOrganisations.contact.firstName',
  last_name: 'backofficeOrganisations.contact.lastName',
  phone: 'org.field.phone',
  notes: 'backofficeOrganisations.contact.notes',
  public_profile: 'backofficeOrganisations.contact.publicProfile',
  emails: 'backofficeOrganisations.contact.emails',
  roles: 'backofficeOrganisations.contact.roles',
  themes: 'org.field.themes',
  countries: 'org.field.countries',
};

export function fullName(c: Pick<ContactRow, 'first_name' | 'last_name' | 'civility'>): string {
  return [c.first_name, c.last_name].filter(Boolean).join(' ');
}

interface ListProps {
  ctx: ViewContext;
  rows: (ContactRow & ContactLinks)[];
  total: number;
  page: number;
  query: string;
  shown: Record<string, string>;
  t: Labels;
}

export function ContactListPage({ ctx, rows, total, page, query, shown, t: labels }: ListProps) {
  const { t } = ctx;
  const any = { value: '', label: t('filter.all') };
  const departments = listDepartments()
    .filter((d) => d.region === ctx.site.regionCode || d.code === shown['departement'])
    .map((d) => ({ value: d.code, label: `${d.code} ${d.name}` }));
  return (
    <Layout ctx={ctx} title={t('backofficeOrganisations.contacts.title')} area="admin">
      <AreaStyles />
      <div class="page-head">
        <h1 safe>{t('backofficeOrganisations.contacts.title')}</h1>
        <a class="button button-primary" href="/admin/contacts/nouveau" safe>
          {t('backofficeOrganisations.contacts.create')}
        </a>
      </div>
      <form method="get" action="/admin/contacts" class="filter-bar" role="search" aria-label={t('backofficeOrganisations.list.filters')}>
        <Field name="q" label={t('backofficeOrganisations.contacts.search')} value={shown['q']} />
        <Field name="structure" label={t('backofficeOrganisations.contacts.organisation')} value={shown['structure']} />
        <Select name="theme" label={t('backofficeOrganisations.filter.theme')} options={[any, ...labels.themes.map((x) => ({ value: x.code, label: labelOf(ctx, labels.themes, x.code) }))]} value={shown['theme']} />
        <Select name="pays" label={t('backofficeOrganisations.filter.country')} options={[any, ...listCountries(ctx.locale).map((c) => ({ value: c.code, label: c.name }))]} value={shown['pays']} />
        <Select name="famille" label={t('org.field.kind')} options={[any, ...labels.kinds.map((x) => ({ value: x.code, label: labelOf(ctx, labels.kinds, x.code) }))]} value={shown['famille']} />
        <Select name="departement" label={t('org.field.department')} options={[any, ...departments]} value={shown['departement']} />
        <SubmitButton label={t('filter.apply')} variant="secondary" />
      </form>
      <p class="result-count" role="status" safe>
        {t('backofficeOrganisations.contacts.count', { count: total })}
      </p>
      <div class="table-wrap">
        <table class="table-stack">
          <caption class="visually-hidden" safe>
            {t('backofficeOrganisations.contacts.title')}
          </caption>
          <thead>
            <tr>
              <th scope="col" safe>{t('backofficeOrganisations.contact.name')}</th>
              <th scope="col" safe>{t('field.email')}</th>
              <th scope="col" safe>{t('backofficeOrganisations.contact.roles')}</th>
              <th scope="col" safe>{t('org.field.phone')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr>
                <td>
                  <a href={`/admin/contacts/${c.id}`} safe>
                    {fullName(c)}
                  </a>
                </td>
                <td data-label={t('field.email')} safe>
                  {c.emails[0]?.email ?? '—'}
                </td>
                <td data-label={t('backofficeOrganisations.contact.roles')} safe>
                  {c.roles.map((r) => (r.function ? `${r.organisation_name} (${r.function})` : r.organisation_name)).join(', ') || '—'}
                </td>
                <td data-label={t('org.field.phone')} class="nowrap">
                  {c.phone ? formatPhone(c.phone) : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager ctx={ctx} page={page} total={total} pageSize={CONTACT_PAGE_SIZE} query={query} />
    </Layout>
  );
}

interface FormProps {
  ctx: ViewContext;
  t: Labels;
  values: ContactValues;
  errors: Record<string, string>;
  action: string;
}

function ContactForm({ ctx, t: labels, values, errors, action }: FormProps) {
  const { t } = ctx;
  const v = (name: string) => {
    const x = values[name];
    return Array.isArray(x) ? x.join(', ') : (x ?? '');
  };
  const themes = Array.isArray(values['themes']) ? values['themes'] : values['themes'] ? [values['themes']] : [];
  const roleIndexes = [...new Set(Object.keys(values).map((k) => /^role_(?:org|function|main)_(\d{1,2})$/.exec(k)?.[1]).filter((x): x is string => x !== undefined))].sort((a, b) => Number(a) - Number(b));
  const rows = [...roleIndexes.filter((i) => v(`role_org_${i}`) || v(`role_function_${i}`)), 'new'];
  return (
    <>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Form ctx={ctx} action={action} class="stack-form bo-contact-form">
        <fieldset class="org-section">
          <legend safe>{t('backofficeOrganisations.contact.identity')}</legend>
          <Select
            name="civility"
            label={t('backofficeOrganisations.contact.civility')}
            value={v('civility')}
            error={errors['civility']}
            options={[{ value: '', label: '—' }, ...CIVILITIES.map((c) => ({ value: c, label: c }))]}
          />
          <Field name="first_name" label={t('backofficeOrganisations.contact.firstName')} value={v('first_name')} error={errors['first_name']} autocomplete="off" />
          <Field name="last_name" label={t('backofficeOrganisations.contact.lastName')} value={v('last_name')} error={errors['last_name']} required autocomplete="off" />
          <TextArea name="emails" label={t('backofficeOrganisations.contact.emails')} hint={t('backofficeOrganisations.contact.emailsHint')} value={v('emails')} error={errors['emails']} rows={3} />
          <Field name="phone" type="tel" label={t('org.field.phone')} value={v('phone')} error={errors['phone']} autocomplete="off" />
        </fieldset>
        <fieldset class="org-section">
          <legend safe>{t('backofficeOrganisations.contact.roles')}</legend>
          <p class="hint" safe>
            {t('backofficeOrganisations.contact.rolesHint')}
          </p>
          {rows.map((i, n) => {
            const idx = i === 'new' ? String(roleIndexes.length ? Math.max(...roleIndexes.map(Number)) + 1 : 0) : i;
            return (
              <div class="bo-role-row">
                <Field name={`role_org_${idx}`} label={t('backofficeOrganisations.contact.roleOrganisation', { n: n + 1 })} value={i === 'new' ? '' : v(`role_org_${idx}`)} error={errors[`role_org_${idx}`]} />
                <Field name={`role_function_${idx}`} label={t('backofficeOrganisations.contact.roleFunction', { n: n + 1 })} value={i === 'new' ? '' : v(`role_function_${idx}`)} error={errors[`role_function_${idx}`]} />
                <Checkbox name={`role_main_${idx}`} label={t('backofficeOrganisations.contact.roleMain', { n: n + 1 })} checked={i !== 'new' && v(`role_main_${idx}`) === '1'} />
              </div>
            );
          })}
        </fieldset>
        <fieldset class="org-section" aria-describedby={errors['themes'] ? `${fieldId('themes')}-error` : undefined}>
          <legend safe>{t('backofficeOrganisations.contact.interests')}</legend>
          {errors['themes'] ? (
            <p class="field-error" id={`${fieldId('themes')}-error`} safe>
              {errors['themes']}
            </p>
          ) : (
            ''
          )}
          <ul class="bo-checks" id={fieldId('themes')}>
            {labels.themes.map((x) => (
              <li class="field-check">
                <input type="checkbox" id={`f-themes-${x.code}`} name="themes" value={x.code} checked={themes.includes(x.code)} />
                <label for={`f-themes-${x.code}`} safe>
                  {labelOf(ctx, labels.themes, x.code)}
                </label>
              </li>
            ))}
          </ul>
          <Field name="countries" label={t('backofficeOrganisations.contact.countries')} hint={t('backofficeOrganisations.contact.countriesHint')} value={v('countries')} error={errors['countries']} />
        </fieldset>
        <fieldset class="org-section">
          <legend safe>{t('backofficeOrganisations.contact.privacy')}</legend>
          <TextArea name="notes" label={t('backofficeOrganisations.contact.notes')} value={v('notes')} error={errors['notes']} />
          <Checkbox name="public_profile" label={t('backofficeOrganisations.contact.publicProfileConsent')} checked={v('public_profile') === '1'} />
        </fieldset>
        <SubmitButton label={t('form.save')} />
      </Form>
    </>
  );
}

export function ContactCreatePage(p: Omit<FormProps, 'action'>) {
  const { t } = p.ctx;
  return (
    <Layout ctx={p.ctx} title={t('backofficeOrganisations.contacts.createTitle')} area="admin">
      <AreaStyles />
      <p class="breadcrumb">
        <a href="/admin/contacts" safe>
          {t('backofficeOrganisations.contacts.title')}
        </a>
      </p>
      <h1 safe>{t('backofficeOrganisations.contacts.createTitle')}</h1>
      <ContactForm {...p} action="/admin/contacts/nouveau" />
    </Layout>
  );
}

interface EditProps extends Omit<FormProps, 'action'> {
  contact: ContactDetail;
  consents: (ConsentRow & { recorder_name: string | null })[];
  history: HistoryEntry[];
  consentValues?: Record<string, string>;
  consentErrors?: Record<string, string>;
  today: string;
}

function ConsentTable({ ctx, consents }: { ctx: ViewContext; consents: EditProps['consents'] }) {
  const { t } = ctx;
  if (!consents.length) return <p safe>{t('backofficeOrganisations.consent.empty')}</p>;
  return (
    <div class="table-wrap">
      <table class="table-stack">
        <caption class="visually-hidden" safe>
          {t('backofficeOrganisations.consent.title')}
        </caption>
        <thead>
          <tr>
            <th scope="col" safe>{t('backofficeOrganisations.consent.at')}</th>
            <th scope="col" safe>{t('backofficeOrganisations.consent.purpose')}</th>
            <th scope="col" safe>{t('backofficeOrganisations.consent.basis')}</th>
            <th scope="col" safe>{t('backofficeOrganisations.consent.event')}</th>
            <th scope="col" safe>{t('backofficeOrganisations.consent.source')}</th>
            <th scope="col" safe>{t('backofficeOrganisations.consent.detail')}</th>
            <th scope="col" safe>{t('backofficeOrganisations.consent.recordedBy')}</th>
          </tr>
        </thead>
        <tbody>
          {consents.map((k) => (
            <tr>
              <td class="nowrap" safe>
                {when(ctx, k.at)}
              </td>
              <td data-label={t('backofficeOrganisations.consent.purpose')} safe>
                {PURPOSE[k.purpose] ? t(PURPOSE[k.purpose]!) : k.purpose}
              </td>
              <td data-label={t('backofficeOrganisations.consent.basis')} safe>
                {BASIS[k.basis] ? t(BASIS[k.basis]!) : k.basis}
              </td>
              <td data-label={t('backofficeOrganisations.consent.event')} safe>
                {EVENT[k.event] ? t(EVENT[k.event]!) : k.event}
              </td>
              <td data-label={t('backofficeOrganisations.consent.source')} safe>
                {SOURCE[k.source] ? t(SOURCE[k.source]!) : k.source}
              </td>
              <td data-label={t('backofficeOrganisations.consent.detail')} safe>
                {[k.detail, k.ip].filter(Boolean).join(' · ') || '—'}
              </td>
              <td data-label={t('backofficeOrganisations.consent.recordedBy')} safe>
                {k.recorder_name ?? '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ContactEditPage(p: EditProps) {
  const { ctx, contact: c } = p;
  const { t } = ctx;
  const ce = p.consentErrors ?? {};
  const cv = p.consentValues ?? {};
  const opts = (values: readonly string[], map: Record<string, MessageKey>) => values.map((x) => ({ value: x, label: t(map[x]!) }));
  const title = fullName(c);
  return (
    <Layout ctx={ctx} title={title} area="admin">
      <AreaStyles />
      <p class="breadcrumb">
        <a href="/admin/contacts" safe>
          {t('backofficeOrganisations.contacts.title')}
        </a>
      </p>
      <h1 safe>{title}</h1>
      {c.erased_at ? (
        <p class="flash flash-info" safe>
          {t('backofficeOrganisations.rgpd.erasedOn', { date: when(ctx, c.erased_at) })}
        </p>
      ) : (
        <>
          <nav class="bo-toc" aria-label={t('backofficeOrganisations.edit.toc')}>
            <ul>
              <li>
                <a href="#fiche" safe>{t('backofficeOrganisations.contact.sheet')}</a>
              </li>
              <li>
                <a href="#consentements" safe>{t('backofficeOrganisations.consent.title')}</a>
              </li>
              <li>
                <a href="#rgpd" safe>{t('backofficeOrganisations.rgpd.title')}</a>
              </li>
              <li>
                <a href="#historique" safe>{t('backofficeOrganisations.edit.history')}</a>
              </li>
            </ul>
          </nav>
          <Section id="fiche" title={t('backofficeOrganisations.contact.sheet')}>
            <ContactForm ctx={ctx} t={p.t} values={p.values} errors={p.errors} action={`/admin/contacts/${c.id}#fiche`} />
          </Section>
        </>
      )}
      <Section id="consentements" title={t('backofficeOrganisations.consent.title')}>
        <ConsentTable ctx={ctx} consents={p.consents} />
        {c.erased_at ? (
          ''
        ) : (
          <>
            <h3 safe>{t('backofficeOrganisations.consent.add')}</h3>
            <ErrorSummary ctx={ctx} errors={ce} prefix="consent" />
            <Form ctx={ctx} action={`/admin/contacts/${c.id}/consentements#consentements`}>
              <Select prefix="consent" name="purpose" label={t('backofficeOrganisations.consent.purpose')} options={opts(CONSENT_PURPOSES, PURPOSE)} value={cv['purpose']} error={ce['purpose']} required />
              <Select prefix="consent" name="basis" label={t('backofficeOrganisations.consent.basis')} options={opts(CONSENT_BASES, BASIS)} value={cv['basis']} error={ce['basis']} required />
              <Select prefix="consent" name="event" label={t('backofficeOrganisations.consent.event')} options={opts(CONSENT_EVENTS, EVENT)} value={cv['event']} error={ce['event']} required />
              <Select prefix="consent" name="source" label={t('backofficeOrganisations.consent.source')} options={opts(CONSENT_SOURCES, SOURCE)} value={cv['source']} error={ce['source']} required />
              <DateField prefix="consent" name="at" label={t('backofficeOrganisations.consent.at')} value={cv['at'] ?? p.today} error={ce['at']} />
              <Field prefix="consent" name="detail" label={t('backofficeOrganisations.consent.detail')} hint={t('backofficeOrganisations.consent.detailHint')} value={cv['detail']} error={ce['detail']} />
              <SubmitButton label={t('backofficeOrganisations.consent.submit')} variant="secondary" />
            </Form>
          </>
        )}
      </Section>
      {c.erased_at ? (
        ''
      ) : (
        <Section id="rgpd" title={t('backofficeOrganisations.rgpd.title')}>
          <p safe>{t('backofficeOrganisations.rgpd.intro')}</p>
          <div class="actions">
            <a class="button button-secondary" href={`/admin/contacts/${c.id}/export`} safe>
              {t('backofficeOrganisations.rgpd.export')}
            </a>
            <a class="button button-danger" href={`/admin/contacts/${c.id}/effacer`} safe>
              {t('backofficeOrganisations.rgpd.erase')}
            </a>
          </div>
        </Section>
      )}
      <Section id="historique" title={t('backofficeOrganisations.edit.history')}>
        <History ctx={ctx} entries={p.history} labels={CONTACT_HISTORY_LABELS} />
      </Section>
    </Layout>
  );
}

/** The confirmation step of an export or an erasure (both POST). */
export function RgpdConfirmPage({ ctx, contact, kind }: { ctx: ViewContext; contact: ContactDetail; kind: 'export' | 'erase' }) {
  const { t } = ctx;
  const title = kind === 'export' ? t('backofficeOrganisations.rgpd.exportTitle', { name: fullName(contact) }) : t('backofficeOrganisations.rgpd.eraseTitle', { name: fullName(contact) });
  return (
    <Layout ctx={ctx} title={title} area="admin">
      <AreaStyles />
      <p class="breadcrumb">
        <a href={`/admin/contacts/${contact.id}`} safe>
          {fullName(contact)}
        </a>
      </p>
      <h1 safe>{title}</h1>
      <p safe>{kind === 'export' ? t('backofficeOrganisations.rgpd.exportText') : t('backofficeOrganisations.rgpd.eraseText')}</p>
      <Form ctx={ctx} action={`/admin/contacts/${contact.id}/${kind === 'export' ? 'export' : 'effacer'}`} class="inline-actions">
        <SubmitButton label={kind === 'export' ? t('backofficeOrganisations.rgpd.exportConfirm') : t('backofficeOrganisations.rgpd.eraseConfirm')} variant={kind === 'export' ? 'primary' : 'danger'} />
        <a href={`/admin/contacts/${contact.id}`} safe>
          {t('backofficeOrganisations.rgpd.cancel')}
        </a>
      </Form>
    </Layout>
  );
}
