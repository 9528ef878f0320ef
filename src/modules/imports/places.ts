import { type Commune, communeKey, communesNamedKey, communesWithPostcode, findCommune } from '../../kernel/geo/communes.js';
import type { RowIssue } from './types.js';

/** Every current commune of this name (the kernel's folded-name index: no scan of 35,000 communes per row). */
function communesNamed(name: string): Commune[] {
  return communesNamedKey(keyOf(name));
}

/** Folded names already computed (files repeat the same communes thousands of times). */
const keyCache = new Map<string, string>();

function keyOf(name: string): string {
  let key = keyCache.get(name);
  if (key === undefined) {
    key = communeKey(name);
    if (keyCache.size < 50_000) keyCache.set(name, key);
  }
  return key;
}

const communeKeys = new Map<string, string>();

function keyOfCommune(c: Commune): string {
  let key = communeKeys.get(c.code);
  if (key === undefined) communeKeys.set(c.code, (key = communeKey(c.name)));
  return key;
}

/** The département a postcode belongs to in most cases (Corsica 20 → 2A/2B, overseas 97x). */
function departmentsOfPostcode(postcode: string): string[] {
  if (postcode.startsWith('20')) return ['2A', '2B'];
  if (postcode.startsWith('97') || postcode.startsWith('98')) return [postcode.slice(0, 3)];
  return [postcode.slice(0, 2)];
}

export interface Place {
  /** INSEE code of the commune when found. */
  communeCode: string | null;
  /** The commune as written when it was not found (kept on the record). */
  unknownCommune: string | null;
  postcode: string | null;
  issues: RowIssue[];
}

/**
 * Finds the commune of a row from its name (or INSEE code) and postcode. A postcode that does not
 * belong to the named commune is corrected from the commune (warning); a commune missing or not
 * found is inferred from a postcode that has only one commune; an unknown commune is kept as written.
 */
export function resolvePlace(communeRaw: string, postcodeRaw: string): Place {
  const issues: RowIssue[] = [];
  let postcode: string | null = postcodeRaw.replace(/\s/g, '') || null;
  if (postcode && /^\d{4}$/.test(postcode)) postcode = `0${postcode}`; // a spreadsheet ate the leading zero
  if (postcode && !/^\d{5}$/.test(postcode)) {
    issues.push({ level: 'warning', field: 'postcode', key: 'imports.issue.postcodeInvalid', params: { value: postcodeRaw }, raw: postcodeRaw });
    postcode = null;
  }
  const name = communeRaw.replace(/\s+/g, ' ').trim();
  if (!name) {
    const only = postcode ? communesWithPostcode(postcode) : [];
    if (only.length === 1) {
      issues.push({ level: 'warning', field: 'commune', key: 'imports.issue.communeFromPostcode', params: { postcode: postcode!, commune: only[0]!.name } });
      return { communeCode: only[0]!.code, unknownCommune: null, postcode, issues };
    }
    return { communeCode: null, unknownCommune: null, postcode, issues };
  }

  const byCode = /^(\d{5}|2[AB]\d{3})$/i.test(name) ? findCommune(name.toUpperCase()) : undefined;
  // Most rows name a commune of their postcode: found among a handful, without the name index.
  if (!byCode && postcode) {
    const key = keyOf(name);
    const match = communesWithPostcode(postcode).find((c) => keyOfCommune(c) === key);
    if (match) return { communeCode: match.code, unknownCommune: null, postcode, issues };
  }
  const candidates = byCode ? [byCode] : communesNamed(name);
  if (candidates.length) {
    const exact = postcode ? candidates.find((c) => c.postcodes.includes(postcode!)) : undefined;
    if (exact) return { communeCode: exact.code, unknownCommune: null, postcode, issues };
    const departments = postcode ? departmentsOfPostcode(postcode) : [];
    const nearby = candidates.filter((c) => departments.includes(c.department));
    const pool = nearby.length ? nearby : candidates;
    const chosen = [...pool].sort((a, b) => b.population - a.population)[0]!;
    const fixed = postcode
      ? (chosen.postcodes.find((p) => p.slice(0, 2) === postcode!.slice(0, 2)) ?? chosen.postcodes[0] ?? null)
      : chosen.postcodes.length === 1
        ? chosen.postcodes[0]!
        : null;
    if (postcode && fixed && fixed !== postcode) {
      issues.push({ level: 'warning', field: 'postcode', key: 'imports.issue.postcodeFixed', params: { postcode, fixed, commune: chosen.name }, raw: postcodeRaw });
    } else if (pool.length > 1) {
      issues.push({ level: 'warning', field: 'commune', key: 'imports.issue.communeAmbiguous', params: { value: name, commune: chosen.name, postcode: fixed ?? '' }, raw: communeRaw });
    }
    return { communeCode: chosen.code, unknownCommune: null, postcode: fixed ?? postcode, issues };
  }

  const inPostcode = postcode ? communesWithPostcode(postcode) : [];
  if (inPostcode.length === 1) {
    issues.push({ level: 'warning', field: 'commune', key: 'imports.issue.communeFromPostcode', params: { postcode: postcode!, commune: inPostcode[0]!.name }, raw: communeRaw });
    return { communeCode: inPostcode[0]!.code, unknownCommune: null, postcode, issues };
  }
  issues.push({ level: 'warning', field: 'commune', key: 'imports.issue.communeUnknown', params: { value: name }, raw: communeRaw });
  return { communeCode: null, unknownCommune: name, postcode, issues };
}
