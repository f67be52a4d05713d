/**
 * The one key type ecp signs with, ECDSA P-256, in the PKCS#8 shape every platform imports:
 * what OpenSSL and WebCrypto export themselves (PrivateKeyInfo v0, id-ecPublicKey with the
 * prime256v1 namedCurve, an ECPrivateKey without the redundant [0] parameters).
 */
import { bytesEqual } from '../bytes.js';
import { MalformedInputError } from '../errors.js';
import * as OID from '../der/oid-list.js';
import * as der from '../der/writer.js';
import { P256_ORDER } from '../ecdsa/signature.js';
import type { KeyFileCrypto } from './crypto-backend.js';

/** A P-256 private key as read from any key file. */
export interface P256PrivateKey {
  /** The private scalar, big-endian, exactly 32 bytes. */
  readonly d: Uint8Array;
  /** The public point as the file gave it (uncompressed 65 bytes, or compressed 33), if it did. */
  readonly publicKey?: Uint8Array;
}


export const P256_SCALAR_LENGTH = 32;
export const P256_POINT_LENGTH = 65;

/**
 * The scalar as 32 bytes, checked to be in [1, n-1]. Shorter encodings (some old writers
 * dropped leading zero octets) are left-padded, as OpenSSL reads them.
 */
export function normaliseScalar(d: Uint8Array): Uint8Array {
  if (d.length === 0 || d.length > P256_SCALAR_LENGTH) {
    throw new MalformedInputError(`a P-256 private key is 32 bytes, this one is ${d.length}`);
  }
  const out = new Uint8Array(P256_SCALAR_LENGTH);
  out.set(d, P256_SCALAR_LENGTH - d.length);
  let zero = true;
  let less = false;
  let decided = false;
  for (let i = 0; i < P256_SCALAR_LENGTH; i++) {
    if (out[i] !== 0) zero = false;
    if (!decided && out[i] !== P256_ORDER[i]) {
      less = out[i]! < P256_ORDER[i]!;
      decided = true;
    }
  }
  if (zero || !less) throw new MalformedInputError('the P-256 private key is out of range');
  return out;
}

const ALGORITHM = der.sequence(der.oid(OID.ecPublicKey), der.oid(OID.prime256v1));

/** PrivateKeyInfo for a P-256 key; with `publicKey` (65 bytes) when given, as import wants it. */
export function encodeP256PrivateKeyInfo(d: Uint8Array, publicKey?: Uint8Array): Uint8Array {
  const ecPrivateKey = der.sequence(
    der.integer(1),
    der.octetString(d),
    ...(publicKey ? [der.explicit(1, der.bitString(publicKey))] : []),
  );
  return der.sequence(der.integer(0), ALGORITHM, der.octetString(ecPrivateKey));
}

/**
 * Whether a point a file carried is the one derived from its scalar. Compressed points
 * (0x02/0x03‖x) are compared by x and the parity of y.
 */
export function isSamePoint(given: Uint8Array, derived: Uint8Array): boolean {
  if (given.length === P256_POINT_LENGTH) return bytesEqual(given, derived);
  if (given.length === 33 && (given[0] === 2 || given[0] === 3)) {
    return bytesEqual(given.subarray(1), derived.subarray(1, 33)) && (given[0]! & 1) === (derived[64]! & 1);
  }
  return false;
}

/** A P-256 key ready for import: PKCS#8 with the public point, and that point. */
export interface NormalisedP256Key {
  /** Unencrypted PrivateKeyInfo with the public point: node `createPrivateKey` and WebCrypto `importKey('pkcs8')` both take it. */
  readonly pkcs8: Uint8Array;
  /** The uncompressed public point (65 bytes). */
  readonly publicKey: Uint8Array;
}

/**
 * Derives the public point from the scalar (platform crypto, through the backend) and
 * checks it against the point the file carried, if any: a file whose halves disagree would
 * otherwise sign with one key while advertising another.
 */
export async function normaliseP256Key(key: P256PrivateKey, backend: Pick<KeyFileCrypto, 'p256PublicKey'>): Promise<NormalisedP256Key> {
  const bare = encodeP256PrivateKeyInfo(key.d);
  let derived: Uint8Array;
  try {
    derived = await backend.p256PublicKey(bare);
  } finally {
    bare.fill(0);
  }
  if (derived.length !== P256_POINT_LENGTH || derived[0] !== 4) {
    throw new MalformedInputError('the backend returned a malformed public point');
  }
  if (key.publicKey && !isSamePoint(key.publicKey, derived)) {
    throw new MalformedInputError("the key file's public key does not belong to its private key");
  }
  return { pkcs8: encodeP256PrivateKeyInfo(key.d, derived), publicKey: derived };
}
