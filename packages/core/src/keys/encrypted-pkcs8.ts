/**
 * `ENCRYPTED PRIVATE KEY` end to end: PBES2 decryption into a P-256 key, and encryption of a
 * PrivateKeyInfo into the contract's file (PBKDF2-HMAC-SHA256, AES-256-CBC).
 */
import { MalformedInputError, WrongPassphraseError } from '../errors.js';
import { encodePem } from '../pem.js';
import type { KeyFileCrypto } from './crypto-backend.js';
import { DEFAULT_KEY_FILE_ITERATIONS } from './limits.js';
import type { P256PrivateKey } from './p256.js';
import { pbes2Password } from './passphrase.js';
import { parseEncryptionAlgorithm, pbes2Decrypt, pbes2Encrypt, type EncryptionContext, type Pbes2EncryptOptions } from './pbes2.js';
import { encodeEncryptedPrivateKeyInfo, parsePrivateKeyInfo, type EncryptedPrivateKeyInfo } from './pkcs8.js';

export { DEFAULT_KEY_FILE_ITERATIONS };

/**
 * Decrypts and parses. Content that decrypts with valid padding but does not parse is also
 * a wrong passphrase: about 1 wrong passphrase in 256 yields valid-looking padding.
 */
export async function decryptPrivateKeyInfo(
  info: EncryptedPrivateKeyInfo,
  passphrase: string,
  backend: KeyFileCrypto,
  context: EncryptionContext = 'pkcs8',
): Promise<P256PrivateKey> {
  const parameters = parseEncryptionAlgorithm(info.algorithm, context);
  const plaintext = await pbes2Decrypt(parameters, pbes2Password(passphrase), info.encryptedData, backend);
  try {
    return parsePrivateKeyInfo(plaintext);
  } catch (error) {
    if (error instanceof MalformedInputError) throw new WrongPassphraseError();
    throw error;
  } finally {
    plaintext.fill(0);
  }
}

/**
 * EncryptedPrivateKeyInfo (DER) of a P-256 PrivateKeyInfo, PBES2 with fresh salt and IV.
 * Anything but a P-256 key is refused (WrongCurveError): only those become ecp key files.
 */
export async function encryptPrivateKeyInfo(
  pkcs8: Uint8Array,
  passphrase: string,
  backend: KeyFileCrypto,
  options: Partial<Pbes2EncryptOptions> = {},
): Promise<Uint8Array> {
  parsePrivateKeyInfo(pkcs8);
  const { algorithm, ciphertext } = await pbes2Encrypt(pbes2Password(passphrase), pkcs8, backend, {
    ...options,
    iterations: options.iterations ?? DEFAULT_KEY_FILE_ITERATIONS,
  });
  return encodeEncryptedPrivateKeyInfo(algorithm, ciphertext);
}

/** The same, as the PEM `ENCRYPTED PRIVATE KEY` file users hold. */
export async function encryptPrivateKeyInfoPem(
  pkcs8: Uint8Array,
  passphrase: string,
  backend: KeyFileCrypto,
  options: Partial<Pbes2EncryptOptions> = {},
): Promise<string> {
  return encodePem('ENCRYPTED PRIVATE KEY', await encryptPrivateKeyInfo(pkcs8, passphrase, backend, options));
}
