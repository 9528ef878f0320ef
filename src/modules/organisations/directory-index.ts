// The directory's search and facet counts, answered from memory. Counting seven facets over tens of
// thousands of organisations costs SQL a table scan per facet; here every organisation is a row of
// small integers (kind, département, themes, countries…) and a query is one pass over those arrays.
// The full-text part matches the normalised tokens of `search_text` by prefix, as the FTS indexes do.
import type { Visibility } from '../../db/schema.js';
import { searchTokens } from '../../kernel/search/normalise.js';
import type { DirectoryRows } from './directory-index-repo.js';
import type { DirectoryFilter, FacetCounts, FacetName, OrganisationLinks } from './types.js';

/** Multi-valued links per organisation, compressed: values of organisation i are vals[start[i]..start[i+1]). */
interface Links {
  start: Int32Array;
  vals: Uint16Array;
}

/** Sorted vocabulary with one posting list (organisation positions) per term. */
interface Postings {
  terms: string[];
  docs: Int32Array[];
}

const FACETS: FacetName[] = ['kind', 'department', 'member', 'theme', 'country', 'sdg', 'zone'];
const BIT: Record<FacetName, number> = { kind: 1, department: 2, member: 4, theme: 8, country: 16, sdg: 32, zone: 64 };
const VISIBILITIES: Visibility[] = ['public', 'members', 'staff'];
const NO_DEPARTMENT = 0xffff;
const NAME_WEIGHT = 2;
const EXACT_WEIGHT = 1;
/** Text matches kept per index: a visitor paging or refining a search repeats the same words. */
const TEXT_MEMO = 32;

interface TextMatch {
  matched: Uint8Array;
  scores: Float64Array;
}

class Dictionary {
  readonly values: string[] = [];
  private readonly positions = new Map<string, number>();
  add(value: string): number {
    let position = this.positions.get(value);
    if (position === undefined) {
      position = this.values.length;
      this.values.push(value);
      this.positions.set(value, position);
    }
    return position;
  }
  get(value: string): number | undefined {
    return this.positions.get(value);
  }
  /** Membership of the wanted values as a lookup table, or null when nothing is wanted (no filter). */
  mask(wanted: readonly string[]): Uint8Array | null {
    if (!wanted.length) return null;
    const mask = new Uint8Array(this.values.length + 1);
    for (const value of wanted) {
      const position = this.positions.get(value);
      if (position !== undefined) mask[position] = 1;
    }
    return mask;
  }
}

function buildLinks(count: number, positionOf: Map<string, number>, rows: { organisation_id: string; code: string }[], dictionary: Dictionary): Links {
  // Two passes (count, then fill) keep this to typed arrays: no array per organisation.
  const positions = new Int32Array(rows.length);
  const values = new Uint16Array(rows.length);
  const start = new Int32Array(count + 1);
  rows.forEach((row, r) => {
    const position = positionOf.get(row.organisation_id) ?? -1;
    positions[r] = position;
    values[r] = dictionary.add(row.code);
    if (position >= 0) start[position + 1]!++;
  });
  for (let i = 0; i < count; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, count);
  const vals = new Uint16Array(start[count]!);
  for (let r = 0; r < rows.length; r++) if (positions[r]! >= 0) vals[fill[positions[r]!]!++] = values[r]!;
  return { start, vals };
}

/** Positions 0…n−1 ordered by a text key, using the engine's native string sort. */
function orderByKey(keys: string[]): Int32Array {
  const width = String(keys.length).length;
  const tagged = keys.map((key, i) => `${key}\u0000${String(i).padStart(width, '0')}`).sort();
  return Int32Array.from(tagged, (entry) => Number(entry.slice(-width)));
}

function buildPostings(texts: string[][]): Postings {
  const byTerm = new Map<string, number[]>();
  texts.forEach((tokens, doc) => {
    for (const token of tokens) {
      const list = byTerm.get(token);
      // Documents come in order: a word repeated in one text is already its list's last entry.
      if (!list) byTerm.set(token, [doc]);
      else if (list[list.length - 1] !== doc) list.push(doc);
    }
  });
  const terms = [...byTerm.keys()].sort();
  return { terms, docs: terms.map((term) => Int32Array.from(byTerm.get(term)!)) };
}

/** The terms starting with a prefix: a range of the sorted vocabulary. */
function prefixRange(postings: Postings, prefix: string): { from: number; to: number } {
  const { terms } = postings;
  let low = 0;
  let high = terms.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (terms[middle]! < prefix) low = middle + 1;
    else high = middle;
  }
  let to = low;
  while (to < terms.length && terms[to]!.startsWith(prefix)) to++;
  return { from: low, to };
}

function anyIn(links: Links, doc: number, mask: Uint8Array): boolean {
  for (let k = links.start[doc]!; k < links.start[doc + 1]!; k++) if (mask[links.vals[k]!]) return true;
  return false;
}

/** Instants arrive as ISO text (SQLite) or Date (PostgreSQL). */
function instantText(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

export class DirectoryIndex {
  private readonly textMatches = new Map<string, TextMatch>();

  private constructor(
    private readonly ids: string[],
    private readonly visibility: Uint8Array,
    private readonly kind: Uint16Array,
    private readonly department: Uint16Array,
    private readonly member: Uint8Array,
    /** Position of each organisation in name order (folded sort key, then id), and the positions in that order. */
    private readonly nameRank: Int32Array,
    private readonly nameOrder: Int32Array,
    /** Positions from the most recently updated. */
    private readonly updatedOrder: Int32Array,
    /** `zone`: given or through a country (filters, facets); `ownZone`: as given, and `college`: only listed with the rows. */
    private readonly links: Record<'theme' | 'country' | 'sdg' | 'zone' | 'ownZone' | 'college', Links>,
    private readonly dictionaries: Record<'kind' | 'department' | 'theme' | 'country' | 'sdg' | 'zone' | 'college', Dictionary>,
    private readonly text: Postings,
    private readonly names: Postings,
  ) {}

  get size(): number {
    return this.ids.length;
  }

  static build(rows: DirectoryRows): DirectoryIndex {
    const orgs = rows.organisations;
    const count = orgs.length;
    const positionOf = new Map(orgs.map((o, i) => [o.id, i]));
    const dictionaries = {
      kind: new Dictionary(),
      department: new Dictionary(),
      theme: new Dictionary(),
      country: new Dictionary(),
      sdg: new Dictionary(),
      zone: new Dictionary(),
      college: new Dictionary(),
    };
    const visibility = new Uint8Array(count);
    const kind = new Uint16Array(count);
    const department = new Uint16Array(count);
    const member = new Uint8Array(count);
    orgs.forEach((o, i) => {
      visibility[i] = VISIBILITIES.indexOf(o.visibility);
      kind[i] = dictionaries.kind.add(o.kind_code);
      department[i] = o.department_code ? dictionaries.department.add(o.department_code) : NO_DEPARTMENT;
      member[i] = o.is_member ? 1 : 0;
    });
    const nameOrder = orderByKey(orgs.map((o) => `${o.sort_name}\u0000${o.id}`));
    const nameRank = new Int32Array(count);
    nameOrder.forEach((doc, position) => (nameRank[doc] = position));
    // Most recent first, then name order: the reverse of (instant, reversed name rank) ascending.
    const rankWidth = String(count).length;
    const updatedOrder = orderByKey(
      orgs.map((o, i) => `${instantText(o.updated_at as unknown)}\u0000${String(count - 1 - nameRank[i]!).padStart(rankWidth, '0')}`),
    ).reverse();
    // Zones: those given explicitly and those of every country an organisation works in.
    const zonesOfCountry = new Map<string, string[]>();
    for (const zc of rows.zoneCountries) zonesOfCountry.set(zc.country_code, [...(zonesOfCountry.get(zc.country_code) ?? []), zc.zone_code]);
    const zoneKeys = new Set([
      ...rows.zones.map((z) => `${z.organisation_id} ${z.code}`),
      ...rows.countries.flatMap((c) => (zonesOfCountry.get(c.code) ?? []).map((zone) => `${c.organisation_id} ${zone}`)),
    ]);
    const zoneRows = [...zoneKeys].map((key) => {
      const [organisation_id, code] = key.split(' ') as [string, string];
      return { organisation_id, code };
    });
    const links = {
      theme: buildLinks(count, positionOf, rows.themes, dictionaries.theme),
      country: buildLinks(count, positionOf, rows.countries, dictionaries.country),
      sdg: buildLinks(count, positionOf, rows.sdgs.map((s) => ({ organisation_id: s.organisation_id, code: String(s.code) })), dictionaries.sdg),
      zone: buildLinks(count, positionOf, zoneRows, dictionaries.zone),
      ownZone: buildLinks(count, positionOf, rows.zones, dictionaries.zone),
      college: buildLinks(count, positionOf, rows.colleges, dictionaries.college),
    };
    const text = buildPostings(orgs.map((o) => o.search_text.split(' ').filter(Boolean)));
    const names = buildPostings(orgs.map((o) => searchTokens(`${o.name} ${o.acronym ?? ''}`)));
    return new DirectoryIndex(
      orgs.map((o) => o.id),
      visibility,
      kind,
      department,
      member,
      nameRank,
      nameOrder,
      updatedOrder,
      links,
      dictionaries,
      text,
      names,
    );
  }

  /**
   * One page of the filtered set in the requested order, the links of each (as of the index's
   * version, values in code order) and the size of the whole set.
   */
  search(f: DirectoryFilter, tokens: string[]): { ids: string[]; links: OrganisationLinks[]; total: number } {
    const relevance = f.sort === 'relevance' && tokens.length > 0;
    const { docs, scores } = this.select(f, tokens, f.sort === 'updated' ? this.updatedOrder : this.nameOrder);
    const ordered = relevance && scores ? this.byRelevance(docs, scores) : docs;
    const page = Array.from(ordered.subarray(f.offset, f.offset + f.limit));
    return { ids: page.map((doc) => this.ids[doc]!), links: page.map((doc) => this.linksOf(doc)), total: docs.length };
  }

  private linksOf(doc: number): OrganisationLinks {
    const codes = (links: Links, dictionary: Dictionary) => {
      const out: string[] = [];
      for (let k = links.start[doc]!; k < links.start[doc + 1]!; k++) out.push(dictionary.values[links.vals[k]!]!);
      return out.sort();
    };
    return {
      themes: codes(this.links.theme, this.dictionaries.theme),
      countries: codes(this.links.country, this.dictionaries.country),
      zones: codes(this.links.ownZone, this.dictionaries.zone),
      sdgs: codes(this.links.sdg, this.dictionaries.sdg)
        .map(Number)
        .sort((a, b) => a - b),
      colleges: codes(this.links.college, this.dictionaries.college),
    };
  }

  /** Every id of the filtered set in name order (exports). */
  allIds(f: DirectoryFilter, tokens: string[]): string[] {
    return Array.from(this.select(f, tokens, this.nameOrder).docs, (doc) => this.ids[doc]!);
  }

  /** Counts per facet value over the filtered set, each facet ignoring its own selection. */
  facets(f: DirectoryFilter, tokens: string[]): FacetCounts {
    const visible = this.visibleMask(f.visibility);
    const text = tokens.length ? this.matchText(tokens).matched : null;
    const masks = this.masks(f);
    const counts = {
      kind: new Int32Array(this.dictionaries.kind.values.length),
      department: new Int32Array(this.dictionaries.department.values.length),
      member: new Int32Array(2),
      theme: new Int32Array(this.dictionaries.theme.values.length),
      country: new Int32Array(this.dictionaries.country.values.length),
      sdg: new Int32Array(this.dictionaries.sdg.values.length),
      zone: new Int32Array(this.dictionaries.zone.values.length),
    };
    for (let doc = 0; doc < this.ids.length; doc++) {
      if (!visible[this.visibility[doc]!] || (text && !text[doc])) continue;
      const failed = this.failedFilters(doc, masks, f);
      if (failed & (failed - 1)) continue; // two filters or more fail: counts in no facet
      if (!failed || failed === BIT.kind) counts.kind[this.kind[doc]!]!++;
      if ((!failed || failed === BIT.department) && this.department[doc] !== NO_DEPARTMENT) counts.department[this.department[doc]!]!++;
      if (!failed || failed === BIT.member) counts.member[this.member[doc]!]!++;
      for (const facet of ['theme', 'country', 'sdg', 'zone'] as const) {
        if (failed && failed !== BIT[facet]) continue;
        const links = this.links[facet];
        for (let k = links.start[doc]!; k < links.start[doc + 1]!; k++) counts[facet][links.vals[k]!]!++;
      }
    }
    const shape = (facet: Exclude<FacetName, 'member'>) =>
      Array.from(counts[facet], (count, position) => ({ value: this.dictionaries[facet].values[position]!, count }))
        .filter((entry) => entry.count > 0)
        .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    const member = [
      { value: 'yes', count: counts.member[1]! },
      { value: 'no', count: counts.member[0]! },
    ]
      .filter((entry) => entry.count > 0)
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    return Object.fromEntries(FACETS.map((facet) => [facet, facet === 'member' ? member : shape(facet)])) as FacetCounts;
  }

  private visibleMask(visibility: Visibility[]): Uint8Array {
    return Uint8Array.from(VISIBILITIES, (v) => (visibility.includes(v) ? 1 : 0));
  }

  private masks(f: DirectoryFilter) {
    return {
      kind: this.dictionaries.kind.mask(f.kinds),
      department: this.dictionaries.department.mask(f.departments),
      theme: this.dictionaries.theme.mask(f.themes),
      country: this.dictionaries.country.mask(f.countries),
      sdg: this.dictionaries.sdg.mask(f.sdgs.map(String)),
      zone: this.dictionaries.zone.mask(f.zones),
    };
  }

  /** Bits of the facet filters this organisation does not pass. */
  private failedFilters(doc: number, masks: ReturnType<DirectoryIndex['masks']>, f: DirectoryFilter): number {
    let failed = 0;
    if (masks.kind && !masks.kind[this.kind[doc]!]) failed |= BIT.kind;
    if (masks.department && (this.department[doc] === NO_DEPARTMENT || !masks.department[this.department[doc]!])) failed |= BIT.department;
    if (f.member && this.member[doc] !== (f.member === 'yes' ? 1 : 0)) failed |= BIT.member;
    if (masks.theme && !anyIn(this.links.theme, doc, masks.theme)) failed |= BIT.theme;
    if (masks.country && !anyIn(this.links.country, doc, masks.country)) failed |= BIT.country;
    if (masks.sdg && !anyIn(this.links.sdg, doc, masks.sdg)) failed |= BIT.sdg;
    if (masks.zone && !anyIn(this.links.zone, doc, masks.zone)) failed |= BIT.zone;
    return failed;
  }

  /** Organisations whose indexed text holds every token as a prefix, with a relevance score (memoised per token list). */
  private matchText(tokens: string[]): TextMatch {
    const key = tokens.join(' ');
    const memo = this.textMatches.get(key);
    if (memo) return memo;
    const count = this.ids.length;
    const hits = new Uint8Array(count);
    const scores = new Float64Array(count);
    const seen = new Int32Array(count).fill(-1);
    tokens.forEach((token, t) => {
      let df = 0;
      const text = prefixRange(this.text, token);
      for (let term = text.from; term < text.to; term++) {
        // A token as a whole word ranks above the same letters starting a longer word.
        const bonus = this.text.terms[term] === token ? EXACT_WEIGHT : 0;
        for (const doc of this.text.docs[term]!) {
          if (seen[doc] !== t) {
            seen[doc] = t;
            hits[doc]!++;
            df++;
          }
          scores[doc]! += bonus;
        }
      }
      // Words of the name count more, and rare words more than common ones.
      const idf = Math.log(1 + count / Math.max(df, 1));
      const names = prefixRange(this.names, token);
      for (let term = names.from; term < names.to; term++) {
        const weight = idf * (NAME_WEIGHT + (this.names.terms[term] === token ? EXACT_WEIGHT : 0));
        for (const doc of this.names.docs[term]!) scores[doc]! += weight;
      }
    });
    const matched = new Uint8Array(count);
    for (let doc = 0; doc < count; doc++) if (hits[doc] === tokens.length) matched[doc] = 1;
    const result = { matched, scores };
    if (this.textMatches.size >= TEXT_MEMO) this.textMatches.delete(this.textMatches.keys().next().value!);
    this.textMatches.set(key, result);
    return result;
  }

  /** The filtered set, listed in the given order of positions. */
  private select(f: DirectoryFilter, tokens: string[], traversal: Int32Array): { docs: Int32Array; scores: Float64Array | null } {
    const visible = this.visibleMask(f.visibility);
    const text = tokens.length ? this.matchText(tokens) : null;
    const masks = this.masks(f);
    const docs = new Int32Array(this.ids.length);
    let n = 0;
    for (const doc of traversal) {
      if (!visible[this.visibility[doc]!] || (text && !text.matched[doc])) continue;
      if (this.failedFilters(doc, masks, f) === 0) docs[n++] = doc;
    }
    return { docs: docs.subarray(0, n), scores: text?.scores ?? null };
  }

  /** Relevance first, then name order: one number per organisation, sorted natively. */
  private byRelevance(docs: Int32Array, scores: Float64Array): Int32Array {
    const span = this.ids.length + 1;
    const keys = new Float64Array(docs.length);
    for (let i = 0; i < docs.length; i++) {
      // Scores are rounded to 1/1000 so that equal relevance falls back to name order.
      keys[i] = -Math.round(scores[docs[i]!]! * 1000) * span + this.nameRank[docs[i]!]!;
    }
    keys.sort();
    return Int32Array.from(keys, (key) => this.nameOrder[((key % span) + span) % span]!);
  }
}
