import { htmlToText } from '../../kernel/html.js';
import { formatPhone } from '../../kernel/identifiers.js';
import { formatDateTime, type MessageKey } from '../../kernel/i18n/index.js';
import {
  createOrganisation,
  findLogoFile,
  findOrganisationById,
  linkUserToOrganisation,
  OrganisationFormFields,
  organisationFormValues,
  organisationValueText,
  resolveLogoField,
  SOCIAL_NETWORKS,
  socialField,
  taxonomies,
  taxonomyCodes,
  updateOrganisation,
  validateOrganisation,
} from '../organisations/index.js';
import { findUserByEmail } from '../../kernel/auth/repo.js';
import { type EntityValues, type ModeratedEntity, type ModerationDeps, ProposalInvalidError, registerModeratedEntity } from './registry.js';
import * as repo from './repo.js';

export const ORGANISATION_FIELD_LABELS: Record<string, MessageKey> = {
  name: 'org.field.name',
  acronym: 'org.field.acronym',
  kind_code: 'org.field.kind',
  description: 'org.field.description',
  website: 'org.field.website',
  email: 'org.field.email',
  phone: 'org.field.phone',
  address: 'org.field.address',
  postcode: 'org.field.postcode',
  commune: 'org.field.commune',
  siren: 'org.field.siren',
  siret: 'org.field.siret',
  rna: 'org.field.rna',
  insee_code: 'org.field.inseeCode',
  founded_year: 'org.field.foundedYear',
  staff_count: 'org.field.staffCount',
  volunteer_count: 'org.field.volunteerCount',
  visibility: 'org.field.visibility',
  themes: 'org.field.themes',
  sdgs: 'org.field.sdgs',
  zones: 'org.field.zones',
  countries: 'org.field.countries',
  colleges: 'org.field.colleges',
  logo: 'org.field.logo',
  ...Object.fromEntries(SOCIAL_NETWORKS.map((n) => [socialField(n), `org.social.${n}` as const])),
};

/** Fields only staff set: proposals by members and visitors keep the record's values. */
export const STAFF_ONLY_FIELDS = ['visibility', 'colleges'] as const;

/** Validates an organisation form; the values returned are the normalised form values. */
export async function validateOrganisationValues(raw: Record<string, unknown>, deps: Pick<ModerationDeps, 'db' | 'clock' | 'config'>) {
  const t = await taxonomies(deps.db);
  const result = validateOrganisation(raw, taxonomyCodes(t), { currentYear: deps.clock.now().getUTCFullYear() });
  // A new logo is stored at once but goes live only when the proposal is approved (the record
  // keeps its own until then); `raw` then carries it, so a form refused for another field keeps it.
  const logo = await resolveLogoField(deps, raw, null);
  if (!result.ok || !logo.ok) return { ok: false as const, errors: { ...(result.ok ? {} : result.errors), ...(logo.ok ? {} : { [logo.field]: logo.problem }) } };
  const draft = { ...result.draft, logo_file_id: logo.logo };
  return { ok: true as const, values: organisationFormValues(draft as unknown as Record<string, unknown>) as EntityValues, draft };
}

export async function currentOrganisationValues(id: string, deps: Pick<ModerationDeps, 'db'>): Promise<EntityValues | undefined> {
  const org = await findOrganisationById(deps.db, id);
  return org ? (organisationFormValues(org as unknown as Record<string, unknown>) as EntityValues) : undefined;
}

export const organisationEntity: ModeratedEntity = {
  type: 'organisation',
  labelKey: 'moderation.type.organisation',
  fieldLabels: ORGANISATION_FIELD_LABELS,
  load: (id, deps) => currentOrganisationValues(id, deps),
  async apply(values, actor, proposal, deps) {
    const result = await validateOrganisationValues(values, deps);
    if (!result.ok) throw new ProposalInvalidError(result.errors);
    if (proposal.entityId) {
      const updated = await updateOrganisation(deps, actor, proposal.entityId, result.draft);
      if (!updated) throw new ProposalInvalidError({});
      return updated.id;
    }
    const created = await createOrganisation(deps, actor, result.draft, { source: 'proposal' });
    return created.id;
  },
  validate: (raw, deps) => validateOrganisationValues(raw, deps),
  async renderForm({ ctx, values, errors, deps }) {
    // The edit-then-approve form keeps or removes the proposed logo; a new one is uploaded in the back office.
    return OrganisationFormFields({ ctx, values, errors, staff: true, taxonomies: await taxonomies(deps.db), logoUpload: false }) as string;
  },
  async display(field, value, ctx, deps) {
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return '';
    const coded = organisationValueText(ctx, await taxonomies(deps.db), field, value);
    if (coded !== undefined) return coded;
    switch (field) {
      case 'description':
        return String(value).includes('<') ? htmlToText(String(value)) : String(value);
      case 'phone':
        return String(value).startsWith('+') ? formatPhone(String(value)) : String(value);
      case 'logo': {
        const file = await findLogoFile(deps.db, String(value));
        return file ? ctx.t('org.logo.diffValue', { name: file.original_name, date: formatDateTime(file.created_at, ctx.locale) }) : ctx.t('org.logo.unknown', { id: String(value) });
      }
      default:
        return Array.isArray(value) ? value.join(', ') : String(value);
    }
  },
  title: (values) => String(values['name'] ?? ''),
  async publicHref(entityId, deps) {
    const org = await findOrganisationById(deps.db, entityId);
    return org && org.visibility === 'public' ? `/acteurs/${org.slug}` : null;
  },
  async afterApproval(proposal, entityId, deps) {
    // People whose account request proposed this organisation, and were let in before it existed.
    const now = deps.clock.now().toISOString();
    for (const request of await repo.approvedRequestsOfProposal(deps.db, proposal.id)) {
      await repo.setRequestOrganisation(deps.db, request.id, entityId);
      const user = await findUserByEmail(deps.db, request.email);
      if (user) await linkUserToOrganisation(deps.db, user.id, entityId, now);
    }
  },
};

let registered = false;

/** Organisations are the first moderated kind of record. */
export function registerOrganisationModeration(): void {
  if (registered) return;
  registerModeratedEntity(organisationEntity);
  registered = true;
}
