/**
 * Key files for Node: the KeyObject face of the portable readers and writers, over the
 * node:crypto backend.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { WrongCurveError } from '../errors.js';
import { encryptPrivateKeyInfoPem } from './encrypted-pkcs8.js';
import { nodeKeyFileCrypto } from './node-backend.js';
import { readKeyFile } from './read-key-file.js';

const NODE_KEY_TYPES: Readonly<Record<string, string>> = {
  rsa: 'an RSA key',
  'rsa-pss': 'an RSA-PSS key',
  dsa: 'a DSA key',
  ed25519: 'an Ed25519 key',
  ed448: 'an Ed448 key',
};

/** A fresh P-256 key pair. */
export function generateKeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

/**
 * Reads any key file of contract §2 (PEM or DER; PKCS#8 plain or encrypted, SEC1, PKCS#12)
 * into a P-256 private KeyObject. Typed errors otherwise (see `readKeyFile`).
 */
export async function readPrivateKey(input: Uint8Array | string, passphrase?: string): Promise<KeyObject> {
  const { pkcs8 } = await readKeyFile(input, passphrase, nodeKeyFileCrypto);
  try {
    return createPrivateKey({ key: Buffer.from(pkcs8.buffer, pkcs8.byteOffset, pkcs8.byteLength), format: 'der', type: 'pkcs8' });
  } finally {
    pkcs8.fill(0);
  }
}

/** The PKCS#8 DER of a P-256 private KeyObject; other keys are refused by name. */
export function exportP256Pkcs8(key: KeyObject): Uint8Array {
  if (key.type !== 'private') throw new TypeError('expected a private KeyObject');
  if (key.asymmetricKeyType !== 'ec') {
    const type = key.asymmetricKeyType ?? 'unknown';
    throw new WrongCurveError(NODE_KEY_TYPES[type] ?? `a key of type ${type}`);
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve !== 'prime256v1') throw new WrongCurveError(`an EC key on curve ${curve ?? 'unknown'}`);
  const der = key.export({ format: 'der', type: 'pkcs8' });
  return new Uint8Array(der.buffer, der.byteOffset, der.byteLength);
}

/**
 * The contract's `private_key.pem`: PEM `ENCRYPTED PRIVATE KEY`, PBES2 with
 * PBKDF2-HMAC-SHA256 (600 000 iterations by default, 16-byte salt) and AES-256-CBC (random
 * IV). Built here rather than with `KeyObject.export({ cipher })`, which writes HMAC-SHA1
 * and 2048 iterations.
 */
export async function encryptPrivateKey(key: KeyObject, passphrase: string, options: { iterations?: number } = {}): Promise<string> {
  const pkcs8 = exportP256Pkcs8(key);
  try {
    return await encryptPrivateKeyInfoPem(pkcs8, passphrase, nodeKeyFileCrypto, options);
  } finally {
    pkcs8.fill(0);
  }
}
