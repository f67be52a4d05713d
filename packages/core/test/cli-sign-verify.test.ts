// `ecp sign` and `ecp verify` against OpenSSL in both directions, and the exit-2 paths of
// the key-file errors a user meets (wrong passphrase, legacy .p12, P-384, garbage, a missing
// file, no passphrase source), each one clear line without a stack trace or the passphrase.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openssl, opensslOk } from '@ecp/testkit';
import { OPENSSL_VECTORS_DIR, loadOpensslManifest, opensslVector } from '@ecp/test-vectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanFailure, runEcp, scratchDirectory } from './cli-harness.js';

const scratch = scratchDirectory('sign');
const dir = scratch.dir;
const at = (name: string): string => join(dir, name);
const vector = (name: string): string => join(OPENSSL_VECTORS_DIR, 'files', name);
const { passphrases } = loadOpensslManifest();
const env = { KEY_PASS: passphrases.default, WRONG_PASS: passphrases.wrong };
const NONCE = '94ee08ecde2c5ae41d2086f35377f8fb07988804a275f71b843f2bdd6c09d5fb';

afterAll(() => scratch.remove());

beforeAll(() => {
  opensslOk(['x509', '-in', vector('cert-alice.pem'), '-noout', '-pubkey', '-out', at('alice.pub')]);
});

describe('ecp sign', () => {
  it('signs with an encrypted PKCS#8 key; openssl dgst -verify accepts the hex DER', async () => {
    const result = await runEcp(['sign', '--key', vector('p256-pkcs8-aes256-sha256.pem'), '--message', NONCE, '--passphrase-env', 'KEY_PASS'], { cwd: dir, env });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^30[0-9a-f]+\n$/);
    writeFileSync(at('sig.der'), Buffer.from(result.stdout.trim(), 'hex'));
    writeFileSync(at('nonce.txt'), NONCE);
    const check = openssl(['dgst', '-sha256', '-verify', at('alice.pub'), '-signature', at('sig.der'), at('nonce.txt')]);
    expect(check.stdout.toString()).toMatch(/Verified OK/);
    expect(check.status).toBe(0);
  });

  it('signs the exact UTF-8 bytes of a non-ASCII message, with an unencrypted SEC1 key and no passphrase option', async () => {
    const message = 'héllo wörld — ✓ 日本語 🔑';
    const result = await runEcp(['sign', '--key', vector('p256-sec1.pem'), '--message', message], { cwd: dir });
    expect(result.status).toBe(0);
    writeFileSync(at('sig-utf8.der'), Buffer.from(result.stdout.trim(), 'hex'));
    writeFileSync(at('utf8.txt'), message, 'utf8');
    expect(openssl(['dgst', '-sha256', '-verify', at('alice.pub'), '-signature', at('sig-utf8.der'), at('utf8.txt')]).status).toBe(0);
  });

  it('signs with a PKCS#12 file, the passphrase read from a file', async () => {
    writeFileSync(at('pass.txt'), `${passphrases.default}\r\n`);
    const result = await runEcp(['sign', '--key', vector('p12-openssl-default.p12'), '--message', NONCE, '--passphrase-file', 'pass.txt'], { cwd: dir });
    expect(result.status).toBe(0);
    writeFileSync(at('sig-p12.der'), Buffer.from(result.stdout.trim(), 'hex'));
    expect(openssl(['dgst', '-sha256', '-verify', at('alice.pub'), '-signature', at('sig-p12.der'), at('nonce.txt')]).status).toBe(0);
  });
});

describe('ecp verify', () => {
  it('accepts signatures made by openssl dgst -sha256 -sign, in lower- and upper-case hex', async () => {
    writeFileSync(at('msg.txt'), 'a nonce from openssl');
    opensslOk(['dgst', '-sha256', '-sign', vector('p256-sec1.pem'), '-out', at('openssl-sig.der'), at('msg.txt')]);
    const signature = readFileSync(at('openssl-sig.der')).toString('hex');
    const highS = opensslVector('sig-nonce-high-s').signature!.signatureHex;
    const [lower, upper, highSResult] = await Promise.all([
      runEcp(['verify', '--cert', vector('cert-alice.pem'), '--message', 'a nonce from openssl', '--signature', signature], { cwd: dir }),
      runEcp(['verify', '--cert', vector('cert-alice.pem'), '--message', 'a nonce from openssl', '--signature', signature.toUpperCase()], { cwd: dir }),
      runEcp(['verify', '--cert', vector('cert-alice.pem'), '--message', NONCE, '--signature', highS], { cwd: dir }),
    ]);
    for (const result of [lower, upper, highSResult]) {
      expect(result.stdout).toBe('valid\n');
      expect(result.status).toBe(0);
    }
  });

  it('a modified message or another key: exit 1, invalid: bad_signature', async () => {
    const signature = opensslVector('sig-nonce-low-s').signature!.signatureHex;
    const [modified, otherKey] = await Promise.all([
      runEcp(['verify', '--cert', vector('cert-alice.pem'), '--message', `${NONCE.slice(0, -1)}0`, '--signature', signature], { cwd: dir }),
      runEcp(['verify', '--cert', vector('cert-bob.pem'), '--message', NONCE, '--signature', signature], { cwd: dir }),
    ]);
    for (const result of [modified, otherKey]) {
      expect(result.stdout).toBe('invalid: bad_signature\n');
      expect(result.status).toBe(1);
    }
  });

  it('BER or trailing bytes: exit 1, invalid: malformed_signature; not hex: exit 2', async () => {
    const signature = opensslVector('sig-nonce-low-s').signature!.signatureHex;
    const [trailing, notHex, oddLength] = await Promise.all([
      runEcp(['verify', '--cert', vector('cert-alice.pem'), '--message', NONCE, '--signature', `${signature}00`], { cwd: dir }),
      runEcp(['verify', '--cert', vector('cert-alice.pem'), '--message', NONCE, '--signature', 'not-hex!'], { cwd: dir }),
      runEcp(['verify', '--cert', vector('cert-alice.pem'), '--message', NONCE, '--signature', signature.slice(1)], { cwd: dir }),
    ]);
    expect(trailing.stdout).toBe('invalid: malformed_signature\n');
    expect(trailing.status).toBe(1);
    for (const result of [notHex, oddLength]) {
      expect(result.status).toBe(2);
      expectCleanFailure(result);
      expect(result.stderr).toMatch(/--signature is not hex/);
      expect(result.stdout).toBe('');
    }
  });

  it('checks the validity period only with --check-validity', async () => {
    writeFileSync(at('empty.txt'), '');
    const signature = opensslVector('sig-empty').signature!.signatureHex;
    const [plain, expired, notYet] = await Promise.all([
      runEcp(['verify', '--cert', vector('cert-alice-expired.pem'), '--message-file', 'empty.txt', '--signature', signature], { cwd: dir }),
      runEcp(['verify', '--cert', vector('cert-alice-expired.pem'), '--message', '', '--signature', signature, '--check-validity'], { cwd: dir }),
      runEcp(['verify', '--cert', vector('cert-alice-not-yet-valid.pem'), '--message', '', '--signature', signature, '--check-validity'], { cwd: dir }),
    ]);
    expect(plain.stdout).toBe('valid\n');
    expect(expired.stdout).toBe('invalid: certificate_expired\n');
    expect(expired.status).toBe(1);
    expect(notYet.stdout).toBe('invalid: certificate_not_yet_valid\n');
    expect(notYet.status).toBe(1);
  });

  it('an unreadable certificate or one with a P-384 key: exit 2', async () => {
    const signature = opensslVector('sig-nonce-low-s').signature!.signatureHex;
    const [garbage, p384] = await Promise.all([
      runEcp(['verify', '--cert', vector('garbage-text.txt'), '--message', NONCE, '--signature', signature], { cwd: dir }),
      runEcp(['verify', '--cert', vector('cert-carol-p384.pem'), '--message', NONCE, '--signature', signature], { cwd: dir }),
    ]);
    for (const result of [garbage, p384]) {
      expect(result.status).toBe(2);
      expectCleanFailure(result);
    }
    expect(garbage.stderr).toMatch(/garbage-text\.txt: not a valid X\.509 certificate/);
    expect(p384.stderr).toMatch(/EC P-384, but ecp signatures are ECDSA P-256/);
  });
});

describe('key files ecp cannot use: exit 2, one clear line', () => {
  const sign = (key: string, extra: string[] = []) => runEcp(['sign', '--key', key, '--message', NONCE, ...extra], { cwd: dir, env });

  it('wrong passphrase, legacy .p12, P-384 key, garbage, missing file', async () => {
    const [wrong, legacy, p384, garbage, missing] = await Promise.all([
      sign(vector('p256-pkcs8-aes256-sha256.pem'), ['--passphrase-env', 'WRONG_PASS']),
      sign(vector('p12-legacy.p12'), ['--passphrase-env', 'KEY_PASS']),
      sign(vector('p384-pkcs8.pem')),
      sign(vector('garbage-binary.bin')),
      sign('no-such.key'),
    ]);
    for (const result of [wrong, legacy, p384, garbage, missing]) {
      expect(result.status).toBe(2);
      expectCleanFailure(result);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).not.toContain(passphrases.default);
      expect(result.stderr).not.toContain(passphrases.wrong);
    }
    expect(wrong.stderr).toMatch(/p256-pkcs8-aes256-sha256\.pem: the passphrase does not decrypt this key file/);
    expect(legacy.stderr).toMatch(/legacy .*encryption/);
    expect(legacy.stderr).toContain('openssl pkcs12 -legacy -in old.p12 -nodes -out tmp.pem && openssl pkcs12 -export');
    expect(p384.stderr).toMatch(/P-384.*but ecp keys are ECDSA P-256/);
    expect(garbage.stderr).toMatch(/does not contain a private key/);
    expect(missing.stderr).toBe('ecp: cannot read key file no-such.key: no such file\n');
  });

  it('an encrypted key without a passphrase source and without a terminal', async () => {
    const result = await sign(vector('p256-pkcs8-aes256-sha256.pem'));
    expect(result.status).toBe(2);
    expectCleanFailure(result);
    expect(result.stderr).toMatch(/a passphrase is needed for the key file .*--passphrase-env NAME or --passphrase-file PATH/);
  });

  it('an unset variable, both sources at once, an unknown option, --passphrase on the command line', async () => {
    const key = vector('p256-pkcs8-aes256-sha256.pem');
    const [unset, both, unknown, inArgument] = await Promise.all([
      sign(key, ['--passphrase-env', 'NOT_SET']),
      sign(key, ['--passphrase-env', 'KEY_PASS', '--passphrase-file', 'pass.txt']),
      sign(key, ['--frobnicate']),
      sign(key, ['--passphrase', 'hunter2']),
    ]);
    for (const result of [unset, both, unknown, inArgument]) {
      expect(result.status).toBe(2);
      expectCleanFailure(result);
      expect(result.stdout).toBe('');
    }
    expect(unset.stderr).toMatch(/^ecp: the environment variable NOT_SET \(named by --passphrase-env\) is not set\n$/);
    expect(both.stderr).toMatch(/^ecp: give either --passphrase-env or --passphrase-file, not both\n/);
    expect(unknown.stderr).toMatch(/^ecp: unknown option '--frobnicate'\n\nUsage: ecp sign/);
    expect(inArgument.stderr).toMatch(/^ecp: unknown option '--passphrase': passphrases are never taken from the command line/);
    expect(inArgument.stderr).not.toContain('hunter2');
  });
});
