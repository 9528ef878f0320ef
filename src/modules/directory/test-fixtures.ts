// Test data shared by the directory's tests (integration and browser); not used by the app.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import sharp from 'sharp';
import type { Database } from '../../db/schema.js';
import type { Clock } from '../../kernel/clock.js';
import { newId } from '../../kernel/ids.js';
import { createOrganisation, draftOf, type Organisation, storeLogo, taxonomies, taxonomyCodes, updateOrganisation, validateOrganisation } from '../organisations/index.js';

const actor = { id: null, email: null };

export const XSS_NAME = '<script>alert("nom")</script> Solidarité';
export const FORMULA_NAME = '=SOMME(1;2) Collectif';

/** Adds an organisation from form-like values, as the back office would. */
export async function addOrganisation(
  deps: { db: Kysely<Database>; clock: Clock },
  raw: Record<string, unknown>,
  options: { isMember?: boolean } = {},
): Promise<Organisation> {
  const result = validateOrganisation(raw, taxonomyCodes(await taxonomies(deps.db)), { currentYear: 2026 });
  if (!result.ok) throw new Error(`Invalid fixture ${String(raw.name)}: ${JSON.stringify(result.errors)}`);
  return createOrganisation(deps, actor, result.draft, options);
}

/** A small PNG of the given size and colour (a real image, decoded by sharp). */
export function testPng(width = 40, height = 20, colour = '#0a6e4f'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } }).png().toBuffer();
}

/** Stores an image as a logo (as an upload would) and sets it on the organisation. */
export async function giveLogo(deps: { db: Kysely<Database>; clock: Clock; config: { dataDir: string } }, organisation: Organisation, image?: Buffer): Promise<Organisation> {
  const dir = path.join(deps.config.dataDir, 'tmp');
  await fs.mkdir(dir, { recursive: true });
  const tmpPath = path.join(dir, `fixture-${newId()}`);
  const content = image ?? (await testPng());
  await fs.writeFile(tmpPath, content);
  const stored = await storeLogo(deps, { tmpPath, filename: 'logo.png', declaredMime: 'image/png', size: content.length, truncated: false }, null);
  if (!stored.ok) throw new Error(`Logo refused: ${stored.problem.key}`);
  return (await updateOrganisation(deps, actor, organisation.id, { ...draftOf(organisation), logo_file_id: stored.fileId }))!;
}

export interface DirectoryFixtures {
  water: Organisation;
  pessac: Organisation;
  limousin: Organisation;
  internal: Organisation;
  perigord: Organisation;
  xss: Organisation;
  formula: Organisation;
}

/** Seven organisations covering search, facets, visibility, XSS and spreadsheet formulas. */
export async function seedDirectory(deps: { db: Kysely<Database>; clock: Clock }): Promise<DirectoryFixtures> {
  const water = await addOrganisation(
    deps,
    {
      name: "Associations pour l'eau du Sénégal",
      acronym: 'APES',
      kind_code: 'association',
      commune: '33063',
      postcode: '33000',
      address: '12 rue des Fontaines',
      phone: '05 56 00 00 00',
      website: 'https://eau-senegal.example.org',
      email: 'contact@eau-senegal.example.org',
      description: '<p>Forages et <strong>latrines</strong> à Podor, avec les communes de la vallée.</p>',
      themes: ['water_sanitation', 'health'],
      countries: ['SN'],
      sdgs: ['6', '3'],
      founded_year: '1998',
      siret: '',
      rna: 'W332012345',
    },
    { isMember: true },
  );
  const pessac = await addOrganisation(deps, {
    name: 'Mairie de Pessac',
    kind_code: 'local_authority',
    commune: 'Pessac',
    postcode: '33600',
    themes: ['local_governance'],
    countries: ['ML', 'BF'],
    sdgs: ['11'],
  });
  const limousin = await addOrganisation(deps, {
    name: 'Collectif Limousin Mali',
    kind_code: 'association',
    commune: '87085',
    themes: ['water_sanitation'],
    countries: ['ML'],
    visibility: 'members',
  });
  const internal = await addOrganisation(deps, {
    name: 'Cellule de veille interne',
    kind_code: 'other',
    commune: '33063',
    visibility: 'staff',
  });
  const perigord = await addOrganisation(deps, {
    name: 'Éducation à la citoyenneté en Périgord',
    kind_code: 'popular_education',
    commune: 'Périgueux',
    themes: ['global_citizenship'],
    zones: ['west_africa'],
    countries: ['BF'],
  });
  const xss = await addOrganisation(deps, {
    name: XSS_NAME,
    acronym: '<b>X</b>',
    kind_code: 'association',
    commune: '33063',
    website: 'https://xss.example.org/?q="><script>alert(3)</script>',
    description: '<p>Texte</p><img src=x onerror="alert(1)"><script>alert(2)</script><a href="javascript:alert(4)">lien</a>',
    themes: ['human_rights'],
  });
  const formula = await addOrganisation(deps, {
    name: FORMULA_NAME,
    acronym: '-AB',
    kind_code: 'association',
    commune: '33063',
    address: '@domicile',
    themes: ['fair_trade'],
  });
  return { water, pessac, limousin, internal, perigord, xss, formula };
}
