/**
 * Storage of @ecp/fastify: the schema and its migrations, the nonce, certificate and session
 * stores, and the connections (PostgreSQL through `pg`, or embedded PGlite), all on Kysely.
 */
export type { CertificatesTable, EcpTables, JsonValue, NoncesTable, RateLimitsTable, SessionsTable } from './schema.js';
export {
  listMigrations,
  migrateToLatest,
  MigrationError,
  MIGRATION_LOCK_TABLE,
  MIGRATION_TABLE,
  runMigrations,
  type MigrationReport,
} from './migrations.js';
export { createPostgresKysely, type PostgresKyselyOptions } from './postgres.js';
export { createPgliteKysely } from './pglite.js';
export {
  DEFAULT_NONCE_LIFETIME_MS,
  isWellFormedNonceId,
  NonceStore,
  type ConsumeResult,
  type IssuedNonce,
  type NonceConsumeStrategy,
  type NonceStoreOptions,
} from './nonce-store.js';
export { cleanupNonces, type CleanupNoncesOptions } from './nonce-cleanup.js';
export { cleanupRateLimits, databaseRateLimitStore, MAX_RATE_LIMIT_KEY_LENGTH } from './rate-limit-store.js';
export {
  CertificateStore,
  MAX_CERTIFICATE_DER_BYTES,
  type CertificateInfo,
  type StoredCertificate,
} from './certificate-store.js';
export {
  DEFAULT_SESSION_TTL_MS,
  KyselySessionStore,
  MAX_SESSION_BYTES,
  pruneSessions,
  type KyselySessionStoreOptions,
  type PruneSessionsOptions,
} from './session-store.js';
export { DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE } from './batch-delete.js';
export { PrecompiledQuery, type CompiledQueryExecutor } from './precompiled-query.js';
export { isDatabaseUnavailable } from './unavailable.js';
