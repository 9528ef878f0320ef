// Test data of the merge tests (integration and browser): two records of one organisation with
// every kind of reference, contacts who are the same person, and other candidate pairs. Not used by the app.
import type { Kysely } from 'kysely';
import type { Database, DuplicateStatus } from '../../db/schema.js';
import type { Clock } from '../../kernel/clock.js';
import { newId } from '../../kernel/ids.js';
import { createActiveUser } from '../accounts/index.js';
import { contactSortNameOf, createOrganisation, type Organisation, taxonomies, taxonomyCodes, validateOrganisation } from '../organisations/index.js';
import * as fixtures from './test-world-repo.js';

type Deps = { db: Kysely<Database>; clock: Clock };
const actor = { id: null, email: null };

export async function addOrganisation(deps: Deps, raw: Record<string, unknown>): Promise<Organisation> {
  const result = validateOrganisation({ kind_code: 'association', ...raw }, taxonomyCodes(await taxonomies(deps.db)), { currentYear: 2026 });
  if (!result.ok) throw new Error(`Invalid fixture ${String(raw.name)}: ${JSON.stringify(result.errors)}`);
  return createOrganisation(deps, actor, result.draft);
}

/** A candidate pair (smaller id first), as the scan would store it. */
export async function addCandidate(deps: Deps, x: string, y: string, status: DuplicateStatus = 'pending', score = 0.9): Promise<string> {
  const [a, b] = x < y ? [x, y] : [y, x];
  const now = deps.clock.now();
  const at = now.toISOString();
  const id = newId(now.getTime());
  await fixtures.insertCandidate(deps.db, {
    id,
    organisation_a_id: a,
    organisation_b_id: b,
    score,
    reasons: JSON.stringify([
      { code: 'same_phone', weight: 6 },
      { code: 'names_very_close', weight: 4, similarity: 0.93 },
      { code: 'same_commune', weight: 2 },
    ]),
    auto_mergeable: 0,
    status,
    created_at: at,
    updated_at: at,
    last_seen_at: at,
    decided_at: status === 'pending' ? null : at,
    decided_by: null,
  });
  return id;
}

export interface World {
  /** The record kept (created first). */
  survivor: Organisation;
  /** Its duplicate, merged into it. */
  absorbed: Organisation;
  other: Organisation;
  dismissedOther: Organisation;
  candidate: string;
  /** (absorbed, other): repointed to (survivor, other). */
  movedCandidate: string;
  /** (absorbed, dismissedOther) dismissed, while (survivor, dismissedOther) is pending: dropped. */
  droppedCandidate: string;
  contacts: { marieS: string; marieA: string; jeanS: string; jeanA: string; paul: string; erased: string };
  users: { both: string; absorbedOnly: string };
  oldSlug: string;
}

/**
 * Two records of "Eau Vive" (`tag` keeps names unique in a shared database) with every kind of
 * reference a merge moves, and contacts who are the same person (by email, by name) or not.
 */
export async function seedWorld(deps: Deps, tag: string): Promise<World> {
  const survivor = await addOrganisation(deps, {
    name: `Eau Vive Gironde ${tag}`,
    commune: '33063',
    postcode: '33000',
    email: `contact@eauvive-${tag}.example.org`,
    themes: ['water_sanitation', 'health'],
    countries: ['SN'],
    sdgs: ['6'],
    description: '<p>Puits.</p>',
  });
  const absorbed = await addOrganisation(deps, {
    name: `EAU VIVE ${tag}`,
    kind_code: 'other',
    commune: '33063',
    postcode: '33000',
    website: `https://eauvive-${tag}.example.org`,
    phone: '05 56 00 00 00',
    themes: ['health', 'education_training'],
    countries: ['ML', 'SN'],
    zones: ['west_africa'],
    sdgs: ['6', '4'],
    colleges: ['associations'],
    description: '<p>Des puits et des jardins au Sénégal et au Mali, avec les communes de la vallée du fleuve.</p>',
  });
  const other = await addOrganisation(deps, { name: `Eau Vive Landes ${tag}`, commune: '40192' });
  const dismissedOther = await addOrganisation(deps, { name: `Eau Vive Pau ${tag}`, commune: '64445' });
  const at = deps.clock.now().toISOString();
  const db = deps.db;

  await fixtures.insertRows(db, 'organisation_tags', [
    { organisation_id: survivor.id, tag: 'partenaire' },
    { organisation_id: absorbed.id, tag: 'partenaire' },
    { organisation_id: absorbed.id, tag: 'import-2016' },
  ]);
  await fixtures.insertRows(db, 'memberships', [
    { id: newId(), organisation_id: survivor.id, year: 2025, status: 'paid', fee_cents: 5000, created_at: at },
    { id: newId(), organisation_id: absorbed.id, year: 2025, status: 'pending', fee_cents: null, created_at: at },
    { id: newId(), organisation_id: absorbed.id, year: 2024, status: 'paid', fee_cents: 4000, created_at: at },
  ]);
  const both = await createActiveUser(deps, { email: `awa.${tag}@example.org`, role: 'member', displayName: `Awa ${tag}` });
  const absorbedOnly = await createActiveUser(deps, { email: `ines.${tag}@example.org`, role: 'member', displayName: `Inès ${tag}` });
  await fixtures.insertRows(db, 'user_organisations', [
    { user_id: both.id, organisation_id: survivor.id, created_at: at },
    { user_id: both.id, organisation_id: absorbed.id, created_at: at },
    { user_id: absorbedOnly.id, organisation_id: absorbed.id, created_at: at },
  ]);
  await fixtures.insertRows(db, 'interactions', [
    { id: newId(), organisation_id: survivor.id, kind: 'call', occurred_on: '2026-01-10', author_id: null, text: 'Appel', created_at: at },
    { id: newId(), organisation_id: absorbed.id, kind: 'meeting', occurred_on: '2016-05-02', author_id: null, text: 'Réunion', created_at: at },
    { id: newId(), organisation_id: absorbed.id, kind: 'email', occurred_on: '2016-06-02', author_id: null, text: 'Courriel', created_at: at },
  ]);
  await fixtures.insertRows(db, 'account_requests', [
    { id: newId(), name: 'Léa Martin', email: `lea.${tag}@example.org`, organisation_id: absorbed.id, proposal_id: null, message: null, status: 'pending', decided_by: null, decided_at: null, created_at: at },
  ]);
  const proposal = (entity_type: string) => ({
    id: newId(),
    entity_type,
    entity_id: absorbed.id,
    status: 'pending',
    payload: '{}',
    base: null,
    proposer_user_id: null,
    proposer_name: 'Awa',
    proposer_email: 'awa@example.org',
    message: null,
    decided_by: null,
    decided_at: null,
    created_at: at,
  });
  await fixtures.insertRows(db, 'proposals', [proposal('organisation'), proposal('organisation_position'), proposal('event')]);
  await fixtures.insertRows(db, 'saved_filters', [{ id: newId(), name: `Contacts ${tag}`, scope: 'contacts', query: `organisation=${absorbed.id}&q=eau`, created_by: null, created_at: at }]);
  const oldSlug = `eau-vive-ancien-${tag.toLowerCase()}`;
  await fixtures.insertRows(db, 'organisation_slugs', [{ slug: oldSlug, organisation_id: absorbed.id }]);

  const contact = async (first: string | null, last: string, organisationId: string, extra: { emails?: string[]; phone?: string; isMain?: number; erased?: boolean; notes?: string } = {}) => {
    const id = newId();
    await fixtures.insertRows(db, 'contacts', [
      { id, civility: null, first_name: first, last_name: last, sort_name: contactSortNameOf({ first_name: first, last_name: last }), phone: extra.phone ?? null, notes: extra.notes ?? null, public_profile: 0, source: 'manual', import_batch_id: null, erased_at: extra.erased ? at : null, created_at: at, updated_at: at },
    ]);
    if (extra.emails?.length) {
      await fixtures.insertRows(db, 'contact_emails', extra.emails.map((email, i) => ({ contact_id: id, email, email_lower: email.toLowerCase(), is_primary: i === 0 ? 1 : 0 })));
    }
    await fixtures.insertRows(db, 'contact_roles', [{ contact_id: id, organisation_id: organisationId, function: null, is_main: extra.isMain ?? 0 }]);
    return id;
  };
  const consent = (contactId: string, event: string, day: string) => ({
    id: newId(),
    contact_id: contactId,
    purpose: 'contact_database',
    basis: 'legitimate_interest',
    event,
    source: 'import',
    detail: `Réseau d’origine (${day})`,
    ip: null,
    recorded_by: null,
    at: `${day}T10:00:00.000Z`,
  });
  const marieS = await contact('Marie', 'Dupont', survivor.id, { emails: [`marie.dupont@${tag}.example.org`], isMain: 1, notes: 'Présidente' });
  const marieA = await contact('MARIE', 'DUPONT', absorbed.id, { emails: [`Marie.Dupont@${tag.toUpperCase()}.example.org`, `marie@perso-${tag}.example.org`], phone: '+33556000001', isMain: 1, notes: 'Contact 2016' });
  const jeanS = await contact('Jean-Émile', 'Martin', survivor.id);
  const jeanA = await contact('jean emile', 'MARTIN', absorbed.id);
  const paul = await contact('Paul', 'Durand', absorbed.id, { emails: [`paul@${tag}.example.org`] });
  const erased = await contact(null, 'Contact effacé', absorbed.id, { erased: true });
  await fixtures.insertRows(db, 'consents', [consent(marieS, 'informed', '2025-01-01'), consent(marieA, 'informed', '2016-03-01'), consent(marieA, 'given', '2017-03-01')]);
  await fixtures.insertRows(db, 'contact_themes', [{ contact_id: marieA, theme_code: 'health' }]);
  await fixtures.insertRows(db, 'contact_countries', [{ contact_id: marieA, country_code: 'ML' }]);

  const candidate = await addCandidate(deps, survivor.id, absorbed.id, 'pending', 0.97);
  const movedCandidate = await addCandidate(deps, absorbed.id, other.id, 'pending', 0.61);
  const droppedCandidate = await addCandidate(deps, absorbed.id, dismissedOther.id, 'dismissed', 0.55);
  await addCandidate(deps, survivor.id, dismissedOther.id, 'pending', 0.52);

  return {
    survivor,
    absorbed,
    other,
    dismissedOther,
    candidate,
    movedCandidate,
    droppedCandidate,
    contacts: { marieS, marieA, jeanS, jeanA, paul, erased },
    users: { both: both.id, absorbedOnly: absorbedOnly.id },
    oldSlug,
  };
}
