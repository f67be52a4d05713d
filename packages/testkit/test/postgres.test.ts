import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TestkitError } from '../src/errors.js';
import { isPortOpen } from '../src/net.js';
import { createTestDatabase, findPostgresBinDir, startPostgresCluster, type PostgresCluster } from '../src/postgres.js';
import { eventually, portClosed, processesMentioning } from './helpers.js';

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe('startPostgresCluster', () => {
  let cluster: PostgresCluster;

  beforeAll(async () => {
    cluster = await startPostgresCluster({ useDatabaseUrl: false });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('runs a real PostgreSQL server on 127.0.0.1 with room for 200+ connections', async () => {
    expect(cluster.url).toBe(`postgresql://postgres@127.0.0.1:${cluster.port}/postgres`);
    const [version] = await query<{ version: string }>(cluster.url, 'SELECT version()');
    expect(version?.version).toMatch(/^PostgreSQL \d+/);
    const [listen] = await query<{ listen_addresses: string }>(cluster.url, 'SHOW listen_addresses');
    expect(listen?.listen_addresses).toBe('127.0.0.1');
    const [max] = await query<{ max_connections: string }>(cluster.url, 'SHOW max_connections');
    expect(Number(max?.max_connections)).toBeGreaterThanOrEqual(200);
    const [fsync] = await query<{ fsync: string }>(cluster.url, 'SHOW fsync');
    expect(fsync?.fsync).toBe('off');
  });

  it('uses the newest installed server version directory', () => {
    expect(findPostgresBinDir()).toMatch(/^\/usr\/lib\/postgresql\/\d+\/bin$/);
  });

  it('serves 60 concurrent connections', async () => {
    const pool = new pg.Pool({ connectionString: cluster.url, max: 60 });
    try {
      const rows = await Promise.all(Array.from({ length: 60 }, () => pool.query('SELECT pg_sleep(0.05), 1 AS one')));
      expect(rows.every((r) => r.rows[0]?.one === 1)).toBe(true);
      expect(pool.totalCount).toBe(60);
    } finally {
      await pool.end();
    }
  });

  it('gives each caller its own isolated database, and drop() removes it', async () => {
    const a = await createTestDatabase(cluster.url, 'iso-A');
    const b = await createTestDatabase(cluster.url, 'iso-A');
    try {
      expect(a.name).not.toBe(b.name);
      expect(a.name).toMatch(/^iso_a_\d+_[0-9a-f]{8}$/);
      await query(a.url, 'CREATE TABLE nonces (id int PRIMARY KEY)');
      await query(a.url, 'INSERT INTO nonces VALUES (1)');
      const [inA] = await query<{ n: string }>(a.url, 'SELECT count(*) AS n FROM nonces');
      expect(inA?.n).toBe('1');
      const [inB] = await query<{ t: string | null; db: string }>(b.url, "SELECT to_regclass('nonces')::text AS t, current_database() AS db");
      expect(inB).toEqual({ t: null, db: b.name });
    } finally {
      // A connection left open must not block the drop.
      const leaked = new pg.Client({ connectionString: a.url });
      leaked.on('error', () => {});
      await leaked.connect();
      await a.drop();
      await b.drop();
      await leaked.end().catch(() => {});
    }
    const left = await query<{ datname: string }>(cluster.url, 'SELECT datname FROM pg_database WHERE datname = ANY($1)', [[a.name, b.name]]);
    expect(left).toEqual([]);
  });

  it('stop() shuts the server down, frees the port and removes the directory', async () => {
    const own = await startPostgresCluster({ useDatabaseUrl: false });
    const dir = own.dir as string;
    const port = own.port as number;
    expect(statSync(dir).isDirectory()).toBe(true);
    expect(await isPortOpen(port)).toBe(true);
    expect(processesMentioning(dir).length).toBeGreaterThan(0);

    await own.stop();
    expect(existsSync(dir)).toBe(false);
    expect(await isPortOpen(port)).toBe(false);
    expect(processesMentioning(dir)).toEqual([]);
    await own.stop(); // idempotent
  });

  it('hands back DATABASE_URL untouched when it is set', async () => {
    vi.stubEnv('DATABASE_URL', 'postgresql://someone@db.example:5432/ecp');
    try {
      const external = await startPostgresCluster();
      expect(external).toMatchObject({ url: 'postgresql://someone@db.example:5432/ecp', dir: null, port: null });
      await external.stop();
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('reports an unreachable cluster clearly when creating a database', async () => {
    await expect(createTestDatabase('postgresql://postgres@127.0.0.1:1/postgres')).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('orphan protection', () => {
  const fixture = fileURLToPath(new URL('./fixtures/abandon-cluster.ts', import.meta.url));

  function abandonCluster(mode: 'exit' | 'hang'): Promise<{ dir: string; port: number; child: ReturnType<typeof spawn> }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', fixture, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const line = out.split('\n')[0];
        if (out.includes('\n') && line !== undefined) resolve({ ...(JSON.parse(line) as { dir: string; port: number }), child });
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
      child.once('exit', (code) => {
        if (!out.includes('\n')) reject(new TestkitError(`fixture ended (${code}) before starting: ${err}`, 'TESTKIT_START_FAILED'));
      });
    });
  }

  it('stops the server when the process exits without calling stop()', async () => {
    const { dir, port } = await abandonCluster('exit');
    expect(await eventually(() => portClosed(port), 5_000)).toBe(true);
    expect(await eventually(() => !existsSync(dir), 5_000)).toBe(true);
    expect(processesMentioning(dir)).toEqual([]);
  });

  it('stops the server and removes its directory when the process is SIGKILLed', async () => {
    const { dir, port, child } = await abandonCluster('hang');
    expect(await isPortOpen(port)).toBe(true);
    child.kill('SIGKILL');
    expect(await eventually(() => portClosed(port), 8_000)).toBe(true);
    expect(await eventually(() => !existsSync(dir), 8_000)).toBe(true);
    expect(processesMentioning(dir)).toEqual([]);
  });
});
