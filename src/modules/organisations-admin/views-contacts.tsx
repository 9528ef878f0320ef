import { formatPhone } from '../../kernel/identifiers.js';
import { numberFormat, type MessageKey } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { CheckboxField, ErrorSummary, Field, fieldId, Form, Select, SubmitButton, TextArea } from '../../kernel/ui/form.js';
import { Pager } from '../../kernel/ui/pager.js';
import { DataTable, ResultCount } from '../../kernel/ui/table.js';
import { CONTACT_MERGE_SUMMARIES, type RecordOrigin } from '../merge/index.js';
import { CIVILITIES, CONSENT_BASES, CONSENT_EVENTS, CONSENT_PURPOSES, CONSENT_SOURCES, type ContactDetail, type ContactValues, fullName } from './contacts.js';
import type { ConsentRow, ContactLinks, ContactRow } from './contacts-repo.js';
import {
  activeFilterCount,
  AreaPage,
  countryOptions,
  departmentOptions,
  FilterBar,
  History,
  type HistoryEntry,
  type HistorySummaries,
  type Labels,
  labelOf,
  Origins,
  Section,
  SubForm,
  summaryAnchor,
  taxonomyOptions,
  Toc,
  when,
  dayOrMoment,
} from './views-common.js';

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

/** The coded fields of a consent, in the order of the table's columns and of the form's fields. */
const CONSENT_CODES = [
  { name: 'purpose', label: 'backofficeOrganisations.consent.purpose', codes: CONSENT_PURPOSES, labels: PURPOSE },
  { name: 'basis', label: 'backofficeOrganisations.consent.basis', codes: CONSENT_BASES, labels: BASIS },
  { name: 'event', label: 'backofficeOrganisations.consent.event', codes: CONSENT_EVENTS, labels: EVENT },
  { name: 'source', label: 'backofficeOrganisations.consent.source', codes: CONSENT_SOURCES, labels: SOURCE },
] as const;

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

const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/**
 * The erasure's entry says what went, not a field « erased » going from nothing to true; a merge's
 * and its undo's say with whom, and link to the merge.
 */
const CONTACT_HISTORY_SUMMARIES: HistorySummaries = {
  ...CONTACT_MERGE_SUMMARIES,
  'contact.erased': (ctx, after) => ctx.t('backofficeOrganisations.history.erasedSummary', { emails: count(after['emails']), roles: count(after['roles']), interactions: count(after['interactions']) }),
};

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
  return (
    <AreaPage ctx={ctx} title={t('backofficeOrganisations.contacts.title')} create={{ href: '/admin/contacts/nouveau', label: t('backofficeOrganisations.contacts.create') }}>
      <FilterBar ctx={ctx} action="/admin/contacts" active={activeFilterCount(shown)}>
        <Field name="q" label={t('backofficeOrganisations.contacts.search')} value={shown['q']} />
        <Field name="structure" label={t('backofficeOrganisations.contacts.organisation')} value={shown['structure']} />
        <Select name="theme" label={t('backofficeOrganisations.filter.theme')} options={taxonomyOptions(ctx, labels.themes, 'backofficeOrganisations.filter.allThemes')} value={shown['theme']} />
        <Select name="pays" label={t('backofficeOrganisations.filter.country')} options={countryOptions(ctx)} value={shown['pays']} />
        <Select name="famille" label={t('org.field.kind')} options={taxonomyOptions(ctx, labels.kinds, 'backofficeOrganisations.filter.allKinds')} value={shown['famille']} />
        <Select name="departement" label={t('org.field.department')} options={departmentOptions(ctx, shown['departement'])} value={shown['departement']} />
      </FilterBar>
      <ResultCount text={t('backofficeOrganisations.contacts.count', { count: numberFormat(ctx.locale).format(total) })} />
      <DataTable caption={t('backofficeOrganisations.contacts.title')} columns={[t('backofficeOrganisations.contact.name'), t('field.email'), t('backofficeOrganisations.contact.roles'), t('org.field.phone')]} class="table-stack">
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
      </DataTable>
      <Pager ctx={ctx} page={page} total={total} pageSize={CONTACT_PAGE_SIZE} query={query} />
    </AreaPage>
  );
}

interface FormProps {
  ctx: ViewContext;
  t: Labels;
  values: ContactValues;
  errors: Record<string, string>;
  action: string;
  /** The id of the error summary, when the action leads to it (a record's page). */
  summaryId?: string;
}

function ContactForm({ ctx, t: labels, values, errors, action, summaryId }: FormProps) {
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
      <ErrorSummary ctx={ctx} errors={errors} id={summaryId} />
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
                <CheckboxField name={`role_main_${idx}`} label={t('backofficeOrganisations.contact.roleMain', { n: n + 1 })} checked={i !== 'new' && v(`role_main_${idx}`) === '1'} />
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
          <CheckboxField name="public_profile" label={t('backofficeOrganisations.contact.publicProfileConsent')} checked={v('public_profile') === '1'} />
        </fieldset>
        <SubmitButton label={t('form.save')} />
      </Form>
    </>
  );
}

export function ContactCreatePage(p: Omit<FormProps, 'action'>) {
  const { t } = p.ctx;
  return (
    <AreaPage ctx={p.ctx} title={t('backofficeOrganisations.contacts.createTitle')} back={{ href: '/admin/contacts', label: t('backofficeOrganisations.contacts.title') }}>
      <ContactForm {...p} action="/admin/contacts/nouveau" />
    </AreaPage>
  );
}

interface EditProps extends Omit<FormProps, 'action'> {
  contact: ContactDetail;
  consents: (ConsentRow & { recorder_name: string | null })[];
  history: HistoryEntry[];
  /** The imports the person came from (their own, then those of duplicates merged into them). */
  origins: RecordOrigin[];
  consentValues?: Record<string, string>;
  consentErrors?: Record<string, string>;
  today: string;
}

/** A consent code's label, or the code itself when the catalogue does not know it. */
function consentLabel(ctx: ViewContext, labels: Record<string, MessageKey>, code: string): string {
  const key = labels[code];
  return key ? ctx.t(key) : code;
}

function ConsentTable({ ctx, consents }: { ctx: ViewContext; consents: EditProps['consents'] }) {
  const { t } = ctx;
  if (!consents.length) return <p safe>{t('backofficeOrganisations.consent.empty')}</p>;
  const columns = [
    t('backofficeOrganisations.consent.at'),
    ...CONSENT_CODES.map((c) => t(c.label)),
    t('backofficeOrganisations.consent.detail'),
    t('backofficeOrganisations.consent.recordedBy'),
  ];
  return (
    <DataTable caption={t('backofficeOrganisations.consent.title')} columns={columns} class="table-stack">
      {consents.map((k) => (
        <tr>
          <td class="nowrap" safe>
            {dayOrMoment(ctx, k.at)}
          </td>
          {CONSENT_CODES.map((c) => (
            <td data-label={t(c.label)} safe>
              {consentLabel(ctx, c.labels, k[c.name])}
            </td>
          ))}
          <td data-label={t('backofficeOrganisations.consent.detail')} safe>
            {[k.detail, k.ip].filter(Boolean).join(' · ') || '—'}
          </td>
          <td data-label={t('backofficeOrganisations.consent.recordedBy')} safe>
            {k.recorder_name ?? '—'}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

export function ContactEditPage(p: EditProps) {
  const { ctx, contact: c } = p;
  const { t } = ctx;
  const ce = p.consentErrors ?? {};
  const cv = p.consentValues ?? {};
  return (
    <AreaPage ctx={ctx} title={fullName(c)} back={{ href: '/admin/contacts', label: t('backofficeOrganisations.contacts.title') }}>
      {c.erased_at ? (
        <p class="flash flash-info" safe>
          {t('backofficeOrganisations.rgpd.erasedOn', { date: when(ctx, c.erased_at) })}
        </p>
      ) : (
        <>
          <Toc
            ctx={ctx}
            entries={[
              ...(p.origins.length ? [{ href: '#provenance', label: t('backofficeOrganisations.origin.title') }] : []),
              { href: '#fiche', label: t('backofficeOrganisations.contact.sheet') },
              { href: '#consentements', label: t('backofficeOrganisations.consent.title') },
              { href: '#rgpd', label: t('backofficeOrganisations.rgpd.title') },
              { href: '#historique', label: t('backofficeOrganisations.edit.history') },
            ]}
          />
          <Origins ctx={ctx} origins={p.origins} />
          <Section id="fiche" title={t('backofficeOrganisations.contact.sheet')}>
            <ContactForm ctx={ctx} t={p.t} values={p.values} errors={p.errors} action={`/admin/contacts/${c.id}#${summaryAnchor('fiche')}`} summaryId={summaryAnchor('fiche')} />
          </Section>
        </>
      )}
      <Section id="consentements" title={t('backofficeOrganisations.consent.title')}>
        <ConsentTable ctx={ctx} consents={p.consents} />
        {c.erased_at ? (
          ''
        ) : (
          <SubForm ctx={ctx} title={t('backofficeOrganisations.consent.add')} prefix="consent" section="consentements" errors={ce} action={`/admin/contacts/${c.id}/consentements`} submit={t('backofficeOrganisations.consent.submit')}>
            {CONSENT_CODES.map((c) => (
              <Select prefix="consent" name={c.name} label={t(c.label)} options={c.codes.map((x) => ({ value: x, label: t(c.labels[x]!) }))} value={cv[c.name]} error={ce[c.name]} required />
            ))}
            <Field prefix="consent" name="at" type="date" label={t('backofficeOrganisations.consent.at')} value={cv['at'] ?? p.today} error={ce['at']} />
            <Field prefix="consent" name="detail" label={t('backofficeOrganisations.consent.detail')} hint={t('backofficeOrganisations.consent.detailHint')} value={cv['detail']} error={ce['detail']} />
          </SubForm>
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
        <History ctx={ctx} entries={p.history} labels={CONTACT_HISTORY_LABELS} summaries={CONTACT_HISTORY_SUMMARIES} />
      </Section>
    </AreaPage>
  );
}

/** The confirmation step of an export or an erasure (both POST). */
export function RgpdConfirmPage({ ctx, contact, kind }: { ctx: ViewContext; contact: ContactDetail; kind: 'export' | 'erase' }) {
  const { t } = ctx;
  const exporting = kind === 'export';
  const title = exporting ? t('backofficeOrganisations.rgpd.exportTitle', { name: fullName(contact) }) : t('backofficeOrganisations.rgpd.eraseTitle', { name: fullName(contact) });
  return (
    <AreaPage ctx={ctx} title={title} back={{ href: `/admin/contacts/${contact.id}`, label: fullName(contact) }}>
      <p safe>{exporting ? t('backofficeOrganisations.rgpd.exportText') : t('backofficeOrganisations.rgpd.eraseText')}</p>
      <Form ctx={ctx} action={`/admin/contacts/${contact.id}/${exporting ? 'export' : 'effacer'}`} class="inline-actions">
        <SubmitButton label={exporting ? t('backofficeOrganisations.rgpd.exportConfirm') : t('backofficeOrganisations.rgpd.eraseConfirm')} variant={exporting ? 'primary' : 'danger'} />
        <a href={`/admin/contacts/${contact.id}`} safe>
          {t('backofficeOrganisations.rgpd.cancel')}
        </a>
      </Form>
    </AreaPage>
  );
}
