import { luhnValid } from '../../kernel/identifiers.js';
import { foldText } from '../../kernel/search/normalise.js';
import { emailDomain, emailKey, phoneKey, websiteHost } from './normalise-contact.js';
import { communeTokens, type NormalisedName, nameInitials, nameIsAcronym, normaliseAcronym, normaliseName } from './normalise-name.js';
import { withoutCommuneWords } from './name-similarity.js';
import type { DedupeRecord } from './record.js';
import { WordPool } from './word-pool.js';

/** A record with every comparable feature computed once. */
export interface PreparedRecord {
  record: DedupeRecord;
  name: NormalisedName;
  /** The acronym field, or the name itself when it is only an acronym. */
  acronym: string | null;
  nameIsAcronym: boolean;
  initials: { significant: string; all: string };
  siren: string | null;
  sirenValid: boolean;
  siret: string | null;
  rna: string | null;
  inseeCode: string | null;
  email: string | null;
  emailDomain: string | null;
  websiteHost: string | null;
  phone: string | null;
  /** Commune code, or else postcode + folded commune name. */
  commune: { code: string | null; name: string | null; postcode: string | null; department: string | null };
  /** The words of the commune's name, as they would appear in the organisation's name. */
  communeWords: string[];
  /** The name's tokens without the commune's words: what tells it from its neighbours. */
  localTokens: string[];
  kind: string | null;
}

function communeName(name: string | null): string | null {
  if (!name) return null;
  const folded = foldText(name)
    .replace(/\bst(e?)\b/g, 'saint$1')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  return folded || null;
}

/** The record's own value when the normalised one equals it: one string instead of two. */
function sameOr(value: string | null, normalised: string | null): string | null {
  return normalised !== null && normalised === value ? value : normalised;
}

export function prepareRecord(record: DedupeRecord, pool: WordPool = new WordPool()): PreparedRecord {
  const asAcronym = nameIsAcronym(record.name);
  const normalised = normaliseName(record.name);
  const name = {
    tokens: pool.list(normalised.tokens),
    words: pool.list(normalised.words),
    rawWords: pool.list(normalised.rawWords),
    compact: normalised.compact,
    raw: normalised.raw,
  };
  const communeWords = pool.list(communeTokens(record.communeName));
  const siren = record.siren && /^\d{9}$/.test(record.siren) ? record.siren : null;
  const domain = emailDomain(record.email);
  const host = websiteHost(record.website);
  return {
    record,
    name,
    acronym: normaliseAcronym(record.acronym) ?? asAcronym,
    nameIsAcronym: asAcronym !== null,
    initials: nameInitials(record.name),
    siren,
    sirenValid: siren !== null && luhnValid(siren),
    siret: record.siret && /^\d{14}$/.test(record.siret) ? record.siret : null,
    rna: record.rna ? record.rna.replace(/\s/g, '').toUpperCase() : null,
    inseeCode: record.inseeCode?.trim().toUpperCase() || null,
    email: sameOr(record.email, emailKey(record.email)),
    emailDomain: domain,
    websiteHost: host === domain ? domain : host,
    phone: sameOr(record.phone, phoneKey(record.phone)),
    commune: {
      code: record.communeCode,
      name: record.communeName ? pool.word(communeName(record.communeName) ?? '') || null : null,
      postcode: record.postcode,
      department: record.departmentCode,
    },
    communeWords,
    localTokens: communeWords.length ? withoutCommuneWords(name.tokens, communeWords) : name.tokens,
    kind: record.kindCode,
  };
}
