/**
 * SEC1 `ECPrivateKey` (RFC 5915), the `EC PRIVATE KEY` that `openssl ecparam -genkey` and
 * `openssl ec` write, and the inner structure of every EC PKCS#8 key.
 */
import { MalformedInputError, UnsupportedKeyFormatError, WrongCurveError } from '../errors.js';
import * as OID from '../der/oid-list.js';
import * as TAG from '../der/tags.js';
import {
  childrenOf,
  contextConstructed,
  decodeDer,
  readOctetAlignedBits,
  readOctetString,
  readOid,
  readSmallInteger,
  sequence,
  type DerElement,
} from '../der/reader.js';
import { describeCurve } from './key-types.js';
import { encodeP256PrivateKeyInfo, normaliseScalar, type P256PrivateKey } from './p256.js';

const WHAT = 'EC private key';

/**
 * The curve OID of an `ECParameters` choice. Only namedCurve is accepted: explicit
 * parameters would need comparing against every known curve, and implicitCA names none.
 */
export function readNamedCurve(parameters: DerElement): string {
  if (parameters.tag === TAG.OID) return readOid(parameters, 'EC curve');
  throw new UnsupportedKeyFormatError(
    parameters.tag === TAG.SEQUENCE ? 'an EC key with explicit curve parameters' : 'an EC key without a named curve',
    'Convert it to a named curve: openssl ec -in key.pem -param_enc named_curve -out key-named.pem',
  );
}

/**
 * Reads an ECPrivateKey. `outerCurve` is the namedCurve of the enclosing PKCS#8 algorithm,
 * if any; the [0] parameters, when present, must agree with it. Anything but P-256 is
 * refused with WrongCurveError naming what it is.
 */
export function parseEcPrivateKey(element: DerElement, outerCurve?: string): P256PrivateKey {
  const fields = sequence(element, WHAT);
  if (readSmallInteger(fields.next(TAG.INTEGER, 'version'), WHAT) !== 1) {
    throw new MalformedInputError(`${WHAT}: version must be 1`);
  }
  const scalar = readOctetString(fields.next(TAG.OCTET_STRING, 'privateKey'), WHAT);
  const parameters = fields.optional(contextConstructed(0));
  const publicKeyField = fields.optional(contextConstructed(1));
  fields.end();

  let curve = outerCurve;
  if (parameters) {
    const inner = readNamedCurve(onlyChild(parameters));
    if (outerCurve !== undefined && inner !== outerCurve) {
      throw new MalformedInputError(`${WHAT}: its curve differs from the one in the PKCS#8 algorithm`);
    }
    curve = inner;
  }
  if (curve === undefined) throw new MalformedInputError(`${WHAT}: no curve is named`);
  if (curve !== OID.prime256v1) throw new WrongCurveError(describeCurve(curve));

  const d = normaliseScalar(scalar);
  if (!publicKeyField) return { d };
  // A copy: callers wipe decrypted plaintext, which this would otherwise be a view into.
  return { d, publicKey: readOctetAlignedBits(onlyChild(publicKeyField), `${WHAT} public key`).slice() };
}

function onlyChild(element: DerElement): DerElement {
  const children = childrenOf(element, WHAT);
  if (children.length !== 1) throw new MalformedInputError(`${WHAT}: expected one element inside [${element.tag & 0x1f}]`);
  return children[0]!;
}

/** An `EC PRIVATE KEY` (DER) as a P-256 PrivateKeyInfo, the public point kept if present. */
export function sec1ToPkcs8(input: Uint8Array): Uint8Array {
  const key = parseEcPrivateKey(decodeDer(input, WHAT));
  return encodeP256PrivateKeyInfo(key.d, key.publicKey?.length === 65 ? key.publicKey : undefined);
}
