/**
 * Key files made by OpenSSL and Python `cryptography`, read by ecp: freshly made here, and
 * the committed vectors of @ecp/test-vectors (made by its make-vectors.sh).
 */
import { createPublicKey, sign, verify } from 'node:crypto';
import { loadOpensslVectors } from '@ecp/test-vectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toColonHex, toHex } from '../../src/bytes.js';
import { EcpError, KeyFileError } from '../../src/errors.js';
import { nodeKeyFileCrypto } from '../../src/keys/node-backend.js';
import { readPrivateKey } from '../../src/keys/node-keys.js';
import { readKeyFile } from '../../src/keys/read-key-file.js';
import { createHash } from 'node:crypto';
import { PASS, UNICODE_PASS, hasPythonCryptography, makeOpensslFixture, python, type OpensslFixture } from './openssl-fixture.js';

const read = (input: Uint8Array | string, passphrase?: string) => readKeyFile(input, passphrase, nodeKeyFileCrypto);
const sha256Fingerprint = (der: Uint8Array) => toColonHex(createHash('sha256').update(der).digest());

let fx: OpensslFixture;
beforeAll(() => {
  fx = makeOpensslFixture();
});
afterAll(() => fx.cleanup());

const CIPHERS = ['aes-128-cbc', 'aes-192-cbc', 'aes-256-cbc'] as const;
const PRFS = ['hmacWithSHA1', 'hmacWithSHA224', 'hmacWithSHA256', 'hmacWithSHA384', 'hmacWithSHA512'] as const;
const MATRIX = CIPHERS.flatMap((cipher) => PRFS.map((prf) => [cipher, prf] as const));

describe('fresh files from the openssl CLI', () => {
  it.each(MATRIX)('openssl pkcs8 -topk8 -v2 %s -v2prf %s (PEM and DER)', async (cipher, prf) => {
    for (const form of ['PEM', 'DER'] as const) {
      const name = `alice-${cipher}-${prf}.${form}`;
      fx.run('pkcs8', '-topk8', '-in', 'alice.pem', '-v2', cipher, '-v2prf', prf, '-iter', '2048', '-passout', `pass:${PASS}`, '-outform', form, '-out', name);
      const key = await read(fx.read(name), PASS);
      expect(key.format).toBe('encrypted-pkcs8');
      expect(toHex(key.publicKey)).toBe(toHex(fx.alicePoint));
    }
  });

  it('openssl pkcs8 -topk8 with its defaults, and a non-ASCII passphrase', async () => {
    fx.run('pkcs8', '-topk8', '-in', 'alice.pem', '-passout', `pass:${PASS}`, '-out', 'default.pem');
    expect(toHex((await read(fx.text('default.pem'), PASS)).publicKey)).toBe(toHex(fx.alicePoint));
    fx.run('pkcs8', '-topk8', '-in', 'alice.pem', '-passout', `pass:${UNICODE_PASS}`, '-out', 'unicode.pem');
    expect(toHex((await read(fx.text('unicode.pem'), UNICODE_PASS)).publicKey)).toBe(toHex(fx.alicePoint));
  });

  it('unencrypted PKCS#8 (PEM and DER) and SEC1 (ecparam -genkey with its EC PARAMETERS block, DER, compressed point)', async () => {
    fx.run('pkcs8', '-topk8', '-nocrypt', '-in', 'alice.pem', '-out', 'plain.pem');
    fx.run('pkcs8', '-topk8', '-nocrypt', '-in', 'alice.pem', '-outform', 'DER', '-out', 'plain.der');
    fx.run('ec', '-in', 'alice.pem', '-outform', 'DER', '-out', 'sec1.der');
    fx.run('ec', '-in', 'alice.pem', '-conv_form', 'compressed', '-out', 'compressed.pem');
    fx.run('ecparam', '-name', 'prime256v1', '-genkey', '-out', 'genkey.pem');
    expect(fx.text('genkey.pem')).toMatch(/BEGIN EC PARAMETERS[\s\S]*BEGIN EC PRIVATE KEY/);
    const cases: [string, string][] = [
      ['plain.pem', 'pkcs8'],
      ['plain.der', 'pkcs8'],
      ['alice.pem', 'sec1'],
      ['sec1.der', 'sec1'],
      ['compressed.pem', 'sec1'],
    ];
    for (const [name, format] of cases) {
      const key = await read(fx.read(name));
      expect([name, key.format, toHex(key.publicKey)]).toEqual([name, format, toHex(fx.alicePoint)]);
    }
    const genkey = await read(fx.read('genkey.pem'));
    const spki = fx.run('pkey', '-in', 'genkey.pem', '-pubout', '-outform', 'DER');
    expect(toHex(genkey.publicKey)).toBe(toHex(spki.subarray(spki.length - 65)));
  });

  it('openssl pkcs12 -export: defaults, empty passphrase, -keypbe/-certpbe NONE, a CA in the chain, other MACs, no MAC', async () => {
    const base = ['pkcs12', '-export', '-inkey', 'alice.pem', '-in', 'alice.crt'];
    fx.run(...base, '-passout', `pass:${PASS}`, '-out', 'default.p12');
    fx.run(...base, '-passout', 'pass:', '-out', 'empty.p12');
    fx.run(...base, '-keypbe', 'NONE', '-certpbe', 'NONE', '-passout', `pass:${PASS}`, '-out', 'none.p12');
    fx.run(...base, '-certfile', 'ca.crt', '-name', 'alice', '-passout', `pass:${PASS}`, '-out', 'chain.p12');
    fx.run(...base, '-macalg', 'sha512', '-passout', `pass:${PASS}`, '-out', 'sha512.p12');
    fx.run(...base, '-macalg', 'sha1', '-keypbe', 'AES-128-CBC', '-certpbe', 'AES-192-CBC', '-passout', `pass:${PASS}`, '-out', 'mixed.p12');
    fx.run(...base, '-nomac', '-passout', `pass:${PASS}`, '-out', 'nomac.p12');
    fx.run(...base, '-passout', `pass:${UNICODE_PASS}`, '-out', 'unicode.p12');
    const alice = fx.read('alice.crt');
    const aliceDer = new Uint8Array(fx.run('x509', '-in', 'alice.crt', '-outform', 'DER'));
    const caDer = new Uint8Array(fx.run('x509', '-in', 'ca.crt', '-outform', 'DER'));
    expect(alice.length).toBeGreaterThan(0);
    const cases: [string, string | undefined, Uint8Array[]][] = [
      ['default.p12', PASS, []],
      ['empty.p12', '', []],
      ['empty.p12', undefined, []],
      ['none.p12', PASS, []],
      ['chain.p12', PASS, [caDer]],
      ['sha512.p12', PASS, []],
      ['mixed.p12', PASS, []],
      ['nomac.p12', PASS, []],
      ['unicode.p12', UNICODE_PASS, []],
    ];
    for (const [name, passphrase, chain] of cases) {
      const key = await read(fx.read(name), passphrase);
      expect([name, key.format, toHex(key.publicKey)]).toEqual([name, 'pkcs12', toHex(fx.alicePoint)]);
      expect(toHex(key.certificate!)).toBe(toHex(aliceDer));
      expect(key.chain!.map(toHex)).toEqual(chain.map(toHex));
    }
  });

  it('the KeyObject from readPrivateKey signs what node:crypto verifies with the certificate key', async () => {
    fx.run('pkcs12', '-export', '-inkey', 'alice.pem', '-in', 'alice.crt', '-passout', `pass:${PASS}`, '-out', 'sign.p12');
    const key = await readPrivateKey(fx.read('sign.p12'), PASS);
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const signature = sign('sha256', Buffer.from('nonce'), key);
    const publicKey = createPublicKey(fx.text('alice.crt'));
    expect(verify('sha256', Buffer.from('nonce'), publicKey, signature)).toBe(true);
  });
});

describe.runIf(hasPythonCryptography())('fresh files from Python cryptography', () => {
  it('BestAvailableEncryption PKCS#8 and PKCS#12, and an explicit PBESv2 PKCS#12', async () => {
    python(
      `import sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12
d = sys.argv[1]; pw = sys.argv[2].encode()
key = serialization.load_pem_private_key(open(d + '/alice.pem', 'rb').read(), None)
cert = x509.load_pem_x509_certificate(open(d + '/alice.crt', 'rb').read())
open(d + '/py.pem', 'wb').write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(pw)))
open(d + '/py.der', 'wb').write(key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(pw)))
open(d + '/py.p12', 'wb').write(pkcs12.serialize_key_and_certificates(b'alice', key, cert, None, serialization.BestAvailableEncryption(pw)))
enc = serialization.PrivateFormat.PKCS12.encryption_builder().kdf_rounds(5000).key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC).hmac_hash(hashes.SHA512()).build(pw)
open(d + '/py-sha512.p12', 'wb').write(pkcs12.serialize_key_and_certificates(None, key, cert, None, enc))`,
      fx.dir,
      PASS,
    );
    for (const name of ['py.pem', 'py.der', 'py.p12', 'py-sha512.p12']) {
      const key = await read(fx.read(name), PASS);
      expect([name, toHex(key.publicKey)]).toEqual([name, toHex(fx.alicePoint)]);
    }
  });
});

/** The error a user sees: typed, coded, with advice, without secrets or a stack trace. */
async function expectUserError(promise: Promise<unknown>, code: string, secret = PASS): Promise<EcpError> {
  const error = await promise.then(
    () => expect.unreachable('expected an error'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EcpError);
  const ecp = error as EcpError;
  expect(ecp.code).toBe(code);
  expect(ecp.message).not.toContain(secret);
  expect(ecp.message).not.toMatch(/\n\s+at /);
  expect(ecp.message.length).toBeLessThan(400);
  if (ecp instanceof KeyFileError) expect(ecp.advice.length).toBeGreaterThan(10);
  return ecp;
}

describe('files ecp refuses, with the right typed error and advice', () => {
  it('wrong passphrase (PKCS#8 and PKCS#12) and a missing one', async () => {
    fx.run('pkcs8', '-topk8', '-in', 'alice.pem', '-passout', `pass:${PASS}`, '-out', 'enc.pem');
    fx.run('pkcs12', '-export', '-inkey', 'alice.pem', '-in', 'alice.crt', '-passout', `pass:${PASS}`, '-out', 'wrong.p12');
    await expectUserError(read(fx.read('enc.pem'), 'not-it'), 'ECP_WRONG_PASSPHRASE', 'not-it');
    await expectUserError(read(fx.read('wrong.p12'), 'not-it'), 'ECP_WRONG_PASSPHRASE', 'not-it');
    const missing = await expectUserError(read(fx.read('enc.pem')), 'ECP_WRONG_PASSPHRASE');
    expect(missing.message).toMatch(/needs its passphrase/);
    const missingP12 = await expectUserError(read(fx.read('wrong.p12')), 'ECP_WRONG_PASSPHRASE');
    expect(missingP12.message).toMatch(/needs its passphrase/);
  });

  it('legacy PKCS#12 (openssl -legacy: RC2-40 + 3DES; and 3DES only) → LegacyPkcs12Error with the re-export command', async () => {
    const base = ['pkcs12', '-export', '-inkey', 'alice.pem', '-in', 'alice.crt', '-passout', `pass:${PASS}`];
    fx.run(...base, '-legacy', '-out', 'legacy.p12');
    fx.run(...base, '-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1', '-out', '3des.p12');
    for (const name of ['legacy.p12', '3des.p12']) {
      const error = await expectUserError(read(fx.read(name), PASS), 'ECP_LEGACY_PKCS12');
      expect(error.message).toContain('openssl pkcs12 -legacy');
    }
    // The legacy algorithms are named before any passphrase is tried.
    await expectUserError(read(fx.read('legacy.p12'), 'not-it'), 'ECP_LEGACY_PKCS12', 'not-it');
  });

  it('old PKCS#8 and PEM encryption → UnsupportedKeyFormatError with the re-encryption command', async () => {
    fx.run('pkcs8', '-topk8', '-in', 'alice.pem', '-v1', 'PBE-SHA1-3DES', '-passout', `pass:${PASS}`, '-out', 'v1.pem');
    fx.run('pkcs8', '-topk8', '-in', 'alice.pem', '-scrypt', '-passout', `pass:${PASS}`, '-out', 'scrypt.pem');
    fx.run('pkcs8', '-topk8', '-in', 'alice.pem', '-v2', 'des3', '-passout', `pass:${PASS}`, '-out', 'des3.pem');
    fx.run('ec', '-in', 'alice.pem', '-aes256', '-passout', `pass:${PASS}`, '-out', 'proctype.pem');
    for (const [name, what] of [
      ['v1.pem', /3DES/],
      ['scrypt.pem', /scrypt/],
      ['des3.pem', /3DES/],
      ['procType.pem'.toLowerCase(), /legacy OpenSSL PEM encryption/],
    ] as const) {
      const error = await expectUserError(read(fx.read(name), PASS), 'ECP_UNSUPPORTED_FORMAT');
      expect(error.message).toMatch(what);
      expect(error.message).toContain('openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256');
    }
  });

  it('other key types and curves → WrongCurveError naming them', async () => {
    fx.run('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384', '-out', 'p384.pem');
    fx.run('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'rsa.pem');
    fx.run('genpkey', '-algorithm', 'ED25519', '-out', 'ed25519.pem');
    fx.run('ecparam', '-name', 'secp384r1', '-genkey', '-noout', '-out', 'p384-sec1.pem');
    fx.run('rsa', '-in', 'rsa.pem', '-traditional', '-out', 'rsa-pkcs1.pem');
    fx.run('pkcs12', '-export', '-inkey', 'p384.pem', '-nocerts', '-passout', `pass:${PASS}`, '-out', 'p384.p12');
    for (const [name, what] of [
      ['p384.pem', 'an ECDSA P-384 key'],
      ['p384-sec1.pem', 'an ECDSA P-384 key'],
      ['p384.p12', 'an ECDSA P-384 key'],
      ['rsa.pem', 'an RSA key'],
      ['rsa-pkcs1.pem', 'an RSA key'],
      ['ed25519.pem', 'an Ed25519 key'],
    ] as const) {
      const error = await expectUserError(read(fx.read(name), PASS), 'ECP_WRONG_CURVE');
      expect([name, error.message]).toEqual([name, expect.stringContaining(what)]);
    }
  });

  it('not a key file: a certificate (PEM and DER), a CSR, a public key, text, random bytes, an empty file', async () => {
    fx.run('x509', '-in', 'alice.crt', '-outform', 'DER', '-out', 'alice.der');
    fx.run('req', '-new', '-key', 'alice.pem', '-subj', '/CN=alice', '-out', 'alice.csr');
    fx.run('pkey', '-in', 'alice.pem', '-pubout', '-out', 'alice.pub');
    const cases: [Uint8Array | string, RegExp][] = [
      [fx.read('alice.crt'), /a certificate/],
      [fx.read('alice.der'), /a certificate/],
      [fx.read('alice.csr'), /a certificate request/],
      [fx.read('alice.pub'), /a public key/],
      ['just some text\n', /text/],
      [Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff), /neither PEM text nor DER/],
      [new Uint8Array(0), /empty/],
    ];
    for (const [input, what] of cases) {
      const error = await expectUserError(read(input, PASS), 'ECP_NOT_A_KEY');
      expect(error.message).toMatch(what);
    }
  });

  it('damaged files: truncated PKCS#12 and DER, PEM cut before its END line', async () => {
    fx.run('pkcs12', '-export', '-inkey', 'alice.pem', '-in', 'alice.crt', '-passout', `pass:${PASS}`, '-out', 'cut.p12');
    fx.run('pkcs8', '-topk8', '-in', 'alice.pem', '-passout', `pass:${PASS}`, '-outform', 'DER', '-out', 'cut.der');
    const pem = fx.text('enc.pem');
    for (const input of [fx.read('cut.p12').subarray(0, 300), fx.read('cut.der').subarray(0, 60), pem.slice(0, pem.indexOf('-----END'))]) {
      const error = await expectUserError(read(input, PASS), 'ECP_MALFORMED');
      expect(error.message).toMatch(/damaged or incomplete.*Download or copy the file again/);
    }
  });
});

describe('the committed OpenSSL/Python vectors of @ecp/test-vectors', () => {
  const vectors = loadOpensslVectors((e) => e.readAs === 'private-key');

  it('cover every kind of key file', () => {
    expect(new Set(vectors.map((v) => v.kind))).toEqual(
      new Set(['sec1', 'sec1-encrypted-legacy', 'pkcs8-plain', 'pkcs8-encrypted', 'pkcs12', 'certificate', 'garbage']),
    );
  });

  it.each(vectors.map((v) => [v.id, v] as const))('%s', async (_id, vector) => {
    const result = read(vector.bytes, vector.passphrase);
    if (vector.expect.result === 'error') {
      await expectUserError(result, vector.expect.errorCode, vector.passphrase || PASS);
      return;
    }
    const key = await result;
    expect(toHex(key.publicKey)).toBe(vector.key!.publicKeyHex);
    if (vector.kind === 'pkcs12') {
      const expected = vector.certificates![vector.keyCertificateIndex!]!;
      expect(sha256Fingerprint(key.certificate!)).toBe(expected.sha256Fingerprint);
      expect(key.chain!.map(sha256Fingerprint)).toEqual(
        vector.certificates!.filter((_, i) => i !== vector.keyCertificateIndex).map((c) => c.sha256Fingerprint),
      );
    }
  });
});
