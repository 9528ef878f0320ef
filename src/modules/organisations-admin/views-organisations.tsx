import type { Role, UserStatus } from '../../db/schema.js';
import type { MessageKey } from '../../kernel/i18n/index.js';
import { isErasedAccount } from '../../kernel/auth/erased.js';
import { formatDay } from '../../kernel/time/date-only.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { CheckboxField, ErrorSummary, Field, Form, Select, SubmitButton, TextArea } from '../../kernel/ui/form.js';
import { describePosition } from '../map/index.js';
import { ORGANISATION_MERGE_SUMMARIES, type RecordOrigin } from '../merge/index.js';
import { DuplicateWarning, type Organisation, OrganisationFormFields, organisationValueText, visibilityLabel } from '../organisations/index.js';
import type { DuplicateWarningState } from './duplicate-check.js';
import { fullName } from './contacts.js';
import { centsToEuro, INTERACTION_KINDS } from './organisation-edit.js';
import { MEMBERSHIP_STATUSES } from './query.js';
import type { MembershipRow } from './repo.js';
import { flaggedFields } from './source-flags.js';
import { AreaPage, History, type HistoryEntry, type Labels, Origins, Section, SubForm, summaryAnchor, Toc, when } from './views-common.js';

const MEMBERSHIP_LABEL: Record<string, MessageKey> = {
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
const ROLE_LABEL: Record<Role, MessageKey> = { member: 'role.member', staff: 'role.staff', admin: 'role.admin' };
const STATUS_LABEL: Record<UserStatus, MessageKey> = { invited: 'status.invited', active: 'status.active', deactivated: 'status.deactivated' };

/** Field names of the audit snapshots, for the history. */
const HISTORY_LABELS: Record<string, MessageKey> = {
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
  duplicates_shown: 'duplicateWarning.history.shown',
  duplicates_names: 'duplicateWarning.history.names',
};

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
  /** The id of the error summary, when the action leads to it (a record's page). */
  summaryId?: string;
  /** Likely duplicates of what was submitted: shown first, nothing was saved. */
  duplicates?: DuplicateWarningState;
}

function OrganisationForm({ ctx, t: labels, values, memberships, isMember, errors, action, summaryId, duplicates, submitAnyway }: FormProps & { submitAnyway: string }) {
  const { t } = ctx;
  return (
    <>
      <ErrorSummary ctx={ctx} errors={errors} id={summaryId} />
      <Form ctx={ctx} action={action} class="stack-form bo-org-form" multipart>
        {duplicates ? <DuplicateWarning ctx={ctx} matches={duplicates.matches} confirmMissing={duplicates.confirmMissing} audience="staff" submit={submitAnyway} /> : ''}
        <OrganisationFormFields ctx={ctx} values={values} errors={errors} staff taxonomies={labels} />
        <fieldset class="org-section">
          <legend safe>{t('backofficeOrganisations.section.membership')}</legend>
          <CheckboxField name="is_member" label={t('backofficeOrganisations.field.isMember')} checked={isMember} />
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
    <AreaPage ctx={p.ctx} title={t('backofficeOrganisations.create.title')} back={{ href: '/admin/organisations', label: t('backofficeOrganisations.list.title') }}>
      <OrganisationForm {...p} action="/admin/organisations/nouvelle" submitAnyway={t('duplicateWarning.submit.create')} />
    </AreaPage>
  );
}

type Interaction = { id: string; kind: string; occurred_on: string; text: string; author_name: string | null };
type Account = { id: string; email: string; display_name: string; status: UserStatus; role: Role };
type ContactOfOrganisation = { id: string; first_name: string | null; last_name: string; function: string | null; is_main: number };

interface EditProps extends Omit<FormProps, 'action'> {
  organisation: Organisation;
  tags: string[];
  history: HistoryEntry[];
  interactions: Interaction[];
  accounts: Account[];
  contacts: ContactOfOrganisation[];
  /** The imports the record came from (its own, then those of records merged into it). */
  origins: RecordOrigin[];
  interactionValues?: Record<string, string>;
  interactionErrors?: Record<string, string>;
  inviteValues?: Record<string, string>;
  inviteErrors?: Record<string, string>;
  today: string;
}

export function OrganisationEditPage(p: EditProps) {
  const { ctx, organisation: o } = p;
  const { t } = ctx;
  return (
    <AreaPage ctx={ctx} title={o.name} back={{ href: '/admin/organisations', label: t('backofficeOrganisations.list.title') }}>
      <Toc
        ctx={ctx}
        entries={[
          ...(p.origins.length ? [{ href: '#provenance', label: t('backofficeOrganisations.origin.title') }] : []),
          { href: '#fiche', label: t('backofficeOrganisations.edit.form') },
          { href: '#comptes', label: t('backofficeOrganisations.edit.accounts') },
          { href: '#contacts', label: t('backofficeOrganisations.edit.contacts') },
          { href: '#interactions', label: t('backofficeOrganisations.edit.interactions') },
          { href: '#historique', label: t('backofficeOrganisations.edit.history') },
        ]}
      />
      <OrganisationFacts ctx={ctx} organisation={o} tags={p.tags} />
      <FlaggedIdentifiers ctx={ctx} organisation={o} />
      <Origins ctx={ctx} origins={p.origins} />
      <div class="actions">
        <Form ctx={ctx} action={`/admin/organisations/${o.id}/revue`} class="inline-actions">
          <SubmitButton label={t('backofficeOrganisations.edit.markReviewed')} variant="secondary" />
        </Form>
      </div>

      <Section id="fiche" title={t('backofficeOrganisations.edit.form')}>
        <OrganisationForm {...p} action={`/admin/organisations/${o.id}#${summaryAnchor('fiche')}`} summaryId={summaryAnchor('fiche')} submitAnyway={t('duplicateWarning.submit.save')} />
      </Section>

      <Section id="comptes" title={t('backofficeOrganisations.edit.accounts')}>
        <AccountList ctx={ctx} accounts={p.accounts} />
        <SubForm ctx={ctx} title={t('backofficeOrganisations.invite.title')} prefix="invite" section="comptes" errors={p.inviteErrors ?? {}} action={`/admin/organisations/${o.id}/inviter`} submit={t('backofficeOrganisations.invite.submit')}>
          <p class="hint" safe>
            {t('backofficeOrganisations.invite.intro')}
          </p>
          <Field prefix="invite" name="display_name" label={t('field.displayName')} value={p.inviteValues?.['display_name']} error={p.inviteErrors?.['display_name']} required autocomplete="off" />
          <Field prefix="invite" name="email" type="email" label={t('field.email')} value={p.inviteValues?.['email']} error={p.inviteErrors?.['email']} required autocomplete="off" />
        </SubForm>
      </Section>

      <Section id="contacts" title={t('backofficeOrganisations.edit.contacts')}>
        <ContactList ctx={ctx} contacts={p.contacts} />
        <p>
          <a href={`/admin/contacts/nouveau?structure=${o.id}`} safe>
            {t('backofficeOrganisations.contacts.create')}
          </a>
        </p>
      </Section>

      <Section id="interactions" title={t('backofficeOrganisations.edit.interactions')}>
        <InteractionTimeline ctx={ctx} interactions={p.interactions} />
        <SubForm ctx={ctx} title={t('backofficeOrganisations.interaction.add')} prefix="interaction" section="interactions" errors={p.interactionErrors ?? {}} action={`/admin/organisations/${o.id}/interactions`} submit={t('backofficeOrganisations.interaction.submit')}>
          <Select
            prefix="interaction"
            name="kind"
            label={t('backofficeOrganisations.interaction.kind')}
            value={p.interactionValues?.['kind']}
            error={p.interactionErrors?.['kind']}
            options={INTERACTION_KINDS.map((k) => ({ value: k, label: t(INTERACTION_LABEL[k]!) }))}
            required
          />
          <Field prefix="interaction" name="occurred_on" type="date" label={t('backofficeOrganisations.interaction.date')} value={p.interactionValues?.['occurred_on'] ?? p.today} error={p.interactionErrors?.['occurred_on']} />
          <TextArea prefix="interaction" name="text" label={t('backofficeOrganisations.interaction.text')} value={p.interactionValues?.['text']} error={p.interactionErrors?.['text']} required />
        </SubForm>
      </Section>

      <Section id="historique" title={t('backofficeOrganisations.edit.history')}>
        <History ctx={ctx} entries={p.history} labels={HISTORY_LABELS} texts={(field, value) => organisationValueText(ctx, p.t, field, value)} summaries={ORGANISATION_MERGE_SUMMARIES} />
      </Section>
    </AreaPage>
  );
}

const FLAG_LABEL: Record<string, MessageKey> = {
  siren: 'backofficeOrganisations.flag.siren',
  siret: 'backofficeOrganisations.flag.siret',
  rna: 'backofficeOrganisations.flag.rna',
};

/** "SIRET invalide conservé tel quel : 123 456" for each identifier an import (or a merge) kept raw. */
function FlaggedIdentifiers({ ctx, organisation: o }: { ctx: ViewContext; organisation: Organisation }) {
  const { t } = ctx;
  const row = o as unknown as Record<string, unknown>;
  const flags = flaggedFields(o).filter((f) => row[f] !== null && row[f] !== undefined && String(row[f]) !== '');
  if (!flags.length) return '';
  return (
    <section class="flash flash-info source-flags" aria-labelledby="identifiants-a-verifier">
      <h2 id="identifiants-a-verifier" safe>{t('backofficeOrganisations.flags.title')}</h2>
      <ul>
        {flags.map((f) => (
          <li safe>{FLAG_LABEL[f] ? t(FLAG_LABEL[f], { value: String(row[f]) }) : t('backofficeOrganisations.flag.other', { field: f, value: String(row[f]) })}</li>
        ))}
      </ul>
      <p class="hint" safe>{t('backofficeOrganisations.flags.hint')}</p>
    </section>
  );
}

/** Public page, review, last change, tags and position of the record. */
function OrganisationFacts({ ctx, organisation: o, tags }: { ctx: ViewContext; organisation: Organisation; tags: string[] }) {
  const { t } = ctx;
  return (
    <dl class="facts">
      <dt safe>{t('backofficeOrganisations.edit.publicPage')}</dt>
      <dd>
        {o.visibility === 'public' ? (
          <a href={`/acteurs/${o.slug}`} safe>{`/acteurs/${o.slug}`}</a>
        ) : (
          <span safe>{visibilityLabel(t, o.visibility)}</span>
        )}
      </dd>
      <dt safe>{t('backofficeOrganisations.field.reviewedAt')}</dt>
      <dd safe>{o.reviewed_at ? when(ctx, o.reviewed_at) : t('backofficeOrganisations.list.neverReviewed')}</dd>
      <dt safe>{t('backofficeOrganisations.edit.updatedAt')}</dt>
      <dd safe>{when(ctx, o.updated_at)}</dd>
      <dt safe>{t('backofficeOrganisations.field.tags')}</dt>
      <dd safe>{tags.join(', ') || '—'}</dd>
      <dt safe>{t('backofficeOrganisations.edit.position')}</dt>
      <dd>
        <span safe>
          {o.latitude !== null && o.longitude !== null
            ? describePosition(ctx, o)
            : t('backofficeOrganisations.edit.noPosition')}
        </span>{' '}
        <a href={`/admin/organisations/${o.id}/position`} safe>
          {t('backofficeOrganisations.edit.movePosition')}
        </a>
      </dd>
    </dl>
  );
}

function AccountList({ ctx, accounts }: { ctx: ViewContext; accounts: Account[] }) {
  const { t } = ctx;
  if (!accounts.length) return <p safe>{t('backofficeOrganisations.edit.noAccounts')}</p>;
  return (
    <ul class="bo-list">
      {accounts.map((a) => {
        // An erased account reads as on the accounts page: « Compte effacé », status « Effacé », no placeholder address.
        const erased = isErasedAccount({ id: a.id, email_lower: a.email.toLowerCase() });
        return (
          <li>
            <a href={`/admin/comptes/${a.id}`} safe>
              {erased ? t('users.erasedName') : a.display_name}
            </a>
            <span safe>{`${erased ? '' : ` · ${a.email}`} · ${t(ROLE_LABEL[a.role])} · ${erased ? t('users.status.erased') : t(STATUS_LABEL[a.status])}`}</span>
          </li>
        );
      })}
    </ul>
  );
}

function ContactList({ ctx, contacts }: { ctx: ViewContext; contacts: ContactOfOrganisation[] }) {
  const { t } = ctx;
  if (!contacts.length) return <p safe>{t('backofficeOrganisations.edit.noContacts')}</p>;
  return (
    <ul class="bo-list">
      {contacts.map((c) => (
        <li>
          <a href={`/admin/contacts/${c.id}`} safe>
            {fullName(c)}
          </a>
          <span safe>{`${c.function ? ` · ${c.function}` : ''}${c.is_main ? ` · ${t('backofficeOrganisations.contact.main')}` : ''}`}</span>
        </li>
      ))}
    </ul>
  );
}

function InteractionTimeline({ ctx, interactions }: { ctx: ViewContext; interactions: Interaction[] }) {
  const { t } = ctx;
  if (!interactions.length) return <p safe>{t('backofficeOrganisations.interaction.empty')}</p>;
  return (
    <ol class="timeline">
      {interactions.map((i) => (
        <li>
          <time datetime={i.occurred_on} safe>
            {formatDay(i.occurred_on, ctx.locale, 'medium')}
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
  );
}
