/**
 * PKCS#8 (RFC 5208 / RFC 5958): `PRIVATE KEY` (PrivateKeyInfo, v1 or v2 OneAsymmetricKey)
 * and `ENCRYPTED PRIVATE KEY` (EncryptedPrivateKeyInfo).
 */
import { MalformedInputError, WrongCurveError } from '../errors.js';
import * as OID from '../der/oid-list.js';
import * as TAG from '../der/tags.js';
import {
  contextConstructed,
  contextPrimitive,
  decodeDer,
  readOctetAlignedBits,
  readOctetString,
  readSmallInteger,
  sequence,
  type DerElement,
} from '../der/reader.js';
import * as der from '../der/writer.js';
import { readAlgorithm, type KeyFileAlgorithm } from './algorithm.js';
import { describeKeyAlgorithm } from './key-types.js';
import type { P256PrivateKey } from './p256.js';
import { parseEcPrivateKey, readNamedCurve } from './sec1.js';

const WHAT = 'PKCS#8 private key';

/**
 * Reads a PrivateKeyInfo holding a P-256 key. Other key types and curves are named in a
 * WrongCurveError ("an RSA key", "an ECDSA P-384 key (secp384r1)").
 */
export function parsePrivateKeyInfo(input: Uint8Array | DerElement): P256PrivateKey {
  const element = input instanceof Uint8Array ? decodeDer(input, WHAT) : input;
  const fields = sequence(element, WHAT);
  const version = readSmallInteger(fields.next(TAG.INTEGER, 'version'), WHAT);
  if (version > 1) throw new MalformedInputError(`${WHAT}: unknown version ${version + 1}`);
  const algorithm = readAlgorithm(fields.next(TAG.SEQUENCE, 'privateKeyAlgorithm'), WHAT);
  const privateKey = readOctetString(fields.next(TAG.OCTET_STRING, 'privateKey'), WHAT);
  fields.optional(contextConstructed(0)); // attributes: nothing ecp needs
  const outerPublicKey = version === 1 ? fields.optional(contextPrimitive(1)) : undefined;
  fields.end();

  if (algorithm.oid !== OID.ecPublicKey) throw new WrongCurveError(describeKeyAlgorithm(algorithm.oid));
  if (!algorithm.parameters) throw new MalformedInputError(`${WHAT}: the EC algorithm names no curve`);
  const key = parseEcPrivateKey(decodeDer(privateKey, WHAT), readNamedCurve(algorithm.parameters));
  if (key.publicKey || !outerPublicKey) return key;
  // v2 may carry the public key outside, as an IMPLICIT BIT STRING.
  const bits = { tag: TAG.BIT_STRING, bytes: outerPublicKey.bytes, value: outerPublicKey.value };
  return { d: key.d, publicKey: readOctetAlignedBits(bits, `${WHAT} public key`).slice() };
}

export interface EncryptedPrivateKeyInfo {
  readonly algorithm: KeyFileAlgorithm;
  readonly encryptedData: Uint8Array;
}

export function parseEncryptedPrivateKeyInfo(input: Uint8Array | DerElement): EncryptedPrivateKeyInfo {
  const what = 'encrypted PKCS#8 private key';
  const element = input instanceof Uint8Array ? decodeDer(input, what) : input;
  const fields = sequence(element, what);
  const algorithm = readAlgorithm(fields.next(TAG.SEQUENCE, 'encryptionAlgorithm'), what);
  const encryptedData = readOctetString(fields.next(TAG.OCTET_STRING, 'encryptedData'), what);
  fields.end();
  if (encryptedData.length === 0) throw new MalformedInputError(`${what}: no encrypted data`);
  return { algorithm, encryptedData };
}

/** `algorithm` is a complete AlgorithmIdentifier encoding (see `encodePbes2Algorithm`). */
export const encodeEncryptedPrivateKeyInfo = (algorithm: Uint8Array, encryptedData: Uint8Array): Uint8Array =>
  der.sequence(algorithm, der.octetString(encryptedData));
