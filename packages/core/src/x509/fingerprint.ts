/**
 * Certificate fingerprints, `AA:BB:...` over the whole DER as OpenSSL's `-fingerprint` and
 * node's X509Certificate print them.
 */
import { createHash } from 'node:crypto';
import { toColonHex } from '../bytes.js';
import type { Certificate } from './certificate.js';

export type FingerprintAlgorithm = 'sha1' | 'sha256';

export function fingerprint(certificate: Certificate | Uint8Array, algorithm: FingerprintAlgorithm): string {
  const der = certificate instanceof Uint8Array ? certificate : certificate.der;
  return toColonHex(new Uint8Array(createHash(algorithm).update(der).digest()));
}
