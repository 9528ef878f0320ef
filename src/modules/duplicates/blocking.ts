import type { PreparedRecord } from './prepare.js';
import type { TokenStats } from './token-stats.js';

/**
 * Blocking: only records that share a key are compared, never all pairs. Keys are what identifies
 * an organisation (identifiers, e-mail, domain, phone; SIREN with one digit masked, so a typo
 * still meets the right value), its rarest name words, its acronym or initials, and each name word
 * within its commune. A block larger than the cap says nothing (a shared switchboard, a word every
 * association has) and is skipped: the pairs it holds share rarer keys too.
 */

export interface BlockingOptions {
  /** Records sharing an identifier or contact key beyond this are not compared through it. */
  maxIdentifierBlock: number;
  /** Records sharing a name, acronym or commune key beyond this are not compared through it. */
  maxNameBlock: number;
  /** Sorted neighbourhood: within a commune, each name is compared with the next ones in alphabetical order. */
  neighbourhood: number;
  /** How many of a name's rarest words are keys within its commune. */
  rareWords: number;
}

export const DEFAULT_BLOCKING: BlockingOptions = { maxIdentifierBlock: 50, maxNameBlock: 50, neighbourhood: 3, rareWords: 3 };

function communeKey(r: PreparedRecord): string | null {
  return r.commune.code ?? (r.commune.postcode ? `${r.commune.postcode}` : r.commune.name);
}

/** The keys of a record; identifier keys start with `#`, so their blocks get their own cap. */
export function blockingKeys(r: PreparedRecord, stats: TokenStats, options: BlockingOptions = DEFAULT_BLOCKING): string[] {
  const keys: string[] = [];
  if (r.siren) {
    keys.push(`#s:${r.siren}`);
    for (let i = 0; i < r.siren.length; i++) keys.push(`#s~${i}:${r.siren.slice(0, i)}${r.siren.slice(i + 1)}`);
  }
  if (r.rna) keys.push(`#r:${r.rna}`);
  if (r.inseeCode) keys.push(`#i:${r.inseeCode}`);
  if (r.email) keys.push(`#e:${r.email}`);
  if (r.emailDomain) keys.push(`#d:${r.emailDomain}`);
  if (r.websiteHost && r.websiteHost !== r.emailDomain) keys.push(`#d:${r.websiteHost}`);
  if (r.phone) keys.push(`#p:${r.phone}`);

  const words = [...new Set(r.name.tokens)].filter((t) => t.length >= 3);
  const byRarity = [...words].sort((x, y) => stats.frequency(x) - stats.frequency(y) || (x < y ? -1 : 1));
  // A commune's name in an organisation's name is shared by every organisation of the commune.
  const local = new Set(r.localTokens);
  const rare = byRarity.filter((w) => local.has(w));
  // Across communes, the rarest word only (a namesake elsewhere needs other evidence anyway).
  if (rare[0]) keys.push(`w:${rare[0]}`);
  const commune = communeKey(r);
  if (commune) {
    // Within a commune: the rarest words, the start of the name, the acronym and the initials.
    for (const word of rare.slice(0, options.rareWords)) keys.push(`c:${commune}:${word}`);
    keys.push(`c:${commune}:~${r.name.raw.slice(0, 6)}`);
    const initials = new Set([r.acronym, r.initials.significant, r.initials.all].filter((i): i is string => i !== null && i.length >= 2));
    for (const i of initials) keys.push(`c:${commune}:a:${i}`);
  }
  return keys;
}

/**
 * A 53-bit hash of a key (cyrb53): blocks are found by number, so half a million key strings need
 * not stay in memory. Two keys sharing a hash only merge their blocks (a few more comparisons).
 */
export function keyHash(key: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export interface Blocks {
  /** Each record's key hashes; identifier keys are negative (their own cap). */
  keysOf: Float64Array[];
  /** Record indexes of every block of two or more within its cap, by key hash. */
  blocks: Map<number, number[]>;
}

/**
 * Record indexes by key, keeping only blocks of two or more within their cap. Keys are counted
 * in one sorted array of hashes, so single-record keys (most of them) cost no map entry.
 */
export function buildBlocks(records: readonly PreparedRecord[], stats: TokenStats, options: BlockingOptions = DEFAULT_BLOCKING): Blocks {
  const keysOf = records.map((r) => Float64Array.from(blockingKeys(r, stats, options), (key) => (key.startsWith('#') ? -1 : 1) * (keyHash(key) + 1)));
  const all = new Float64Array(keysOf.reduce((n, keys) => n + keys.length, 0));
  let at = 0;
  for (const keys of keysOf) {
    all.set(keys, at);
    at += keys.length;
  }
  all.sort();
  // One pass over the sorted hashes: the keys held by two records or more, within their cap.
  const blocks = new Map<number, number[]>();
  for (let start = 0; start < all.length; ) {
    let end = start + 1;
    while (end < all.length && all[end] === all[start]) end++;
    const key = all[start]!;
    if (end - start >= 2 && end - start <= (key < 0 ? options.maxIdentifierBlock : options.maxNameBlock)) blocks.set(key, []);
    start = end;
  }
  keysOf.forEach((keys, i) => {
    for (const key of keys) {
      const block = blocks.get(key);
      if (block && block.at(-1) !== i) block.push(i);
    }
  });
  for (const [key, block] of blocks) if (block.length < 2) blocks.delete(key);
  return { keysOf, blocks };
}

/**
 * Sorted neighbourhood within each commune: names in alphabetical order (doubled letters undone),
 * each with the next few — it meets typos that change every key above ("Vilel de X", "Ville deX").
 */
export function neighbourPairs(records: readonly PreparedRecord[], window: number): number[][] {
  const byCommune = new Map<string, { index: number; name: string }[]>();
  records.forEach((r, index) => {
    const commune = communeKey(r);
    if (!commune) return;
    const entry = { index, name: r.name.rawWords.join('') };
    const list = byCommune.get(commune);
    if (list) list.push(entry);
    else byCommune.set(commune, [entry]);
  });
  const neighbours: number[][] = records.map(() => []);
  for (const list of byCommune.values()) {
    list.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : x.index - y.index));
    for (let k = 0; k < list.length; k++) {
      for (let m = k + 1; m < Math.min(list.length, k + window); m++) {
        const [i, j] = list[k]!.index < list[m]!.index ? [list[k]!.index, list[m]!.index] : [list[m]!.index, list[k]!.index];
        neighbours[i]!.push(j);
      }
    }
  }
  return neighbours;
}

/**
 * Calls `visit` with every candidate pair (i < j) once: for each record, the later records of its
 * blocks and of its neighbourhood. Returns how many pairs were visited.
 */
export function forEachCandidatePair(
  records: readonly PreparedRecord[],
  stats: TokenStats,
  options: BlockingOptions,
  visit: (i: number, j: number) => void,
): number {
  const { keysOf, blocks } = buildBlocks(records, stats, options);
  const neighbours = neighbourPairs(records, options.neighbourhood);
  // seenBy[j] === i + 1 once j has been paired with i: no set to clear, nothing to collect.
  const seenBy = new Int32Array(records.length);
  let visited = 0;
  for (let i = 0; i < records.length; i++) {
    const mark = i + 1;
    for (const j of neighbours[i]!) {
      if (seenBy[j] === mark) continue;
      seenBy[j] = mark;
      visited++;
      visit(i, j);
    }
    for (const key of keysOf[i]!) {
      const block = blocks.get(key);
      if (!block) continue;
      for (const j of block) {
        if (j <= i || seenBy[j] === mark) continue;
        seenBy[j] = mark;
        visited++;
        visit(i, j);
      }
    }
  }
  return visited;
}
