// `maillage seed --bench N`: N organisations and 3×N contacts for the benchmarks, written in bulk.
import type { Kernel } from '../kernel/http/types.js';
import { newId } from '../kernel/ids.js';
import { contactSortNameOf, indexedColumns, taxonomies } from '../modules/organisations/index.js';
import { analyzeAfterBulkLoad, countSeeded, deleteSeeded, emptySeedRows, insertSeedRows, type SeedRows, usedSlugs } from './bench-seed-repo.js';
import { generateOrganisations, type SeedOrganisation } from './demo-organisations.js';

export const BENCH_SOURCE = 'bench';
export const DEFAULT_BENCH_SIZE = 50_000;
/** Organisations written per transaction. */
const BATCH = 2_000;
const DAY_MS = 86_400_000;

/** Refusal worded for the person at the terminal. */
export class BenchSeedError extends Error {
  override name = 'BenchSeedError';
}

type Labels = Awaited<ReturnType<typeof taxonomies>>;

interface RowOptions {
  source: string;
  now: Date;
  labels: Labels;
  /** Consent events recorded for each contact (demo only: the benchmark skips them). */
  consents: boolean;
}

/** The rows of seeded organisations and their contacts, with their search text and sort key. */
export function buildSeedRows(organisations: SeedOrganisation[], options: RowOptions): SeedRows & { ids: string[] } {
  const rows = emptySeedRows();
  const ids: string[] = [];
  const now = options.now.getTime();
  const iso = (daysAgo: number) => new Date(now - daysAgo * DAY_MS).toISOString();
  for (const o of organisations) {
    const { links, social_links: _social, logo_file_id: _logo, ...columns } = o.draft;
    const id = newId(now - o.createdDaysAgo * DAY_MS);
    ids.push(id);
    rows.organisations.push({
      id,
      slug: o.slug,
      ...columns,
      social_links: o.social_links ? JSON.stringify(o.social_links) : null,
      latitude: o.latitude,
      longitude: o.longitude,
      geo_precision: o.geo_precision,
      is_member: o.is_member ? 1 : 0,
      source: options.source,
      import_batch_id: null,
      logo_file_id: null,
      ...indexedColumns(o.draft, options.labels),
      created_at: iso(o.createdDaysAgo),
      updated_at: iso(o.updatedDaysAgo),
      reviewed_at: o.reviewedDaysAgo === null ? null : iso(o.reviewedDaysAgo),
    });
    for (const theme_code of links.themes) rows.organisationThemes.push({ organisation_id: id, theme_code });
    for (const country_code of links.countries) rows.organisationCountries.push({ organisation_id: id, country_code });
    for (const zone_code of links.zones) rows.organisationZones.push({ organisation_id: id, zone_code });
    for (const sdg_code of links.sdgs) rows.organisationSdgs.push({ organisation_id: id, sdg_code });
    for (const college_code of links.colleges) rows.organisationColleges.push({ organisation_id: id, college_code });
    for (const m of o.memberships) {
      rows.memberships.push({ id: newId(now), organisation_id: id, year: m.year, status: m.status, fee_cents: m.fee_cents, created_at: new Date(Math.min(now, Date.UTC(m.year, 0, 15))).toISOString() });
    }
    for (const c of o.contacts) {
      const contactId = newId(now - o.createdDaysAgo * DAY_MS);
      const at = iso(o.createdDaysAgo);
      rows.contacts.push({
        id: contactId,
        civility: c.civility,
        first_name: c.first_name,
        last_name: c.last_name,
        sort_name: contactSortNameOf(c),
        phone: c.phone,
        notes: null,
        public_profile: c.public_profile ? 1 : 0,
        source: options.source,
        import_batch_id: null,
        erased_at: null,
        created_at: at,
        updated_at: iso(o.updatedDaysAgo),
      });
      rows.contactEmails.push({ contact_id: contactId, email: c.email, email_lower: c.email.toLowerCase(), is_primary: 1 });
      rows.contactRoles.push({ contact_id: contactId, organisation_id: id, function: c.function, is_main: c.is_main ? 1 : 0 });
      for (const theme_code of c.themes) rows.contactThemes.push({ contact_id: contactId, theme_code });
      for (const country_code of c.countries) rows.contactCountries.push({ contact_id: contactId, country_code });
      if (!options.consents) continue;
      const consent = (purpose: string, basis: string, event: string, detail: string) =>
        rows.consents.push({ id: newId(now), contact_id: contactId, purpose, basis, event, source: options.source, detail, ip: null, recorded_by: null, at });
      consent('contact_database', 'legitimate_interest', 'informed', 'Intérêt légitime : membre du réseau');
      if (c.newsletter) consent('newsletter', 'consent', 'given', 'Inscription à la lettre d’information lors d’une rencontre du réseau');
      if (c.public_profile) consent('public_profile', 'consent', 'given', 'Accord pour apparaître sur la page publique de la structure');
    }
  }
  return { ...rows, ids };
}

export interface BenchSeedResult {
  organisations: number;
  contacts: number;
  elapsedMs: number;
}

/**
 * Writes `count` organisations spread over the region's départements (with coordinates) and three
 * contacts each, `source = 'bench'`. Refuses when bench data exists, unless `force` (then replaces it).
 */
export async function seedBench(
  kernel: Pick<Kernel, 'db' | 'settings' | 'clock'>,
  count: number,
  options: { force?: boolean; progress?: (done: number, total: number, elapsedMs: number) => void; seed?: number } = {},
): Promise<BenchSeedResult> {
  if (!Number.isInteger(count) || count < 1 || count > 2_000_000) throw new BenchSeedError('seed --bench attend un nombre d’organisations entre 1 et 2 000 000.');
  const started = performance.now();
  const existing = await countSeeded(kernel.db, BENCH_SOURCE);
  if (existing.organisations + existing.contacts > 0) {
    if (!options.force) {
      throw new BenchSeedError(
        `La base contient déjà des données de benchmark (${existing.organisations} organisations, ${existing.contacts} contacts) : relancez avec --force pour les remplacer.`,
      );
    }
    await deleteSeeded(kernel.db, BENCH_SOURCE);
  }
  const settings = await kernel.settings.get();
  const labels = await taxonomies(kernel.db);
  const now = kernel.clock.now();
  const all = generateOrganisations({
    regionCode: settings.regionCode,
    count,
    seed: options.seed ?? 424242,
    currentYear: now.getUTCFullYear(),
    contactsPerOrganisation: [3, 3],
    usedSlugs: await usedSlugs(kernel.db),
  });
  let contacts = 0;
  for (let i = 0; i < all.length; i += BATCH) {
    const rows = buildSeedRows(all.slice(i, i + BATCH), { source: BENCH_SOURCE, now, labels, consents: false });
    await insertSeedRows(kernel.db, rows);
    contacts += rows.contacts.length;
    options.progress?.(Math.min(i + BATCH, all.length), all.length, performance.now() - started);
  }
  // Without statistics SQLite's planner drives the facet joins from the wrong side (seconds per query).
  await analyzeAfterBulkLoad(kernel.db);
  return { organisations: all.length, contacts, elapsedMs: performance.now() - started };
}
