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

/** Lists of integers in one array: list `i` is `items[starts[i]]` to `items[starts[i + 1] - 1]`. */
export interface IntLists {
  starts: Int32Array;
  items: Int32Array;
}

/**
 * Lists built in two passes over the same entries: `each` calls `add(list, item)` for every entry,
 * in the same order both times (the first pass counts, the second fills). One typed array instead
 * of one array per list: on 50,000 records, tens of megabytes less.
 */
function intLists(count: number, each: (add: (list: number, item: number) => void) => void): IntLists {
  const starts = new Int32Array(count + 1);
  each((list) => starts[list + 1]!++);
  for (let i = 0; i < count; i++) starts[i + 1]! += starts[i]!;
  const items = new Int32Array(starts[count]!);
  const next = starts.slice(0, count);
  each((list, item) => (items[next[list]!++] = item));
  return { starts, items };
}

export interface Blocks {
  /** The blocks of each record (block numbers, in the order of its keys). */
  blocksOf: IntLists;
  /** The records of each block (two or more within its cap), in record order. */
  members: IntLists;
}

/**
 * The blocks of two or more records within their cap. Keys are counted in one sorted array of
 * hashes, so single-record keys (most of them) cost nothing once counted.
 */
export function buildBlocks(records: readonly PreparedRecord[], stats: TokenStats, options: BlockingOptions = DEFAULT_BLOCKING): Blocks {
  // Every record's key hashes, one after the other; identifier keys are negative (their own cap).
  const keyStarts = new Int32Array(records.length + 1);
  let keys = new Float64Array(records.length * 16);
  let count = 0;
  records.forEach((r, i) => {
    for (const key of blockingKeys(r, stats, options)) {
      if (count === keys.length) {
        const grown = new Float64Array(keys.length * 2);
        grown.set(keys);
        keys = grown;
      }
      keys[count++] = (key.startsWith('#') ? -1 : 1) * (keyHash(key) + 1);
    }
    keyStarts[i + 1] = count;
  });
  keys = keys.subarray(0, count);
  const sorted = keys.slice().sort();
  // One pass over the sorted hashes: the keys held by two records or more, within their cap, numbered.
  const blockOfKey = new Map<number, number>();
  for (let start = 0; start < sorted.length; ) {
    let end = start + 1;
    while (end < sorted.length && sorted[end] === sorted[start]) end++;
    const key = sorted[start]!;
    if (end - start >= 2 && end - start <= (key < 0 ? options.maxIdentifierBlock : options.maxNameBlock)) blockOfKey.set(key, blockOfKey.size);
    start = end;
  }
  // Each record once per block, even when two of its keys share a hash.
  const eachMembership = (add: (list: number, item: number) => void) => {
    const lastMember = new Int32Array(blockOfKey.size).fill(-1);
    for (let i = 0; i < records.length; i++) {
      for (let k = keyStarts[i]!; k < keyStarts[i + 1]!; k++) {
        const block = blockOfKey.get(keys[k]!);
        if (block === undefined || lastMember[block] === i) continue;
        lastMember[block] = i;
        add(i, block);
      }
    }
  };
  const blocksOf = intLists(records.length, eachMembership);
  const members = intLists(blockOfKey.size, (add) => eachMembership((record, block) => add(block, record)));
  return { blocksOf, members };
}

/**
 * Sorted neighbourhood within each commune: names in alphabetical order (doubled letters undone),
 * each with the next few — it meets typos that change every key above ("Vilel de X", "Ville deX").
 * Returns, for each record, the later-indexed records it is to be compared with.
 */
export function neighbourPairs(records: readonly PreparedRecord[], window: number): IntLists {
  const byCommune = new Map<string, { index: number; name: string }[]>();
  records.forEach((r, index) => {
    const commune = communeKey(r);
    if (!commune) return;
    const entry = { index, name: r.name.rawWords.join('') };
    const list = byCommune.get(commune);
    if (list) list.push(entry);
    else byCommune.set(commune, [entry]);
  });
  for (const list of byCommune.values()) list.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : x.index - y.index));
  return intLists(records.length, (add) => {
    for (const list of byCommune.values()) {
      for (let k = 0; k < list.length; k++) {
        for (let m = k + 1; m < Math.min(list.length, k + window); m++) {
          const x = list[k]!.index;
          const y = list[m]!.index;
          if (x < y) add(x, y);
          else add(y, x);
        }
      }
    }
  });
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
  const { blocksOf, members } = buildBlocks(records, stats, options);
  const neighbours = neighbourPairs(records, options.neighbourhood);
  // seenBy[j] === i + 1 once j has been paired with i: no set to clear, nothing to collect.
  const seenBy = new Int32Array(records.length);
  let visited = 0;
  for (let i = 0; i < records.length; i++) {
    const mark = i + 1;
    for (let n = neighbours.starts[i]!; n < neighbours.starts[i + 1]!; n++) {
      const j = neighbours.items[n]!;
      if (seenBy[j] === mark) continue;
      seenBy[j] = mark;
      visited++;
      visit(i, j);
    }
    for (let b = blocksOf.starts[i]!; b < blocksOf.starts[i + 1]!; b++) {
      const block = blocksOf.items[b]!;
      for (let m = members.starts[block]!; m < members.starts[block + 1]!; m++) {
        const j = members.items[m]!;
        if (j <= i || seenBy[j] === mark) continue;
        seenBy[j] = mark;
        visited++;
        visit(i, j);
      }
    }
  }
  return visited;
}
