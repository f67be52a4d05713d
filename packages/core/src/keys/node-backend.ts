/**
 * {@link KeyFileCrypto} over node:crypto: OpenSSL underneath, PBKDF2 on libuv's thread pool
 * so that a 600 000-iteration derivation never blocks the event loop.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  pbkdf2 as pbkdf2Callback,
  randomBytes,
} from 'node:crypto';
import { MalformedInputError } from '../errors.js';
import { BadPaddingError, type KeyFileCrypto, type KeyFileHash } from './crypto-backend.js';

const NODE_HASH: Readonly<Record<KeyFileHash, string>> = {
  'SHA-1': 'sha1',
  'SHA-224': 'sha224',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

const view = (buffer: Buffer): Uint8Array => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);

function aesName(key: Uint8Array): string {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) {
    throw new MalformedInputError(`an AES key is 16, 24 or 32 bytes, not ${key.length}`);
  }
  return `aes-${key.length * 8}-cbc`;
}

/** The uncompressed point at the end of a P-256 SubjectPublicKeyInfo (91 bytes). */
const SPKI_P256_LENGTH = 91;

export const nodeKeyFileCrypto: KeyFileCrypto = {
  pbkdf2(hash, password, salt, iterations, lengthBytes) {
    return new Promise((resolve, reject) => {
      pbkdf2Callback(password, salt, iterations, lengthBytes, NODE_HASH[hash], (error, key) => {
        if (error) reject(error);
        else resolve(view(key));
      });
    });
  },

  async aesCbcDecrypt(key, iv, data) {
    if (data.length === 0 || data.length % 16 !== 0) {
      throw new MalformedInputError('AES-CBC ciphertext is not a whole number of blocks');
    }
    const decipher = createDecipheriv(aesName(key), key, iv);
    const head = decipher.update(data);
    let tail: Buffer;
    try {
      tail = decipher.final();
    } catch {
      // With whole blocks, final() fails only on the padding check ("bad decrypt").
      throw new BadPaddingError();
    }
    return view(Buffer.concat([head, tail]));
  },

  async aesCbcEncrypt(key, iv, data) {
    const cipher = createCipheriv(aesName(key), key, iv);
    return view(Buffer.concat([cipher.update(data), cipher.final()]));
  },

  async digest(hash, data) {
    return view(createHash(NODE_HASH[hash]).update(data).digest());
  },

  async hmac(hash, key, data) {
    return view(createHmac(NODE_HASH[hash], key).update(data).digest());
  },

  randomBytes(length) {
    return view(randomBytes(length));
  },

  async p256PublicKey(pkcs8) {
    let spki: Buffer;
    try {
      const privateKey = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
      spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
    } catch (error) {
      throw new MalformedInputError('the P-256 private key could not be loaded', { cause: error });
    }
    if (spki.length !== SPKI_P256_LENGTH) throw new MalformedInputError('unexpected public key encoding');
    return view(spki.subarray(SPKI_P256_LENGTH - 65));
  },
};
