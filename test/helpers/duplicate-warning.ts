import assert from 'node:assert/strict';
import sharp from 'sharp';
import { createOrganisation, type Organisation, taxonomies, taxonomyCodes, validateOrganisation } from '../../src/modules/organisations/index.js';
import type { TestApp } from './app.js';

/** Adds an organisation as the back office would, without the duplicate check (seeding). */
export async function seedOrganisation(deps: TestApp['kernel'], raw: Record<string, unknown>): Promise<Organisation> {
  const result = validateOrganisation(raw, taxonomyCodes(await taxonomies(deps.db)), { currentYear: 2026 });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  return createOrganisation(deps, { id: null, email: null }, result.draft);
}

/** A small real PNG, as a logo upload. */
export const smallPng = () => sharp({ create: { width: 40, height: 20, channels: 3, background: '#0a6e4f' } }).png().toBuffer();

/** The ids a "this organisation may already exist" warning lists (its hidden fields). */
export function warnedIds(html: string): string[] {
  return [...html.matchAll(/name="duplicates_shown" value="([0-9a-f-]{36})"/g)].map((m) => m[1]!);
}
