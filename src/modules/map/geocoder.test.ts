import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GeocoderServer } from '../../../test/helpers/geocoder-server.js';
import { DEPARTMENT_CENTRES } from '../../kernel/geo/department-centres.js';
import { listDepartments } from '../../kernel/geo/communes.js';
import { CircuitBreaker, Geocoder, GEOCODER_RATE_PER_SECOND, TokenBucket } from '../../kernel/geo/geocoder.js';

/** The largest number of instants falling in any half-open window of `windowMs`. */
function busiestWindow(instants: number[], windowMs: number): number {
  const sorted = [...instants].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

describe('the geocoder rate limit (50 requests per second per process)', () => {
  test('a burst of 500 requests at one instant is spread so that no second holds more than 50', () => {
    const now = 10_000;
    const bucket = new TokenBucket(GEOCODER_RATE_PER_SECOND, 1, () => now);
    const sentAt = Array.from({ length: 500 }, () => now + bucket.reserve());
    assert.equal(busiestWindow(sentAt, 1000), 50);
    assert.ok(Math.max(...sentAt) - now >= 9900, 'the 500th request waits its turn, about 10 s later');
  });

  test('callers arriving over time, in irregular bursts, never exceed 50 in any second', () => {
    let now = 0;
    const bucket = new TokenBucket(GEOCODER_RATE_PER_SECOND, 1, () => now);
    const sentAt: number[] = [];
    // A deterministic irregular pattern: bursts of 1 to 37 callers, 0 to 900 ms apart.
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let round = 0; round < 200; round++) {
      const burst = 1 + (next() % 37);
      for (let i = 0; i < burst; i++) sentAt.push(now + bucket.reserve());
      now += next() % 900;
    }
    assert.ok(sentAt.length > 2000);
    assert.ok(busiestWindow(sentAt, 1000) <= 50, `busiest second: ${busiestWindow(sentAt, 1000)}`);
  });

  test('an idle limiter lets a lone request go at once', () => {
    let now = 0;
    const bucket = new TokenBucket(GEOCODER_RATE_PER_SECOND, 1, () => now);
    assert.equal(bucket.reserve(), 0);
    now += 5000;
    assert.equal(bucket.reserve(), 0);
  });

  test('the geocoder client waits for its token before each request', async () => {
    const server = await new GeocoderServer([{ contains: 'rue', lat: 44.8, lng: -0.5 }]).start();
    try {
      const now = 0;
      const waits: number[] = [];
      const geocoder = new Geocoder({
        baseUrl: server.url,
        bucket: new TokenBucket(GEOCODER_RATE_PER_SECOND, 1, () => now),
        sleep: async (ms) => {
          waits.push(ms);
        },
      });
      for (let i = 0; i < 5; i++) await geocoder.search({ q: `${i} rue du Port` });
      assert.equal(server.requests.length, 5);
      assert.deepEqual(waits, [20, 40, 60, 80], 'each request after the first waits one more 1/50 s slot');
    } finally {
      await server.close();
    }
  });
});

describe('the geocoder client', () => {
  let server: GeocoderServer;
  before(async () => {
    server = await new GeocoderServer(
      [{ contains: '12 rue sainte-catherine', lat: 44.8411, lng: -0.5735, citycode: '33063' }],
      [{ citycode: '33318', name: 'Pessac', lat: 44.8067, lng: -0.6311 }],
    ).start();
  });
  after(() => server.close());

  test('reads the point, score and type of the first feature, coordinates given as [lon, lat]', async () => {
    const outcome = await new Geocoder({ baseUrl: server.url }).search({ q: '12 rue Sainte-Catherine 33000 Bordeaux', postcode: '33000', citycode: '33063' });
    assert.equal(outcome.status, 'found');
    if (outcome.status !== 'found') return;
    assert.equal(outcome.hit.lat, 44.8411);
    assert.equal(outcome.hit.lng, -0.5735);
    assert.equal(outcome.hit.type, 'housenumber');
    const sent = server.requests.at(-1)!;
    assert.equal(sent.pathname, '/search');
    assert.equal(sent.searchParams.get('limit'), '1');
    assert.equal(sent.searchParams.get('citycode'), '33063');
  });

  test('no feature is "not found"; a 5xx, a dropped connection or a closed port is "unreachable", never an exception', async () => {
    const geocoder = new Geocoder({ baseUrl: server.url });
    assert.equal((await geocoder.search({ q: 'adresse inconnue' })).status, 'not-found');
    server.failWith = 503;
    assert.equal((await geocoder.search({ q: '12 rue Sainte-Catherine' })).status, 'unreachable');
    server.failWith = 'reset';
    assert.equal((await geocoder.search({ q: '12 rue Sainte-Catherine' })).status, 'unreachable');
    server.failWith = null;
    const closed = new Geocoder({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 2000 });
    assert.equal((await closed.search({ q: '12 rue Sainte-Catherine' })).status, 'unreachable');
  });

  test('after five failures in a row it stops asking for 30 s, then probes; each new failure doubles the wait, up to an hour', async () => {
    let now = 1_000_000;
    const geocoder = new Geocoder({ baseUrl: server.url, now: () => now });
    const asked = () => server.requests.length;
    const until = () => geocoder.unavailableUntil;
    const start = asked();
    server.failWith = 503;
    try {
      for (let i = 0; i < 4; i++) await geocoder.search({ q: '12 rue Sainte-Catherine' });
      assert.equal(until(), null, 'four failures: still asked');
      await geocoder.search({ q: '12 rue Sainte-Catherine' });
      assert.equal(until()?.getTime(), now + 30_000);
      const refused = await geocoder.search({ q: '12 rue Sainte-Catherine' });
      assert.equal(refused.status, 'unreachable');
      assert.equal(asked() - start, 5, 'not asked while open');

      now += 30_000;
      await geocoder.search({ q: '12 rue Sainte-Catherine' });
      assert.equal(asked() - start, 6, 'one probe after the wait');
      assert.equal(until()?.getTime(), now + 60_000, 'the probe failed: twice as long');
      for (let opening = 0; opening < 10; opening++) {
        now = until()!.getTime();
        await geocoder.search({ q: '12 rue Sainte-Catherine' });
      }
      assert.equal(until()!.getTime() - now, 3_600_000, 'never more than an hour');

      server.failWith = null;
      now = until()!.getTime();
      assert.equal((await geocoder.search({ q: '12 rue Sainte-Catherine' })).status, 'found');
      assert.equal(until(), null);
      server.failWith = 503;
      for (let i = 0; i < 4; i++) await geocoder.search({ q: '12 rue Sainte-Catherine' });
      assert.equal(until(), null, 'an answer starts the count again');
    } finally {
      server.failWith = null;
    }
  });

  test('requests under way when it opens do not count again, and the probe goes alone', () => {
    let now = 0;
    const breaker = new CircuitBreaker(() => now);
    const sentBefore = breaker.acquire()!;
    for (let i = 0; i < 5; i++) breaker.failed(breaker.acquire()!);
    assert.equal(breaker.openUntil?.getTime(), 30_000);
    breaker.failed(sentBefore);
    assert.equal(breaker.openUntil?.getTime(), 30_000, 'not made longer by a request sent before it opened');

    now = 30_000;
    const probe = breaker.acquire();
    assert.deepEqual(probe, { probe: true });
    assert.equal(breaker.acquire(), null, 'the others wait for the probe');
    assert.equal(breaker.openUntil?.getTime(), 31_000, '… a second at a time');
    breaker.failed(probe!);
    assert.equal(breaker.openUntil?.getTime(), 90_000, 'the probe failed: twice as long');

    now = 90_000;
    const second = breaker.acquire()!;
    assert.equal(second.probe, true);
    breaker.succeeded();
    assert.deepEqual(breaker.acquire(), { probe: false }, 'the probe answered: closed');
    assert.equal(breaker.openUntil, null);
  });

  test('a "not found" is an answer: it never opens the breaker', async () => {
    const breaker = new CircuitBreaker(() => 0);
    for (let i = 0; i < 4; i++) breaker.failed(breaker.acquire()!);
    breaker.succeeded();
    for (let i = 0; i < 4; i++) breaker.failed(breaker.acquire()!);
    assert.equal(breaker.openUntil, null);
    const geocoder = new Geocoder({ baseUrl: server.url, now: () => 0 });
    for (let i = 0; i < 8; i++) assert.equal((await geocoder.search({ q: 'adresse inconnue' })).status, 'not-found');
    assert.equal(geocoder.unavailableUntil, null);
  });

  test('an empty GEOCODER_URL disables every call', async () => {
    const before = server.requests.length;
    const outcome = await new Geocoder({ baseUrl: null }).search({ q: '12 rue Sainte-Catherine' });
    assert.equal(outcome.status, 'disabled');
    assert.equal(server.requests.length, before);
  });
});

describe('the département centres', () => {
  test('every one of the 101 départements has its chef-lieu, in France or overseas', () => {
    const departments = listDepartments().filter((d) => !['975', '977', '978', '984', '986', '987', '988', '989'].includes(d.code));
    assert.equal(departments.length, 101);
    for (const d of departments) {
      const centre = DEPARTMENT_CENTRES[d.code];
      assert.ok(centre, `${d.code} ${d.name} has a centre`);
      assert.equal(centre.chefLieu, d.chefLieu, `${d.code}: the chef-lieu of decoupage-administratif`);
    }
  });

  test('a few préfectures sit where they should', () => {
    const near = (code: string, lat: number, lng: number) => {
      const c = DEPARTMENT_CENTRES[code]!;
      assert.ok(Math.abs(c.lat - lat) < 0.05 && Math.abs(c.lng - lng) < 0.05, `${code} ${c.name}: ${c.lat},${c.lng}`);
    };
    near('33', 44.84, -0.58); // Bordeaux
    near('75', 48.86, 2.35); // Paris
    near('2A', 41.92, 8.74); // Ajaccio
    near('974', -20.88, 55.45); // Saint-Denis de La Réunion
    near('973', 4.94, -52.33); // Cayenne
  });
});
