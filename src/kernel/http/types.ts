import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../clock.js';
import type { DbHandle } from '../db/create-db.js';
import type { Locale, Translate } from '../i18n/index.js';
import type { Jobs } from '../jobs/index.js';
import type { Logger } from '../logger.js';
import type { Mailer } from '../mail/index.js';
import type { SettingsStore } from '../settings/index.js';
import type { AuditEntityNamer, FooterPart, HomeBlock, PersonalDataSource, SearchSection, SitemapEntry } from '../module.js';
import type { CurrentUser, Flash, MemberCard, NavItem, PageNav } from '../ui/context.js';

/**
 * Who may use a route. `member` means any signed-in account; `staff` includes admins.
 * `token` marks public routes authorised by an unguessable token in the URL.
 */
export type Access = 'public' | 'token' | 'member' | 'staff' | 'admin';

export interface RegisteredRoute {
  method: string;
  url: string;
  access: Access;
  csrfExempt: boolean;
}

/** The kernel services every module receives; built once in app.ts. */
export interface Kernel {
  config: Config;
  logger: Logger;
  dbHandle: DbHandle;
  db: Kysely<Database>;
  clock: Clock;
  mail: Mailer;
  jobs: Jobs;
  settings: SettingsStore;
  publicNav: NavItem[];
  adminNav: NavItem[];
  memberCards: MemberCard[];
  /** Every module's sections of the site-wide search, in order. */
  searchSections: SearchSection[];
  sitemaps: Array<(kernel: Kernel) => Promise<SitemapEntry[]>>;
  homeBlocks: HomeBlock[];
  footerParts: FooterPart[];
  /** Every module's namers of journal entries, one per entity type. */
  auditEntities: AuditEntityNamer[];
  /** Every module's personal data found by email address (RGPD access and erasure). */
  personalData: PersonalDataSource[];
  /** Menus of editable pages (header and footer), kept current by the module that owns the pages. */
  pageNav: PageNav;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Only for the documented list of token-authorised POST routes (DESIGN.md §5). */
    csrfExempt?: boolean;
  }
  interface FastifyInstance {
    kernel: Kernel;
    registeredRoutes: RegisteredRoute[];
  }
  interface FastifyRequest {
    user: CurrentUser | null;
    locale: Locale;
    /** The visitor chose `locale` with the language switcher (its cookie); else it was negotiated from Accept-Language. */
    localeChosen: boolean;
    t: Translate;
  }
  interface Session {
    userId?: string;
    flash?: Flash[];
    authenticatedAt?: string;
  }
}
