// Invented but realistic organisations of a regional network of international cooperation, for the
// demo seed and the benchmark seed. Pure and deterministic: the same seed gives the same records.
import type { Visibility } from '../db/schema.js';
import { type Commune, communesOfDepartment, type Department, departmentsOfRegion } from '../kernel/geo/communes.js';
import { countryName } from '../kernel/geo/countries.js';
import { departmentCentre as kernelDepartmentCentre } from '../kernel/geo/department-centres.js';
import { slugify } from '../kernel/identifiers.js';
import { foldText } from '../kernel/search/normalise.js';
import type { OrganisationDraft } from '../modules/organisations/index.js';

// ---------- Deterministic randomness ----------

/** mulberry32: a small seeded PRNG, good enough for plausible data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Picker {
  constructor(readonly random: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.random() < p;
  }
  one<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)]!;
  }
  weighted<T>(list: readonly (readonly [T, number])[]): T {
    const total = list.reduce((s, [, w]) => s + w, 0);
    let r = this.random() * total;
    for (const [value, w] of list) {
      r -= w;
      if (r < 0) return value;
    }
    return list[list.length - 1]![0];
  }
  some<T>(list: readonly T[], min: number, max: number): T[] {
    const n = Math.min(list.length, this.int(min, max));
    const copy = [...list];
    const out: T[] = [];
    while (out.length < n) out.push(copy.splice(Math.floor(this.random() * copy.length), 1)[0]!);
    return out;
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
}

// ---------- Identifiers ----------

/** The digit that makes `body + digit` Luhn-valid. */
export function luhnKey(body: string): string {
  for (let d = 0; d <= 9; d++) {
    const digits = body + d;
    let sum = 0;
    for (let i = 0; i < digits.length; i++) {
      let v = Number(digits[digits.length - 1 - i]);
      if (i % 2 === 1) {
        v *= 2;
        if (v > 9) v -= 9;
      }
      sum += v;
    }
    if (sum % 10 === 0) return String(d);
  }
  throw new Error('unreachable');
}

export function inventSiret(pick: Picker): string {
  const siren = `${pick.int(3, 9)}${pick.digits(7)}`;
  const fullSiren = siren + luhnKey(siren);
  const nic = `000${pick.int(1, 9)}`;
  return fullSiren + nic + luhnKey(fullSiren + nic);
}

export function inventRna(pick: Picker, department: string): string | null {
  if (!/^\d{2,3}$/.test(department)) return null;
  return `W${department.padEnd(3, String(pick.int(1, 9)))}${pick.digits(6)}`;
}

// ---------- Places ----------

/** Approximate geographic centres of the départements of Nouvelle-Aquitaine (the default region). */
export const DEPARTMENT_CENTRES: Readonly<Record<string, readonly [number, number]>> = {
  '16': [45.7, 0.2],
  '17': [45.78, -0.75],
  '19': [45.35, 1.88],
  '23': [46.09, 2.02],
  '24': [45.1, 0.74],
  '33': [44.85, -0.6],
  '40': [43.97, -0.77],
  '47': [44.37, 0.46],
  '64': [43.26, -0.76],
  '79': [46.56, -0.32],
  '86': [46.56, 0.46],
  '87': [45.89, 1.24],
};

/** Coordinates of the main communes of Nouvelle-Aquitaine (name, département, lat, lon). */
const COMMUNE_POSITIONS: readonly [string, string, number, number][] = [
  ['Bordeaux', '33', 44.838, -0.579], ['Mérignac', '33', 44.843, -0.646], ['Pessac', '33', 44.807, -0.631],
  ['Talence', '33', 44.802, -0.588], ['Villenave-d’Ornon', '33', 44.781, -0.566], ['Saint-Médard-en-Jalles', '33', 44.897, -0.72],
  ['Bègles', '33', 44.808, -0.548], ['Libourne', '33', 44.915, -0.244], ['Arcachon', '33', 44.652, -1.178],
  ['La Teste-de-Buch', '33', 44.631, -1.145], ['Gradignan', '33', 44.772, -0.615], ['Lormont', '33', 44.879, -0.522],
  ['Cenon', '33', 44.857, -0.531], ['Eysines', '33', 44.883, -0.65], ['Blanquefort', '33', 44.912, -0.637],
  ['Langon', '33', 44.553, -0.249], ['Lesparre-Médoc', '33', 45.307, -0.937], ['Blaye', '33', 45.128, -0.662],
  ['Le Bouscat', '33', 44.865, -0.598], ['Floirac', '33', 44.836, -0.526], ['Bruges', '33', 44.883, -0.612],
  ['Pau', '64', 43.295, -0.37], ['Bayonne', '64', 43.493, -1.475], ['Anglet', '64', 43.485, -1.515],
  ['Biarritz', '64', 43.483, -1.559], ['Saint-Jean-de-Luz', '64', 43.388, -1.663], ['Hendaye', '64', 43.359, -1.774],
  ['Oloron-Sainte-Marie', '64', 43.194, -0.607], ['Orthez', '64', 43.488, -0.772], ['Lescar', '64', 43.333, -0.435],
  ['Billère', '64', 43.303, -0.396], ['Mourenx', '64', 43.381, -0.625], ['Lons', '64', 43.315, -0.41],
  ['Limoges', '87', 45.834, 1.262], ['Saint-Junien', '87', 45.888, 0.902], ['Panazol', '87', 45.839, 1.309],
  ['Couzeix', '87', 45.875, 1.238], ['Isle', '87', 45.802, 1.213], ['Bellac', '87', 46.122, 1.049],
  ['Saint-Yrieix-la-Perche', '87', 45.515, 1.204], ['Eymoutiers', '87', 45.739, 1.742], ['Le Palais-sur-Vienne', '87', 45.864, 1.322],
  ['Poitiers', '86', 46.58, 0.34], ['Châtellerault', '86', 46.817, 0.546], ['Buxerolles', '86', 46.602, 0.375],
  ['Loudun', '86', 47.01, 0.083], ['Montmorillon', '86', 46.426, 0.871], ['Chauvigny', '86', 46.568, 0.646],
  ['Civray', '86', 46.148, 0.295], ['Jaunay-Marigny', '86', 46.684, 0.361], ['Migné-Auxances', '86', 46.627, 0.314],
  ['La Rochelle', '17', 46.16, -1.151], ['Saintes', '17', 45.745, -0.633], ['Rochefort', '17', 45.942, -0.959],
  ['Royan', '17', 45.624, -1.029], ['Saint-Jean-d’Angély', '17', 45.946, -0.521], ['Jonzac', '17', 45.446, -0.434],
  ['Aytré', '17', 46.134, -1.113], ['Lagord', '17', 46.189, -1.153], ['Tonnay-Charente', '17', 45.943, -0.892],
  ['Niort', '79', 46.323, -0.459], ['Bressuire', '79', 46.841, -0.489], ['Parthenay', '79', 46.649, -0.247],
  ['Thouars', '79', 46.976, -0.215], ['Melle', '79', 46.222, -0.142], ['Chauray', '79', 46.36, -0.378],
  ['Angoulême', '16', 45.648, 0.156], ['Cognac', '16', 45.696, -0.329], ['Soyaux', '16', 45.641, 0.199],
  ['La Couronne', '16', 45.608, 0.1], ['Confolens', '16', 46.014, 0.672], ['Ruffec', '16', 46.029, 0.198],
  ['Barbezieux-Saint-Hilaire', '16', 45.473, -0.154], ['Ruelle-sur-Touvre', '16', 45.68, 0.23],
  ['Périgueux', '24', 45.184, 0.721], ['Bergerac', '24', 44.853, 0.483], ['Sarlat-la-Canéda', '24', 44.89, 1.216],
  ['Boulazac Isle Manoire', '24', 45.179, 0.776], ['Coulounieix-Chamiers', '24', 45.17, 0.69], ['Nontron', '24', 45.529, 0.662],
  ['Ribérac', '24', 45.25, 0.339], ['Terrasson-Lavilledieu', '24', 45.13, 1.301], ['Trélissac', '24', 45.197, 0.783],
  ['Brive-la-Gaillarde', '19', 45.159, 1.533], ['Tulle', '19', 45.267, 1.771], ['Ussel', '19', 45.548, 2.31],
  ['Malemort', '19', 45.17, 1.563], ['Égletons', '19', 45.406, 2.048], ['Objat', '19', 45.263, 1.408],
  ['Guéret', '23', 46.171, 1.872], ['Aubusson', '23', 45.956, 2.168], ['La Souterraine', '23', 46.237, 1.487],
  ['Bourganeuf', '23', 45.953, 1.756], ['Felletin', '23', 45.883, 2.174], ['Boussac', '23', 46.349, 2.218],
  ['Agen', '47', 44.203, 0.616], ['Villeneuve-sur-Lot', '47', 44.408, 0.705], ['Marmande', '47', 44.5, 0.165],
  ['Nérac', '47', 44.136, 0.339], ['Le Passage', '47', 44.201, 0.604], ['Tonneins', '47', 44.391, 0.309],
  ['Fumel', '47', 44.498, 0.966], ['Bon-Encontre', '47', 44.186, 0.668],
  ['Mont-de-Marsan', '40', 43.89, -0.5], ['Dax', '40', 43.71, -1.053], ['Biscarrosse', '40', 44.394, -1.164],
  ['Saint-Paul-lès-Dax', '40', 43.726, -1.052], ['Capbreton', '40', 43.641, -1.431], ['Mimizan', '40', 44.201, -1.229],
  ['Aire-sur-l’Adour', '40', 43.702, -0.263], ['Saint-Vincent-de-Tyrosse', '40', 43.66, -1.304], ['Tarnos', '40', 43.541, -1.461],
];

let positions: Map<string, readonly [number, number]> | null = null;
const byDepartment = new Map<string, Commune[]>();

function departmentCommunes(code: string): Commune[] {
  let list = byDepartment.get(code);
  if (!list) byDepartment.set(code, (list = communesOfDepartment(code)));
  return list;
}

/** Known commune coordinates, by INSEE code. */
export function communePosition(code: string): readonly [number, number] | undefined {
  if (!positions) {
    positions = new Map();
    for (const [name, department, lat, lon] of COMMUNE_POSITIONS) {
      const key = foldText(name.replace(/’/g, "'"));
      const commune = departmentCommunes(department).find((c) => foldText(c.name) === key);
      if (commune) positions.set(commune.code, [lat, lon]);
    }
  }
  return positions.get(code);
}

/**
 * Where a département's points are jittered around: its geographic centre in the table above
 * (a coastal chef-lieu such as La Rochelle would put points in the sea), else its chef-lieu.
 */
export function departmentCentre(department: Department): readonly [number, number] | null {
  const own = DEPARTMENT_CENTRES[department.code];
  if (own) return own;
  const chefLieu = kernelDepartmentCentre(department.code);
  return chefLieu ? [chefLieu.lat, chefLieu.lng] : null;
}

export interface Place {
  commune: Commune;
  department: Department;
  latitude: number | null;
  longitude: number | null;
  precision: 'commune' | 'department' | null;
}

/** Places of a region: every département, with its communes weighted by population. */
export class RegionPlaces {
  readonly departments: Department[];
  private readonly communes = new Map<string, { list: Commune[]; cumulative: number[]; total: number }>();

  constructor(regionCode: string) {
    this.departments = departmentsOfRegion(regionCode).sort((a, b) => a.code.localeCompare(b.code));
    if (this.departments.length === 0) throw new Error(`Région inconnue : ${regionCode}`);
    for (const d of this.departments) {
      const list = departmentCommunes(d.code).filter((c) => c.population > 0);
      const cumulative: number[] = [];
      let total = 0;
      for (const c of list) cumulative.push((total += c.population));
      this.communes.set(d.code, { list, cumulative, total });
    }
  }

  population(code: string): number {
    return this.communes.get(code)?.total ?? 0;
  }

  /** Communes of the département, largest first. */
  largest(code: string, n: number): Commune[] {
    return (this.communes.get(code)?.list ?? []).slice(0, n);
  }

  /** A commune of the département drawn by population; its position (or the département's, jittered). */
  place(pick: Picker, department: Department, communeOverride?: Commune): Place {
    const entry = this.communes.get(department.code)!;
    let commune = communeOverride;
    if (!commune) {
      const r = pick.random() * entry.total;
      let lo = 0;
      let hi = entry.cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (entry.cumulative[mid]! > r) hi = mid;
        else lo = mid + 1;
      }
      commune = entry.list[lo]!;
    }
    const known = communePosition(commune.code);
    if (known) {
      // A few hundred metres around the town centre, so markers of one town do not all overlap.
      return { commune, department, latitude: round(known[0] + (pick.random() - 0.5) * 0.012), longitude: round(known[1] + (pick.random() - 0.5) * 0.016), precision: 'commune' };
    }
    const centre = departmentCentre(department);
    if (!centre) return { commune, department, latitude: null, longitude: null, precision: null };
    return { commune, department, latitude: round(centre[0] + (pick.random() - 0.5) * 0.5), longitude: round(centre[1] + (pick.random() - 0.5) * 0.7), precision: 'department' };
  }
}

function round(n: number): number {
  return Math.round(n * 1e5) / 1e5;
}

// ---------- Vocabulary ----------

/** Countries of intervention, weighted as in the regional networks' barometers. */
const COUNTRIES: readonly (readonly [string, number])[] = [
  ['SN', 14], ['BF', 13], ['ML', 8], ['BJ', 7], ['TG', 5], ['CI', 4], ['NE', 4], ['GN', 3], ['MR', 2], ['GH', 1],
  ['MA', 7], ['TN', 4], ['DZ', 3], ['MG', 9], ['KM', 2], ['CM', 5], ['CD', 3], ['CG', 1], ['TD', 1], ['RW', 1], ['ET', 1],
  ['HT', 4], ['BR', 2], ['BO', 2], ['PE', 2], ['NI', 2], ['CO', 1], ['EC', 1], ['GT', 1], ['MX', 1], ['CU', 1],
  ['VN', 3], ['KH', 2], ['LA', 1], ['IN', 2], ['NP', 1], ['PS', 2], ['LB', 2], ['AM', 1], ['UA', 1],
  ['DE', 2], ['ES', 2], ['PT', 1], ['RO', 1], ['PL', 1], ['IT', 1],
];

/** Towns abroad, for twinning committees and friendship associations. */
const TOWNS: Readonly<Record<string, readonly string[]>> = {
  SN: ['Saint-Louis', 'Ziguinchor', 'Thiès', 'Podor', 'Kaolack', 'Matam', 'Bignona'],
  BF: ['Ouahigouya', 'Koudougou', 'Bobo-Dioulasso', 'Kaya', 'Dori', 'Banfora', 'Tenkodogo'],
  ML: ['Kayes', 'Ségou', 'Bandiagara', 'Sikasso', 'Mopti'],
  BJ: ['Abomey', 'Ouidah', 'Parakou', 'Natitingou', 'Dassa-Zoumé'],
  TG: ['Kpalimé', 'Sokodé', 'Atakpamé', 'Dapaong'],
  CI: ['Bouaké', 'Korhogo', 'Man'],
  NE: ['Agadez', 'Zinder', 'Tahoua'],
  GN: ['Kindia', 'Labé', 'Kankan'],
  MR: ['Rosso', 'Kaédi'],
  MA: ['Essaouira', 'Ouarzazate', 'Taroudant', 'Chefchaouen', 'Tiznit'],
  TN: ['Sfax', 'Kairouan', 'Gafsa', 'Tozeur'],
  DZ: ['Tlemcen', 'Béjaïa', 'Ghardaïa'],
  MG: ['Fianarantsoa', 'Antsirabe', 'Toliara', 'Mahajanga', 'Ambositra', 'Morondava'],
  KM: ['Moroni', 'Mutsamudu'],
  CM: ['Bafoussam', 'Dschang', 'Garoua', 'Kribi'],
  CD: ['Bukavu', 'Kisangani', 'Goma'],
  HT: ['Jacmel', 'Cap-Haïtien', 'Les Cayes', 'Jérémie'],
  BR: ['Recife', 'Salvador de Bahia', 'Belém'],
  BO: ['Cochabamba', 'Sucre', 'Potosí'],
  PE: ['Cusco', 'Arequipa', 'Ayacucho'],
  NI: ['León', 'Estelí', 'Matagalpa'],
  VN: ['Huế', 'Hải Phòng', 'Đà Nẵng'],
  KH: ['Battambang', 'Siem Reap'],
  IN: ['Pondichéry', 'Madurai'],
  PS: ['Hébron', 'Naplouse', 'Bethléem'],
  LB: ['Tripoli', 'Saïda'],
  DE: ['Fribourg-en-Brisgau', 'Rheinfelden'],
  ES: ['Saint-Sébastien', 'Pampelune', 'Saragosse'],
  RO: ['Sibiu', 'Cluj-Napoca'],
};

const THEME_PHRASES: Readonly<Record<string, string>> = {
  water_sanitation: "l'accès à l'eau potable et à l'assainissement",
  agriculture_food: "l'agriculture familiale et la sécurité alimentaire",
  health: "l'accès aux soins et la santé maternelle et infantile",
  education_training: "la scolarisation des enfants et la formation professionnelle des jeunes",
  gender_equality: "l'égalité entre les femmes et les hommes et l'autonomie économique des femmes",
  environment_climate: "la protection de l'environnement et l'adaptation au changement climatique",
  economic_development: "le développement économique local et l'entrepreneuriat",
  local_governance: 'la gouvernance locale et la coopération entre collectivités',
  culture_heritage: 'les échanges culturels et la valorisation du patrimoine',
  youth_mobility: 'la mobilité internationale des jeunes et le volontariat',
  migration_development: 'les liens entre migrations et développement et les initiatives des diasporas',
  emergency_crisis: "l'aide d'urgence et la reconstruction après les crises",
  global_citizenship: "l'éducation à la citoyenneté et à la solidarité internationale",
  energy: "l'accès à une énergie propre, notamment solaire",
  fair_trade: 'le commerce équitable et les circuits courts',
  human_rights: "la défense des droits humains et l'accès au droit",
  digital: "l'inclusion numérique et l'équipement des écoles",
  other: 'la solidarité internationale',
};

const THEME_SDGS: Readonly<Record<string, readonly number[]>> = {
  water_sanitation: [6], agriculture_food: [2, 12], health: [3], education_training: [4], gender_equality: [5],
  environment_climate: [13, 15], economic_development: [8], local_governance: [16, 11], culture_heritage: [11],
  youth_mobility: [4, 10], migration_development: [10], emergency_crisis: [1], global_citizenship: [4, 17],
  energy: [7], fair_trade: [12, 8], human_rights: [16, 10], digital: [9], other: [17],
};

const THEME_WORDS: readonly (readonly [string, string])[] = [
  ['water_sanitation', 'Eau Vive'], ['water_sanitation', 'Puits du Sahel'], ['water_sanitation', 'Sources solidaires'],
  ['agriculture_food', 'Terres nourricières'], ['agriculture_food', 'Greniers villageois'], ['agriculture_food', 'Semences d’avenir'],
  ['health', 'Santé Sud'], ['health', 'Dispensaires partagés'], ['health', 'Soins sans frontière'],
  ['education_training', 'Écoles du monde'], ['education_training', 'Cartables solidaires'], ['education_training', 'Savoirs partagés'],
  ['gender_equality', 'Femmes et développement'], ['gender_equality', 'Voix de femmes'],
  ['environment_climate', 'Arbres et climat'], ['environment_climate', 'Reboisons ensemble'],
  ['economic_development', 'Microprojets solidaires'], ['economic_development', 'Artisans du monde rural'],
  ['culture_heritage', 'Regards croisés'], ['culture_heritage', 'Tambours et palabres'],
  ['youth_mobility', 'Jeunes sans frontières'], ['youth_mobility', 'Passerelles jeunesse'],
  ['energy', 'Soleil pour tous'], ['energy', 'Lumières d’Afrique'],
  ['fair_trade', 'Commerce équitable'], ['fair_trade', 'Paniers du monde'],
  ['human_rights', 'Droits devant'], ['digital', 'Ordinateurs solidaires'], ['emergency_crisis', 'Urgence et reconstruction'],
  ['migration_development', 'Diasporas en action'], ['global_citizenship', 'Citoyens du monde'],
];

const AREA_NAMES: Readonly<Record<string, readonly string[]>> = {
  '16': ['Charente', 'Angoumois', 'Cognaçais'], '17': ['Charente-Maritime', 'Aunis', 'Saintonge'],
  '19': ['Corrèze', 'Pays de Brive'], '23': ['Creuse', 'Marche'], '24': ['Dordogne', 'Périgord'],
  '33': ['Gironde', 'Médoc', 'Entre-deux-Mers', 'Bassin d’Arcachon'], '40': ['Landes', 'Chalosse'],
  '47': ['Lot-et-Garonne', 'Agenais'], '64': ['Pays basque', 'Béarn', 'Pyrénées-Atlantiques'],
  '79': ['Deux-Sèvres', 'Gâtine'], '86': ['Vienne', 'Poitou'], '87': ['Limousin', 'Haute-Vienne'],
};

const DEPARTMENT_ARTICLE: Readonly<Record<string, string>> = {
  '16': 'de la Charente', '17': 'de la Charente-Maritime', '19': 'de la Corrèze', '23': 'de la Creuse', '24': 'de la Dordogne',
  '33': 'de la Gironde', '40': 'des Landes', '47': 'du Lot-et-Garonne', '64': 'des Pyrénées-Atlantiques', '79': 'des Deux-Sèvres',
  '86': 'de la Vienne', '87': 'de la Haute-Vienne',
};

const DEMONYMS: Readonly<Record<string, string>> = {
  SN: 'Sénégalais', ML: 'Maliens', BF: 'Burkinabè', MA: 'Marocains', TN: 'Tunisiens', DZ: 'Algériens', MG: 'Malgaches',
  CM: 'Camerounais', HT: 'Haïtiens', KM: 'Comoriens', CI: 'Ivoiriens', TG: 'Togolais', BJ: 'Béninois', GN: 'Guinéens', CD: 'Congolais',
};

const PEOPLE_FOR_SCHOOLS = ['Jean-Moulin', 'Victor-Hugo', 'Camille-Claudel', 'Jean-Jaurès', 'Marie-Curie', 'Albert-Camus', 'Simone-Veil', 'Montesquieu', 'Michel-Montaigne', 'Bernard-Palissy', 'Pierre-Mendès-France', 'Gaston-Fébus', 'Léopold-Sédar-Senghor', 'Aimé-Césaire'];

const COMPANY_WORDS = ['Conseil', 'Ingénierie', 'Énergies', 'Solutions', 'Études', 'Développement', 'Environnement', 'Formation'];
const COMPANY_ROOTS = ['Atlantique', 'Garonne', 'Dordogne', 'Adour', 'Océan', 'Sud-Ouest', 'Limousin', 'Horizon', 'Sahel', 'Baobab', 'Kora', 'Tamarin', 'Acacia'];

export const FIRST_NAMES = [
  'Camille', 'Julien', 'Marie', 'Thomas', 'Claire', 'Nicolas', 'Sophie', 'Pierre', 'Isabelle', 'Laurent', 'Anne', 'Mathieu',
  'Élodie', 'Sébastien', 'Hélène', 'François', 'Céline', 'Guillaume', 'Nathalie', 'Olivier', 'Aurélie', 'Bruno', 'Léa',
  'Hugo', 'Chloé', 'Maxime', 'Manon', 'Antoine', 'Inès', 'Louis', 'Jeanne', 'Gaël', 'Maïté', 'Iñaki', 'Ramuntxo', 'Maialen',
  'Awa', 'Mamadou', 'Fatoumata', 'Ousmane', 'Aminata', 'Moussa', 'Aïssatou', 'Karim', 'Yasmina', 'Mohamed', 'Nadia', 'Youssef',
  'Hery', 'Voahangy', 'Rija', 'Koffi', 'Adjoa', 'Rodrigo', 'Lucía', 'Thi Lan', 'Minh',
];
export const LAST_NAMES = [
  'Martin', 'Bernard', 'Dubois', 'Durand', 'Lefebvre', 'Moreau', 'Laurent', 'Simon', 'Michel', 'Garcia', 'Roux', 'Fournier',
  'Girard', 'Lambert', 'Bonnet', 'Dupuy', 'Lacoste', 'Labat', 'Darrieussecq', 'Etcheverry', 'Etchegaray', 'Larrieu', 'Lafargue',
  'Castaing', 'Peyrat', 'Chastaing', 'Delmas', 'Faure', 'Mazeau', 'Brunet', 'Rivière', 'Marchand', 'Guérin', 'Vidal', 'Barbier',
  'Diallo', 'Traoré', 'Ouédraogo', 'Sawadogo', 'Diop', 'Ndiaye', 'Sow', 'Keïta', 'Koné', 'Benali', 'El Amrani', 'Haddad',
  'Rakotomalala', 'Randriamampionona', 'Andriamanana', 'Mensah', 'Agbodjan', 'Quispe', 'Mendoza', 'Nguyen', 'Tran',
];

const FUNCTIONS: Readonly<Record<string, readonly string[]>> = {
  association: ['Président·e', 'Trésorier·ère', 'Secrétaire', 'Coordinateur·rice des projets', 'Chargé·e de mission', 'Bénévole référent·e'],
  local_authority: ['Chargé·e de mission relations internationales', 'Élu·e délégué·e à la coopération décentralisée', 'Directeur·rice des relations internationales'],
  education_research: ['Responsable des relations internationales', 'Enseignant·e référent·e', 'Chargé·e de coopération', 'Proviseur·e adjoint·e'],
  popular_education: ['Directeur·rice', 'Animateur·rice ECSI', 'Délégué·e départemental·e', 'Coordinateur·rice jeunesse'],
  public_body: ['Chargé·e de mission international', 'Directeur·rice', 'Responsable des partenariats'],
  company: ['Gérant·e', 'Responsable RSE', 'Directeur·rice général·e', 'Chargé·e d’affaires'],
  other: ['Délégué·e général·e', 'Responsable', 'Chargé·e de mission'],
};

const KIND_WEIGHTS: readonly (readonly [string, number])[] = [
  ['association', 52], ['local_authority', 11], ['education_research', 9], ['popular_education', 9],
  ['public_body', 5], ['company', 9], ['other', 5],
];

const KIND_COLLEGE: Readonly<Record<string, string>> = {
  association: 'associations', local_authority: 'local_authorities', education_research: 'education_research',
  popular_education: 'associations', public_body: 'public_bodies', company: 'economic_actors', other: 'qualified_persons',
};

// ---------- Records ----------

export interface SeedContact {
  civility: string;
  first_name: string;
  last_name: string;
  email: string;
  phone: string | null;
  function: string;
  is_main: boolean;
  public_profile: boolean;
  newsletter: boolean;
  themes: string[];
  countries: string[];
}

export interface SeedOrganisation {
  slug: string;
  draft: OrganisationDraft;
  is_member: boolean;
  latitude: number | null;
  longitude: number | null;
  geo_precision: 'commune' | 'department' | null;
  social_links: Record<string, string> | null;
  /** Years of membership, with status and fee. */
  memberships: { year: number; status: 'paid' | 'pending'; fee_cents: number }[];
  /** Days before "now" of the creation and last update. */
  createdDaysAgo: number;
  updatedDaysAgo: number;
  reviewedDaysAgo: number | null;
  contacts: SeedContact[];
}

export interface GenerateOptions {
  regionCode: string;
  count: number;
  seed: number;
  currentYear: number;
  /** Contacts per organisation: [min, max]. */
  contactsPerOrganisation: [number, number];
  /** Slugs already used (updated as slugs are handed out). */
  usedSlugs?: Set<string>;
}

function domainOf(name: string, pick: Picker): string {
  const words = slugify(name)
    .split('-')
    .filter((w) => w.length > 2 && !['des', 'les', 'pour', 'avec', 'aux', 'sur'].includes(w))
    .slice(0, 4);
  const tld = pick.weighted([['example.org', 6], ['example.net', 2], ['example.com', 2]] as const);
  return `${words.join('-') || 'structure'}.${tld}`;
}

function uniqueSlug(name: string, used: Set<string>): string {
  const base = slugify(name);
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? base : `${base}-${i}`;
    if (!used.has(candidate)) {
      used.add(candidate);
      return candidate;
    }
  }
}

function phone(pick: Picker, mobile = false): string {
  return mobile ? `+33${pick.one(['6', '7'])}${pick.digits(8)}` : `+335${pick.int(1, 8)}${pick.digits(7)}`;
}

function emailCase(pick: Picker, local: string, domain: string): string {
  const style = pick.weighted([['lower', 6], ['title', 3], ['upper', 1]] as const);
  if (style === 'upper') return `${local.toUpperCase()}@${domain.toUpperCase()}`;
  if (style === 'title') return `${local.split('.').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('.')}@${domain}`;
  return `${local}@${domain}`;
}

interface Naming {
  name: string;
  acronym: string | null;
  themes: string[];
  countries: string[];
}

function nameOf(kind: string, pick: Picker, place: Place, countries: string[], taken: Set<string>): Naming {
  const commune = place.commune.name;
  const deptArticle = DEPARTMENT_ARTICLE[place.department.code] ?? `de ${place.department.name}`;
  const area = pick.one(AREA_NAMES[place.department.code] ?? [place.department.name]);
  const country = countries[0]!;
  const countryFr = countryName(country, 'fr');
  const town = pick.one(TOWNS[country] ?? [countryFr]);
  const [theme, word] = pick.one(THEME_WORDS);
  const themes = [theme];
  let acronym: string | null = null;
  let name: string;
  switch (kind) {
    case 'association':
      name = pick.weighted([
        [`Comité de jumelage ${commune}–${town}`, 4],
        [`Association ${word} ${area}`, 5],
        [`${countryFr} Solidarité ${area}`, 3],
        [`Les Amis de ${town}`, 3],
        [`${commune} Solidarité ${countryFr}`, 3],
        [`Association des ${DEMONYMS[country] ?? 'ressortissants'} de ${commune}`, DEMONYMS[country] ? 2 : 0],
        [`${word} – ${countryFr}`, 2],
        [`Collectif ${commune} pour ${town}`, 1],
      ] as const);
      if (name.startsWith('Comité de jumelage')) themes.push('local_governance', 'culture_heritage');
      if (pick.chance(0.3)) themes.push('global_citizenship');
      break;
    case 'local_authority': {
      const options: [string, number][] = [
        [`Ville de ${commune}`, 5],
        [`Communauté de communes ${pick.one(['du Pays', 'des Coteaux', 'des Vallées', 'du Val'])} ${pick.one(['de ' + commune, 'd’' + area])}`, 2],
        [`Communauté d’agglomération du Grand ${commune}`, 1],
        [`Conseil départemental ${deptArticle}`, 2],
      ];
      name = pick.weighted(options);
      // One town hall and one council per place: draw again rather than number them.
      for (let i = 0; i < 6 && taken.has(name); i++) name = pick.weighted(options.slice(1));
      themes.splice(0, 1, 'local_governance');
      themes.push(pick.one(['water_sanitation', 'youth_mobility', 'culture_heritage', 'economic_development']));
      break;
    }
    case 'education_research':
      name = pick.weighted([
        [`Lycée ${pick.one(PEOPLE_FOR_SCHOOLS)} de ${commune}`, 4],
        [`Lycée agricole de ${commune}`, 2],
        [`IUT de ${commune}`, 1],
        [`Laboratoire ${pick.one(['Dynamiques africaines', 'Territoires et développement', 'Eau et sociétés', 'Santé globale'])} – ${area}`, 1],
        [`Institut de formation en soins infirmiers de ${commune}`, 1],
        [`Université populaire ${area}`, 1],
      ] as const);
      themes.splice(0, 1, 'education_training');
      if (pick.chance(0.5)) themes.push('youth_mobility');
      if (name.startsWith('IUT')) acronym = 'IUT';
      break;
    case 'popular_education':
      name = pick.weighted([
        [`MJC de ${commune}`, 4],
        [`Ligue de l’enseignement – Fédération ${deptArticle}`, 1],
        [`Les Francas ${deptArticle}`, 1],
        [`Centre social ${pick.one(['du Bourg', 'des Quartiers Nord', 'Les Tilleuls', 'La Passerelle'])} de ${commune}`, 2],
        [`Foyer rural de ${commune}`, 2],
        [`Maison de quartier ${pick.one(['Saint-Michel', 'Le Lac', 'Les Aubiers', 'Bel Air'])} de ${commune}`, 1],
      ] as const);
      if (name.startsWith('MJC')) acronym = 'MJC';
      themes.splice(0, 1, 'global_citizenship');
      themes.push('youth_mobility');
      break;
    case 'public_body':
      name = pick.weighted([
        [`Centre hospitalier de ${commune}`, 2],
        [`Chambre d’agriculture ${deptArticle}`, 1],
        [`Chambre de commerce et d’industrie ${area}`, 1],
        [`Syndicat ${pick.one(['', 'intercommunal '])}des eaux ${deptArticle}`, 2],
        [`Office de tourisme de ${commune}`, 1],
        [`Maison de l’Europe ${area}`, 1],
      ] as const);
      if (name.startsWith('Syndicat')) themes.splice(0, 1, 'water_sanitation');
      if (name.startsWith('Centre hospitalier')) themes.splice(0, 1, 'health');
      if (name.startsWith('Chambre d’agriculture')) themes.splice(0, 1, 'agriculture_food');
      break;
    case 'company': {
      const root = pick.one(COMPANY_ROOTS);
      name = pick.weighted([
        [`${root} ${pick.one(COMPANY_WORDS)}`, 4],
        [`SCOP ${root} ${pick.one(COMPANY_WORDS)}`, 2],
        [`Coopérative ${pick.one(['Terres', 'Saveurs', 'Artisans'])} du ${pick.one(['Sud', 'Monde', 'Sahel'])}`, 1],
        [`Bureau d’études ${root}`, 1],
      ] as const);
      themes.splice(0, 1, pick.one(['economic_development', 'energy', 'fair_trade', 'digital', 'environment_climate']));
      break;
    }
    default:
      name = pick.weighted([
        [`Fondation ${pick.one(LAST_NAMES)} pour ${pick.one(['l’enfance', 'l’eau', 'l’éducation', 'la santé'])}`, 2],
        [`Fonds de dotation ${word}`, 1],
        [`Collectif citoyen ${commune}–${town}`, 1],
        [`Réseau ${area} ${word}`, 1],
      ] as const);
  }
  name = name.replace(/\s+/g, ' ').trim();
  // Names are unique in the network: the same pattern drawn twice gets the commune or a number.
  if (taken.has(name)) name = `${name} (${commune})`;
  for (let i = 2; taken.has(name); i++) name = `${name.replace(/ \d+$/, '')} ${i}`;
  taken.add(name);
  return { name, acronym, themes: [...new Set(themes)], countries };
}

function description(o: { name: string; kind: string; themes: string[]; countries: string[]; commune: string; founded: number | null; department: string }): string {
  const where = o.countries.map((c) => countryName(c, 'fr'));
  const countries = where.length > 1 ? `${where.slice(0, -1).join(', ')} et ${where[where.length - 1]}` : (where[0] ?? '');
  const actions = o.themes.slice(0, 2).map((t) => THEME_PHRASES[t] ?? THEME_PHRASES['other']!);
  const subject: Record<string, string> = {
    association: 'L’association',
    local_authority: 'La collectivité',
    education_research: 'L’établissement',
    popular_education: 'La structure',
    public_body: 'L’établissement',
    company: 'L’entreprise',
    other: 'La structure',
  };
  const first = `${o.founded ? `Fondée en ${o.founded} à ${o.commune}, ` : `Basée à ${o.commune}, `}${subject[o.kind]!.charAt(0).toLowerCase()}${subject[o.kind]!.slice(1)} agit pour ${actions.join(' et pour ')}${countries ? `, en partenariat avec des acteurs locaux (${countries})` : ''}.`;
  const second = `Elle anime aussi des actions de sensibilisation auprès des habitants, des écoles et des associations du département (${o.department}).`;
  return `<p>${first.charAt(0).toUpperCase()}${first.slice(1)}</p><p>${second}</p>`;
}

function contactsOf(pick: Picker, kind: string, domain: string, themes: string[], countries: string[], n: number): SeedContact[] {
  const out: SeedContact[] = [];
  const locals = new Set<string>();
  for (let i = 0; i < n; i++) {
    const first = pick.one(FIRST_NAMES);
    const last = pick.one(LAST_NAMES);
    const female = /[ae]$|Awa|Aminata|Fatoumata|Aïssatou|Nadia|Yasmina|Inès|Maïté|Maialen|Voahangy|Adjoa|Lucía|Thi Lan|Claire|Élodie|Hélène|Céline|Nathalie|Aurélie|Léa|Chloé|Manon|Jeanne/.test(first) && !['Pierre', 'Maxime', 'Antoine', 'Guillaume', 'Mathieu', 'Ramuntxo', 'Koffi'].includes(first);
    let local = slugify(`${first} ${last}`).replace(/-/g, '.');
    for (let k = 2; locals.has(local); k++) local = `${slugify(`${first} ${last}`).replace(/-/g, '.')}${k}`;
    locals.add(local);
    out.push({
      civility: female ? 'Mme' : 'M.',
      first_name: first,
      last_name: last,
      email: emailCase(pick, local, domain),
      phone: pick.chance(0.6) ? phone(pick, pick.chance(0.5)) : null,
      function: pick.one(FUNCTIONS[kind] ?? FUNCTIONS['other']!),
      is_main: i === 0,
      public_profile: i === 0 && pick.chance(0.3),
      newsletter: pick.chance(0.4),
      themes: pick.chance(0.5) ? pick.some(themes, 1, 2) : [],
      countries: pick.chance(0.4) ? pick.some(countries, 1, 1) : [],
    });
  }
  return out;
}

/**
 * `count` organisations spread over the region's départements (every one gets a share, the rest
 * goes by population), each in a real commune drawn by population.
 */
export function generateOrganisations(options: GenerateOptions): SeedOrganisation[] {
  const pick = new Picker(seededRandom(options.seed));
  const places = new RegionPlaces(options.regionCode);
  const used = options.usedSlugs ?? new Set<string>();
  const takenNames = new Set<string>();
  const departments = places.departments;
  const totalPopulation = departments.reduce((s, d) => s + places.population(d.code), 0);
  const floor = Math.min(Math.floor(options.count / departments.length), Math.max(1, Math.floor((options.count * 0.4) / departments.length)));
  const shares = departments.map((d) => floor + Math.floor(((options.count - floor * departments.length) * places.population(d.code)) / totalPopulation));
  for (let i = 0; shares.reduce((a, b) => a + b, 0) < options.count; i++) shares[i % shares.length]!++;

  const out: SeedOrganisation[] = [];
  departments.forEach((department, di) => {
    for (let n = 0; n < shares[di]!; n++) {
      const kind = pick.weighted(KIND_WEIGHTS);
      const place = places.place(pick, department, kind === 'local_authority' && pick.chance(0.6) ? pick.one(places.largest(department.code, 8)) : undefined);
      const countries = [pick.weighted(COUNTRIES)];
      if (pick.chance(0.35)) countries.push(pick.weighted(COUNTRIES));
      const naming = nameOf(kind, pick, place, [...new Set(countries)], takenNames);
      if (pick.chance(0.4)) naming.themes.push(pick.one(Object.keys(THEME_PHRASES).filter((t) => t !== 'other')));
      const themes = [...new Set(naming.themes)];
      const sdgs = [...new Set(themes.flatMap((t) => THEME_SDGS[t] ?? []).concat(pick.chance(0.5) ? [17] : []))].sort((a, b) => a - b);
      const zones = pick.chance(0.1) ? [pick.one(['west_africa', 'maghreb', 'indian_ocean', 'latin_america'])] : [];
      const founded = pick.chance(0.85) ? pick.int(kind === 'local_authority' ? 1950 : 1965, options.currentYear - 1) : null;
      const domain = domainOf(naming.name, pick);
      const isMember = pick.chance(kind === 'company' ? 0.25 : 0.45);
      const siret = ['association', 'company', 'popular_education', 'other'].includes(kind) && pick.chance(0.6) ? inventSiret(pick) : null;
      const rna = kind === 'association' && pick.chance(0.7) ? inventRna(pick, department.code) : null;
      const years = isMember ? [options.currentYear - 2, options.currentYear - 1, options.currentYear].filter((_, i) => i === 2 || pick.chance(0.7)) : [];
      const fee = { association: 5000, local_authority: 50000, education_research: 20000, popular_education: 8000, public_body: 30000, company: 25000, other: 5000 }[kind] ?? 5000;
      const draft: OrganisationDraft = {
        name: naming.name,
        acronym: naming.acronym,
        kind_code: kind,
        description_html: description({ name: naming.name, kind, themes, countries: naming.countries, commune: place.commune.name, founded, department: department.name }),
        website: pick.chance(0.85) ? `https://${pick.chance(0.5) ? 'www.' : ''}${domain}` : null,
        email: pick.chance(0.9) ? `${pick.one(['contact', 'info', 'bonjour', 'secretariat'])}@${domain}` : null,
        phone: pick.chance(0.7) ? phone(pick) : null,
        address: pick.chance(0.8) ? `${pick.int(1, 120)} ${pick.one(['rue', 'avenue', 'place', 'allée', 'cours'])} ${pick.one(['Victor-Hugo', 'de la République', 'Jean-Jaurès', 'du Général-de-Gaulle', 'des Écoles', 'de la Mairie', 'Gambetta', 'Pasteur', 'de la Libération'])}` : null,
        postcode: place.commune.postcodes[0] ?? null,
        commune_code: place.commune.code,
        commune_name: place.commune.name,
        department_code: department.code,
        siren: siret ? siret.slice(0, 9) : null,
        siret,
        rna,
        insee_code: kind === 'local_authority' && naming.name.startsWith('Ville de') ? place.commune.code : null,
        founded_year: founded,
        staff_count: pick.chance(0.6) ? (kind === 'association' ? pick.int(0, 8) : pick.int(2, 400)) : null,
        volunteer_count: kind === 'association' || kind === 'popular_education' ? pick.int(3, 150) : null,
        visibility: pick.weighted([['public', 93], ['members', 5], ['staff', 2]] as const) as Visibility,
        links: { themes, countries: naming.countries, zones, sdgs, colleges: isMember ? [KIND_COLLEGE[kind] ?? 'associations'] : [] },
      };
      const created = pick.int(30, 2200);
      out.push({
        slug: uniqueSlug(naming.name, used),
        draft,
        is_member: isMember,
        latitude: place.latitude,
        longitude: place.longitude,
        geo_precision: place.precision,
        social_links: pick.chance(0.3) ? { facebook: `https://www.facebook.example.org/${slugify(naming.name).slice(0, 40)}` } : null,
        memberships: years.map((year) => ({ year, status: year === options.currentYear && pick.chance(0.3) ? 'pending' : 'paid', fee_cents: fee })),
        createdDaysAgo: created,
        updatedDaysAgo: pick.int(0, created),
        reviewedDaysAgo: pick.chance(0.6) ? pick.int(0, 700) : null,
        contacts: contactsOf(pick, kind, domain, themes, naming.countries, pick.int(options.contactsPerOrganisation[0], options.contactsPerOrganisation[1])),
      });
    }
  });
  return out;
}
