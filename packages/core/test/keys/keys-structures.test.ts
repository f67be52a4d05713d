/**
 * The key-file parsers on hand-built structures: every refusal path, the bounds, and the
 * PKCS#12 corner cases no tool writes by default.
 */
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex, utf8 } from '../../src/bytes.js';
import { OID } from '../../src/der/oids.js';
import * as der from '../../src/der/writer.js';
import { childrenOf, decodeDer } from '../../src/der/reader.js';
import { encodePem } from '../../src/pem.js';
import { type KeyFileCrypto } from '../../src/keys/crypto-backend.js';
import { encryptPrivateKeyInfo } from '../../src/keys/encrypted-pkcs8.js';
import { nodeKeyFileCrypto } from '../../src/keys/node-backend.js';
import { encodeP256PrivateKeyInfo } from '../../src/keys/p256.js';
import { bmpPassword, pbes2Password } from '../../src/keys/passphrase.js';
import { encodePbes2Algorithm, parseEncryptionAlgorithm, pbes2Decrypt, pbes2Encrypt, type Pbes2Parameters } from '../../src/keys/pbes2.js';
import { computeMac, encodeMacData, MAX_MAC_ITERATIONS } from '../../src/keys/pkcs12-mac.js';
import { encodePkcs12 } from '../../src/keys/pkcs12-write.js';
import { parsePfx } from '../../src/keys/pkcs12.js';
import { encodeEncryptedPrivateKeyInfo, parseEncryptedPrivateKeyInfo } from '../../src/keys/pkcs8.js';
import { MAX_KEY_FILE_SIZE, readKeyFile } from '../../src/keys/read-key-file.js';
import { readAlgorithm } from '../../src/keys/algorithm.js';

const backend = nodeKeyFileCrypto;
const read = (input: Uint8Array | string, passphrase?: string) => readKeyFile(input, passphrase, backend);

/** A backend that fails the test if any key derivation or decryption is attempted. */
const noCrypto: KeyFileCrypto = {
  ...backend,
  pbkdf2: () => Promise.reject(new Error('PBKDF2 must not run')),
  aesCbcDecrypt: () => Promise.reject(new Error('AES must not run')),
};

const { privateKey: alice } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const aliceJwk = alice.export({ format: 'jwk' });
const b64url = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));
const aliceD = b64url(aliceJwk.d!);
const alicePoint = concatBytes(Uint8Array.of(4), b64url(aliceJwk.x!), b64url(aliceJwk.y!));

const algorithmOf = (encoded: Uint8Array) => readAlgorithm(decodeDer(encoded), 'test');
const pbes2Params = (over: Partial<Pbes2Parameters> = {}): Pbes2Parameters => ({
  prf: 'SHA-256',
  salt: new Uint8Array(16).fill(1),
  iterations: 1000,
  cipher: 'AES-256-CBC',
  iv: new Uint8Array(16).fill(2),
  ...over,
});

/** PBES2 AlgorithmIdentifier from raw PBKDF2 parameters and encryption scheme (for malformed ones). */
const pbes2With = (kdf: Uint8Array, scheme: Uint8Array) => der.sequence(der.oid(OID.pbes2), der.sequence(kdf, scheme));
const pbkdf2 = (...fields: Uint8Array[]) => der.sequence(der.oid(OID.pbkdf2), der.sequence(...fields));
const aes256 = (iv = new Uint8Array(16)) => der.sequence(der.oid(OID.aes256Cbc), der.octetString(iv));
const salt = der.octetString(new Uint8Array(8));

describe('PBES2 parameters', () => {
  it('round-trip through the encoder, with HMAC-SHA1 (the DEFAULT) left out as DER requires', () => {
    for (const prf of ['SHA-1', 'SHA-224', 'SHA-256', 'SHA-384', 'SHA-512'] as const) {
      for (const cipher of ['AES-128-CBC', 'AES-192-CBC', 'AES-256-CBC'] as const) {
        const p = pbes2Params({ prf, cipher });
        const encoded = encodePbes2Algorithm(p);
        expect(parseEncryptionAlgorithm(algorithmOf(encoded), 'pkcs8')).toEqual(p);
        expect(toHex(encoded).includes(toHex(der.oid(OID.hmacWithSha1)))).toBe(false);
      }
    }
  });

  it('accept a keyLength equal to the cipher key size, refuse any other', () => {
    const ok = pbes2With(pbkdf2(salt, der.integer(2048), der.integer(32)), aes256());
    expect(parseEncryptionAlgorithm(algorithmOf(ok), 'pkcs8').iterations).toBe(2048);
    const bad = pbes2With(pbkdf2(salt, der.integer(2048), der.integer(16)), aes256());
    expect(() => parseEncryptionAlgorithm(algorithmOf(bad), 'pkcs8')).toThrow(/key length/);
  });

  it.each([
    ['zero iterations', pbes2With(pbkdf2(salt, der.integer(0)), aes256()), 'ECP_MALFORMED'],
    ['a 15-byte IV', pbes2With(pbkdf2(salt, der.integer(1)), aes256(new Uint8Array(15))), 'ECP_MALFORMED'],
    ['non-NULL PRF parameters', pbes2With(pbkdf2(salt, der.integer(1), der.sequence(der.oid(OID.hmacWithSha256), der.integer(1))), aes256()), 'ECP_MALFORMED'],
    ['more iterations than the bound', pbes2With(pbkdf2(salt, der.integer(10_000_001)), aes256()), 'ECP_UNSUPPORTED_FORMAT'],
    ['a salt from another source', pbes2With(pbkdf2(der.sequence(der.oid(OID.sha256)), der.integer(1)), aes256()), 'ECP_UNSUPPORTED_FORMAT'],
    ['an unknown PRF', pbes2With(pbkdf2(salt, der.integer(1), der.sequence(der.oid('1.2.840.113549.2.12'), der.nullValue())), aes256()), 'ECP_UNSUPPORTED_FORMAT'],
    ['scrypt', pbes2With(der.sequence(der.oid('1.3.6.1.4.1.11591.4.11'), der.sequence(salt)), aes256()), 'ECP_UNSUPPORTED_FORMAT'],
    ['3DES inside PBES2', pbes2With(pbkdf2(salt, der.integer(1)), der.sequence(der.oid(OID.desEde3Cbc), der.octetString(new Uint8Array(8)))), 'ECP_UNSUPPORTED_FORMAT'],
    ['PBES1', der.sequence(der.oid(OID.pbeWithMd5AndDesCbc), der.sequence(salt, der.integer(1))), 'ECP_UNSUPPORTED_FORMAT'],
    ['a PKCS#12 PBE in PKCS#8', der.sequence(der.oid(OID.pbeWithShaAnd3KeyTripleDesCbc), der.sequence(salt, der.integer(1))), 'ECP_UNSUPPORTED_FORMAT'],
  ])('refuse %s', (_name, algorithm, code) => {
    expect(() => parseEncryptionAlgorithm(algorithmOf(algorithm), 'pkcs8')).toThrow(expect.objectContaining({ code }));
  });

  it('inside PKCS#12, refuse the legacy ciphers with LegacyPkcs12Error and the re-export command', () => {
    for (const algorithm of [
      der.sequence(der.oid(OID.pbeWithShaAnd40BitRc2Cbc), der.sequence(salt, der.integer(1))),
      pbes2With(pbkdf2(salt, der.integer(1)), der.sequence(der.oid(OID.desEde3Cbc), der.octetString(new Uint8Array(8)))),
    ]) {
      expect(() => parseEncryptionAlgorithm(algorithmOf(algorithm), 'pkcs12')).toThrow(
        expect.objectContaining({ code: 'ECP_LEGACY_PKCS12', message: expect.stringContaining('openssl pkcs12 -legacy') }),
      );
    }
  });

  it('an over-bound iteration count is refused before any derivation runs', async () => {
    const algorithm = pbes2With(pbkdf2(salt, der.integer(50_000_000)), aes256());
    const file = encodePem('ENCRYPTED PRIVATE KEY', encodeEncryptedPrivateKeyInfo(algorithm, new Uint8Array(48)));
    await expect(readKeyFile(file, 'x', noCrypto)).rejects.toMatchObject({ code: 'ECP_UNSUPPORTED_FORMAT', message: expect.stringContaining('50000000') });
  });
});

describe('PBES2 decryption', () => {
  it('a wrong password fails the padding check → WrongPassphraseError; partial blocks are malformed', async () => {
    const p = pbes2Params();
    const key = await backend.pbkdf2(p.prf, utf8('right'), p.salt, p.iterations, 32);
    const ciphertext = await backend.aesCbcEncrypt(key, p.iv, utf8('secret message'));
    expect(toHex(await pbes2Decrypt(p, utf8('right'), ciphertext, backend))).toBe(toHex(utf8('secret message')));
    // Fixed salt, IV and passwords, so deterministic: a wrong key passes the padding check
    // about once in 256 tries, and these four do not.
    const results = await Promise.allSettled(['a', 'b', 'c', 'd'].map((pw) => pbes2Decrypt(p, utf8(pw), ciphertext, backend)));
    const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'decrypted'));
    expect(codes).toEqual(Array(4).fill('ECP_WRONG_PASSPHRASE'));
    await expect(pbes2Decrypt(p, utf8('a'), new Uint8Array(17), backend)).rejects.toMatchObject({ code: 'ECP_MALFORMED' });
  });

  it('plaintext that decrypts with valid padding but is not PKCS#8 is a wrong passphrase too', async () => {
    const { algorithm, ciphertext } = await pbes2Encrypt(utf8('pw'), utf8('not a PrivateKeyInfo'), backend, { iterations: 1000 });
    const file = encodePem('ENCRYPTED PRIVATE KEY', encodeEncryptedPrivateKeyInfo(algorithm, ciphertext));
    await expect(read(file, 'pw')).rejects.toMatchObject({ code: 'ECP_WRONG_PASSPHRASE' });
  });

  it('the empty passphrase is zero bytes of UTF-8, and it works', async () => {
    expect(pbes2Password('')).toEqual(new Uint8Array(0));
    const file = encodePem('ENCRYPTED PRIVATE KEY', await encryptPrivateKeyInfo(encodeP256PrivateKeyInfo(aliceD), '', backend, { iterations: 1000 }));
    expect(toHex((await read(file, '')).publicKey)).toBe(toHex(alicePoint));
    await expect(read(file)).rejects.toMatchObject({ code: 'ECP_WRONG_PASSPHRASE', message: expect.stringContaining('needs its passphrase') });
  });

  it('passphrases are bounded', async () => {
    expect(() => pbes2Password('x'.repeat(1025))).toThrow(expect.objectContaining({ code: 'ECP_WRONG_PASSPHRASE' }));
    expect(() => bmpPassword('x'.repeat(1025))).toThrow(expect.objectContaining({ code: 'ECP_WRONG_PASSPHRASE' }));
  });
});

describe('P-256 keys', () => {
  const pkcs8 = (ecPrivateKey: Uint8Array, version = 0, ...tail: Uint8Array[]) =>
    der.sequence(der.integer(version), der.sequence(der.oid(OID.ecPublicKey), der.oid(OID.prime256v1)), der.octetString(ecPrivateKey), ...tail);

  it('always come back with the public point, which is checked against the one in the file', async () => {
    const bare = await read(encodePem('PRIVATE KEY', encodeP256PrivateKeyInfo(aliceD)));
    expect(toHex(bare.publicKey)).toBe(toHex(alicePoint));
    // The normalised PKCS#8 carries the point: node imports it as the same key.
    const imported = createPrivateKey({ key: Buffer.from(bare.pkcs8), format: 'der', type: 'pkcs8' });
    expect(imported.export({ format: 'jwk' }).x).toBe(aliceJwk.x);

    const otherPoint = alicePoint.slice();
    otherPoint[64]! ^= 1;
    await expect(read(encodePem('PRIVATE KEY', encodeP256PrivateKeyInfo(aliceD, otherPoint)))).rejects.toMatchObject({
      code: 'ECP_MALFORMED',
      message: expect.stringContaining('does not belong to its private key'),
    });
  });

  it('take the point from the outer [1] of a v2 OneAsymmetricKey', async () => {
    const inner = der.sequence(der.integer(1), der.octetString(aliceD));
    const key = await read(encodePem('PRIVATE KEY', pkcs8(inner, 1, der.implicitPrimitive(1, concatBytes(Uint8Array.of(0), alicePoint)))));
    expect(toHex(key.publicKey)).toBe(toHex(alicePoint));
  });

  it('refuse scalars of 0 or ≥ n and left-pad short ones', async () => {
    const n = fromHex('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
    for (const d of [new Uint8Array(32), n, new Uint8Array(33).fill(1)]) {
      const file = encodePem('PRIVATE KEY', pkcs8(der.sequence(der.integer(1), der.octetString(d))));
      await expect(read(file)).rejects.toMatchObject({ code: 'ECP_MALFORMED' });
    }
    const short = fromHex('00'.repeat(31) + '07');
    const key = await read(encodePem('PRIVATE KEY', pkcs8(der.sequence(der.integer(1), der.octetString(short.subarray(31))))));
    expect(key.pkcs8).toEqual(encodeP256PrivateKeyInfo(short, key.publicKey));
  });

  it('refuse explicit curve parameters with the conversion command, and inner/outer curves that disagree', async () => {
    const explicit = der.sequence(der.integer(1), der.octetString(aliceD), der.explicit(0, der.sequence(der.integer(1))));
    await expect(read(encodePem('EC PRIVATE KEY', explicit))).rejects.toMatchObject({
      code: 'ECP_UNSUPPORTED_FORMAT',
      message: expect.stringContaining('-param_enc named_curve'),
    });
    const p384Inside = der.sequence(der.integer(1), der.octetString(aliceD), der.explicit(0, der.oid(OID.secp384r1)));
    await expect(read(encodePem('PRIVATE KEY', pkcs8(p384Inside)))).rejects.toMatchObject({ code: 'ECP_MALFORMED' });
    const noCurve = der.sequence(der.integer(1), der.octetString(aliceD));
    await expect(read(encodePem('EC PRIVATE KEY', noCurve))).rejects.toMatchObject({ code: 'ECP_MALFORMED' });
  });
});

describe('readKeyFile input handling', () => {
  it('bounds the size before parsing', async () => {
    await expect(read(new Uint8Array(MAX_KEY_FILE_SIZE + 1))).rejects.toMatchObject({ code: 'ECP_INPUT_TOO_LARGE' });
    await expect(read(' '.repeat(MAX_KEY_FILE_SIZE + 1))).rejects.toMatchObject({ code: 'ECP_INPUT_TOO_LARGE' });
  });

  it('finds the key in a PEM bundle after a certificate, as bytes or text', async () => {
    const bundle = `${encodePem('CERTIFICATE', der.sequence(der.integer(1)))}${encodePem('PRIVATE KEY', encodeP256PrivateKeyInfo(aliceD))}`;
    expect((await read(bundle)).format).toBe('pkcs8');
    expect((await read(utf8(bundle))).format).toBe('pkcs8');
  });

  it('names OpenSSH and PKCS#1 keys and unknown PEM blocks', async () => {
    await expect(read(encodePem('OPENSSH PRIVATE KEY', new Uint8Array(8)))).rejects.toMatchObject({
      code: 'ECP_UNSUPPORTED_FORMAT',
      message: expect.stringContaining('ssh-keygen -p -m PKCS8'),
    });
    await expect(read(encodePem('RSA PRIVATE KEY', new Uint8Array(8)))).rejects.toMatchObject({ code: 'ECP_WRONG_CURVE' });
    await expect(read(encodePem('X509 CRL', new Uint8Array(8)))).rejects.toMatchObject({ code: 'ECP_NOT_A_KEY' });
    await expect(read(encodePem('SOMETHING ELSE', new Uint8Array(8)))).rejects.toMatchObject({ code: 'ECP_NOT_A_KEY' });
  });

  it('tells DER kinds apart: a public key, an RSA PKCS#1 key, unknown DER', async () => {
    const spki = der.sequence(der.sequence(der.oid(OID.ecPublicKey), der.oid(OID.prime256v1)), der.bitString(alicePoint));
    await expect(read(spki)).rejects.toMatchObject({ code: 'ECP_NOT_A_KEY', message: expect.stringContaining('a public key') });
    await expect(read(der.sequence(der.integer(0), der.integer(12345), der.integer(3)))).rejects.toMatchObject({ code: 'ECP_WRONG_CURVE' });
    await expect(read(der.sequence(der.boolean(true)))).rejects.toMatchObject({ code: 'ECP_NOT_A_KEY' });
  });

  it('reads encrypted PKCS#8 given as DER bytes', async () => {
    const encrypted = await encryptPrivateKeyInfo(encodeP256PrivateKeyInfo(aliceD), 'pw', backend, { iterations: 1000 });
    // 67 bytes of PrivateKeyInfo without the point, padded to five AES blocks.
    expect(parseEncryptedPrivateKeyInfo(encrypted).encryptedData.length).toBe(80);
    const key = await read(encrypted, 'pw');
    expect([key.format, toHex(key.publicKey)]).toEqual(['encrypted-pkcs8', toHex(alicePoint)]);
  });
});

// ---------------------------------------------------------------- PKCS#12 built by hand

const bag = (id: string, value: Uint8Array, ...attributes: Uint8Array[]) =>
  der.sequence(der.oid(id), der.explicit(0, value), ...(attributes.length ? [der.setOf(...attributes)] : []));
const keyBag = (...attributes: Uint8Array[]) => bag(OID.keyBag, encodeP256PrivateKeyInfo(aliceD), ...attributes);
const dataInfo = (content: Uint8Array) => der.sequence(der.oid(OID.data), der.explicit(0, der.octetString(content)));

/** A PFX around `safes` (ContentInfos), with a SHA-256 MAC keyed by `macPassword` (BMP bytes). */
async function pfx(safes: Uint8Array[], macPassword: Uint8Array | null, iterations = 2048): Promise<Uint8Array> {
  const authSafe = der.sequence(...safes);
  if (!macPassword) return der.sequence(der.integer(3), dataInfo(authSafe));
  const mac = { hash: 'SHA-256' as const, salt: new Uint8Array(8).fill(9), iterations };
  const digest = await computeMac(mac, macPassword, authSafe, backend);
  return der.sequence(der.integer(3), dataInfo(authSafe), encodeMacData({ ...mac, digest }));
}

describe('PKCS#12 corner cases', () => {
  it('the empty passphrase: a MAC over 00 00 (RFC 7292, OpenSSL) and over no bytes (some writers) both verify', async () => {
    const safes = [dataInfo(der.sequence(keyBag()))];
    for (const macPassword of [bmpPassword(''), new Uint8Array(0)]) {
      const file = await pfx(safes, macPassword);
      for (const passphrase of ['', undefined]) expect(toHex((await read(file, passphrase)).publicKey)).toBe(toHex(alicePoint));
      await expect(read(file, 'x')).rejects.toMatchObject({ code: 'ECP_WRONG_PASSPHRASE' });
    }
  });

  it('nested SafeContents are read; a key with no certificate at all comes back alone', async () => {
    const nested = bag(OID.safeContentsBag, der.sequence(bag(OID.safeContentsBag, der.sequence(keyBag()))));
    const key = await read(await pfx([dataInfo(der.sequence(nested))], bmpPassword('pw')), 'pw');
    expect([key.format, toHex(key.publicKey), key.certificate, key.chain]).toEqual(['pkcs12', toHex(alicePoint), undefined, []]);
  });

  it('bounds nesting and the number of bags', async () => {
    let deep = der.sequence(keyBag());
    for (let i = 0; i < 6; i++) deep = der.sequence(bag(OID.safeContentsBag, deep));
    await expect(read(await pfx([dataInfo(deep)], null))).rejects.toMatchObject({ code: 'ECP_MALFORMED', message: expect.stringContaining('nested') });
    const many = der.sequence(...Array.from({ length: 65 }, () => bag(OID.secretBag, der.sequence())));
    await expect(read(await pfx([dataInfo(many)], null))).rejects.toMatchObject({ code: 'ECP_MALFORMED', message: expect.stringContaining('bags') });
  });

  it('bounds the password-based decryptions one file may ask for, before any KDF runs', async () => {
    const shrouded = await encryptPrivateKeyInfo(encodeP256PrivateKeyInfo(aliceD), 'pw', backend, { iterations: 1000 });
    const shroudedBag = bag(OID.pkcs8ShroudedKeyBag, shrouded);
    const nine = await pfx([dataInfo(der.sequence(...Array.from({ length: 9 }, () => shroudedBag)))], null);
    await expect(readKeyFile(nine, 'pw', noCrypto)).rejects.toMatchObject({ code: 'ECP_MALFORMED', message: expect.stringContaining('encrypted parts') });
    const two = await pfx([dataInfo(der.sequence(shroudedBag, shroudedBag))], null);
    expect(toHex((await read(two, 'pw')).publicKey)).toBe(toHex(alicePoint));
  });

  it('refuses public-key modes and impossible MAC settings, before any decryption', async () => {
    const signed = der.sequence(der.integer(3), der.sequence(der.oid(OID.signedData), der.explicit(0, der.sequence())));
    await expect(readKeyFile(signed, 'pw', noCrypto)).rejects.toMatchObject({ code: 'ECP_UNSUPPORTED_FORMAT' });
    const authSafe = der.sequence(dataInfo(der.sequence(keyBag())));
    const forged = der.sequence(
      der.integer(3),
      dataInfo(authSafe),
      encodeMacData({ hash: 'SHA-256', digest: new Uint8Array(32), salt: new Uint8Array(8), iterations: MAX_MAC_ITERATIONS + 1 }),
    );
    await expect(readKeyFile(forged, 'pw', noCrypto)).rejects.toMatchObject({ code: 'ECP_UNSUPPORTED_FORMAT' });
    const pbmac1 = der.sequence(
      der.integer(3),
      dataInfo(authSafe),
      der.sequence(der.sequence(der.sequence(der.oid('1.2.840.113549.1.5.14'), der.sequence()), der.octetString(new Uint8Array(32))), der.octetString(new Uint8Array(8))),
    );
    await expect(readKeyFile(pbmac1, 'pw', noCrypto)).rejects.toMatchObject({ code: 'ECP_UNSUPPORTED_FORMAT', message: expect.stringContaining('PBMAC1') });
  });

  it('BER (indefinite-length) PKCS#12, which DER forbids, is refused with the OpenSSL re-export command', async () => {
    const encoded = await pfx([dataInfo(der.sequence(keyBag()))], bmpPassword('pw'));
    const outer = decodeDer(encoded);
    const ber = concatBytes(Uint8Array.of(0x30, 0x80), outer.value, Uint8Array.of(0, 0));
    await expect(read(ber, 'pw')).rejects.toMatchObject({ code: 'ECP_UNSUPPORTED_FORMAT', message: expect.stringContaining('openssl pkcs12 -export') });
    // BER deeper inside: a constructed OCTET STRING for the authSafe content.
    const authSafe = parsePfx(encoded).authSafe;
    const constructed = der.tlv(0x24, der.tlv(0x04, authSafe));
    const innerBer = der.sequence(der.integer(3), der.sequence(der.oid(OID.data), der.explicit(0, constructed)));
    await expect(read(innerBer, 'pw')).rejects.toMatchObject({ code: 'ECP_UNSUPPORTED_FORMAT', message: expect.stringContaining('BER') });
  });

  it('a PKCS#12 with only certificates is not a key file', async () => {
    const { pkcs8 } = await read(encodePem('PRIVATE KEY', encodeP256PrivateKeyInfo(aliceD)));
    const p12 = await encodePkcs12({ pkcs8, certificate: der.sequence(der.integer(1)), passphrase: 'pw' }, backend);
    // Keep only the first ContentInfo (the encrypted certificates), drop the key's.
    const [certificates, keys] = childrenOf(decodeDer(parsePfx(p12).authSafe));
    expect(keys).toBeDefined();
    const certsOnly = await pfx([certificates!.bytes], bmpPassword('pw'));
    await expect(read(certsOnly, 'pw')).rejects.toMatchObject({ code: 'ECP_NOT_A_KEY', message: expect.stringContaining('certificates only') });
  });
});
