import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import type { MessageKey } from '../i18n/index.js';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** French favourites the international list lacks. */
const FRENCH_COMMON = [
  'azerty', 'azertyuiop', 'motdepasse', 'bonjour', 'soleil', 'chocolat', 'doudou', 'loulou',
  'coucou', 'jetaime', 'marseille', 'toulouse', 'bordeaux', 'poitiers', 'limoges', 'nouvelleaquitaine',
  'france', 'liberte', 'cooperation', 'solidarite', 'association', 'maillage', 'administrateur',
];

let common: Set<string> | null = null;

function commonPasswords(): Set<string> {
  common ??= new Set([...(dictionary['passwords-common'] as string[]), ...FRENCH_COMMON]);
  return common;
}

function normalise(password: string): string {
  return password.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Returns the catalogue key of the reason a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, context: { email?: string } = {}): MessageKey | null {
  // Characters as people count them: "é" typed as e + accent, or an emoji, is one character.
  const length = [...password.normalize('NFC')].length;
  if (length < MIN_PASSWORD_LENGTH) return 'password.tooShort';
  if (length > MAX_PASSWORD_LENGTH) return 'password.tooLong';
  const lower = normalise(password);
  const list = commonPasswords();
  // "Motdepasse2024!" is "motdepasse" with a suffix: strip what people append.
  const stem = lower.replace(/[\d\W_]+$/u, '').replace(/^[\d\W_]+/u, '');
  if (list.has(lower) || (stem.length > 0 && list.has(stem)) || new Set(lower).size <= 2) return 'password.common';
  if (/^\d+$/.test(lower) || isSequence(lower)) return 'password.common';
  // "soleil-soleil", "abcabcabcabc": a short or common unit repeated is as weak as the unit.
  const compact = lower.replace(/[\W_]+/gu, '');
  const unit = /^(.+?)\1+$/u.exec(compact)?.[1];
  if (list.has(compact) || (unit !== undefined && (unit.length <= 4 || list.has(unit)))) return 'password.common';
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return 'password.containsEmail';
  return null;
}

function isSequence(value: string): boolean {
  const rows = ['abcdefghijklmnopqrstuvwxyz', 'azertyuiopqsdfghjklmwxcvbn', 'qwertyuiopasdfghjklzxcvbnm', '01234567890'];
  return rows.some((row) => row.includes(value) || row.split('').reverse().join('').includes(value));
}

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the account does not exist, so timing does not reveal it. */
let dummyHash: Promise<string> | null = null;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hash('not-a-real-password-just-for-timing');
  return dummyHash;
}
