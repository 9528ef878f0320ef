import { nameSimilarity } from './name-similarity.js';
import { acronymMatchesName, sameSpelling } from './normalise-name.js';
import type { PreparedRecord } from './prepare.js';
import { IDENTIFIER_REASONS, type Reason, type ReasonCode } from './reasons.js';
import { jaroWinkler } from './similarity.js';
import type { TokenStats } from './token-stats.js';
import { EVIDENCE_WEIGHTS, type EvidenceWeights, nameWeight, scoreOf } from './weights.js';

export interface Comparison {
  /** Posterior probability in [0, 1] that both records are the same organisation. */
  score: number;
  /** Sum of the reasons' weights, in bits. */
  evidence: number;
  /** Every piece of evidence, strongest first. */
  reasons: Reason[];
  /** A valid identifier (SIREN, RNA, INSEE code) is shared. */
  identifierMatch: boolean;
}

/** Two SIRENs one typo apart: one digit changed, or two neighbours swapped. */
export function oneTypoApart(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff.push(i);
  if (diff.length === 1) return true;
  return diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!];
}

function identifierEvidence(a: PreparedRecord, b: PreparedRecord, w: EvidenceWeights, add: (code: ReasonCode, weight: number) => void): void {
  if (a.siren && b.siren) {
    if (a.siren === b.siren) add(a.sirenValid ? 'same_siren' : 'same_siren_unchecked', a.sirenValid ? w.sameSiren : w.sameSirenUnchecked);
    else if (a.sirenValid && b.sirenValid) add('different_siren', w.differentValidSirens);
    else if (oneTypoApart(a.siren, b.siren)) add('near_siren', w.nearSiren);
    else add('different_siren', w.differentSirens);
  }
  if (a.rna && b.rna) add(a.rna === b.rna ? 'same_rna' : 'different_rna', a.rna === b.rna ? w.sameRna : w.differentRna);
  if (a.inseeCode && b.inseeCode) {
    add(a.inseeCode === b.inseeCode ? 'same_insee' : 'different_insee', a.inseeCode === b.inseeCode ? w.sameInsee : w.differentInsee);
  }
}

function contactEvidence(a: PreparedRecord, b: PreparedRecord, w: EvidenceWeights, add: (code: ReasonCode, weight: number) => void): void {
  if (a.email && a.email === b.email) {
    add('same_email', w.sameEmail);
  } else {
    const domainsA = [a.emailDomain, a.websiteHost].filter((d): d is string => d !== null);
    const domainsB = [b.emailDomain, b.websiteHost].filter((d): d is string => d !== null);
    if (a.emailDomain && a.emailDomain === b.emailDomain) add('same_email_domain', w.sameDomain);
    else if (a.websiteHost && a.websiteHost === b.websiteHost) add('same_website', w.sameDomain);
    else if (domainsA.some((d) => domainsB.includes(d))) add('email_domain_matches_website', w.sameDomain);
    else if (domainsA.length && domainsB.length) add('different_domains', w.differentDomains);
  }
  if (a.phone && b.phone) add(a.phone === b.phone ? 'same_phone' : 'different_phone', a.phone === b.phone ? w.samePhone : w.differentPhones);
}

/** An acronym shared by chance is likelier the shorter it is: 2 letters weigh little. */
function acronymBits(acronym: string, full: number): number {
  return full * Math.min(1, Math.max(0, acronym.length - 1) / 3);
}

function acronymEvidence(a: PreparedRecord, b: PreparedRecord, w: EvidenceWeights, add: (code: ReasonCode, weight: number) => void): boolean {
  if (a.acronym && b.acronym && !a.nameIsAcronym && !b.nameIsAcronym) {
    if (a.acronym === b.acronym) add('same_acronym', acronymBits(a.acronym, w.sameAcronym));
    else add('different_acronyms', w.differentAcronyms);
    return false;
  }
  // A name that is only an acronym, or an acronym against a record without one: read it as initials.
  const matched = a.acronym !== null && acronymMatchesName(a.acronym, b.initials) ? a.acronym : b.acronym !== null && acronymMatchesName(b.acronym, a.initials) ? b.acronym : null;
  if (matched) add('acronym_matches_name', acronymBits(matched, w.acronymMatchesName));
  return matched !== null && (a.nameIsAcronym || b.nameIsAcronym);
}

/** Same commune (true), another commune (false) or unknown (null), with the reasons. */
function locationEvidence(a: PreparedRecord, b: PreparedRecord, w: EvidenceWeights, add: (code: ReasonCode, weight: number) => void): boolean | null {
  const ca = a.commune;
  const cb = b.commune;
  let same: boolean | null = null;
  if (ca.code && cb.code) same = ca.code === cb.code;
  else if (ca.name && cb.name) same = ca.name === cb.name || (ca.postcode !== null && ca.postcode === cb.postcode && jaroWinkler(ca.name, cb.name) >= 0.9);
  if (same === true) {
    add('same_commune', w.sameCommune);
  } else if (same === false) {
    if (ca.department && cb.department && ca.department !== cb.department) add('different_department', w.differentDepartment);
    else add('different_commune', w.differentCommune);
  } else if (ca.postcode && cb.postcode && ca.postcode === cb.postcode) {
    add('same_postcode', w.samePostcode);
  } else if (ca.department && cb.department && ca.department !== cb.department) {
    add('different_department', w.differentDepartment);
  }
  return same;
}

/**
 * Compares two records: identifiers first, then contact details, names (and acronyms), place and
 * kind. Each piece of evidence is a reason with its weight; the score is the posterior probability.
 */
export function compareRecords(a: PreparedRecord, b: PreparedRecord, stats: TokenStats, weights: EvidenceWeights = EVIDENCE_WEIGHTS): Comparison {
  const reasons: Reason[] = [];
  const add = (code: ReasonCode, weight: number, similarity?: number) => {
    reasons.push(similarity === undefined ? { code, weight } : { code, weight, similarity });
  };
  identifierEvidence(a, b, weights, add);
  contactEvidence(a, b, weights, add);
  const sameCommune = locationEvidence(a, b, weights, add);
  const acronymStandsForName = acronymEvidence(a, b, weights, add);
  if (!acronymStandsForName) {
    // In one commune, its name in both organisations' names is expected, not evidence.
    const similarity = nameSimilarity(a.name, b.name, stats, sameCommune ? { a: a.localTokens, b: b.localTokens } : undefined);
    const bits = nameWeight(similarity);
    // Names the normaliser makes equal weigh as equal, but are said identical only when spelt alike.
    const identical = a.name.compact === b.name.compact && sameSpelling(a.record.name, b.record.name);
    const code: ReasonCode = identical ? 'same_name' : similarity >= 0.9 ? 'names_very_close' : bits >= 0 ? 'names_close' : 'names_different';
    // Shown with two decimals: names that are not identical never show 1,00.
    add(code, bits, identical ? 1 : Math.min(0.99, Math.round(similarity * 100) / 100));
  }
  if (a.kind && b.kind) add(a.kind === b.kind ? 'same_kind' : 'different_kind', a.kind === b.kind ? weights.sameKind : weights.differentKind);
  reasons.sort((x, y) => Math.abs(y.weight) - Math.abs(x.weight));
  const evidence = reasons.reduce((sum, r) => sum + r.weight, 0);
  return { score: scoreOf(evidence), evidence, reasons, identifierMatch: reasons.some((r) => IDENTIFIER_REASONS.has(r.code)) };
}
