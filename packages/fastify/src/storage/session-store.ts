/**
 * A `@fastify/session` store on the ecp database, so that sessions survive restarts and are
 * shared by every instance behind a load balancer.
 *
 * A row expires when the session cookie does (`cookie.expires`, else `cookie.maxAge`); a
 * cookie with neither (a browser-session cookie) gets `defaultTtlMs`. Expired rows are never
 * returned, and `pruneSessions` deletes them.
 */
import { InputTooLargeError, MalformedInputError } from '@ecp/core';
import type { SessionStore } from '@fastify/session';
import type { Session } from 'fastify';
import { sql, type Kysely, type SqlBool } from 'kysely';
import { DEFAULT_BATCH_SIZE, deleteInBatches } from './batch-delete.js';
import { checkKey, MAX_KEY_LENGTH } from './limits.js';
import type { EcpTables } from './schema.js';

export const DEFAULT_SESSION_TTL_MS = 24 * 60 * 60 * 1000;
/** Sessions hold a user name and a few flags (plus, right after registration, key files). */
export const MAX_SESSION_BYTES = 64 * 1024;

export interface KyselySessionStoreOptions {
  /** Lifetime of a session whose cookie has no expiry (default 24 hours). */
  defaultTtlMs?: number;
}

type Callback = (error?: unknown) => void;
type SessionCallback = (error: unknown, session?: Session | null) => void;

/** The fields of the session cookie we read; @fastify/session's Cookie or its JSON form. */
interface CookieExpiry {
  expires?: Date | string | null;
  maxAge?: number | null;
  originalMaxAge?: number | null;
}

export class KyselySessionStore implements SessionStore {
  readonly #db: Kysely<EcpTables>;
  readonly #defaultTtlMs: number;

  constructor(db: Kysely<EcpTables>, options: KyselySessionStoreOptions = {}) {
    const ttl = options.defaultTtlMs ?? DEFAULT_SESSION_TTL_MS;
    if (!Number.isSafeInteger(ttl) || ttl <= 0) throw new RangeError(`defaultTtlMs must be a positive whole number, got ${String(ttl)}`);
    this.#db = db;
    this.#defaultTtlMs = ttl;
  }

  set(sessionId: string, session: Session, callback: Callback): void {
    settle(this.setSession(sessionId, session), callback);
  }

  get(sessionId: string, callback: SessionCallback): void {
    settle(this.getSession(sessionId), callback);
  }

  destroy(sessionId: string, callback: Callback): void {
    settle(this.destroySession(sessionId), callback);
  }

  /** Promise form of `set`. */
  async setSession(sessionId: string, session: Session, now: Date = new Date()): Promise<void> {
    checkKey('session id', sessionId);
    const json = JSON.stringify(session);
    if (json === undefined || !json.startsWith('{')) throw new MalformedInputError('a session must serialize to a JSON object');
    if (Buffer.byteLength(json) > MAX_SESSION_BYTES) throw new InputTooLargeError('session', MAX_SESSION_BYTES);
    const expiresAt = this.#expiryOf(session, now);
    // Text cast to jsonb in SQL: pg and PGlite then store the same thing (see schema.ts).
    const data = sql<string>`cast(${json} as jsonb)`;
    await this.#db
      .insertInto('ecp_sessions')
      .values({ sid: sessionId, data, expires_at: expiresAt })
      .onConflict((conflict) => conflict.column('sid').doUpdateSet({ data, expires_at: expiresAt }))
      .execute();
  }

  /** Promise form of `get`: the session, or null when unknown or expired. */
  async getSession(sessionId: string, now: Date = new Date()): Promise<Session | null> {
    // An id we could never have stored (cookie tampering, garbage) is not worth a query.
    if (typeof sessionId !== 'string' || sessionId.length === 0 || sessionId.length > MAX_KEY_LENGTH) return null;
    const row = await this.#db
      .selectFrom('ecp_sessions')
      .select('data')
      .where('sid', '=', sessionId)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (row === undefined || typeof row.data !== 'object' || row.data === null || Array.isArray(row.data)) return null;
    return row.data as unknown as Session;
  }

  /** Promise form of `destroy`. */
  async destroySession(sessionId: string): Promise<void> {
    if (typeof sessionId !== 'string' || sessionId.length === 0 || sessionId.length > MAX_KEY_LENGTH) return;
    await this.#db.deleteFrom('ecp_sessions').where('sid', '=', sessionId).execute();
  }

  #expiryOf(session: Session, now: Date): Date {
    const cookie = (session as { cookie?: CookieExpiry }).cookie;
    if (cookie?.expires !== undefined && cookie.expires !== null) {
      const expires = new Date(cookie.expires);
      if (!Number.isNaN(expires.getTime())) return expires;
    }
    const maxAge = cookie?.maxAge ?? cookie?.originalMaxAge;
    if (typeof maxAge === 'number' && Number.isFinite(maxAge)) return new Date(now.getTime() + maxAge);
    return new Date(now.getTime() + this.#defaultTtlMs);
  }
}

export interface PruneSessionsOptions {
  now?: Date;
  /** Rows deleted per statement (default 1000). */
  batchSize?: number;
}

/** Deletes expired sessions in batches; returns how many were deleted. */
export async function pruneSessions(db: Kysely<EcpTables>, options: PruneSessionsOptions = {}): Promise<number> {
  const now = options.now ?? new Date();
  return deleteInBatches(db, { table: 'ecp_sessions', key: 'sid' }, sql<SqlBool>`expires_at <= ${now}`, options.batchSize ?? DEFAULT_BATCH_SIZE);
}

/**
 * Hands a promise's outcome to a Node-style callback on a later tick: a throw inside the
 * callback then surfaces as an uncaught exception, instead of being swallowed by the promise
 * chain or making the callback run twice.
 */
function settle<T>(promise: Promise<T>, callback: (error: unknown, value?: T) => void): void {
  promise.then(
    (value) => process.nextTick(callback, null, value),
    (error: unknown) => process.nextTick(callback, error),
  );
}
