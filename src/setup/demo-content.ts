import type { AuditActor } from '../kernel/audit/index.js';
import { departmentsOfRegion } from '../kernel/geo/communes.js';
import type { Kernel } from '../kernel/http/types.js';
import { toLocalInputs } from '../kernel/time/zoned.js';
import { checkEvent, createEvent } from '../modules/events/index.js';
import { createArticle } from '../modules/news/index.js';
import { demoAssociations, hasDemoContent } from './repo.js';

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
}

const EVENTS: readonly DemoEvent[] = [
  {
    title: 'Journée multi-acteurs de la solidarité internationale',
    summary: 'Associations, collectivités, établissements scolaires et entreprises se retrouvent pour une journée d’ateliers et d’échanges.',
    description: 'Au programme : plénière d’ouverture, ateliers thématiques (eau, santé, jeunesse), forum des projets et temps convivial.\n\nDéjeuner offert aux participants inscrits.',
    type: 'multi_actor_day',
    inDays: 24,
    start: '09:30',
    end: '17:00',
    department: 5,
    venue: 'Maison des associations',
    themes: ['global_citizenship', 'local_governance'],
    audience: 'Tous les acteurs de la solidarité internationale',
    price: 'Gratuit, sur inscription',
  },
  {
    title: 'Groupe pays Sénégal : réunion de rentrée',
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
    title: 'Groupe pays Burkina Faso : partager les pratiques à distance',
    summary: 'Comment poursuivre les partenariats quand les missions sur place sont suspendues ?',
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
    type: 'webinar',
    inDays: 16,
    start: '18:00',
    end: '19:30',
    department: null,
    online: 'https://visio.example.org/groupe-madagascar',
    themes: ['agriculture_food'],
    countries: ['MG'],
  },
  {
    title: 'Formation « Monter un projet de solidarité internationale »',
    summary: 'Deux jours pour passer de l’idée au projet : diagnostic partagé, partenariat, budget et recherche de financements.',
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
  },
  {
    title: 'Webinaire : partir en volontariat international',
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
    title: 'Ciné-débat : l’eau au Sahel',
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
    title: 'Festival des solidarités : village associatif',
    summary: 'Stands, animations pour les enfants et concerts : les associations du département présentent leurs actions.',
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
    body: '<p>L’assemblée générale a réuni associations, collectivités et partenaires. Les priorités retenues : l’éducation à la citoyenneté mondiale, l’accompagnement des petites structures et la coopération avec les diasporas.</p>',
    daysAgo: 3,
    themes: ['local_governance'],
    countries: [],
  },
  {
    title: 'Sénégal : un partenariat pour l’eau potable dans la région de Podor',
    summary: 'Trois associations du réseau unissent leurs forces avec une commune sénégalaise pour réhabiliter des forages.',
    body: '<p>Le projet prévoit la réhabilitation de quatre forages et la formation d’un comité de gestion de l’eau dans chaque village.</p>',
    daysAgo: 8,
    themes: ['water_sanitation'],
    countries: ['SN'],
  },
  {
    title: 'Volontariat international : les missions de l’année sont en ligne',
    summary: 'Une trentaine de missions de volontariat sont proposées par les structures du réseau.',
    body: '<p>Éducation, santé, agriculture : les missions durent de six mois à deux ans. Le réseau organise une session de préparation au départ pour les volontaires retenus.</p>',
    daysAgo: 15,
    themes: ['youth_mobility'],
    countries: [],
  },
  {
    title: 'Madagascar : bilan du programme de formation agricole',
    summary: 'Après trois ans, deux cents familles ont adopté des techniques d’agroécologie.',
    body: '<p>Le programme, porté par une association membre et ses partenaires malgaches, a permis de diversifier les cultures et d’améliorer les revenus des familles.</p>',
    daysAgo: 23,
    themes: ['agriculture_food', 'environment_climate'],
    countries: ['MG'],
  },
  {
    title: 'Burkina Faso : le groupe pays adapte ses actions',
    summary: 'Face au contexte sécuritaire, les associations renforcent le suivi à distance avec leurs partenaires.',
    body: '<p>Le groupe pays a publié une note de recommandations pour poursuivre les projets en confiance avec les partenaires burkinabè.</p>',
    daysAgo: 31,
    themes: ['emergency_crisis', 'education_training'],
    countries: ['BF'],
  },
  {
    title: 'Festival des solidarités : appel aux initiatives locales',
    summary: 'Associations, écoles et collectivités sont invitées à proposer une animation pour l’édition de novembre.',
    body: '<p>Le réseau coordonne le programme régional et met à disposition des outils de communication communs.</p>',
    daysAgo: 40,
    themes: ['global_citizenship'],
    countries: [],
  },
];

/** The Paris date `days` days from now, as `YYYY-MM-DD`. */
function dayFromNow(now: Date, days: number): string {
  return toLocalInputs(new Date(now.getTime() + days * DAY_MS)).date;
}

/**
 * A few events of the agenda (past and upcoming, in several départements of the region, some
 * online) and published news, written through the modules' own services like the back office
 * does, with source = 'demo'. Each kind is added once. Returns how many records were added.
 */
export async function seedDemoContent(kernel: Kernel, author: AuditActor): Promise<number> {
  let added = 0;
  if (!(await hasDemoContent(kernel.db, 'events'))) added += await seedDemoEvents(kernel, author);
  if (!(await hasDemoContent(kernel.db, 'news_articles'))) added += await seedDemoArticles(kernel, author);
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
    const date = dayFromNow(now, e.inDays);
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
    if (!checked.ok) throw new Error(`Événement de démonstration refusé (${e.title}) : ${Object.keys(checked.errors).join(', ')}`);
    await createEvent(kernel, author, checked.draft, { status: 'published', source: 'demo' });
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
