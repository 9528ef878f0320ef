import { randomBytes } from 'node:crypto';
import type { Role } from '../../db/schema.js';
import { hashPassword, passwordProblem } from '../../kernel/auth/passwords.js';
import { findUserByEmail, insertUser } from '../../kernel/auth/repo.js';
import { recordAudit } from '../../kernel/audit/index.js';
import { newId } from '../../kernel/ids.js';
import { EMAIL_PATTERN } from '../../kernel/validation.js';
import type { AccountsDeps } from './deps.js';

/** A readable generated password: 4 groups of 5 letters and digits (~100 bits). */
export function generatePassword(): string {
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(20);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}

export class CreateUserError extends Error {
  override name = 'CreateUserError';
}

/** Creates an active account directly (CLI, first start, demo seed); returns its password. */
export async function createActiveUser(
  deps: Pick<AccountsDeps, 'db' | 'clock'>,
  input: { email: string; role: Role; displayName?: string; password?: string; source?: string },
): Promise<{ id: string; password: string }> {
  const email = input.email.trim();
  if (!EMAIL_PATTERN.test(email)) throw new CreateUserError(`Adresse email invalide : ${email}`);
  if (await findUserByEmail(deps.db, email)) throw new CreateUserError(`Un compte existe déjà pour ${email}`);
  const password = input.password ?? generatePassword();
  const problem = passwordProblem(password, { email });
  if (problem && input.password) throw new CreateUserError(`Mot de passe refusé (${problem})`);
  const now = deps.clock.now().toISOString();
  const id = newId();
  await insertUser(deps.db, {
    id,
    email,
    email_lower: email.toLowerCase(),
    display_name: input.displayName ?? email.split('@')[0] ?? email,
    role: input.role,
    status: 'active',
    password_hash: await hashPassword(password),
    locale: 'fr',
    source: input.source ?? 'cli',
    created_at: now,
    updated_at: now,
  });
  await recordAudit(deps.db, { id: null, email: null }, {
    action: 'user.created',
    entityType: 'user',
    entityId: id,
    after: { email, role: input.role, source: input.source ?? 'cli' },
  }, deps.clock.now());
  return { id, password };
}
