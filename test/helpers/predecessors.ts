// The predecessor networks' sample exports (../shared/samples/predecessors*/) as DedupeRecords,
// with a fixed column mapping: tests and benchmarks of the duplicate engine, independent of the
// import wizard. Tests only, never the product.
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { communesWithPostcode, findCommuneByName } from '../../src/kernel/geo/communes.js';
import { decodeWindows1252 } from '../../src/kernel/text/windows-1252.js';
import { type DedupeRecord, dedupeRecordFromOrganisation, type OrganisationLike, type RefPair } from '../../src/modules/duplicates/index.js';
import { sharedDir } from './paths.js';

export type SampleSet = 'predecessors' | 'predecessors-large';

export const CAPCOOP_FILE = 'capcoop_export_2016.csv';
export const RESODI_FILE = 'resodi_export_2016.csv';

/** Each network's codes for the kind of organisation → the platform's kind codes. */
const KINDS: Record<string, string> = {
  association: 'association',
  asso: 'association',
  'collectivite territoriale': 'local_authority',
  collectivite: 'local_authority',
  'education populaire': 'popular_education',
  'educ-pop': 'popular_education',
  entreprise: 'company',
  'secteur-prive': 'company',
  'etablissement public': 'public_body',
  'etab-public': 'public_body',
  'etablissement scolaire/universitaire': 'education_research',
  'enseignement-recherche': 'education_research',
};

/** Column of each file → field of an organisation row. */
const MAPPINGS: Record<string, Record<string, keyof OrganisationLike>> = {
  [CAPCOOP_FILE]: {
    'Nom structure': 'name',
    Sigle: 'acronym',
    'Type de structure': 'kind_code',
    CP: 'postcode',
    Ville: 'commune_name',
    'Tél': 'phone',
    'E-mail': 'email',
    'Site web': 'website',
    'SIRET/SIREN': 'siren',
    'N° RNA': 'rna',
    'Réf': 'source_ref',
  },
  [RESODI_FILE]: {
    organisation: 'name',
    acronyme: 'acronym',
    categorie: 'kind_code',
    code_postal: 'postcode',
    commune: 'commune_name',
    telephone: 'phone',
    courriel: 'email',
    url: 'website',
    siren: 'siren',
    rna: 'rna',
    id: 'source_ref',
  },
};

/** A sample row as an organisation row would hold it (commune resolved like the importer would). */
export type SampleOrganisation = OrganisationLike & { source_ref: string; source_file: string; address: string | null };

function resolveCommune(name: string, postcode: string): { code: string | null; department: string | null } {
  const byName = name ? findCommuneByName(name, postcode || undefined) : undefined;
  const commune = byName ?? (postcode ? (communesWithPostcode(postcode).length === 1 ? communesWithPostcode(postcode)[0] : undefined) : undefined);
  return { code: commune?.code ?? null, department: commune?.department ?? null };
}

function readFile(dir: string, file: string): SampleOrganisation[] {
  const bytes = fs.readFileSync(`${dir}/${file}`);
  const text = file === CAPCOOP_FILE ? decodeWindows1252(bytes) : new TextDecoder('utf-8').decode(bytes);
  const rows = parse(text, { delimiter: file === CAPCOOP_FILE ? ';' : ',', columns: true, bom: true, relax_column_count: true }) as Record<string, string>[];
  const mapping = MAPPINGS[file]!;
  const address = file === CAPCOOP_FILE ? 'Adresse' : 'adresse';
  return rows.map((row) => {
    const o: Record<string, string | null> = {};
    for (const [column, field] of Object.entries(mapping)) o[field] = row[column]?.trim() || null;
    const kind = KINDS[(o['kind_code'] ?? '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()] ?? 'other';
    const commune = resolveCommune(o['commune_name'] ?? '', o['postcode'] ?? '');
    return {
      ...o,
      id: o['source_ref']!,
      name: o['name'] ?? '',
      kind_code: kind,
      commune_code: commune.code,
      department_code: commune.department,
      address: row[address]?.trim() || null,
      source: 'import',
      source_file: file,
      source_ref: o['source_ref']!,
    };
  });
}

export interface Predecessors {
  /** Both files' rows as organisation rows; `id` is the file's own reference (`Réf` / `id`). */
  organisations: SampleOrganisation[];
  records: DedupeRecord[];
  /** Pairs of references that are the same organisation. */
  truth: RefPair[];
}

const cache = new Map<SampleSet, Predecessors>();

export function loadPredecessors(set: SampleSet = 'predecessors'): Predecessors {
  const cached = cache.get(set);
  if (cached) return cached;
  const dir = sharedDir('samples', set);
  const organisations = [...readFile(dir, CAPCOOP_FILE), ...readFile(dir, RESODI_FILE)];
  const truthRows = parse(fs.readFileSync(`${dir}/truth_same_organisation.csv`, 'utf8'), { columns: true, bom: true }) as { record_a: string; record_b: string }[];
  const loaded: Predecessors = {
    organisations,
    records: organisations.map((organisation) => dedupeRecordFromOrganisation(organisation)),
    truth: truthRows.map((r) => [r.record_a, r.record_b] as const),
  };
  cache.set(set, loaded);
  return loaded;
}

/** Rows of one file whose organisation already appeared on an earlier row of that file (per the truth file). */
export function laterDuplicateRows(refPrefix: string, set: SampleSet = 'predecessors'): number {
  const { organisations, truth } = loadPredecessors(set);
  const position = new Map(organisations.map((o, i) => [o.source_ref, i]));
  const later = new Set<string>();
  for (const [a, b] of truth) if (a.startsWith(refPrefix) && b.startsWith(refPrefix)) later.add(position.get(a)! > position.get(b)! ? a : b);
  return later.size;
}
