/**
 * The example's database: PostgreSQL when DATABASE_URL is set, otherwise embedded PGlite
 * under DATA_DIR (no set-up). Both get the plugin's tables (`migrateToLatest`) and the
 * example's own users table (its migrations, tracked in their own table).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createPgliteKysely, createPostgresKysely, migrateToLatest, type EcpTables } from '@ecp/fastify';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/**
 * The database as the plugin sees it. The application's own view is
 * `db.withTables<AppTables>()` (Kysely types are invariant in their tables, so the plugin
 * takes the ecp view and the application widens it, rather than the other way round).
 */
export type AppDatabase = Kysely<EcpTables>;

const APP_MIGRATIONS: Record<string, Migration> = {
  '0001_users': {
    async up(db) {
      await db.schema
        .createTable('app_users')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('username', 'text', (column) => column.notNull().unique())
        .addColumn('password_hash', 'text', (column) => column.notNull())
        .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
        .execute();
    },
    async down(db) {
      await db.schema.dropTable('app_users').execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => APP_MIGRATIONS };

/** Creates or updates the plugin's tables and the example's users table. */
export async function migrateAppDatabase(db: AppDatabase): Promise<void> {
  await migrateToLatest(db);
  const migrator = new Migrator({ db, provider, migrationTableName: 'app_migration', migrationLockTableName: 'app_migration_lock' });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) throw error;
}

export interface DatabaseSettings {
  databaseUrl: string | undefined;
  dataDir: string;
}

export interface OpenedDatabase {
  db: AppDatabase;
  /** What to tell the operator: `PostgreSQL` or `PGlite in <dir>`. */
  description: string;
}

export async function openDatabase(settings: DatabaseSettings): Promise<OpenedDatabase> {
  let db: AppDatabase;
  let description: string;
  if (settings.databaseUrl !== undefined) {
    db = createPostgresKysely(settings.databaseUrl);
    description = 'PostgreSQL (DATABASE_URL)';
  } else {
    const dir = join(settings.dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    db = await createPgliteKysely(dir);
    description = `PGlite in ${dir}`;
  }
  try {
    await migrateAppDatabase(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, description };
}
