import fs from 'node:fs';
import { createRequire } from 'node:module';
import { foldText } from '../search/normalise.js';

const require = createRequire(import.meta.url);

export interface Commune {
  code: string;
  name: string;
  department: string;
  region: string;
  postcodes: string[];
  population: number;
}

export interface Department {
  code: string;
  name: string;
  region: string;
  chefLieu: string;
}

interface RawCommune {
  code: string;
  nom: string;
  departement: string;
  region: string;
  type: string;
  codesPostaux?: string[];
  population?: number;
}

let communes: Map<string, Commune> | null = null;
let byPostcode: Map<string, Commune[]> | null = null;
let byName: Map<string, Commune[]> | null = null;
let departments: Map<string, Department> | null = null;

/**
 * INSEE COG communes (current ones), loaded once from @etalab/decoupage-administratif. The JSON
 * (~40 MB parsed, with the former communes and districts) is read and parsed here rather than
 * `require`d, so that it is not kept in the module cache once the maps are built.
 */
function load(): Map<string, Commune> {
  if (communes) return communes;
  const file = require.resolve('@etalab/decoupage-administratif/data/communes.json');
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as RawCommune[];
  communes = new Map();
  byPostcode = new Map();
  for (const c of raw) {
    if (c.type !== 'commune-actuelle') continue;
    const commune: Commune = {
      code: c.code,
      name: c.nom,
      department: c.departement,
      region: c.region,
      postcodes: c.codesPostaux ?? [],
      population: c.population ?? 0,
    };
    communes.set(c.code, commune);
    for (const pc of commune.postcodes) {
      const list = byPostcode.get(pc) ?? [];
      list.push(commune);
      byPostcode.set(pc, list);
    }
  }
  return communes;
}

export function findCommune(code: string): Commune | undefined {
  return load().get(code);
}

export function communesWithPostcode(postcode: string): Commune[] {
  load();
  return byPostcode!.get(postcode) ?? [];
}

/** Finds a commune by name (accents, case, hyphens and "Saint"/"St" folded), optionally in a postcode. */
export function findCommuneByName(name: string, postcode?: string): Commune | undefined {
  const key = communeKey(name);
  if (!postcode) return communesNamedKey(key)[0];
  return communesWithPostcode(postcode).find((c) => communeKey(c.name) === key);
}

/** A commune name folded for comparison: accents, case, hyphens and punctuation, "St"/"Ste". */
export function communeKey(name: string): string {
  return foldText(name)
    .replace(/\bst(e?)\b/g, 'saint$1')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Current communes whose folded name (communeKey) is `key`, in INSEE code order; the index is built once. */
export function communesNamedKey(key: string): Commune[] {
  if (!byName) {
    const index = new Map<string, Commune[]>();
    for (const c of load().values()) {
      const k = communeKey(c.name);
      const list = index.get(k);
      if (list) list.push(c);
      else index.set(k, [c]);
    }
    byName = index;
  }
  return byName.get(key) ?? [];
}

export function listDepartments(): Department[] {
  if (!departments) {
    const raw = require('@etalab/decoupage-administratif/data/departements.json') as { code: string; nom: string; region: string; chefLieu: string }[];
    // In code order (the data puts 976 before 975; Corsica's 2A and 2B sit between 19 and 21), named
    // with the typographic apostrophe people read everywhere else (« Côte-d’Or »).
    const order = (code: string) => (code === '2A' ? 20.1 : code === '2B' ? 20.2 : Number(code));
    const sorted = [...raw].sort((a, b) => order(a.code) - order(b.code));
    departments = new Map(sorted.map((d) => [d.code, { code: d.code, name: d.nom.replaceAll("'", '’'), region: d.region, chefLieu: d.chefLieu }]));
  }
  return [...departments.values()];
}

export function findDepartment(code: string): Department | undefined {
  listDepartments();
  return departments!.get(code);
}

export function departmentsOfRegion(regionCode: string): Department[] {
  return listDepartments().filter((d) => d.region === regionCode);
}

/** The current communes of a département (INSEE COG), largest population first. */
export function communesOfDepartment(departmentCode: string): Commune[] {
  return [...load().values()].filter((c) => c.department === departmentCode).sort((a, b) => b.population - a.population || a.code.localeCompare(b.code));
}
