/**
 * Signing and verifying X.509 signed data (certificates, CSRs, CRLs) with node:crypto.
 * The signature algorithm follows the key: ECDSA with the curve's hash, RSA PKCS#1 v1.5 or
 * PSS with SHA-256, Ed25519/Ed448.
 */
import { KeyObject, constants, createPublicKey, sign, verify } from 'node:crypto';
import { EcpError } from '../errors.js';
import { ECDSA_CURVE_HASH } from '../ecdsa/curves.js';
import { ecdsaCurveOfKey, keyObjectForCertificate, keyObjectFromSpki } from '../ecdsa/key-cache.js';
import { parseDerSignature } from '../ecdsa/signature.js';
import { describeSignatureAlgorithm, signatureAlgorithmIdentifier, type AlgorithmIdentifier, type SignatureAlgorithmName } from './algorithms.js';
import type { Certificate } from './certificate.js';
import type { PublicKeyInfo } from './public-key.js';

export interface DataSigner {
  readonly algorithm: SignatureAlgorithmName;
  /** The DER AlgorithmIdentifier to put in the TBS and around the signature. */
  readonly algorithmIdentifier: Uint8Array;
  sign(data: Uint8Array): Uint8Array;
}

const PSS_SALT_LENGTH = 32;

/** The signer for a private key: P-256 → ecdsa-with-SHA256, P-384 → SHA384, P-521 → SHA512, RSA → sha256WithRSAEncryption, RSA-PSS → PSS/SHA-256, EdDSA. */
export function signerFor(privateKey: KeyObject): DataSigner {
  if (privateKey.type !== 'private') throw new EcpError('signing needs a private key');
  const make = (algorithm: SignatureAlgorithmName, signData: (data: Uint8Array) => Buffer): DataSigner => ({
    algorithm,
    algorithmIdentifier: signatureAlgorithmIdentifier(algorithm),
    sign: (data) => new Uint8Array(signData(data)),
  });
  switch (privateKey.asymmetricKeyType) {
    case 'ec': {
      const curve = ecdsaCurveOfKey(privateKey);
      const hash = curve && curve !== 'secp256k1' ? ECDSA_CURVE_HASH[curve] : undefined;
      if (!hash) throw new EcpError(`cannot sign certificates with an EC key on ${privateKey.asymmetricKeyDetails?.namedCurve ?? 'this curve'}`);
      const algorithm = `ecdsa-with-${hash.toUpperCase()}` as SignatureAlgorithmName;
      return make(algorithm, (data) => sign(hash, data, privateKey));
    }
    case 'rsa':
      return make('sha256WithRSAEncryption', (data) => sign('sha256', data, privateKey));
    case 'rsa-pss':
      return make('RSASSA-PSS-SHA256', (data) =>
        sign('sha256', data, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: PSS_SALT_LENGTH }),
      );
    case 'ed25519':
      return make('Ed25519', (data) => sign(null, data, privateKey));
    case 'ed448':
      return make('Ed448', (data) => sign(null, data, privateKey));
    default:
      throw new EcpError(`cannot sign certificates with a ${privateKey.asymmetricKeyType ?? 'symmetric'} key`);
  }
}

/** The SubjectPublicKeyInfo DER of a key (a private key gives its public half). */
export function spkiOf(key: KeyObject): Uint8Array {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
}

type VerifyingKey = KeyObject | PublicKeyInfo | Certificate;

function keyObjectOf(key: VerifyingKey): KeyObject {
  if (key instanceof KeyObject) return key;
  if ('spki' in key) return keyObjectFromSpki(key.spki);
  return keyObjectForCertificate(key);
}

/**
 * Checks an X.509 signature (`algorithm` over `data`) with the signer's public key. False
 * for a wrong signature, a signature that is not strict DER (ECDSA), a key whose type does not
 * match the algorithm, and algorithms ecp does not verify; throws `MalformedInputError`
 * only when a known algorithm's parameters are malformed.
 */
export function verifyX509Signature(publicKey: VerifyingKey, algorithm: AlgorithmIdentifier, data: Uint8Array, signature: Uint8Array): boolean {
  const scheme = describeSignatureAlgorithm(algorithm);
  if (!scheme) return false;
  let key: KeyObject;
  try {
    key = keyObjectOf(publicKey);
  } catch {
    return false;
  }
  const keyType = key.asymmetricKeyType;
  try {
    switch (scheme.keyType) {
      case 'EC': {
        const curve = ecdsaCurveOfKey(key);
        if (!curve) return false;
        parseDerSignature(signature, curve);
        return verify(scheme.hash, data, key, signature);
      }
      case 'RSA':
        return keyType === 'rsa' && verify(scheme.hash, data, key, signature);
      case 'RSA-PSS':
        // node:crypto uses the signature hash for MGF1 too; other combinations are not verified.
        if ((keyType !== 'rsa' && keyType !== 'rsa-pss') || scheme.mgf1Hash !== scheme.hash) return false;
        return verify(scheme.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: scheme.saltLength }, signature);
      case 'Ed25519':
        return keyType === 'ed25519' && verify(null, data, key, signature);
      case 'Ed448':
        return keyType === 'ed448' && verify(null, data, key, signature);
    }
  } catch {
    // A non-DER ECDSA signature, or a key node:crypto cannot use with the algorithm (e.g. a
    // PSS key restricted to another hash): either way the signature does not verify.
    return false;
  }
}

/**
 * True when `issuer`'s key (an issuer certificate, its PublicKeyInfo or a KeyObject) made
 * `certificate`'s signature. Names, validity and extensions are the path validator's job.
 */
export function verifyCertificateSignature(certificate: Certificate, issuer: VerifyingKey): boolean {
  return verifyX509Signature(issuer, certificate.signatureAlgorithm, certificate.tbs, certificate.signatureValue);
}
