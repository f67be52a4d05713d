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

// The SDK API over the crypto core: login, client-side enrolment, and their HTTP errors.
export { login } from './login.js';
export type { LoginOptions, LoginPhase, LoginResult } from './login.js';
export { generateCredentials } from './credentials.js';
export { enrol } from './enrol.js';
export { buildPkcs12 } from './pkcs12.js';
export type { GenerateCredentialsOptions, GeneratedCredentials } from './credentials.js';
export type { EnrolOptions, EnrolPhase, EnrolResult } from './enrol.js';
export type { BuildPkcs12Options } from './pkcs12.js';
export type { FetchFunction } from './http.js';
export {
  EcpHttpClientError,
  LoginFailedError,
  NetworkError,
  RateLimitedError,
  RequestRejectedError,
  ServerError,
  UsernameTakenError,
} from './http-errors.js';
