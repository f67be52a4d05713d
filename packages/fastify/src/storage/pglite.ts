/**
 * Embedded storage: PGlite (PostgreSQL compiled to WebAssembly, in process) through
 * `kysely-pglite-dialect`, for the example application and for setups without a server.
 *
 * Why this dialect and not `kysely-pglite`: here, `kysely-pglite` let 8 concurrent
 * `FOR UPDATE` transactions all consume the same nonce, while `kysely-pglite-dialect` hands
 * its single connection to one transaction at a time, which keeps consumes atomic.
 *
 * Both modules are imported lazily so that a PostgreSQL-only deployment never loads them.
 */
import { Kysely } from 'kysely';
import type { EcpTables } from './schema.js';

/** Opens (creating if needed) a PGlite database in `dataDir`, or an in-memory one when undefined. */
export async function createPgliteKysely(dataDir: string | undefined): Promise<Kysely<EcpTables>> {
  const [{ PGlite }, { PGliteDialect }] = await Promise.all([import('@electric-sql/pglite'), import('kysely-pglite-dialect')]);
  const pglite = await PGlite.create(dataDir === undefined ? undefined : { dataDir });
  return new Kysely<EcpTables>({ dialect: new PGliteDialect(pglite) });
}
