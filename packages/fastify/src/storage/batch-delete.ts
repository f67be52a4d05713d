/**
 * Deleting many rows without holding many locks for long: repeated
 * `DELETE … WHERE key IN (SELECT key … LIMIT n FOR UPDATE SKIP LOCKED)` until a batch comes
 * back short. Each batch is its own short statement, so concurrent logins never queue behind a
 * cleanup, and `SKIP LOCKED` leaves alone a row some request is consuming at that moment.
 */
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { EcpTables } from './schema.js';

export const DEFAULT_BATCH_SIZE = 1000;
export const MAX_BATCH_SIZE = 100_000;

export function checkBatchSize(batchSize: number): void {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new RangeError(`batch size must be a whole number from 1 to ${MAX_BATCH_SIZE}, got ${String(batchSize)}`);
  }
}

type KeyedTable = { [T in keyof EcpTables]: { table: T; key: keyof EcpTables[T] & string } }[keyof EcpTables];

/** Deletes every row of `target.table` matching `where`, `batchSize` rows per statement; returns the count. */
export async function deleteInBatches(
  db: Kysely<EcpTables>,
  target: KeyedTable,
  where: Expression<SqlBool>,
  batchSize: number,
): Promise<number> {
  checkBatchSize(batchSize);
  const table = sql.table(target.table);
  const key = sql.ref(target.key);
  let total = 0;
  for (;;) {
    const result = await sql`
      delete from ${table} where ${key} in (
        select ${key} from ${table} where ${where} limit ${batchSize} for update skip locked
      )`.execute(db);
    const deleted = Number(result.numAffectedRows ?? 0n);
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
