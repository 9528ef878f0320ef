import { regionName } from '../../kernel/geo/regions.js';
import { type MessageKey, type Translate, translator } from '../../kernel/i18n/index.js';

type Section = { heading: MessageKey; paragraphs: MessageKey[] };

export interface LegalPage {
  title: MessageKey;
  sections: Section[];
}

/**
 * The legal pages every site has, at fixed addresses, with their built-in text (catalogue keys).
 * Staff may replace a page's text: a published page whose slug is the address's (`mentions-legales`…)
 * is shown there instead; deleting it brings the built-in text back.
 */
export const LEGAL_PAGES: Record<string, LegalPage> = {
  '/mentions-legales': {
    title: 'legal.title',
    sections: [
      { heading: 'legal.publisher.h', paragraphs: ['legal.publisher.p1', 'legal.publisher.p2', 'legal.publisher.p3'] },
      { heading: 'legal.hosting.h', paragraphs: ['legal.hosting.p1'] },
      { heading: 'legal.software.h', paragraphs: ['legal.software.p1'] },
    ],
  },
  '/donnees-personnelles': {
    title: 'privacy.title',
    sections: [
      { heading: 'privacy.controller.h', paragraphs: ['privacy.controller.p1'] },
      {
        heading: 'privacy.data.h',
        paragraphs: ['privacy.data.accounts', 'privacy.data.requests', 'privacy.data.registrations', 'privacy.data.newsletter', 'privacy.data.contacts', 'privacy.data.audit', 'privacy.data.security'],
      },
      { heading: 'privacy.basis.h', paragraphs: ['privacy.basis.p1'] },
      { heading: 'privacy.recipients.h', paragraphs: ['privacy.recipients.p1'] },
      { heading: 'privacy.retention.h', paragraphs: ['privacy.retention.p1', 'privacy.retention.p2', 'privacy.retention.p3'] },
      { heading: 'privacy.rights.h', paragraphs: ['privacy.rights.p1', 'privacy.rights.p2', 'privacy.rights.p3'] },
      { heading: 'privacy.cookies.h', paragraphs: ['privacy.cookies.p1'] },
    ],
  },
  '/accessibilite': {
    title: 'a11y.title',
    sections: [
      { heading: 'a11y.commitment.h', paragraphs: ['a11y.commitment.p1'] },
      { heading: 'a11y.status.h', paragraphs: ['a11y.status.p1', 'a11y.status.p2'] },
      { heading: 'a11y.method.h', paragraphs: ['a11y.method.p1'] },
      { heading: 'a11y.feedback.h', paragraphs: ['a11y.feedback.p1', 'a11y.feedback.p2'] },
    ],
  },
};

/**
 * What a legal text leaves to the network: the built-in mentions légales cannot know the publisher's
 * address, its publication director nor the host, and say « [à compléter : …] » in their place (in
 * English « [to be completed: …] ») until staff publish their own text without them.
 */
const TO_COMPLETE = /\[\s*(à compléter|to be completed)\b/i;

export function needsCompleting(text: string): boolean {
  return TO_COMPLETE.test(text);
}

/** Slugs of the legal pages (their addresses without the slash). */
export const LEGAL_SLUGS: readonly string[] = Object.keys(LEGAL_PAGES).map((url) => url.slice(1));

export function isLegalSlug(slug: string): boolean {
  return LEGAL_SLUGS.includes(slug);
}

/** Where a page is read: a legal page at its own address, any other under /pages/. */
export function pageHref(slug: string): string {
  return isLegalSlug(slug) ? `/${slug}` : `/pages/${encodeURIComponent(slug)}`;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The built-in text of a legal page as HTML (to start an edited version from), in the translator's language. */
export function builtInLegalText(slug: string, t: Translate, site: { networkName: string; contactEmail: string; regionCode: string }): { title: string; html: string } | null {
  const page = LEGAL_PAGES[`/${slug}`];
  if (!page) return null;
  const params = { network: site.networkName, email: site.contactEmail, region: regionName(site.regionCode) };
  const html = page.sections.map((s) => `<h2>${escape(t(s.heading, params))}</h2>${s.paragraphs.map((p) => `<p>${escape(t(p, params))}</p>`).join('')}`).join('');
  return { title: t(page.title), html };
}

/**
 * The legal pages whose shown text still says « [à compléter : …] »: their built-in text (while no
 * text of the network's is published), or the published text itself. Staff are warned (/admin/pages).
 */
export function legalPagesToComplete(edited: ReadonlyMap<string, { status: string; body_html: string | null }>, site: { networkName: string; contactEmail: string; regionCode: string }): string[] {
  const fr = translator('fr');
  return LEGAL_SLUGS.filter((slug) => {
    const page = edited.get(slug);
    return needsCompleting(page?.status === 'published' ? (page.body_html ?? '') : (builtInLegalText(slug, fr, site)?.html ?? ''));
  });
}
