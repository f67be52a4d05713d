/**
 * ECDSA verification with node:crypto behind ecp's strict DER parse (contract §1: strict DER
 * only, Wycheproof decides). High-S signatures are accepted, as OpenSSL and WebCrypto do and
 * as Wycheproof's valid vectors require (MEASURED.md: a low-S-only verifier rejects about
 * half of what they produce).
 */
import { KeyObject, verify } from 'node:crypto';
import { utf8 } from '../bytes.js';
import type { Certificate } from '../x509/certificate.js';
import { ECDSA_CURVE_HASH, ecdsaCurveFromName } from './curves.js';
import { ecdsaCurveOfKey, keyObjectForCertificate } from './key-cache.js';
import { parseDerSignature } from './signature.js';

/**
 * True when `signature` is a strict DER ECDSA signature of `message` (a string is taken as
 * UTF-8 bytes, exactly) under the EC key of `publicKey` (a KeyObject or a certificate, whose
 * KeyObject is cached). The hash follows the curve: SHA-256 on P-256 (the contract), SHA-384
 * on P-384, SHA-512 on P-521. False, never an exception, for a malformed signature, a wrong
 * signature, a non-EC key or any other bad input.
 */
export function verifySignature(publicKey: KeyObject | Certificate, message: string | Uint8Array, signature: Uint8Array): boolean {
  try {
    let key: KeyObject;
    let curve;
    if (publicKey instanceof KeyObject) {
      key = publicKey;
      curve = ecdsaCurveOfKey(key);
    } else {
      if (publicKey.publicKey.algorithm !== 'EC') return false;
      curve = ecdsaCurveFromName(publicKey.publicKey.curve);
      if (!curve) return false;
      key = keyObjectForCertificate(publicKey);
    }
    if (!curve || !(signature instanceof Uint8Array)) return false;
    parseDerSignature(signature, curve);
    const data = typeof message === 'string' ? utf8(message) : message;
    return verify(ECDSA_CURVE_HASH[curve], data, key, signature);
  } catch {
    return false;
  }
}
