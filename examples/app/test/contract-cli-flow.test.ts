/**
 * Contract §0 as an outside suite drives it: the repository root's `pnpm start`,
 * `pnpm ecp ...` and `pnpm ecp-fastify cleanup-nonces`, used against each other, with curl
 * and openssl as the only other clients. The packages' own tests run the CLIs and the app
 * as `node src/...`; this file is about what the root entry points add: pnpm's process
 * chain (SIGTERM sent to `pnpm start` itself must stop the app, not orphan it) and the
 * pieces working together (keys from registration signed by `ecp sign`, certificates from
 * `ecp ca issue` accepted by `/mtls/whoami` configured through ECP_CLIENT_CA).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestDatabase, curl, curlOk, isPortOpen, opensslOk } from '@ecp/testkit';
// inject('databaseUrl') is typed by the global setup's ProvidedContext augmentation.
import type {} from '@ecp/testkit/postgres-global-setup';
import { afterEach, describe, expect, inject, it } from 'vitest';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;
const CLI_TIMEOUT_MS = 60_000;
/** A dozen pnpm + tsx start-ups, one app start and OWASP-cost hashing, on a loaded 2-core machine. */
const FLOW_TIMEOUT_MS = 300_000;
const PROXY = '127.0.0.2';
const AUTH_FAILED = '{"error":"invalid credentials","code":"ECP_AUTH_FAILED"}';

/** Only what pnpm needs, plus the test's settings: nothing leaks in from the test runner. */
const baseEnv = (): Record<string, string> => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root' });

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `pnpm <args>` from the repository root, as a user types it (no --silent: `pnpm ecp` must print only what `ecp` prints). */
function pnpmCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn('pnpm', [...args], { cwd: REPO_ROOT, env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolveRun({ status, stdout, stderr });
    });
  });
}

const started = new Set<ChildProcess>();
afterEach(() => {
  // `pnpm start` runs in its own process group: if the test failed half-way (or SIGTERM left
  // the app behind, the bug this file guards against), the whole group goes.
  for (const child of started) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  started.clear();
});

describe('the repository root entry points (contract §0)', () => {
  it('pnpm ecp ca, pnpm start, curl, pnpm ecp sign/verify/inspect and pnpm ecp-fastify work together; SIGTERM to pnpm stops the app', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ecp-contract-cli-'));
    const database = await createTestDatabase(inject('databaseUrl'), 'ecp_contract_cli');
    const at = (name: string) => join(work, name);
    const secrets = { CA_PASS: 'ca passphrase', TLS_PASS: 'tls passphrase', KEY_PASS: 'key pass phrase' };
    try {
      // A CA for client certificates, and a user certificate from it, by the CLI.
      const init = await pnpmCli(['ecp', 'ca', 'init', '--cn', 'Contract CA', '--out-key', at('ca.key'), '--out-cert', at('ca.crt'), '--passphrase-env', 'CA_PASS'], secrets);
      expect(init.status, init.stderr).toBe(0);
      const issue = await pnpmCli(
        ['ecp', 'ca', 'issue', '--ca-cert', at('ca.crt'), '--ca-key', at('ca.key'), '--ca-passphrase-env', 'CA_PASS', '--cn', 'ivy', '--out-key', at('ivy-tls.key'), '--out-cert', at('ivy-tls.crt'), '--passphrase-env', 'TLS_PASS'],
        secrets,
      );
      expect(issue.status, issue.stderr).toBe(0);
      expect(opensslOk(['verify', '-CAfile', at('ca.crt'), at('ivy-tls.crt')]).stdout.toString()).toContain(': OK');
      const tlsFingerprint = opensslOk(['x509', '-in', at('ivy-tls.crt'), '-noout', '-fingerprint', '-sha256']).stdout.toString().trim().split('=')[1]!;
      const chain = await pnpmCli(['ecp', 'verify-chain', at('ivy-tls.crt'), '--ca', at('ca.crt')]);
      expect(chain.status).toBe(0);
      expect(chain.stdout).toMatch(/^valid\n/);
      const revoked = await pnpmCli(['ecp', 'verify-chain', at('ivy-tls.crt'), '--ca', at('ca.crt'), '--revoked-fingerprint', tlsFingerprint]);
      expect(revoked.status).toBe(1);
      expect(revoked.stdout).toMatch(/^invalid: revoked /);

      // `pnpm start`, as the README says, on PostgreSQL, trusting that CA and a proxy at 127.0.0.2.
      const app = spawn('pnpm', ['start'], {
        cwd: REPO_ROOT,
        detached: true,
        env: { ...baseEnv(), PORT: '0', DATABASE_URL: database.url, SESSION_SECRET: 's'.repeat(40), ECP_CLIENT_CA: at('ca.crt'), ECP_TRUSTED_PROXIES: PROXY },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      started.add(app);
      let stdout = '';
      let stderr = '';
      app.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      app.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => app.once('exit', (code, signal) => resolveExit({ code, signal })));
      const url = await new Promise<string>((resolveUrl, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL within ${START_TIMEOUT_MS} ms\nstdout: ${stdout}\nstderr: ${stderr}`)), START_TIMEOUT_MS);
        app.stdout!.on('data', () => {
          const match = /listening on (http:\/\/127\.0\.0\.1:(\d+))\n/.exec(stdout);
          if (match !== null) {
            clearTimeout(timer);
            resolveUrl(match[1]!);
          }
        });
        void exited.then(({ code }) => {
          clearTimeout(timer);
          reject(new Error(`pnpm start exited with ${code} before listening\nstdout: ${stdout}\nstderr: ${stderr}`));
        });
      });
      const port = Number(new URL(url).port);
      expect(port).toBeGreaterThan(0);

      // Register server-side with a form, and take the key files home.
      const jar = at('cookies');
      const registered = await curl(['-sS', '-c', jar, '-w', '\n%{http_code}', '--data-urlencode', 'username=ivy', '--data-urlencode', 'password=ivy password', '--data-urlencode', `key_password=${secrets.KEY_PASS}`, `${url}/register`]);
      expect(registered.stdout.toString()).toBe('{"username":"ivy"}\n201');
      await curlOk(['-sS', '-b', jar, '-o', at('private_key.pem'), `${url}/ecp/keys?file=private_key`]);
      await curlOk(['-sS', '-b', jar, '-o', at('certificate.pem'), `${url}/ecp/keys?file=certificate`]);

      // `ecp inspect --json` agrees with openssl about the downloaded certificate.
      const inspected = await pnpmCli(['ecp', 'inspect', at('certificate.pem'), '--json']);
      expect(inspected.status, inspected.stderr).toBe(0);
      const summary = JSON.parse(inspected.stdout) as { common_name: string; fingerprints: Record<string, string> };
      expect(summary.common_name).toBe('ivy');
      expect(summary.fingerprints['SHA-256']).toBe(opensslOk(['x509', '-in', at('certificate.pem'), '-noout', '-fingerprint', '-sha256']).stdout.toString().trim().split('=')[1]);
      expect(summary.fingerprints['SHA-1']).toBe(opensslOk(['x509', '-in', at('certificate.pem'), '-noout', '-fingerprint', '-sha1']).stdout.toString().trim().split('=')[1]);

      // Log in with a nonce signed by `ecp sign`: stdout is the hex DER signature and nothing else.
      const challenge = JSON.parse((await curlOk(['-sS', `${url}/ecp/challenge`])).stdout.toString()) as { nonce: string; nonce_id: string };
      const signed = await pnpmCli(['ecp', 'sign', '--key', at('private_key.pem'), '--message', challenge.nonce, '--passphrase-env', 'KEY_PASS'], secrets);
      expect(signed.status, signed.stderr).toBe(0);
      expect(signed.stdout).toMatch(/^30[0-9a-f]+\n$/);
      expect(signed.stdout).toMatch(/^[0-9a-f]+\n$/); // nothing of pnpm's on stdout
      const signature = signed.stdout.trim();
      const verified = await pnpmCli(['ecp', 'verify', '--cert', at('certificate.pem'), '--message', challenge.nonce, '--signature', signature.toUpperCase()]);
      expect({ status: verified.status, stdout: verified.stdout }).toEqual({ status: 0, stdout: 'valid\n' });
      const wrongMessage = await pnpmCli(['ecp', 'verify', '--cert', at('certificate.pem'), '--message', `${challenge.nonce}\n`, '--signature', signature]);
      expect({ status: wrongMessage.status, stdout: wrongMessage.stdout }).toEqual({ status: 1, stdout: 'invalid: bad_signature\n' });

      const form = ['--data-urlencode', 'username=ivy', '--data-urlencode', 'password=ivy password', '--data-urlencode', `nonce_id=${challenge.nonce_id}`, '--data-urlencode', `signature=${signature}`];
      const login = await curl(['-sS', '-c', jar, '-b', jar, '-w', '\n%{http_code}', ...form, `${url}/login`]);
      expect(login.stdout.toString()).toBe('{"username":"ivy"}\n200');
      expect((await curl(['-sS', '-b', jar, '-w', '\n%{http_code}', `${url}/me`])).stdout.toString()).toBe('{"username":"ivy"}\n200');
      expect((await curl(['-sS', '-w', '\n%{http_code}', ...form, `${url}/login`])).stdout.toString()).toBe(`${AUTH_FAILED}\n401`);

      // The CA's certificate through the trusted proxy's header: whoami; from anyone else the header is ignored.
      const header = `X-Client-Cert: ${encodeURIComponent(readFileSync(at('ivy-tls.crt'), 'utf8'))}`;
      const whoami = await curl(['-sS', '--interface', PROXY, '-H', header, '-w', '\n%{http_code}', `${url}/mtls/whoami`]);
      const [whoamiBody, whoamiStatus] = whoami.stdout.toString().split('\n');
      expect(whoamiStatus).toBe('200');
      const identity = JSON.parse(whoamiBody!) as Record<string, unknown> & { fingerprints: Record<string, string> };
      expect(Object.keys(identity).sort()).toEqual(['common_name', 'fingerprints', 'issuer', 'not_after', 'not_before', 'serial', 'username']);
      expect(identity).toMatchObject({ common_name: 'ivy', issuer: 'Contract CA', username: 'ivy' });
      expect(identity.fingerprints['SHA-256']).toBe(tlsFingerprint);
      const direct = await curl(['-sS', '-H', header, '-w', '\n%{http_code}', `${url}/mtls/whoami`]);
      expect(direct.stdout.toString()).toMatch(/"code":"ECP_CLIENT_CERTIFICATE_REQUIRED".*\n400$/s);

      // `ecp-fastify cleanup-nonces`: the one consumed nonce goes, the run after finds nothing.
      const cleanup = await pnpmCli(['ecp-fastify', 'cleanup-nonces'], { DATABASE_URL: database.url });
      expect(cleanup.status, cleanup.stderr).toBe(0);
      expect(cleanup.stdout).toMatch(/^deleted 1 nonces?\n$/);
      expect((await pnpmCli(['ecp-fastify', 'cleanup-nonces'], { DATABASE_URL: database.url })).stdout).toMatch(/^deleted 0 nonces\n$/);

      // SIGTERM to `pnpm start` itself (not to its process group) reaches the app through pnpm's chain.
      app.kill('SIGTERM');
      const stop = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`pnpm start did not stop within ${STOP_TIMEOUT_MS} ms`)), STOP_TIMEOUT_MS));
      expect(await Promise.race([exited, stop])).toEqual({ code: 0, signal: null });
      expect(stdout).toContain('SIGTERM received, shutting down');
      expect(await isPortOpen(port)).toBe(false);
    } finally {
      await database.drop();
      rmSync(work, { recursive: true, force: true });
    }
  }, FLOW_TIMEOUT_MS);

  it('pnpm ecp and pnpm ecp-fastify: --help exits 0; bad usage and unreadable input exit 2 with the message on stderr only', async () => {
    const help = await pnpmCli(['ecp', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: ecp <command>/);
    const fastifyHelp = await pnpmCli(['ecp-fastify', 'cleanup-nonces', '--help']);
    expect(fastifyHelp.status).toBe(0);
    expect(fastifyHelp.stdout).toMatch(/^Usage: ecp-fastify cleanup-nonces/);

    const passphraseArgument = await pnpmCli(['ecp', 'sign', '--key', '/nonexistent/key.pem', '--message', 'x', '--passphrase', 'secret']);
    expect(passphraseArgument.status).toBe(2);
    expect(passphraseArgument.stdout).toBe('');
    expect(passphraseArgument.stderr).toMatch(/never taken from the command line/);
    expect(passphraseArgument.stderr).not.toContain('secret');

    const missingFile = await pnpmCli(['ecp', 'inspect', '/nonexistent/certificate.pem']);
    expect({ status: missingFile.status, stdout: missingFile.stdout }).toEqual({ status: 2, stdout: '' });
    expect(missingFile.stderr).toMatch(/^ecp: .*nonexistent\/certificate\.pem/);

    const noDatabase = await pnpmCli(['ecp-fastify', 'cleanup-nonces']);
    expect({ status: noDatabase.status, stdout: noDatabase.stdout }).toEqual({ status: 2, stdout: '' });
    expect(noDatabase.stderr).toMatch(/DATABASE_URL is not set/);
  }, FLOW_TIMEOUT_MS);
});
