// Vocabulary of the files that actor databases export: French and English headers, and the codes
// and abbreviations found in their cells. Keys are compared once normalised by `keyOf` (lower
// case, accents folded, punctuation as spaces), so "Tél." and "tel", "E-mail" and "e mail" match.
import { foldText } from '../../kernel/search/normalise.js';
import type { Target } from './types.js';

export function keyOf(text: string): string {
  return foldText(text)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Exact header keys per target. */
export const HEADER_SYNONYMS: Partial<Record<Target, string[]>> = {
  name: [
    'nom structure', 'nom de la structure', 'structure', 'organisation', 'organization', 'nom organisation', 'nom de l organisation',
    'organisme', 'nom de l organisme', 'nom organisme', 'raison sociale', 'denomination', 'nom', 'name', 'organisation name',
    'organization name', 'nom acteur', 'acteur', 'nom de l acteur', 'intitule', 'libelle', 'nom association', 'association',
  ],
  acronym: ['sigle', 'acronyme', 'acronym', 'abreviation', 'nom court', 'short name'],
  kind: [
    'type de structure', 'type structure', 'type', 'categorie', 'category', 'famille', 'famille d acteurs', 'statut', 'statut juridique',
    'forme juridique', 'nature', 'kind', 'type d acteur', 'type d organisation', 'organisation type',
  ],
  description: ['description', 'presentation', 'objet', 'objet social', 'activites', 'activite', 'about'],
  website: ['site web', 'site', 'site internet', 'url', 'web', 'website', 'internet', 'adresse web'],
  email: ['e mail', 'email', 'mail', 'courriel', 'adresse email', 'adresse mail', 'adresse e mail', 'mel', 'adresse electronique', 'email structure', 'courriel structure'],
  phone: ['tel', 'telephone', 'phone', 'tel fixe', 'numero de telephone', 'telephone structure', 'tel structure', 'standard'],
  address: ['adresse', 'address', 'adresse postale', 'rue', 'voie', 'adresse 1', 'adresse ligne 1', 'street'],
  postcode: ['cp', 'code postal', 'postcode', 'post code', 'postal code', 'zip', 'zip code'],
  commune: ['ville', 'commune', 'city', 'localite', 'town', 'municipalite'],
  siren_siret: ['siret siren', 'siren siret', 'siret', 'siren', 'n siret', 'n siren', 'numero siret', 'numero siren', 'siret ou siren', 'siren ou siret'],
  rna: ['rna', 'n rna', 'numero rna', 'num rna', 'no rna', 'rna number', 'identifiant rna', 'n w', 'numero w'],
  insee_code: ['code insee', 'insee', 'code commune insee'],
  founded_year: ['annee de creation', 'creation', 'date de creation', 'founded', 'year founded', 'annee creation'],
  staff_count: ['salaries', 'nombre de salaries', 'nb salaries', 'effectif', 'effectifs', 'staff'],
  volunteer_count: ['benevoles', 'nombre de benevoles', 'nb benevoles', 'volunteers'],
  themes: [
    'thematiques', 'thematique', 'themes', 'theme', 'domaines', 'domaine', 'domaines d intervention', 'domaine d intervention',
    'secteurs', 'secteur', 'secteurs d intervention', 'topics', 'sectors', 'thematiques d intervention',
  ],
  countries: ['pays d intervention', 'pays', 'countries', 'country', 'pays partenaires', 'pays partenaire', 'pays d action'],
  zones: ['zones', 'zone', 'zones d intervention', 'zone geographique', 'zones geographiques', 'regions du monde'],
  sdgs: ['odd', 'sdg', 'sdgs', 'objectifs de developpement durable'],
  source_ref: ['ref', 'reference', 'id', 'identifiant', 'code', 'cle', 'key', 'num', 'numero', 'n', 'no', 'ref structure', 'id structure'],
  contact_name: ['contact', 'nom complet', 'full name', 'nom prenom', 'prenom nom', 'referent', 'interlocuteur', 'personne contact', 'contact principal'],
  contact_first_name: ['prenom', 'first name', 'firstname', 'prenom contact', 'prenom du contact'],
  contact_last_name: ['nom contact', 'nom du contact', 'last name', 'lastname', 'surname', 'nom de famille'],
  contact_civility: ['civilite', 'civility', 'civilite contact', 'title'],
  contact_function: ['fonction', 'role', 'poste', 'function', 'position', 'job title', 'fonction contact', 'role contact', 'qualite'],
  contact_email: ['mail contact', 'email contact', 'e mail contact', 'courriel contact', 'mail du contact', 'email du contact', 'contact email', 'contact mail'],
  contact_phone: ['tel contact', 'telephone contact', 'portable', 'mobile', 'contact phone', 'tel du contact', 'telephone du contact'],
};

/** Words that make a header about the contact person rather than the organisation. */
export const CONTACT_WORDS = new Set(['contact', 'referent', 'referente', 'interlocuteur', 'responsable', 'personne']);

/** Token rules, tried in order when no exact synonym matched: every listed word group must be present. */
export const HEADER_TOKEN_RULES: { field: Target; all: string[][] }[] = [
  { field: 'contact_first_name', all: [['prenom', 'firstname', 'first']] },
  { field: 'contact_email', all: [[...CONTACT_WORDS], ['mail', 'email', 'courriel', 'mel']] },
  { field: 'contact_phone', all: [[...CONTACT_WORDS], ['tel', 'telephone', 'phone', 'portable', 'mobile']] },
  { field: 'contact_function', all: [[...CONTACT_WORDS], ['fonction', 'role', 'poste', 'function', 'qualite']] },
  { field: 'contact_civility', all: [[...CONTACT_WORDS], ['civilite', 'civility']] },
  { field: 'contact_last_name', all: [[...CONTACT_WORDS], ['nom', 'name', 'lastname']] },
  { field: 'is_member', all: [['adherent', 'adherente', 'adhesion', 'membre', 'member', 'cotisation', 'adherents']] },
  { field: 'email', all: [['mail', 'email', 'courriel', 'mel']] },
  { field: 'website', all: [['site', 'url', 'web', 'website', 'internet']] },
  { field: 'phone', all: [['tel', 'telephone', 'phone']] },
  { field: 'postcode', all: [['cp', 'postal', 'postcode', 'zip']] },
  { field: 'commune', all: [['ville', 'commune', 'city', 'localite']] },
  { field: 'siren_siret', all: [['siret', 'siren']] },
  { field: 'rna', all: [['rna']] },
  { field: 'countries', all: [['pays', 'country', 'countries']] },
  { field: 'themes', all: [['thematique', 'thematiques', 'theme', 'themes', 'domaine', 'domaines', 'secteur', 'secteurs']] },
  { field: 'acronym', all: [['sigle', 'acronyme', 'acronym']] },
  { field: 'kind', all: [['type', 'categorie', 'category', 'famille', 'statut', 'nature']] },
  { field: 'name', all: [['nom', 'name', 'raison', 'denomination', 'libelle', 'intitule'], ['structure', 'organisation', 'organization', 'organisme', 'acteur', 'association', 'entite', 'sociale']] },
  { field: 'address', all: [['adresse', 'address', 'rue']] },
  { field: 'contact_function', all: [['fonction', 'role', 'poste', 'function']] },
  { field: 'source_ref', all: [['ref', 'reference', 'id', 'identifiant']] },
];

/** Kinds of organisation as exports write them → taxonomy code (seeded codes of organisation_kinds). */
export const KIND_SYNONYMS: Record<string, string> = {
  asso: 'association', assoc: 'association', association: 'association', associations: 'association', ong: 'association', ngo: 'association',
  'association loi 1901': 'association', 'association loi 1908': 'association', collectif: 'association', federation: 'association',
  collectivite: 'local_authority', collectivites: 'local_authority', 'collectivite territoriale': 'local_authority', 'collectivite locale': 'local_authority',
  commune: 'local_authority', mairie: 'local_authority', ville: 'local_authority', departement: 'local_authority', region: 'local_authority',
  epci: 'local_authority', intercommunalite: 'local_authority', 'communaute de communes': 'local_authority', 'communaute d agglomeration': 'local_authority',
  'conseil departemental': 'local_authority', 'conseil regional': 'local_authority', 'local authority': 'local_authority',
  enseignement: 'education_research', 'enseignement recherche': 'education_research', 'enseignement superieur': 'education_research',
  'etablissement scolaire': 'education_research', 'etablissement scolaire universitaire': 'education_research', universite: 'education_research',
  ecole: 'education_research', lycee: 'education_research', recherche: 'education_research', 'education recherche': 'education_research',
  school: 'education_research', university: 'education_research', research: 'education_research',
  'educ pop': 'popular_education', 'education populaire': 'popular_education', 'structure d education populaire': 'popular_education',
  mjc: 'popular_education', 'centre social': 'popular_education', 'popular education': 'popular_education',
  'etab public': 'public_body', 'etablissement public': 'public_body', public: 'public_body', 'acteur public': 'public_body',
  administration: 'public_body', 'service de l etat': 'public_body', 'public body': 'public_body', 'organisme public': 'public_body',
  entreprise: 'company', 'secteur prive': 'company', prive: 'company', societe: 'company', sarl: 'company', sas: 'company', scop: 'company',
  company: 'company', business: 'company', 'acteur economique': 'company', 'entreprise privee': 'company',
  autre: 'other', autres: 'other', other: 'other', divers: 'other',
};

/** Theme labels of other networks → theme codes (seeded codes of themes). */
export const THEME_SYNONYMS: Record<string, string> = {
  genre: 'gender_equality', 'genre et egalite': 'gender_equality', 'egalite de genre': 'gender_equality', 'egalite femmes hommes': 'gender_equality',
  'egalite hommes femmes': 'gender_equality', 'droits des femmes': 'gender_equality', gender: 'gender_equality',
  ecsi: 'global_citizenship', ead: 'global_citizenship', easi: 'global_citizenship', 'education au developpement': 'global_citizenship',
  'education a la citoyennete': 'global_citizenship', 'education a la citoyennete mondiale': 'global_citizenship', 'education a la solidarite internationale': 'global_citizenship',
  eau: 'water_sanitation', assainissement: 'water_sanitation', 'eau assainissement': 'water_sanitation',
  climat: 'environment_climate', environnement: 'environment_climate', 'environnement climat': 'environment_climate',
  sante: 'health', education: 'education_training', formation: 'education_training',
  agriculture: 'agriculture_food', alimentation: 'agriculture_food', 'securite alimentaire': 'agriculture_food',
  culture: 'culture_heritage', patrimoine: 'culture_heritage', jeunesse: 'youth_mobility', mobilite: 'youth_mobility',
  migrations: 'migration_development', migration: 'migration_development', urgence: 'emergency_crisis', humanitaire: 'emergency_crisis',
  energie: 'energy', energies: 'energy', 'commerce equitable': 'fair_trade', 'droits humains': 'human_rights', 'droits de l homme': 'human_rights',
  numerique: 'digital', gouvernance: 'local_governance', 'gouvernance locale': 'local_governance', 'developpement economique': 'economic_development',
  economie: 'economic_development', 'economie sociale et solidaire': 'economic_development', ess: 'economic_development',
};

/** Country names that the ISO lists do not know in the forms exports use → ISO 3166-1 alpha-2. */
export const COUNTRY_SYNONYMS: Record<string, string> = {
  'rd congo': 'CD', rdc: 'CD', 'r d congo': 'CD', 'republique democratique du congo': 'CD', 'congo kinshasa': 'CD', 'congo rdc': 'CD',
  'congo brazzaville': 'CG', 'republique du congo': 'CG', 'viet nam': 'VN', vietnam: 'VN', tanzanie: 'TZ', 'etats unis': 'US',
  'etats unis d amerique': 'US', usa: 'US', 'cote d ivoire': 'CI', 'cote divoire': 'CI', 'coree du sud': 'KR', birmanie: 'MM',
  'centrafrique': 'CF', 'republique centrafricaine': 'CF', 'cap vert': 'CV', 'guinee bissau': 'GW', 'sao tome': 'ST', palestine: 'PS',
  'territoires palestiniens': 'PS', angleterre: 'GB', 'royaume uni': 'GB', 'macedoine': 'MK', swaziland: 'SZ', 'timor oriental': 'TL',
};

/** Yes/no cells → membership flag. */
export const BOOLEAN_VALUES: Record<string, boolean> = {
  oui: true, o: true, yes: true, y: true, '1': true, x: true, vrai: true, true: true, adherent: true, adherente: true, 'a jour': true, membre: true, ok: true,
  non: false, n: false, no: false, '0': false, faux: false, false: false, 'non adherent': false, 'pas a jour': false, '': false,
};
