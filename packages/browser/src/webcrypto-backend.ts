/**
 * {@link KeyFileCrypto} over WebCrypto. Two gaps are filled from @noble, each loaded lazily
 * into its own chunk, the SDK's only ones (7 KB min+gz together, outside its size budget),
 * which only files using those algorithms fetch: SHA-224 (no WebCrypto implements it, and
 * `-v2prf hmacWithSHA224` files exist) and 192-bit AES (Chromium refuses it).
 */
import {
  BadPaddingError,
  HASH_BLOCK_SIZE,
  MalformedInputError,
  concatBytes,
  copyBytes,
  fromBase64,
  type KeyFileCrypto,
} from '@ecp/core/portable';

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;
const bytes = (buffer: ArrayBuffer): Uint8Array => new Uint8Array(buffer);
const P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

function checkCiphertext(data: Uint8Array): void {
  if (data.length === 0 || data.length % 16 !== 0) {
    throw new MalformedInputError('AES-CBC ciphertext is not a whole number of blocks');
  }
}

const aesKey = (key: Uint8Array, usage: KeyUsage): Promise<CryptoKey> =>
  subtle().importKey('raw', copyBytes(key), 'AES-CBC', false, [usage]);

/** The lazily loaded @noble fallbacks: each import() is one chunk, fetched on first use. */
const nobleSha224 = () => import('./noble-sha224.js');
const nobleAes192 = () => import('./noble-aes-cbc.js');

const fromBase64Url = (text: string): Uint8Array => fromBase64(text.replace(/-/g, '+').replace(/_/g, '/'));

export const webCryptoKeyFileCrypto: KeyFileCrypto = {
  async pbkdf2(hash, password, salt, iterations, lengthBytes) {
    if (hash === 'SHA-224') return (await nobleSha224()).pbkdf2Sha224(password, salt, iterations, lengthBytes);
    const key = await subtle().importKey('raw', copyBytes(password), 'PBKDF2', false, ['deriveBits']);
    return bytes(await subtle().deriveBits({ name: 'PBKDF2', hash, salt: copyBytes(salt), iterations }, key, lengthBytes * 8));
  },

  async aesCbcDecrypt(key, iv, data) {
    checkCiphertext(data);
    try {
      if (key.length === 24) return (await nobleAes192()).aesCbcDecrypt(key, iv, data);
      return bytes(await subtle().decrypt({ name: 'AES-CBC', iv: copyBytes(iv) }, await aesKey(key, 'decrypt'), copyBytes(data)));
    } catch {
      // With whole blocks and a valid key, decryption fails only on the padding check.
      throw new BadPaddingError();
    }
  },

  async aesCbcEncrypt(key, iv, data) {
    if (key.length === 24) return (await nobleAes192()).aesCbcEncrypt(key, iv, data);
    return bytes(await subtle().encrypt({ name: 'AES-CBC', iv: copyBytes(iv) }, await aesKey(key, 'encrypt'), copyBytes(data)));
  },

  async digest(hash, data) {
    if (hash === 'SHA-224') return (await nobleSha224()).sha224Digest(data);
    return bytes(await subtle().digest(hash, copyBytes(data)));
  },

  async hmac(hash, key, data) {
    if (hash === 'SHA-224') return (await nobleSha224()).hmacSha224(key, data);
    // WebCrypto refuses empty HMAC keys. HMAC pads the key with zeros to the block size
    // (RFC 2104), so a block of zeros is the same key.
    const raw = key.length === 0 ? new Uint8Array(HASH_BLOCK_SIZE[hash]) : copyBytes(key);
    const hmacKey = await subtle().importKey('raw', raw, { name: 'HMAC', hash }, false, ['sign']);
    return bytes(await subtle().sign('HMAC', hmacKey, copyBytes(data)));
  },

  randomBytes(length) {
    const out = new Uint8Array(length);
    // getRandomValues fills at most 65 536 bytes per call.
    for (let i = 0; i < length; i += 65536) globalThis.crypto.getRandomValues(out.subarray(i, Math.min(length, i + 65536)));
    return out;
  },

  /**
   * WebCrypto has no "public from private": import the bare key as extractable (the only way
   * to read the point back), export it as JWK, and drop it. The key the SDK keeps is imported
   * separately, non-extractable.
   */
  async p256PublicKey(pkcs8) {
    try {
      const key = await subtle().importKey('pkcs8', copyBytes(pkcs8), P256, true, ['sign']);
      const { x, y } = await subtle().exportKey('jwk', key);
      return concatBytes(Uint8Array.of(4), fromBase64Url(x!), fromBase64Url(y!));
    } catch (error) {
      throw new MalformedInputError('the P-256 private key could not be loaded', { cause: error });
    }
  },
};
