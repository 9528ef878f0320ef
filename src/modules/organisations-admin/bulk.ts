import { spreadsheetSafe } from '../../kernel/spreadsheet.js';
import { stringify } from 'csv-stringify/sync';
import { recordAudit } from '../../kernel/audit/index.js';
import { findDepartment } from '../../kernel/geo/communes.js';
import { formatPhone } from '../../kernel/identifiers.js';
import { taxonomies } from '../organisations/index.js';
import type { AdminDeps, Problems, StaffActor } from './deps.js';
import { parseStaffQuery, queryFromString } from './query.js';
import * as repo from './repo.js';

export const BULK_ACTIONS = ['add_tag', 'remove_tag', 'set_college', 'export'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

export interface BulkInput {
  action: string;
  /** 'selection' (the ids) or 'all' (the whole filtered set described by `filter`). */
  scope: string;
  ids: string[];
  filter: string;
  tag: string;
  college: string;
}

export type BulkResult =
  | { ok: true; action: 'export'; count: number; csv: string }
  | { ok: true; action: Exclude<BulkAction, 'export'>; count: number }
  | { ok: false; errors: Problems };

export function normaliseTag(raw: string): string {
  return raw.trim().replace(/\s+/g, ' ').slice(0, 60);
}

/** Runs a bulk action on the selected rows or the whole filtered set; every change is audit-logged. */
export async function runBulkAction(deps: AdminDeps, actor: StaffActor, input: BulkInput): Promise<BulkResult> {
  const errors: Problems = {};
  if (!(BULK_ACTIONS as readonly string[]).includes(input.action)) errors['action'] = { key: input.action ? 'validation.choice' : 'backofficeOrganisations.error.bulkAction' };
  const action = input.action as BulkAction;
  const tag = normaliseTag(input.tag);
  if ((action === 'add_tag' || action === 'remove_tag') && tag.length < 1) errors['tag'] = { key: 'backofficeOrganisations.error.tag' };
  const t = await taxonomies(deps.db);
  const college = input.college.trim();
  if (action === 'set_college' && college !== '' && !t.colleges.some((c) => c.code === college)) errors['college'] = { key: 'validation.choice' };
  const now = deps.clock.now();
  const ids =
    input.scope === 'all'
      ? await repo.organisationIds(deps.db, deps.dbHandle.dialect, parseStaffQuery(queryFromString(input.filter), now).filter)
      : await repo.existingOrganisationIds(deps.db, [...new Set(input.ids)].slice(0, 10_000));
  if (!ids.length) errors['ids'] = { key: 'backofficeOrganisations.error.noSelection' };
  if (Object.keys(errors).length) return { ok: false, errors };

  if (action === 'export') {
    const csv = await exportCsv(deps, ids, now);
    await recordAudit(deps.db, actor, { action: 'organisations.exported', entityType: 'organisation', after: { count: ids.length, scope: input.scope, filter: input.scope === 'all' ? input.filter : undefined } }, now);
    return { ok: true, action, count: ids.length, csv };
  }
  if (action === 'add_tag' || action === 'remove_tag') {
    const tags = await repo.tagsOf(deps.db, ids);
    let changed = 0;
    for (const id of ids) {
      const before = tags.get(id) ?? [];
      const has = before.includes(tag);
      if (action === 'add_tag' ? has : !has) continue;
      if (action === 'add_tag') await repo.addTag(deps.db, id, tag);
      else await repo.removeTag(deps.db, id, tag);
      const after = action === 'add_tag' ? [...before, tag].sort() : before.filter((x) => x !== tag);
      await recordAudit(deps.db, actor, { action: action === 'add_tag' ? 'organisation.tag_added' : 'organisation.tag_removed', entityType: 'organisation', entityId: id, before: { tags: before }, after: { tags: after } }, now);
      changed++;
    }
    return { ok: true, action, count: changed };
  }
  let changed = 0;
  for (const id of ids) {
    const before = await repo.collegesOf(deps.db, id);
    const after = college ? [college] : [];
    if (JSON.stringify(before) === JSON.stringify(after)) continue;
    await repo.setColleges(deps.db, id, after, now.toISOString());
    await recordAudit(deps.db, actor, { action: 'organisation.college_set', entityType: 'organisation', entityId: id, before: { colleges: before }, after: { colleges: after } }, now);
    changed++;
  }
  return { ok: true, action, count: changed };
}

const MEMBERSHIP_LABEL: Record<string, string> = { paid: 'payée', pending: 'en attente', exempt: 'exonérée' };

/** The staff CSV: UTF-8 with BOM, ';' separated (French Excel), one row per organisation. */
export async function exportCsv(deps: AdminDeps, ids: string[], now: Date): Promise<string> {
  const t = await taxonomies(deps.db);
  const label = (list: { code: string; label_fr: string }[], code: string) => list.find((x) => x.code === code)?.label_fr ?? code;
  const [rows, tags, memberships, links] = await Promise.all([
    repo.organisationsByIds(deps.db, ids),
    repo.tagsOf(deps.db, ids),
    repo.membershipsOf(deps.db, ids),
    repo.linksForExport(deps.db, ids),
  ]);
  const year = now.getUTCFullYear();
  const header = [
    'id', 'nom', 'sigle', 'famille', 'email', 'téléphone', 'site web', 'adresse', 'code postal', 'commune', 'code commune', 'département',
    'SIREN', 'SIRET', 'RNA', 'visibilité', 'adhérent', `adhésion ${year}`, `cotisation ${year} (€)`, 'collèges', 'thématiques', 'pays', 'étiquettes',
    'latitude', 'longitude', 'revue le', 'mise à jour le', 'source',
  ];
  const data = rows.map((o) => {
    const m = memberships.get(o.id)?.find((x) => x.year === year);
    return [
      o.id, o.name, o.acronym, label(t.kinds, o.kind_code), o.email, o.phone ? formatPhone(o.phone) : '', o.website, o.address, o.postcode, o.commune_name, o.commune_code,
      o.department_code ? `${o.department_code} ${findDepartment(o.department_code)?.name ?? ''}`.trim() : '',
      o.siren, o.siret, o.rna, o.visibility, o.is_member ? 'oui' : 'non', m ? (MEMBERSHIP_LABEL[m.status] ?? m.status) : '',
      m?.fee_cents != null ? (m.fee_cents / 100).toFixed(2).replace('.', ',') : '',
      (links.colleges.get(o.id) ?? []).map((c) => label(t.colleges, c)).join(', '),
      (links.themes.get(o.id) ?? []).map((c) => label(t.themes, c)).join(', '),
      (links.countries.get(o.id) ?? []).join(', '),
      (tags.get(o.id) ?? []).join(', '),
      o.latitude, o.longitude, o.reviewed_at?.slice(0, 10), o.updated_at.slice(0, 10), o.source,
    ].map(spreadsheetSafe);
  });
  return `\uFEFF${stringify([header, ...data], { delimiter: ';', record_delimiter: '\r\n' })}`;
}
