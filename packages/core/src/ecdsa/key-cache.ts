/**
 * node:crypto KeyObjects for certificates and SPKI bytes, cached. Importing a key costs far
 * more than a verify (MEASURED.md: `new X509Certificate(pem).publicKey` each time runs at
 * ~2 100 verifies/s against ~7 800 with a prepared key), so each certificate object maps to
 * its key (WeakMap, freed with the certificate) and each SPKI to its key (a bounded LRU, so
 * that a certificate parsed again per request still finds its key).
 */
import { KeyObject, createHash, createPublicKey } from 'node:crypto';
import type { Certificate } from '../x509/certificate.js';
import { ecdsaCurveFromName } from './curves.js';
import type { EcdsaCurve } from './signature.js';

/** Bound on the SPKI-keyed cache: enough for every active client certificate of a busy server. */
export const KEY_CACHE_SIZE = 1024;

const byCertificate = new WeakMap<Certificate, KeyObject>();
const bySpkiDigest = new Map<string, KeyObject>();

/** A public KeyObject for DER SubjectPublicKeyInfo, from the LRU when seen recently. */
export function keyObjectFromSpki(spki: Uint8Array): KeyObject {
  const digest = createHash('sha256').update(spki).digest('base64');
  const cached = bySpkiDigest.get(digest);
  if (cached) {
    // Re-insert to mark it most recently used (a Map iterates in insertion order).
    bySpkiDigest.delete(digest);
    bySpkiDigest.set(digest, cached);
    return cached;
  }
  const key = createPublicKey({ key: Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength), format: 'der', type: 'spki' });
  bySpkiDigest.set(digest, key);
  if (bySpkiDigest.size > KEY_CACHE_SIZE) bySpkiDigest.delete(bySpkiDigest.keys().next().value!);
  return key;
}

/** The certificate's subject public key as a KeyObject, cached per certificate object. */
export function keyObjectForCertificate(certificate: Certificate): KeyObject {
  let key = byCertificate.get(certificate);
  if (!key) {
    key = keyObjectFromSpki(certificate.publicKey.spki);
    byCertificate.set(certificate, key);
  }
  return key;
}

const curveByKey = new WeakMap<KeyObject, EcdsaCurve | null>();

/** The ECDSA curve of a KeyObject (`undefined` for non-EC keys or unknown curves), cached: the details getter allocates. */
export function ecdsaCurveOfKey(key: KeyObject): EcdsaCurve | undefined {
  let curve = curveByKey.get(key);
  if (curve === undefined) {
    curve = key.asymmetricKeyType === 'ec' ? (ecdsaCurveFromName(key.asymmetricKeyDetails?.namedCurve) ?? null) : null;
    curveByKey.set(key, curve);
  }
  return curve ?? undefined;
}
