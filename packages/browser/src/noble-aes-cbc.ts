/**
 * AES-CBC from @noble/ciphers for 192-bit keys (`openssl pkcs8 -v2 aes-192-cbc`), which
 * Chromium's WebCrypto refuses. Loaded with a dynamic import() only when such a file is met,
 * so it lives in its own bundle chunk.
 */
import { cbc } from '@noble/ciphers/aes.js';

/** PKCS#7 padding is noble's default; it throws when the padding is wrong. */
export const aesCbcDecrypt = (key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array => cbc(key, iv).decrypt(data);

export const aesCbcEncrypt = (key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array => cbc(key, iv).encrypt(data);
