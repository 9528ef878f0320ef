import { toE164 } from '../../kernel/identifiers.js';
import type { WordPool } from './word-pool.js';

/**
 * What the duplicate engine knows of one organisation: the fields that identify it, independent
 * of where the record comes from (the organisations table, an import row, a form draft).
 */
export interface DedupeRecord {
  id: string;
  name: string;
  acronym: string | null;
  kindCode: string | null;
  /** 9 digits when recognisable (also taken from a SIRET), kept even when its checksum fails. */
  siren: string | null;
  /** 14 digits when recognisable, kept even when its checksum fails. */
  siret: string | null;
  rna: string | null;
  /** INSEE code of a local authority. */
  inseeCode: string | null;
  email: string | null;
  website: string | null;
  /** E.164 when parseable, the raw value otherwise. */
  phone: string | null;
  postcode: string | null;
  communeCode: string | null;
  communeName: string | null;
  departmentCode: string | null;
  /** Where the record comes from ('import', 'manual', a file name…). */
  source: string | null;
  /** The source file's own id of the record (`Réf`, `id`…). */
  sourceRef: string | null;
  /** The source file's name, when the record was imported. */
  sourceFile?: string | null;
}

/** The columns of an organisation row the engine reads (a subset of the organisations table). */
export interface OrganisationLike {
  id: string;
  name: string;
  acronym?: string | null;
  kind_code?: string | null;
  siren?: string | null;
  siret?: string | null;
  rna?: string | null;
  insee_code?: string | null;
  email?: string | null;
  website?: string | null;
  phone?: string | null;
  postcode?: string | null;
  commune_code?: string | null;
  commune_name?: string | null;
  department_code?: string | null;
  source?: string | null;
  source_ref?: string | null;
  source_file?: string | null;
}

function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function digits(value: string): string {
  return value.replace(/\D/g, '');
}

/**
 * SIREN and SIRET from whatever was typed in either field: a SIRET given as SIREN yields both,
 * spaces and dots are dropped. Values that fail their checksum are kept (they are still evidence).
 */
export function identifiersOf(sirenRaw: string | null | undefined, siretRaw: string | null | undefined): { siren: string | null; siret: string | null } {
  let siren: string | null = null;
  let siret: string | null = null;
  for (const raw of [siretRaw, sirenRaw]) {
    const value = blankToNull(raw);
    if (!value) continue;
    const d = digits(value);
    if (d.length === 14) {
      siret ??= d;
      siren ??= d.slice(0, 9);
    } else if (d.length === 9) {
      siren ??= d;
    }
  }
  return { siren, siret };
}

/**
 * Builds the engine's record from an organisation row (or anything with its columns). With a
 * pool, the values many records share (kind, commune, source) are one copy each.
 */
export function dedupeRecordFromOrganisation(row: OrganisationLike, pool?: WordPool): DedupeRecord {
  const { siren, siret } = identifiersOf(row.siren, row.siret);
  const phoneRaw = blankToNull(row.phone);
  const shared = (value: string | null | undefined) => (pool ? pool.maybe(blankToNull(value)) : blankToNull(value));
  const postcode = shared(row.postcode);
  const departmentCode = shared(row.department_code);
  return {
    id: row.id,
    name: (row.name ?? '').trim(),
    acronym: blankToNull(row.acronym),
    kindCode: shared(row.kind_code),
    siren,
    siret,
    rna: blankToNull(row.rna)?.replace(/\s/g, '').toUpperCase() ?? null,
    inseeCode: blankToNull(row.insee_code),
    email: blankToNull(row.email),
    website: blankToNull(row.website),
    phone: phoneRaw ? (toE164(phoneRaw) ?? phoneRaw) : null,
    postcode,
    communeCode: shared(row.commune_code),
    communeName: shared(row.commune_name),
    departmentCode: departmentCode ?? (postcode ? departmentOfPostcode(postcode) : null),
    source: shared(row.source),
    sourceRef: blankToNull(row.source_ref),
    sourceFile: shared(row.source_file),
  };
}

/** The département of a French postcode (Corsica and overseas included), or null. */
export function departmentOfPostcode(postcode: string): string | null {
  if (!/^\d{5}$/.test(postcode)) return null;
  if (postcode.startsWith('97') || postcode.startsWith('98')) return postcode.slice(0, 3);
  if (postcode.startsWith('20')) return Number(postcode) < 20200 ? '2A' : '2B';
  return postcode.slice(0, 2);
}
