// `ecp inspect` on every kind of file it reads, text and --json, with the figures checked
// against what OpenSSL reports for the same file.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { opensslOk } from '@ecp/testkit';
import { OPENSSL_VECTORS_DIR, loadOpensslManifest } from '@ecp/test-vectors';
import { afterAll, describe, expect, it } from 'vitest';
import { expectCleanFailure, runEcp, scratchDirectory } from './cli-harness.js';

const scratch = scratchDirectory('inspect');
const dir = scratch.dir;
const at = (name: string): string => join(dir, name);
const vector = (name: string): string => join(OPENSSL_VECTORS_DIR, 'files', name);
const { passphrases } = loadOpensslManifest();
const env = { KEY_PASS: passphrases.default };

afterAll(() => scratch.remove());

const inspectJson = async (file: string, extra: string[] = []): Promise<Record<string, unknown>> => {
  const result = await runEcp(['inspect', file, '--json', ...extra], { cwd: dir, env });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
};

const opensslFingerprint = (file: string, algorithm: 'sha1' | 'sha256', inform = 'PEM'): string =>
  opensslOk(['x509', '-in', file, '-inform', inform, '-noout', '-fingerprint', `-${algorithm}`]).stdout.toString().trim().split('=')[1]!;

/** SHA-256 of a private key's SubjectPublicKeyInfo DER, as `AA:BB:...`, computed by openssl. */
const spkiSha256 = (keyFile: string): string => {
  const der = opensslOk(['pkey', '-in', keyFile, '-pubout', '-outform', 'DER']).stdout;
  return opensslOk(['dgst', '-sha256', '-c'], { input: der }).stdout.toString().trim().split('= ')[1]!.toUpperCase();
};
/** cert-alice.pem and every p256-* vector hold alice's key. */
const ALICE_KEY = vector('p256-sec1.pem');

describe('ecp inspect: certificates', () => {
  const cert = vector('cert-alice.pem');

  it('--json: stable keys, fingerprints equal to openssl x509 -fingerprint', async () => {
    const report = await inspectJson(cert);
    expect(Object.keys(report)).toEqual([
      'type',
      'subject',
      'common_name',
      'issuer',
      'serial',
      'not_before',
      'not_after',
      'key_type',
      'public_key_fingerprints',
      'signature_algorithm',
      'version',
      'fingerprints',
      'extensions',
    ]);
    expect(report).toMatchObject({ type: 'certificate', subject: 'CN=alice', common_name: 'alice', issuer: 'CN=alice', key_type: 'EC P-256', version: 3 });
    expect(report.fingerprints).toEqual({ 'SHA-1': opensslFingerprint(cert, 'sha1'), 'SHA-256': opensslFingerprint(cert, 'sha256') });
    const serial = opensslOk(['x509', '-in', cert, '-noout', '-serial']).stdout.toString().trim().split('=')[1]!.toLowerCase();
    expect(report.serial).toBe(serial.replace(/^(00)+(?=.)/, ''));
    const dates = opensslOk(['x509', '-in', cert, '-noout', '-startdate', '-enddate']).stdout.toString();
    expect(Date.parse(report.not_before as string)).toBe(Date.parse(/notBefore=(.*)/.exec(dates)![1]!));
    expect(Date.parse(report.not_after as string)).toBe(Date.parse(/notAfter=(.*)/.exec(dates)![1]!));
    expect(report.not_before).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect((report.public_key_fingerprints as Record<string, string>)['SHA-256']).toBe(spkiSha256(ALICE_KEY));
  });

  it('text: labelled lines and an extension summary like openssl -text', async () => {
    const result = await runEcp(['inspect', vector('cert-alice-expired.pem')], { cwd: dir });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^type: +certificate$/m);
    expect(result.stdout).toMatch(/^subject: +CN=alice$/m);
    expect(result.stdout).toMatch(/^not before: +2020-01-01T00:00:00Z$/m);
    expect(result.stdout).toMatch(/^not after: +2021-01-01T00:00:00Z$/m);
    expect(result.stdout).toMatch(/^key type: +EC P-256$/m);
    expect(result.stdout).toContain(`SHA-256: ${opensslFingerprint(vector('cert-alice-expired.pem'), 'sha256')}`);
    expect(result.stdout).toMatch(/^extensions:$/m);
  });

  it('a DER certificate with SAN and EKU; a PEM chain as a bundle', async () => {
    opensslOk(['req', '-x509', '-key', vector('p256-sec1.pem'), '-subj', '/O=Example/CN=dave', '-days', '10', '-addext', 'subjectAltName=DNS:dave.example,email:dave@example.com,IP:10.0.0.1', '-addext', 'extendedKeyUsage=clientAuth,serverAuth', '-outform', 'DER', '-out', at('dave.der')]);
    const report = await inspectJson(at('dave.der'));
    expect(report.subject).toBe('CN=dave, O=Example');
    expect(report.fingerprints).toEqual({ 'SHA-1': opensslFingerprint(at('dave.der'), 'sha1', 'DER'), 'SHA-256': opensslFingerprint(at('dave.der'), 'sha256', 'DER') });
    expect(report.extensions).toMatchObject({
      subject_alt_name: { critical: false, names: ['DNS:dave.example', 'email:dave@example.com', 'IP:10.0.0.1'] },
      extended_key_usage: { critical: false, usages: ['clientAuth', 'serverAuth'] },
    });

    writeFileSync(at('chain.pem'), opensslOk(['x509', '-in', at('dave.der'), '-inform', 'DER']).stdout.toString() + readFileSync(vector('cert-bob.pem'), 'utf8'));
    const bundle = await inspectJson(at('chain.pem'));
    expect(bundle.type).toBe('bundle');
    expect((bundle.items as { common_name: string }[]).map((item) => item.common_name)).toEqual(['dave', 'bob']);
  });
});

describe('ecp inspect: CSRs and keys', () => {
  it('a CSR: subject, key type, a verified self-signature', async () => {
    const [report, text] = await Promise.all([inspectJson(vector('csr-alice.pem')), runEcp(['inspect', vector('csr-alice.pem')], { cwd: dir })]);
    expect(report).toMatchObject({ type: 'csr', subject: 'CN=alice', key_type: 'EC P-256', signature_valid: true });
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^type: +csr$/m);
    expect(text.stdout).toMatch(/^signature valid: +true$/m);
  });

  it('an encrypted key without a passphrase: its PBES2 parameters only', async () => {
    const report = await inspectJson(vector('p256-pkcs8-aes128-sha512.pem'));
    expect(report).toMatchObject({
      type: 'private-key',
      format: 'encrypted-pkcs8',
      encrypted: true,
      decrypted: false,
      encryption: { scheme: 'PBES2', kdf: 'PBKDF2', prf: 'HMAC-SHA512', cipher: 'AES-128-CBC' },
    });
    expect(report).not.toHaveProperty('key_type');
    const asn1 = opensslOk(['asn1parse', '-in', vector('p256-pkcs8-aes128-sha512.pem')]).stdout.toString();
    const iterations = Number.parseInt(/OCTET STRING\s+\[HEX DUMP\]:[0-9A-F]+\n.*INTEGER\s+:([0-9A-F]+)/.exec(asn1)![1]!, 16);
    expect((report.encryption as { iterations: number }).iterations).toBe(iterations);
  });

  it('an encrypted key with its passphrase, and the same key as SEC1: the public key of the certificate', async () => {
    const certificateKey = spkiSha256(ALICE_KEY);
    const [encrypted, sec1, text] = await Promise.all([
      inspectJson(vector('p256-pkcs8-aes256-sha256.pem'), ['--passphrase-env', 'KEY_PASS']),
      inspectJson(vector('p256-ecparam-genkey.pem')),
      runEcp(['inspect', vector('p256-sec1.pem')], { cwd: dir }),
    ]);
    expect(encrypted).toMatchObject({ type: 'private-key', format: 'encrypted-pkcs8', decrypted: true, key_type: 'EC P-256' });
    expect((encrypted.public_key_fingerprints as Record<string, string>)['SHA-256']).toBe(certificateKey);
    expect(sec1).toMatchObject({ type: 'private-key', format: 'sec1', encrypted: false, key_type: 'EC P-256' });
    expect(text.stdout).toMatch(/^format: +sec1$/m);
    expect(text.stdout).toContain(`SHA-256: ${certificateKey}`);
  });

  it('a public key', async () => {
    opensslOk(['pkey', '-in', vector('p256-sec1.pem'), '-pubout', '-out', at('alice.pub')]);
    const report = await inspectJson(at('alice.pub'));
    expect(report).toMatchObject({ type: 'public-key', key_type: 'EC P-256' });
  });
});

describe('ecp inspect: PKCS#12', () => {
  it('without the passphrase: the MAC parameters; with it: key, certificate and chain', async () => {
    const [locked, open, text] = await Promise.all([
      inspectJson(vector('p12-openssl-default.p12')),
      inspectJson(vector('p12-two-certs.p12'), ['--passphrase-env', 'KEY_PASS']),
      runEcp(['inspect', vector('p12-openssl-default.p12'), '--passphrase-env', 'KEY_PASS'], { cwd: dir, env }),
    ]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^type: +pkcs12$/m);
    expect(text.stdout).toMatch(/^certificate:\n {2}subject: +CN=alice$/m);
    expect(text.stdout).not.toContain(passphrases.default);
    expect(locked).toMatchObject({ type: 'pkcs12', decrypted: false, mac: { hash: 'SHA-256', iterations: 2048 } });
    expect(open).toMatchObject({ type: 'pkcs12', decrypted: true, private_key: { key_type: 'EC P-256' } });
    const certificate = open.certificate as Record<string, unknown>;
    expect(certificate.common_name).toBe('alice');
    expect(certificate.fingerprints).toEqual({ 'SHA-1': opensslFingerprint(vector('cert-alice.pem'), 'sha1'), 'SHA-256': opensslFingerprint(vector('cert-alice.pem'), 'sha256') });
    expect((open.chain as { common_name: string }[]).map((c) => c.common_name)).toEqual(['bob']);
  });

  it('an empty passphrase needs no option', async () => {
    const report = await inspectJson(vector('p12-empty-passphrase.p12'));
    expect(report).toMatchObject({ type: 'pkcs12', decrypted: true });
  });
});

describe('ecp inspect: what it cannot read (exit 2, one clear line)', () => {
  it('garbage, a truncated PEM, a missing file, a legacy .p12, a wrong passphrase, no FILE', async () => {
    const results = await Promise.all([
      runEcp(['inspect', vector('garbage-binary.bin')], { cwd: dir }),
      runEcp(['inspect', vector('p256-pkcs8-truncated-pem.pem')], { cwd: dir }),
      runEcp(['inspect', 'missing.pem'], { cwd: dir }),
      runEcp(['inspect', vector('p12-legacy.p12')], { cwd: dir }),
      runEcp(['inspect', vector('p12-openssl-default.p12'), '--passphrase-env', 'WRONG'], { cwd: dir, env: { WRONG: passphrases.wrong } }),
      runEcp(['inspect'], { cwd: dir }),
    ]);
    for (const result of results) {
      expect(result.status).toBe(2);
      expectCleanFailure(result);
      expect(result.stdout).toBe('');
      expect(result.stderr).not.toContain(passphrases.wrong);
    }
    const [garbage, truncated, missing, legacy, wrong, none] = results.map((r) => r.stderr);
    expect(garbage).toMatch(/garbage-binary\.bin: not a certificate, certificate request, private or public key, or PKCS#12 file/);
    expect(truncated).toMatch(/without its END line/);
    expect(missing).toBe('ecp: cannot read file missing.pem: no such file\n');
    expect(legacy).toContain('openssl pkcs12 -legacy');
    expect(wrong).toMatch(/p12-openssl-default\.p12: the passphrase does not decrypt/);
    expect(none).toMatch(/^ecp: missing FILE\n/);
  });
});
