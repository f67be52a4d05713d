/**
 * @ecp/browser: read key files, sign ecp challenges and make key files, over WebCrypto.
 * No Node built-ins; only `@ecp/core/portable` is bundled.
 */
export { readPrivateKey } from './read-private-key.js';
export type { KeyFileInput, ReadPrivateKeyOptions } from './read-private-key.js';
export { signChallenge } from './sign.js';
export { encryptPkcs8 } from './encrypt.js';
export type { EncryptPkcs8Options } from './encrypt.js';
export { generateEncryptedKey } from './keygen.js';
export type { GeneratedKey } from './keygen.js';
export type { KeyFilePhase, ProgressCallback } from './progress.js';
export { webCryptoKeyFileCrypto } from './webcrypto-backend.js';
export {
  EcpError,
  InputTooLargeError,
  KeyCertificateMismatchError,
  KeyFileError,
  LegacyPkcs12Error,
  MalformedInputError,
  NotAKeyFileError,
  PassphraseRequiredError,
  UnsupportedKeyFormatError,
  WrongCurveError,
  WrongPassphraseError,
  isEcpError,
} from '@ecp/core/portable';
export type { EcpErrorCode } from '@ecp/core/portable';
