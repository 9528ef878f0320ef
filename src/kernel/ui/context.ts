import type { Role } from '../../db/schema.js';
import type { Locale, MessageKey, Translate } from '../i18n/index.js';

export interface CurrentUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
}

export interface SiteIdentity {
  networkName: string;
  regionCode: string;
  contactEmail: string;
  /** Absolute base of public URLs (BASE_URL), without a trailing slash. */
  baseUrl: string;
  hasLogo: boolean;
  logoVersion: string;
}

/** A card of the member space's home page, linking to what a module offers members. */
export interface MemberCard {
  href: string;
  title: MessageKey;
  text: MessageKey;
  link: MessageKey;
}

export interface NavItem {
  href: string;
  label: MessageKey;
  /** Who sees the item; absent means everyone who can see the menu. */
  roles?: readonly Role[];
}

/** Links to editable pages, placed by staff in the header or the footer. */
export interface PageNav {
  header: { href: string; label: string }[];
  footer: { href: string; label: string }[];
}

export interface Flash {
  kind: 'success' | 'error' | 'info';
  message: string;
}

/** Everything a view needs about the request; built once per request by kernel/http/view-context.ts. */
export interface ViewContext {
  t: Translate;
  locale: Locale;
  /** The page's path, without its query string. */
  path: string;
  /**
   * Where the language switch comes back to: the path with its query string (a search, a month,
   * filters, a page number), when it is a same-site path `safeNextPath` accepts; else the path.
   */
  returnTo?: string;
  csrfToken: string;
  user: CurrentUser | null;
  site: SiteIdentity;
  publicNav: readonly NavItem[];
  adminNav: readonly NavItem[];
  memberCards: readonly MemberCard[];
  pageNav: PageNav;
  /** Parts other modules add to the public footer (see FeatureModule.footerParts). */
  footerParts: readonly ((ctx: ViewContext) => string)[];
  flash: readonly Flash[];
}
