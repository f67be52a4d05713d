/**
 * Names for the key types and curves a user may pick by mistake, so that WrongCurveError
 * says what the file holds ("an RSA key", "an ECDSA P-384 key") rather than an OID.
 *
 * Anything else is shown as its dotted OID, here and in the other key-file refusals
 * (pbes2.ts, pkcs12-mac.ts): every identifier ecp has a name for that can land there is
 * named in these modules' own tables, and the general name table (der/oids.ts) would put all
 * ~110 identifiers into the browser bundle for messages nobody meets.
 */
import * as OID from '../der/oid-list.js';

/** DSA (RFC 3279); not in the shared table because ecp meets it only to name it here. */
const DSA_OID = '1.2.840.10040.4.1';

const KEY_TYPES: Readonly<Record<string, string>> = {
  [OID.rsaEncryption]: 'an RSA key',
  [OID.rsassaPss]: 'an RSA-PSS key',
  [OID.ed25519]: 'an Ed25519 key',
  [OID.ed448]: 'an Ed448 key',
  [OID.x25519]: 'an X25519 key',
  [DSA_OID]: 'a DSA key',
};

const CURVES: Readonly<Record<string, string>> = {
  [OID.secp384r1]: 'an ECDSA P-384 key (secp384r1)',
  [OID.secp521r1]: 'an ECDSA P-521 key (secp521r1)',
  [OID.secp256k1]: 'a secp256k1 key',
};

export const describeKeyAlgorithm = (oid: string): string => KEY_TYPES[oid] ?? `a key of type ${oid}`;

export const describeCurve = (oid: string): string => CURVES[oid] ?? `an EC key on curve ${oid}`;
