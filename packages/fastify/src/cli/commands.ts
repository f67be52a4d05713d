/** The `ecp-fastify` commands: each parses its flags, does one job, and returns an exit code. */
import { cleanupNonces, cleanupRateLimits, DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE, pruneSessions, runMigrations } from '../storage/index.js';
import type { Kysely } from 'kysely';
import type { EcpTables } from '../storage/index.js';
import { parseFlags, parseInteger } from './args.js';
import { withDatabase } from './database.js';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  out(line: string): void;
  err(line: string): void;
}

export interface Command {
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Ten years: a retention beyond that is a typo. */
const MAX_RETAIN_SECONDS = 10 * 365 * 24 * 3600;

/** A cleanup command whose only option is the batch size: parse it, delete, print the count. */
function batchCleanupCommand(spec: {
  name: string;
  summary: string;
  description: string;
  /** What the count counts, in the printed line ("deleted N <deleted>"). */
  deleted: string;
  cleanup(db: Kysely<EcpTables>, batchSize: number): Promise<number>;
}): Command {
  return {
    summary: spec.summary,
    usage: `Usage: ecp-fastify ${spec.name} [--batch-size N]

${spec.description}

Options:
  --batch-size N       rows per DELETE statement, 1 to ${MAX_BATCH_SIZE} (default ${DEFAULT_BATCH_SIZE})
  -h, --help           show this help

Exit codes: 0 done, 1 database error, 2 bad usage or database unreachable.`,
    async run(args, io) {
      const flags = parseFlags(args, { 'batch-size': { type: 'string' } });
      const batchSize = parseInteger('--batch-size', flags['batch-size'], 1, MAX_BATCH_SIZE) ?? DEFAULT_BATCH_SIZE;
      const deleted = await withDatabase(io.env, (db) => spec.cleanup(db, batchSize));
      io.out(`deleted ${deleted} ${spec.deleted}`);
      return 0;
    },
  };
}

export const COMMANDS: Readonly<Record<string, Command>> = {
  'cleanup-nonces': {
    summary: 'delete used and expired login nonces (safe to run from cron)',
    usage: `Usage: ecp-fastify cleanup-nonces [--batch-size N] [--retain SECONDS]

Deletes login nonces that were used or have expired, reading the database from DATABASE_URL,
and prints "deleted N nonces". Rows go in batches of N (default ${DEFAULT_BATCH_SIZE}), each its own short
statement, so logins running at the same time are never held up. Safe to run from cron and
from several hosts at once.

Options:
  --batch-size N       rows per DELETE statement, 1 to ${MAX_BATCH_SIZE} (default ${DEFAULT_BATCH_SIZE})
  --retain SECONDS     keep nonces that expired or were used less than SECONDS ago (default 0)
  -h, --help           show this help

Exit codes: 0 done, 1 database error, 2 bad usage or database unreachable.`,
    async run(args, io) {
      const flags = parseFlags(args, { 'batch-size': { type: 'string' }, retain: { type: 'string' } });
      const batchSize = parseInteger('--batch-size', flags['batch-size'], 1, MAX_BATCH_SIZE);
      const retainSeconds = parseInteger('--retain', flags.retain, 0, MAX_RETAIN_SECONDS);
      const deleted = await withDatabase(io.env, (db) =>
        cleanupNonces(db, { batchSize: batchSize ?? DEFAULT_BATCH_SIZE, retainMs: (retainSeconds ?? 0) * 1000 }),
      );
      io.out(`deleted ${deleted} nonces`);
      return 0;
    },
  },
  'cleanup-sessions': batchCleanupCommand({
    name: 'cleanup-sessions',
    summary: 'delete expired sessions (safe to run from cron)',
    description: `Deletes expired sessions from the session table, reading the database from DATABASE_URL, and
prints "deleted N sessions". Batches as cleanup-nonces does.`,
    deleted: 'sessions',
    cleanup: (db, batchSize) => pruneSessions(db, { batchSize }),
  }),
  'cleanup-rate-limits': batchCleanupCommand({
    name: 'cleanup-rate-limits',
    summary: 'delete ended rate-limit windows (safe to run from cron)',
    description: `Deletes the counters of the database rate-limit store (rateLimit.store "database") whose
window has ended, reading the database from DATABASE_URL, and prints "deleted N rate-limit
counters". A client's next hit starts a new window either way: this only reclaims space.
Batches as cleanup-nonces does.`,
    deleted: 'rate-limit counters',
    cleanup: (db, batchSize) => cleanupRateLimits(db, { batchSize }),
  }),
  migrate: {
    summary: 'create or update the ecp tables',
    usage: `Usage: ecp-fastify migrate

Creates or updates the ecp tables (ecp_nonces, ecp_certificates, ecp_sessions, ecp_rate_limits) in the database
named by DATABASE_URL and prints each migration it applied. Idempotent, and safe when another
instance migrates at the same moment (they take turns under a PostgreSQL advisory lock).

Options:
  -h, --help           show this help

Exit codes: 0 done, 1 database error, 2 bad usage or database unreachable.`,
    async run(args, io) {
      parseFlags(args, {});
      const report = await withDatabase(io.env, (db) => runMigrations(db));
      if (report.executed.length === 0) io.out('schema is up to date, nothing to apply');
      for (const name of report.executed) io.out(`applied ${name}`);
      return 0;
    },
  },
};
