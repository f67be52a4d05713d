/**
 * The ECDSA curves ecp verifies, under the names node:crypto/OpenSSL and X.509 use, each with
 * the hash it is conventionally paired with (FIPS 186-5 / RFC 5480 §4). Browser-safe.
 */
import type { HashName } from '../x509/algorithms.js';
import type { EcdsaCurve } from './signature.js';

const CURVES_BY_NAME: ReadonlyMap<string, EcdsaCurve> = new Map<string, EcdsaCurve>([
  ['prime256v1', 'P-256'],
  ['P-256', 'P-256'],
  ['secp256r1', 'P-256'],
  ['secp384r1', 'P-384'],
  ['P-384', 'P-384'],
  ['secp521r1', 'P-521'],
  ['P-521', 'P-521'],
  ['secp256k1', 'secp256k1'],
]);

/** The ecp curve name for an OpenSSL (`prime256v1`), NIST (`P-256`) or SEC (`secp256r1`) name. */
export const ecdsaCurveFromName = (name: string | undefined): EcdsaCurve | undefined =>
  name === undefined ? undefined : CURVES_BY_NAME.get(name);

/** The hash ecp signs and verifies with on each curve: SHA-256 on P-256 (the contract), wider on wider curves. */
export const ECDSA_CURVE_HASH: Readonly<Record<EcdsaCurve, HashName>> = {
  'P-256': 'sha256',
  'P-384': 'sha384',
  'P-521': 'sha512',
  secp256k1: 'sha256',
};
