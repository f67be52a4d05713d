/** Shared pieces of the storage tests: backends, seeding, query counting. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@ecp/testkit';
import type { Kysely } from 'kysely';
import { createPgliteKysely, createPostgresKysely, type EcpTables } from '../src/storage/index.js';

/** An empty, unmigrated database and the ways to reach it. */
export interface ScratchDatabase {
  /**
   * A Kysely handle on the database. Each call on PostgreSQL opens a separate `pg` pool (what a
   * second application instance would have); PGlite is one in-process database, so each call
   * returns the same handle.
   */
  open(): Promise<Kysely<EcpTables>>;
  /** Closes every handle and removes the database. */
  drop(): Promise<void>;
}

export interface StorageBackend {
  name: string;
  createDatabase(): Promise<ScratchDatabase>;
}

export function postgresBackend(clusterUrl: string): StorageBackend {
  return {
    name: 'PostgreSQL',
    async createDatabase() {
      const database = await createTestDatabase(clusterUrl, 'ecp_storage');
      const handles: Kysely<EcpTables>[] = [];
      return {
        async open() {
          const db = createPostgresKysely(database.url, { max: 25 });
          handles.push(db);
          return db;
        },
        async drop() {
          await Promise.all(handles.map((db) => db.destroy()));
          await database.drop();
        },
      };
    },
  };
}

export function pgliteBackend(where: 'memory' | 'directory'): StorageBackend {
  return {
    name: `PGlite (${where === 'memory' ? 'in memory' : 'in a directory'})`,
    async createDatabase() {
      const dir = where === 'directory' ? mkdtempSync(join(tmpdir(), 'ecp-pglite-')) : undefined;
      let db: Promise<Kysely<EcpTables>> | undefined;
      return {
        open: () => (db ??= createPgliteKysely(dir)),
        async drop() {
          if (db !== undefined) await (await db).destroy();
          if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

/** A view of `db` that counts the queries sent through it. */
export function countQueries(db: Kysely<EcpTables>): { db: Kysely<EcpTables>; count(): number } {
  let count = 0;
  const counted = db.withPlugin({
    transformQuery: ({ node }) => {
      count += 1;
      return node;
    },
    transformResult: async ({ result }) => result,
  });
  return { db: counted, count: () => count };
}

export interface SeedRow {
  expiresAt: Date;
  consumedAt?: Date | null;
}

/** Inserts nonces directly (fast, and with any timestamps); returns their ids. */
export async function seedNonces(db: Kysely<EcpTables>, count: number, row: SeedRow): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 2_000) {
    const rows = Array.from({ length: Math.min(2_000, count - start) }, () => ({
      id: randomBytes(16).toString('base64url'),
      nonce: randomBytes(32).toString('hex'),
      expires_at: row.expiresAt,
      consumed_at: row.consumedAt ?? null,
    }));
    await db.insertInto('ecp_nonces').values(rows).execute();
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}
