/**
 * Nonce consume throughput, both strategies, on real PostgreSQL (through a `pg` pool) and on
 * PGlite (kysely-pglite-dialect): which one `NonceStore` should use by default.
 *
 *   node --conditions=source --import tsx packages/fastify/bench/nonce-consume.ts [--seconds 3] [--backend pg|pglite|both]
 *
 * PostgreSQL is DATABASE_URL when set (a scratch database is created in it and dropped), or a
 * throwaway cluster started by @ecp/testkit. Every run is bounded twice: by time (--seconds
 * per measurement) and by the number of nonces seeded beforehand (a consumed nonce is gone).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createTestDatabase, startPostgresCluster } from '@ecp/testkit';
import type { Kysely } from 'kysely';
import {
  createPgliteKysely,
  createPostgresKysely,
  migrateToLatest,
  NonceStore,
  type EcpTables,
  type NonceConsumeStrategy,
} from '../src/storage/index.js';

const STRATEGIES: NonceConsumeStrategy[] = ['update-returning', 'select-for-update'];
const INSERT_CHUNK = 2_000;

interface Measurement {
  backend: string;
  strategy: NonceConsumeStrategy;
  inFlight: number;
  consumed: number;
  seconds: number;
}

async function seed(db: Kysely<EcpTables>, count: number): Promise<string[]> {
  const ids: string[] = [];
  const expiresAt = new Date(Date.now() + 3_600_000);
  for (let start = 0; start < count; start += INSERT_CHUNK) {
    const rows = Array.from({ length: Math.min(INSERT_CHUNK, count - start) }, () => ({
      id: randomBytes(16).toString('base64url'),
      nonce: randomBytes(32).toString('hex'),
      expires_at: expiresAt,
    }));
    await db.insertInto('ecp_nonces').values(rows).execute();
    ids.push(...rows.map((row) => row.id));
  }
  return ids;
}

/** `inFlight` loops consuming distinct nonces until the time or the seeded nonces run out. */
async function measure(
  backend: string,
  db: Kysely<EcpTables>,
  strategy: NonceConsumeStrategy,
  inFlight: number,
  seconds: number,
  seedCount: number,
): Promise<Measurement> {
  const ids = await seed(db, seedCount);
  const store = new NonceStore(db, { consumeStrategy: strategy });
  let next = 0;
  let consumed = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline && next < ids.length) {
      const id = ids[next++] as string;
      const result = await store.consume(id);
      if (result.status !== 'ok') throw new Error(`consume of a fresh nonce returned ${result.status}`);
      consumed += 1;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const elapsed = (performance.now() - started) / 1000;
  if (next >= ids.length) console.warn(`  (${backend} ${strategy}: ran out of seeded nonces; raise the seed count)`);
  await db.deleteFrom('ecp_nonces').execute();
  return { backend, strategy, inFlight, consumed, seconds: elapsed };
}

function report(m: Measurement): void {
  const rate = Math.round(m.consumed / m.seconds);
  console.log(`${m.backend.padEnd(7)} ${m.strategy.padEnd(18)} in flight ${String(m.inFlight).padStart(2)}: ${String(rate).padStart(6)} consumes/s  (${m.consumed} in ${m.seconds.toFixed(2)} s)`);
}

async function benchPostgres(seconds: number): Promise<void> {
  const cluster = await startPostgresCluster();
  const database = await createTestDatabase(cluster.url, 'ecp_bench');
  const db = createPostgresKysely(database.url, { max: 10 });
  try {
    await migrateToLatest(db);
    // Sequential (one request at a time) shows the round trips; 16 in flight over a pool of 10
    // shows what a busy server gets. Strategies alternate so that drift hits both alike.
    for (const inFlight of [1, 16]) {
      for (const strategy of STRATEGIES) report(await measure('pg', db, strategy, inFlight, seconds, 40_000));
    }
  } finally {
    await db.destroy();
    await database.drop();
    await cluster.stop();
  }
}

async function benchPglite(seconds: number): Promise<void> {
  const started = performance.now();
  const db = await createPgliteKysely(undefined);
  try {
    await migrateToLatest(db);
    console.log(`pglite  cold start + migration: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    for (const inFlight of [1, 16]) {
      for (const strategy of STRATEGIES) report(await measure('pglite', db, strategy, inFlight, seconds, 12_000));
    }
  } finally {
    await db.destroy();
  }
}

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '3' }, backend: { type: 'string', default: 'both' } },
  strict: true,
});
const seconds = Number(values.seconds);
if (!(seconds > 0 && seconds <= 30)) throw new Error('--seconds must be in (0, 30]');
if (values.backend !== 'pglite') await benchPostgres(seconds);
if (values.backend !== 'pg') await benchPglite(seconds);
