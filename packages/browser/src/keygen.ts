/**
 * A new P-256 key made in the browser for enrolment: the private half leaves this function
 * only as the encrypted `private_key.pem` and as a non-extractable CryptoKey (to sign the CSR
 * and challenges); the exported PKCS#8 bytes are wiped.
 */
import { copyBytes } from '@ecp/core/portable';
import { encryptPkcs8, type EncryptPkcs8Options } from './encrypt.js';

export interface GeneratedKey {
  /** Non-extractable, usage `sign`. */
  privateKey: CryptoKey;
  /** Usage `verify`. */
  publicKey: CryptoKey;
  /** SubjectPublicKeyInfo (DER), for the CSR. */
  spki: Uint8Array;
  /** PEM `ENCRYPTED PRIVATE KEY`, for the user to save. */
  privateKeyPem: string;
}

const P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

export async function generateEncryptedKey(passphrase: string, options: EncryptPkcs8Options = {}): Promise<GeneratedKey> {
  const subtle = globalThis.crypto.subtle;
  // Extractable once, to write the key file; the key kept for signing is a non-extractable copy.
  const pair = await subtle.generateKey(P256, true, ['sign', 'verify']);
  const pkcs8 = copyBytes(new Uint8Array(await subtle.exportKey('pkcs8', pair.privateKey)));
  try {
    const privateKeyPem = await encryptPkcs8(pkcs8, passphrase, options);
    const privateKey = await subtle.importKey('pkcs8', pkcs8, P256, false, ['sign']);
    const spki = new Uint8Array(await subtle.exportKey('spki', pair.publicKey));
    return { privateKey, publicKey: pair.publicKey, spki, privateKeyPem };
  } finally {
    pkcs8.fill(0);
  }
}
