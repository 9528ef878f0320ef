import type { AuditActor } from '../kernel/audit/index.js';
import { departmentsOfRegion } from '../kernel/geo/communes.js';
import type { Kernel } from '../kernel/http/types.js';
import { parseLocalDateTime, toLocalInputs } from '../kernel/time/zoned.js';
import { checkCall, createCall } from '../modules/calls/index.js';
import { checkEvent, createEvent, type RegistrationQuestion } from '../modules/events/index.js';
import { createArticle } from '../modules/news/index.js';
import { saveSettings } from '../modules/registrations/index.js';
import { checkResource, createResource } from '../modules/resources/index.js';
import { demoAssociations, hasDemoContent } from './repo.js';
import { communePosition, departmentCentre } from './demo-organisations.js';

const DAY_MS = 86_400_000;

/** An agenda entry of the demo network, dated in days from today. */
interface DemoEvent {
  title: string;
  summary: string;
  description: string;
  type: string;
  inDays: number;
  start: string;
  end: string;
  /** Position of the département among the region's (by code); null: online only. */
  department: number | null;
  venue?: string;
  online?: string;
  themes: string[];
  countries?: string[];
  audience?: string;
  price?: string;
  /** Organised by a demo association of the département. */
  byMember?: boolean;
  /** Registrations open, as staff open them in the back office (upcoming events only). */
  registration?: DemoRegistration;
}

/** An upcoming demo event's registration settings. */
interface DemoRegistration {
  capacity: number;
  /** The deadline: that many days before the event, at `closesAt` (Paris time). */
  closesDaysBefore: number;
  closesAt: string;
  questions?: RegistrationQuestion[];
}

const EVENTS: readonly DemoEvent[] = [
  {
    title: 'Journée multi-acteurs de la solidarité internationale',
    summary: 'Associations, collectivités, établissements scolaires et entreprises se retrouvent pour une journée d’ateliers et d’échanges.',
    description: 'Au programme : plénière d’ouverture, ateliers thématiques (eau, santé, jeunesse), forum des projets et temps convivial.\n\nDéjeuner offert aux participants inscrits.',
    type: 'multi_actor_day',
    inDays: 24,
    start: '09:30',
    end: '17:00',
    department: 5,
    venue: 'Maison des associations',
    themes: ['global_citizenship', 'local_governance'],
    audience: 'Tous les acteurs de la solidarité internationale',
    price: 'Gratuit, sur inscription',
    registration: {
      capacity: 120,
      closesDaysBefore: 7,
      closesAt: '18:00',
      questions: [{ id: 'qdejeuner', label: 'Je reste pour le déjeuner', kind: 'checkbox', required: false }],
    },
  },
  {
    title: 'Groupe pays Sénégal : réunion trimestrielle',
    summary: 'Tour de table des projets en cours au Sénégal et préparation des missions de l’année.',
    description: 'Chaque structure présente l’avancée de ses projets. Point sur la situation dans la vallée du fleuve et sur les partenariats communaux.',
    type: 'country_group_meeting',
    inDays: 9,
    start: '14:00',
    end: '17:00',
    department: 0,
    venue: 'Salle du réseau',
    themes: ['local_governance', 'water_sanitation'],
    countries: ['SN'],
  },
  {
    title: 'Groupe pays Burkina Faso : partager les pratiques à distance',
    summary: 'Comment poursuivre les partenariats quand les missions sur place sont suspendues ?',
    description: 'Échanges entre associations sur le suivi à distance, la sécurité des partenaires et le financement des projets.',
    type: 'country_group_meeting',
    inDays: -20,
    start: '14:00',
    end: '16:30',
    department: 8,
    venue: 'Espace associatif',
    themes: ['agriculture_food', 'education_training'],
    countries: ['BF'],
  },
  {
    title: 'Groupe pays Madagascar en visioconférence',
    summary: 'Rencontre en ligne des structures engagées à Madagascar.',
    description: 'Présentation du programme de formation agricole des Hautes Terres et échanges sur les appels à projets ouverts.',
    type: 'country_group_meeting',
    inDays: 16,
    start: '18:00',
    end: '19:30',
    department: null,
    online: 'https://visio.example.org/groupe-madagascar',
    themes: ['agriculture_food'],
    countries: ['MG'],
  },
  {
    title: 'Formation « Monter un projet de solidarité internationale »',
    summary: 'Une journée pour passer de l’idée au projet : diagnostic partagé, partenariat, budget et recherche de financements.',
    description: 'Formation animée par l’équipe du réseau, en petits groupes, à partir des projets des participants.\n\nPrévoir une présentation de votre projet en quelques lignes.',
    type: 'training_session',
    inDays: 35,
    start: '09:00',
    end: '17:30',
    department: 10,
    venue: 'Centre de formation',
    themes: ['education_training'],
    audience: 'Bénévoles et salariés d’associations',
    price: '20 € pour les membres, 40 € sinon',
    registration: {
      capacity: 16,
      closesDaysBefore: 10,
      closesAt: '23:59',
      questions: [{ id: 'qprojet', label: 'Votre projet en quelques lignes', kind: 'text', required: false }],
    },
  },
  {
    title: 'Webinaire : partir en volontariat international',
    summary: 'Les dispositifs de volontariat (VSI, service civique à l’international, congé de solidarité) expliqués en une heure.',
    description: 'Présentation des dispositifs, témoignages d’anciens volontaires et réponses à vos questions.',
    type: 'webinar',
    inDays: 5,
    start: '12:30',
    end: '13:30',
    department: null,
    online: 'https://visio.example.org/volontariat',
    themes: ['youth_mobility'],
    audience: 'Jeunes, étudiants et structures d’accueil',
    registration: { capacity: 100, closesDaysBefore: 0, closesAt: '12:00' },
  },
  {
    title: 'Rencontre des comités de jumelage',
    summary: 'Les comités de jumelage et de coopération décentralisée du territoire partagent leurs expériences.',
    description: 'Retour sur les échanges de jeunes de l’été et préparation des projets communs avec les collectivités partenaires.',
    type: 'network_meeting',
    inDays: -45,
    start: '10:00',
    end: '16:00',
    department: 3,
    venue: 'Hôtel de ville',
    themes: ['local_governance', 'youth_mobility'],
    byMember: true,
  },
  {
    title: 'Ciné-débat : l’eau au Sahel',
    summary: 'Projection d’un documentaire suivie d’un débat avec des associations engagées dans l’accès à l’eau.',
    description: 'Entrée libre. La soirée se termine par un verre de l’amitié.',
    type: 'conference',
    inDays: 50,
    start: '20:00',
    end: '22:30',
    department: 6,
    venue: 'Cinéma municipal',
    themes: ['water_sanitation', 'environment_climate'],
    countries: ['NE', 'ML'],
    byMember: true,
  },
  {
    title: 'Festival des solidarités : village associatif',
    summary: 'Stands, animations pour les enfants et concerts : les associations du département présentent leurs actions.',
    description: 'Une journée ouverte à tous, sur la place du marché.',
    type: 'member_event',
    inDays: 62,
    start: '10:00',
    end: '18:00',
    department: 1,
    venue: 'Place du marché',
    themes: ['global_citizenship', 'fair_trade'],
    byMember: true,
  },
];

interface DemoArticle {
  title: string;
  summary: string;
  body: string;
  daysAgo: number;
  themes: string[];
  countries: string[];
}

const ARTICLES: readonly DemoArticle[] = [
  {
    title: 'Retour sur l’assemblée générale du réseau',
    summary: 'Près de cent participants, un nouveau conseil d’administration et trois priorités pour l’année.',
    body: '<p>L’assemblée générale a réuni associations, collectivités et partenaires. Les priorités retenues : l’éducation à la citoyenneté mondiale, l’accompagnement des petites structures et la coopération avec les diasporas.</p>',
    daysAgo: 3,
    themes: ['local_governance'],
    countries: [],
  },
  {
    title: 'Sénégal : un partenariat pour l’eau potable dans la région de Podor',
    summary: 'Trois associations du réseau unissent leurs forces avec une commune sénégalaise pour réhabiliter des forages.',
    body: '<p>Le projet prévoit la réhabilitation de quatre forages et la formation d’un comité de gestion de l’eau dans chaque village.</p>',
    daysAgo: 8,
    themes: ['water_sanitation'],
    countries: ['SN'],
  },
  {
    title: 'Volontariat international : les missions de l’année sont en ligne',
    summary: 'Une trentaine de missions de volontariat sont proposées par les structures du réseau.',
    body: '<p>Éducation, santé, agriculture : les missions durent de six mois à deux ans. Le réseau organise une session de préparation au départ pour les volontaires retenus.</p>',
    daysAgo: 15,
    themes: ['youth_mobility'],
    countries: [],
  },
  {
    title: 'Madagascar : bilan du programme de formation agricole',
    summary: 'Après trois ans, deux cents familles ont adopté des techniques d’agroécologie.',
    body: '<p>Le programme, porté par une association membre et ses partenaires malgaches, a permis de diversifier les cultures et d’améliorer les revenus des familles.</p>',
    daysAgo: 23,
    themes: ['agriculture_food', 'environment_climate'],
    countries: ['MG'],
  },
  {
    title: 'Burkina Faso : le groupe pays adapte ses actions',
    summary: 'Face au contexte sécuritaire, les associations renforcent le suivi à distance avec leurs partenaires.',
    body: '<p>Le groupe pays a publié une note de recommandations pour poursuivre les projets en confiance avec les partenaires burkinabè.</p>',
    daysAgo: 31,
    themes: ['emergency_crisis', 'education_training'],
    countries: ['BF'],
  },
  {
    title: 'Festival des solidarités : appel aux initiatives locales',
    summary: 'Associations, écoles et collectivités sont invitées à proposer une animation pour l’édition de novembre.',
    body: '<p>Le réseau coordonne le programme régional et met à disposition des outils de communication communs.</p>',
    daysAgo: 40,
    themes: ['global_citizenship'],
    countries: [],
  },
];

/** A resource of the library: a link to a well-known public page (no file). */
interface DemoResource {
  title: string;
  kind: string;
  summary: string;
  authors: string;
  yearsAgo: number;
  url: string;
  themes: string[];
  countries: string[];
}

const RESOURCES: readonly DemoResource[] = [
  {
    title: 'Financer un projet de la société civile avec l’Agence française de développement',
    kind: 'guide',
    summary: 'Les dispositifs de l’AFD ouverts aux organisations de la société civile : conditions, calendrier et modalités de cofinancement.',
    authors: 'Agence française de développement',
    yearsAgo: 1,
    url: 'https://www.afd.fr/fr',
    themes: ['economic_development', 'local_governance'],
    countries: [],
  },
  {
    title: 'Conseils aux voyageurs avant une mission à l’étranger',
    kind: 'guide',
    summary: 'Sécurité, santé et formalités par pays : la page à consulter avant tout départ en mission ou en volontariat.',
    authors: 'Ministère de l’Europe et des Affaires étrangères',
    yearsAgo: 0,
    url: 'https://www.diplomatie.gouv.fr/fr/conseils-aux-voyageurs/',
    themes: ['emergency_crisis', 'youth_mobility'],
    countries: ['BF', 'ML', 'SN'],
  },
  {
    title: 'Les objectifs de développement durable expliqués',
    kind: 'toolkit',
    summary: 'Les dix-sept objectifs et leurs cibles, avec des supports pour animer des séances d’éducation à la citoyenneté mondiale.',
    authors: 'Nations unies',
    yearsAgo: 2,
    url: 'https://www.un.org/sustainabledevelopment/fr/',
    themes: ['global_citizenship', 'environment_climate'],
    countries: [],
  },
  {
    title: 'Partir en volontariat : les dispositifs de France Volontaires',
    kind: 'brochure',
    summary: 'Volontariat de solidarité internationale, service civique à l’international, volontariat d’échange et de solidarité : qui peut partir, comment et avec quel soutien.',
    authors: 'France Volontaires',
    yearsAgo: 1,
    url: 'https://www.france-volontaires.org/',
    themes: ['youth_mobility'],
    countries: [],
  },
  {
    title: 'Capitaliser et évaluer ses projets de solidarité internationale',
    kind: 'capitalisation',
    summary: 'Méthodes et outils pour tirer les enseignements d’un projet, partager les pratiques et préparer une évaluation.',
    authors: 'F3E',
    yearsAgo: 3,
    url: 'https://f3e.asso.fr/',
    themes: ['education_training', 'local_governance'],
    countries: [],
  },
  {
    title: 'Accès à l’eau potable et à l’assainissement : les données par pays',
    kind: 'study',
    summary: 'Les estimations du programme commun OMS/UNICEF de suivi de l’eau, de l’assainissement et de l’hygiène, pays par pays.',
    authors: 'OMS et UNICEF',
    yearsAgo: 1,
    url: 'https://washdata.org/',
    themes: ['water_sanitation', 'health'],
    countries: ['BF', 'MG', 'SN'],
  },
];

/** A call for projects, dated in days from today (negative: in the past). */
interface DemoCall {
  title: string;
  funder: string;
  summary: string;
  description: string;
  opensIn: number;
  closesIn: number;
  closesTime?: string;
  amountMin?: string;
  amountMax?: string;
  rate?: string;
  url: string;
  kinds: string[];
  themes: string[];
  zones?: string[];
  countries?: string;
}

const CALLS: readonly DemoCall[] = [
  {
    title: 'Initiatives des organisations de la société civile',
    funder: 'Agence française de développement',
    summary: 'Cofinancement de projets de terrain et d’éducation à la citoyenneté portés par des associations françaises et leurs partenaires.',
    description: 'Le dispositif soutient des projets de deux à quatre ans, construits avec des partenaires locaux.\n\nUne note d’intention est demandée avant le dépôt du dossier complet.',
    opensIn: -40,
    closesIn: 50,
    amountMin: '100 000',
    amountMax: '2 000 000',
    rate: '60',
    url: 'https://www.afd.fr/fr',
    kinds: ['association'],
    themes: ['economic_development', 'local_governance'],
    zones: ['west_africa', 'indian_ocean'],
  },
  {
    title: 'Soutien aux projets de solidarité internationale des associations néo-aquitaines',
    funder: 'Région Nouvelle-Aquitaine',
    summary: 'Aide aux associations de la région qui mènent un projet avec un partenaire d’un pays du Sud.',
    description: 'Les projets doivent associer un partenaire local et prévoir une action de sensibilisation en Nouvelle-Aquitaine.',
    opensIn: -60,
    closesIn: 5,
    closesTime: '12:00',
    amountMin: '3 000',
    amountMax: '20 000',
    rate: '50',
    url: 'https://www.nouvelle-aquitaine.fr',
    kinds: ['association'],
    themes: ['agriculture_food', 'education_training', 'health'],
    countries: 'SN, BF, MG',
  },
  {
    title: 'Ville Vie Vacances Solidarité internationale (VVVSI)',
    funder: 'Ministère de l’Europe et des Affaires étrangères',
    summary: 'Des projets de solidarité internationale construits par des jeunes des quartiers, avec des structures de jeunesse.',
    description: 'Le projet associe un séjour à l’étranger et des actions de restitution auprès des habitants du quartier.',
    opensIn: -10,
    closesIn: 75,
    amountMax: '8 000',
    url: 'https://www.diplomatie.gouv.fr/fr/',
    kinds: ['association', 'popular_education'],
    themes: ['youth_mobility', 'global_citizenship'],
  },
  {
    title: 'Éducation à la citoyenneté et à la solidarité internationale au lycée',
    funder: 'Région Nouvelle-Aquitaine',
    summary: 'Des projets menés avec les lycées de la région pour sensibiliser les élèves aux enjeux de la solidarité internationale.',
    description: 'Les candidatures associent un établissement et une structure d’éducation à la citoyenneté mondiale.',
    opensIn: 12,
    closesIn: 80,
    amountMax: '10 000',
    rate: '80',
    url: 'https://www.nouvelle-aquitaine.fr',
    kinds: ['education_research', 'association'],
    themes: ['global_citizenship', 'education_training'],
  },
  {
    title: 'Accès à l’eau et à l’assainissement en Afrique de l’Ouest',
    funder: 'Agence française de développement',
    summary: 'Projets d’accès à l’eau potable et à l’assainissement portés avec des collectivités partenaires.',
    description: 'Les projets incluent la formation de comités de gestion et un plan d’entretien des ouvrages.',
    opensIn: -20,
    closesIn: 30,
    amountMin: '10 000',
    amountMax: '150 000',
    rate: '50',
    url: 'https://www.afd.fr/fr',
    kinds: ['association', 'local_authority'],
    themes: ['water_sanitation', 'health'],
    zones: ['west_africa'],
    countries: 'SN, ML, NE',
  },
  {
    title: 'Appui aux projets de coopération décentralisée',
    funder: 'Ministère de l’Europe et des Affaires étrangères',
    summary: 'Cofinancement des partenariats entre collectivités françaises et collectivités étrangères.',
    description: 'Les projets portent sur la gouvernance locale, les services de base et le développement économique des territoires partenaires.',
    opensIn: -120,
    closesIn: -12,
    amountMin: '20 000',
    amountMax: '200 000',
    rate: '50',
    url: 'https://www.diplomatie.gouv.fr/fr/',
    kinds: ['local_authority'],
    themes: ['local_governance'],
    countries: 'SN, MG',
  },
];

/** The Paris date `days` days from now, as `YYYY-MM-DD`. */
/** A text as the forms keep what people type: every run of white space, no-break spaces included, one ordinary space. */
const folded = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * The demo's titles and summaries as written, with their no-break spaces (« Webinaire : … »): the
 * validators fold white space as they do for people's typing, which would undo them. Only a text
 * the validator kept but for its spaces is put back.
 */
function withSpacing<T extends { title: string; summary: string | null }>(draft: T, demo: { title: string; summary?: string | null }): T {
  const title = folded(demo.title) === draft.title ? demo.title : draft.title;
  const summary = demo.summary && draft.summary !== null && folded(demo.summary) === draft.summary ? demo.summary : draft.summary;
  return { ...draft, title, summary };
}

function dayFromNow(now: Date, days: number): string {
  return toLocalInputs(new Date(now.getTime() + days * DAY_MS)).date;
}

/** Public holidays on a fixed date (MM-DD), and the network's closure between Christmas and New Year. */
const DAYS_OFF = new Set(['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-24', '12-25', '12-26', '12-27', '12-28', '12-29', '12-30', '12-31']);

/** A day (YYYY-MM-DD) on which the network meets: the day itself, or the next weekday that is not a day off. */
/**
 * Every text of the demo records (titles, summaries, bodies, venues…), for the test that checks
 * their French spacing: a no-break space before « : » and inside guillemets, a narrow one before
 * « ; », « ! » and « ? » (decision 0025: demo content is data, shown as stored).
 */
export function demoTexts(): string[] {
  const texts: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') texts.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk([EVENTS, ARTICLES, RESOURCES, CALLS]);
  return texts;
}

export function meetingDay(day: string): string {
  let date = new Date(`${day}T12:00:00Z`);
  const off = (d: Date) => d.getUTCDay() === 0 || d.getUTCDay() === 6 || DAYS_OFF.has(d.toISOString().slice(5, 10));
  while (off(date)) date = new Date(date.getTime() + DAY_MS);
  return date.toISOString().slice(0, 10);
}

/** The day a registration closes, `before` days ahead of the event's day. */
function daysBefore(day: string, before: number): string {
  return new Date(new Date(`${day}T12:00:00Z`).getTime() - before * DAY_MS).toISOString().slice(0, 10);
}

/**
 * A few events of the agenda (past and upcoming, in several départements of the region, some
 * online), published news, resources (links to public pages) and calls for projects (open,
 * closing soon, upcoming, closed), written through the modules' own services like the back office
 * does, with source = 'demo'. A few upcoming events (the training, the multi-actor day, a webinar)
 * take registrations, so the agenda shows the registration form. Each kind is added once. Returns
 * how many records were added.
 */
export async function seedDemoContent(kernel: Kernel, author: AuditActor): Promise<number> {
  let added = 0;
  if (!(await hasDemoContent(kernel.db, 'events'))) added += await seedDemoEvents(kernel, author);
  if (!(await hasDemoContent(kernel.db, 'news_articles'))) added += await seedDemoArticles(kernel, author);
  if (!(await hasDemoContent(kernel.db, 'resources'))) added += await seedDemoResources(kernel, author);
  if (!(await hasDemoContent(kernel.db, 'calls'))) added += await seedDemoCalls(kernel, author);
  return added;
}

async function seedDemoEvents(kernel: Kernel, author: AuditActor): Promise<number> {
  const settings = await kernel.settings.get();
  const departments = departmentsOfRegion(settings.regionCode).sort((a, b) => a.code.localeCompare(b.code));
  const associations = await demoAssociations(kernel.db);
  const now = kernel.clock.now();
  let added = 0;
  for (const e of EVENTS) {
    const department = e.department === null ? undefined : departments[e.department % departments.length];
    const organiser = e.byMember && department ? associations.find((a) => a.department_code === department.code) : undefined;
    const date = meetingDay(dayFromNow(now, e.inDays));
    const raw: Record<string, unknown> = {
      title: e.title,
      summary: e.summary,
      description: e.description,
      type_code: e.type,
      start_date: date,
      start_time: e.start,
      end_date: date,
      end_time: e.end,
      venue: department ? e.venue : '',
      commune: department?.chefLieu ?? '',
      online_url: e.online ?? '',
      themes: e.themes,
      countries: e.countries ?? [],
      organisers: organiser ? [organiser.id] : [],
      audience: e.audience ?? '',
      price_note: e.price ?? '',
    };
    const checked = await checkEvent(kernel, raw);
    if (!checked.ok) throw new Error(`Événement de démonstration refusé (${e.title}) : ${Object.keys(checked.errors).join(', ')}`);
    // Placed from local data, as the demo's organisations are: the demo never asks the geocoder.
    const known = department ? communePosition(department.chefLieu) : undefined;
    const centre = department && !known ? departmentCentre(department) : null;
    const position = known ? { latitude: known[0], longitude: known[1], precision: 'commune' as const } : centre ? { latitude: centre[0], longitude: centre[1], precision: 'department' as const } : undefined;
    const event = await createEvent(kernel, author, withSpacing(checked.draft, e), { status: 'published', source: 'demo', position });
    const deadline = e.registration ? parseLocalDateTime(daysBefore(date, e.registration.closesDaysBefore), e.registration.closesAt) : null;
    // Past events (and a deadline already gone) stay closed, as every new event is.
    if (e.registration && deadline && deadline.getTime() > now.getTime()) {
      const { capacity, questions = [] } = e.registration;
      await saveSettings(kernel, event.id, { open: true, deadline, capacity, waitlist: true, accountRequired: false, questions }, author);
    }
    added++;
  }
  return added;
}

async function seedDemoArticles(kernel: Kernel, author: AuditActor): Promise<number> {
  const now = kernel.clock.now();
  for (const a of ARTICLES) {
    const draft: Parameters<typeof createArticle>[2] = {
      title: a.title,
      slug: null,
      summary: a.summary,
      body_html: a.body,
      image_alt: null,
      themes: a.themes,
      countries: a.countries,
      published_at: new Date(now.getTime() - a.daysAgo * DAY_MS),
      organisation_id: null,
      mastodon_post: false,
      source_url: null,
      watch_item_id: null,
    };
    await createArticle(kernel, author, draft, { status: 'published', source: 'demo', authorUserId: author.id });
  }
  return ARTICLES.length;
}

async function seedDemoResources(kernel: Kernel, author: AuditActor): Promise<number> {
  const year = kernel.clock.now().getUTCFullYear();
  for (const r of RESOURCES) {
    const raw: Record<string, unknown> = {
      title: r.title,
      kind: r.kind,
      summary: r.summary,
      authors: r.authors,
      organisation: '',
      year: String(year - r.yearsAgo),
      language: 'fr',
      external_url: r.url,
      themes: r.themes,
      countries: r.countries,
    };
    const checked = await checkResource(kernel, raw, { role: 'staff', userId: author.id });
    if (!checked.ok) throw new Error(`Ressource de démonstration refusée (${r.title}) : ${Object.keys(checked.errors).join(', ')}`);
    await createResource(kernel, author, withSpacing(checked.draft, r), { status: 'published', source: 'demo' });
  }
  return RESOURCES.length;
}

async function seedDemoCalls(kernel: Kernel, author: AuditActor): Promise<number> {
  const now = kernel.clock.now();
  for (const c of CALLS) {
    const raw: Record<string, unknown> = {
      title: c.title,
      funder: c.funder,
      funder_organisation: '',
      summary: c.summary,
      description: c.description,
      opens_on: dayFromNow(now, c.opensIn),
      closes_on: dayFromNow(now, c.closesIn),
      closes_time: c.closesTime ?? '',
      amount_min: c.amountMin ?? '',
      amount_max: c.amountMax ?? '',
      cofinancing_rate: c.rate ?? '',
      link_url: c.url,
      kinds: c.kinds,
      themes: c.themes,
      zones: c.zones ?? [],
      countries: c.countries ?? '',
    };
    const checked = await checkCall(kernel, raw);
    if (!checked.ok) throw new Error(`Appel à projets de démonstration refusé (${c.title}) : ${Object.keys(checked.errors).join(', ')}`);
    await createCall(kernel, author, withSpacing(checked.draft, c), 'published', { source: 'demo' });
  }
  return CALLS.length;
}
