import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Clock } from '../../src/kernel/clock.js';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { Client, TEST_PASSWORD, type TestApp, testApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/db.js';

/** Real time plus an offset the tests move forward. */
class MovableClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}

const WRONG = 'pas le bon mot de passe du tout';
const NEW_PASSWORD = 'une loutre nage dans la Garonne';

forEachDialect('sign-in limits', (dialect) => {
  let t: TestApp;
  const clock = new MovableClock();
  let people = 0;
  let addresses = 0;

  before(async () => {
    t = await testApp(dialect, { clock });
  });
  after(() => t.close());

  /** A browser-like client whose requests come from the given IP address. */
  function clientFrom(ip: string): Client {
    const app = { inject: (options: InjectOptions) => t.app.inject({ ...options, remoteAddress: ip }) };
    return new Client(app as unknown as FastifyInstance);
  }

  /** A new IP address for each call, so tests do not share per-IP counters. */
  function newIp(): string {
    addresses++;
    return `198.51.100.${addresses}`;
  }

  async function newMember(): Promise<string> {
    people++;
    const email = `limite${people}@example.org`;
    await createActiveUser(t.kernel, { email, role: 'member', password: TEST_PASSWORD, displayName: `Limite ${people}` });
    return email;
  }

  async function signIn(ip: string, email: string, password: string) {
    return clientFrom(ip).post('/connexion', { email, password });
  }

  async function fail(ip: string, email: string, times: number): Promise<void> {
    for (let i = 0; i < times; i++) {
      const res = await signIn(ip, email, WRONG);
      assert.equal(res.statusCode, 401, `failure ${i + 1} is an ordinary wrong password`);
    }
  }

  function assertLocked(res: { statusCode: number; body: string }): void {
    assert.equal(res.statusCode, 429);
    assert.match(res.body, /Trop de tentatives de connexion/);
    assert.match(res.body, /Mot de passe oublié/);
  }

  test('after five wrong passwords from one IP, the sixth attempt is refused in French even with the right password', async () => {
    const email = await newMember();
    const ip = newIp();
    await fail(ip, email, 5);
    const res = await signIn(ip, email, TEST_PASSWORD);
    assertLocked(res);
    assert.match(res.body, /Réessayez dans 15 minute/);
    assert.match(res.body, new RegExp(`value="${email}"`), 'the typed email is kept');
  });

  test('forty wrong passwords sent at once get only five password checks, the rest are refused', async () => {
    const email = await newMember();
    const browser = clientFrom(newIp());
    await browser.csrf();
    const answers = await Promise.all(Array.from({ length: 40 }, () => browser.post('/connexion', { email, password: WRONG })));
    const statuses: Record<number, number> = {};
    for (const res of answers) statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
    assert.deepEqual(statuses, { 401: 5, 429: 35 });
  });

  test('an unknown address is locked the same way, so the limit does not reveal which accounts exist', async () => {
    const ip = newIp();
    await fail(ip, 'personne-ici@example.org', 5);
    assertLocked(await signIn(ip, 'personne-ici@example.org', WRONG));
  });

  test('an account locked from one IP still signs in from another IP', async () => {
    const email = await newMember();
    const ip = newIp();
    await fail(ip, email, 5);
    assertLocked(await signIn(ip, email, TEST_PASSWORD));
    const elsewhere = await signIn(newIp(), email, TEST_PASSWORD);
    assert.equal(elsewhere.statusCode, 303);
  });

  test('a successful sign-in starts the count again', async () => {
    const email = await newMember();
    const ip = newIp();
    await fail(ip, email, 4);
    assert.equal((await signIn(ip, email, TEST_PASSWORD)).statusCode, 303);
    await fail(ip, email, 4);
    assert.equal((await signIn(ip, email, TEST_PASSWORD)).statusCode, 303);
  });

  test('the lock ends after 15 minutes, however many attempts were made meanwhile', async () => {
    const email = await newMember();
    const ip = newIp();
    await fail(ip, email, 5);
    clock.advance(14 * 60);
    assertLocked(await signIn(ip, email, TEST_PASSWORD));
    assertLocked(await signIn(ip, email, WRONG));
    clock.advance(60);
    const res = await signIn(ip, email, TEST_PASSWORD);
    assert.equal(res.statusCode, 303);
  });

  test('a password reset through the emailed link lifts the lock on the account', async () => {
    const email = await newMember();
    const ip = newIp();
    await fail(ip, email, 5);
    assertLocked(await signIn(ip, email, TEST_PASSWORD));

    const browser = clientFrom(ip);
    const count = t.smtp.messages.length;
    assert.equal((await browser.post('/mot-de-passe-oublie', { email })).statusCode, 200);
    await t.smtp.waitFor(count + 1);
    const mail = t.smtp.lastTo(email);
    assert.ok(mail, 'a reset mail');
    const link = new URL(t.smtp.linkIn(mail, /http:\/\/localhost:3000\/reinitialiser\/[A-Za-z0-9_-]+/)).pathname;
    assert.equal((await browser.get(link)).statusCode, 200);
    const reset = await browser.post(link, { password: NEW_PASSWORD, password_confirm: NEW_PASSWORD });
    assert.equal(reset.statusCode, 303);

    const res = await signIn(ip, email, NEW_PASSWORD);
    assert.equal(res.statusCode, 303);
  });

  test('thirty failures over different accounts lock that IP, for every account, but not other IPs', async () => {
    const email = await newMember();
    const ip = newIp();
    for (let i = 0; i < 30; i++) {
      const res = await signIn(ip, `inconnu${i}@example.org`, WRONG);
      assert.equal(res.statusCode, 401, `failure ${i + 1}`);
    }
    assertLocked(await signIn(ip, email, TEST_PASSWORD));
    assert.equal((await signIn(newIp(), email, TEST_PASSWORD)).statusCode, 303);
  });

  test('successful sign-ins from an address shared by many people never count toward its limit', async () => {
    const email = await newMember();
    const ip = newIp();
    for (let i = 0; i < 25; i++) assert.equal((await signIn(ip, `inconnu-bureau${i}@example.org`, WRONG)).statusCode, 401);
    for (let i = 0; i < 10; i++) assert.equal((await signIn(ip, email, TEST_PASSWORD)).statusCode, 303, `sign-in ${i + 1}`);
    for (let i = 25; i < 30; i++) assert.equal((await signIn(ip, `inconnu-bureau${i}@example.org`, WRONG)).statusCode, 401);
    assertLocked(await signIn(ip, email, TEST_PASSWORD));
  });

  test('twenty failures from many IPs lock the account everywhere until its owner resets the password', async () => {
    const email = await newMember();
    for (let i = 0; i < 5; i++) await fail(newIp(), email, 4);
    assertLocked(await signIn(newIp(), email, TEST_PASSWORD));

    const count = t.smtp.messages.length;
    await clientFrom(newIp()).post('/mot-de-passe-oublie', { email });
    await t.smtp.waitFor(count + 1);
    const mail = t.smtp.lastTo(email);
    assert.ok(mail);
    const link = new URL(t.smtp.linkIn(mail, /http:\/\/localhost:3000\/reinitialiser\/[A-Za-z0-9_-]+/)).pathname;
    const browser = clientFrom(newIp());
    await browser.get(link);
    assert.equal((await browser.post(link, { password: NEW_PASSWORD, password_confirm: NEW_PASSWORD })).statusCode, 303);
    assert.equal((await signIn(newIp(), email, NEW_PASSWORD)).statusCode, 303);
  });
});
