import { toE164 } from '../../kernel/identifiers.js';
import { EMAIL_PATTERN } from '../../kernel/validation.js';
import { targetName } from './issue-text.js';
import type { ContactRecord, RowIssue } from './types.js';

const NAME_MAX = 100;
const FUNCTION_MAX = 120;

const CIVILITY: Record<string, string> = {
  mme: 'Mme', madame: 'Mme', mrs: 'Mme', ms: 'Mme', mlle: 'Mme', mademoiselle: 'Mme', 'm.': 'M.', m: 'M.', mr: 'M.', monsieur: 'M.', mx: 'Mx',
};

function civilityOf(text: string): string | null {
  return CIVILITY[text.trim().toLowerCase().replace(/\.$/, '') || ''] ?? CIVILITY[text.trim().toLowerCase()] ?? null;
}

const isUpperWord = (w: string) => w.length > 1 && w === w.toUpperCase() && w !== w.toLowerCase();

/**
 * A full name to first and last names: "DUPONT, Marie" and "DUPONT Marie" (family name in
 * capitals) or "Marie Dupont" (first word = first name), with a leading "Mme"/"M." as civility.
 */
export function splitFullName(full: string): { civility: string | null; first: string | null; last: string } {
  let text = full.replace(/\s+/g, ' ').trim();
  let civility: string | null = null;
  const head = /^(\S+)\s+(.+)$/.exec(text);
  if (head && civilityOf(head[1]!)) {
    civility = civilityOf(head[1]!);
    text = head[2]!;
  }
  const comma = /^([^,]+),\s*(.+)$/.exec(text);
  if (comma) return { civility, first: comma[2]!.trim(), last: comma[1]!.trim() };
  const words = text.split(' ');
  if (words.length === 1) return { civility, first: null, last: text };
  const upper = words.filter(isUpperWord);
  if (upper.length > 0 && upper.length < words.length) {
    return { civility, first: words.filter((w) => !isUpperWord(w)).join(' '), last: upper.join(' ') };
  }
  return { civility, first: words[0]!, last: words.slice(1).join(' ') };
}

export interface ContactCells {
  name: string;
  first: string;
  last: string;
  civility: string;
  function: string;
  emails: string[];
  phone: string;
}

function cap(value: string | null, max: number, field: string, issues: RowIssue[]): string | null {
  if (!value || value.length <= max) return value;
  issues.push({ level: 'warning', field, key: 'imports.issue.contactTooLong', params: { field: targetName(field), max }, raw: value });
  return value.slice(0, max);
}

/** The row's contact person (one per row), or null when the row names nobody. */
export function contactOf(cells: ContactCells, issues: RowIssue[]): ContactRecord | null {
  let first = cells.first.replace(/\s+/g, ' ').trim() || null;
  let last = cells.last.replace(/\s+/g, ' ').trim() || null;
  let civility = cells.civility ? civilityOf(cells.civility) : null;
  if (!first && !last && cells.name.trim()) {
    const split = splitFullName(cells.name);
    first = split.first;
    last = split.last;
    civility = civility ?? split.civility;
  } else if (!last && first) {
    last = first;
    first = null;
  }

  const emails: string[] = [];
  for (const email of cells.emails) {
    if (!EMAIL_PATTERN.test(email) || email.length > 254) {
      issues.push({ level: 'warning', field: 'contact_email', key: 'imports.issue.contactEmailInvalid', params: { value: email }, raw: email });
    } else if (!emails.some((e) => e.toLowerCase() === email.toLowerCase())) emails.push(email);
  }
  let phone: string | null = null;
  if (cells.phone.trim()) {
    phone = toE164(cells.phone);
    if (!phone) issues.push({ level: 'warning', field: 'contact_phone', key: 'imports.issue.contactPhoneInvalid', params: { value: cells.phone }, raw: cells.phone });
  }
  const fn = cells.function.replace(/\s+/g, ' ').trim() || null;

  if (!last) {
    const other = emails[0] ?? fn ?? phone;
    if (other) issues.push({ level: 'warning', field: 'contact_name', key: 'imports.issue.contactNoName', params: { value: other }, raw: other });
    return null;
  }
  return {
    civility,
    first_name: cap(first, NAME_MAX, 'contact_first_name', issues),
    last_name: cap(last, NAME_MAX, 'contact_last_name', issues)!,
    function: cap(fn, FUNCTION_MAX, 'contact_function', issues),
    emails,
    phone,
  };
}
