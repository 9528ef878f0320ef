import type { FastifyPluginAsync } from 'fastify';
import type { Role } from '../db/schema.js';
import type { AuditActor } from './audit/index.js';
import type { Kernel } from './http/types.js';
import type { Locale, MessageKey } from './i18n/index.js';
import type { Jobs } from './jobs/index.js';
import type { MemberCard, NavItem, ViewContext } from './ui/context.js';

/** One result of the site-wide search (`/recherche`). */
export interface SearchHit {
  title: string;
  /** Same-site path of the page (or, for a watch item, the absolute link of the original). */
  url: string;
  excerpt?: string;
  /** ISO instant or `YYYY-MM-DD` shown beside the title (publication, event start, deadline). */
  date?: string;
  /** A short plain-text line under the title (funder, organisation, place…). */
  detail?: string;
}

/** A section of the site-wide search: what one module finds for a query. */
export interface SearchSection {
  /** Stable code used in the query string (`/recherche?section=…`). */
  key: string;
  label: MessageKey;
  /** Position among the sections (lower first). */
  order: number;
  /** What `role` (null: a visitor) may see for the query typed by the user; `total` counts every match. */
  search: (
    kernel: Kernel,
    query: string,
    options: { role: Role | null; locale: Locale; limit: number; offset: number },
  ) => Promise<{ total: number; hits: SearchHit[] }>;
}

/** A public page listed in `/sitemap.xml`. */
export interface SitemapEntry {
  /** Same-site path, e.g. `/actualites/mon-article`. */
  path: string;
  /** ISO instant of the last change. */
  lastmod?: string;
}

/** A block of the public home page (upcoming events, calls closing soon…). */
export interface HomeBlock {
  /** Position on the page (lower first). */
  order: number;
  /** The version of what the block shows: the cached home page is dropped when it changes. */
  version: (kernel: Kernel) => Promise<string>;
  /** HTML of the block as a visitor sees it; an empty string hides it. */
  render: (kernel: Kernel, ctx: ViewContext) => Promise<string>;
}

/** HTML of a footer part, rendered (and escaped) by its module's view for the page's context. */
export type FooterPart = (ctx: ViewContext) => string;

/** What the journal shows for a record: its current name, and its back-office page when it has one. */
export interface AuditEntityName {
  name: string;
  /** Same-site path of the staff page about the record. */
  href?: string;
  /**
   * The name says what the record is already (« Compte effacé »): the journal shows it alone, not
   * after the type's label (« Compte Compte effacé »).
   */
  saysType?: boolean;
}

/**
 * How the journal names the records of one entity type. Names are read from the live tables when
 * the journal is shown, never copied into the log: a renamed record shows its new name, and an
 * erased person's name is gone from the journal with the person.
 */
export interface AuditEntityNamer {
  /** The `entity_type` the module records (`organisation`, `import_batch`…). */
  type: string;
  /**
   * Names of the records among `ids` that still exist, in one query; deleted, merged-away or erased
   * ones are left out (or, for a record that stays without its name, named in the reader's `locale`).
   */
  names: (kernel: Kernel, ids: string[], locale: Locale) => Promise<Map<string, AuditEntityName>>;
}

/**
 * Personal data a module holds about people known by their email address: the RGPD rights of
 * access and erasure of a person (a contact, an account) reach every module through these.
 */
export interface PersonalDataSource {
  /** The section's key in the access document (`account_requests`, `newsletter`…). */
  key: string;
  /** What the module holds about these addresses (trimmed, lower case), ready for JSON. */
  export: (kernel: Kernel, emails: readonly string[]) => Promise<unknown>;
  /** Erases (or anonymises) it; returns how many records it changed. */
  erase: (kernel: Kernel, actor: AuditActor, emails: readonly string[]) => Promise<number>;
}

/** What a feature module offers the application; listed in src/modules/index.ts. */
export interface FeatureModule {
  name: string;
  routes?: FastifyPluginAsync;
  /** Job definitions and periodic schedules; run in the web process or in `maillage worker`. */
  jobs?: (jobs: Jobs, kernel: Kernel) => void;
  publicNav?: NavItem[];
  adminNav?: NavItem[];
  /** Cards on the member space's home page. */
  memberCards?: MemberCard[];
  /** Sections of the site-wide search. */
  searchSections?: SearchSection[];
  /** Public pages for `/sitemap.xml` (only what a visitor may see). */
  sitemap?: (kernel: Kernel) => Promise<SitemapEntry[]>;
  homeBlocks?: HomeBlock[];
  /** Parts of every public page's footer (the newsletter's subscribe form). */
  footerParts?: FooterPart[];
  /** Names and pages of the records the module writes in the journal. */
  auditEntities?: AuditEntityNamer[];
  /** What the module holds about a person, for the RGPD access and erasure (kernel/rgpd). */
  personalData?: PersonalDataSource[];
}
