import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type {} from '@ecp/testkit/postgres-global-setup'; // types inject('databaseUrl') for tsc
import { createTestDatabase, freePort, type TestDatabase } from '@ecp/testkit';
import type { Kysely } from 'kysely';
import { createPostgresKysely, migrateToLatest, type EcpTables } from '../src/storage/index.js';
import { seedNonces } from './storage-helpers.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as `pnpm ecp-fastify` does, with only the environment given (no inherited DATABASE_URL). */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', MAIN, ...args],
      { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const noStackTrace = (run: Run) => expect(`${run.stdout}${run.stderr}`).not.toMatch(/\n\s+at |node:internal|\.ts:\d+/);

describe('ecp-fastify CLI', () => {
  let database: TestDatabase;
  let db: Kysely<EcpTables>;

  beforeAll(async () => {
    database = await createTestDatabase(inject('databaseUrl'), 'ecp_cli');
    db = createPostgresKysely(database.url, { max: 2 });
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('says the tables are missing before migrate, then migrate applies once and reports it', async () => {
    const before = await cli(['cleanup-nonces'], { DATABASE_URL: database.url });
    expect(before.code).toBe(1);
    expect(before.stderr).toMatch(/ecp-fastify migrate/);
    noStackTrace(before);

    const first = await cli(['migrate'], { DATABASE_URL: database.url });
    expect(first).toMatchObject({ code: 0, stdout: 'applied 0001_ecp_initial\napplied 0002_ecp_rate_limits\n' });
    const second = await cli(['migrate'], { DATABASE_URL: database.url });
    expect(second).toMatchObject({ code: 0, stdout: 'schema is up to date, nothing to apply\n' });
  });

  it('cleanup-nonces deletes used and expired nonces, prints the count, and keeps live ones', async () => {
    await migrateToLatest(db); // in case this test runs alone
    await db.deleteFrom('ecp_nonces').execute();
    const now = Date.now();
    await seedNonces(db, 5, { expiresAt: new Date(now - 60_000) });
    await seedNonces(db, 4, { expiresAt: new Date(now + 600_000), consumedAt: new Date(now - 60_000) });
    const live = await seedNonces(db, 3, { expiresAt: new Date(now + 600_000) });

    const kept = await cli(['cleanup-nonces', '--retain', '3600'], { DATABASE_URL: database.url });
    expect(kept).toMatchObject({ code: 0, stdout: 'deleted 0 nonces\n', stderr: '' });

    const run = await cli(['cleanup-nonces', '--batch-size', '2'], { DATABASE_URL: database.url });
    expect(run).toMatchObject({ code: 0, stdout: 'deleted 9 nonces\n', stderr: '' });
    const left = await db.selectFrom('ecp_nonces').select('id').execute();
    expect(left.map((row) => row.id).sort()).toEqual([...live].sort());

    expect(await cli(['cleanup-nonces'], { DATABASE_URL: database.url })).toMatchObject({ code: 0, stdout: 'deleted 0 nonces\n' });
  });

  it('cleanup-sessions deletes expired sessions and prints the count', async () => {
    await migrateToLatest(db);
    await db
      .insertInto('ecp_sessions')
      .values([
        { sid: 'old', data: '{}', expires_at: new Date(Date.now() - 1_000) },
        { sid: 'new', data: '{}', expires_at: new Date(Date.now() + 600_000) },
      ])
      .execute();
    expect(await cli(['cleanup-sessions'], { DATABASE_URL: database.url })).toMatchObject({ code: 0, stdout: 'deleted 1 sessions\n' });
    expect((await db.selectFrom('ecp_sessions').select('sid').execute()).map((row) => row.sid)).toEqual(['new']);
  });

  it('cleanup-rate-limits deletes ended rate-limit windows and prints the count', async () => {
    await migrateToLatest(db);
    await db
      .insertInto('ecp_rate_limits')
      .values([
        { key: 'cli-ended', hits: 4, resets_at: new Date(Date.now() - 1_000) },
        { key: 'cli-live', hits: 1, resets_at: new Date(Date.now() + 600_000) },
      ])
      .execute();
    expect(await cli(['cleanup-rate-limits', '--batch-size', '1'], { DATABASE_URL: database.url })).toMatchObject({
      code: 0,
      stdout: 'deleted 1 rate-limit counters\n',
    });
    const keys = (await db.selectFrom('ecp_rate_limits').select('key').execute()).map((row) => row.key);
    expect(keys).toContain('cli-live');
    expect(keys).not.toContain('cli-ended');
  });

  it('exits 2 with one clear line when DATABASE_URL is unset or unreachable, without leaking the password', async () => {
    const unset = await cli(['cleanup-nonces']);
    expect(unset.code).toBe(2);
    expect(unset.stdout).toBe('');
    expect(unset.stderr).toMatch(/^ecp-fastify cleanup-nonces: DATABASE_URL is not set/);
    noStackTrace(unset);

    const port = await freePort();
    const unreachable = await cli(['cleanup-nonces'], { DATABASE_URL: `postgresql://ecp:s3cret-pass@127.0.0.1:${port}/ecp` });
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toBe(`ecp-fastify cleanup-nonces: cannot reach 127.0.0.1:${port}/ecp: connect ECONNREFUSED 127.0.0.1:${port}\n`);
    expect(unreachable.stderr).not.toContain('s3cret');
  });

  it('prints help with exit 0 and refuses bad usage with exit 2', async () => {
    const overview = await cli(['--help']);
    expect(overview.code).toBe(0);
    expect(overview.stdout).toMatch(/cleanup-nonces/);
    expect(overview.stdout).toMatch(/migrate/);

    const help = await cli(['cleanup-nonces', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: ecp-fastify cleanup-nonces \[--batch-size N\] \[--retain SECONDS\]/);

    const bad = [[], ['frobnicate'], ['cleanup-nonces', '--batch-size', 'lots'], ['cleanup-nonces', '--batch-size', '0'], ['cleanup-nonces', '--bogus'], ['migrate', 'extra']];
    const runs = await Promise.all(bad.map((args) => cli(args, { DATABASE_URL: database.url })));
    for (const [index, run] of runs.entries()) {
      expect(run.code, bad[index]!.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/Usage: ecp-fastify/);
      noStackTrace(run);
    }
  });
});
