/**
 * vitest `globalSetup`: one throwaway PostgreSQL cluster for the whole vitest run, its URL
 * handed to tests as `inject('databaseUrl')`. Pair it with `createTestDatabase()` so each
 * test file gets its own empty database.
 *
 * Several projects (fastify, example) list this file, and vitest runs each project's
 * globalSetup separately; the cluster is therefore shared through `globalThis` (all
 * globalSetups run in vitest's main process) and stopped by the last teardown.
 */
// The augmentation below needs 'vitest' itself in the program, not only 'vitest/node'.
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startPostgresCluster, type PostgresCluster } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the run's PostgreSQL cluster (superuser, trust auth, 127.0.0.1), or DATABASE_URL. */
    databaseUrl: string;
  }
}

interface SharedCluster {
  cluster: Promise<PostgresCluster>;
  users: number;
}

const SHARED = Symbol.for('@ecp/testkit/postgres-global-cluster');
const registry = globalThis as typeof globalThis & { [SHARED]?: SharedCluster };

export default async function setup({ provide }: Pick<TestProject, 'provide'>): Promise<() => Promise<void>> {
  let shared = registry[SHARED];
  if (shared === undefined) {
    shared = { cluster: startPostgresCluster(), users: 0 };
    registry[SHARED] = shared;
  }
  shared.users += 1;
  let cluster: PostgresCluster;
  try {
    cluster = await shared.cluster;
  } catch (error) {
    shared.users -= 1;
    if (registry[SHARED] === shared) delete registry[SHARED]; // let a later project try again
    throw error;
  }
  provide('databaseUrl', cluster.url);

  const owner = shared;
  return async () => {
    owner.users -= 1;
    if (owner.users > 0) return;
    if (registry[SHARED] === owner) delete registry[SHARED];
    await cluster.stop();
  };
}
