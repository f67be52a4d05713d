/**
 * Single-use login challenges. A nonce is issued with an opaque random id, handed to the
 * client, and consumed exactly once when the signed answer comes back, whether that login
 * then succeeds or fails (so a captured signature can never be replayed, and a failed
 * attempt cannot be retried with the same nonce).
 */
import type { Kysely } from 'kysely';
import { randomString } from '../random-pool.js';
import { PrecompiledQuery } from './precompiled-query.js';
import type { EcpTables } from './schema.js';

export const DEFAULT_NONCE_LIFETIME_MS = 5 * 60 * 1000;

/** 16 random bytes in base64url without padding: 22 characters. */
const NONCE_ID_BYTES = 16;
const NONCE_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
const NONCE_BYTES = 32;

/**
 * How `consume` makes its read-and-mark atomic.
 * - `update-returning` (default): one `UPDATE … WHERE id = $1 AND consumed_at IS NULL
 *   RETURNING …`. The row lock the UPDATE takes is the whole synchronisation: a concurrent
 *   second UPDATE waits, re-checks `consumed_at IS NULL` on the committed row and matches
 *   nothing. One round trip.
 * - `select-for-update`: BEGIN; SELECT … FOR UPDATE; UPDATE; COMMIT. Same guarantee, four
 *   round trips; kept for comparison (see bench/nonce-consume.bench.ts) and for databases whose
 *   drivers cannot return rows from an UPDATE.
 */
export type NonceConsumeStrategy = 'update-returning' | 'select-for-update';

export interface NonceStoreOptions {
  /** How long an issued nonce stays usable (default 5 minutes). */
  lifetimeMs?: number;
  consumeStrategy?: NonceConsumeStrategy;
}

export interface IssuedNonce {
  id: string;
  /** 64 lower-case hex characters: what the client signs, byte for byte. */
  nonce: string;
  expiresAt: Date;
}

export type ConsumeResult = { status: 'ok'; nonce: string } | { status: 'expired' } | { status: 'not_found' };

/** True for strings shaped like an id `issue()` returns; anything else is never looked up. */
export function isWellFormedNonceId(id: unknown): id is string {
  return typeof id === 'string' && NONCE_ID_PATTERN.test(id);
}

export class NonceStore {
  readonly lifetimeMs: number;
  readonly consumeStrategy: NonceConsumeStrategy;
  readonly #db: Kysely<EcpTables>;
  /**
   * The statements of every challenge and every login, compiled once by Kysely (dialect and
   * plugins included): building and compiling the INSERT per request cost ~25 µs a challenge,
   * and only their values ever change.
   */
  readonly #insert: PrecompiledQuery<[id: string, nonce: string, createdAt: Date, expiresAt: Date], unknown>;
  readonly #consumeUpdate: PrecompiledQuery<[id: string, now: Date], { nonce: string; expires_at: Date }>;

  constructor(db: Kysely<EcpTables>, options: NonceStoreOptions = {}) {
    const lifetimeMs = options.lifetimeMs ?? DEFAULT_NONCE_LIFETIME_MS;
    if (!Number.isSafeInteger(lifetimeMs) || lifetimeMs <= 0) {
      throw new RangeError(`nonce lifetime must be a positive whole number of milliseconds, got ${String(lifetimeMs)}`);
    }
    this.#db = db;
    this.lifetimeMs = lifetimeMs;
    this.consumeStrategy = options.consumeStrategy ?? 'update-returning';
    this.#insert = new PrecompiledQuery(db, 'NonceStore: the compiled nonce INSERT', ['\u0000id', '\u0000nonce', new Date(0), new Date(1)], (id, nonce, createdAt, expiresAt) =>
      db.insertInto('ecp_nonces').values({ id, nonce, created_at: createdAt, expires_at: expiresAt }),
    );
    this.#consumeUpdate = new PrecompiledQuery(db, 'NonceStore: the compiled nonce UPDATE', ['\u0000id', new Date(0)], (id, now) =>
      db
        .updateTable('ecp_nonces')
        .set({ consumed_at: now })
        .where('id', '=', id)
        .where('consumed_at', 'is', null)
        .returning(['nonce', 'expires_at']),
    );
  }

  async issue(): Promise<IssuedNonce> {
    const id = randomString(NONCE_ID_BYTES, 'base64url');
    const nonce = randomString(NONCE_BYTES, 'hex');
    const createdAt = new Date();
    const expiresAt = new Date(createdAt.getTime() + this.lifetimeMs);
    await this.#insert.execute(id, nonce, createdAt, expiresAt);
    return { id, nonce, expiresAt };
  }

  /**
   * Marks the nonce used and returns it, atomically: of any number of concurrent calls for one
   * id, across any number of processes, exactly one sees it unused. An expired nonce is marked
   * used too and reported as `expired`; an unknown, already used or malformed id is `not_found`
   * (a malformed one without touching the database).
   */
  async consume(id: string, now: Date = new Date()): Promise<ConsumeResult> {
    if (!isWellFormedNonceId(id)) return { status: 'not_found' };
    const row =
      this.consumeStrategy === 'update-returning' ? await this.#consumeByUpdate(id, now) : await this.#consumeBySelectForUpdate(id, now);
    if (row === undefined) return { status: 'not_found' };
    // Expired at the instant it expires: a nonce issued at t with lifetime L is usable in [t, t + L).
    if (row.expires_at.getTime() <= now.getTime()) return { status: 'expired' };
    return { status: 'ok', nonce: row.nonce };
  }

  async #consumeByUpdate(id: string, now: Date): Promise<{ nonce: string; expires_at: Date } | undefined> {
    return this.#consumeUpdate.takeFirst(id, now);
  }

  async #consumeBySelectForUpdate(id: string, now: Date): Promise<{ nonce: string; expires_at: Date } | undefined> {
    return this.#db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('ecp_nonces')
        .select(['nonce', 'expires_at', 'consumed_at'])
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (row === undefined || row.consumed_at !== null) return undefined;
      await trx.updateTable('ecp_nonces').set({ consumed_at: now }).where('id', '=', id).execute();
      return { nonce: row.nonce, expires_at: row.expires_at };
    });
  }
}
