/**
 * SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) with the key type, the curve (EC) and the size
 * (RSA modulus, EC field) read out. Browser-safe; the key itself is not validated here (the
 * platform crypto does that when the key is imported).
 */
import { bytesEqual } from '../bytes.js';
import { MalformedInputError } from '../errors.js';
import * as OID from '../der/oid-list.js';
import * as TAG from '../der/tags.js';
import { decodeDer, readOctetAlignedBits, readOid, readUnsignedIntegerBytes, sequence, type DerElement } from '../der/reader.js';
import { parseAlgorithmIdentifier, type AlgorithmIdentifier } from './algorithms.js';

export interface PublicKeyInfo {
  /** The whole SubjectPublicKeyInfo DER (what node:crypto and WebCrypto import as `spki`). */
  readonly spki: Uint8Array;
  /** `EC`, `RSA`, `RSA-PSS`, `Ed25519`, `Ed448`, `X25519`, or the dotted OID of anything else. */
  readonly algorithm: string;
  readonly algorithmIdentifier: AlgorithmIdentifier;
  /** For EC keys: `P-256`, `P-384`, `P-521`, `secp256k1`, or the dotted curve OID. */
  readonly curve?: string;
  /** RSA modulus length, or the EC field size. */
  readonly bits?: number;
  /** The subjectPublicKey BIT STRING contents: the EC point, the RSAPublicKey DER, the raw EdDSA key. */
  readonly key: Uint8Array;
}

const CURVES: Readonly<Record<string, { name: string; bits: number }>> = {
  [OID.prime256v1]: { name: 'P-256', bits: 256 },
  [OID.secp384r1]: { name: 'P-384', bits: 384 },
  [OID.secp521r1]: { name: 'P-521', bits: 521 },
  [OID.secp256k1]: { name: 'secp256k1', bits: 256 },
};

const NULL_DER = Uint8Array.of(TAG.NULL, 0);

function bitLength(magnitude: Uint8Array): number {
  if (magnitude.length === 0 || (magnitude.length === 1 && magnitude[0] === 0)) return 0;
  return (magnitude.length - 1) * 8 + (32 - Math.clz32(magnitude[0]!));
}

function rsaModulusBits(key: Uint8Array, what: string): number {
  const fields = sequence(decodeDer(key, `${what} RSAPublicKey`), `${what} RSAPublicKey`);
  const modulus = readUnsignedIntegerBytes(fields.next(TAG.INTEGER, 'modulus'), `${what} modulus`);
  readUnsignedIntegerBytes(fields.next(TAG.INTEGER, 'publicExponent'), `${what} exponent`);
  fields.end();
  return bitLength(modulus);
}

function expectNoParameters(alg: AlgorithmIdentifier, what: string): void {
  if (alg.parameters) throw new MalformedInputError(`${what}: ${alg.name} key with parameters`);
}

export function parsePublicKeyInfo(element: DerElement, what = 'SubjectPublicKeyInfo'): PublicKeyInfo {
  const fields = sequence(element, what);
  const alg = parseAlgorithmIdentifier(fields.next(TAG.SEQUENCE, 'algorithm'), `${what} algorithm`);
  const key = readOctetAlignedBits(fields.next(TAG.BIT_STRING, 'subjectPublicKey'), `${what} key`);
  fields.end();
  const base = { spki: element.bytes, algorithmIdentifier: alg, key };
  switch (alg.oid) {
    case OID.ecPublicKey: {
      // Only namedCurve (RFC 5480 §2.1.1): explicit curve parameters are refused as X.509 requires.
      if (!alg.parameters || alg.parameters[0] !== TAG.OID) {
        throw new MalformedInputError(`${what}: EC key without a named curve`);
      }
      const curveOid = readOid(decodeDer(alg.parameters, what), `${what} curve`);
      const curve = CURVES[curveOid];
      return curve ? { ...base, algorithm: 'EC', curve: curve.name, bits: curve.bits } : { ...base, algorithm: 'EC', curve: curveOid };
    }
    case OID.rsaEncryption:
      if (!alg.parameters || !bytesEqual(alg.parameters, NULL_DER)) {
        throw new MalformedInputError(`${what}: rsaEncryption parameters must be NULL`);
      }
      return { ...base, algorithm: 'RSA', bits: rsaModulusBits(key, what) };
    case OID.rsassaPss:
      return { ...base, algorithm: 'RSA-PSS', bits: rsaModulusBits(key, what) };
    case OID.ed25519:
      expectNoParameters(alg, what);
      return { ...base, algorithm: 'Ed25519' };
    case OID.ed448:
      expectNoParameters(alg, what);
      return { ...base, algorithm: 'Ed448' };
    case OID.x25519:
      expectNoParameters(alg, what);
      return { ...base, algorithm: 'X25519' };
    default:
      return { ...base, algorithm: alg.oid };
  }
}

/** A SubjectPublicKeyInfo from its standalone DER. */
export const decodePublicKeyInfo = (spki: Uint8Array): PublicKeyInfo => parsePublicKeyInfo(decodeDer(spki, 'SubjectPublicKeyInfo'));
