/**
 * signMessage / verifySignature with node:crypto keys and certificates, and the project's
 * OpenSSL-made signatures (high-S included).
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { hexToBytes, loadOpensslVectors, opensslVector } from '@ecp/test-vectors';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../src/x509/certificate.js';
import { createSelfSignedCertificate } from '../src/x509/build.js';
import { signMessage } from '../src/ecdsa/sign.js';
import { verifySignature } from '../src/ecdsa/verify.js';
import { keyObjectForCertificate, keyObjectFromSpki, KEY_CACHE_SIZE } from '../src/ecdsa/key-cache.js';
import { parseDerSignature } from '../src/ecdsa/signature.js';

const HALF_N = BigInt('0x7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a8');
const toBig = (b: Uint8Array) => BigInt(`0x${Buffer.from(b).toString('hex')}`);

describe('signMessage / verifySignature', () => {
  const alice = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const bob = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  it('signs the UTF-8 bytes of a string: verifiable as bytes and by node:crypto', () => {
    const message = 'nonce-é-✓';
    const signature = signMessage(alice.privateKey, message);
    expect(verifySignature(alice.publicKey, message, signature)).toBe(true);
    expect(verifySignature(alice.publicKey, Buffer.from(message, 'utf8'), signature)).toBe(true);
    expect(verifySignature(alice.publicKey, 'nonce-e-✓', signature)).toBe(false);
    expect(verifySignature(bob.publicKey, message, signature)).toBe(false);
    expect(() => parseDerSignature(signature)).not.toThrow();
  });

  it('verifies against a certificate and caches its KeyObject', () => {
    const cert = createSelfSignedCertificate({ privateKey: alice.privateKey, commonName: 'alice' });
    const signature = signMessage(alice.privateKey, 'hello');
    expect(verifySignature(cert, 'hello', signature)).toBe(true);
    expect(keyObjectForCertificate(cert)).toBe(keyObjectForCertificate(cert));
    // A fresh parse of the same certificate finds the same key through the SPKI cache.
    const again = parseCertificate(cert.der);
    expect(keyObjectForCertificate(again)).toBe(keyObjectForCertificate(cert));
    expect(keyObjectFromSpki(cert.publicKey.spki)).toBe(keyObjectForCertificate(cert));
  });

  it('keeps the SPKI cache bounded', () => {
    const first = keyObjectFromSpki(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' }));
    const firstSpki = first.export({ type: 'spki', format: 'der' });
    for (let i = 0; i < KEY_CACHE_SIZE; i++) {
      keyObjectFromSpki(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' }));
    }
    expect(keyObjectFromSpki(firstSpki)).not.toBe(first); // evicted, so imported again
  });

  it('accepts high-S signatures (as OpenSSL, WebCrypto and Wycheproof do)', () => {
    let highS = 0;
    for (let i = 0; i < 64 && highS === 0; i++) {
      const signature = new Uint8Array(sign('sha256', Buffer.from(`m${i}`), alice.privateKey));
      if (toBig(parseDerSignature(signature).s) > HALF_N) {
        highS++;
        expect(verifySignature(alice.publicKey, `m${i}`, signature)).toBe(true);
      }
    }
    expect(highS).toBe(1);
  });

  it('returns false, never throws, for junk', () => {
    const signature = signMessage(alice.privateKey, 'x');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ed = generateKeyPairSync('ed25519');
    expect(verifySignature(alice.publicKey, 'x', new Uint8Array(0))).toBe(false);
    expect(verifySignature(alice.publicKey, 'x', new Uint8Array([...signature, 0]))).toBe(false);
    expect(verifySignature(alice.publicKey, 'x', signature.subarray(0, -1))).toBe(false);
    expect(verifySignature(rsa.publicKey, 'x', signature)).toBe(false);
    expect(verifySignature(ed.publicKey, 'x', signature)).toBe(false);
    expect(verifySignature(alice.publicKey, 'x', 'not bytes' as unknown as Uint8Array)).toBe(false);
    const edCert = createSelfSignedCertificate({ privateKey: ed.privateKey, commonName: 'ed' });
    expect(verifySignature(edCert, 'x', signature)).toBe(false);
  });

  it('hashes with the curve: SHA-384 on P-384', () => {
    const carol = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const signature = signMessage(carol.privateKey, 'm');
    expect(verifySignature(carol.publicKey, 'm', new Uint8Array(sign('sha384', Buffer.from('m'), carol.privateKey)))).toBe(true);
    expect(verifySignature(carol.publicKey, 'm', signature)).toBe(true);
    expect(verifySignature(carol.publicKey, 'm', new Uint8Array(sign('sha256', Buffer.from('m'), carol.privateKey)))).toBe(false);
  });

  it('refuses to sign with a public key or a non-EC key', () => {
    expect(() => signMessage(alice.publicKey, 'x')).toThrow(expect.objectContaining({ code: 'ECP_NOT_A_KEY' }));
    expect(() => signMessage(generateKeyPairSync('ed25519').privateKey, 'x')).toThrow(expect.objectContaining({ code: 'ECP_WRONG_CURVE' }));
  });
});

describe('the OpenSSL-made signature vectors', () => {
  const vectors = loadOpensslVectors((e) => e.kind === 'signature');

  it('has the low-S, high-S and negative cases', () => {
    expect(vectors.map((v) => v.id)).toEqual(expect.arrayContaining(['sig-nonce-low-s', 'sig-nonce-high-s', 'sig-wrong-key', 'sig-wrong-message']));
  });

  it.each(vectors.map((v) => [v.id, v] as const))('%s verifies as OpenSSL said', (_id, vector) => {
    const facts = vector.signature!;
    const cert = parseCertificate(opensslVector(facts.certificateId).bytes);
    expect(vector.bytes).toEqual(hexToBytes(facts.signatureHex));
    expect(verifySignature(cert, facts.message, vector.bytes)).toBe(facts.valid);
    expect(verifySignature(cert, hexToBytes(facts.messageHex), vector.bytes)).toBe(facts.valid);
  });
});
