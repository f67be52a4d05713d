import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importPublicKey } from '../src/ecdsa/key-cache.js';
import { decodePublicKeyInfo } from '../src/x509/public-key.js';

const spkiOf = (key: ReturnType<typeof generateKeyPairSync>['publicKey']) => new Uint8Array(key.export({ format: 'der', type: 'spki' }));

describe('importPublicKey', () => {
  it.each(['P-256', 'P-384', 'P-521'])('imports %s keys (JWK path) equal to the DER import', (namedCurve) => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve });
    const spki = spkiOf(publicKey);
    const imported = importPublicKey(decodePublicKeyInfo(spki));
    expect(imported.equals(createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }))).toBe(true);
    const message = Buffer.from('nonce');
    expect(verify(null, message, imported, sign(null, message, privateKey))).toBe(true);
  });

  it('refuses a point that is not on the curve', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const info = decodePublicKeyInfo(spkiOf(publicKey));
    const key = new Uint8Array(info.key);
    key[64] ^= 1; // flip a bit of y
    expect(() => importPublicKey({ ...info, key })).toThrow();
  });

  it('imports RSA and Ed25519 keys from their SPKI', () => {
    for (const pair of [generateKeyPairSync('rsa', { modulusLength: 2048 }), generateKeyPairSync('ed25519')]) {
      const spki = spkiOf(pair.publicKey);
      expect(importPublicKey(decodePublicKeyInfo(spki)).equals(pair.publicKey)).toBe(true);
    }
  });
});
