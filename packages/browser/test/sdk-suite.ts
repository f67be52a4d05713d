/**
 * The SDK API's tests, defined once and run twice: in Node's WebCrypto (sdk.test.ts) and in
 * headless Chromium (chromium.test.ts). `run` executes a case of sdk-cases.ts where the SDK
 * lives; everything here runs in Node and checks the results with @ecp/core, node:crypto and
 * the openssl command line.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  decodePem,
  parseCertificate,
  parseCsr,
  parseEncryptedPrivateKeyInfo,
  parseEncryptionAlgorithm,
  readPkcs12,
  readPrivateKey,
  verifyCsr,
} from '@ecp/core';
import {
  evaluateOutcomes,
  hexToBytes,
  loadEcdsaP1363,
  loadOpensslManifest,
  loadOpensslVectors,
  opensslVector,
  toPortable,
  type OpensslVector,
} from '@ecp/test-vectors';
import { openssl } from '@ecp/testkit';
import type { FakeEcpServer } from './helpers/fake-ecp-server.js';
import type { FileInput, Outcome, SdkCaseName, SdkCases } from './sdk-cases.js';

export type SdkRunner = <N extends SdkCaseName>(name: N, input: Parameters<SdkCases[N]>[0]) => ReturnType<SdkCases[N]>;

export interface SdkSuiteContext {
  /** Runs a case where the SDK lives (Node, or the Chromium page). */
  run: SdkRunner;
  /** The fake application the SDK talks to (started by the test file). */
  server(): FakeEcpServer;
}

const ALICE_PASSWORD = 'alice-password';
const BOB_PASSWORD = 'bob-password';
/** Users the fake server knows from the start: the OpenSSL vectors' alice and bob. */
export function vectorUsers(): { username: string; password: string; certificatePem: string }[] {
  return [
    { username: 'alice', password: ALICE_PASSWORD, certificatePem: opensslVector('cert-alice').text! },
    { username: 'bob', password: BOB_PASSWORD, certificatePem: opensslVector('cert-bob').text! },
  ];
}

const fileInput = (vector: OpensslVector, asBlob = false): FileInput => {
  const portable = toPortable(vector);
  return vector.encoding === 'der' ? { base64: portable.base64, asBlob } : { text: vector.text!, asBlob };
};

function expectError<T>(result: Outcome<T>, code: string, name?: string): Extract<Outcome<T>, { ok: false }>['error'] {
  if (result.ok) throw new Error(`expected ${code}, but the case succeeded with ${JSON.stringify(result.value).slice(0, 200)}`);
  expect(result.error.isEcpError, JSON.stringify(result.error)).toBe(true);
  expect(result.error.code, result.error.message).toBe(code);
  if (name) {
    expect(result.error.kinds).toContain(name);
    // In Chromium the SDK is minified (chromium-page.ts): the name must survive that too.
    expect(result.error.name).toBe(name);
  }
  return result.error;
}

function expectOk<T>(result: Outcome<T>): T {
  if (!result.ok) throw new Error(`the case failed: ${result.error.name} ${result.error.code}: ${result.error.message}`);
  return result.value;
}

const rawPoint = (key: KeyObject): string => {
  const jwk = (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'jwk' });
  return `04${Buffer.from(jwk.x!, 'base64url').toString('hex')}${Buffer.from(jwk.y!, 'base64url').toString('hex')}`;
};

const sameKey = (spki: Uint8Array, pointHex: string): boolean =>
  rawPoint(createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' })) === pointHex;

let tmp: string | undefined;
function tempFile(name: string, content: string | Uint8Array): string {
  tmp ??= mkdtempSync(join(tmpdir(), 'ecp-browser-sdk-'));
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

export function defineSdkSuite({ run, server }: SdkSuiteContext): void {
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });
  const manifest = loadOpensslManifest();
  const passphrase = manifest.passphrases.default;
  const aliceSpki = opensslVector('cert-alice').certificates![0]!.spkiDerHex;
  const login = (file: FileInput, options: { username?: string; password?: string; passphrase?: string; prefix?: string; baseUrl?: string } = {}) =>
    run('login', {
      baseUrl: options.baseUrl ?? server().url,
      username: options.username ?? 'alice',
      password: options.password ?? ALICE_PASSWORD,
      file,
      ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
      ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
    });
  const aliceKey = (asBlob = false) => fileInput(opensslVector('p256-pkcs8-aes256-sha256'), asBlob);

  describe('signChallenge: r‖s to DER', () => {
    it('turns every Wycheproof P-256 P1363 signature into DER that verifies exactly when the vector is valid', async () => {
      const file = loadEcdsaP1363('P-256');
      const groups = file.testGroups.map((g) => ({ publicKeyDer: g.publicKeyDer, tests: g.tests.map((t) => ({ tcId: t.tcId, msg: t.msg, sig: t.sig })) }));
      const outcomes = await run('p1363', { groups });
      const byId = new Map(outcomes.map((o) => [o.tcId, o]));
      const accepted = file.testGroups.flatMap((g) => {
        const key = createPublicKey({ key: Buffer.from(hexToBytes(g.publicKeyDer)), format: 'der', type: 'spki' });
        return g.tests.map((t) => {
          const derHex = byId.get(t.tcId)?.derHex;
          // Strict DER verification (dsaEncoding 'der') of what signChallenge would have sent.
          const ok = derHex != null && verify('sha256', Buffer.from(hexToBytes(t.msg)), { key, dsaEncoding: 'der' }, Buffer.from(derHex, 'hex'));
          return { tcId: t.tcId, accepted: ok };
        });
      });
      const report = evaluateOutcomes('ecdsa_secp256r1_sha256_p1363_test.json', file, accepted);
      expect(report.failures).toEqual([]);
      expect(Object.keys(report.acceptable.decisions)).toEqual([]);
      expect(report.total).toBe(262);
      // The platform's WebCrypto agrees on every valid vector (r‖s as it produces them).
      const valid = file.testGroups.flatMap((g) => g.tests.filter((t) => t.result === 'valid').map((t) => byId.get(t.tcId)!.webCrypto));
      expect(valid.length).toBeGreaterThan(0);
      expect(valid.every((v) => v === true)).toBe(true);
    });
  });

  describe('login', () => {
    it('reads the key, gets a challenge, signs it and posts exactly the contract fields to /login', async () => {
      const before = server().requests.length;
      const result = expectOk(await login(aliceKey(), { passphrase }));
      expect(result.username).toBe('alice');
      expect(result.phases).toEqual(['deriving-key', 'decrypting', 'requesting-challenge', 'signing', 'logging-in', 'done']);
      const [challenge, post] = server().requests.slice(before);
      expect(challenge).toMatchObject({ method: 'GET', path: '/ecp/challenge' });
      expect(post).toMatchObject({ method: 'POST', path: '/login', contentType: 'application/json' });
      const body = post!.body as Record<string, string>;
      expect(Object.keys(body).sort()).toEqual(['nonce_id', 'password', 'signature', 'username']);
      expect(body.username).toBe('alice');
      expect(body.password).toBe(ALICE_PASSWORD);
      expect(body.signature).toMatch(/^30[0-9a-f]{12,142}$/); // lower-case hex of a DER SEQUENCE
    });

    // Every readable file of alice's key among the OpenSSL/Python-made vectors, each a real login.
    const aliceFiles = loadOpensslVectors((e) => e.readAs === 'private-key' && e.expect.result === 'ok' && e.key?.spkiDerHex === aliceSpki);
    it(`logs in with each of alice's ${aliceFiles.length} key files (PEM, DER, SEC1, PKCS#8, PBES2 variants, .p12), given as a string, ArrayBuffer or Blob`, async () => {
      expect(aliceFiles.length).toBeGreaterThanOrEqual(20);
      const failures: string[] = [];
      for (const [index, vector] of aliceFiles.entries()) {
        const result = await login(fileInput(vector, index % 2 === 0), { passphrase: vector.passphrase ?? '' });
        if (!result.ok || result.value.username !== 'alice') failures.push(`${vector.id}: ${JSON.stringify(result)}`);
      }
      expect(failures).toEqual([]);
    });

    it('a wrong password gets the uniform LoginFailedError (401, ECP_AUTH_FAILED)', async () => {
      const error = expectError(await login(aliceKey(), { passphrase, password: 'not-the-password' }), 'ECP_AUTH_FAILED', 'LoginFailedError');
      expect(error.status).toBe(401);
      expect(error.serverCode).toBe('ECP_AUTH_FAILED');
      expect(error.message).toBe('the username, password or key file is wrong');
      // The SDK's HTTP errors name themselves, so `name` survives minification (Chromium runs a minified bundle).
      expect(error.name).toBe('LoginFailedError');
    });

    it("another user's key with the right password gets the same LoginFailedError", async () => {
      const error = expectError(await login(aliceKey(), { passphrase, username: 'bob', password: BOB_PASSWORD }), 'ECP_AUTH_FAILED', 'LoginFailedError');
      expect(error.message).toBe('the username, password or key file is wrong');
    });

    it('a wrong passphrase is a WrongPassphraseError, found before any challenge is spent', async () => {
      const challenges = server().challengesIssued();
      const before = server().requests.length;
      const error = expectError(await login(aliceKey(true), { passphrase: manifest.passphrases.wrong }), 'ECP_WRONG_PASSPHRASE', 'WrongPassphraseError');
      expect(error.advice).toMatch(/passphrase/i);
      expect(server().challengesIssued()).toBe(challenges);
      expect(server().requests.length).toBe(before);
    });

    it('an encrypted key file with an empty passphrase asks for the passphrase', async () => {
      const error = expectError(await login(aliceKey(), { passphrase: '' }), 'ECP_WRONG_PASSPHRASE', 'PassphraseRequiredError');
      expect(error.message).toMatch(/needs its passphrase/);
    });

    it('legacy 3DES/RC2 .p12 files (OpenSSL -legacy, Python) get LegacyPkcs12Error with the re-export command', async () => {
      for (const id of ['p12-legacy', 'p12-legacy-python-3des']) {
        const vector = opensslVector(id);
        const error = expectError(await login(fileInput(vector, true), { passphrase: vector.passphrase! }), 'ECP_LEGACY_PKCS12', 'LegacyPkcs12Error');
        expect(error.message).toContain('openssl pkcs12 -legacy -in old.p12');
      }
    });

    it('files that are not keys, keys on other curves and damaged files get their own errors', async () => {
      const expected: Record<string, [code: string, name: string]> = {
        'cert-as-key': ['ECP_NOT_A_KEY', 'NotAKeyFileError'],
        'garbage-binary': ['ECP_NOT_A_KEY', 'NotAKeyFileError'],
        'garbage-text': ['ECP_NOT_A_KEY', 'NotAKeyFileError'],
        'p384-pkcs8': ['ECP_WRONG_CURVE', 'WrongCurveError'],
        'rsa2048-pkcs8': ['ECP_WRONG_CURVE', 'WrongCurveError'],
        'p12-p384': ['ECP_WRONG_CURVE', 'WrongCurveError'],
        'p256-sec1-legacy-pem-encryption': ['ECP_UNSUPPORTED_FORMAT', 'UnsupportedKeyFormatError'],
        'p12-truncated': ['ECP_MALFORMED', ''],
      };
      for (const [id, [code, name]] of Object.entries(expected)) {
        const vector = opensslVector(id);
        expectError(await login(fileInput(vector), { passphrase: vector.passphrase ?? passphrase }), code, name || undefined);
      }
    });

    it('429 from the challenge route is a RateLimitedError with the server-given wait', async () => {
      const error = expectError(await login(aliceKey(), { passphrase, prefix: '/ratelimited' }), 'ECP_RATE_LIMITED', 'RateLimitedError');
      expect(error.status).toBe(429);
      expect(error.retryAfter).toBe(42);
      expect(error.message).toMatch(/42 seconds/);
    });

    it('a 500, or a 200 that is not JSON, is a ServerError', async () => {
      const broken = expectError(await login(aliceKey(), { passphrase, prefix: '/broken' }), 'ECP_SERVER_ERROR', 'ServerError');
      expect(broken.status).toBe(500);
      const notJson = expectError(await login(aliceKey(), { passphrase, prefix: '/notjson' }), 'ECP_SERVER_ERROR', 'ServerError');
      expect(notJson.status).toBe(200);
    });

    it('an unreachable server is a NetworkError', async () => {
      const error = expectError(await login(aliceKey(), { passphrase, baseUrl: 'http://127.0.0.1:1' }), 'ECP_NETWORK', 'NetworkError');
      expect(error.status).toBe(0);
    });
  });

  describe('generateCredentials', () => {
    it('makes a 600 000-iteration PBES2/AES-256 key file and a CSR (CN = username) signed by the same key, read back by @ecp/core and OpenSSL', async () => {
      const made = expectOk(await run('generateCredentials', { username: 'dora', passphrase: 'dora passphrase' }));
      expect(made.phases).toEqual(['deriving-key', 'encrypting', 'done']);
      expect(made.key).toMatchObject({ extractable: false, type: 'private', usages: ['sign'], algorithm: { name: 'ECDSA', namedCurve: 'P-256' } });
      expect(made.keySigns).toBe(true);

      const pem = decodePem(made.privateKeyPem, 'ENCRYPTED PRIVATE KEY');
      const parameters = parseEncryptionAlgorithm(parseEncryptedPrivateKeyInfo(pem.der).algorithm, 'pkcs8');
      expect(parameters).toMatchObject({ prf: 'SHA-256', iterations: 600_000, cipher: 'AES-256-CBC' });
      expect(rawPoint(await readPrivateKey(made.privateKeyPem, 'dora passphrase'))).toBe(made.publicKeyRawHex);

      const csr = parseCsr(made.csrPem);
      verifyCsr(csr);
      expect(csr.subject.commonName).toBe('dora');
      expect(csr.signatureAlgorithm.name).toBe('ecdsaWithSha256');
      expect(sameKey(csr.publicKey.spki, made.publicKeyRawHex)).toBe(true);

      const keyPath = tempFile('dora.pem', made.privateKeyPem);
      const pkey = openssl(['pkey', '-in', keyPath, '-passin', 'pass:dora passphrase', '-pubout']);
      expect(pkey.status, pkey.stderr).toBe(0);
      const req = openssl(['req', '-in', tempFile('dora.csr', made.csrPem), '-verify', '-noout', '-subject']);
      expect(req.status, req.stderr).toBe(0);
      expect(req.stdout.toString()).toMatch(/CN ?= ?dora/);
    });

    it('refuses an empty, over-long or control-character username and an empty passphrase', async () => {
      for (const username of ['', 'x'.repeat(65), 'line\nbreak']) {
        expectError(await run('generateCredentials', { username, passphrase: 'p', iterations: 1000 }), 'ECP_MALFORMED');
      }
      const error = expectError(await run('generateCredentials', { username: 'erin', passphrase: '', iterations: 1000 }), 'ECP_MALFORMED');
      expect(error.message).toMatch(/passphrase/);
    });
  });

  describe('enrol', () => {
    it('registers with a CSR only, returns the certificate, key file and .p12, and each of them logs in', async () => {
      const before = server().requests.length;
      const enrolled = expectOk(
        await run('enrol', { baseUrl: server().url, username: 'frank', password: 'frank pw', passphrase: 'frank pass', iterations: 10_000, pkcs12: true, thenLogin: true }),
      );
      expect(enrolled.phases).toEqual(['deriving-key', 'encrypting', 'registering', 'deriving-key', 'decrypting', 'done']);
      expect(enrolled.keyExtractable).toBe(false);
      const register = server().requests.slice(before).find((r) => r.path === '/register')!;
      expect(Object.keys(register.body as object).sort()).toEqual(['csr', 'password', 'username']);
      expect((register.body as { csr: string }).csr).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----/);
      expect(JSON.stringify(register.body)).not.toMatch(/PRIVATE KEY/);

      const certificate = parseCertificate(enrolled.certificatePem);
      expect(certificate.subject.commonName).toBe('frank');
      const key = await readPrivateKey(enrolled.privateKeyPem, 'frank pass');
      expect(sameKey(certificate.publicKey.spki, rawPoint(key))).toBe(true);

      const p12 = Buffer.from(enrolled.pkcs12Base64!, 'base64');
      const fromP12 = await readPkcs12(new Uint8Array(p12), 'frank pass');
      expect(fromP12.certificate.subject.commonName).toBe('frank');
      expect(rawPoint(fromP12.privateKey)).toBe(rawPoint(key));
      const info = openssl(['pkcs12', '-in', tempFile('frank.p12', p12), '-passin', 'pass:frank pass', '-nodes', '-info']);
      expect(info.status, info.stderr).toBe(0);
      expect(info.stderr).toMatch(/PBES2, PBKDF2, AES-256-CBC/);
      expect(info.stderr).toMatch(/MAC: sha256/);
      expect(info.stdout.toString()).toContain('friendlyName: frank');

      expect(enrolled.logins.map((l) => (l.ok ? l.value.username : l.error.code))).toEqual(['frank', 'frank', 'frank']);
    });

    it('a taken username is a UsernameTakenError, a refusal carries the server message, a certificate for another key is a mismatch', async () => {
      const enrolAs = (username: string) => run('enrol', { baseUrl: server().url, username, password: 'pw', passphrase: 'pp', iterations: 1000 });
      expect(expectError(await enrolAs('taken'), 'ECP_USERNAME_TAKEN', 'UsernameTakenError').status).toBe(409);
      const rejected = expectError(await enrolAs('rejected'), 'ECP_BAD_REQUEST', 'RequestRejectedError');
      expect(rejected.message).toBe('the password is too short');
      expect(rejected.status).toBe(400);
      expectError(await enrolAs('mismatch'), 'ECP_KEY_CERTIFICATE_MISMATCH', 'KeyCertificateMismatchError');
    });
  });

  describe('buildPkcs12', () => {
    it('refuses a certificate that is not the key’s', async () => {
      const result = await run('buildPkcs12', {
        privateKeyPem: opensslVector('p256-pkcs8-aes256-sha256').text!,
        passphrase,
        certificatePem: opensslVector('cert-bob').text!,
      });
      expectError(result, 'ECP_KEY_CERTIFICATE_MISMATCH', 'KeyCertificateMismatchError');
    });

    it('packs an OpenSSL-made key file and its certificate into a .p12 OpenSSL reads', async () => {
      const base64 = expectOk(
        await run('buildPkcs12', { privateKeyPem: opensslVector('p256-pkcs8-aes256-sha256').text!, passphrase, certificatePem: opensslVector('cert-alice').text!, friendlyName: 'alice' }),
      );
      const info = openssl(['pkcs12', '-in', tempFile('alice.p12', Buffer.from(base64, 'base64')), '-passin', `pass:${passphrase}`, '-nodes']);
      expect(info.status, info.stderr).toBe(0);
      expect(info.stdout.toString()).toMatch(/subject=CN ?= ?alice/);
      expect(info.stdout.toString()).toContain('-----BEGIN PRIVATE KEY-----');
    });
  });
}
