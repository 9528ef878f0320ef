import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dummyPasswordHash, hashPassword, passwordProblem, verifyPassword } from './passwords.js';

describe('password policy', () => {
  test('a passphrase of 12 characters or more is accepted', () => {
    assert.equal(passwordProblem('correct horse battery staple 42'), null);
    assert.equal(passwordProblem('vélo rouge 7'), null, 'exactly 12 characters');
  });

  test('fewer than 12 characters is refused, counting characters as people see them', () => {
    assert.equal(passwordProblem('court-9Zx!q'), 'password.tooShort');
    assert.equal(passwordProblem(''), 'password.tooShort');
    // Eleven letters typed with combining accents are still eleven characters.
    assert.equal(passwordProblem('étéàçèùôîëa'.normalize('NFD')), 'password.tooShort');
    assert.equal(passwordProblem('🌍🌍🌍🌍🌍🌍'), 'password.tooShort', 'six emoji are six characters');
  });

  test('more than 256 characters is refused', () => {
    assert.equal(passwordProblem('une phrase '.repeat(30)), 'password.tooLong');
  });

  test('common passwords are refused, with the digits and symbols people append', () => {
    for (const common of ['motdepasse123', 'Motdepasse2024!', 'password1234', 'azertyuiop123', 'Liberté2024!!', 'soleil-soleil', '123456789012', 'aaaaaaaaaaaaaa', 'abababababab', 'abcdefghijklmn', 'qsdfghjklmwx']) {
      assert.equal(passwordProblem(common), 'password.common', common);
    }
  });

  test('a password containing the local part of the email is refused', () => {
    assert.equal(passwordProblem('awa.diallo-2026-ok', { email: 'Awa.Diallo@example.org' }), 'password.containsEmail');
    assert.equal(passwordProblem('une girafe boit du thé', { email: 'awa.diallo@example.org' }), null);
  });
});

describe('password hashing', () => {
  test('a hash is Argon2id, salted, and verifies only the right password', async () => {
    const [first, second] = [await hashPassword('une girafe boit du thé'), await hashPassword('une girafe boit du thé')];
    assert.match(first, /^\$argon2id\$/);
    assert.notEqual(first, second, 'salted');
    assert.equal(await verifyPassword(first, 'une girafe boit du thé'), true);
    assert.equal(await verifyPassword(first, 'une girafe boit du the'), false);
  });

  test('an account without a hash, or with a damaged one, never verifies', async () => {
    assert.equal(await verifyPassword(null, 'anything at all'), false);
    assert.equal(await verifyPassword('not-a-hash', 'anything at all'), false);
    assert.equal(await verifyPassword(await dummyPasswordHash(), ''), false);
  });
});
