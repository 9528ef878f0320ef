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
let departments: Map<string, Department> | null = null;

/** INSEE COG communes (current ones), loaded once from @etalab/decoupage-administratif. */
function load(): Map<string, Commune> {
  if (communes) return communes;
  const raw = require('@etalab/decoupage-administratif/data/communes.json') as RawCommune[];
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
  const candidates = postcode ? communesWithPostcode(postcode) : [...load().values()];
  return candidates.find((c) => communeKey(c.name) === key);
}

function communeKey(name: string): string {
  return foldText(name)
    .replace(/\bst(e?)\b/g, 'saint$1')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export function listDepartments(): Department[] {
  if (!departments) {
    const raw = require('@etalab/decoupage-administratif/data/departements.json') as { code: string; nom: string; region: string; chefLieu: string }[];
    departments = new Map(raw.map((d) => [d.code, { code: d.code, name: d.nom, region: d.region, chefLieu: d.chefLieu }]));
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
