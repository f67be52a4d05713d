// Self-test of @ecp/test-vectors: the Wycheproof files load with the counts of the pinned
// commit, the loaders fail loudly, the acceptable-vector records work, and every entry of the
// OpenSSL manifest says what the openssl CLI itself says about its file.
import { spawnSync } from 'node:child_process';
import { createPublicKey, createVerify, X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  assertAcceptableDecisions,
  bytesToHex,
  diffAcceptableRecords,
  evaluateOutcomes,
  formatAcceptableRecord,
  hexToBytes,
  loadAesCbcPkcs5,
  loadEcdsaDer,
  loadEcdsaP1363,
  loadEd25519,
  loadHmacSha256,
  loadOpensslManifest,
  loadOpensslVectors,
  loadPbes2All,
  loadPbkdf2,
  loadRsaPkcs1,
  loadRsaPss,
  loadWycheproof,
  opensslVector,
  portableVectorBytes,
  toPortable,
  wycheproofCases,
  WYCHEPROOF_FILES,
  type ManifestEntry,
  type OpensslVector,
  type WycheproofFileName,
} from '@ecp/test-vectors';

const scratch = mkdtempSync(join(tmpdir(), 'ecp-vectors-suite-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// ---------------------------------------------------------------- Wycheproof

// Counts of C2SP/wycheproof testvectors_v1 at dac1dd4729fd1f8dd9e1e9f3dce51d783da6c166.
const COUNTS: Record<WycheproofFileName, { valid: number; invalid: number; acceptable: number }> = {
  'ecdsa_secp256r1_sha256_test.json': { valid: 174, invalid: 310, acceptable: 0 },
  'ecdsa_secp256r1_sha256_p1363_test.json': { valid: 173, invalid: 89, acceptable: 0 },
  'ecdsa_secp384r1_sha384_test.json': { valid: 194, invalid: 310, acceptable: 0 },
  'ecdsa_secp384r1_sha384_p1363_test.json': { valid: 193, invalid: 87, acceptable: 0 },
  'rsa_signature_2048_sha256_test.json': { valid: 9, invalid: 249, acceptable: 1 },
  'rsa_signature_4096_sha256_test.json': { valid: 7, invalid: 250, acceptable: 1 },
  'rsa_pss_2048_sha256_mgf1_32_test.json': { valid: 63, invalid: 45, acceptable: 0 },
  'ed25519_test.json': { valid: 88, invalid: 63, acceptable: 0 },
  'pbes2_hmacsha1_aes_128_test.json': { valid: 84, invalid: 0, acceptable: 0 },
  'pbes2_hmacsha1_aes_256_test.json': { valid: 84, invalid: 0, acceptable: 0 },
  'pbes2_hmacsha256_aes_128_test.json': { valid: 84, invalid: 0, acceptable: 0 },
  'pbes2_hmacsha256_aes_192_test.json': { valid: 84, invalid: 0, acceptable: 0 },
  'pbes2_hmacsha256_aes_256_test.json': { valid: 84, invalid: 0, acceptable: 0 },
  'pbkdf2_hmacsha1_test.json': { valid: 64, invalid: 0, acceptable: 0 },
  'pbkdf2_hmacsha256_test.json': { valid: 60, invalid: 0, acceptable: 0 },
  'hmac_sha256_test.json': { valid: 66, invalid: 108, acceptable: 0 },
  'aes_cbc_pkcs5_test.json': { valid: 72, invalid: 144, acceptable: 0 },
};

function withVectorsDir<T>(dir: string, run: () => T): T {
  const before = process.env.ECP_VECTORS_DIR;
  process.env.ECP_VECTORS_DIR = dir;
  try {
    return run();
  } finally {
    if (before === undefined) delete process.env.ECP_VECTORS_DIR;
    else process.env.ECP_VECTORS_DIR = before;
  }
}

describe('Wycheproof loader', () => {
  it.each(Object.keys(WYCHEPROOF_FILES) as WycheproofFileName[])('%s loads with the pinned counts', (name) => {
    const file = loadWycheproof(name);
    const counts = { valid: 0, invalid: 0, acceptable: 0 };
    for (const g of file.testGroups) {
      expect(g.type).toBe(WYCHEPROOF_FILES[name].type);
      for (const t of g.tests) counts[t.result]++;
    }
    expect(counts).toEqual(COUNTS[name]);
    expect(counts.valid + counts.invalid + counts.acceptable).toBe(file.numberOfTests);
    expect(wycheproofCases(file)).toHaveLength(file.numberOfTests);
  });

  it('gives each family its own file', () => {
    expect(loadEcdsaDer('P-256').testGroups[0]?.publicKey.curve).toBe('secp256r1');
    expect(loadEcdsaDer('P-384').testGroups[0]?.publicKey.curve).toBe('secp384r1');
    expect(loadEcdsaP1363('P-256').testGroups[0]?.publicKeyJwk?.crv).toBe('P-256');
    expect(loadEcdsaP1363('P-384').testGroups[0]?.publicKeyJwk?.crv).toBe('P-384');
    expect(loadRsaPkcs1(2048).testGroups[0]?.keySize).toBe(2048);
    expect(loadRsaPkcs1(4096).testGroups[0]?.keySize).toBe(4096);
    expect(loadRsaPss().testGroups[0]?.sLen).toBe(32);
    expect(loadEd25519().testGroups[0]?.publicKey.curve).toBe('edwards25519');
    expect(loadPbkdf2('SHA-1').algorithm).toBe('PBKDF2-HMACSHA1');
    expect(loadPbkdf2('SHA-256').algorithm).toBe('PBKDF2-HMACSHA256');
    expect(loadHmacSha256().algorithm).toBe('HMACSHA256');
    expect(loadAesCbcPkcs5().algorithm).toBe('AES-CBC-PKCS5');
    const pbes2 = loadPbes2All();
    expect(pbes2.map((f) => `${f.prfHash}/${f.aesKeyBits}:${f.file.algorithm}`)).toEqual([
      'SHA-1/128:PbeWithHmacSha1AndAes_128',
      'SHA-1/256:PbeWithHmacSha1AndAes_256',
      'SHA-256/128:PbeWithHmacSha256AndAes_128',
      'SHA-256/192:PbeWithHmacSha256AndAes_192',
      'SHA-256/256:PbeWithHmacSha256AndAes_256',
    ]);
  });

  it('loads data that node:crypto agrees with (every valid DER P-256 vector verifies)', () => {
    let verified = 0;
    for (const { group, test } of wycheproofCases(loadEcdsaDer('P-256'))) {
      if (test.result !== 'valid') continue;
      const key = createPublicKey({ key: Buffer.from(hexToBytes(group.publicKeyDer)), format: 'der', type: 'spki' });
      const ok = createVerify('sha256').update(hexToBytes(test.msg)).verify(key, hexToBytes(test.sig));
      expect(ok, `tcId ${test.tcId}`).toBe(true);
      verified++;
    }
    expect(verified).toBe(174);
  });

  it('returns plain JSON data (what page.evaluate can carry)', () => {
    const file = loadEcdsaP1363('P-256');
    expect(JSON.parse(JSON.stringify(file))).toEqual(file);
  });

  it('fails, naming the path and ECP_VECTORS_DIR, when the directory is missing', () => {
    const absent = join(scratch, 'no-such-dir');
    expect(() => withVectorsDir(absent, () => loadEd25519())).toThrow(
      new RegExp(`${join(absent, 'wycheproof')}.*ECP_VECTORS_DIR`),
    );
  });

  it('fails when one file is missing, and on a file whose count disagrees with numberOfTests', () => {
    const dir = join(scratch, 'partial');
    mkdirSync(join(dir, 'wycheproof'), { recursive: true });
    expect(() => withVectorsDir(dir, () => loadEd25519())).toThrow(/ed25519_test\.json.*ECP_VECTORS_DIR/);

    const hmac = loadHmacSha256();
    writeFileSync(join(dir, 'wycheproof', 'hmac_sha256_test.json'), JSON.stringify({ ...hmac, numberOfTests: 175 }));
    expect(() => withVectorsDir(dir, () => loadHmacSha256())).toThrow(/174 tests, but numberOfTests says 175/);

    const badHex = structuredClone(hmac);
    badHex.testGroups[0]!.tests[0]!.tag = 'xyz';
    writeFileSync(join(dir, 'wycheproof', 'hmac_sha256_test.json'), JSON.stringify(badHex));
    expect(() => withVectorsDir(dir, () => loadHmacSha256())).toThrow(/\.tag is not hex/);
  });
});

describe('hex helpers', () => {
  it('round-trips and refuses odd or non-hex input', () => {
    expect(bytesToHex(hexToBytes('00ffA07f'))).toBe('00ffa07f');
    expect(hexToBytes('')).toEqual(new Uint8Array(0));
    expect(() => hexToBytes('abc')).toThrow(TypeError);
    expect(() => hexToBytes('zz')).toThrow(TypeError);
  });
});

// ---------------------------------------------------------------- acceptable vectors

describe('acceptable-vector records', () => {
  const name = 'rsa_signature_2048_sha256_test.json';
  const file = loadRsaPkcs1(2048);
  const perfect = wycheproofCases(file).map(({ test }) => ({ tcId: test.tcId, accepted: test.result === 'valid' }));

  it('counts passes and failures and records the acceptable vector instead of counting it', () => {
    const report = evaluateOutcomes(name, file, perfect);
    expect(report).toMatchObject({ total: 259, passed: 258, failures: [] });
    expect(report.acceptable.decisions).toEqual({ '8': 'rejected' });
    expect(report.acceptable.about['8']).toBe('Missing NULL in the ASN encoding [MissingNull]');

    const firstValid = perfect.find((o) => o.accepted)!;
    const broken = perfect.map((o) => (o.tcId === firstValid.tcId ? { ...o, accepted: false } : o));
    const bad = evaluateOutcomes(name, file, broken);
    expect(bad.failures.map((f) => [f.tcId, f.result, f.accepted])).toEqual([[firstValid.tcId, 'valid', false]]);
  });

  it('refuses a missing, duplicated or unknown outcome (no silent skip)', () => {
    expect(() => evaluateOutcomes(name, file, perfect.slice(1))).toThrow(/no outcome for tcId/);
    expect(() => evaluateOutcomes(name, file, [...perfect, perfect[0]!])).toThrow(/two outcomes/);
    expect(() => evaluateOutcomes(name, file, [...perfect, { tcId: 99999, accepted: true }])).toThrow(/99999/);
  });

  it('compares with the committed decision file and prints the JSON to commit', () => {
    const rejected = evaluateOutcomes(name, file, perfect).acceptable;
    const accepted = evaluateOutcomes(
      name,
      file,
      perfect.map((o) => (o.tcId === 8 ? { ...o, accepted: true } : o)),
    ).acceptable;
    expect(diffAcceptableRecords(accepted, rejected)).toEqual(['tcId 8: committed rejected, now accepted']);

    const decisionFile = join(scratch, 'rsa2048-acceptable.json');
    expect(() => assertAcceptableDecisions(rejected, decisionFile)).toThrow(/no committed decision file[\s\S]*"8": "rejected"/);
    writeFileSync(decisionFile, formatAcceptableRecord(rejected));
    expect(() => assertAcceptableDecisions(rejected, decisionFile)).not.toThrow();
    expect(() => assertAcceptableDecisions(accepted, decisionFile)).toThrow(/tcId 8: committed rejected, now accepted/);
  });
});

// ---------------------------------------------------------------- OpenSSL manifest

interface Run {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

function openssl(args: string[], input?: Uint8Array): Run {
  const r = spawnSync('openssl', args, { input, maxBuffer: 1 << 20, timeout: 20_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

function mustRun(args: string[], input?: Uint8Array): Buffer {
  const r = openssl(args, input);
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

const pass = (e: ManifestEntry) => `pass:${e.passphrase ?? ''}`;

/** SPKI (hex) of the public key in a PEM text, via openssl. */
const spkiOfPem = (pem: Buffer, pubin: boolean) =>
  mustRun(['pkey', ...(pubin ? ['-pubin'] : []), '-pubout', '-outform', 'DER'], pem).toString('hex');

function pemBlocks(text: string, label: string): string[] {
  return text.match(new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----\\n?`, 'g')) ?? [];
}

const P256_HALF_N = BigInt('0x7FFFFFFF800000007FFFFFFFFFFFFFFFDE737D56D38BCF4279DCE5617E3192A8');

describe('OpenSSL interop vectors', () => {
  const manifest = loadOpensslManifest();
  const vectors = loadOpensslVectors();
  const byId = new Map(vectors.map((v) => [v.id, v]));

  it('holds every case the suite promises', () => {
    const required = [
      'p256-ecparam-genkey', 'p256-sec1', 'p256-pkcs8',
      ...['128', '192', '256'].flatMap((b) =>
        ['sha1', 'sha224', 'sha256', 'sha384', 'sha512'].map((h) => `p256-pkcs8-aes${b}-${h}`)),
      'p256-pkcs8-openssl-default', 'p256-pkcs8-unicode-passphrase', 'p256-pkcs8-python-best-available',
      'p256-pkcs8-wrong-passphrase', 'p256-sec1-legacy-pem-encryption',
      'p256-pkcs8-truncated-der', 'p256-pkcs8-truncated-pem',
      'p384-pkcs8', 'p384-pkcs8-encrypted', 'rsa2048-pkcs8', 'ed25519-pkcs8',
      'garbage-text', 'garbage-binary', 'garbage-bad-base64', 'cert-as-key',
      'cert-alice', 'cert-bob', 'cert-carol-p384', 'cert-alice-expired', 'cert-alice-not-yet-valid', 'csr-alice',
      'p12-openssl-default', 'p12-wrong-passphrase', 'p12-empty-passphrase', 'p12-unencrypted-bags', 'p12-nomac',
      'p12-two-certs', 'p12-python-key-matches-second', 'p12-python-best-available', 'p12-unicode-passphrase',
      'p12-p384', 'p12-legacy', 'p12-legacy-python-3des', 'p12-truncated',
      'sig-nonce-low-s', 'sig-nonce-high-s', 'sig-empty', 'sig-unicode', 'sig-long', 'sig-wrong-message', 'sig-wrong-key',
    ];
    expect(manifest.entries.map((e) => e.id).sort()).toEqual([...required].sort());
    expect(manifest.tools.openssl).toMatch(/^OpenSSL 3\./);
  });

  it('pairs every wrong-passphrase case with the same file and its right passphrase', () => {
    const wrong = manifest.entries.filter((e) => e.expect.result === 'error' && e.expect.errorCode === 'ECP_WRONG_PASSPHRASE');
    expect(wrong.length).toBe(2);
    for (const w of wrong) {
      const right = manifest.entries.find((e) => e.path === w.path && e.expect.result === 'ok');
      expect(right, w.id).toBeDefined();
      expect(right!.passphrase).not.toBe(w.passphrase);
      expect(w.passphrase).toBe(manifest.passphrases.wrong);
    }
  });

  it('serializes entries for a browser page and decodes the same bytes', () => {
    for (const v of vectors) {
      const portable = JSON.parse(JSON.stringify(toPortable(v)));
      expect(portableVectorBytes(portable)).toEqual(v.bytes);
      expect(portable.text).toBe(v.text);
    }
    expect(opensslVector('p256-sec1').text).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
  });

  const keyEntries = manifest.entries.filter((e) => e.readAs === 'private-key' && e.kind !== 'pkcs12');
  it.each(keyEntries.map((e) => [e.id, e] as const))('key file %s: openssl pkey agrees', (_id, entry) => {
    const v = byId.get(entry.id)!;
    const r = openssl(['pkey', '-in', v.absolutePath, '-passin', pass(v), '-pubout', '-outform', 'DER']);
    const code = v.expect.result === 'error' ? v.expect.errorCode : 'ok';
    if (['ECP_WRONG_PASSPHRASE', 'ECP_NOT_A_KEY', 'ECP_MALFORMED'].includes(code)) {
      expect(r.status, r.stderr).not.toBe(0);
      expect(v.key).toBeUndefined();
      return;
    }
    expect(r.status, r.stderr).toBe(0);
    expectKeyFacts(v, r.stdout.toString('hex'));
    if (code === 'ECP_UNSUPPORTED_FORMAT') expect(v.text).toContain('Proc-Type: 4,ENCRYPTED');
    if (v.encryption?.scheme === 'PBES2') expectPbes2Params(v);
  });

  const p12Entries = manifest.entries.filter((e) => e.kind === 'pkcs12');
  it.each(p12Entries.map((e) => [e.id, e] as const))('PKCS#12 %s: openssl pkcs12 agrees', (_id, entry) => {
    const v = byId.get(entry.id)!;
    const code = v.expect.result === 'error' ? v.expect.errorCode : 'ok';
    const read = (extra: string[]) => openssl(['pkcs12', '-in', v.absolutePath, '-passin', pass(v), '-nodes', ...extra]);
    if (code === 'ECP_WRONG_PASSPHRASE' || code === 'ECP_MALFORMED') {
      expect(read([]).status).not.toBe(0);
      return;
    }
    if (v.encryption?.scheme === 'PKCS12-legacy' && v.encryption.certCipher.includes('RC2')) {
      // RC2 is only in OpenSSL 3's legacy provider: plain `openssl pkcs12` refuses the file too.
      expect(read([]).status).not.toBe(0);
    }
    const r = read(code === 'ECP_LEGACY_PKCS12' ? ['-legacy'] : []);
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout.toString();
    const keys = pemBlocks(out, 'PRIVATE KEY');
    expect(keys).toHaveLength(1);
    expectKeyFacts(v, spkiOfPem(Buffer.from(keys[0]!), false));
    const certs = pemBlocks(out, 'CERTIFICATE').map((pem) => new X509Certificate(pem));
    expect(certs.map((c) => c.fingerprint256)).toEqual(v.certificates!.map((c) => c.sha256Fingerprint));
    expect(v.certificates![v.keyCertificateIndex!]!.spkiDerHex).toBe(v.key!.spkiDerHex);

    const info = openssl(['pkcs12', '-in', v.absolutePath, '-passin', pass(v), '-info', '-noout',
      ...(code === 'ECP_LEGACY_PKCS12' ? ['-legacy'] : [])]);
    const text = info.stdout.toString() + info.stderr;
    const enc = v.encryption!;
    if (enc.scheme === 'PKCS12-PBES2') {
      expect(text).toContain(`Shrouded Keybag: PBES2, PBKDF2, ${enc.cipher.toUpperCase()}, Iteration ${enc.iterations}, PRF ${enc.prf}`);
      expect(text).toContain(enc.mac === 'none' ? 'MAC is absent' : 'MAC: sha256');
    } else if (enc.scheme === 'PKCS12-legacy') {
      expect(text).toContain(`Shrouded Keybag: ${enc.keyCipher}, Iteration ${enc.iterations}`);
      expect(text).toContain(`PKCS7 Encrypted data: ${enc.certCipher}`);
      expect(text).toContain('MAC: sha1');
    } else {
      expect(text).toContain('Key bag');
      expect(text).not.toContain('Shrouded Keybag');
      expect(text).toContain('MAC: sha256');
    }
  });

  const certEntries = manifest.entries.filter((e) => e.readAs === 'certificate');
  it.each(certEntries.map((e) => [e.id, e] as const))('certificate %s: openssl x509 agrees', (_id, entry) => {
    const v = byId.get(entry.id)!;
    const [facts] = v.certificates!;
    const out = mustRun(['x509', '-in', v.absolutePath, '-noout', '-nameopt', 'RFC2253', '-subject', '-issuer', '-serial',
      '-fingerprint', '-sha256']).toString();
    expect(out).toContain(`subject=CN=${facts!.subjectCN}\n`);
    expect(out).toContain(`issuer=CN=${facts!.issuerCN}\n`);
    expect(out).toContain(`serial=${facts!.serialHex}\n`);
    expect(out).toContain(`Fingerprint=${facts!.sha256Fingerprint}\n`);
    const x = new X509Certificate(v.bytes);
    expect(x.fingerprint).toBe(facts!.sha1Fingerprint);
    expect(new Date(x.validFrom).toISOString().replace('.000', '')).toBe(facts!.notBefore);
    expect(new Date(x.validTo).toISOString().replace('.000', '')).toBe(facts!.notAfter);
    const spki = mustRun(['x509', '-in', v.absolutePath, '-noout', '-pubkey']);
    expect(spkiOfPem(spki, true)).toBe(facts!.spkiDerHex);
    expect(v.key!.spkiDerHex).toBe(facts!.spkiDerHex);
  });

  it('certificate validity windows are what their names say', () => {
    const now = Date.now();
    const window = (id: string) => byId.get(id)!.certificates![0]!;
    expect(Date.parse(window('cert-alice-expired').notAfter)).toBeLessThan(now);
    expect(Date.parse(window('cert-alice-not-yet-valid').notBefore)).toBeGreaterThan(now);
    for (const id of ['cert-alice', 'cert-bob', 'cert-carol-p384']) {
      expect(Date.parse(window(id).notBefore)).toBeLessThan(now);
      expect(Date.parse(window(id).notAfter)).toBeGreaterThan(now);
    }
  });

  it('CSR: openssl req verifies it and reports CN and key', () => {
    const v = byId.get('csr-alice')!;
    const out = mustRun(['req', '-in', v.absolutePath, '-verify', '-noout', '-subject', '-nameopt', 'RFC2253']).toString();
    expect(out).toContain(`subject=CN=${v.csr!.subjectCN}`);
    expect(spkiOfPem(mustRun(['req', '-in', v.absolutePath, '-noout', '-pubkey']), true)).toBe(v.key!.spkiDerHex);
  });

  const sigEntries = manifest.entries.filter((e) => e.kind === 'signature');
  it.each(sigEntries.map((e) => [e.id, e] as const))('signature %s: openssl dgst -verify agrees', (_id, entry) => {
    const v = byId.get(entry.id)!;
    const s = v.signature!;
    expect(bytesToHex(v.bytes)).toBe(s.signatureHex);
    expect(bytesToHex(new TextEncoder().encode(s.message))).toBe(s.messageHex);
    const cert = byId.get(s.certificateId)!;
    expect(cert.key!.publicKeyHex).toBe(s.publicKeyHex);
    const pubPath = join(scratch, `${cert.id}.pub.pem`);
    writeFileSync(pubPath, mustRun(['x509', '-in', cert.absolutePath, '-noout', '-pubkey']));
    const r = openssl(['dgst', '-sha256', '-verify', pubPath, '-signature', v.absolutePath], hexToBytes(s.messageHex));
    expect(r.stdout.toString().trim()).toBe(s.valid ? 'Verified OK' : 'Verification failure');
    expect(r.status).toBe(s.valid ? 0 : 1);
    const ints = mustRun(['asn1parse', '-inform', 'DER', '-in', v.absolutePath]).toString().match(/INTEGER\s+:([0-9A-F]+)/g)!;
    expect(ints).toHaveLength(2);
    const sValue = BigInt(`0x${ints[1]!.split(':')[1]}`);
    expect(sValue > P256_HALF_N).toBe(s.highS);
  });

  it('has both a high-S and a low-S valid signature of the nonce', () => {
    expect(byId.get('sig-nonce-high-s')!.signature!.highS).toBe(true);
    expect(byId.get('sig-nonce-low-s')!.signature!.highS).toBe(false);
    expect(byId.get('sig-nonce-low-s')!.signature!.message).toMatch(/^[0-9a-f]{64}$/);
  });
});

/** The entry's key facts match the SPKI openssl derived from the file. */
function expectKeyFacts(v: OpensslVector, spkiHex: string): void {
  const key = v.key!;
  expect(key, v.id).toBeDefined();
  expect(spkiHex).toBe(key.spkiDerHex);
  const jwk = createPublicKey({ key: Buffer.from(spkiHex, 'hex'), format: 'der', type: 'spki' }).export({ format: 'jwk' });
  if (key.type === 'ec') {
    expect(jwk.crv).toBe(key.curve);
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
    expect(point.toString('hex')).toBe(key.publicKeyHex);
  } else if (key.type === 'ed25519') {
    expect(jwk.crv).toBe('Ed25519');
    expect(Buffer.from(jwk.x!, 'base64url').toString('hex')).toBe(key.publicKeyHex);
  } else {
    expect(jwk.kty).toBe('RSA');
    expect(Buffer.from(jwk.n!, 'base64url').length).toBe(256);
  }
}

/** The PBES2 parameters in the file are the ones the manifest records. */
function expectPbes2Params(v: OpensslVector): void {
  const enc = v.encryption;
  if (enc?.scheme !== 'PBES2') throw new Error(`${v.id} is not PBES2`);
  const out = mustRun(['asn1parse', '-in', v.absolutePath]).toString();
  expect(out).toContain(':PBES2');
  expect(out).toContain(`:${enc.cipher}`);
  // hmacWithSHA1 is PBKDF2's default PRF, so DER leaves it out.
  if (enc.prf === 'hmacWithSHA1') expect(out).not.toContain(':hmacWith');
  else expect(out).toContain(`:${enc.prf}`);
  expect(out).toMatch(new RegExp(`INTEGER\\s+:0*${enc.iterations.toString(16).toUpperCase()}\\n`));
}
