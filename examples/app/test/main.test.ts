/**
 * The example as `pnpm start` runs it: a real process with real settings (scrypt at OWASP
 * cost, 600 000-iteration key files), driven with curl and openssl only, then stopped by
 * SIGTERM / SIGINT.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestDatabase, curl, curlOk, opensslOk } from '@ecp/testkit';
// inject('databaseUrl') is typed by the global setup's ProvidedContext augmentation.
import type {} from '@ecp/testkit/postgres-global-setup';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';

const APP_DIR = resolve(import.meta.dirname, '..');
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
/** Two cold starts (tsx + PGlite) plus OWASP-cost hashing: ~20 s alone, several times that on a loaded 2-core machine. */
const PROCESS_TEST_TIMEOUT_MS = 240_000;

interface Running {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();
afterEach(() => {
  // A test that failed half-way must not leave its server running.
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
});

/** Starts `src/main.ts` the way the package's start script does, and waits for its URL. */
async function start(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
    cwd: APP_DIR,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.on('exit', (code, signal) => resolveExit({ code, signal })),
  );
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within ${START_TIMEOUT_MS} ms\nstdout: ${stdout}\nstderr: ${stderr}`)), START_TIMEOUT_MS);
    const check = () => {
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout!.on('data', check);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
  return { child, url, stdout: () => stdout, stderr: () => stderr, exited };
}

async function stop(running: Running, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  running.child.kill(signal);
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`did not stop within ${STOP_TIMEOUT_MS} ms`)), STOP_TIMEOUT_MS));
  return Promise.race([running.exited, timeout]);
}

describe('pnpm start (src/main.ts)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const tempDir = (prefix: string): string => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };

  it('serves the whole flow on embedded PGlite with curl and openssl as the only clients, and stops on SIGTERM', async () => {
    const dataDir = tempDir('ecp-example-data-');
    const work = tempDir('ecp-example-client-');
    const app = await start({ DATA_DIR: dataDir });
    expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(app.stdout()).toContain(`PGlite in ${join(dataDir, 'pglite')}`);
    expect(app.stderr()).toMatch(/SESSION_SECRET is not set/);

    const jar = join(work, 'cookies');
    const call = async (args: string[]) => (await curlOk(['-sS', '-b', jar, '-c', jar, ...args])).stdout.toString();
    const home = await curl(['-sS', '-o', '/dev/null', '-w', '%{http_code} %{content_type}', `${app.url}/`]);
    expect(home.stdout.toString()).toBe('200 text/html; charset=utf-8');

    const registered = await curl(['-sS', '-b', jar, '-c', jar, '-w', '\n%{http_code}', '-d', 'username=carol&password=hunter2hunter2&key_password=key phrase', `${app.url}/register`]);
    expect(registered.stdout.toString()).toBe('{"username":"carol"}\n201');
    await call(['-o', join(work, 'private_key.pem'), `${app.url}/ecp/keys?file=private_key`]);
    await call(['-o', join(work, 'credentials.p12'), `${app.url}/ecp/keys?file=pkcs12`]);
    writeFileSync(join(work, 'pass'), 'key phrase\n');
    // The key file is what contract §2 promises: PBES2, PBKDF2-HMAC-SHA256 with 600 000 iterations, AES-256-CBC.
    const asn1 = opensslOk(['asn1parse', '-in', join(work, 'private_key.pem')]).stdout.toString();
    expect(asn1).toContain('PBES2');
    expect(asn1).toContain('hmacWithSHA256');
    expect(asn1).toContain('aes-256-cbc');
    expect(asn1).toMatch(/INTEGER\s+:0927C0/); // 600 000
    opensslOk(['pkey', '-in', join(work, 'private_key.pem'), '-passin', `file:${join(work, 'pass')}`, '-out', join(work, 'key.pem')]);
    opensslOk(['pkcs12', '-in', join(work, 'credentials.p12'), '-passin', `file:${join(work, 'pass')}`, '-noout']);

    const challenge = JSON.parse(await call([`${app.url}/ecp/challenge`])) as { nonce: string; nonce_id: string };
    writeFileSync(join(work, 'nonce'), challenge.nonce);
    const signature = opensslOk(['dgst', '-sha256', '-sign', join(work, 'key.pem'), join(work, 'nonce')]).stdout.toString('hex');
    const form = `username=carol&password=hunter2hunter2&nonce_id=${encodeURIComponent(challenge.nonce_id)}&signature=${signature}`;
    const login = await curl(['-sS', '-b', jar, '-c', jar, '-w', '\n%{http_code}', '-d', form, `${app.url}/login`]);
    expect(login.stdout.toString()).toBe('{"username":"carol"}\n200');
    expect(await call([`${app.url}/me`])).toBe('{"username":"carol"}');
    const replay = await curl(['-sS', '-w', '\n%{http_code}', '-d', form, `${app.url}/login`]);
    expect(replay.stdout.toString()).toBe('{"error":"invalid credentials","code":"ECP_AUTH_FAILED"}\n401');

    expect(await stop(app, 'SIGTERM')).toEqual({ code: 0, signal: null });
    expect(app.stdout()).toContain('SIGTERM received, shutting down');

    // The embedded database survives the restart; SIGINT (Ctrl-C) stops it as cleanly.
    const again = await start({ DATA_DIR: dataDir, SESSION_SECRET: 'x'.repeat(32) });
    expect(again.stderr()).not.toMatch(/SESSION_SECRET/);
    const taken = await curl(['-sS', '-w', '\n%{http_code}', '-d', 'username=carol&password=x&key_password=y', `${again.url}/register`]);
    expect(taken.stdout.toString()).toMatch(/ECP_USERNAME_TAKEN.*\n409$/s);
    expect(await stop(again, 'SIGINT')).toEqual({ code: 0, signal: null });
  }, PROCESS_TEST_TIMEOUT_MS);

  it('uses PostgreSQL when DATABASE_URL is set', async () => {
    const database = await createTestDatabase(inject('databaseUrl'), 'ecp_example_main');
    try {
      const app = await start({ DATABASE_URL: database.url, SESSION_SECRET: 'y'.repeat(32) });
      expect(app.stdout()).toContain('database PostgreSQL (DATABASE_URL)');
      const challenge = await curl(['-sS', '-w', '\n%{http_code}', `${app.url}/ecp/challenge`]);
      expect(challenge.stdout.toString()).toMatch(/"nonce":"[0-9a-f]{64}".*\n200$/s);
      expect(await stop(app, 'SIGTERM')).toEqual({ code: 0, signal: null });
    } finally {
      await database.drop();
    }
  }, PROCESS_TEST_TIMEOUT_MS);

  it('refuses bad settings with a clear message and exit code 2', async () => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
      cwd: APP_DIR,
      env: { PATH: process.env.PATH ?? '', PORT: 'eighty' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolveExit) => child.on('exit', (exitCode) => resolveExit(exitCode)));
    expect(code).toBe(2);
    expect(stderr.trim()).toBe('ecp example: PORT must be a number from 0 to 65535, got "eighty"');
  });
});
