// `ecp keygen` end to end: the files it writes are read by OpenSSL (pkey, asn1parse, x509,
// pkcs12), they are protected as the contract says, and existing files are never replaced
// by accident.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openssl, opensslOk } from '@ecp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanFailure, runEcp, scratchDirectory } from './cli-harness.js';

const PASSPHRASE = 'correct horse battery staple';
const env = { KEY_PASS: PASSPHRASE };
const scratch = scratchDirectory('keygen');
const dir = scratch.dir;
const at = (name: string): string => join(dir, name);

afterAll(() => scratch.remove());

describe('ecp keygen with --iterations 50000 and --p12', () => {
  let stdout = '';
  beforeAll(async () => {
    const result = await runEcp(
      ['keygen', '--cn', 'alice', '--out-key', 'alice.key', '--out-cert', 'alice.crt', '--p12', 'alice.p12', '--iterations', '50000', '--passphrase-env', 'KEY_PASS'],
      { cwd: dir, env },
    );
    expect(result.stderr).toMatch(/warning: 50000 PBKDF2 iterations is below the 600000/);
    expect(result.status).toBe(0);
    stdout = result.stdout;
  });

  it('writes an encrypted PKCS#8 key that openssl pkey opens with the passphrase, mode 0600', () => {
    expect(readFileSync(at('alice.key'), 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    expect(statSync(at('alice.key')).mode & 0o777).toBe(0o600);
    const text = opensslOk(['pkey', '-in', at('alice.key'), '-passin', 'env:KEY_PASS', '-noout', '-text'], { env: { ...process.env, ...env } });
    expect(text.stdout.toString()).toMatch(/ASN1 OID: prime256v1/);
    expect(openssl(['pkey', '-in', at('alice.key'), '-passin', 'pass:wrong', '-noout']).status).not.toBe(0);
  });

  it('encrypts with PBES2: PBKDF2 hmacWithSHA256, the asked iteration count, AES-256-CBC', () => {
    const asn1 = opensslOk(['asn1parse', '-in', at('alice.key')]).stdout.toString();
    expect(asn1).toMatch(/:PBES2/);
    expect(asn1).toMatch(/:PBKDF2/);
    expect(asn1).toMatch(/:hmacWithSHA256/);
    expect(asn1).toMatch(/:aes-256-cbc/);
    expect(asn1).toMatch(/INTEGER\s+:C350\b/); // 50 000
  });

  it('writes a self-signed certificate: CN=alice, 365 days, clientAuth, P-256', () => {
    const text = opensslOk(['x509', '-in', at('alice.crt'), '-noout', '-text']).stdout.toString();
    expect(text).toMatch(/Subject: CN = alice/);
    expect(text).toMatch(/Issuer: CN = alice/);
    expect(text).toMatch(/TLS Web Client Authentication/);
    expect(text).toMatch(/CA:FALSE/);
    expect(text).toMatch(/Digital Signature/);
    expect(text).toMatch(/NIST CURVE: P-256/);
    const dates = opensslOk(['x509', '-in', at('alice.crt'), '-noout', '-startdate', '-enddate']).stdout.toString();
    const start = Date.parse(/notBefore=(.*)/.exec(dates)![1]!);
    const end = Date.parse(/notAfter=(.*)/.exec(dates)![1]!);
    expect((end - start) / 86_400_000).toBe(365);
    expect(Math.abs(start - Date.now())).toBeLessThan(5 * 60_000);
  });

  it('the certificate belongs to the key', () => {
    const fromKey = opensslOk(['pkey', '-in', at('alice.key'), '-passin', 'env:KEY_PASS', '-pubout'], { env: { ...process.env, ...env } }).stdout.toString();
    const fromCert = opensslOk(['x509', '-in', at('alice.crt'), '-noout', '-pubkey']).stdout.toString();
    expect(fromCert).toBe(fromKey);
  });

  it('writes a .p12 that openssl pkcs12 -info opens with the same passphrase (AES-256-CBC, SHA-256 MAC), mode 0600', () => {
    expect(statSync(at('alice.p12')).mode & 0o777).toBe(0o600);
    const info = opensslOk(['pkcs12', '-info', '-in', at('alice.p12'), '-passin', 'env:KEY_PASS', '-noout'], { env: { ...process.env, ...env } });
    expect(info.stderr).toMatch(/MAC: sha256/);
    expect(info.stderr).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC/);
    const certs = opensslOk(['pkcs12', '-in', at('alice.p12'), '-passin', 'env:KEY_PASS', '-nokeys'], { env: { ...process.env, ...env } }).stdout.toString();
    expect(certs).toMatch(/subject=CN = alice/);
  });

  it('prints where it wrote what, and the certificate fingerprint, never the passphrase', () => {
    const fingerprint = opensslOk(['x509', '-in', at('alice.crt'), '-noout', '-fingerprint', '-sha256']).stdout.toString().split('=')[1]!.trim();
    expect(stdout).toContain('alice.key');
    expect(stdout).toContain('alice.crt');
    expect(stdout).toContain('alice.p12');
    expect(stdout).toContain(`SHA-256:      ${fingerprint}`);
    expect(stdout).not.toContain(PASSPHRASE);
  });

  it('refuses to overwrite any existing output, writing nothing, unless --force', async () => {
    const before = readFileSync(at('alice.key'), 'utf8');
    const refused = await runEcp(
      ['keygen', '--cn', 'alice', '--out-key', 'new.key', '--out-cert', 'alice.crt', '--iterations', '50000', '--passphrase-env', 'KEY_PASS'],
      { cwd: dir, env },
    );
    expect(refused.status).toBe(2);
    expectCleanFailure(refused);
    expect(refused.stderr).toMatch(/alice\.crt already exists.*--force/);
    expect(existsSync(at('new.key'))).toBe(false);

    writeFileSync(at('old.key'), 'old', { mode: 0o644 });
    const forced = await runEcp(
      ['keygen', '--cn', 'alice2', '--out-key', 'old.key', '--out-cert', 'alice.crt', '--iterations', '50000', '--passphrase-env', 'KEY_PASS', '--force'],
      { cwd: dir, env },
    );
    expect(forced.status).toBe(0);
    expect(readFileSync(at('alice.key'), 'utf8')).toBe(before);
    expect(statSync(at('old.key')).mode & 0o777).toBe(0o600);
    expect(opensslOk(['x509', '-in', at('alice.crt'), '-noout', '-subject']).stdout.toString()).toMatch(/CN = alice2/);
  });
});

describe('ecp keygen defaults', () => {
  it('encrypts with 600 000 PBKDF2 iterations, --days sets the validity, the passphrase may come from a file', async () => {
    writeFileSync(at('pass.txt'), `${PASSPHRASE}\nsecond line is ignored\n`);
    const result = await runEcp(['keygen', '--cn', 'bob', '--days', '30', '--out-key', 'bob.key', '--out-cert', 'bob.crt', '--passphrase-file', 'pass.txt'], { cwd: dir });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const asn1 = opensslOk(['asn1parse', '-in', at('bob.key')]).stdout.toString();
    expect(asn1).toMatch(/INTEGER\s+:0927C0\b/); // 600 000
    expect(openssl(['pkey', '-in', at('bob.key'), '-passin', `file:${at('pass.txt')}`, '-noout']).status).toBe(0);
    const dates = opensslOk(['x509', '-in', at('bob.crt'), '-noout', '-startdate', '-enddate']).stdout.toString();
    const days = (Date.parse(/notAfter=(.*)/.exec(dates)![1]!) - Date.parse(/notBefore=(.*)/.exec(dates)![1]!)) / 86_400_000;
    expect(days).toBe(30);
  });

  it('without a terminal and without a passphrase source: exit 2 naming both options, no file written', async () => {
    const result = await runEcp(['keygen', '--cn', 'carol', '--out-key', 'carol.key', '--out-cert', 'carol.crt'], { cwd: dir });
    expect(result.status).toBe(2);
    expectCleanFailure(result);
    expect(result.stderr).toContain('--passphrase-env');
    expect(result.stderr).toContain('--passphrase-file');
    expect(existsSync(at('carol.key'))).toBe(false);
    expect(existsSync(at('carol.crt'))).toBe(false);
  });

  it('bad usage: missing --cn, a non-numeric --days, an empty passphrase for a new key', async () => {
    writeFileSync(at('empty.txt'), '\n');
    const [noCn, badDays, emptyPass] = await Promise.all([
      runEcp(['keygen', '--out-key', 'x.key', '--out-cert', 'x.crt'], { cwd: dir }),
      runEcp(['keygen', '--cn', 'x', '--days', '1y', '--out-key', 'x.key', '--out-cert', 'x.crt'], { cwd: dir }),
      runEcp(['keygen', '--cn', 'x', '--out-key', 'x.key', '--out-cert', 'x.crt', '--passphrase-file', 'empty.txt'], { cwd: dir }),
    ]);
    for (const result of [noCn, badDays, emptyPass]) {
      expect(result.status).toBe(2);
      expectCleanFailure(result);
    }
    expect(noCn.stderr).toMatch(/^ecp: missing --cn\n/);
    expect(noCn.stderr).toContain('Usage: ecp keygen');
    expect(badDays.stderr).toMatch(/--days takes a whole number/);
    expect(emptyPass.stderr).toMatch(/empty: a new key file needs a non-empty passphrase/);
    expect(existsSync(at('x.key'))).toBe(false);
  });
});
