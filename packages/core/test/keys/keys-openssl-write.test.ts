/**
 * What ecp writes (encryptPrivateKey, writePkcs12), read back by the openssl CLI and Python
 * `cryptography`, and by ecp itself.
 */
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { openssl } from '@ecp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes.js';
import { decodePem } from '../../src/pem.js';
import { parseCertificate } from '../../src/x509/certificate.js';
import { nodeKeyFileCrypto } from '../../src/keys/node-backend.js';
import { encryptPrivateKey, generateKeyPair, readPrivateKey } from '../../src/keys/node-keys.js';
import { readPkcs12, writePkcs12 } from '../../src/keys/node-pkcs12.js';
import { parseEncryptionAlgorithm } from '../../src/keys/pbes2.js';
import { parseEncryptedPrivateKeyInfo } from '../../src/keys/pkcs8.js';
import { encodePkcs12 } from '../../src/keys/pkcs12-write.js';
import { readKeyFile } from '../../src/keys/read-key-file.js';
import { PASS, UNICODE_PASS, hasPythonCryptography, makeOpensslFixture, python, type OpensslFixture } from './openssl-fixture.js';

let fx: OpensslFixture;
beforeAll(() => {
  fx = makeOpensslFixture();
});
afterAll(() => fx.cleanup());

const pointOf = (spkiDer: Buffer) => toHex(spkiDer.subarray(spkiDer.length - 65));

describe('generateKeyPair', () => {
  it('makes P-256 keys that sign and verify', () => {
    const { privateKey, publicKey } = generateKeyPair();
    expect(privateKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(verify('sha256', Buffer.from('m'), publicKey, sign('sha256', Buffer.from('m'), privateKey))).toBe(true);
  });
});

describe('encryptPrivateKey', () => {
  it('writes PBES2 with PBKDF2-HMAC-SHA256 × 600 000, a 16-byte salt and AES-256-CBC, which openssl reads', async () => {
    const { privateKey, publicKey } = generateKeyPair();
    const started = performance.now();
    const pem = await encryptPrivateKey(privateKey, PASS);
    const elapsed = performance.now() - started;
    const info = parseEncryptedPrivateKeyInfo(decodePem(pem, 'ENCRYPTED PRIVATE KEY').der);
    const parameters = parseEncryptionAlgorithm(info.algorithm, 'pkcs8');
    expect({ ...parameters, salt: parameters.salt.length, iv: parameters.iv.length }).toEqual({
      prf: 'SHA-256',
      iterations: 600_000,
      cipher: 'AES-256-CBC',
      salt: 16,
      iv: 16,
    });
    expect(elapsed).toBeGreaterThan(20); // 600 000 iterations cannot be instant
    writeFileSync(fx.path('ours.pem'), pem);
    const asn1 = fx.run('asn1parse', '-in', 'ours.pem').toString();
    expect(asn1).toMatch(/:PBES2[\s\S]*:PBKDF2[\s\S]*INTEGER\s+:0927C0[\s\S]*:hmacWithSHA256[\s\S]*:aes-256-cbc/);
    const spki = fx.run('pkey', '-in', 'ours.pem', '-passin', `pass:${PASS}`, '-pubout', '-outform', 'DER');
    expect(pointOf(spki)).toBe(pointOf(publicKey.export({ format: 'der', type: 'spki' })));
    expect(openssl(['pkey', '-in', 'ours.pem', '-passin', 'pass:not-it', '-noout'], { cwd: fx.dir }).status).not.toBe(0);
  });

  it('uses a fresh salt and IV every time, honours `iterations`, and round-trips a non-ASCII passphrase', async () => {
    const { privateKey, publicKey } = generateKeyPair();
    const a = await encryptPrivateKey(privateKey, UNICODE_PASS, { iterations: 1000 });
    const b = await encryptPrivateKey(privateKey, UNICODE_PASS, { iterations: 1000 });
    expect(a).not.toBe(b);
    const info = parseEncryptedPrivateKeyInfo(decodePem(a, 'ENCRYPTED PRIVATE KEY').der);
    expect(parseEncryptionAlgorithm(info.algorithm, 'pkcs8').iterations).toBe(1000);
    writeFileSync(fx.path('unicode-ours.pem'), a);
    const spki = fx.run('pkey', '-in', 'unicode-ours.pem', '-passin', `pass:${UNICODE_PASS}`, '-pubout', '-outform', 'DER');
    const expected = pointOf(publicKey.export({ format: 'der', type: 'spki' }));
    expect(pointOf(spki)).toBe(expected);
    const back = await readPrivateKey(b, UNICODE_PASS);
    expect(pointOf(createPublicKey(back).export({ format: 'der', type: 'spki' }))).toBe(expected);
  });

  it('refuses other keys by name and impossible iteration counts', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey;
    await expect(encryptPrivateKey(rsa, PASS)).rejects.toMatchObject({ code: 'ECP_WRONG_CURVE', message: expect.stringContaining('an RSA key') });
    await expect(encryptPrivateKey(p384, PASS)).rejects.toMatchObject({ code: 'ECP_WRONG_CURVE', message: expect.stringContaining('secp384r1') });
    const { privateKey } = generateKeyPair();
    await expect(encryptPrivateKey(privateKey, PASS, { iterations: 0 })).rejects.toThrow(RangeError);
    await expect(encryptPrivateKey(privateKey, PASS, { iterations: 10_000_001 })).rejects.toThrow(RangeError);
  });
});

describe('writePkcs12', () => {
  /** `openssl pkcs12 -info` lines (it prints the MAC and algorithm lines on stderr). */
  const infoLines = (file: string, passphrase: string) => {
    const result = openssl(['pkcs12', '-info', '-noout', '-in', file, '-passin', `pass:${passphrase}`], { cwd: fx.dir });
    expect(result.status).toBe(0);
    return (result.stdout.toString() + result.stderr).split('\n').filter(Boolean);
  };

  it("has the structure of openssl pkcs12 -export with OpenSSL 3's defaults", async () => {
    const privateKey = await readPrivateKey(fx.read('alice.pem'));
    const certificate = parseCertificate(fx.text('alice.crt'));
    writeFileSync(fx.path('ours.p12'), await writePkcs12({ privateKey, certificate, passphrase: PASS }));
    fx.run('pkcs12', '-export', '-inkey', 'alice.pem', '-in', 'alice.crt', '-passout', `pass:${PASS}`, '-out', 'theirs.p12');
    const ours = infoLines('ours.p12', PASS);
    const theirs = infoLines('theirs.p12', PASS);
    expect(ours).toContain('MAC: sha256, Iteration 2048');
    expect(ours).toContain('PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256');
    expect(ours).toContain('Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256');
    // Identical but for the MAC salt: ecp uses 16 bytes (NIST SP 800-132's minimum), OpenSSL 8.
    const salt = /^MAC length: 32, salt length: \d+$/;
    expect(ours.filter((l) => !salt.test(l))).toEqual(theirs.filter((l) => !salt.test(l)));
    expect(ours.find((l) => salt.test(l))).toBe('MAC length: 32, salt length: 16');
  });

  it('is read by openssl with the key, the certificate, the chain, friendlyName and localKeyID', async () => {
    const privateKey = await readPrivateKey(fx.read('alice.pem'));
    const ca = new Uint8Array(fx.run('x509', '-in', 'ca.crt', '-outform', 'DER'));
    const p12 = await writePkcs12({ privateKey, certificate: parseCertificate(fx.text('alice.crt')), chain: [ca], passphrase: PASS, friendlyName: 'alice@ecp' });
    writeFileSync(fx.path('chain-ours.p12'), p12);
    const dump = fx.run('pkcs12', '-in', 'chain-ours.p12', '-passin', `pass:${PASS}`, '-nodes').toString();
    expect(dump.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(dump).toContain('friendlyName: alice@ecp');
    expect(dump.match(/localKeyID:/g)).toHaveLength(2);
    writeFileSync(fx.path('extracted.pem'), dump);
    const spki = fx.run('pkey', '-in', 'extracted.pem', '-pubout', '-outform', 'DER');
    expect(pointOf(spki)).toBe(toHex(fx.alicePoint));

    const back = await readPkcs12(p12, PASS);
    expect(back.certificate.subject.commonName).toBe('alice');
    expect(back.chain.map((c) => c.subject.commonName)).toEqual(['ecp test CA']);
    expect(pointOf(createPublicKey(back.privateKey).export({ format: 'der', type: 'spki' }))).toBe(toHex(fx.alicePoint));
  });

  it('works with the empty and a non-ASCII passphrase in openssl', async () => {
    const privateKey = await readPrivateKey(fx.read('alice.pem'));
    const certificate = parseCertificate(fx.text('alice.crt'));
    for (const [name, passphrase] of [
      ['empty-ours.p12', ''],
      ['unicode-ours.p12', UNICODE_PASS],
    ] as const) {
      writeFileSync(fx.path(name), await writePkcs12({ privateKey, certificate, passphrase }));
      expect(infoLines(name, passphrase)).toContain('MAC: sha256, Iteration 2048');
      expect((await readKeyFile(fx.read(name), passphrase, nodeKeyFileCrypto)).format).toBe('pkcs12');
    }
  });

  it("refuses a certificate that is not the key's own", async () => {
    const privateKey = await readPrivateKey(fx.read('alice.pem'));
    await expect(writePkcs12({ privateKey, certificate: parseCertificate(fx.text('ca.crt')), passphrase: PASS })).rejects.toMatchObject({
      code: 'ECP_KEY_CERTIFICATE_MISMATCH',
    });
  });

  it('readPkcs12 refuses a file without the certificate of its key, saying how to export one', async () => {
    fx.run('pkcs12', '-export', '-inkey', 'alice.pem', '-nocerts', '-passout', `pass:${PASS}`, '-out', 'nocert.p12');
    await expect(readPkcs12(fx.read('nocert.p12'), PASS)).rejects.toMatchObject({
      code: 'ECP_UNSUPPORTED_FORMAT',
      message: expect.stringContaining('openssl pkcs12 -export'),
    });
    // readKeyFile, which only needs the key, takes it.
    const key = await readKeyFile(fx.read('nocert.p12'), PASS, nodeKeyFileCrypto);
    expect([toHex(key.publicKey), key.certificate]).toEqual([toHex(fx.alicePoint), undefined]);
  });

  it('the portable encoder does not check the pair, so the reader does: KeyCertificateMismatchError', async () => {
    const { pkcs8 } = await readKeyFile(fx.read('alice.pem'), undefined, nodeKeyFileCrypto);
    const ca = new Uint8Array(fx.run('x509', '-in', 'ca.crt', '-outform', 'DER'));
    const p12 = await encodePkcs12({ pkcs8, certificate: ca, passphrase: PASS }, nodeKeyFileCrypto);
    await expect(readKeyFile(p12, PASS, nodeKeyFileCrypto)).rejects.toMatchObject({ code: 'ECP_KEY_CERTIFICATE_MISMATCH' });
  });
});

describe.runIf(hasPythonCryptography())('read by Python cryptography', () => {
  it('loads our encrypted PKCS#8 and our PKCS#12', async () => {
    const privateKey = await readPrivateKey(fx.read('alice.pem'));
    writeFileSync(fx.path('py-in.pem'), await encryptPrivateKey(privateKey, UNICODE_PASS, { iterations: 2000 }));
    writeFileSync(fx.path('py-in.p12'), await writePkcs12({ privateKey, certificate: parseCertificate(fx.text('alice.crt')), passphrase: UNICODE_PASS, friendlyName: 'alice' }));
    const out = python(
      `import sys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
d = sys.argv[1]; pw = sys.argv[2].encode()
def point(k): return k.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint).hex()
k = serialization.load_pem_private_key(open(d + '/py-in.pem', 'rb').read(), pw)
p = pkcs12.load_pkcs12(open(d + '/py-in.p12', 'rb').read(), pw)
print(point(k)); print(point(p.key)); print(p.cert.certificate.subject.rfc4514_string()); print(p.cert.friendly_name.decode())`,
      fx.dir,
      UNICODE_PASS,
    );
    const point = toHex(fx.alicePoint);
    expect(out.trim().split('\n')).toEqual([point, point, 'CN=alice', 'alice']);
  });
});
