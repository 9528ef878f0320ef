import type { Kernel } from '../kernel/http/types.js';
import { newId } from '../kernel/ids.js';
import { createActiveUser } from '../modules/accounts/index.js';
import { taxonomies } from '../modules/organisations/index.js';
import { buildSeedRows } from './bench-seed.js';
import { insertSeedRows, usedSlugs, usersBySource } from './bench-seed-repo.js';
import { seedDemoContent } from './demo-content.js';
import { generateOrganisations, Picker, seededRandom } from './demo-organisations.js';
import { deleteDemoRecords, hasDemoOrganisations, hasDemoRecords } from './repo.js';

export const DEMO_SOURCE = 'demo';
/** Organisations of the demo network. */
export const DEMO_ORGANISATIONS = 300;
/** The demo data is the same on every installation. */
const DEMO_SEED = 20261129;

/** Refusal worded for the person at the terminal. */
export class DemoSeedError extends Error {
  override name = 'DemoSeedError';
}

const DEMO_ACCOUNTS = [
  { email: 'camille.martin@demo.maillage.org', displayName: 'Camille Martin', role: 'staff' as const },
  { email: 'awa.diallo@demo.maillage.org', displayName: 'Awa Diallo', role: 'member' as const },
  { email: 'julien.etcheverry@demo.maillage.org', displayName: 'Julien Etcheverry', role: 'member' as const },
];

const INTERACTIONS: readonly (readonly [string, string])[] = [
  ['call', 'Appel pour préparer le dossier de demande de subvention ; rappel prévu en fin de mois.'],
  ['meeting', 'Rendez-vous au local de la structure : présentation du réseau et des formations à venir.'],
  ['advice', 'Conseil sur le montage du partenariat et le budget prévisionnel du projet.'],
  ['email', 'Envoi de la fiche pratique sur le volontariat international et des contacts utiles.'],
  ['meeting', 'Participation à la rencontre départementale des acteurs de la solidarité internationale.'],
];

/** Demo records (accounts, organisations, agenda, news), every one with source = 'demo'. Idempotent: a second run adds nothing. */
export async function seedDemo(kernel: Kernel): Promise<number> {
  if (kernel.config.nodeEnv === 'production') throw new DemoSeedError('Pas de données de démonstration en production (NODE_ENV=production).');
  let added = 0;
  if (!(await hasDemoRecords(kernel.db))) {
    for (const account of DEMO_ACCOUNTS) {
      await createActiveUser(kernel, { ...account, source: DEMO_SOURCE });
    }
    added += DEMO_ACCOUNTS.length;
  }
  if (!(await hasDemoOrganisations(kernel.db))) added += await seedDemoOrganisations(kernel);
  // Agenda and news, written by the demo staff account (Camille Martin).
  const staff = (await usersBySource(kernel.db, DEMO_SOURCE)).find((a) => a.role === 'staff');
  added += await seedDemoContent(kernel, { id: staff?.id ?? null, email: staff?.email ?? null });
  return added;
}

/**
 * About 300 organisations of the configured region (every département), with themes, countries,
 * SDGs, memberships, one to three contacts each with their legal basis, a few interactions, and
 * the demo member accounts tied to organisations. Returns the number of organisations and contacts.
 */
async function seedDemoOrganisations(kernel: Kernel): Promise<number> {
  const settings = await kernel.settings.get();
  const now = kernel.clock.now();
  const organisations = generateOrganisations({
    regionCode: settings.regionCode,
    count: DEMO_ORGANISATIONS,
    seed: DEMO_SEED,
    currentYear: now.getUTCFullYear(),
    contactsPerOrganisation: [1, 3],
    usedSlugs: await usedSlugs(kernel.db),
  });
  const rows = buildSeedRows(organisations, { source: DEMO_SOURCE, now, labels: await taxonomies(kernel.db), consents: true });

  const accounts = await usersBySource(kernel.db, DEMO_SOURCE);
  const staff = accounts.find((a) => a.role === 'staff');
  const members = accounts.filter((a) => a.role === 'member');
  const pick = new Picker(seededRandom(DEMO_SEED + 1));
  // Each demo member holds one organisation (the first of a kind that members usually are).
  const memberOrgs = organisations.map((o, i) => ({ o, id: rows.ids[i]! })).filter(({ o }) => o.draft.kind_code === 'association' && o.is_member && o.draft.visibility === 'public');
  members.forEach((member, i) => {
    const target = memberOrgs[i * 7];
    if (target) rows.userOrganisations.push({ user_id: member.id, organisation_id: target.id, created_at: now.toISOString() });
  });
  rows.ids.forEach((organisationId, i) => {
    if (i % 6 !== 0) return;
    const [kind, text] = pick.one(INTERACTIONS);
    const day = new Date(now.getTime() - pick.int(1, 400) * 86_400_000);
    rows.interactions.push({ id: newId(day.getTime()), organisation_id: organisationId, kind, occurred_on: day.toISOString().slice(0, 10), author_id: staff?.id ?? null, text, created_at: day.toISOString() });
  });
  await insertSeedRows(kernel.db, rows);
  return rows.organisations.length + rows.contacts.length;
}

/** Removes every demo record before real data goes in. */
export async function purgeDemo(kernel: Kernel): Promise<number> {
  return deleteDemoRecords(kernel.db);
}
