/**
 * `ecp ca` and `ecp verify-chain` end to end, as child processes: what `ca init` / `ca issue`
 * write is accepted by `openssl verify -x509_strict -purpose sslclient` and `openssl pkcs12`,
 * `ca crl` revokes for both OpenSSL and ecp, and `verify-chain` gives exit 0/1/2 as the
 * contract says, over a sample of the chain corpus (one case per reason code).
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openssl, opensslOk } from '@ecp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadChainCorpus } from '../../test-vectors/src/chains.js';
import { expectCleanFailure, runEcp, scratchDirectory } from './cli-harness.js';

const env = { CA_PASS: 'ca secret passphrase', USER_PASS: 'user secret passphrase' };
const opensslEnv = { env: { ...process.env, ...env } };
const scratch = scratchDirectory('ca');
const dir = scratch.dir;
const at = (name: string): string => join(dir, name);
const ecp = (args: string[]) => runEcp(args, { cwd: dir, env, timeoutMs: 60_000 });

afterAll(() => scratch.remove());

describe('ecp ca init / issue', () => {
  beforeAll(async () => {
    const init = await ecp(['ca', 'init', '--cn', 'Ecp Test CA', '--out-key', 'ca.key', '--out-cert', 'ca.pem', '--passphrase-env', 'CA_PASS', '--iterations', '2000']);
    expect(init.stderr).toBe('');
    expect(init.status).toBe(0);
    const issue = await ecp([
      'ca', 'issue', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key', '--ca-passphrase-env', 'CA_PASS', '--cn', 'alice',
      '--out-key', 'alice.key', '--out-cert', 'alice.pem', '--p12', 'alice.p12', '--passphrase-env', 'USER_PASS', '--iterations', '2000',
    ]);
    expect(issue.stderr).toBe('');
    expect(issue.status).toBe(0);
    expect(issue.stdout).toMatch(/subject: +CN=alice\n/);
  });

  it('makes a CA certificate with critical basicConstraints cA=TRUE and keyCertSign+cRLSign, and an SKI', () => {
    const text = opensslOk(['x509', '-in', at('ca.pem'), '-noout', '-text']).stdout.toString();
    expect(text).toMatch(/X509v3 Basic Constraints: critical\n\s+CA:TRUE/);
    expect(text).toMatch(/X509v3 Key Usage: critical\n\s+Certificate Sign, CRL Sign/);
    expect(text).toMatch(/X509v3 Subject Key Identifier/);
    expect(text).toMatch(/Subject: CN = Ecp Test CA/);
  });

  it('writes the CA key encrypted (PBES2), readable by openssl with the passphrase only, mode 0600', () => {
    expect(readFileSync(at('ca.key'), 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    expect(statSync(at('ca.key')).mode & 0o777).toBe(0o600);
    expect(opensslOk(['asn1parse', '-in', at('ca.key')]).stdout.toString()).toMatch(/:hmacWithSHA256[\s\S]*:aes-256-cbc/);
    opensslOk(['pkey', '-in', at('ca.key'), '-passin', 'env:CA_PASS', '-noout'], opensslEnv);
    expect(openssl(['pkey', '-in', at('ca.key'), '-passin', 'pass:wrong', '-noout']).status).not.toBe(0);
  });

  it('issues a user certificate that openssl verify -x509_strict -purpose sslclient accepts', () => {
    const result = opensslOk(['verify', '-x509_strict', '-purpose', 'sslclient', '-CAfile', at('ca.pem'), at('alice.pem')]);
    expect(result.stdout.toString()).toMatch(/alice\.pem: OK/);
    const text = opensslOk(['x509', '-in', at('alice.pem'), '-noout', '-text']).stdout.toString();
    expect(text).toMatch(/TLS Web Client Authentication/);
    expect(text).toMatch(/Digital Signature/);
    expect(text).toMatch(/CA:FALSE/);
    expect(text).toMatch(/X509v3 Authority Key Identifier/);
    expect(text).toMatch(/NIST CURVE: P-256/);
  });

  it('writes a .p12 with the key, the certificate and the CA certificate that openssl pkcs12 reads', () => {
    expect(statSync(at('alice.p12')).mode & 0o777).toBe(0o600);
    const info = opensslOk(['pkcs12', '-info', '-in', at('alice.p12'), '-passin', 'env:USER_PASS', '-nodes'], opensslEnv);
    const out = info.stdout.toString();
    expect(out.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2);
    expect(out).toMatch(/-----BEGIN PRIVATE KEY-----/);
    expect(out).toMatch(/subject=CN = alice/);
    expect(out).toMatch(/subject=CN = Ecp Test CA/);
    expect(openssl(['pkcs12', '-info', '-in', at('alice.p12'), '-passin', 'pass:wrong', '-noout']).status).not.toBe(0);
  });

  it('verify-chain accepts the issued certificate (exit 0) and prints the path', async () => {
    const result = await ecp(['verify-chain', 'alice.pem', '--ca', 'ca.pem']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('valid\n  0 CN=alice\n  1 CN=Ecp Test CA  [trust anchor]\n');
  });

  it('ca crl revokes it for openssl and for verify-chain (exit 1, reason printed)', async () => {
    const made = await ecp(['ca', 'crl', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key', '--ca-passphrase-env', 'CA_PASS', '--revoke', 'alice.pem', '--out', 'ca.crl']);
    expect(made.status).toBe(0);
    const check = openssl(['verify', '-crl_check', '-CRLfile', at('ca.crl'), '-CAfile', at('ca.pem'), at('alice.pem')]);
    expect(check.status).not.toBe(0);
    expect(check.stdout.toString() + check.stderr.toString()).toMatch(/certificate revoked/);
    const result = await ecp(['verify-chain', 'alice.pem', '--ca', 'ca.pem', '--crl', 'ca.crl']);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^invalid: revoked \(CN=alice\)\n/);
  });

  it('verify-chain --json and --at report the verdict as JSON', async () => {
    const result = await ecp(['verify-chain', 'alice.pem', '--ca', 'ca.pem', '--json', '--at', '2100-01-01T00:00:00Z']);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ valid: false, reason: 'expired', subject: 'CN=alice', at: '2100-01-01T00:00:00.000Z' });
    const ok = await ecp(['verify-chain', 'alice.pem', '--ca', 'ca.pem', '--json']);
    expect(ok.status).toBe(0);
    const parsed = JSON.parse(ok.stdout) as { valid: boolean; path: { subject: string; sha256: string }[] };
    expect(parsed.valid).toBe(true);
    expect(parsed.path.map((p) => p.subject)).toEqual(['CN=alice', 'CN=Ecp Test CA']);
  });

  it('refuses a wrong CA passphrase cleanly (exit 2) and writes nothing', async () => {
    const result = await runEcp(
      ['ca', 'issue', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key', '--ca-passphrase-env', 'CA_PASS', '--cn', 'bob', '--out-key', 'bob.key', '--out-cert', 'bob.pem', '--passphrase-env', 'USER_PASS'],
      { cwd: dir, env: { ...env, CA_PASS: 'not it' } },
    );
    expect(result.status).toBe(2);
    expectCleanFailure(result);
    expect(result.stderr).toMatch(/ca\.key: .*passphrase/);
    expect(() => statSync(at('bob.pem'))).toThrow();
  });

  it('refuses to issue from a certificate that is not a CA', async () => {
    const result = await ecp(['ca', 'issue', '--ca-cert', 'alice.pem', '--ca-key', 'alice.key', '--ca-passphrase-env', 'USER_PASS', '--cn', 'eve', '--out-key', 'eve.key', '--out-cert', 'eve.pem', '--passphrase-env', 'USER_PASS']);
    expect(result.status).toBe(2);
    expectCleanFailure(result);
    expect(result.stderr).toMatch(/not a CA certificate/);
  });
});

describe.each([
  ['p384', 'ECDSA-with-SHA384|ecdsa-with-SHA384'],
  ['rsa4096', 'sha256WithRSAEncryption'],
])('ecp ca with --key-type %s', (keyType, signatureAlgorithm) => {
  it('issues a user certificate that openssl and verify-chain accept', async () => {
    const init = await ecp(['ca', 'init', '--cn', `CA ${keyType}`, '--key-type', keyType, '--out-key', `${keyType}.key`, '--out-cert', `${keyType}.pem`, '--passphrase-env', 'CA_PASS', '--iterations', '2000', '--days', '30']);
    expect(init.status).toBe(0);
    const issue = await ecp([
      'ca', 'issue', '--ca-cert', `${keyType}.pem`, '--ca-key', `${keyType}.key`, '--ca-passphrase-env', 'CA_PASS', '--cn', `user-${keyType}`,
      '--out-key', `user-${keyType}.key`, '--out-cert', `user-${keyType}.pem`, '--passphrase-env', 'USER_PASS', '--iterations', '2000',
    ]);
    // 365 days asked, but the CA ends in 30: capped, with a warning.
    expect(issue.stderr).toMatch(/warning: the certificate ends with the CA certificate/);
    expect(issue.status).toBe(0);
    opensslOk(['verify', '-x509_strict', '-purpose', 'sslclient', '-CAfile', at(`${keyType}.pem`), at(`user-${keyType}.pem`)]);
    expect(opensslOk(['x509', '-in', at(`user-${keyType}.pem`), '-noout', '-text']).stdout.toString()).toMatch(new RegExp(`Signature Algorithm: (${signatureAlgorithm})`));
    expect((await ecp(['verify-chain', `user-${keyType}.pem`, '--ca', `${keyType}.pem`])).status).toBe(0);
  });
});

describe('ecp verify-chain over the chain corpus', () => {
  const corpus = loadChainCorpus();
  // One case per verdict (the first of each), so that every reason code goes through the CLI.
  const sample = [...new Map(corpus.map((c) => [c.expected.valid ? 'valid' : c.expected.reason, c] as const)).values()];
  // A case with CRLs, intermediates and a denylist each.
  for (const id of ['crl-intermediate-revoked', 'denylist-intermediate', 'cross-certificate-to-legacy-root']) {
    if (!sample.some((c) => c.id === id)) sample.push(corpus.find((c) => c.id === id)!);
  }

  it.each(sample.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const args = ['verify-chain', c.leaf.name, '--at', c.atIso];
    for (const f of c.trustAnchors) args.push('--ca', f.name);
    for (const f of c.intermediates) args.push('--untrusted', f.name);
    for (const f of c.crls) args.push('--crl', f.name);
    for (const fp of c.revokedFingerprints) args.push('--revoked-fingerprint', fp);
    const result = await runEcp(args, { cwd: c.directory });
    if (c.expected.valid) {
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^valid\n  0 /);
    } else {
      expect(result.status, result.stdout + result.stderr).toBe(1);
      expect(result.stdout).toMatch(new RegExp(`^invalid: ${c.expected.reason}\\b`));
    }
  });
  // Contract: `--ca F... [--untrusted F...]`: several files may follow one option.
  it.each(['valid-two-intermediates-p256', 'alternatives-same-subject-anchors-right-first', 'revoked-leaf-by-crl'])(
    '%s with several files after one --ca / --untrusted / --crl gives the same verdict',
    async (id) => {
      const c = corpus.find((k) => k.id === id) ?? corpus.find((k) => k.crls.length > 0)!;
      const args = ['verify-chain', c.leaf.name, '--at', c.atIso];
      for (const [option, files] of [['--ca', c.trustAnchors], ['--untrusted', c.intermediates], ['--crl', c.crls]] as const) {
        if (files.length) args.push(option, ...files.map((f) => f.name));
      }
      const result = await runEcp(args, { cwd: c.directory });
      expect(result.status, result.stdout + result.stderr).toBe(c.expected.valid ? 0 : 1);
      if (!c.expected.valid) expect(result.stdout).toMatch(new RegExp(`^invalid: ${c.expected.reason}\\b`));
    },
  );
});

// Uses the CA and the files the first describe block made (vitest runs a file's blocks in order).
describe('ecp verify-chain: unusable input is exit 2 with one clean line', () => {
  beforeAll(() => {
    writeFileSync(at('empty.pem'), 'nothing to see here\n');
    writeFileSync(at('garbage.crl'), '-----BEGIN X509 CRL-----\nMAMCAQA=\n-----END X509 CRL-----\n');
  });

  it.each([
    ['a missing leaf file', ['verify-chain', 'missing.pem', '--ca', 'ca.pem'], /cannot read certificate missing\.pem: no such file/],
    ['a key file as the leaf', ['verify-chain', 'alice.key', '--ca', 'ca.pem'], /alice\.key: no PEM CERTIFICATE block found/],
    ['no --ca', ['verify-chain', 'alice.pem'], /missing --ca/],
    ['no leaf', ['verify-chain', '--ca', 'ca.pem'], /missing LEAF/],
    ['a CA file of text', ['verify-chain', 'alice.pem', '--ca', 'empty.pem'], /empty\.pem: not a valid X\.509 certificate/],
    ['a key file as the CA file', ['verify-chain', 'alice.pem', '--ca', 'alice.key'], /CA file #1|alice\.key: .*no PEM CERTIFICATE block found/],
    ['an unparsable CRL', ['verify-chain', 'alice.pem', '--ca', 'ca.pem', '--crl', 'garbage.crl'], /garbage\.crl: not a valid X\.509 CRL/],
    ['a bad --at', ['verify-chain', 'alice.pem', '--ca', 'ca.pem', '--at', 'tomorrow'], /--at takes an ISO 8601 time/],
    ['a bad fingerprint', ['verify-chain', 'alice.pem', '--ca', 'ca.pem', '--revoked-fingerprint', 'abcd'], /--revoked-fingerprint: .*not a SHA-256 fingerprint/],
    ['an unknown ca subcommand', ['ca', 'sign'], /unknown subcommand 'sign'/],
    ['a passphrase in an argument', ['ca', 'init', '--cn', 'x', '--out-key', 'k', '--out-cert', 'c', '--passphrase', 'p'], /passphrases are never taken from the command line/],
  ])('%s', async (_name, args, message) => {
    const result = await ecp(args);
    expect(result.status).toBe(2);
    expectCleanFailure(result);
    expect(result.stderr).toMatch(message);
  });

  it('calls a certificate that breaks DER a malformed verdict (exit 1), as the server does', async () => {
    const der = opensslOk(['x509', '-in', at('alice.pem'), '-outform', 'DER']).stdout;
    writeFileSync(at('trailing.der'), Buffer.concat([der, Buffer.from([5, 0])]));
    const result = await ecp(['verify-chain', 'trailing.der', '--ca', 'ca.pem']);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^invalid: malformed\n/);
  });
});
