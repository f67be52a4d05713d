/**
 * The plugin's options, their defaults, and their validation at register time: a wrong
 * option fails `app.register()` (and so `app.ready()`) with a message naming it, instead of
 * surfacing as a confusing failure on the first request.
 */
import { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SessionStore } from '@fastify/session';
import { parseTrustedProxies, type TrustedProxies } from './client-ip.js';
import { DEFAULT_FORM_BODY_LIMIT } from './form-body.js';
import type { EcpTables } from './storage/index.js';

/** What the plugin needs to know about a user of the application. */
export interface EcpUser {
  /** The application's stable user id (stored with the certificate). */
  id: string;
  /** The login name; certificates carry it as their subject CN. */
  username: string;
}

/**
 * How the plugin reaches the application's users. `verifyPassword` and `dummyPasswordCheck`
 * should cost the same (e.g. both run the password hash), so that a login for an unknown
 * user takes as long as one for a known user with a wrong password.
 */
export interface EcpUserAdapter<User extends EcpUser = EcpUser> {
  findByUsername(username: string): Promise<User | null>;
  verifyPassword(user: User, password: string): Promise<boolean>;
  /** Work comparable to `verifyPassword`, done when the username is unknown. */
  dummyPasswordCheck?(password: string): Promise<void>;
}

/**
 * A certificate authority to issue users' certificates from ("CA mode"). Without it,
 * server-side enrolment self-signs and CSR enrolment is signed by a per-process key that is
 * never stored (see README, "Who signs the certificates").
 */
export interface EcpIssuerOptions {
  /** The CA certificate, PEM or DER. */
  certificate: string | Uint8Array;
  /** The CA's private key (read it with `readPrivateKey` from @ecp/core). */
  privateKey: KeyObject;
}

export interface EcpSessionOptions {
  /** Cookie-signing secret(s): a string of at least 32 characters, or a list (newest first). */
  secret: string | string[];
  /** Cookie name (default `ecp.sid`). */
  cookieName?: string;
  /** Session lifetime in milliseconds (default 8 hours). */
  maxAge?: number;
  /** Session store (default: `KyselySessionStore` on the plugin's `db`). */
  store?: SessionStore;
}

export interface EcpRateLimitOptions {
  /** Challenges per client IP and window (default 10). */
  max?: number;
  /** Window in milliseconds or as text such as `'1 minute'` (default `'1 minute'`). */
  timeWindow?: number | string;
  /**
   * Where hits are counted (default `'memory'`): `'memory'` in each process, so N instances
   * allow N × `max`; `'database'` in the ecp tables (migration `0002_ecp_rate_limits`), one
   * limit for every instance at the cost of one statement per challenge. With `'database'`
   * the plugin registers `@fastify/rate-limit` itself, so the app must not have registered it.
   */
  store?: 'memory' | 'database';
}

export interface EcpPluginOptions {
  /** The database: a Kysely instance whose schema includes the ecp tables (`migrateToLatest`). */
  db: Kysely<EcpTables>;
  /** The application's users. */
  users: EcpUserAdapter;
  /** Where the routes are mounted (default `/ecp`). */
  prefix?: string;
  /** How long a challenge stays usable, in milliseconds (default 5 minutes). */
  nonceLifetime?: number;
  /** Rate limit of `GET <prefix>/challenge`, per client IP. */
  rateLimit?: EcpRateLimitOptions;
  /** Proxies whose `X-Forwarded-For` is believed: IPs or CIDRs (default none). */
  trustedProxies?: readonly string[];
  /** Lifetime of the certificates the plugin makes, in days (default 365). */
  certificateDays?: number;
  /** PBKDF2 iterations of the key files the plugin makes (default 600 000). */
  kdfIterations?: number;
  /** Issue users' certificates from this CA instead of self-signing them. */
  issuer?: EcpIssuerOptions;
  /**
   * Sessions. With options, the plugin registers @fastify/cookie (if absent) and
   * @fastify/session with a PostgreSQL store. With `false`, the application has registered
   * @fastify/session itself and the plugin uses it.
   */
  session: EcpSessionOptions | false;
  /**
   * The session cookie's `Secure` attribute (default `'auto'`: set when `request.protocol`
   * is `https`, i.e. on a TLS socket, or behind a proxy Fastify trusts, see `trustProxyFunction`).
   */
  cookieSecure?: boolean | 'auto';
  /** Body limit of urlencoded form posts in bytes (default 64 KiB). */
  formBodyLimit?: number;
}

export interface ResolvedOptions {
  db: Kysely<EcpTables>;
  users: EcpUserAdapter;
  prefix: string;
  nonceLifetime: number;
  rateLimit: { max: number; timeWindow: number | string; store: 'memory' | 'database' };
  trustedProxies: TrustedProxies;
  certificateDays: number;
  kdfIterations: number;
  issuer: EcpIssuerOptions | undefined;
  session: EcpSessionOptions | false;
  cookieSecure: boolean | 'auto';
  formBodyLimit: number;
}

export const DEFAULTS = {
  prefix: '/ecp',
  nonceLifetime: 5 * 60 * 1000,
  rateLimit: { max: 10, timeWindow: '1 minute', store: 'memory' },
  certificateDays: 365,
  kdfIterations: 600_000,
  cookieSecure: 'auto',
  formBodyLimit: DEFAULT_FORM_BODY_LIMIT,
  sessionCookieName: 'ecp.sid',
  sessionMaxAge: 8 * 60 * 60 * 1000,
} as const;

/** Thrown by `register` for a bad option. */
export class EcpOptionsError extends TypeError {
  constructor(message: string) {
    super(`@ecp/fastify: ${message}`);
    this.name = 'EcpOptionsError';
  }
}

export function resolveOptions(options: EcpPluginOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new EcpOptionsError('options are required');
  const { db, users } = options;
  if (typeof db !== 'object' || db === null || typeof (db as { selectFrom?: unknown }).selectFrom !== 'function') {
    throw new EcpOptionsError('`db` must be a Kysely instance (createPostgresKysely or createPgliteKysely)');
  }
  if (typeof users !== 'object' || users === null) throw new EcpOptionsError('`users` (the user adapter) is required');
  for (const method of ['findByUsername', 'verifyPassword'] as const) {
    if (typeof users[method] !== 'function') throw new EcpOptionsError(`\`users.${method}\` must be a function`);
  }
  if (users.dummyPasswordCheck !== undefined && typeof users.dummyPasswordCheck !== 'function') {
    throw new EcpOptionsError('`users.dummyPasswordCheck` must be a function when given');
  }

  const prefix = options.prefix ?? DEFAULTS.prefix;
  if (typeof prefix !== 'string' || !/^(\/[A-Za-z0-9._~-]+)+$/.test(prefix)) {
    throw new EcpOptionsError('`prefix` must be a path such as "/ecp" (leading slash, no trailing slash)');
  }

  const rateLimit = { ...DEFAULTS.rateLimit, ...options.rateLimit };
  if (!Number.isSafeInteger(rateLimit.max) || rateLimit.max < 1) throw new EcpOptionsError('`rateLimit.max` must be a positive integer');
  if (!(typeof rateLimit.timeWindow === 'string' ? rateLimit.timeWindow.length > 0 : positiveInteger(rateLimit.timeWindow))) {
    throw new EcpOptionsError('`rateLimit.timeWindow` must be milliseconds or a duration such as "1 minute"');
  }
  if (rateLimit.store !== 'memory' && rateLimit.store !== 'database') throw new EcpOptionsError('`rateLimit.store` must be "memory" or "database"');

  let trustedProxies: TrustedProxies;
  try {
    trustedProxies = parseTrustedProxies(options.trustedProxies ?? []);
  } catch (error) {
    throw new EcpOptionsError((error as Error).message);
  }

  const session = options.session;
  if (session === undefined) {
    throw new EcpOptionsError('`session` is required: { secret } to let the plugin set up sessions, or false if the app registered @fastify/session');
  }
  if (session !== false) validateSession(session);

  const cookieSecure = options.cookieSecure ?? DEFAULTS.cookieSecure;
  if (cookieSecure !== 'auto' && typeof cookieSecure !== 'boolean') throw new EcpOptionsError('`cookieSecure` must be true, false or "auto"');

  if (options.issuer !== undefined) {
    const { certificate, privateKey } = options.issuer;
    if (typeof certificate !== 'string' && !(certificate instanceof Uint8Array)) {
      throw new EcpOptionsError('`issuer.certificate` must be a PEM string or DER bytes');
    }
    if (!(privateKey instanceof KeyObject) || privateKey.type !== 'private') {
      throw new EcpOptionsError('`issuer.privateKey` must be a private KeyObject (readPrivateKey from @ecp/core)');
    }
  }

  return {
    db,
    users,
    prefix,
    nonceLifetime: integerOption('nonceLifetime', options.nonceLifetime, DEFAULTS.nonceLifetime, 1_000, 24 * 60 * 60 * 1000),
    rateLimit,
    trustedProxies,
    certificateDays: integerOption('certificateDays', options.certificateDays, DEFAULTS.certificateDays, 1, 100 * 365),
    // Below 1 000 a key file is barely protected; tests use low counts for speed, files for users the default.
    kdfIterations: integerOption('kdfIterations', options.kdfIterations, DEFAULTS.kdfIterations, 1_000, 10_000_000),
    issuer: options.issuer,
    session,
    cookieSecure,
    formBodyLimit: integerOption('formBodyLimit', options.formBodyLimit, DEFAULTS.formBodyLimit, 1_024, 10 * 1024 * 1024),
  };
}

function validateSession(session: EcpSessionOptions): void {
  if (typeof session !== 'object' || session === null) throw new EcpOptionsError('`session` must be an object or false');
  const secrets = Array.isArray(session.secret) ? session.secret : [session.secret];
  if (secrets.length === 0 || secrets.some((secret) => typeof secret !== 'string' || secret.length < 32)) {
    throw new EcpOptionsError('`session.secret` must be a string of at least 32 characters (or a non-empty list of them)');
  }
  if (session.cookieName !== undefined && (typeof session.cookieName !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(session.cookieName))) {
    throw new EcpOptionsError('`session.cookieName` must be 1-64 characters of A-Z a-z 0-9 . _ -');
  }
  if (session.maxAge !== undefined && !positiveInteger(session.maxAge)) throw new EcpOptionsError('`session.maxAge` must be a positive number of milliseconds');
  if (session.store !== undefined) {
    const store = session.store as Partial<SessionStore>;
    if (typeof store.get !== 'function' || typeof store.set !== 'function' || typeof store.destroy !== 'function') {
      throw new EcpOptionsError('`session.store` must have get, set and destroy methods');
    }
  }
}

function integerOption(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new EcpOptionsError(`\`${name}\` must be an integer between ${min} and ${max}, got ${String(value)}`);
  }
  return value;
}

const positiveInteger = (value: unknown): boolean => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
