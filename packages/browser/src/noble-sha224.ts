/**
 * SHA-224, HMAC-SHA224 and PBKDF2-HMAC-SHA224 from @noble/hashes, for the PBES2 files that
 * use them (`openssl pkcs8 -v2prf hmacWithSHA224`): WebCrypto has no SHA-224. Loaded with a
 * dynamic import() only when such a file is met, so it lives in its own bundle chunk.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { pbkdf2Async } from '@noble/hashes/pbkdf2.js';
import { sha224 } from '@noble/hashes/sha2.js';

export const sha224Digest = (data: Uint8Array): Uint8Array => sha224(data);

export const hmacSha224 = (key: Uint8Array, data: Uint8Array): Uint8Array => hmac(sha224, key, data);

/** pbkdf2Async yields to the event loop between slices, so a page stays responsive. */
export const pbkdf2Sha224 = (password: Uint8Array, salt: Uint8Array, iterations: number, length: number): Promise<Uint8Array> =>
  pbkdf2Async(sha224, password, salt, { c: iterations, dkLen: length });
