/**
 * Client of the national geocoder (Géoplateforme "geocodage" API, formerly api-adresse):
 * `GET {base}/search?q=…&postcode=…&citycode=…&type=…&limit=1` → GeoJSON FeatureCollection whose
 * features carry `geometry.coordinates` [lon, lat] and `properties.score|type|citycode`.
 *
 * The service caps each client at 50 requests/s: every request of the process first takes a
 * token from one shared bucket. Errors never throw: the caller gets `unreachable` (network,
 * timeout, 429, 5xx: worth retrying later) or `not-found` (no result, 4xx: retrying will not help).
 */

export const GEOCODER_RATE_PER_SECOND = 50;

/**
 * A token bucket that hands out reservations: each caller learns how long to wait for its slot,
 * so concurrent callers queue instead of racing. With a capacity of one token and `rate` tokens a
 * second, no window of one second ever holds more than `rate` requests.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity = 1,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  /** Takes a token, possibly in the future: returns how many milliseconds to wait before using it. */
  reserve(): number {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) * this.ratePerSecond) / 1000);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.ratePerSecond;
  }
}

/**
 * Stops calling a service that keeps failing: after `threshold` unreachable answers in a row it
 * opens for a cooldown (30 s, doubled at each new opening up to an hour), during which callers
 * are told at once that the service is unreachable. The first request after the cooldown probes
 * it, alone: one more failure opens it again, any answer closes it. Failures of requests that
 * were already under way when it opened do not count again.
 */
export class CircuitBreaker {
  private failures = 0;
  private openings = 0;
  private openUntilMs = 0;
  private probing = false;

  constructor(
    private readonly now: () => number = () => Date.now(),
    private readonly threshold = 5,
    private readonly baseCooldownMs = 30_000,
    private readonly maxCooldownMs = 3_600_000,
    /** How long callers are told to wait while the probe is under way. */
    private readonly probeWaitMs = 1_000,
  ) {}

  /** When requests may go again, while the breaker is open or its probe under way; null when they may go now. */
  get openUntil(): Date | null {
    const now = this.now();
    if (now < this.openUntilMs) return new Date(this.openUntilMs);
    return this.probing ? new Date(now + this.probeWaitMs) : null;
  }

  /** Whether a request may go now (null: not), and whether it is the probe after a cooldown. */
  acquire(): { probe: boolean } | null {
    if (this.openUntil) return null;
    this.probing = this.openings > 0;
    return { probe: this.probing };
  }

  succeeded(): void {
    this.failures = 0;
    this.openings = 0;
    this.openUntilMs = 0;
    this.probing = false;
  }

  failed(request: { probe: boolean }): void {
    if (request.probe) this.probing = false;
    else if (this.openings > 0) return;
    if (++this.failures < this.threshold) return;
    this.openUntilMs = this.now() + Math.min(this.baseCooldownMs * 2 ** this.openings, this.maxCooldownMs);
    this.openings++;
    // The probe after the cooldown is the last chance: it fails, the breaker opens again.
    this.failures = this.threshold - 1;
  }
}

/** One bucket per process: every geocoder client in it shares the 50 requests/s. */
const processBucket = new TokenBucket(GEOCODER_RATE_PER_SECOND);

export interface GeocodeQuery {
  q: string;
  postcode?: string | null;
  citycode?: string | null;
  /** Restricts the result type, e.g. 'municipality' for a commune's centre. */
  type?: 'housenumber' | 'street' | 'locality' | 'municipality';
}

export interface GeocodeHit {
  lat: number;
  lng: number;
  score: number;
  type: string;
  citycode: string | null;
  label: string | null;
}

export type GeocodeOutcome =
  | { status: 'found'; hit: GeocodeHit }
  | { status: 'not-found' }
  | { status: 'unreachable'; reason: string }
  | { status: 'disabled' };

export interface GeocoderOptions {
  /** Base URL (`GEOCODER_URL`); null disables every call. */
  baseUrl: string | null;
  timeoutMs?: number;
  bucket?: TokenBucket;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds since the epoch, for the circuit breaker (Date.now). */
  now?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Geocoder {
  private readonly timeoutMs: number;
  private readonly bucket: TokenBucket;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly breaker: CircuitBreaker;

  constructor(private readonly options: GeocoderOptions) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.breaker = new CircuitBreaker(options.now);
    this.bucket = options.bucket ?? processBucket;
    this.fetchImpl = options.fetch ?? fetch;
    this.sleep = options.sleep ?? defaultSleep;
  }

  get enabled(): boolean {
    return this.options.baseUrl !== null;
  }

  /** While the service is taken as down after failing again and again: when it will be tried again. */
  get unavailableUntil(): Date | null {
    return this.breaker.openUntil;
  }

  async search(query: GeocodeQuery): Promise<GeocodeOutcome> {
    if (this.options.baseUrl === null) return { status: 'disabled' };
    const q = query.q.trim().slice(0, 200);
    // The service refuses queries under 3 characters.
    if (q.length < 3) return { status: 'not-found' };
    const request = this.breaker.acquire();
    if (!request) return { status: 'unreachable', reason: `not asked before ${this.breaker.openUntil?.toISOString() ?? 'now'}, after failing again and again` };
    const outcome = await this.request(this.options.baseUrl, { ...query, q });
    if (outcome.status === 'unreachable') this.breaker.failed(request);
    else this.breaker.succeeded();
    return outcome;
  }

  private async request(baseUrl: string, query: GeocodeQuery): Promise<GeocodeOutcome> {
    const url = new URL(`${baseUrl.replace(/\/+$/, '')}/search`);
    url.searchParams.set('q', query.q);
    if (query.postcode) url.searchParams.set('postcode', query.postcode);
    if (query.citycode) url.searchParams.set('citycode', query.citycode);
    if (query.type) url.searchParams.set('type', query.type);
    url.searchParams.set('limit', '1');

    const wait = this.bucket.reserve();
    if (wait > 0) await this.sleep(wait);

    let response: Response;
    try {
      response = await this.fetchImpl(url, { signal: AbortSignal.timeout(this.timeoutMs), headers: { accept: 'application/json' } });
    } catch (error) {
      return { status: 'unreachable', reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
    if (response.status === 429 || response.status >= 500) {
      await response.body?.cancel().catch(() => undefined);
      return { status: 'unreachable', reason: `HTTP ${response.status}` };
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      return { status: 'not-found' };
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      return { status: 'unreachable', reason: `invalid JSON: ${String(error)}` };
    }
    const hit = firstHit(body);
    return hit ? { status: 'found', hit } : { status: 'not-found' };
  }
}

function firstHit(body: unknown): GeocodeHit | null {
  const features = (body as { features?: unknown })?.features;
  if (!Array.isArray(features) || features.length === 0) return null;
  const feature = features[0] as { geometry?: { coordinates?: unknown }; properties?: Record<string, unknown> };
  const coordinates = feature.geometry?.coordinates;
  if (!Array.isArray(coordinates) || coordinates.length < 2) return null;
  const [lng, lat] = coordinates.map(Number) as [number, number];
  if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
  const p = feature.properties ?? {};
  return {
    lat,
    lng,
    score: Number(p['score'] ?? 0) || 0,
    type: String(p['type'] ?? ''),
    citycode: typeof p['citycode'] === 'string' ? p['citycode'] : null,
    label: typeof p['label'] === 'string' ? p['label'] : null,
  };
}
