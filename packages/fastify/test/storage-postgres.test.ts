import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type {} from '@ecp/testkit/postgres-global-setup'; // types inject('databaseUrl') for tsc
import type { Kysely } from 'kysely';
import { migrateToLatest, NonceStore, runMigrations, type EcpTables, type NonceConsumeStrategy } from '../src/storage/index.js';
import { postgresBackend, type ScratchDatabase } from './storage-helpers.js';
import { describeStorageSuite } from './storage-suite.js';

const backend = postgresBackend(inject('databaseUrl'));

describeStorageSuite(backend);

describe('PostgreSQL across application instances', () => {
  let scratch: ScratchDatabase;
  let instanceA: Kysely<EcpTables>;
  let instanceB: Kysely<EcpTables>;

  beforeAll(async () => {
    scratch = await backend.createDatabase();
    // Two pools on one database: what two application processes behind a load balancer have.
    instanceA = await scratch.open();
    instanceB = await scratch.open();
    await migrateToLatest(instanceA);
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  for (const consumeStrategy of ['update-returning', 'select-for-update'] satisfies NonceConsumeStrategy[]) {
    it(`lets exactly one of 50 concurrent consumes of one nonce through, over two pools (${consumeStrategy})`, async () => {
      const storeA = new NonceStore(instanceA, { consumeStrategy });
      const storeB = new NonceStore(instanceB, { consumeStrategy });
      // Warm both pools so that the 50 attempts really overlap instead of queuing on connects.
      await Promise.all(Array.from({ length: 25 }, (_, i) => (i % 2 === 0 ? storeA : storeB).issue()));
      for (let round = 0; round < 5; round++) {
        const { id, nonce } = await (round % 2 === 0 ? storeA : storeB).issue();
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? storeA : storeB).consume(id)));
        expect(results.filter((r) => r.status === 'ok')).toEqual([{ status: 'ok', nonce }]);
        expect(results.filter((r) => r.status === 'not_found')).toHaveLength(49);
      }
      // An expired nonce raced the same way is reported expired exactly once.
      const { id, expiresAt } = await storeA.issue();
      const late = new Date(expiresAt.getTime() + 1);
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? storeA : storeB).consume(id, late)));
      expect(results.filter((r) => r.status === 'expired')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'not_found')).toHaveLength(49);
    });
  }

  it('migrates once when two instances start on an empty database at the same moment, repeatedly', async () => {
    for (let round = 0; round < 3; round++) {
      const fresh = await backend.createDatabase();
      try {
        const handles = [await fresh.open(), await fresh.open(), await fresh.open()];
        const reports = await Promise.all(handles.map((db) => runMigrations(db)));
        expect(reports.flatMap((report) => report.executed)).toEqual(['0001_ecp_initial', '0002_ecp_rate_limits']);
      } finally {
        await fresh.drop();
      }
    }
  });
});
