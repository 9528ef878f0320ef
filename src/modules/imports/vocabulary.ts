import { countryCodeFromName, isCountryCode } from '../../kernel/geo/countries.js';
import { BOOLEAN_VALUES, COUNTRY_SYNONYMS, KIND_SYNONYMS, THEME_SYNONYMS, keyOf } from './synonyms.js';

export interface CodeEntry {
  code: string;
  label_fr: string;
  label_en: string;
}

/** The taxonomies a file's values are matched against (as loaded by the organisations module). */
export interface TaxonomyLabels {
  kinds: CodeEntry[];
  themes: CodeEntry[];
  zones: CodeEntry[];
}

const STOP = new Set(['a', 'au', 'aux', 'd', 'de', 'des', 'du', 'en', 'et', 'l', 'la', 'le', 'les', 'ou', 'pour', 'and', 'of', 'the']);

function tokens(key: string): string[] {
  return key.split(' ').filter((t) => t && !STOP.has(t));
}

/**
 * Matches a cell to a taxonomy code: by code, label (French or English) or known synonym,
 * accent-, case- and punctuation-insensitively; else when every word of the cell begins a word
 * of exactly one label ("educ-pop" → "Structure d'éducation populaire", "ECSI" → "… (ECSI)").
 */
export class CodeMatcher {
  private readonly exact = new Map<string, string>();
  private readonly labels: { code: string; tokens: string[] }[] = [];
  private readonly cache = new Map<string, string | null>();

  constructor(entries: CodeEntry[], synonyms: Record<string, string> = {}) {
    const codes = new Set(entries.map((e) => e.code));
    for (const [k, code] of Object.entries(synonyms)) if (codes.has(code)) this.exact.set(keyOf(k), code);
    for (const e of entries) {
      for (const text of [e.code, e.label_fr, e.label_en]) this.exact.set(keyOf(text), e.code);
      this.labels.push({ code: e.code, tokens: [...new Set([...tokens(keyOf(e.label_fr)), ...tokens(keyOf(e.label_en)), ...tokens(keyOf(e.code))])] });
    }
  }

  match(value: string): string | null {
    const hit = this.cache.get(value);
    if (hit !== undefined) return hit;
    const key = keyOf(value);
    const found = key ? (this.exact.get(key) ?? this.byWords(key)) : null;
    if (this.cache.size < 10_000) this.cache.set(value, found);
    return found;
  }

  private byWords(key: string): string | null {
    const words = tokens(key);
    if (!words.length) return null;
    let best: { code: string; score: number } | null = null;
    let tie = false;
    for (const label of this.labels) {
      const covered = words.every((w) => label.tokens.some((t) => t === w || (w.length >= 3 && t.startsWith(w))));
      if (!covered) continue;
      const score = words.length / label.tokens.length;
      if (!best || score > best.score) {
        best = { code: label.code, score };
        tie = false;
      } else if (score === best.score) tie = true;
    }
    return best && !tie ? best.code : null;
  }
}

/** Every lookup a row needs, built once per import. */
export class Vocabulary {
  readonly kinds: CodeMatcher;
  readonly themes: CodeMatcher;
  readonly zones: CodeMatcher;
  private readonly countryCache = new Map<string, string | null>();

  constructor(readonly labels: TaxonomyLabels) {
    this.kinds = new CodeMatcher(labels.kinds, KIND_SYNONYMS);
    this.themes = new CodeMatcher(labels.themes, THEME_SYNONYMS);
    this.zones = new CodeMatcher(labels.zones);
  }

  /** A country by its ISO code or its name in French or English, in the forms exports use. */
  country(value: string): string | null {
    const trimmed = value.trim();
    if (!trimmed) return null;
    const cached = this.countryCache.get(trimmed);
    if (cached !== undefined) return cached;
    const upper = trimmed.toUpperCase();
    const key = keyOf(trimmed);
    const found =
      (/^[A-Z]{2}$/.test(upper) && isCountryCode(upper) ? upper : undefined) ??
      COUNTRY_SYNONYMS[key] ??
      countryCodeFromName(trimmed) ??
      countryCodeFromName(trimmed.replace(/[-’']/g, ' ').replace(/\s+/g, ' ')) ??
      countryCodeFromName(key) ??
      null;
    if (this.countryCache.size < 10_000) this.countryCache.set(trimmed, found);
    return found;
  }

  /** Sustainable development goals: "4", "ODD 4", "SDG4" → 4. */
  sdg(value: string): number | null {
    const match = /^(?:odd|sdg|objectif)?\s*n?°?\s*(\d{1,2})$/i.exec(value.trim());
    const n = match ? Number(match[1]) : NaN;
    return Number.isInteger(n) && n >= 1 && n <= 17 ? n : null;
  }

  /** A yes/no cell. */
  boolean(value: string): boolean | null {
    const hit = Object.hasOwn(BOOLEAN_VALUES, keyOf(value)) ? BOOLEAN_VALUES[keyOf(value)] : undefined;
    return hit === undefined ? null : hit!;
  }
}
