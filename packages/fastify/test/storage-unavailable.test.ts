import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type {} from '@ecp/testkit/postgres-global-setup'; // types inject('databaseUrl') for tsc
import { createTestDatabase, freePort, startPostgresCluster, type TestDatabase } from '@ecp/testkit';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import {
  createPostgresKysely,
  isDatabaseUnavailable,
  migrateToLatest,
  MigrationError,
  NonceStore,
  type EcpTables,
} from '../src/storage/index.js';

const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected the promise to reject');
    },
    (error: unknown) => error,
  );

describe('isDatabaseUnavailable', () => {
  it('is true when nothing listens on the port', async () => {
    const port = await freePort();
    for (const host of ['127.0.0.1', 'localhost']) {
      const db = createPostgresKysely(`postgresql://postgres@${host}:${port}/ecp`, { max: 1 });
      try {
        const error = await rejection(new NonceStore(db).issue());
        expect(isDatabaseUnavailable(error)).toBe(true);
        // Migrations wrap their failures; the wrapped cause still counts.
        const migrationError = await rejection(migrateToLatest(db));
        expect(isDatabaseUnavailable(migrationError)).toBe(true);
      } finally {
        await db.destroy();
      }
    }
  });

  describe('on a live server', () => {
    let database: TestDatabase;
    let db: Kysely<EcpTables>;
    let admin: pg.Client;
    const idleErrors: Error[] = [];

    beforeAll(async () => {
      database = await createTestDatabase(inject('databaseUrl'), 'ecp_unavailable');
      db = createPostgresKysely(database.url, { max: 1, onConnectionError: (error) => idleErrors.push(error) });
      await migrateToLatest(db);
      admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
    });
    afterAll(async () => {
      await admin?.end();
      await db?.destroy();
      await database?.drop();
    });

    const terminateOthers = async (): Promise<number> => {
      const { rows } = await admin.query<{ terminated: boolean }>(
        'select pg_terminate_backend(pid) as terminated from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
      );
      return rows.filter((row) => row.terminated).length;
    };

    it('is true for a query whose connection is terminated, and the pool recovers', async () => {
      const slow = rejection(sql`select pg_sleep(30)`.execute(db));
      // Wait until the sleep is running, then kill its backend.
      for (let attempt = 0; attempt < 200; attempt++) {
        const { rows } = await admin.query("select count(*)::int as n from pg_stat_activity where query like 'select pg_sleep%' and datname = current_database()");
        if (rows[0].n > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(await terminateOthers()).toBe(1);
      const error = await slow;
      expect(isDatabaseUnavailable(error)).toBe(true);
      // The next query gets a new connection.
      expect((await new NonceStore(db).issue()).nonce).toMatch(/^[0-9a-f]{64}$/);
    });

    it('survives an idle pooled connection being terminated', async () => {
      await new NonceStore(db).issue(); // leaves one idle connection in the pool
      expect(await terminateOthers()).toBe(1);
      for (let attempt = 0; attempt < 200 && idleErrors.length === 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(idleErrors.length).toBeGreaterThan(0);
      expect((await new NonceStore(db).issue()).nonce).toMatch(/^[0-9a-f]{64}$/);
    });

    it('is false for errors that are not about reaching the database', async () => {
      const syntax = await rejection(sql`selec 1`.execute(db));
      expect((syntax as { code?: string }).code).toBe('42601');
      expect(isDatabaseUnavailable(syntax)).toBe(false);

      const store = new NonceStore(db);
      const { id } = await store.issue();
      const duplicate = await rejection(db.insertInto('ecp_nonces').values({ id, nonce: 'ab'.repeat(32), expires_at: new Date() }).execute());
      expect((duplicate as { code?: string }).code).toBe('23505');
      expect(isDatabaseUnavailable(duplicate)).toBe(false);

      const missing = await rejection(sql`select * from no_such_table`.execute(db));
      expect(isDatabaseUnavailable(missing)).toBe(false);
    });
  });

  it('is true once the server stops, for queries in flight and after', async () => {
    const cluster = await startPostgresCluster({ useDatabaseUrl: false });
    const db = createPostgresKysely(cluster.url, { max: 2 });
    try {
      await sql`select 1`.execute(db);
      const inFlight = rejection(sql`select pg_sleep(30)`.execute(db));
      await new Promise((resolve) => setTimeout(resolve, 100));
      await cluster.stop();
      expect(isDatabaseUnavailable(await inFlight)).toBe(true);
      expect(isDatabaseUnavailable(await rejection(sql`select 1`.execute(db)))).toBe(true);
    } finally {
      await db.destroy();
      await cluster.stop();
    }
  });

  it('looks through causes and aggregates, and is false for anything else', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(isDatabaseUnavailable(refused)).toBe(true);
    expect(isDatabaseUnavailable(new Error('outer', { cause: new Error('middle', { cause: refused }) }))).toBe(true);
    expect(isDatabaseUnavailable(new MigrationError('0001_ecp_initial', { cause: refused }))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([new Error('x'), refused]))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('connection failure'), { code: '08006' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);

    expect(isDatabaseUnavailable(new Error('something else'))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(new MigrationError(undefined, { cause: new Error('syntax') }))).toBe(false);
    for (const value of [undefined, null, 'ECONNREFUSED', 42, {}]) expect(isDatabaseUnavailable(value)).toBe(false);
    const cyclic: { message: string; cause?: unknown } = { message: 'loop' };
    cyclic.cause = cyclic;
    expect(isDatabaseUnavailable(cyclic)).toBe(false);
  });
});
