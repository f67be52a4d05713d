/**
 * Nonce consumption, the two strategies of `NonceStore` (issue 3, point 3: "whichever your
 * bench shows faster" is the default): one conditional `UPDATE … RETURNING` against a
 * `BEGIN; SELECT … FOR UPDATE; UPDATE; COMMIT` transaction.
 *
 * On PostgreSQL through a `pg` pool of 10, with 1 consume in flight (the round trips show)
 * and 16 (a busy server); then on PGlite in memory with 1 in flight (it has one connection,
 * so more in flight only queue). Target >= 1x on PostgreSQL: below it, the default is the
 * slower strategy. Every measurement is bounded by time and by the nonces seeded for it
 * (a consumed nonce is gone; running out fails the suite rather than measuring misses).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import type { BenchContext, BenchSuite, Comparison, CompareOptions } from '../../../scripts/bench/harness.js';
import { compare } from '../../../scripts/bench/harness.js';
import { createPgliteKysely, createPostgresKysely, migrateToLatest, NonceStore, type EcpTables } from '../src/storage/index.js';

const ROUNDS = 5;
const ROUND_MS = 400;
const SEED_CHUNK = 2_000;

/** `count` unused nonces, as `NonceStore.issue` makes them; returns a taker of their ids. */
async function seed(db: Kysely<EcpTables>, count: number): Promise<() => string> {
  const ids: string[] = [];
  const createdAt = new Date();
  const expiresAt = new Date(createdAt.getTime() + 3_600_000);
  for (let start = 0; start < count; start += SEED_CHUNK) {
    const rows = Array.from({ length: Math.min(SEED_CHUNK, count - start) }, () => ({
      id: randomBytes(16).toString('base64url'),
      nonce: randomBytes(32).toString('hex'),
      created_at: createdAt,
      expires_at: expiresAt,
    }));
    await db.insertInto('ecp_nonces').values(rows).execute();
    ids.push(...rows.map((row) => row.id));
  }
  let next = 0;
  return () => {
    const id = ids[next++];
    if (id === undefined) throw new Error(`nonce-consume bench: the ${count} seeded nonces ran out; seed more`);
    return id;
  };
}

/** A consume that must find its fresh nonce, so a broken strategy cannot look fast. */
const consumer = (store: NonceStore, take: () => string) => async (): Promise<void> => {
  const result = await store.consume(take());
  if (result.status !== 'ok') throw new Error(`nonce-consume bench: ${store.consumeStrategy} returned ${result.status} for a fresh nonce`);
};

/**
 * Nonces to seed per side: an upper bound on `rateCap` consumes a second over the warm-up
 * (100 ms) and the rounds.
 */
const seedCount = (rateCap: number): number => Math.ceil(rateCap * (0.1 + (ROUNDS * ROUND_MS) / 1000) * 1.2);

async function compareStrategies(name: string, db: Kysely<EcpTables>, rateCap: number, options: CompareOptions): Promise<Comparison> {
  const update = new NonceStore(db, { consumeStrategy: 'update-returning' });
  const forUpdate = new NonceStore(db, { consumeStrategy: 'select-for-update' });
  const [takeA, takeB] = [await seed(db, seedCount(rateCap)), await seed(db, seedCount(rateCap))];
  return compare(
    name,
    { label: 'UPDATE … RETURNING', op: consumer(update, takeA) },
    { label: 'SELECT … FOR UPDATE transaction', op: consumer(forUpdate, takeB) },
    { rounds: ROUNDS, roundMs: ROUND_MS, ...options },
  );
}

const suite: BenchSuite = {
  name: 'fastify: nonce consume strategies',
  async run(report, context: BenchContext) {
    const pg = createPostgresKysely(await context.postgresDatabase(), { max: 10 });
    try {
      await migrateToLatest(pg);
      // MEASURED.md: ~4 500 conditional UPDATEs a second here, quiet; 9 000 bounds it with room.
      for (const inFlight of [1, 16]) {
        report.comparisons.push(
          await compareStrategies(`nonce consume on PostgreSQL, ${inFlight} in flight`, pg, 9_000, {
            concurrency: inFlight,
            target: 1,
            note: `pg pool of 10; each consume takes a distinct seeded nonce and must return it`,
          }),
        );
      }
    } finally {
      await pg.destroy();
    }

    const started = performance.now();
    const lite = await createPgliteKysely(undefined);
    try {
      await migrateToLatest(lite);
      report.figures.push({ name: 'PGlite in memory: cold start and migration', value: performance.now() - started, unit: 'ms', note: 'once per process' });
      // MEASURED.md: ~730 FOR UPDATE consumes a second on PGlite; 4 000 bounds the single statement too.
      report.comparisons.push(
        await compareStrategies('nonce consume on PGlite (in memory), 1 in flight', lite, 4_000, {
          note: 'kysely-pglite-dialect, one connection; no target (the default follows PostgreSQL)',
        }),
      );
    } finally {
      await lite.destroy();
    }
  },
};

export default suite;
