import { type Locale, translator } from '../../src/kernel/i18n/index.js';
import type { ViewContext } from '../../src/kernel/ui/context.js';

/** A page's context for rendering a view on its own (no request): a visitor, in `locale`, at `path`. */
export function testViewContext(locale: Locale = 'fr', path = '/'): ViewContext {
  return {
    t: translator(locale),
    locale,
    path,
    csrfToken: 'x',
    user: null,
    site: { networkName: 'Réseau', regionCode: '75', contactEmail: 'contact@example.org', baseUrl: 'http://localhost', hasLogo: false, logoVersion: '' },
    publicNav: [],
    adminNav: [],
    memberCards: [],
    pageNav: { header: [], footer: [] },
    footerParts: [],
    flash: [],
  };
}
