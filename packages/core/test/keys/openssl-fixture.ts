/**
 * A throwaway directory of key files made fresh by the openssl CLI (and Python
 * `cryptography` when installed): the interop tests do not depend on committed vectors only.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { opensslOk } from '@ecp/testkit';

export const PASS = 'interop-pass-phrase';
export const UNICODE_PASS = 'pässwörd-日本-🔑';

export interface OpensslFixture {
  dir: string;
  path(name: string): string;
  read(name: string): Uint8Array;
  text(name: string): string;
  /** Runs openssl in the fixture directory; throws with stderr unless it exits 0. */
  run(...args: string[]): Buffer;
  /** alice's uncompressed public point (from `openssl pkey -pubout`). */
  alicePoint: Uint8Array;
  cleanup(): void;
}

export function hasPythonCryptography(): boolean {
  return spawnSync('python3', ['-c', 'import cryptography'], { timeout: 30_000 }).status === 0;
}

/** Runs a Python snippet with argv; returns stdout (throws with stderr on failure). */
export function python(code: string, ...args: string[]): string {
  const result = spawnSync('python3', ['-c', code, ...args], { timeout: 60_000, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return result.stdout;
}

export function makeOpensslFixture(): OpensslFixture {
  const dir = mkdtempSync(join(tmpdir(), 'ecp-keys-'));
  const path = (name: string) => join(dir, name);
  const run = (...args: string[]) => opensslOk(args, { cwd: dir }).stdout;
  run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'alice.pem');
  run('req', '-new', '-x509', '-key', 'alice.pem', '-subj', '/CN=alice', '-days', '30', '-out', 'alice.crt');
  run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.pem');
  run('req', '-new', '-x509', '-key', 'ca.pem', '-subj', '/CN=ecp test CA', '-days', '30', '-out', 'ca.crt');
  const spki = run('pkey', '-in', 'alice.pem', '-pubout', '-outform', 'DER');
  writeFileSync(path('pass.txt'), PASS);
  return {
    dir,
    path,
    read: (name) => new Uint8Array(readFileSync(path(name))),
    text: (name) => readFileSync(path(name), 'utf8'),
    run,
    alicePoint: new Uint8Array(spki.subarray(spki.length - 65)),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
