import { type Organisation, parseSocialLinks } from '../organisations/index.js';
import type { Labels } from './labels.js';
import type { GeoFeatureProperties, PublicOrganisation } from './schemas.js';

/** Only http(s) links are ever rendered or exported (no `javascript:` from old or imported data). */
export function safeHttpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? value : null;
  } catch {
    return null;
  }
}

export function socialLinks(o: Pick<Organisation, 'social_links'>): Record<string, string> {
  return parseSocialLinks(o.social_links);
}

/** The logo's address (its version in the query, so caches may keep it), or null without a logo. */
export function logoPath(o: Pick<Organisation, 'id' | 'logo_file_id'>): string | null {
  return o.logo_file_id ? `/media/organisations/${encodeURIComponent(o.id)}/logo?v=${encodeURIComponent(o.logo_file_id)}` : null;
}

export function pageUrl(baseUrl: string, slug: string): string {
  return `${baseUrl}/acteurs/${encodeURIComponent(slug)}`;
}

export function isApproximate(o: Pick<Organisation, 'geo_precision'>): boolean {
  return o.geo_precision === 'commune' || o.geo_precision === 'department';
}

/**
 * The public fields of an organisation — the only shape the API and the exports ever hand out.
 * Contacts, notes, visibility, membership fees, sources and import batches never leave.
 */
export function publicRecord(o: Organisation, labels: Labels, baseUrl: string): PublicOrganisation {
  const coded = (code: string, label: (c: string) => string) => ({ code, label: label(code) });
  return {
    slug: o.slug,
    url: pageUrl(baseUrl, o.slug),
    name: o.name,
    acronym: o.acronym,
    kind: coded(o.kind_code, labels.kind),
    description_html: o.description_html,
    website: safeHttpUrl(o.website),
    email: o.email,
    phone: o.phone,
    social_links: socialLinks(o),
    logo_url: o.logo_file_id ? `${baseUrl}${logoPath(o)}` : null,
    address: o.address,
    postcode: o.postcode,
    commune: o.commune_name ? { code: o.commune_code, name: o.commune_name } : null,
    department: o.department_code ? coded(o.department_code, labels.department) : null,
    location:
      o.latitude !== null && o.longitude !== null
        ? { latitude: Number(o.latitude), longitude: Number(o.longitude), approximate: isApproximate(o) }
        : null,
    themes: o.themes.map((c) => coded(c, labels.theme)),
    countries: o.countries.map((c) => coded(c, labels.country)),
    zones: o.zones.map((c) => coded(c, labels.zone)),
    sdgs: o.sdgs.map((code) => ({ code, label: labels.sdg(code) })),
    siren: o.siren,
    siret: o.siret,
    rna: o.rna,
    founded_year: o.founded_year,
    staff_count: o.staff_count,
    volunteer_count: o.volunteer_count,
    is_member: Number(o.is_member) === 1,
    updated_at: o.updated_at,
  };
}

export function geoProperties(o: Organisation, labels: Labels, baseUrl: string): GeoFeatureProperties {
  return {
    slug: o.slug,
    url: pageUrl(baseUrl, o.slug),
    name: o.name,
    acronym: o.acronym,
    kind: o.kind_code,
    kind_label: labels.kind(o.kind_code),
    commune: o.commune_name,
    department: o.department_code,
    themes: o.themes,
    countries: o.countries,
    is_member: Number(o.is_member) === 1,
    approximate: isApproximate(o),
  };
}

/** schema.org `Organization` for the page's JSON-LD. */
export function jsonLd(o: Organisation, baseUrl: string): Record<string, unknown> {
  const record: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': 'Organization',
    '@id': pageUrl(baseUrl, o.slug),
    name: o.name,
    url: safeHttpUrl(o.website) ?? pageUrl(baseUrl, o.slug),
  };
  if (o.acronym) record.alternateName = o.acronym;
  const logo = logoPath(o);
  if (logo) record.logo = `${baseUrl}${logo}`;
  if (o.phone) record.telephone = o.phone;
  if (o.email) record.email = o.email;
  if (o.founded_year) record.foundingDate = String(o.founded_year);
  if (o.staff_count !== null) record.numberOfEmployees = { '@type': 'QuantitativeValue', value: o.staff_count };
  if (o.address || o.commune_name || o.postcode) {
    const address: Record<string, unknown> = { '@type': 'PostalAddress', addressCountry: 'FR' };
    if (o.address) address.streetAddress = o.address;
    if (o.postcode) address.postalCode = o.postcode;
    if (o.commune_name) address.addressLocality = o.commune_name;
    record.address = address;
  }
  if (o.latitude !== null && o.longitude !== null) {
    record.location = { '@type': 'Place', geo: { '@type': 'GeoCoordinates', latitude: Number(o.latitude), longitude: Number(o.longitude) } };
  }
  const same = Object.values(socialLinks(o));
  if (same.length) record.sameAs = same;
  if (o.countries.length) record.areaServed = o.countries.map((c) => ({ '@type': 'Country', identifier: c }));
  return record;
}

/**
 * JSON for a `<script type="application/ld+json">` block: `<`, `>` and `&` become \u escapes, so
 * no text inside can close the script element or open a comment.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
