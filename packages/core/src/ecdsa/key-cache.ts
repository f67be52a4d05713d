/**
 * node:crypto KeyObjects for certificates and SPKI bytes, cached. Importing a key costs far
 * more than a verify (MEASURED.md: `new X509Certificate(pem).publicKey` each time runs at
 * ~2 100 verifies/s against ~7 800 with a prepared key), so each certificate object maps to
 * its key (WeakMap, freed with the certificate) and each SPKI to its key (a bounded LRU, so
 * that a certificate parsed again per request still finds its key).
 */
import { KeyObject, createHash, createPublicKey } from 'node:crypto';
import { toBase64 } from '../bytes.js';
import type { Certificate } from '../x509/certificate.js';
import type { PublicKeyInfo } from '../x509/public-key.js';
import { ecdsaCurveFromName } from './curves.js';
import type { EcdsaCurve } from './signature.js';

/** Bound on the SPKI-keyed cache: enough for every active client certificate of a busy server. */
export const KEY_CACHE_SIZE = 1024;

const byCertificate = new WeakMap<Certificate, KeyObject>();
const bySpkiDigest = new Map<string, KeyObject>();

/** The key for `spki` from the LRU, or `make()`'s, remembered. */
function cachedBySpki(spki: Uint8Array, make: () => KeyObject): KeyObject {
  const digest = createHash('sha256').update(spki).digest('base64');
  const cached = bySpkiDigest.get(digest);
  if (cached) {
    // Re-insert to mark it most recently used (a Map iterates in insertion order).
    bySpkiDigest.delete(digest);
    bySpkiDigest.set(digest, cached);
    return cached;
  }
  const key = make();
  bySpkiDigest.set(digest, key);
  if (bySpkiDigest.size > KEY_CACHE_SIZE) bySpkiDigest.delete(bySpkiDigest.keys().next().value!);
  return key;
}

/** A public KeyObject for DER SubjectPublicKeyInfo, from the LRU when seen recently. */
export function keyObjectFromSpki(spki: Uint8Array): KeyObject {
  return cachedBySpki(spki, () => createPublicKey({ key: Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength), format: 'der', type: 'spki' }));
}

const JWK_CURVES: Readonly<Record<string, number>> = { 'P-256': 32, 'P-384': 48, 'P-521': 66 };
const base64url = (bytes: Uint8Array): string => toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/**
 * A KeyObject for an already parsed public key. NIST-curve EC keys with an uncompressed
 * point go in as JWK: OpenSSL 3's DER decoder made `createPublicKey(spki)` ~1.8× slower
 * than the JWK path here (7 100 vs 13 000 imports/s), and both check the point is on the
 * curve. Everything else is imported from its SPKI DER.
 */
export function importPublicKey(info: PublicKeyInfo): KeyObject {
  const size = info.algorithm === 'EC' && info.curve !== undefined ? JWK_CURVES[info.curve] : undefined;
  if (size !== undefined && info.key.length === 1 + 2 * size && info.key[0] === 0x04) {
    const x = base64url(info.key.subarray(1, 1 + size));
    const y = base64url(info.key.subarray(1 + size));
    return createPublicKey({ key: { kty: 'EC', crv: info.curve!, x, y }, format: 'jwk' });
  }
  return createPublicKey({ key: Buffer.from(info.spki.buffer, info.spki.byteOffset, info.spki.byteLength), format: 'der', type: 'spki' });
}

/** The certificate's subject public key as a KeyObject, cached per certificate object. */
export function keyObjectForCertificate(certificate: Certificate): KeyObject {
  let key = byCertificate.get(certificate);
  if (!key) {
    const info = certificate.publicKey;
    key = cachedBySpki(info.spki, () => importPublicKey(info));
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
