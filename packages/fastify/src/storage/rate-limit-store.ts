/**
 * A `@fastify/rate-limit` store in the ecp database, so that every application instance
 * counts against one limit. The plugin's default store counts in each process's memory: N
 * instances behind a load balancer then allow N × `max` challenges per window.
 *
 * One statement per hit, atomic without a transaction: an upsert whose conflict branch adds
 * one to the window's count, or starts a new window when the old one has ended. PostgreSQL
 * locks the row for the conflict branch, so concurrent hits from several instances are
 * counted one after another (tested with 40 at once over two pools). Fixed windows, as the
 * built-in stores keep them: a window starts at the first hit and lasts `timeWindow`.
 */
import { sql, type Kysely } from 'kysely';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { deleteInBatches, DEFAULT_BATCH_SIZE } from './batch-delete.js';
import { PrecompiledQuery } from './precompiled-query.js';
import type { EcpTables } from './schema.js';

/** Longest key stored; ecp's own keys (route + IP address or /64) are under 80 characters. */
export const MAX_RATE_LIMIT_KEY_LENGTH = 512;

type IncrementCallback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * What `child` receives at run time: the merged rate-limit options with `routeInfo`, the
 * route (`{}` for limiters made with `fastify.rateLimit()`); the declared type says otherwise.
 */
interface MergedRateLimitOptions {
  routeInfo?: { method?: string; url?: string };
  continueExceeding?: boolean;
  exponentialBackoff?: boolean;
}

/** Windows here are fixed; options that would move them are refused rather than ignored. */
function checkSupported(options: unknown): void {
  const { continueExceeding, exponentialBackoff } = (options ?? {}) as MergedRateLimitOptions;
  if (continueExceeding || exponentialBackoff) {
    throw new TypeError('databaseRateLimitStore keeps fixed windows: continueExceeding and exponentialBackoff are not supported');
  }
}

/**
 * Counts hits of one key in its current window and says how long the window has left.
 * Shared by every store a `databaseRateLimitStore` constructor makes (one per route).
 */
class RateLimitCounter {
  readonly #increment: PrecompiledQuery<[key: string, windowMs: number], { hits: number | string; ttl_ms: number | string }>;

  constructor(db: Kysely<EcpTables>) {
    // `now()` is the statement's start on the database's clock, the one clock all instances share.
    this.#increment = new PrecompiledQuery(db, 'rate-limit store: the compiled upsert', ['\u0000key', -1], (key, windowMs) =>
      db
        .insertInto('ecp_rate_limits')
        .values({ key, hits: sql.lit(1), resets_at: sql<Date>`now() + ${windowMs} * interval '1 millisecond'` })
        .onConflict((conflict) =>
          conflict.column('key').doUpdateSet({
            hits: sql<number>`case when ecp_rate_limits.resets_at <= now() then 1 else ecp_rate_limits.hits + 1 end`,
            resets_at: sql<Date>`case when ecp_rate_limits.resets_at <= now() then excluded.resets_at else ecp_rate_limits.resets_at end`,
          }),
        )
        .returning([
          'hits',
          sql<number>`greatest(0, ceil(extract(epoch from (ecp_rate_limits.resets_at - now())) * 1000))::bigint`.as('ttl_ms'),
        ]),
    );
  }

  /** The hit count in the key's window, this hit included, and the window's remaining milliseconds. */
  async increment(key: string, windowMs: number): Promise<{ current: number; ttl: number }> {
    if (key.length > MAX_RATE_LIMIT_KEY_LENGTH) throw new RangeError(`rate-limit key longer than ${MAX_RATE_LIMIT_KEY_LENGTH} characters`);
    if (!Number.isSafeInteger(windowMs) || windowMs < 1) throw new RangeError('the rate-limit time window must be a positive number of milliseconds');
    const row = await this.#increment.takeFirst(key, windowMs);
    if (!row) throw new Error('rate-limit store: the upsert returned no row');
    // A statement that waited on the row lock has a now() older than the window's start, so
    // its remaining time can exceed the window by that wait: clamp it.
    return { current: Number(row.hits), ttl: Math.min(Number(row.ttl_ms), windowMs) };
  }
}

/**
 * The `store` option of `@fastify/rate-limit` over the ecp tables (migration
 * `0002_ecp_rate_limits`): `app.register(rateLimit, { store: databaseRateLimitStore(db) })`.
 * The plugin does this itself with `rateLimit: { store: 'database' }`. Keys are namespaced by
 * route (method and URL), as the Redis store does. A database error fails the request
 * (503 in ecp's routes) unless the rate-limit options say `skipOnError`.
 */
export function databaseRateLimitStore(db: Kysely<EcpTables>): FastifyRateLimitStoreCtor {
  const counter = new RateLimitCounter(db);

  class DatabaseRateLimitStore implements FastifyRateLimitStore {
    readonly #namespace: string;

    constructor(options?: unknown, namespace = 'global:') {
      checkSupported(options);
      this.#namespace = namespace;
    }

    incr(key: string, callback: IncrementCallback, timeWindow?: number): void {
      counter.increment(this.#namespace + key, timeWindow ?? 60_000).then(
        (result) => callback(null, result),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }

    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      const route = (routeOptions as MergedRateLimitOptions).routeInfo;
      return new DatabaseRateLimitStore(routeOptions, `${route?.method ?? ''}${route?.url ?? ''}:`);
    }
  }
  return DatabaseRateLimitStore;
}

/**
 * Deletes the counters whose window ended before `olderThan` (default: now), in batches;
 * returns how many. Hits recreate a key's row, so this only reclaims space, as
 * `ecp-fastify cleanup-rate-limits` does on a schedule.
 */
export async function cleanupRateLimits(
  db: Kysely<EcpTables>,
  options: { olderThan?: Date; batchSize?: number } = {},
): Promise<number> {
  const olderThan = options.olderThan ?? new Date();
  return deleteInBatches(db, { table: 'ecp_rate_limits', key: 'key' }, sql<boolean>`resets_at < ${olderThan}`, options.batchSize ?? DEFAULT_BATCH_SIZE);
}
