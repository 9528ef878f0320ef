import type { Kysely } from 'kysely';

// Seed data of the inter-network vocabulary. Frozen: later changes are new migrations or admin edits.

const KINDS = [
  ['association', 'Association', 'Association'],
  ['local_authority', 'Collectivité territoriale', 'Local authority'],
  ['education_research', 'Établissement d’enseignement ou de recherche', 'School, university or research body'],
  ['popular_education', 'Structure d’éducation populaire', 'Popular-education body'],
  ['public_body', 'Établissement ou acteur public', 'Public body'],
  ['company', 'Entreprise', 'Company'],
  ['other', 'Autre', 'Other'],
];

const THEMES = [
  ['water_sanitation', 'Eau et assainissement', 'Water and sanitation'],
  ['agriculture_food', 'Agriculture et alimentation', 'Agriculture and food'],
  ['health', 'Santé', 'Health'],
  ['education_training', 'Éducation et formation', 'Education and training'],
  ['gender_equality', 'Égalité femmes-hommes', 'Gender equality'],
  ['environment_climate', 'Environnement et climat', 'Environment and climate'],
  ['economic_development', 'Développement économique', 'Economic development'],
  ['local_governance', 'Gouvernance locale', 'Local governance'],
  ['culture_heritage', 'Culture et patrimoine', 'Culture and heritage'],
  ['youth_mobility', 'Jeunesse et mobilité', 'Youth and mobility'],
  ['migration_development', 'Migrations et développement', 'Migration and development'],
  ['emergency_crisis', 'Urgence et crise', 'Emergency and crisis'],
  ['global_citizenship', 'Éducation à la citoyenneté et à la solidarité internationale (ECSI)', 'Global citizenship education'],
  ['energy', 'Énergie', 'Energy'],
  ['fair_trade', 'Commerce équitable', 'Fair trade'],
  ['human_rights', 'Droits humains', 'Human rights'],
  ['digital', 'Numérique', 'Digital'],
  ['other', 'Autre', 'Other'],
];

const SDGS: [number, string, string][] = [
  [1, 'Pas de pauvreté', 'No poverty'],
  [2, 'Faim « zéro »', 'Zero hunger'],
  [3, 'Bonne santé et bien-être', 'Good health and well-being'],
  [4, 'Éducation de qualité', 'Quality education'],
  [5, 'Égalité entre les sexes', 'Gender equality'],
  [6, 'Eau propre et assainissement', 'Clean water and sanitation'],
  [7, 'Énergie propre et d’un coût abordable', 'Affordable and clean energy'],
  [8, 'Travail décent et croissance économique', 'Decent work and economic growth'],
  [9, 'Industrie, innovation et infrastructure', 'Industry, innovation and infrastructure'],
  [10, 'Inégalités réduites', 'Reduced inequalities'],
  [11, 'Villes et communautés durables', 'Sustainable cities and communities'],
  [12, 'Consommation et production responsables', 'Responsible consumption and production'],
  [13, 'Mesures relatives à la lutte contre les changements climatiques', 'Climate action'],
  [14, 'Vie aquatique', 'Life below water'],
  [15, 'Vie terrestre', 'Life on land'],
  [16, 'Paix, justice et institutions efficaces', 'Peace, justice and strong institutions'],
  [17, 'Partenariats pour la réalisation des objectifs', 'Partnerships for the goals'],
];

const COLLEGES = [
  ['associations', 'Associations et ONG', 'Associations and NGOs'],
  ['local_authorities', 'Collectivités territoriales', 'Local authorities'],
  ['education_research', 'Enseignement supérieur et recherche', 'Higher education and research'],
  ['economic_actors', 'Acteurs économiques', 'Economic actors'],
  ['public_bodies', 'Acteurs publics et parapublics', 'Public and para-public bodies'],
  ['qualified_persons', 'Personnes qualifiées', 'Qualified persons'],
];

const ZONES: [string, string, string, string[]][] = [
  ['west_africa', 'Afrique de l’Ouest', 'West Africa', ['BJ', 'BF', 'CV', 'CI', 'GM', 'GH', 'GN', 'GW', 'LR', 'ML', 'MR', 'NE', 'NG', 'SN', 'SL', 'TG']],
  ['central_africa', 'Afrique centrale', 'Central Africa', ['AO', 'CM', 'CF', 'TD', 'CG', 'CD', 'GQ', 'GA', 'ST']],
  ['east_africa', 'Afrique de l’Est', 'East Africa', ['BI', 'DJ', 'ER', 'ET', 'KE', 'RW', 'SO', 'SS', 'SD', 'TZ', 'UG']],
  ['southern_africa', 'Afrique australe', 'Southern Africa', ['BW', 'LS', 'MW', 'MZ', 'NA', 'ZA', 'SZ', 'ZM', 'ZW']],
  ['indian_ocean', 'Océan Indien', 'Indian Ocean', ['KM', 'MG', 'MU', 'SC', 'YT', 'RE']],
  ['maghreb', 'Maghreb', 'Maghreb', ['DZ', 'LY', 'MA', 'TN', 'MR']],
  ['middle_east', 'Proche et Moyen-Orient', 'Middle East', ['EG', 'IQ', 'IR', 'IL', 'JO', 'LB', 'PS', 'SY', 'TR', 'YE', 'SA']],
  ['south_asia', 'Asie du Sud', 'South Asia', ['AF', 'BD', 'BT', 'IN', 'MV', 'NP', 'PK', 'LK']],
  ['southeast_asia', 'Asie du Sud-Est', 'Southeast Asia', ['BN', 'KH', 'ID', 'LA', 'MY', 'MM', 'PH', 'SG', 'TH', 'TL', 'VN']],
  ['east_asia', 'Asie de l’Est', 'East Asia', ['CN', 'JP', 'KP', 'KR', 'MN', 'TW']],
  ['latin_america', 'Amérique latine', 'Latin America', ['AR', 'BO', 'BR', 'CL', 'CO', 'CR', 'EC', 'SV', 'GT', 'HN', 'MX', 'NI', 'PA', 'PY', 'PE', 'UY', 'VE']],
  ['caribbean', 'Caraïbes', 'Caribbean', ['CU', 'DO', 'HT', 'JM', 'TT', 'GP', 'MQ']],
  ['europe', 'Europe', 'Europe', ['DE', 'AT', 'BE', 'BG', 'CY', 'HR', 'DK', 'ES', 'EE', 'FI', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'CZ', 'RO', 'SK', 'SI', 'SE', 'GB', 'CH', 'NO']],
  ['eastern_europe', 'Europe orientale et Balkans', 'Eastern Europe and the Balkans', ['AL', 'BA', 'BY', 'GE', 'AM', 'AZ', 'MD', 'ME', 'MK', 'RS', 'UA', 'XK']],
  ['pacific', 'Pacifique', 'Pacific', ['FJ', 'PG', 'SB', 'VU', 'NC', 'PF', 'WF']],
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  const rows = (list: string[][]) => list.map(([code, fr, en], i) => ({ code, label_fr: fr, label_en: en, position: i + 1 }));
  await db.insertInto('organisation_kinds').values(rows(KINDS)).execute();
  await db.insertInto('themes').values(rows(THEMES)).execute();
  await db.insertInto('colleges').values(rows(COLLEGES)).execute();
  await db.insertInto('sdgs').values(SDGS.map(([code, fr, en]) => ({ code, label_fr: fr, label_en: en }))).execute();
  await db.insertInto('zones').values(ZONES.map(([code, fr, en], i) => ({ code, label_fr: fr, label_en: en, position: i + 1 }))).execute();
  await db
    .insertInto('zone_countries')
    .values(ZONES.flatMap(([code, , , countries]) => countries.map((country_code) => ({ zone_code: code, country_code }))))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['zone_countries', 'zones', 'sdgs', 'colleges', 'themes', 'organisation_kinds']) {
    await db.deleteFrom(table).execute();
  }
}
