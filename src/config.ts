import path from 'node:path';

/** The one validated configuration object. Nothing else reads process.env. */
export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  baseUrl: string;
  dataDir: string;
  databaseUrl: string;
  /** Absent: generated once and kept in DATA_DIR (see kernel/secrets.ts). */
  sessionSecret: string | null;
  smtpUrl: string | null;
  mailFrom: string;
  tileUrl: string;
  geocoderUrl: string | null;
  fetchAllowlist: string[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  jobs: boolean;
  adminEmail: string;
  /** Behind a reverse proxy: trust X-Forwarded-* (client IP for login limits, protocol). */
  trustProxy: boolean;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    expected: string,
  ) {
    // One line, whatever the value quoted in it.
    super(`Configuration invalide : ${variable} ${expected}`.replace(/[^\S\u00a0\u202f]+/g, ' '));
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** `adresse@domaine` or `Nom <adresse@domaine>` (the default sender's domain may be localhost). */
const MAIL_FROM = /^(?:[^<>@]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/;
/** A host, host:port, [IPv6]:port, or a CIDR range. */
const ALLOW_ENTRY = /^(?:[A-Za-z0-9.-]+(?::\d{1,5})?|\[[0-9A-Fa-f:]+\](?::\d{1,5})?|[0-9A-Fa-f:.]+\/\d{1,3})$/;

function value(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  return trimmed === '' ? undefined : trimmed;
}

function parsePort(env: Env): number {
  const raw = value(env, 'PORT');
  if (raw === undefined) return 3000;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError('PORT', 'doit être un entier entre 0 et 65535 (must be an integer 0–65535)');
  }
  return port;
}

function parseUrl(env: Env, name: string, protocols: string[], fallback: string): string;
function parseUrl(env: Env, name: string, protocols: string[], fallback: null): string | null;
function parseUrl(env: Env, name: string, protocols: string[], fallback: string | null): string | null {
  const raw = value(env, name);
  if (raw === undefined) return fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `doit être une URL (${protocols.join(', ')}) — must be a URL`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `doit commencer par ${protocols.join(' ou ')} — must use ${protocols.join('/')}`);
  }
  return raw;
}

function parseDatabaseUrl(env: Env, dataDir: string): string {
  const raw = value(env, 'DATABASE_URL');
  if (raw === undefined) return `sqlite:${path.join(dataDir, 'maillage.db')}`;
  if (raw.startsWith('sqlite:') && raw.length > 'sqlite:'.length) return raw;
  if (/^postgres(ql)?:\/\/.+/.test(raw)) {
    try {
      new URL(raw);
      return raw;
    } catch {
      /* falls through to the error below */
    }
  }
  throw new ConfigError(
    'DATABASE_URL',
    'doit être sqlite:<chemin> ou postgres://utilisateur@hôte:port/base (must be sqlite:<path> or postgres://…)',
  );
}

export function loadConfig(env: Env = process.env): Config {
  const nodeEnvRaw = value(env, 'NODE_ENV') ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnvRaw)) {
    throw new ConfigError('NODE_ENV', 'doit valoir development, production ou test');
  }
  const port = parsePort(env);
  const dataDir = path.resolve(value(env, 'DATA_DIR') ?? 'data');
  const logLevel = value(env, 'LOG_LEVEL') ?? (nodeEnvRaw === 'test' ? 'silent' : 'info');
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `doit valoir ${LOG_LEVELS.join(', ')}`);
  }
  const jobsRaw = value(env, 'JOBS') ?? 'on';
  if (jobsRaw !== 'on' && jobsRaw !== 'off') throw new ConfigError('JOBS', 'doit valoir on ou off');
  const sessionSecret = value(env, 'SESSION_SECRET') ?? null;
  if (sessionSecret !== null && sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET', 'doit faire au moins 32 caractères (must be at least 32 characters)');
  }
  const mailFrom = value(env, 'MAIL_FROM') ?? 'Maillage <no-reply@localhost>';
  if (!MAIL_FROM.test(mailFrom)) {
    throw new ConfigError('MAIL_FROM', 'doit être une adresse, ou « Nom <adresse> » (must be an address or "Name <address>")');
  }
  const adminEmail = value(env, 'ADMIN_EMAIL') ?? 'admin@example.org';
  if (!EMAIL.test(adminEmail)) throw new ConfigError('ADMIN_EMAIL', 'doit être une adresse email');
  const geocoderRaw = env['GEOCODER_URL'];
  const geocoderUrl =
    geocoderRaw !== undefined && geocoderRaw.trim() === ''
      ? null
      : parseUrl(env, 'GEOCODER_URL', ['http:', 'https:'], 'https://data.geopf.fr/geocodage');
  const host = value(env, 'HOST') ?? '0.0.0.0';
  return {
    nodeEnv: nodeEnvRaw as Config['nodeEnv'],
    port,
    host,
    baseUrl: parseUrl(env, 'BASE_URL', ['http:', 'https:'], `http://localhost:${port}`).replace(/\/+$/, ''),
    dataDir,
    databaseUrl: parseDatabaseUrl(env, dataDir),
    sessionSecret,
    smtpUrl: parseUrl(env, 'SMTP_URL', ['smtp:', 'smtps:'], null),
    mailFrom,
    tileUrl: parseTileUrl(env),
    geocoderUrl,
    fetchAllowlist: parseAllowlist(env),
    logLevel: logLevel as Config['logLevel'],
    jobs: jobsRaw === 'on',
    adminEmail,
    trustProxy: parseBoolean(env, 'TRUST_PROXY'),
  };
}

function parseTileUrl(env: Env): string {
  const url = parseUrl(env, 'TILE_URL', ['http:', 'https:'], 'https://tile.openstreetmap.org/{z}/{x}/{y}.png');
  if (!['{z}', '{x}', '{y}'].every((part) => url.includes(part))) {
    throw new ConfigError('TILE_URL', 'doit contenir {z}, {x} et {y} (must contain {z}, {x} and {y})');
  }
  return url;
}

function parseAllowlist(env: Env): string[] {
  const entries = (value(env, 'FETCH_ALLOWLIST') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = entries.find((entry) => !ALLOW_ENTRY.test(entry));
  if (bad !== undefined) {
    throw new ConfigError('FETCH_ALLOWLIST', `contient « ${bad} » : attendu hôte, hôte:port ou plage CIDR, séparés par des virgules (expected host, host:port or CIDR, comma-separated)`);
  }
  return entries;
}

function parseBoolean(env: Env, name: string): boolean {
  const raw = value(env, name);
  if (raw === undefined) return false;
  if (['1', 'true', 'on', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'off', 'no'].includes(raw)) return false;
  throw new ConfigError(name, 'doit valoir true ou false (must be true or false)');
}

export function isHttps(config: Pick<Config, 'baseUrl'>): boolean {
  return config.baseUrl.startsWith('https://');
}
