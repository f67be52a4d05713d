/**
 * The schema as code: an ordered list of migrations run by Kysely's Migrator from an
 * in-code provider, so an installed package needs no migration files on disk.
 *
 * Released migrations are never edited; a schema change is a new entry at the end. They are
 * typed against `Kysely<any>` on purpose: a migration describes the schema of its own day,
 * not today's `EcpTables`.
 *
 * Concurrency: two application instances may start at once and both call
 * `migrateToLatest`. Kysely's Migrator takes care of it on PostgreSQL: its bookkeeping tables
 * are created with a re-check on failure, and the migrations run inside one transaction under
 * a session advisory lock (`pg_advisory_lock`), so the second instance waits, then finds
 * nothing left to do. Our bookkeeping tables have their own names (`ecp_migration*`) so that
 * an application that also uses Kysely migrations in the same database keeps its own history.
 */
import { EcpError } from '@ecp/core';
import { Migrator, sql, type Kysely, type Migration, type MigrationResult } from 'kysely';

export const MIGRATION_TABLE = 'ecp_migration';
export const MIGRATION_LOCK_TABLE = 'ecp_migration_lock';

const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_ecp_initial': {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('ecp_nonces')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('nonce', 'text', (col) => col.notNull().check(sql`nonce ~ '^[0-9a-f]{64}$'`))
        .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
        .addColumn('consumed_at', 'timestamptz')
        .execute();
      // The two indexes serve `cleanupNonces`, which deletes expired rows and used rows in
      // separate passes; the partial one stays small because unused rows are not in it.
      await db.schema.createIndex('ecp_nonces_expires_at_idx').on('ecp_nonces').column('expires_at').execute();
      await db.schema
        .createIndex('ecp_nonces_consumed_at_idx')
        .on('ecp_nonces')
        .column('consumed_at')
        .where(sql.ref('consumed_at'), 'is not', null)
        .execute();

      await db.schema
        .createTable('ecp_certificates')
        .addColumn('user_id', 'text', (col) => col.primaryKey())
        .addColumn('der', 'bytea', (col) => col.notNull())
        .addColumn('sha256', 'text', (col) => col.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
        .addColumn('not_before', 'timestamptz', (col) => col.notNull())
        .addColumn('not_after', 'timestamptz', (col) => col.notNull())
        .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .execute();
      // Looking a certificate up by fingerprint (revocation lists, client-certificate mapping).
      await db.schema.createIndex('ecp_certificates_sha256_idx').on('ecp_certificates').column('sha256').execute();

      await db.schema
        .createTable('ecp_sessions')
        .addColumn('sid', 'text', (col) => col.primaryKey())
        .addColumn('data', 'jsonb', (col) => col.notNull())
        .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('ecp_sessions_expires_at_idx').on('ecp_sessions').column('expires_at').execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('ecp_sessions').execute();
      await db.schema.dropTable('ecp_certificates').execute();
      await db.schema.dropTable('ecp_nonces').execute();
    },
  },
  '0002_ecp_rate_limits': {
    // Counters of the database rate-limit store (rate-limit-store.ts): one row per key.
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('ecp_rate_limits')
        .addColumn('key', 'text', (col) => col.primaryKey().check(sql`char_length(key) <= 512`))
        .addColumn('hits', 'integer', (col) => col.notNull())
        .addColumn('resets_at', 'timestamptz', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('ecp_rate_limits_resets_at_idx').on('ecp_rate_limits').column('resets_at').execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('ecp_rate_limits').execute();
    },
  },
};

/** Names of every migration this version knows, oldest first. */
export function listMigrations(): string[] {
  return Object.keys(MIGRATIONS).sort();
}

export interface MigrationReport {
  /** Migrations applied by this call, oldest first (empty when the schema was up to date). */
  executed: string[];
}

/** Thrown when a migration fails; the database error is its `cause`. */
export class MigrationError extends EcpError {
  readonly migration: string | undefined;
  constructor(migration: string | undefined, options: { cause: unknown }) {
    super(migration === undefined ? 'database migration failed' : `database migration ${migration} failed`, 'ECP_ERROR', options);
    this.migration = migration;
  }
}

function migratorFor(db: Kysely<any>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...MIGRATIONS }) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
}

/** Brings the schema up to date and says which migrations this call applied. */
export async function runMigrations(db: Kysely<any>): Promise<MigrationReport> {
  const { error, results } = await migratorFor(db).migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result: MigrationResult) => result.status === 'Error');
    throw new MigrationError(failed?.migrationName, { cause: error });
  }
  return {
    executed: (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName),
  };
}

/** Brings the schema up to date. Idempotent, and safe when several instances start at once. */
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  await runMigrations(db);
}
