/**
 * The browser-safe key-file API: the backend interface, the errors and bounds, and the
 * operations (reading any key file, writing `ENCRYPTED PRIVATE KEY` and PKCS#12). The
 * parsers under them are exported by the Node entry (keys/index.ts).
 */
export { BadPaddingError, HASH_BLOCK_SIZE, HASH_LENGTH } from './crypto-backend.js';
export type { KeyFileCrypto, KeyFileHash } from './crypto-backend.js';
export { DamagedKeyFileError, PassphraseRequiredError } from './key-file-errors.js';
export {
  DEFAULT_KEY_FILE_ITERATIONS,
  MAX_KEY_FILE_SIZE,
  MAX_MAC_ITERATIONS,
  MAX_PASSPHRASE_LENGTH,
  MAX_PBKDF2_ITERATIONS,
  PKCS12_DEFAULT_ITERATIONS,
} from './limits.js';
export { readKeyFile } from './read-key-file.js';
export { encryptPrivateKeyInfo, encryptPrivateKeyInfoPem } from './encrypted-pkcs8.js';
export { encodePkcs12 } from './pkcs12-write.js';
export type { KeyFileContents, KeyFileFormat } from './read-key-file.js';
export type { NormalisedP256Key, P256PrivateKey } from './p256.js';
export type { AesCbcCipher, EncryptionContext, Pbes2EncryptOptions, Pbes2Parameters } from './pbes2.js';
export type { EncryptedPrivateKeyInfo } from './pkcs8.js';
export type { Pkcs12WriteInput } from './pkcs12-write.js';
