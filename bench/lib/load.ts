import autocannon from 'autocannon';

/** The load settings shared by every target of a run (the hello-world included). */
export interface LoadSettings {
  connections: number;
  /** Measured run, in seconds. */
  durationSeconds: number;
  /** Discarded run just before the measured one, in seconds (JIT, caches, pools). */
  warmupSeconds: number;
  pipelining: number;
}

export const DEFAULT_LOAD: LoadSettings = { connections: 50, durationSeconds: 10, warmupSeconds: 2, pipelining: 1 };

/** What one autocannon run against one URL measured. */
export interface LoadFigure {
  target: string;
  url: string;
  /** Mean of the per-second request counts (autocannon's `requests.mean`). */
  requestsPerSecond: number;
  latencyMeanMs: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  /** Responses received during the measured run. */
  requests: number;
  /** Socket errors (refused, reset…) plus timeouts. */
  errors: number;
  timeouts: number;
  /** Responses whose status is not 2xx. */
  non2xx: number;
  statusCodes: Record<string, number>;
  bytesPerSecond: number;
}

/** `value ÷ reference`, or null when the reference is zero. */
export function ratio(value: number, reference: number): number | null {
  return reference > 0 ? value / reference : null;
}

/**
 * Loads `url` with autocannon: a warm-up run whose figures are thrown away, then the measured run.
 * Latency percentiles count every response (2xx or not), in milliseconds.
 */
export async function measure(target: string, url: string, settings: LoadSettings): Promise<LoadFigure> {
  const common = { url, connections: settings.connections, pipelining: settings.pipelining, timeout: 10 };
  if (settings.warmupSeconds > 0) await autocannon({ ...common, duration: settings.warmupSeconds });
  const result = await autocannon({ ...common, duration: settings.durationSeconds, title: target });
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, stat]) => [code, stat.count]));
  return {
    target,
    url,
    requestsPerSecond: result.requests.mean,
    latencyMeanMs: result.latency.mean,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    requests: Object.values(statusCodes).reduce((sum, count) => sum + count, 0),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
    bytesPerSecond: result.throughput.mean,
  };
}
