/**
 * Weights of evidence, in bits: log2 of how much likelier an observation is when two records are
 * the same organisation than when they are not (Fellegi–Sunter). They are set from what each
 * field means, not fitted to a file: an identifier shared by chance is near impossible (+10 to +12
 * bits), a typo in a SIREN breaks its Luhn key, two valid SIRENs that differ are two legal entities,
 * a shared switchboard or mailbox happens, and a name repeated in another commune is usually a
 * local branch or a namesake — the records must then agree on something else.
 */
export const EVIDENCE_WEIGHTS = {
  sameSiren: 12,
  /** Same digits, but the Luhn key fails: the same mistyped value copied across files. */
  sameSirenUnchecked: 9,
  /** One digit apart (or two swapped) with a failed key: the typo of the other. */
  nearSiren: 6,
  differentValidSirens: -8,
  differentSirens: -3,
  sameRna: 10,
  differentRna: -5,
  sameInsee: 10,
  differentInsee: -8,
  sameEmail: 8,
  /** The organisation's own domain (e-mail domain when not a webmail, website host). */
  sameDomain: 7,
  differentDomains: -2,
  samePhone: 7,
  differentPhones: -1,
  sameAcronym: 3,
  differentAcronyms: -3,
  /** An acronym (field, or a name that is one) read as the initials of the other name. */
  acronymMatchesName: 2,
  sameCommune: 2,
  samePostcode: 1.5,
  differentCommune: -6,
  differentDepartment: -8,
  sameKind: 0.5,
  differentKind: -1.5,
} as const;

export type EvidenceWeights = { [K in keyof typeof EVIDENCE_WEIGHTS]: number };

/**
 * Name similarity → bits, piecewise linear between these points: identical names are strong
 * evidence, names that differ beyond typos are strong evidence against.
 */
export const NAME_CURVE: readonly (readonly [number, number])[] = [
  [0, -9],
  [0.5, -7],
  [0.7, -3],
  [0.8, 0],
  [0.88, 2.5],
  [0.94, 4.5],
  [1, 6],
];

export function nameWeight(similarity: number, curve: readonly (readonly [number, number])[] = NAME_CURVE): number {
  for (let i = 1; i < curve.length; i++) {
    const [x1, y1] = curve[i]!;
    const [x0, y0] = curve[i - 1]!;
    if (similarity <= x1) return y0 + ((similarity - x0) / (x1 - x0)) * (y1 - y0);
  }
  return curve.at(-1)![1];
}

/**
 * Prior log-odds (bits) that two records sharing a blocking key are the same organisation. The
 * score shown is the posterior probability: 1 / (1 + 2^-(evidence + prior)).
 */
export const PRIOR_BITS = -6;

export function scoreOf(evidenceBits: number, prior = PRIOR_BITS): number {
  return 1 / (1 + 2 ** -(evidenceBits + prior));
}

/** The evidence in bits a score stands for (scoreOf's inverse); a score of 0 or 1 holds none that can be read back. */
export function evidenceOf(score: number, prior = PRIOR_BITS): number {
  return Math.log2(score / (1 - score)) - prior;
}
