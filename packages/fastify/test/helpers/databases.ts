/** Databases for the plugin tests: a fresh PostgreSQL database per suite, or PGlite in memory. */
import { createTestDatabase } from '@ecp/testkit';
import type { Kysely } from 'kysely';
import { createPgliteKysely, createPostgresKysely, migrateToLatest, type EcpTables } from '../../src/storage/index.js';

export interface TestDb {
  kind: 'postgres' | 'pglite';
  /** The migrated database (the first handle). */
  db: Kysely<EcpTables>;
  /** Another handle on the same database: a second pool on PostgreSQL (a second app instance); PGlite has only one. */
  open(): Kysely<EcpTables>;
  /** The database URL (PostgreSQL only), e.g. to route it through a proxy. */
  url: string | null;
  close(): Promise<void>;
}

export type TestDbFactory = () => Promise<TestDb>;

export const postgresDb =
  (clusterUrl: string): TestDbFactory =>
  async () => {
    const database = await createTestDatabase(clusterUrl, 'ecp_plugin');
    const handles: Kysely<EcpTables>[] = [];
    const open = (): Kysely<EcpTables> => {
      const handle = createPostgresKysely(database.url, { max: 30 });
      handles.push(handle);
      return handle;
    };
    const db = open();
    await migrateToLatest(db);
    return {
      kind: 'postgres',
      db,
      open,
      url: database.url,
      async close() {
        await Promise.all(handles.map((handle) => handle.destroy()));
        await database.drop();
      },
    };
  };

export const pgliteDb: TestDbFactory = async () => {
  const db = await createPgliteKysely(undefined);
  await migrateToLatest(db);
  return { kind: 'pglite', db, open: () => db, url: null, close: () => db.destroy() };
};
