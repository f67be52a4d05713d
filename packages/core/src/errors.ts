/**
 * One error hierarchy for the whole toolkit, rooted in {@link EcpError}.
 *
 * It mirrors django-ecp-signer's `ECPAuthError` tree (InvalidSignature, CertificateExpired,
 * InvalidCertificate, NonceExpired, NonceNotFound) and adds what key files and certificate
 * paths need. Every class has a stable `code` that callers and HTTP clients can switch on;
 * messages are for people and never contain secret material (keys, passphrases, nonces).
 */

export type EcpErrorCode =
  | 'ECP_ERROR'
  | 'ECP_MALFORMED'
  | 'ECP_INPUT_TOO_LARGE'
  | 'ECP_INVALID_SIGNATURE'
  | 'ECP_INVALID_CERTIFICATE'
  | 'ECP_CERTIFICATE_EXPIRED'
  | 'ECP_CERTIFICATE_NOT_YET_VALID'
  | 'ECP_NONCE_EXPIRED'
  | 'ECP_NONCE_NOT_FOUND'
  | 'ECP_WRONG_PASSPHRASE'
  | 'ECP_UNSUPPORTED_FORMAT'
  | 'ECP_LEGACY_PKCS12'
  | 'ECP_WRONG_CURVE'
  | 'ECP_NOT_A_KEY'
  | 'ECP_KEY_CERTIFICATE_MISMATCH'
  | 'ECP_CERTIFICATE_PATH'
  | 'ECP_AUTH_FAILED'
  // What an HTTP client (the browser SDK) meets talking to the plugin and the app:
  | 'ECP_RATE_LIMITED'
  | 'ECP_USERNAME_TAKEN'
  | 'ECP_BAD_REQUEST'
  | 'ECP_SERVER_ERROR'
  | 'ECP_NETWORK'
  // ...and the rest of the answers of the HTTP layer (@ecp/fastify), so that every code
  // ecp can send is in this one union.
  | 'ECP_UNAUTHENTICATED'
  | 'ECP_NOT_FOUND'
  | 'ECP_SUBJECT_MISMATCH'
  | 'ECP_DB_UNAVAILABLE'
  | 'ECP_INTERNAL'
  | 'ECP_CLIENT_CERTIFICATE_REQUIRED'
  | 'ECP_CLIENT_CERTIFICATE_MALFORMED'
  | 'ECP_DUPLICATE_HEADER'
  | 'ECP_CLIENT_CERTIFICATE_UNKNOWN_USER';

export interface EcpErrorOptions {
  cause?: unknown;
}

/**
 * Root of every error ecp throws on purpose. Anything else escaping is a bug.
 *
 * `name` is the class's: each class declares it as a static field (`static override name =
 * 'WrongPassphraseError'`), because minifiers rename classes and the constructor's own name
 * would then be `e` or `v` in a browser bundle. Subclasses elsewhere should do the same.
 */
export class EcpError extends Error {
  static override name = 'EcpError';
  readonly code: EcpErrorCode;

  constructor(message: string, code: EcpErrorCode = 'ECP_ERROR', options?: EcpErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Bytes that do not follow the format they claim (DER, PEM, a key file's structure). */
export class MalformedInputError extends EcpError {
  static override name = 'MalformedInputError';
  constructor(message: string, options?: EcpErrorOptions) {
    super(message, 'ECP_MALFORMED', options);
  }
}

/** An input over its size bound; refused before it is parsed. */
export class InputTooLargeError extends EcpError {
  static override name = 'InputTooLargeError';
  readonly limit: number;
  constructor(what: string, limit: number) {
    super(`${what} is larger than the ${limit}-byte limit`, 'ECP_INPUT_TOO_LARGE');
    this.limit = limit;
  }
}

/** The signature does not verify, or is not a strict DER ECDSA-Sig-Value. */
export class InvalidSignatureError extends EcpError {
  static override name = 'InvalidSignatureError';
  constructor(message = 'signature is invalid', options?: EcpErrorOptions) {
    super(message, 'ECP_INVALID_SIGNATURE', options);
  }
}

/** A certificate that cannot be used: unparsable, wrong subject, wrong key type. */
export class InvalidCertificateError extends EcpError {
  static override name = 'InvalidCertificateError';
  constructor(message: string, options?: EcpErrorOptions, code: EcpErrorCode = 'ECP_INVALID_CERTIFICATE') {
    super(message, code, options);
  }
}

/** The certificate's notAfter is in the past at the time of the check. */
export class CertificateExpiredError extends InvalidCertificateError {
  static override name = 'CertificateExpiredError';
  constructor(message = 'certificate has expired') {
    super(message, undefined, 'ECP_CERTIFICATE_EXPIRED');
  }
}

/** The certificate's notBefore is in the future at the time of the check. */
export class CertificateNotYetValidError extends InvalidCertificateError {
  static override name = 'CertificateNotYetValidError';
  constructor(message = 'certificate is not yet valid') {
    super(message, undefined, 'ECP_CERTIFICATE_NOT_YET_VALID');
  }
}

export class NonceExpiredError extends EcpError {
  static override name = 'NonceExpiredError';
  constructor(message = 'nonce has expired') {
    super(message, 'ECP_NONCE_EXPIRED');
  }
}

/** Unknown nonce, or one that was already consumed (the two are not told apart). */
export class NonceNotFoundError extends EcpError {
  static override name = 'NonceNotFoundError';
  constructor(message = 'nonce not found or already used') {
    super(message, 'ECP_NONCE_NOT_FOUND');
  }
}

/** Base of the errors met while reading a private-key file; `advice` tells the user what to do. */
export class KeyFileError extends EcpError {
  static override name = 'KeyFileError';
  readonly advice: string;
  constructor(message: string, code: EcpErrorCode, advice: string, options?: EcpErrorOptions) {
    super(`${message}. ${advice}`, code, options);
    this.advice = advice;
  }
}

export class WrongPassphraseError extends KeyFileError {
  static override name = 'WrongPassphraseError';
  constructor() {
    super(
      'the passphrase does not decrypt this key file',
      'ECP_WRONG_PASSPHRASE',
      'Check the passphrase you chose when the file was created and try again',
    );
  }
}

export class UnsupportedKeyFormatError extends KeyFileError {
  static override name = 'UnsupportedKeyFormatError';
  constructor(what: string, advice: string) {
    super(`unsupported key file: ${what}`, 'ECP_UNSUPPORTED_FORMAT', advice);
  }
}

/** Re-writes any `.p12` OpenSSL can read (`-legacy` adds 3DES/RC2) with its AES-256/PBKDF2 defaults. */
const REEXPORT_COMMAND =
  'openssl pkcs12 -legacy -in old.p12 -nodes -out tmp.pem && openssl pkcs12 -export -in tmp.pem -out new.p12 && rm tmp.pem';
/** The advice of every PKCS#12 file ecp cannot read (legacy encryption, BER, signed or PBMAC1 integrity). */
export const REEXPORT_ADVICE = `Re-export it with OpenSSL's defaults (AES-256, PBKDF2): ${REEXPORT_COMMAND}`;

/** PKCS#12 protected with the pre-2017 algorithms (3DES, RC2, PKCS#12 PBE) that WebCrypto lacks. */
export class LegacyPkcs12Error extends KeyFileError {
  static override name = 'LegacyPkcs12Error';
  static readonly reexportCommand = REEXPORT_COMMAND;
  constructor(algorithm: string) {
    super(`this PKCS#12 file uses the legacy ${algorithm} encryption`, 'ECP_LEGACY_PKCS12', REEXPORT_ADVICE);
  }
}

export class WrongCurveError extends KeyFileError {
  static override name = 'WrongCurveError';
  constructor(found: string) {
    super(
      `the key is ${found}, but ecp keys are ECDSA P-256 (prime256v1)`,
      'ECP_WRONG_CURVE',
      'Use the key file issued at registration, or make a P-256 key: openssl ecparam -name prime256v1 -genkey',
    );
  }
}

export class NotAKeyFileError extends KeyFileError {
  static override name = 'NotAKeyFileError';
  constructor(found: string) {
    super(
      `this file does not contain a private key (${found})`,
      'ECP_NOT_A_KEY',
      'Choose private_key.pem or credentials.p12, the files saved at registration',
    );
  }
}

export class KeyCertificateMismatchError extends KeyFileError {
  static override name = 'KeyCertificateMismatchError';
  constructor() {
    super(
      'the private key does not belong to the certificate',
      'ECP_KEY_CERTIFICATE_MISMATCH',
      'Use the key file and certificate that were issued together',
    );
  }
}

/** Login refused. Deliberately says nothing about which factor failed. */
export class AuthenticationError extends EcpError {
  static override name = 'AuthenticationError';
  constructor(message = 'invalid credentials') {
    super(message, 'ECP_AUTH_FAILED');
  }
}

export const isEcpError = (value: unknown): value is EcpError => value instanceof EcpError;
