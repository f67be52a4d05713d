import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { tail, TestkitError } from './errors.js';
import { makeScratchDir } from './scratch-dir.js';
import { trackExit, type ChildExit } from './child-exit.js';
import { freePort } from './net.js';
import { guardAgainstOrphans } from './orphan-guard.js';
import { copyTemplate, saveTemplate, templateKey } from './postgres-template.js';
import { settlesWithin, sleep } from './time.js';

export interface PostgresCluster {
  /** `postgresql://postgres@127.0.0.1:<port>/postgres` (trust auth), or `DATABASE_URL` as given. */
  url: string;
  /** The cluster's temp directory (data dir, socket, log); null when `DATABASE_URL` was used. */
  dir: string | null;
  /** The TCP port on 127.0.0.1; null when `DATABASE_URL` was used. */
  port: number | null;
  /** Immediate shutdown and removal of the directory. A no-op for `DATABASE_URL`. Idempotent. */
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Use `process.env.DATABASE_URL` when it is set (default true). */
  useDatabaseUrl?: boolean;
  /** How long to wait for the server to accept connections (default 30 s). */
  timeoutMs?: number;
}

export interface TestDatabase {
  /** The cluster URL with its database replaced by the new one. */
  url: string;
  name: string;
  /** Drops the database, closing whatever connections are still open on it. */
  drop(): Promise<void>;
}

const POSTGRES_ROOT = '/usr/lib/postgresql';
const PORT_ATTEMPTS = 3;

/**
 * Starts a throwaway PostgreSQL cluster on 127.0.0.1 (or hands back `DATABASE_URL`).
 *
 * Tuned for tests, not durability: fsync and full-page writes off, small shared buffers,
 * trust auth on the loopback interface only, and 250 connections so that 50 concurrent
 * logins over two app instances (each with its own pool) fit.
 */
export async function startPostgresCluster(options: StartPostgresOptions = {}): Promise<PostgresCluster> {
  const external = process.env.DATABASE_URL;
  if ((options.useDatabaseUrl ?? true) && external !== undefined && external !== '') {
    return { url: external, dir: null, port: null, stop: async () => {} };
  }

  const bin = findPostgresBinDir();
  const owner = serverOwner();
  const dir = makeScratchDir('ecp-pg-');
  try {
    if (owner !== null) chownSync(dir, owner.uid, owner.gid);
    const dataDir = join(dir, 'data');
    const initdbArgs = ['-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync'];
    const key = templateKey(bin, initdbArgs, owner?.uid ?? process.getuid?.() ?? -1);
    if (!(await copyTemplate(key, dataDir))) {
      await runAsOwner(join(bin, 'initdb'), ['-D', dataDir, ...initdbArgs], owner, dir);
      await saveTemplate(key, dataDir);
    }

    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const started = await startServer({ bin, dir, dataDir, port, owner, timeoutMs: options.timeoutMs ?? 30_000 });
      if (started.ok) return started.cluster;
      // Another process may have taken the port between freePort() and postgres binding it.
      if (!started.portTaken || attempt >= PORT_ATTEMPTS) throw started.error;
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Creates a database with a unique name in the cluster at `clusterUrl`, so each test
 * file starts from an empty schema and can run in parallel with the others.
 */
export async function createTestDatabase(clusterUrl: string, prefix = 'ecp_test'): Promise<TestDatabase> {
  const safePrefix = prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 32);
  const name = `${safePrefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await runAdmin(clusterUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      // WITH (FORCE) (PostgreSQL 13+): a test that leaked a pool must not block the drop.
      await runAdmin(clusterUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

/** The newest `/usr/lib/postgresql/<version>/bin` that has both initdb and postgres. */
export function findPostgresBinDir(): string {
  const versions = existsSync(POSTGRES_ROOT)
    ? readdirSync(POSTGRES_ROOT)
        .filter((entry) => /^\d+$/.test(entry))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const version of versions) {
    const bin = join(POSTGRES_ROOT, version, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'postgres'))) return bin;
  }
  throw new TestkitError(
    `no PostgreSQL server binaries under ${POSTGRES_ROOT}/<version>/bin (apt-get install postgresql), or set DATABASE_URL`,
    'TESTKIT_MISSING_PROGRAM',
  );
}

interface Owner {
  uid: number;
  gid: number;
}

/** PostgreSQL refuses to run as root, so as root we run it as the `postgres` system user. */
function serverOwner(): Owner | null {
  if (process.getuid?.() !== 0) return null;
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === 'postgres');
  if (entry === undefined || entry[2] === undefined || entry[3] === undefined) {
    throw new TestkitError('running as root but there is no "postgres" user (apt-get install postgresql creates it)', 'TESTKIT_MISSING_PROGRAM');
  }
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

// Node's uid/gid spawn options (which also drop root's supplementary groups) do what
// `runuser -u postgres --` would, without a runuser process in between: the pid we hold is
// the postmaster's own, so signals reach it directly and its exit is observed directly.
function ownerOptions(owner: Owner | null): { uid?: number; gid?: number } {
  return owner === null ? {} : { uid: owner.uid, gid: owner.gid };
}

function runAsOwner(program: string, args: string[], owner: Owner | null, cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { cwd, timeout: 60_000, ...ownerOptions(owner) }, (error, stdout, stderr) => {
      if (error === null) resolve();
      else reject(new TestkitError(`${program} failed: ${error.message}\n${tail(`${stdout}\n${stderr}`)}`, 'TESTKIT_START_FAILED', { cause: error }));
    });
  });
}

type StartResult = { ok: true; cluster: PostgresCluster } | { ok: false; portTaken: boolean; error: TestkitError };

async function startServer(args: {
  bin: string;
  dir: string;
  dataDir: string;
  port: number;
  owner: Owner | null;
  timeoutMs: number;
}): Promise<StartResult> {
  const { bin, dir, dataDir, port, owner, timeoutMs } = args;
  const logFile = join(dir, 'postgres.log');
  const logFd = openSync(logFile, 'w'); // fresh per attempt, so an earlier bind failure is not misread
  if (owner !== null) chownSync(logFile, owner.uid, owner.gid);
  const settings = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: dir,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    shared_buffers: '32MB',
    max_connections: '250',
  };
  const child = spawn(join(bin, 'postgres'), ['-D', dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])], {
    cwd: dir,
    stdio: ['ignore', logFd, logFd],
    detached: true, // own process group: a Ctrl-C to the runner must not half-stop it mid-teardown
    ...ownerOptions(owner),
  });
  closeSync(logFd);
  child.unref(); // a forgotten stop() must not keep the test process alive; the guard kills it
  const exit = trackExit(child);
  const release = child.pid === undefined ? () => {} : guardAgainstOrphans({ pid: child.pid, signal: 'SIGQUIT', dir });
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const readLog = (): string => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exit.ended) {
      release();
      const log = readLog();
      return {
        ok: false,
        portTaken: /could not bind|Address already in use/i.test(log),
        error: new TestkitError(`postgres ended during start-up (${exit.reason}); log tail:\n${tail(log)}`, 'TESTKIT_START_FAILED'),
      };
    }
    if (await acceptsConnections(url, dataDir)) break;
    if (Date.now() >= deadline) {
      await stopChild(child, exit);
      release();
      return {
        ok: false,
        portTaken: false,
        error: new TestkitError(`postgres did not accept connections on 127.0.0.1:${port} within ${timeoutMs} ms; log tail:\n${tail(readLog())}`, 'TESTKIT_TIMEOUT'),
      };
    }
    await sleep(50);
  }

  let stopping: Promise<void> | undefined;
  return {
    ok: true,
    cluster: {
      url,
      dir,
      port,
      stop: () => {
        stopping ??= (async () => {
          await stopChild(child, exit);
          release();
          rmSync(dir, { recursive: true, force: true });
        })();
        return stopping;
      },
    },
  };
}

/** SIGQUIT is PostgreSQL's immediate shutdown: no checkpoint, which a throwaway cluster never needs. */
async function stopChild(child: ChildProcess, exit: ChildExit): Promise<void> {
  if (exit.ended) return;
  child.kill('SIGQUIT');
  if (!(await settlesWithin(exit.promise, 10_000))) {
    child.kill('SIGKILL');
    await exit.promise;
  }
}

/**
 * True once OUR server answers: the data directory is compared so that another cluster
 * that grabbed the port first (and whose start-up failure we have not noticed yet) is
 * never mistaken for ours.
 */
async function acceptsConnections(url: string, dataDir: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const result = await client.query<{ dir: string }>("SELECT current_setting('data_directory') AS dir");
    return result.rows[0]?.dir === dataDir;
  } catch {
    return false; // refused, or "the database system is starting up"
  } finally {
    await client.end().catch(() => {});
  }
}

async function runAdmin(clusterUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: clusterUrl, connectionTimeoutMillis: 10_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query(sql);
  } finally {
    await client.end().catch(() => {});
  }
}
