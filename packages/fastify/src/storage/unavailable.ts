/**
 * Telling "the database cannot be reached right now" (a 503, retry later) apart from every
 * other database error (a bug or a schema problem: a 500).
 */

/** Socket-level failures, as Node reports them in `error.code`. */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EADDRNOTAVAIL',
]);

/**
 * PostgreSQL SQLSTATEs that mean the server is going away or refuses new work for now:
 * class 08 (connection exception) is matched by prefix; these are the others.
 */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown (also what pg_terminate_backend sends)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down, in recovery)
  '53300', // too_many_connections
]);

/** Errors `pg`, `pg-pool`, PGlite and Kysely raise without a code when the connection is gone. */
const UNAVAILABLE_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|Cannot use a pool after calling end|PGlite is closed|driver has already been destroyed)/;

/** How deep to follow `cause` / `AggregateError.errors`: enough for wrappers, bounded for cycles. */
const MAX_DEPTH = 6;

/**
 * True when `error` (or an error it wraps) says the database is unreachable or the connection
 * was lost: refused or timed-out connections, a terminated backend, a closed pool. The plugin
 * answers those with 503.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return check(error, 0);
}

function check(error: unknown, depth: number): boolean {
  if (depth > MAX_DEPTH || typeof error !== 'object' || error === null) return false;
  const { code, message, cause } = error as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof code === 'string') {
    if (NETWORK_ERROR_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
  // Node reports a refused connection to every address of a host name as an AggregateError.
  if (error instanceof AggregateError && error.errors.some((inner) => check(inner, depth + 1))) return true;
  return check(cause, depth + 1);
}
