import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A spawned process with the tail of its output kept for error messages. */
export interface Tracked {
  child: ChildProcess;
  pid: number;
  /** Last lines written on stdout and stderr. */
  output(): string;
  /** Resolves with the exit code (or the signal name) once the process has ended. */
  exited: Promise<number | string>;
}

const running = new Set<ChildProcess>();
const tempDirs = new Set<string>();
const OUTPUT_LIMIT = 64 * 1024;

/**
 * Spawns a process that the harness will kill at the end, even when a scenario throws or the
 * user presses Ctrl-C. Its output is captured (never inherited) so the table stays readable.
 */
export function spawnTracked(command: string, args: string[], options: SpawnOptions = {}): Tracked {
  const child = spawn(command, args, { cwd: repoRoot, ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`could not spawn ${command} ${args.join(' ')}`);
  running.add(child);
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
    child.once('error', (error) => {
      running.delete(child);
      tail += `\n${error.message}`;
      resolve('error');
    });
  });
  return { child, pid: child.pid, output: () => tail, exited };
}

/** Runs a command to completion; throws with its output when it does not exit with 0. */
export async function runToCompletion(command: string, args: string[], options: SpawnOptions = {}): Promise<string> {
  const tracked = spawnTracked(command, args, options);
  const code = await tracked.exited;
  if (code !== 0) throw new Error(`${path.basename(command)} ${args.join(' ')} exited with ${code}:\n${tracked.output()}`);
  return tracked.output();
}

/** SIGTERM, then SIGKILL if the process is still there after `graceMs`. */
export async function stopProcess(tracked: Tracked, graceMs = 5000): Promise<void> {
  const { child } = tracked;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await tracked.exited;
  clearTimeout(timer);
}

/** A temporary directory removed at the end of the run. */
export function makeTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), prefix));
  tempDirs.add(dir);
  return dir;
}

/** Kills every process still running and removes the temporary directories. */
export async function cleanupAll(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 3000).unref();
        }),
    ),
  );
  removeTempDirs();
}

function removeTempDirs(): void {
  for (const dir of tempDirs) {
    fs.rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  }
}

let installed = false;

/** Last line of defence: whatever happens to the harness, its children do not survive it. */
export function installCleanupHandlers(): void {
  if (installed) return;
  installed = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
    removeTempDirs();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal} received: stopping the processes started by the benchmark…`);
      void cleanupAll().finally(() => process.exit(130));
    });
  }
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Polls `url` until it answers `status`; rejects if the process ends first or after `timeoutMs`.
 * Returns the moment (performance.now()) the first good answer arrived.
 */
export async function waitForStatus(
  url: string,
  tracked: Tracked,
  { status = 200, timeoutMs = 60_000, intervalMs = 10 } = {},
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let ended = false;
  void tracked.exited.then(() => (ended = true));
  while (performance.now() < deadline) {
    if (ended) throw new Error(`process ${tracked.pid} ended before ${url} answered:\n${tracked.output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === status) return performance.now();
    } catch {
      /* not listening yet */
    }
    await sleep(intervalMs);
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms:\n${tracked.output()}`);
}

/** Resident memory of a process in bytes, from /proc/<pid>/status (Linux only; null elsewhere). */
export function readMemory(pid: number): { rssBytes: number; peakRssBytes: number } | null {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kib = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : NaN;
  };
  return { rssBytes: kib('VmRSS'), peakRssBytes: kib('VmHWM') };
}

/** Waits for `tracked` to exit, sampling its peak resident memory every 100 ms; throws when it fails. */
export async function exitedWithPeakRss(tracked: Tracked, what: string): Promise<number> {
  let peak = 0;
  const timer = setInterval(() => {
    const read = readMemory(tracked.pid)?.peakRssBytes;
    if (read !== undefined && Number.isFinite(read)) peak = Math.max(peak, read);
  }, 100);
  const code = await tracked.exited;
  clearInterval(timer);
  if (code !== 0) throw new Error(`${what} exited with ${code}: ${tracked.output()}`);
  return peak;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
