import {
  freePort,
  makeTempDir,
  readMemory,
  runToCompletion,
  spawnTracked,
  stopProcess,
  type Tracked,
  waitForStatus,
} from './processes.js';

/** Configuration variables read by src/config.ts: never inherited from the shell running the bench. */
const APP_VARIABLES = [
  'NODE_ENV',
  'PORT',
  'HOST',
  'BASE_URL',
  'DATA_DIR',
  'DATABASE_URL',
  'SESSION_SECRET',
  'SMTP_URL',
  'MAIL_FROM',
  'TILE_URL',
  'GEOCODER_URL',
  'FETCH_ALLOWLIST',
  'LOG_LEVEL',
  'JOBS',
  'ADMIN_EMAIL',
  'TRUST_PROXY',
];

/** The app's command line: plain `node --import tsx`, so the child's pid is the server itself. */
const CLI = ['--import', 'tsx', 'src/cli.ts'];

export interface AppOptions {
  dataDir: string;
  /** Extra variables (e.g. DATABASE_URL for a PostgreSQL scenario). */
  env?: Record<string, string>;
}

export interface AppProcess {
  /** http://127.0.0.1:<port>, no trailing slash. */
  url: string;
  pid: number;
  /** Spawn → first 200 on /healthz, in milliseconds. */
  startupMs: number;
  memory(): { rssBytes: number; peakRssBytes: number } | null;
  stop(): Promise<void>;
}

function appEnv(dataDir: string, port: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of APP_VARIABLES) delete env[name];
  return {
    ...env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    BASE_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: dataDir,
    JOBS: 'off',
    ...extra,
  };
}

/** A fresh DATA_DIR (removed at the end of the run) with the database migrated. */
export async function prepareDataDir(env: Record<string, string> = {}): Promise<string> {
  const dataDir = makeTempDir('maillage-bench-');
  await runToCompletion(process.execPath, [...CLI, 'migrate'], { env: appEnv(dataDir, 0, env) });
  return dataDir;
}

/** Runs a maillage command (seed, user:create…) against a bench DATA_DIR; returns its output. */
export function runCli(args: string[], options: AppOptions): Promise<string> {
  return runToCompletion(process.execPath, [...CLI, ...args], { env: appEnv(options.dataDir, 0, options.env) });
}

/**
 * Starts `maillage serve` in its own process (production mode, jobs off, listening on 127.0.0.1
 * only) and resolves once /healthz answers 200.
 */
export async function startApp(options: AppOptions): Promise<AppProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const tracked: Tracked = spawnTracked(process.execPath, [...CLI, 'serve'], {
    env: appEnv(options.dataDir, port, options.env),
  });
  try {
    const ready = await waitForStatus(`${url}/healthz`, tracked);
    return {
      url,
      pid: tracked.pid,
      startupMs: ready - started,
      memory: () => readMemory(tracked.pid),
      stop: () => stopProcess(tracked),
    };
  } catch (error) {
    await stopProcess(tracked);
    throw error;
  }
}
