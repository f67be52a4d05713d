/**
 * The cryptographic operations under the key-file formats, as an interface: the parsing code
 * in this folder is portable, and each platform plugs in its native crypto (node:crypto on
 * the server, WebCrypto in the browser). Exactly what PKCS#8/PBES2/PKCS#12 need, nothing more.
 */
import { EcpError } from '../errors.js';

/** The digests PBES2 PRFs and PKCS#12 MACs are built on, named as WebCrypto names them. */
export type KeyFileHash = 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512';

export interface KeyFileCrypto {
  /** PBKDF2 (RFC 8018 §5.2) with HMAC over `hash`; `password` is the exact bytes to use. */
  pbkdf2(hash: KeyFileHash, password: Uint8Array, salt: Uint8Array, iterations: number, lengthBytes: number): Promise<Uint8Array>;
  /**
   * AES-CBC decryption with PKCS#7 padding (key of 16, 24 or 32 bytes, 16-byte IV).
   * Must throw {@link BadPaddingError} when the padding is wrong: under a password-derived
   * key that is the signature of a wrong passphrase, and it is reported as such.
   */
  aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array>;
  /** AES-CBC encryption with PKCS#7 padding. */
  aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Promise<Uint8Array>;
  digest(hash: KeyFileHash, data: Uint8Array): Promise<Uint8Array>;
  hmac(hash: KeyFileHash, key: Uint8Array, data: Uint8Array): Promise<Uint8Array>;
  randomBytes(length: number): Uint8Array;
  /**
   * The uncompressed public point (65 bytes, 0x04‖x‖y) of the P-256 private key in `pkcs8`,
   * a PrivateKeyInfo that carries no public key. Scalar multiplication is platform crypto;
   * key files may omit the point, and when they do carry it, it is checked against this.
   */
  p256PublicKey(pkcs8: Uint8Array): Promise<Uint8Array>;
}

/** AES-CBC padding did not check out. Thrown by backends; readers turn it into WrongPassphraseError. */
export class BadPaddingError extends EcpError {
  static override name = 'BadPaddingError';
  constructor() {
    super('decryption failed: bad padding', 'ECP_MALFORMED');
  }
}

/** Output length in bytes of each digest. */
export const HASH_LENGTH: Readonly<Record<KeyFileHash, number>> = {
  'SHA-1': 20,
  'SHA-224': 28,
  'SHA-256': 32,
  'SHA-384': 48,
  'SHA-512': 64,
};

/** Input block size in bytes of each digest (what HMAC pads keys to, and the PKCS#12 KDF's `v`). */
export const HASH_BLOCK_SIZE: Readonly<Record<KeyFileHash, number>> = {
  'SHA-1': 64,
  'SHA-224': 64,
  'SHA-256': 64,
  'SHA-384': 128,
  'SHA-512': 128,
};
