/**
 * Removing nonces that can never be used again: consumed ones and expired ones. Meant for a
 * periodic job (`ecp-fastify cleanup-nonces` from cron, or a timer in the application);
 * correctness never depends on it, since `consume` checks expiry and use itself.
 */
import { sql, type Kysely, type SqlBool } from 'kysely';
import { DEFAULT_BATCH_SIZE, deleteInBatches } from './batch-delete.js';
import type { EcpTables } from './schema.js';

export interface CleanupNoncesOptions {
  /** The reference time (default: now). */
  now?: Date;
  /** Rows deleted per statement (default 1000). */
  batchSize?: number;
  /**
   * Keep nonces that expired or were used less than this long ago (default 0: delete them all),
   * e.g. to keep recent login attempts around for inspection.
   */
  retainMs?: number;
}

/** Deletes used and expired nonces in batches; returns how many were deleted. */
export async function cleanupNonces(db: Kysely<EcpTables>, options: CleanupNoncesOptions = {}): Promise<number> {
  const now = options.now ?? new Date();
  const retainMs = options.retainMs ?? 0;
  if (!Number.isSafeInteger(retainMs) || retainMs < 0) {
    throw new RangeError(`retainMs must be a whole number of milliseconds ≥ 0, got ${String(retainMs)}`);
  }
  const cutoff = new Date(now.getTime() - retainMs);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const target = { table: 'ecp_nonces', key: 'id' } as const;
  // Two passes rather than one `OR`, so that each walks one index (expires_at, and the partial
  // index on consumed_at) instead of scanning the table.
  const expired = await deleteInBatches(db, target, sql<SqlBool>`expires_at <= ${cutoff}`, batchSize);
  const used = await deleteInBatches(db, target, sql<SqlBool>`consumed_at is not null and consumed_at <= ${cutoff}`, batchSize);
  return expired + used;
}
