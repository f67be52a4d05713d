/**
 * The login signature (contract §1): ECDSA P-256 with SHA-256 over the exact UTF-8 bytes of
 * the challenge nonce, sent as hex of the DER ECDSA-Sig-Value.
 */
import { MalformedInputError, copyBytes, p1363ToDer, toHex, utf8 } from '@ecp/core/portable';

/** Far above the 64 hex characters of a challenge: a bound, not a format check. */
const MAX_NONCE_LENGTH = 4096;

/** Signs `nonce` with a key from `readPrivateKey`; returns lower-case hex of the DER signature. */
export async function signChallenge(key: CryptoKey, nonce: string): Promise<string> {
  if (nonce.length > MAX_NONCE_LENGTH) throw new MalformedInputError(`the nonce is longer than ${MAX_NONCE_LENGTH} characters`);
  // WebCrypto returns r‖s (IEEE P1363); the wire wants DER.
  const raw = await globalThis.crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, copyBytes(utf8(nonce)));
  return toHex(p1363ToDer(new Uint8Array(raw), 'P-256'));
}
