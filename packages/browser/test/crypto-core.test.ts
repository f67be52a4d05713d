/**
 * The SDK's crypto core over Node's WebCrypto, through the portable cases of cases.ts:
 * every key file of the committed OpenSSL/Python vectors and fresh openssl-made ones, the
 * key's properties, signatures checked by node:crypto and `openssl dgst -verify`.
 */
import { createPublicKey, verify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { loadOpensslVectors, type OpensslVector } from '@ecp/test-vectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASS, UNICODE_PASS, makeOpensslFixture, type OpensslFixture } from '../../core/test/keys/openssl-fixture.js';
import { keyCases, type KeyFileCase, type ReadKeyResult } from './cases.js';

const NONCE = 'a3f1c2e4b5d6978877665544332211ffeeddccbbaa0099887766554433221100';

let fx: OpensslFixture;
beforeAll(() => {
  fx = makeOpensslFixture();
});
afterAll(() => fx.cleanup());

/** The signature checked by node:crypto and by the openssl CLI against the SPKI (DER). */
function expectVerifies(signatureHex: string, spki: Uint8Array, message = NONCE): void {
  const signature = Buffer.from(signatureHex, 'hex');
  expect(signatureHex).toMatch(/^30[0-9a-f]+$/);
  const publicKey = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  expect(verify('sha256', Buffer.from(message, 'utf8'), publicKey, signature)).toBe(true);
  writeFileSync(fx.path('sig.der'), signature);
  writeFileSync(fx.path('msg.txt'), message);
  writeFileSync(fx.path('verify.pub'), publicKey.export({ format: 'pem', type: 'spki' }));
  expect(fx.run('dgst', '-sha256', '-verify', 'verify.pub', '-signature', 'sig.der', 'msg.txt').toString()).toContain('Verified OK');
}

function expectSigningKey(result: ReadKeyResult): void {
  expect(result).toMatchObject({
    type: 'private',
    extractable: false,
    algorithm: { name: 'ECDSA', namedCurve: 'P-256' },
    usages: ['sign'],
    exportRefused: true,
  });
}

const fileCase = (vector: OpensslVector, as: KeyFileCase['as']): KeyFileCase => ({
  ...(vector.text !== undefined ? { text: vector.text } : { base64: Buffer.from(vector.bytes).toString('base64') }),
  as,
  passphrase: vector.passphrase ?? '',
  nonce: NONCE,
});

describe('readPrivateKey + signChallenge on the committed vectors', () => {
  const vectors = loadOpensslVectors((e) => e.readAs === 'private-key');
  const inputs = ['string', 'blob', 'arraybuffer', 'uint8array'] as const;

  it.each(vectors.map((v, i) => [v.id, v, inputs[i % inputs.length]!] as const))('%s', async (_id, vector, as) => {
    const result = await keyCases.readKey(fileCase(vector, as));
    if (vector.expect.result === 'error') {
      expect(result).toMatchObject({ ok: false, error: { code: vector.expect.errorCode, isEcpError: true } });
      if (!result.ok) {
        expect(result.error.message).not.toMatch(/\n\s+at /);
        if (vector.passphrase) expect(result.error.message).not.toContain(vector.passphrase);
      }
      return;
    }
    if (!result.ok) throw new Error(`${vector.id}: ${result.error.code} ${result.error.message}`);
    expectSigningKey(result.value);
    expectVerifies(result.value.signatureHex, Buffer.from(vector.key!.spkiDerHex, 'hex'));
    const encrypted = vector.kind === 'pkcs8-encrypted' || (vector.kind === 'pkcs12' && vector.encryption?.scheme !== 'none');
    const macOnly = vector.kind === 'pkcs12' && vector.encryption?.scheme === 'none';
    if (encrypted) expect(result.value.phases[0]).toBe('deriving-key');
    if (encrypted) expect(result.value.phases).toContain('decrypting');
    if (!encrypted && !macOnly) expect(result.value.phases).toEqual(['done']);
    expect(result.value.phases.at(-1)).toBe('done');
  });
});

describe('readPrivateKey on fresh openssl files', () => {
  it.each(['aes-128-cbc', 'aes-192-cbc', 'aes-256-cbc'])('-v2 %s with every PRF, and the SEC1 and PKCS#12 forms', async (cipher) => {
    const spki = new Uint8Array(fx.run('pkey', '-in', 'alice.pem', '-pubout', '-outform', 'DER'));
    const files: [string, string][] = [];
    for (const prf of ['hmacWithSHA1', 'hmacWithSHA224', 'hmacWithSHA256', 'hmacWithSHA384', 'hmacWithSHA512']) {
      const name = `b-${cipher}-${prf}.pem`;
      fx.run('pkcs8', '-topk8', '-in', 'alice.pem', '-v2', cipher, '-v2prf', prf, '-iter', '1000', '-passout', `pass:${UNICODE_PASS}`, '-out', name);
      files.push([name, UNICODE_PASS]);
    }
    fx.run('pkcs12', '-export', '-inkey', 'alice.pem', '-in', 'alice.crt', '-keypbe', cipher.toUpperCase(), '-certpbe', cipher.toUpperCase(), '-passout', `pass:${PASS}`, '-out', `b-${cipher}.p12`);
    files.push([`b-${cipher}.p12`, PASS], ['alice.pem', '']);
    for (const [name, passphrase] of files) {
      const result = await keyCases.readKey({ base64: Buffer.from(fx.read(name)).toString('base64'), as: 'blob', passphrase, nonce: NONCE });
      if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
      expectSigningKey(result.value);
      expectVerifies(result.value.signatureHex, spki);
    }
  });

  it('an encrypted file with an empty passphrase asks for it; a wrong one says so', async () => {
    fx.run('pkcs8', '-topk8', '-in', 'alice.pem', '-iter', '1000', '-passout', `pass:${PASS}`, '-out', 'ask.pem');
    const text = fx.text('ask.pem');
    expect(await keyCases.readKey({ text, as: 'string', passphrase: '', nonce: NONCE })).toMatchObject({
      ok: false,
      error: { code: 'ECP_WRONG_PASSPHRASE', message: expect.stringContaining('needs its passphrase') },
    });
    expect(await keyCases.readKey({ text, as: 'string', passphrase: 'not-it', nonce: NONCE })).toMatchObject({
      ok: false,
      error: { code: 'ECP_WRONG_PASSPHRASE', message: expect.stringContaining('does not decrypt'), advice: expect.stringContaining('passphrase') },
    });
  });

  it('signs the exact UTF-8 bytes of any nonce', async () => {
    for (const nonce of ['', 'ünïcødé ✓ 🔑', ' spaced\tand\nnew lines ']) {
      const result = await keyCases.readKey({ text: fx.text('alice.pem'), as: 'string', passphrase: '', nonce });
      if (!result.ok) throw new Error(result.error.message);
      expectVerifies(result.value.signatureHex, new Uint8Array(fx.run('pkey', '-in', 'alice.pem', '-pubout', '-outform', 'DER')), nonce);
    }
  });
});

describe('key files made in the browser', () => {
  it('generateEncryptedKey writes the contract file that openssl and the SDK read back', async () => {
    const result = await keyCases.generateKey({ passphrase: UNICODE_PASS, iterations: 600_000, nonce: NONCE });
    if (!result.ok) throw new Error(result.error.message);
    const { privateKeyPem, spkiBase64, generated, reread } = result.value;
    expectSigningKey(generated);
    expectSigningKey(reread);
    expect(generated.phases).toEqual(['deriving-key', 'encrypting', 'done']);
    const spki = Buffer.from(spkiBase64, 'base64');
    expectVerifies(generated.signatureHex, spki);
    expectVerifies(reread.signatureHex, spki);
    writeFileSync(fx.path('browser.pem'), privateKeyPem);
    expect(fx.run('asn1parse', '-in', 'browser.pem').toString()).toMatch(/:PBES2[\s\S]*INTEGER\s+:0927C0[\s\S]*:hmacWithSHA256[\s\S]*:aes-256-cbc/);
    const fromOpenssl = fx.run('pkey', '-in', 'browser.pem', '-passin', `pass:${UNICODE_PASS}`, '-pubout', '-outform', 'DER');
    expect(fromOpenssl.toString('hex')).toBe(spki.toString('hex'));
  });

  it('encryptPkcs8 refuses a PKCS#8 that is not a P-256 key', async () => {
    fx.run('genpkey', '-algorithm', 'ED25519', '-outform', 'DER', '-out', 'ed.der');
    const result = await keyCases.encryptPkcs8({ pkcs8Base64: Buffer.from(fx.read('ed.der')).toString('base64'), passphrase: PASS, iterations: 1000 });
    expect(result).toMatchObject({ ok: false, error: { code: 'ECP_WRONG_CURVE', message: expect.stringContaining('Ed25519') } });
  });
});
