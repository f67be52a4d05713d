/** Production storage: PostgreSQL through a `pg` connection pool. */
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import type { EcpTables } from './schema.js';
import { isDatabaseUnavailable } from './unavailable.js';

export interface PostgresKyselyOptions {
  /** Pool size (pg's default is 10). */
  max?: number;
  /**
   * How long to wait for a new connection before failing (default 10 s). Without it, pg waits
   * forever for a server that drops packets, and a request would hang instead of getting a 503.
   */
  connectionTimeoutMillis?: number;
  /** Called with errors of connections that died (server restart, admin terminate). Default: ignored. */
  onConnectionError?: (error: Error) => void;
}

const DEFAULT_CONNECTION_TIMEOUT_MS = 10_000;

export function createPostgresKysely(connectionString: string, options: PostgresKyselyOptions = {}): Kysely<EcpTables> {
  const pool = new pg.Pool({
    connectionString,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? DEFAULT_CONNECTION_TIMEOUT_MS,
    ...(options.max === undefined ? {} : { max: options.max }),
  });
  return new Kysely<EcpTables>({ dialect: new PostgresDialect({ pool: new DeadConnectionDroppingPool(pool, options.onConnectionError) }) });
}

/**
 * A `pg.Pool` as Kysely wants it, made robust to connections that die under it.
 *
 * - pg emits 'error' on a client whose connection drops; on a checked-out client nobody
 *   listens (pg-pool only listens while a client is idle), so the process would crash with an
 *   uncaught exception. Every client gets a listener for its whole life.
 * - When the server terminates a backend during a query, the query fails first and the socket
 *   closes a moment later; Kysely releases the client in between, and the next request would
 *   get that dead client and fail too. A client that saw a connection-level failure is
 *   released with the error, which makes pg-pool destroy it instead of reusing it.
 */
class DeadConnectionDroppingPool implements PostgresPool {
  readonly #pool: pg.Pool;
  readonly #failed = new WeakSet<pg.ClientBase>();

  constructor(pool: pg.Pool, onConnectionError: ((error: Error) => void) | undefined) {
    this.#pool = pool;
    const report = (client: pg.ClientBase, error: Error): void => {
      this.#failed.add(client);
      onConnectionError?.(error);
    };
    // The pool itself re-emits errors of idle clients; handled here (the client is then dropped).
    pool.on('error', (error, client) => report(client, error));
    pool.on('connect', (client) => client.on('error', (error) => report(client, error)));
  }

  async connect(): Promise<PostgresPoolClient> {
    const client = await this.#pool.connect();
    let failure: Error | undefined;
    const query = (text: unknown, parameters?: ReadonlyArray<unknown>): unknown => {
      // Only the text form is used (no cursor is configured, so Kysely never streams).
      if (typeof text !== 'string') throw new TypeError('streaming queries are not supported by this pool');
      return client.query(text, parameters as unknown[]).catch((error: unknown) => {
        if (isDatabaseUnavailable(error)) failure = error instanceof Error ? error : new Error(String(error));
        throw error;
      });
    };
    return {
      query: query as PostgresPoolClient['query'],
      release: () => client.release(failure ?? (this.#failed.has(client) ? new Error('connection failed') : undefined)),
    };
  }

  end(): Promise<void> {
    return this.#pool.end();
  }
}
