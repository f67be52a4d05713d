/**
 * Signature-algorithm and key policy for certificates and CRLs in a certification path.
 *
 * The x509 module reads AlgorithmIdentifiers and dispatches to node:crypto; this file is the
 * policy on top: which algorithms and keys a path may use, and why a refused one is refused
 * (weak or malformed), so that the verdict can say so. Accepted: RSA PKCS#1 v1.5 and RSA-PSS
 * with SHA-256/384/512 (RSA keys of at least 2048 bits), ECDSA on P-256/P-384/P-521 with
 * SHA-256/384/512, Ed25519 and Ed448. SHA-1, MD5 and anything unknown are refused before any
 * arithmetic, as weak.
 */
import type { KeyObject } from 'node:crypto';
import { MalformedInputError } from '../errors.js';
import { OID } from '../der/oids.js';
import { keyObjectForCertificate } from '../ecdsa/key-cache.js';
import { describeSignatureAlgorithm, type AlgorithmIdentifier, type SignatureScheme } from '../x509/algorithms.js';
import type { Certificate } from '../x509/certificate.js';
import type { PublicKeyInfo } from '../x509/public-key.js';
import { verifyX509Signature } from '../x509/signing.js';

export type { SignatureScheme } from '../x509/algorithms.js';

/** Why an algorithm or key was refused; the caller turns it into a path verdict. */
export interface AlgorithmRefusal {
  readonly reason: 'weak_algorithm' | 'malformed';
  readonly detail: string;
}

export type SchemeResult = { readonly scheme: SignatureScheme } | { readonly refusal: AlgorithmRefusal };

/** Smallest RSA modulus accepted anywhere in a path (NIST SP 800-131A, CA/B Forum). */
export const MIN_RSA_BITS = 2048;

const STRONG_HASHES = new Set<string>(['sha256', 'sha384', 'sha512']);

/** Algorithms the x509 module does not describe at all, named so that the refusal says why. */
const BROKEN_HASH_ALGORITHMS = new Map<string, string>([
  [OID.md2WithRsa, 'MD2'],
  [OID.md5WithRsa, 'MD5'],
  ['1.3.14.3.2.29', 'SHA-1'], // sha1WithRSASignature (OIW)
  ['1.2.840.10040.4.3', 'SHA-1'], // dsa-with-SHA1
]);

const weak = (detail: string): SchemeResult => ({ refusal: { reason: 'weak_algorithm', detail } });

/**
 * The scheme of a signature AlgorithmIdentifier, or why it is refused: the x509 module reads
 * the OID and parameters (RFC 5758/4055/8410 forms, else malformed), and this policy keeps
 * SHA-256/384/512 only. MD2/MD5/SHA-1/SHA-224 and unknown OIDs are weak; so is RSA-PSS whose
 * MGF1 hash differs from its message hash (node:crypto, like every mainstream CA, ties the two).
 */
export function signatureSchemeOf(algorithm: AlgorithmIdentifier): SchemeResult {
  let scheme: SignatureScheme | undefined;
  try {
    scheme = describeSignatureAlgorithm(algorithm);
  } catch (error) {
    if (error instanceof MalformedInputError) return { refusal: { reason: 'malformed', detail: error.message } };
    throw error;
  }
  if (!scheme) {
    const broken = BROKEN_HASH_ALGORITHMS.get(algorithm.oid);
    return weak(broken ? `${broken} signatures are refused (a broken hash)` : `the signature algorithm ${algorithm.name} is not accepted`);
  }
  if ('hash' in scheme && !STRONG_HASHES.has(scheme.hash)) {
    if (scheme.hash === 'sha1') return weak('SHA-1 signatures are refused (a broken hash)');
    return weak(`${scheme.hash.toUpperCase()} signatures are refused (only SHA-256/384/512 are accepted)`);
  }
  if (scheme.keyType === 'RSA-PSS' && scheme.mgf1Hash !== scheme.hash) {
    return weak(`RSA-PSS with MGF1-${scheme.mgf1Hash.toUpperCase()} under ${scheme.hash.toUpperCase()} is not supported`);
  }
  return { scheme };
}

const ACCEPTED_CURVES = new Set(['P-256', 'P-384', 'P-521']);

/**
 * Why a subject public key is outside the policy, or undefined when it is acceptable: RSA
 * (and RSA-PSS) under 2048 bits, EC keys off P-256/P-384/P-521, and every other key type
 * (DSA, X25519, unknown) are weak. Applies to every certificate of a path, the leaf included.
 */
export function keyPolicyRefusal(key: PublicKeyInfo): AlgorithmRefusal | undefined {
  switch (key.algorithm) {
    case 'RSA':
    case 'RSA-PSS': {
      const bits = key.bits ?? 0;
      return bits >= MIN_RSA_BITS ? undefined : { reason: 'weak_algorithm', detail: `RSA key of ${bits} bits (at least ${MIN_RSA_BITS} required)` };
    }
    case 'EC':
      return key.curve && ACCEPTED_CURVES.has(key.curve)
        ? undefined
        : { reason: 'weak_algorithm', detail: `EC key on curve ${key.curve ?? 'unknown'} is not accepted` };
    case 'Ed25519':
    case 'Ed448':
      return undefined;
    default:
      return { reason: 'weak_algorithm', detail: `${key.algorithm} keys are not accepted` };
  }
}

/**
 * The node:crypto key of an issuing certificate, once it passed {@link keyPolicyRefusal};
 * a key node:crypto cannot import (a bad EC point, a broken RSA structure) is malformed.
 */
export function issuerKeyOf(certificate: Certificate): { readonly key: KeyObject } | { readonly refusal: AlgorithmRefusal } {
  const refusal = keyPolicyRefusal(certificate.publicKey);
  if (refusal) return { refusal };
  try {
    return { key: keyObjectForCertificate(certificate) };
  } catch {
    return { refusal: { reason: 'malformed', detail: 'the public key cannot be imported' } };
  }
}

/**
 * Checks `signature` over `data` with node:crypto (through the x509 module's dispatch, which
 * also insists on strict DER for ECDSA). False, never a throw, for a wrong or malformed
 * signature and for a key that does not belong to the algorithm. Apply
 * {@link signatureSchemeOf} first: this function has no hash policy of its own.
 */
export function verifySignedData(algorithm: AlgorithmIdentifier, key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verifyX509Signature(key, algorithm, data, signature);
  } catch {
    return false;
  }
}
