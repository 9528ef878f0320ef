import { countryName } from '../../kernel/geo/countries.js';
import { localLabel, type MessageKey } from '../../kernel/i18n/index.js';
import { isId } from '../../kernel/ids.js';
import { type ModeratedEntity, ProposalInvalidError, registerModeratedEntity } from '../moderation/index.js';
import { organisationsByIds, taxonomies } from '../organisations/index.js';
import { ResourceFormFields } from './form.js';
import { kindLabelKey, languageLabelKey } from './kinds.js';
import { formLabels } from './labels.js';
import * as repo from './repo.js';
import { checkResource, createResource, updateResource } from './service.js';
import { RESOURCE_FILE_PURPOSE } from './types.js';
import { draftValues, resourceValues, text } from './validate.js';
import { fileText, staffFileHref } from './views-shared.js';

export const RESOURCE_FIELD_LABELS: Record<string, MessageKey> = {
  title: 'resources.field.title',
  kind: 'resources.field.kind',
  summary: 'resources.field.summary',
  authors: 'resources.field.authors',
  organisation: 'resources.field.organisation',
  year: 'resources.field.year',
  language: 'resources.field.language',
  file: 'resources.field.file',
  external_url: 'resources.field.externalUrl',
  themes: 'resources.field.themes',
  countries: 'resources.field.countries',
};

/** Staff deciding on a proposal act as staff: any organisation of the directory, any resource file. */
const STAFF = { role: 'staff' as const, userId: null };

export const resourceEntity: ModeratedEntity = {
  type: 'resource',
  labelKey: 'resources.moderation.type',
  fieldLabels: RESOURCE_FIELD_LABELS,
  async load(id, deps) {
    const r = await repo.findResourceById(deps.db, id);
    return r ? resourceValues(r) : undefined;
  },
  async apply(values, actor, proposal, deps) {
    const current = proposal.entityId ? await repo.findResourceById(deps.db, proposal.entityId) : undefined;
    const checked = await checkResource(deps, { ...values }, STAFF, current?.file_id ?? null);
    if (!checked.ok) throw new ProposalInvalidError(checked.errors);
    if (proposal.entityId) {
      const updated = await updateResource(deps, actor, proposal.entityId, checked.draft, 'resource.updated_by_proposal');
      if (!updated) throw new ProposalInvalidError({});
      return updated.id;
    }
    // An approved proposal is published at once, with the member's file.
    const created = await createResource(deps, actor, checked.draft, { status: 'published', source: 'member', action: 'resource.created_from_proposal' });
    return created.id;
  },
  async validate(raw, deps) {
    const checked = await checkResource(deps, raw, STAFF);
    if (!checked.ok) return { ok: false, errors: checked.errors };
    return { ok: true, values: draftValues(checked.draft) };
  },
  async renderForm({ ctx, values, errors, deps }) {
    return (await ResourceFormFields({ ctx, values, errors, labels: await formLabels(deps.db, values), mode: 'moderation' })) as string;
  },
  async display(field, value, ctx, deps) {
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return '';
    const locale = ctx.locale;
    const values = Array.isArray(value) ? value.map(String) : [String(value)];
    switch (field) {
      case 'kind':
        return ctx.t(kindLabelKey(String(value)));
      case 'language':
        return ctx.t(languageLabelKey(String(value)));
      case 'themes': {
        const t = await taxonomies(deps.db);
        return values.map((c) => t.themes.find((x) => x.code === c)).map((x, i) => (x ? localLabel(x, locale) : values[i])).join(', ');
      }
      case 'countries':
        return values.map((c) => countryName(c, locale)).join(', ');
      case 'organisation': {
        const [org] = await organisationsByIds(deps.db, [String(value)]);
        return org?.name ?? String(value);
      }
      case 'file': {
        const file = await repo.findFile(deps.db, String(value));
        return file && file.purpose === RESOURCE_FILE_PURPOSE ? `${file.original_name} (${fileText(ctx.t, ctx.locale, file)})` : ctx.t('resources.moderation.fileGone');
      }
      default:
        return values.join(', ');
    }
  },
  /** The proposed file (not public yet) opens at staff's address of resource files, with the headers of a download. */
  async valueHref(field, value, deps) {
    if (field !== 'file' || typeof value !== 'string' || !isId(value)) return null;
    const file = await repo.findFile(deps.db, value);
    return file && file.purpose === RESOURCE_FILE_PURPOSE ? staffFileHref(file.id) : null;
  },
  title: (values) => text(values, 'title'),
  async publicHref(entityId, deps) {
    const r = await repo.findResourceById(deps.db, entityId);
    return r && r.status === 'published' ? `/ressources/${r.slug}` : null;
  },
};

let registered = false;

/** Members' proposed resources go through the shared moderation queue. */
export function registerResourceModeration(): void {
  if (registered) return;
  registerModeratedEntity(resourceEntity);
  registered = true;
}
