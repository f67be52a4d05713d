/**
 * What `POST <prefix>/certificate` accepts: one X.509 certificate (PEM, or DER from a file
 * part) of at most 10 000 bytes, inside its validity window, whose subject CN is the
 * session's username and whose key is P-256 (any other key could never log in).
 */
import { CertificateExpiredError, CertificateNotYetValidError, checkValidity, parseCertificate, type Certificate } from '@ecp/core';
import { badRequest, EcpHttpError } from './errors.js';

export const MAX_CERTIFICATE_UPLOAD_BYTES = 10_000;

export function validateUploadedCertificate(input: string | Uint8Array | undefined, username: string, now: Date = new Date()): Certificate {
  if (input === undefined || input.length === 0) throw badRequest('a certificate is required (field "certificate", PEM)');
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
  if (size > MAX_CERTIFICATE_UPLOAD_BYTES) {
    throw badRequest(`the certificate is larger than ${MAX_CERTIFICATE_UPLOAD_BYTES} bytes`, 'ECP_INPUT_TOO_LARGE');
  }
  let certificate: Certificate;
  try {
    certificate = parseCertificate(input);
  } catch (error) {
    throw new EcpHttpError(400, 'ECP_INVALID_CERTIFICATE', 'the certificate cannot be read: expected one X.509 certificate in PEM', { cause: error });
  }
  try {
    checkValidity(certificate, now);
  } catch (error) {
    if (error instanceof CertificateExpiredError) throw new EcpHttpError(400, 'ECP_CERTIFICATE_EXPIRED', 'the certificate has expired');
    if (error instanceof CertificateNotYetValidError) throw new EcpHttpError(400, 'ECP_CERTIFICATE_NOT_YET_VALID', 'the certificate is not valid yet');
    throw error;
  }
  if (certificate.subject.commonName !== username) {
    throw new EcpHttpError(400, 'ECP_SUBJECT_MISMATCH', 'the certificate subject CN must equal your username');
  }
  if (certificate.publicKey.algorithm !== 'EC' || certificate.publicKey.curve !== 'P-256') {
    throw new EcpHttpError(400, 'ECP_WRONG_CURVE', 'the certificate key must be ECDSA P-256 (prime256v1)');
  }
  return certificate;
}
