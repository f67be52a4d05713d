/** The browser-safe key-file code: formats over a {@link KeyFileCrypto} backend. */
export { BadPaddingError, HASH_BLOCK_SIZE, HASH_LENGTH } from './crypto-backend.js';
export type { KeyFileCrypto, KeyFileHash } from './crypto-backend.js';
export { DamagedKeyFileError, PassphraseRequiredError } from './key-file-errors.js';
export { MAX_PASSPHRASE_LENGTH, bmpPassword, pbes2Password } from './passphrase.js';
export { MAX_KEY_FILE_SIZE, readKeyFile } from './read-key-file.js';
export type { KeyFileContents, KeyFileFormat } from './read-key-file.js';
export { encodeEncryptedPrivateKeyInfo, parseEncryptedPrivateKeyInfo, parsePrivateKeyInfo } from './pkcs8.js';
export type { EncryptedPrivateKeyInfo } from './pkcs8.js';
export { encodeP256PrivateKeyInfo, normaliseP256Key } from './p256.js';
export type { NormalisedP256Key, P256PrivateKey } from './p256.js';
export { parseEcPrivateKey, sec1ToPkcs8 } from './sec1.js';
export {
  MAX_PBKDF2_ITERATIONS,
  REENCRYPT_ADVICE,
  encodePbes2Algorithm,
  parseEncryptionAlgorithm,
  pbes2Decrypt,
  pbes2Encrypt,
} from './pbes2.js';
export type { AesCbcCipher, EncryptionContext, Pbes2EncryptOptions, Pbes2Parameters } from './pbes2.js';
export {
  DEFAULT_KEY_FILE_ITERATIONS,
  decryptPrivateKeyInfo,
  encryptPrivateKeyInfo,
  encryptPrivateKeyInfoPem,
} from './encrypted-pkcs8.js';
// Not re-exported here: the PKCS#12 reader (keys/pkcs12.ts, keys/pkcs12-mac.ts). readKeyFile
// loads it with import() so that bundlers put it in a lazy chunk, which they can only do
// if nothing reaches it through a static import.
export { PKCS12_DEFAULT_ITERATIONS, encodePkcs12 } from './pkcs12-write.js';
export type { Pkcs12WriteInput } from './pkcs12-write.js';
