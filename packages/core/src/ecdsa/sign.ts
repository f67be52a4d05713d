/**
 * ECDSA signing with node:crypto: the DER signature of the login factor (contract §1).
 */
import { type KeyObject, sign } from 'node:crypto';
import { utf8 } from '../bytes.js';
import { NotAKeyFileError, WrongCurveError } from '../errors.js';
import { ECDSA_CURVE_HASH } from './curves.js';
import { ecdsaCurveOfKey } from './key-cache.js';

/**
 * Signs the exact bytes of `message` (a string is taken as UTF-8) with an EC private key and
 * returns the DER ECDSA-Sig-Value. SHA-256 on P-256, the contract's scheme.
 */
export function signMessage(privateKey: KeyObject, message: string | Uint8Array): Uint8Array {
  const key = privateKey;
  if (key.type !== 'private') throw new NotAKeyFileError(`a ${key.type} key`);
  const curve = ecdsaCurveOfKey(key);
  if (!curve) throw new WrongCurveError(key.asymmetricKeyType === 'ec' ? 'an EC key on another curve' : `a ${key.asymmetricKeyType ?? 'non-asymmetric'} key`);
  const data = typeof message === 'string' ? utf8(message) : message;
  return new Uint8Array(sign(ECDSA_CURVE_HASH[curve], data, key));
}
