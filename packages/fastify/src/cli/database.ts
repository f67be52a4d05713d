/** The CLI's database connection: `DATABASE_URL`, with failures turned into clear messages. */
import type { Kysely } from 'kysely';
import { createPostgresKysely, isDatabaseUnavailable, type EcpTables } from '../storage/index.js';
import { InputError } from './args.js';

export function databaseUrlFrom(env: NodeJS.ProcessEnv): string {
  const url = env.DATABASE_URL;
  if (url === undefined || url.trim() === '') {
    throw new InputError('DATABASE_URL is not set: point it at the PostgreSQL database, e.g. DATABASE_URL=postgresql://user:password@host:5432/dbname');
  }
  return url;
}

/** host:port/database of a connection URL, never its password. */
export function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}${parsed.port === '' ? '' : `:${parsed.port}`}${parsed.pathname}`;
  } catch {
    return 'the database named by DATABASE_URL';
  }
}

/** Runs `work` with a one-connection Kysely on DATABASE_URL, then closes it. */
export async function withDatabase<T>(env: NodeJS.ProcessEnv, work: (db: Kysely<EcpTables>) => Promise<T>): Promise<T> {
  const url = databaseUrlFrom(env);
  let db: Kysely<EcpTables>;
  try {
    db = createPostgresKysely(url, { max: 1 });
  } catch (error) {
    // pg parses the URL when the pool is made; a malformed one is bad input.
    throw new InputError(`DATABASE_URL is not a valid connection URL (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    return await work(db);
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      throw new InputError(`cannot reach ${describeDatabase(url)}: ${rootMessage(error)}`, { cause: error });
    }
    throw error;
  } finally {
    await db.destroy().catch(() => {});
  }
}

/** The innermost message of an error chain, which is where pg puts the useful part. */
export function rootMessage(error: unknown): string {
  let current = error;
  for (let depth = 0; depth < 6; depth++) {
    const cause = (current as { cause?: unknown } | null)?.cause;
    if (cause === undefined || cause === null) break;
    current = cause;
  }
  if (current instanceof AggregateError && current.errors[0] instanceof Error) current = current.errors[0];
  return current instanceof Error && current.message !== '' ? current.message : String(current);
}
