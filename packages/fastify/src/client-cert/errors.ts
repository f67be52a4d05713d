/**
 * The answers of the client-certificate preHandler. The split is the contract's:
 * 400 when there is nothing to judge (no certificate, or bytes that are not one), 403 when a
 * real certificate was judged and refused, with the path validator's `reason` so that an
 * operator (and a test) can tell an expired certificate from an unknown CA.
 */
import type { CertificatePathReason } from '@ecp/core';
import { EcpHttpError } from '../errors.js';

/** Codes of the client-certificate answers (besides @ecp/core's ECP_MALFORMED and ECP_INPUT_TOO_LARGE). */
export type ClientCertificateErrorCode =
  | 'ECP_CLIENT_CERTIFICATE_REQUIRED'
  | 'ECP_CLIENT_CERTIFICATE_MALFORMED'
  | 'ECP_DUPLICATE_HEADER'
  | 'ECP_INPUT_TOO_LARGE'
  | 'ECP_CERTIFICATE_PATH'
  | 'ECP_CLIENT_CERTIFICATE_UNKNOWN_USER';

export interface ClientCertificateErrorBody {
  error: string;
  code: ClientCertificateErrorCode;
  /** For `ECP_CERTIFICATE_PATH`: why the certificate was refused (expired, untrusted, revoked...). */
  reason?: CertificatePathReason;
}

export class ClientCertificateError extends EcpHttpError {
  readonly reason: CertificatePathReason | undefined;

  constructor(statusCode: 400 | 403, code: ClientCertificateErrorCode, message: string, options: { reason?: CertificatePathReason; cause?: unknown } = {}) {
    super(statusCode, code, message, { cause: options.cause });
    this.reason = options.reason;
  }

  override toBody(): ClientCertificateErrorBody {
    const body: ClientCertificateErrorBody = { error: this.message, code: this.code as ClientCertificateErrorCode };
    if (this.reason !== undefined) body.reason = this.reason;
    return body;
  }
}

export const certificateRequired = (): ClientCertificateError =>
  new ClientCertificateError(400, 'ECP_CLIENT_CERTIFICATE_REQUIRED', 'a TLS client certificate is required');

export const certificateMalformed = (detail: string, cause?: unknown): ClientCertificateError =>
  new ClientCertificateError(400, 'ECP_CLIENT_CERTIFICATE_MALFORMED', `the client certificate cannot be read: ${detail}`, { cause });

export const headerTooLarge = (header: string, limit: number): ClientCertificateError =>
  new ClientCertificateError(400, 'ECP_INPUT_TOO_LARGE', `the ${header} header is larger than ${limit} bytes`);

export const duplicateHeader = (header: string): ClientCertificateError =>
  new ClientCertificateError(400, 'ECP_DUPLICATE_HEADER', `the ${header} header appears more than once`);

export const certificateRejected = (reason: CertificatePathReason, cause?: unknown): ClientCertificateError =>
  new ClientCertificateError(403, 'ECP_CERTIFICATE_PATH', `the client certificate was refused: ${REASON_TEXT[reason]}`, { reason, cause });

export const unknownCertificateUser = (): ClientCertificateError =>
  new ClientCertificateError(403, 'ECP_CLIENT_CERTIFICATE_UNKNOWN_USER', 'the client certificate does not belong to a known user');

/** Public wording per reason: says what is wrong without echoing names from the certificate. */
const REASON_TEXT: Record<CertificatePathReason, string> = {
  expired: 'a certificate in its path has expired',
  not_yet_valid: 'a certificate in its path is not yet valid',
  untrusted: 'it does not chain to a trusted certificate authority',
  bad_signature: 'a signature in its path does not verify',
  not_a_ca: 'its issuer is not a certificate authority',
  path_length: 'its path is longer than a CA allows',
  key_usage: 'a key usage does not allow this use',
  eku: 'it is not meant for TLS client authentication (extended key usage)',
  critical_extension: 'it has a critical extension that is not understood',
  revoked: 'it has been revoked',
  weak_algorithm: 'it uses a weak algorithm or key size',
  malformed: 'a certificate in its path is not strict DER',
};
