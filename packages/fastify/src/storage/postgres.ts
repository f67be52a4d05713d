/** Production storage: PostgreSQL through a `pg` connection pool. */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { EcpTables } from './schema.js';

export interface PostgresKyselyOptions {
  /** Pool size (pg's default is 10). */
  max?: number;
  /**
   * How long to wait for a new connection before failing (default 10 s). Without it, pg waits
   * forever for a server that drops packets, and a request would hang instead of getting a 503.
   */
  connectionTimeoutMillis?: number;
  /** Called with errors of idle pooled connections (e.g. the server restarted). Default: ignored. */
  onIdleError?: (error: Error) => void;
}

const DEFAULT_CONNECTION_TIMEOUT_MS = 10_000;

export function createPostgresKysely(connectionString: string, options: PostgresKyselyOptions = {}): Kysely<EcpTables> {
  const pool = new pg.Pool({
    connectionString,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? DEFAULT_CONNECTION_TIMEOUT_MS,
    ...(options.max === undefined ? {} : { max: options.max }),
  });
  // An idle client whose connection dies (server restart, admin terminate) makes the pool emit
  // 'error'; unhandled, that would crash the process. The pool already drops the client, and
  // the next query opens a new connection or fails with an error the caller maps to a 503.
  pool.on('error', (error) => options.onIdleError?.(error));
  return new Kysely<EcpTables>({ dialect: new PostgresDialect({ pool }) });
}
