import { searchTokens } from '../../kernel/search/normalise.js';
import type { RuleRow } from './repo.js';

export interface RuleEffect {
  themes: string[];
  countries: string[];
  category: string | null;
  keep: boolean;
}

/** A rule's keyword as search tokens (so "Jeunesse" matches "jeunesse", "APD" matches "l'APD"). */
export function ruleTokens(keyword: string): string[] {
  return searchTokens(keyword);
}

/**
 * What the saved rules do to a new item: a rule matches when every token of its keyword is a
 * word of the item's title or text. Tags add up; the first category wins; any auto-keep keeps.
 */
export function applyRules(rules: RuleRow[], text: string): RuleEffect {
  const words = new Set(searchTokens(text));
  const effect: RuleEffect = { themes: [], countries: [], category: null, keep: false };
  for (const rule of rules) {
    const tokens = ruleTokens(rule.keyword);
    if (tokens.length === 0 || !tokens.every((t) => words.has(t))) continue;
    if (rule.theme_code && !effect.themes.includes(rule.theme_code)) effect.themes.push(rule.theme_code);
    if (rule.country_code && !effect.countries.includes(rule.country_code)) effect.countries.push(rule.country_code);
    if (rule.category && !effect.category) effect.category = rule.category;
    if (rule.auto_keep) effect.keep = true;
  }
  return effect;
}
